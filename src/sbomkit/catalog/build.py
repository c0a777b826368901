"""Run the catalogers over a walk and assemble one inventory."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from sbomkit import __version__
from sbomkit.catalog.interface import CatalogResult
from sbomkit.catalog.walker import Job, walk
from sbomkit.clock import stamp
from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg
from sbomkit.licenses.normalize import normalize
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    Diagnostic,
    Inventory,
    Location,
    Metadata,
    Scope,
    Severity,
    Tool,
    merge_components,
)

log = logging.getLogger(__name__)
Progress = Callable[[Job], None]


def build_inventory(
    root: Path,
    excludes: Sequence[str] = (),
    include_dev: bool = True,
    progress: Progress | None = None,
) -> Inventory:
    if not root.exists():
        raise SbomkitError(Msg.PATH_NOT_FOUND, str(root))
    found = walk(root, excludes)
    diagnostics = list(found.diagnostics)
    results: list[tuple[Job, CatalogResult]] = []
    for job in found.jobs:
        if progress:
            progress(job)
        results.append((job, _run(job, diagnostics)))
    return assemble(root.resolve(), results, diagnostics, include_dev)


def _run(job: Job, diagnostics: list[Diagnostic]) -> CatalogResult:
    try:
        return job.spec.load().catalog(job.source)
    except SbomkitError as e:  # CatalogError, IdentityError: this file only
        diagnostics.append(Diagnostic(e.code, Location(job.source.rel), e.detail, Severity.ERROR))
    except Exception as e:  # a cataloger bug must not cost the other files
        log.debug("cataloger %s failed on %s", job.spec.name, job.source.rel, exc_info=True)
        detail = f"{job.spec.name}: {type(e).__name__}: {e}"
        where = Location(job.source.rel)
        diagnostics.append(Diagnostic(Msg.INTERNAL, where, detail, Severity.ERROR))
    return CatalogResult()


def assemble(
    root: Path,
    results: Sequence[tuple[Job, CatalogResult]],
    diagnostics: list[Diagnostic],
    include_dev: bool = True,
) -> Inventory:
    merged: dict[str, Component] = {}
    edges: set[Dependency] = set()
    projects: list[tuple[str, Component]] = []
    for job, res in results:
        by = (job.spec.name,)
        for c in res.components:
            c = _stamp(c, by)
            merged[c.ref] = merge_components(merged[c.ref], c) if c.ref in merged else c
        edges.update(res.dependencies)
        diagnostics.extend(res.diagnostics)
        if res.project is not None:
            projects.append((job.source.rel, _stamp(res.project, by)))
    primary = _primary(root, projects)
    for _, project in projects:
        if project.ref == primary.ref:
            continue
        merged[project.ref] = (
            merge_components(merged[project.ref], project) if project.ref in merged else project
        )
        edges.add(Dependency(primary.ref, project.ref))
    if not include_dev:
        merged = {r: c for r, c in merged.items() if c.scope is not Scope.DEV}
    known = set(merged) | {primary.ref}
    kept = sorted(e for e in edges if e.source in known and e.target in known)
    return Inventory(
        components=tuple(sorted(merged.values(), key=lambda c: c.ref)),
        dependencies=tuple(kept),
        metadata=Metadata(
            primary=primary,
            tools=(Tool("sbomkit", __version__, "sbomkit project"),),
            timestamp=stamp(),
            lifecycle="pre-build",
        ),
        diagnostics=tuple(diagnostics),
    )


def _stamp(c: Component, found_by: tuple[str, ...]) -> Component:
    """Record the cataloger and turn declared license text into SPDX where it is one."""
    licenses = tuple(normalize(lic) for lic in c.licenses)
    if set(found_by) <= set(c.found_by) and licenses == c.licenses:
        return c
    return replace(c, found_by=tuple(sorted(set(c.found_by) | set(found_by))), licenses=licenses)


def _primary(root: Path, projects: list[tuple[str, Component]]) -> Component:
    """The project at the root of the scan; else one named after the directory."""
    top = [p for rel, p in sorted(projects, key=lambda x: x[0]) if "/" not in rel]
    if top:
        return top[0]
    name = root.name if root.is_dir() else root.parent.name
    return Component(
        name=name, version=None, ecosystem="", type=ComponentType.APPLICATION, ref=f"root:{name}"
    )

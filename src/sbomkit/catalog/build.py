"""Run the catalogers over a walk and assemble one inventory."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
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
PARALLEL_FROM = 16  # files; below this, starting processes costs more than it saves
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
    for job, result in zip(found.jobs, _run_all(found.jobs, progress), strict=True):
        results.append((job, result))
    return assemble(root.resolve(), results, diagnostics, include_dev)


def _workers(jobs: Sequence[Job]) -> int:
    """Processes to use: SBOMKIT_WORKERS, else one per core once there is enough work."""
    configured = os.environ.get("SBOMKIT_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, 8) if len(jobs) >= PARALLEL_FROM else 1


def _run_all(jobs: Sequence[Job], progress: Progress | None) -> Iterator[CatalogResult]:
    """Results in job order; files are parsed in worker processes when that pays off."""
    workers = _workers(jobs)
    if workers == 1 or "fork" not in _start_methods():
        for job in jobs:
            if progress:
                progress(job)
            yield _run(job)
        return
    # Imported here, not at the top: 20 ms that a small scan need not pay.
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # fork: workers inherit the imported catalogers and cost milliseconds to start.
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        chunk = max(1, len(jobs) // (workers * 8))
        for job, result in zip(jobs, pool.map(_run, jobs, chunksize=chunk), strict=True):
            if progress:
                progress(job)
            yield result


def _start_methods() -> list[str]:
    import multiprocessing as mp

    return mp.get_all_start_methods()


def _run(job: Job) -> CatalogResult:
    """One file's result; its failure is recorded in the result, never raised."""
    try:
        result = job.spec.load().catalog(job.source)
    except SbomkitError as e:  # CatalogError, IdentityError: this file only
        severity = Severity.ERROR
        return _failed(Diagnostic(e.code, Location(job.source.rel), e.detail, severity))
    except Exception as e:  # a cataloger bug must not cost the other files
        log.debug("cataloger %s failed on %s", job.spec.name, job.source.rel, exc_info=True)
        detail = f"{job.spec.name}: {type(e).__name__}: {e}"
        where = Location(job.source.rel)
        return _failed(Diagnostic(Msg.INTERNAL, where, detail, Severity.ERROR))
    # Done here, in the worker, so it runs in parallel too.
    by = (job.spec.name,)
    result.components = [_stamp(c, by) for c in result.components]
    if result.project is not None:
        result.project = _stamp(result.project, by)
    return result


def _failed(diagnostic: Diagnostic) -> CatalogResult:
    return CatalogResult(diagnostics=[diagnostic])


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
        for c in res.components:
            merged[c.ref] = merge_components(merged[c.ref], c) if c.ref in merged else c
        edges.update(res.dependencies)
        diagnostics.extend(res.diagnostics)
        if res.project is not None:
            projects.append((job.source.rel, res.project))
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
    kept = sorted((e for e in edges if e.source in known and e.target in known), key=_edge_key)
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


def _edge_key(e: Dependency) -> tuple[str, str]:
    return (e.source, e.target)  # a plain tuple compares ~10x faster than the dataclass

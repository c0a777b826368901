"""poetry.lock: lock-version 1.x (``[metadata.files]``, ``category``) and 2.x (inline
``files``; ``groups`` and ``markers`` since Poetry 2).

Scope comes from ``groups`` when present, else ``category``, else (lock 2.0 written by
Poetry 1.5-1.8, which records neither) from the graph walked from pyproject.toml's main
and dev dependencies. ``optional = true`` marks a package installed only through extras.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from sbomkit.catalog.decode import Table, as_bool, as_list, as_str, as_table, load_toml
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.manifest import Manifest
from sbomkit.catalog.python._common import (
    EDITABLE,
    GIT,
    PATH,
    URL,
    Builder,
    canon,
    check_major,
    derive_scopes,
    entry_lines,
    hash_count_prop,
    require_list,
    require_table,
    sibling_manifest,
    source_props,
)
from sbomkit.i18n import Msg
from sbomkit.model import Component, Scope


class _Dep(NamedTuple):
    name: str
    constraints: tuple[str, ...]  # to pick among same-name packages; empty matches all
    conditional: bool  # optional, or limited by markers/python


class _Source(NamedTuple):
    type: str | None
    url: str | None
    resolved_reference: str | None


class _Package(NamedTuple):
    name: str | None
    version: str | None
    line: int | None
    category: str | None
    groups: tuple[str, ...] | None
    optional: bool
    develop: bool
    markers: str | None
    file_count: int
    source: _Source
    dependencies: tuple[_Dep, ...]


# [package.source] type -> our source kind; "legacy" (a simple index) is a registry.
_SOURCE_KINDS = {"git": GIT, "url": URL, "file": PATH, "directory": PATH}


class PoetryLockCataloger:
    name: ClassVar[str] = "python-poetry-lock"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = load_toml(source)
        packages = _decode(data, text, source)
        manifest = sibling_manifest(source)
        b = Builder(source, manifest.all_direct() if manifest else None)
        valid = [p for p in packages if _usable(b, p)]
        scopes = _scopes(valid, manifest)
        made = [(p, _component(b, p, s)) for p, s in zip(valid, scopes, strict=True)]
        for pkg, comp in made:
            if comp is None:
                continue
            for dep in pkg.dependencies:
                b.link(
                    comp.ref,
                    dep.name,
                    pkg.line,
                    constraint=dep.constraints,
                    conditional=dep.conditional,
                )
        if manifest is not None:
            b.set_project(manifest.component(), manifest.all_direct())
        return b.finish()


def _decode(data: Table, text: str, source: Source) -> list[_Package]:
    metadata = require_table(data, "metadata", source)
    if metadata is None and "package" not in data:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no [[package]] or [metadata] table")
    metadata = metadata or {}
    check_major(source, as_str(metadata.get("lock-version")), ("1", "2"))
    raw = require_list(data, "package", source)
    lines = entry_lines(text, "package", len(raw))
    # lock-version 1.x keeps file hashes apart, keyed by package name.
    v1_files = {canon(k): len(as_list(v)) for k, v in as_table(metadata.get("files")).items()}
    return [_package(as_table(p), line, v1_files) for p, line in zip(raw, lines, strict=True)]


def _package(t: Table, line: int | None, v1_files: dict[str, int]) -> _Package:
    name = as_str(t.get("name"))
    groups = t.get("groups")
    src = as_table(t.get("source"))
    files = t.get("files")
    markers = t.get("markers")
    if isinstance(markers, dict):  # Poetry 2: per-group markers; main's matters most
        markers = markers.get("main") or next(iter(markers.values()), None)
    return _Package(
        name=name,
        version=as_str(t.get("version")),
        line=line,
        category=as_str(t.get("category")),
        groups=tuple(g for g in as_list(groups) if isinstance(g, str))
        if isinstance(groups, list)
        else None,
        optional=as_bool(t.get("optional")),
        develop=as_bool(t.get("develop")) or as_bool(src.get("develop")),
        markers=as_str(markers),
        file_count=len(files) if isinstance(files, list) else v1_files.get(canon(name or ""), 0),
        source=_Source(
            as_str(src.get("type")), as_str(src.get("url")), as_str(src.get("resolved_reference"))
        ),
        dependencies=tuple(
            _dep(k, v) for k, v in as_table(t.get("dependencies")).items() if k != "python"
        ),
    )


def _dep(name: str, value: object) -> _Dep:
    """A dependency is a constraint string, a table, or a list of tables (per marker)."""
    specs = value if isinstance(value, list) else [value]
    constraints: list[str] = []
    conditional = True
    for spec in specs:
        if isinstance(spec, str):
            constraints.append(spec)
            conditional = False
        elif isinstance(spec, dict):
            constraints.append(as_str(spec.get("version")) or "*")
            limited = as_bool(spec.get("optional")) or "markers" in spec or "python" in spec
            conditional = conditional and limited
    return _Dep(name, tuple(constraints), conditional)


def _usable(b: Builder, p: _Package) -> bool:
    if p.name is None:
        b.warn(Msg.MISSING_NAME, p.line, "[[package]] without a name")
        return False
    if p.version is None:
        kind, url = _source(p)
        return b.missing_version(p.name, p.line, kind, url)
    return True


def _scopes(packages: list[_Package], manifest: Manifest | None) -> list[Scope]:
    derived: dict[int, Scope] = {}
    if manifest is not None and any(p.groups is None and p.category is None for p in packages):
        derived = _derive(packages, manifest)
    out = []
    for i, p in enumerate(packages):
        if p.groups is not None:
            dev = "main" not in p.groups
        elif p.category is not None:
            dev = p.category == "dev"
        else:
            dev = derived.get(i) is Scope.DEV
        out.append(Scope.DEV if dev else Scope.OPTIONAL if p.optional else Scope.REQUIRED)
    return out


def _derive(packages: list[_Package], manifest: Manifest) -> dict[int, Scope]:
    index: dict[str, list[int]] = {}
    for i, p in enumerate(packages):
        index.setdefault(canon(p.name or ""), []).append(i)
    edges = {
        i: [j for d in p.dependencies for j in index.get(canon(d.name), ())]
        for i, p in enumerate(packages)
    }

    def roots(names: frozenset[str]) -> list[int]:
        return [j for n in sorted(names) for j in index.get(n, ())]

    return derive_scopes(
        edges,
        (
            (Scope.REQUIRED, roots(manifest.direct | manifest.optional)),
            (Scope.DEV, roots(manifest.dev)),
        ),
    )


def _source(p: _Package) -> tuple[str | None, str | None]:
    kind = _SOURCE_KINDS.get(p.source.type or "")
    if kind is None:
        return None, None
    if kind == PATH and p.develop:
        kind = EDITABLE
    url = p.source.url
    if p.source.type == "git" and url:
        url = f"git+{url}@{p.source.resolved_reference}" if p.source.resolved_reference else url
    return kind, url


def _component(b: Builder, p: _Package, scope: Scope) -> Component | None:
    name = p.name or ""  # _usable() let only named packages through
    kind, url = _source(p)
    return b.add(
        name,
        p.version,
        b.source.at(p.line),
        scope=scope,
        direct=b.is_direct(name),
        source_url=url,
        properties=hash_count_prop(p.file_count) + source_props(kind, p.markers),
    )

"""pdm.lock (lock_version 4.x): ``[[package]]`` with groups, PEP 508 dependencies, files.

A package that is required with extras appears a second time with ``extras = [...]``; that
entry adds the extras' dependencies to the base package and is not a component itself.
Scope: the ``default`` group is required. Other groups are extras or dependency groups,
which the lock does not tell apart; packages reached from pyproject.toml's optional
dependencies are optional, the rest dev. Locks without per-package ``groups`` (written
before PDM's ``inherit_metadata`` strategy) are scoped from the graph and pyproject.toml.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from sbomkit.catalog.decode import Table, as_bool, as_list, as_str, as_table, load_toml, str_tuple
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.manifest import Manifest
from sbomkit.catalog.python._common import (
    EDITABLE,
    PATH,
    URL,
    VCS_KINDS,
    Builder,
    ReqHead,
    canon,
    check_major,
    derive_scopes,
    entry_lines,
    hash_count_prop,
    require_list,
    require_table,
    requirement_head,
    sibling_manifest,
    source_props,
)
from sbomkit.i18n import Msg
from sbomkit.model import Component, Scope


class _Package(NamedTuple):
    name: str | None
    version: str | None
    line: int | None
    extras: tuple[str, ...]
    groups: tuple[str, ...] | None
    marker: str | None
    dependencies: tuple[ReqHead, ...]
    file_count: int
    vcs: tuple[str, str] | None  # (kind, url)
    revision: str | None
    path: str | None
    url: str | None
    editable: bool


class PdmLockCataloger:
    name: ClassVar[str] = "python-pdm-lock"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = load_toml(source)
        metadata = require_table(data, "metadata", source)
        if metadata is None:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no [metadata] table")
        check_major(source, as_str(metadata.get("lock_version")), ("3", "4"))
        raw = require_list(data, "package", source)
        lines = entry_lines(text, "package", len(raw))
        packages = [_package(as_table(p), ln) for p, ln in zip(raw, lines, strict=True)]
        manifest = sibling_manifest(source)
        b = Builder(source, manifest.all_direct() if manifest else None)
        named = [p for p in packages if _named(b, p)]
        scopes = _scopes(named, manifest)
        comps: dict[tuple[str, str | None], Component] = {}
        for i, p in enumerate(named):
            if not p.extras:
                c = _component(b, p, scopes.get(i, Scope.REQUIRED))
                if c is not None:
                    comps.setdefault(_key(p), c)
        for p in named:
            base = comps.get(_key(p))
            if base is not None:
                for d in p.dependencies:
                    b.link(base.ref, d.name, p.line, constraint=d.spec, conditional=d.has_marker)
        if manifest is not None:
            b.set_project(manifest.component(), manifest.all_direct())
        return b.finish()


def _package(t: Table, line: int | None) -> _Package:
    vcs = next(((k, v) for k in VCS_KINDS if (v := as_str(t.get(k)))), None)
    groups = t.get("groups")
    return _Package(
        name=as_str(t.get("name")),
        version=as_str(t.get("version")),
        line=line,
        extras=str_tuple(t.get("extras")),
        groups=str_tuple(groups) if isinstance(groups, list) else None,
        marker=as_str(t.get("marker")),
        dependencies=tuple(d for d in map(_dep, as_list(t.get("dependencies"))) if d),
        file_count=len(as_list(t.get("files"))),
        vcs=vcs,
        revision=as_str(t.get("revision")) or as_str(t.get("ref")),
        path=as_str(t.get("path")),
        url=as_str(t.get("url")),
        editable=as_bool(t.get("editable")),
    )


def _dep(value: object) -> ReqHead | None:
    text = as_str(value)
    return requirement_head(text) if text else None


def _key(p: _Package) -> tuple[str, str | None]:
    return canon(p.name or ""), p.version


def _named(b: Builder, p: _Package) -> bool:
    if p.name is None:
        b.warn(Msg.MISSING_NAME, p.line, "[[package]] without a name")
        return False
    return True


def _scopes(packages: list[_Package], manifest: Manifest | None) -> dict[int, Scope]:
    """Index -> scope for base entries; extras entries share their base's node."""
    node: dict[str, int] = {}
    for i, p in enumerate(packages):  # base entries first: extras entries share their node
        if not p.extras:
            node.setdefault(canon(p.name or ""), i)
    for i, p in enumerate(packages):
        node.setdefault(canon(p.name or ""), i)
    edges: dict[int, list[int]] = {}
    for p in packages:
        base = node[canon(p.name or "")]
        targets = (node.get(canon(d.name)) for d in p.dependencies)
        edges.setdefault(base, []).extend(t for t in targets if t is not None)

    def roots(names: frozenset[str]) -> list[int]:
        return [node[n] for n in sorted(names) if n in node]

    direct = manifest.direct if manifest else frozenset()
    optional = manifest.optional if manifest else frozenset()
    dev = manifest.dev if manifest else frozenset()
    required = [i for i, p in enumerate(packages) if p.groups and "default" in p.groups]
    derived = derive_scopes(
        edges,
        (
            (Scope.REQUIRED, required + roots(direct)),
            (Scope.OPTIONAL, roots(optional)),
            (Scope.DEV, roots(dev)),
        ),
    )
    out: dict[int, Scope] = {}
    for i, p in enumerate(packages):
        scope = derived.get(i)
        if p.groups is not None:
            # Grouped but not default: optional if an extra reaches it, else dev.
            default = "default" in p.groups
            scope = Scope.REQUIRED if default else scope if scope is Scope.OPTIONAL else Scope.DEV
        out[i] = scope or Scope.REQUIRED
    return out


def _source(p: _Package) -> tuple[str | None, str | None]:
    if p.vcs is not None:
        kind, url = p.vcs
        url = f"{kind}+{url}@{p.revision}" if p.revision else f"{kind}+{url}"
        return EDITABLE if p.editable else VCS_KINDS[kind], url
    if p.path is not None:
        return EDITABLE if p.editable else PATH, p.path
    if p.url is not None:
        return URL, p.url
    return None, None


def _component(b: Builder, p: _Package, scope: Scope) -> Component | None:
    name = p.name or ""  # _named() let only named packages through
    kind, url = _source(p)
    if p.version is None and not b.missing_version(name, p.line, kind, url):
        return None
    return b.add(
        name,
        p.version,
        b.source.at(p.line),
        scope=scope,
        direct=b.is_direct(name),
        source_url=url,
        properties=hash_count_prop(p.file_count) + source_props(kind, p.marker),
    )

"""pylock.toml (PEP 751, lock-version 1.x): ``[[packages]]`` with one source each.

A package comes from an index (``sdist`` / ``wheels``), ``vcs``, ``directory`` or
``archive``. The hash of the sdist (or the archive, or of the only wheel) identifies one
artifact and is kept. Scope comes from the package marker: one that needs a dependency
group (``'dev' in dependency_groups``) is dev, one that needs an extra is optional.
Dependencies, when the locker wrote them, become edges.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from sbomkit.catalog.decode import Table, as_bool, as_list, as_str, as_table, load_toml
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.python._common import (
    EDITABLE,
    PATH,
    URL,
    VCS_KINDS,
    Builder,
    check_major,
    entry_lines,
    hash_count_prop,
    hash_table,
    link_project,
    require_list,
    sibling_manifest,
    source_props,
)
from sbomkit.i18n import Msg
from sbomkit.model import Component, Hash, Scope


class _File(NamedTuple):
    url: str | None
    path: str | None
    hashes: tuple[Hash, ...]


class _Vcs(NamedTuple):
    kind: str
    url: str | None
    commit: str | None


class _Directory(NamedTuple):
    path: str | None
    editable: bool


class _DepRef(NamedTuple):
    name: str
    version: str | None


class _Package(NamedTuple):
    name: str | None
    version: str | None
    line: int | None
    marker: str | None
    index_url: str | None
    dependencies: tuple[_DepRef, ...]
    vcs: _Vcs | None
    directory: _Directory | None
    archive: _File | None
    sdist: _File | None
    wheels: tuple[_File, ...]


class PylockCataloger:
    name: ClassVar[str] = "python-pylock"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = load_toml(source)
        version = data.get("lock-version")
        if not isinstance(version, str):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no 'lock-version' string")
        check_major(source, version, ("1",))
        raw = require_list(data, "packages", source)
        lines = entry_lines(text, "packages", len(raw))
        packages = [_package(as_table(p), ln) for p, ln in zip(raw, lines, strict=True)]
        manifest = sibling_manifest(source)
        b = Builder(source, manifest.all_direct() if manifest else None)
        made = [(p, _component(b, p)) for p in packages]
        for p, c in made:
            if c is not None:
                for d in p.dependencies:
                    b.link(c.ref, d.name, p.line, version=d.version)
        if manifest is not None:
            link_project(b, manifest)
        return b.finish()


def _package(t: Table, line: int | None) -> _Package:
    vcs, directory, archive, sdist = (
        as_table(t.get(k)) for k in ("vcs", "directory", "archive", "sdist")
    )
    return _Package(
        name=as_str(t.get("name")),
        version=as_str(t.get("version")),
        line=line,
        marker=as_str(t.get("marker")),
        index_url=as_str(t.get("index")),
        dependencies=tuple(
            _DepRef(n, as_str(d.get("version")))
            for d in map(as_table, as_list(t.get("dependencies")))
            if (n := as_str(d.get("name")))
        ),
        vcs=_Vcs(
            as_str(vcs.get("type")) or "git",
            as_str(vcs.get("url")) or as_str(vcs.get("path")),
            as_str(vcs.get("commit-id")),
        )
        if vcs
        else None,
        directory=_Directory(as_str(directory.get("path")), as_bool(directory.get("editable")))
        if directory
        else None,
        archive=_file(archive) if archive else None,
        sdist=_file(sdist) if sdist else None,
        wheels=tuple(_file(as_table(w)) for w in as_list(t.get("wheels"))),
    )


def _file(t: Table) -> _File:
    return _File(as_str(t.get("url")), as_str(t.get("path")), hash_table(t.get("hashes")))


def _scope(marker: str | None) -> Scope:
    """Markers over ``extras`` / ``dependency_groups`` (PEP 751) say why it is locked."""
    if marker is None:
        return Scope.REQUIRED
    if "extras" in marker:
        return Scope.OPTIONAL
    if "dependency_groups" in marker:
        return Scope.DEV
    return Scope.REQUIRED


def _source(p: _Package) -> tuple[str | None, str | None]:
    if p.vcs is not None:
        kind = VCS_KINDS.get(p.vcs.kind, p.vcs.kind)
        url = p.vcs.url and f"{p.vcs.kind}+{p.vcs.url}"
        url = f"{url}@{p.vcs.commit}" if url and p.vcs.commit else url
        return kind, url
    if p.directory is not None:
        return EDITABLE if p.directory.editable else PATH, p.directory.path
    if p.archive is not None:
        return (URL, p.archive.url) if p.archive.url else (PATH, p.archive.path)
    return None, None


def _artifact(p: _Package) -> tuple[tuple[Hash, ...], str | None, int]:
    """(hashes of the one identifying artifact, its URL, how many artifacts)."""
    one = p.archive or p.sdist or (p.wheels[0] if len(p.wheels) == 1 else None)
    count = len(p.wheels) + (p.sdist is not None) + (p.archive is not None)
    if one is None:
        return (), None, count
    return one.hashes, one.url or one.path, count


def _component(b: Builder, p: _Package) -> Component | None:
    if p.name is None:
        b.warn(Msg.MISSING_NAME, p.line, "[[packages]] without a name")
        return None
    kind, url = _source(p)
    hashes, artifact_url, count = _artifact(p)
    if p.version is None and not b.missing_version(p.name, p.line, kind, url or artifact_url):
        return None
    return b.add(
        p.name,
        p.version,
        b.source.at(p.line),
        scope=_scope(p.marker),
        direct=b.is_direct(p.name),
        hashes=hashes,
        source_url=url or artifact_url,
        properties=(hash_count_prop(count) if count > 1 else ()) + source_props(kind, p.marker),
    )

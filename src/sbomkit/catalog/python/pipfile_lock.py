"""Pipfile.lock (pipenv, JSON): ``default`` and ``develop`` sections, no dependency graph.

``default`` is required, ``develop`` dev; a package in both is required. Direct
dependencies are the ``[packages]`` / ``[dev-packages]`` of the Pipfile beside the lock
(else pyproject.toml's). Lines come from a cheap scan of pipenv's four-space layout.
"""

from __future__ import annotations

import json
import tomllib
from typing import ClassVar, NamedTuple

from sbomkit.catalog import _toml as toml
from sbomkit.catalog.decode import (
    JsonObject,
    Table,
    as_bool,
    as_str,
    as_table,
    load_json,
    sibling_rel,
    str_tuple,
)
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.python._common import (
    EDITABLE,
    PATH,
    URL,
    VCS_KINDS,
    Builder,
    canon,
    listed_hashes,
    sibling_manifest,
    source_props,
)
from sbomkit.i18n import Msg
from sbomkit.model import Scope

_SECTIONS = {"default": Scope.REQUIRED, "develop": Scope.DEV}
_PIPFILE_LIMIT = 4 * 1024 * 1024  # a Pipfile is a short hand-written manifest


class _Entry(NamedTuple):
    name: str
    section: str
    line: int | None
    version: str | None  # "==1.2.3" as written
    hashes: tuple[str, ...]
    markers: str | None
    extras: tuple[str, ...]
    vcs: tuple[str, str] | None  # (kind, url)
    ref: str | None
    path: str | None
    file: str | None
    editable: bool


class PipfileLockCataloger:
    name: ClassVar[str] = "python-pipfile-lock"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = load_json(source)
        if not isinstance(data, dict) or not any(k in data for k in ("_meta", *_SECTIONS)):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no _meta, default or develop key")
        lines = _entry_lines(text)
        b = Builder(source, _direct_names(source))
        entries: list[_Entry] = []
        for section in _SECTIONS:
            value = data.get(section, {})
            if not isinstance(value, dict):
                raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"'{section}' is not an object")
            for dup in value.duplicates if isinstance(value, JsonObject) else ():
                seen = lines.get((section, dup), [])
                line = seen[1] if len(seen) > 1 else None
                first = f", first at line {seen[0]}" if seen else ""
                b.warn(Msg.DUPLICATE_ENTRY, line, f"{dup} in {section}{first}")
            for name, v in value.items():
                line = next(iter(lines.get((section, name), ())), None)
                if isinstance(v, dict):
                    entries.append(_entry(name, section, v, line))
                else:
                    b.warn(Msg.INVALID_ENTRY, line, f"{name} in {section}: not an object")
        # A package in both sections is one required component (default comes first).
        default = {(canon(e.name), e.version) for e in entries if e.section == "default"}
        for e in entries:
            if e.section == "develop" and (canon(e.name), e.version) in default:
                continue
            _add(b, e)
        # pyproject.toml (when there is one) names the project; its edges go to the
        # direct dependencies the lock lists.
        manifest = sibling_manifest(source)
        project = b.result.project = manifest.component() if manifest else None
        if project is not None:
            for name in sorted(b.direct_names or ()):
                b.link_to(project.ref, b.find(name))
        return b.finish()


def _entry(name: str, section: str, t: Table, line: int | None) -> _Entry:
    return _Entry(
        name=name,
        section=section,
        line=line,
        version=as_str(t.get("version")),
        hashes=str_tuple(t.get("hashes")),
        markers=as_str(t.get("markers")),
        extras=str_tuple(t.get("extras")),
        vcs=next(((k, v) for k in VCS_KINDS if (v := as_str(t.get(k)))), None),
        ref=as_str(t.get("ref")),
        path=as_str(t.get("path")),
        file=as_str(t.get("file")),
        editable=as_bool(t.get("editable")),
    )


def _add(b: Builder, e: _Entry) -> None:
    if not e.name.strip():
        b.warn(Msg.MISSING_NAME, e.line, f"empty key in {e.section}")
        return
    kind, url = _source(e)
    version = _pinned(e.version)
    if e.version is not None and version is None:
        b.warn(Msg.UNPINNED, e.line, f"{e.name} {e.version}")
        return
    if version is None and not b.missing_version(e.name, e.line, kind, url):
        return
    one, count = listed_hashes(e.hashes)
    b.add(
        e.name,
        version,
        b.source.at(e.line),
        scope=_SECTIONS[e.section],
        direct=b.is_direct(e.name),
        hashes=one,
        source_url=url,
        properties=count + source_props(kind, e.markers, e.extras),
    )


def _pinned(version: str | None) -> str | None:
    """``==1.2`` / ``===1.2`` -> ``1.2``; a range or wildcard is not a pin."""
    if version is None or version == "*":
        return None
    for op in ("===", "=="):
        if version.startswith(op):
            pin = version[len(op) :].strip()
            return pin if pin and "*" not in pin and "," not in pin else None
    return None


def _source(e: _Entry) -> tuple[str | None, str | None]:
    if e.vcs is not None:
        kind, url = e.vcs
        url = f"{kind}+{url}@{e.ref}" if e.ref else f"{kind}+{url}"
        return EDITABLE if e.editable else VCS_KINDS[kind], url
    if e.path is not None:
        return EDITABLE if e.editable else PATH, e.path
    if e.file is not None:
        return URL if "://" in e.file else PATH, e.file
    return None, None


def _entry_lines(text: str) -> dict[tuple[str, str], list[int]]:
    """(section, name) -> lines of ``"name": ...`` in pipenv's indent-4 layout."""
    out: dict[tuple[str, str], list[int]] = {}
    section = None
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith('    "') and not line.startswith("     "):
            key = line[5:].partition('"')[0]
            section = key if key in _SECTIONS else None
        elif section and line.startswith('        "'):
            out.setdefault((section, _json_key(line[8:])), []).append(number)
    return out


def _json_key(text: str) -> str:
    """The key of a line starting ``"name": {``, unescaping when needed."""
    raw = text[1:].partition('"')[0]
    if "\\" not in raw:
        return raw
    try:
        key = json.loads(text.rpartition(":")[0])
    except ValueError:
        return raw
    return key if isinstance(key, str) else raw


def _direct_names(source: Source) -> frozenset[str] | None:
    """Names in the Pipfile beside the lock, else in pyproject.toml, else unknown."""
    pipfile = Source(source.path.parent / "Pipfile", sibling_rel(source, "Pipfile"))
    try:
        data = toml.loads(pipfile.read_text(limit=_PIPFILE_LIMIT))
    except (CatalogError, tomllib.TOMLDecodeError, RecursionError):
        manifest = sibling_manifest(source)
        return manifest.all_direct() if manifest else None
    return frozenset(
        canon(k)
        for section in ("packages", "dev-packages")
        for k in as_table(data.get(section))
        if isinstance(k, str)
    )

"""packages.lock.json (version 1 and 2), written by ``dotnet restore --use-lock-file``.

``dependencies`` maps each target framework to the packages resolved for it. A package
resolved to the same version for several frameworks is one component with one
``sbomkit:nuget-framework`` property per framework. ``Direct`` entries are direct; project
references (``Project``) are first-party components without a version. Edges are resolved
within one framework. The lock does not say which references are development-only, so
every component is required.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from sbomkit.catalog.decode import JsonObject, Table, as_str, as_table
from sbomkit.catalog.decode import load_json_object as load_json
from sbomkit.catalog.dotnet._common import (
    PROJECT,
    PROP_FRAMEWORK,
    PROP_SOURCE,
    Builder,
    canon,
    key_lines,
    require_object,
    sha512,
    sibling_project,
)
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Component, Hash

_VERSIONS = (1, 2)


@dataclass(slots=True)
class _Entry:
    name: str
    version: str | None
    kind: str
    line: int | None
    hashes: tuple[Hash, ...]
    dependencies: dict[str, str]


@dataclass(slots=True)
class _Package:
    first: _Entry
    frameworks: list[str] = field(default_factory=list)
    direct: bool = False


class NugetPackagesLockCataloger:
    name: ClassVar[str] = "nuget-packages-lock"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = load_json(source)
        version = data.get("version")
        if version is None:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, '"version" is missing')
        if isinstance(version, bool) or version not in _VERSIONS:
            raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, f"lock version {version}")
        frameworks = require_object(data, "dependencies", source)
        lines = key_lines(text)
        b = Builder(source)
        per_fw = {fw: _entries(b, fw, as_table(t), lines) for fw, t in frameworks.items()}
        packages: dict[tuple[str, str | None], _Package] = {}
        for fw, entries in per_fw.items():
            for e in entries.values():
                p = packages.setdefault((canon(e.name), e.version), _Package(e))
                p.frameworks.append(fw)
                p.direct = p.direct or e.kind == "Direct"
        comps = {key: _component(b, p) for key, p in packages.items()}
        for entries in per_fw.values():
            for e in entries.values():
                _link(b, comps, entries, e)
        project = b.result.project = sibling_project(source)
        if project is not None:
            for key, p in packages.items():
                if p.direct and (c := comps[key]) is not None:
                    b.link_to(project.ref, c)
        return b.finish()


def _entries(b: Builder, fw: str, table: Table, lines: dict[str, int]) -> dict[str, _Entry]:
    """Lower-cased id -> entry for one framework; bad and repeated entries are warnings."""
    out: dict[str, _Entry] = {}
    dups = table.duplicates if isinstance(table, JsonObject) else ()
    for name in dups:
        b.warn(Msg.DUPLICATE_ENTRY, lines.get(name), f"{name} in {fw}, key repeated")
    for name, raw in table.items():
        line = lines.get(name)
        entry = _entry(b, name, as_table(raw), line)
        if entry is None:
            continue
        if canon(name) in out:
            first = out[canon(name)]
            b.warn(Msg.DUPLICATE_ENTRY, line, f"{name} in {fw}, first at line {first.line}")
            continue
        out[canon(name)] = entry
    return out


def _entry(b: Builder, name: str, t: Table, line: int | None) -> _Entry | None:
    if not name.strip():
        b.warn(Msg.MISSING_NAME, line, "package without a name")
        return None
    kind = as_str(t.get("type")) or ""
    version = as_str(t.get("resolved"))
    if version is None and kind != "Project":
        b.warn(Msg.MISSING_VERSION, line, f"{name}; skipped")
        return None
    deps = {k: v for k, v in as_table(t.get("dependencies")).items() if isinstance(v, str)}
    return _Entry(name, version, kind, line, sha512(t.get("contentHash")), deps)


def _component(b: Builder, p: _Package) -> Component | None:
    e = p.first
    props = [(PROP_FRAMEWORK, fw) for fw in p.frameworks]
    if e.kind == "Project":
        props.append((PROP_SOURCE, PROJECT))
    return b.add(
        e.name,
        e.version,
        b.source.at(e.line),
        direct=True if p.direct else None if e.kind == "Project" else False,
        hashes=e.hashes,
        properties=tuple(sorted(props)),
    )


def _link(
    b: Builder,
    comps: dict[tuple[str, str | None], Component | None],
    entries: dict[str, _Entry],
    e: _Entry,
) -> None:
    source = comps.get((canon(e.name), e.version))
    if source is None:
        return
    for dep in e.dependencies:
        target_entry = entries.get(canon(dep))
        target = comps.get((canon(dep), target_entry.version)) if target_entry else None
        if target is not None:
            b.link_to(source.ref, target)
        elif target_entry is None:
            b.unknown(dep, e.line)

"""composer.lock: ``packages`` (required) and ``packages-dev`` (dev), with a composer.json.

Each package names its ``require``s; edges go to the locked package of that name, or to
the packages that ``provide`` or ``replace`` it (``psr/log-implementation``). Platform
requirements (``php``, ``ext-*``, ``lib-*``, ``composer-plugin-api``) are not packages.
Versions are kept as written (``v11.0.0``). ``dist.shasum`` is the SHA-1 of the archive
when Composer knows it (often empty). composer.json beside the lock gives the project and
the direct flags; without it ``direct`` is unknown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, ComponentType, Dependency, Hash, License, Location, Scope

_PLATFORM = re.compile(
    r"php(-64bit|-ipv6|-zts|-debug)?|hhvm|ext-.+|lib-.+|composer(-plugin-api|-runtime-api)?"
)
_SHA1 = re.compile(r"[0-9a-f]{40}")
_SPDX_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")
_MANIFEST_LIMIT = 4 * 1024 * 1024
_VCS = {"git": "git", "hg": "vcs", "svn": "vcs", "fossil": "vcs"}


@dataclass(frozen=True, slots=True)
class _Package:
    name: str | None
    version: str | None
    dev: bool
    line: int | None
    raw: dict[str, object]


class ComposerLockCataloger:
    name: ClassVar[str] = "php-composer-lock"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        data = _load(source, text)
        result = CatalogResult()
        manifest = _manifest(source, result)
        direct = None if manifest is None else _direct_names(manifest)
        made: dict[str, Component] = {}
        provides: dict[str, list[str]] = {}
        kept: list[tuple[_Package, Component]] = []
        for p in _packages(source, data, text):
            c = _component(source, p, direct, made, result)
            if c is not None:
                kept.append((p, c))
                for virtual in (*_keys(p.raw.get("provide")), *_keys(p.raw.get("replace"))):
                    provides.setdefault(virtual, []).append(c.ref)
        _link(source, kept, made, provides, result)
        if manifest is not None:
            result.project = _project(source, manifest)
            if result.project is not None:
                _project_edges(result, result.project.ref, made, provides, direct or frozenset())
        result.diagnostics.sort(key=lambda d: (d.location.path, d.location.line or 0))
        return result


# --- decoding ---------------------------------------------------------------------------


def _load(source: Source, text: str) -> dict[str, object]:
    if not text.strip():
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
    try:
        data = json.loads(text)
    except RecursionError as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "nested too deeply") from e
    except ValueError as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, str(e)) from e
    if not isinstance(data, dict):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "not a JSON object")
    if "packages" not in data and "packages-dev" not in data:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no packages or packages-dev")
    for key in ("packages", "packages-dev"):
        if not isinstance(data.get(key, []), list):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"{key} is not a list")
    return data


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _table(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _keys(value: object) -> list[str]:
    """Package names of a require/provide/replace map, lower case, platform ones left out."""
    names = (k.strip().lower() for k in _table(value))
    return [n for n in names if n and not _PLATFORM.fullmatch(n)]


def _packages(source: Source, data: dict[str, object], text: str) -> list[_Package]:
    lines = _NameLines(text)
    out: list[_Package] = []
    for key in [k for k in data if k in ("packages", "packages-dev")]:  # document order
        raw = data.get(key)
        for entry in raw if isinstance(raw, list) else []:
            t = _table(entry)
            name = _str(t.get("name"))
            line = lines.find(name) if name else None
            out.append(_Package(name, _str(t.get("version")), key == "packages-dev", line, t))
    return out


class _NameLines:
    """Line of each package's ``"name": "x"``, searched in document order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def find(self, name: str) -> int | None:
        pattern = re.compile(r'"name"\s*:\s*' + re.escape(json.dumps(name)))
        m = pattern.search(self.text, self.pos) or pattern.search(self.text)
        if m is None:
            return None
        self.pos = m.end()
        return self.text.count("\n", 0, m.start()) + 1


# --- building ---------------------------------------------------------------------------


def _component(
    source: Source,
    p: _Package,
    direct: frozenset[str] | None,
    made: dict[str, Component],
    result: CatalogResult,
) -> Component | None:
    at = source.at(p.line)
    if p.name is None:
        result.warn(Msg.MISSING_NAME, at, "package without a name")
        return None
    if p.version is None:
        result.warn(Msg.MISSING_VERSION, at, f"{p.name}; skipped")
        return None
    key = p.name.lower()
    first = made.get(key)
    if first is not None:
        where = next((f"line {loc.line}" for loc in first.locations if loc.line), "?")
        detail = f"{p.name} {p.version}, first at {where}"
        result.warn(Msg.DUPLICATE_ENTRY, at, detail)
        return None
    try:
        c = make_component("composer", p.name, p.version, **_fields(p, direct, at))
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, at, e.detail)
        return None
    made[key] = c
    result.components.append(c)
    return c


def _fields(p: _Package, direct: frozenset[str] | None, at: Location) -> dict[str, Any]:
    dist, src = _table(p.raw.get("dist")), _table(p.raw.get("source"))
    shasum = (_str(dist.get("shasum")) or "").lower()
    url, props = _origin(dist, src)
    return {
        "scope": Scope.DEV if p.dev else Scope.REQUIRED,
        "direct": None if direct is None else (p.name or "").lower() in direct,
        "hashes": (Hash("SHA-1", shasum),) if _SHA1.fullmatch(shasum) else (),
        "licenses": tuple(_license(v) for v in _strs(p.raw.get("license"))),
        "author": ", ".join(_authors(p.raw.get("authors"))) or None,
        "description": _str(p.raw.get("description")),
        "homepage": _str(p.raw.get("homepage")),
        "source_url": url,
        "properties": props,
        "locations": (at,),
    }


def _origin(
    dist: dict[str, object], src: dict[str, object]
) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """Where the code comes from: the dist archive, else the VCS checkout, else a path."""
    dist_type, dist_url = _str(dist.get("type")), _str(dist.get("url"))
    if dist_type == "path":
        return dist_url, (("sbomkit:source", "path"),)
    if dist_url:
        return dist_url, ()
    src_type, src_url, ref = _str(src.get("type")), _str(src.get("url")), _str(src.get("reference"))
    if src_url and src_type in _VCS:
        return (f"{src_url}@{ref}" if ref else src_url), (("sbomkit:source", _VCS[src_type]),)
    return src_url, ()


def _strs(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(s for s in map(_str, items) if s))


def _license(value: str) -> License:
    """One SPDX id is an expression; Composer's "proprietary" and free text are not."""
    spdx = _SPDX_ID.fullmatch(value) is not None and value.lower() != "proprietary"
    return License(value, spdx)


def _authors(value: object) -> list[str]:
    return [n for n in (_str(_table(a).get("name")) for a in _strs_or_list(value)) if n]


def _strs_or_list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _link(
    source: Source,
    kept: list[tuple[_Package, Component]],
    made: dict[str, Component],
    provides: dict[str, list[str]],
    result: CatalogResult,
) -> None:
    warned: set[str] = set()
    edges: set[Dependency] = set()
    for p, c in kept:
        for name in _keys(p.raw.get("require")):
            targets = _targets(name, made, provides)
            if not targets and name not in warned:
                warned.add(name)
                result.warn(Msg.UNKNOWN_DEPENDENCY, source.at(p.line), name)
            edges.update(Dependency(c.ref, t) for t in targets if t != c.ref)
    result.dependencies.extend(sorted(edges))


def _targets(name: str, made: dict[str, Component], provides: dict[str, list[str]]) -> list[str]:
    found = made.get(name)
    return [found.ref] if found is not None else sorted(set(provides.get(name, ())))


# --- composer.json ----------------------------------------------------------------------


def _manifest(source: Source, result: CatalogResult) -> dict[str, object] | None:
    path = source.path.with_name("composer.json")
    try:
        with path.open("rb") as fh:
            data = json.loads(fh.read(_MANIFEST_LIMIT).decode("utf-8-sig"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as e:
        result.warn(Msg.INVALID_ENTRY, Location(_rel(source)), f"unreadable: {e}")
        return None
    return data if isinstance(data, dict) else None


def _rel(source: Source) -> str:
    parent = str(PurePosixPath(source.rel).parent)
    return "composer.json" if parent == "." else f"{parent}/composer.json"


def _direct_names(manifest: dict[str, object]) -> frozenset[str]:
    return frozenset(_keys(manifest.get("require")) + _keys(manifest.get("require-dev")))


def _project(source: Source, manifest: dict[str, object]) -> Component | None:
    name = _str(manifest.get("name"))
    if name is None:
        return None
    try:
        return make_component(
            "composer",
            name,
            _str(manifest.get("version")),
            type=ComponentType.APPLICATION,
            licenses=tuple(_license(v) for v in _strs(manifest.get("license"))),
            description=_str(manifest.get("description")),
            locations=(Location(_rel(source)),),
        )
    except IdentityError:
        return None


def _project_edges(
    result: CatalogResult,
    root: str,
    made: dict[str, Component],
    provides: dict[str, list[str]],
    direct: frozenset[str],
) -> None:
    have = {(d.source, d.target) for d in result.dependencies}
    for name in sorted(direct):
        for t in _targets(name, made, provides):
            if (root, t) not in have and t != root:
                result.dependencies.append(Dependency(root, t))

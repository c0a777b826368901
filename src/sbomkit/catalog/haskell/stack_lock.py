"""stack.yaml.lock: the exact packages Stack resolved beyond the snapshot.

``packages`` lists ``{original, completed}`` pairs. Hackage entries read
``name-1.2.3@sha256:<hex>,<size>``: the digest is of the cabal file revision, not of the
tarball, so it is a property, never a hash. Git and archive entries name their package in
``completed``. Snapshots (the resolver) describe a package set, not packages: skipped.
"""

from __future__ import annotations

import re
from typing import ClassVar, NamedTuple

from sbomkit.catalog.decode import as_str, clip
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.yaml_doc import as_map, load_yaml
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, Location

PROP_SOURCE = "sbomkit:source"
PROP_CABAL_SHA = "sbomkit:cabal-revision-sha256"
PROP_SUBDIR = "sbomkit:subdir"

# name-1.2.3[@sha256:<hex>,<size> | @rev:<n>]
_HACKAGE = re.compile(
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9-]*?)-(?P<version>\d+(?:\.\d+)*)"
    r"(?:@sha256:(?P<sha>[0-9a-fA-F]{64})(?:,\d+)?|@rev:\d+)?"
)


class _Entry(NamedTuple):
    name: str | None
    version: str | None
    line: int | None
    kind: str  # "hackage", "git", "hg", "url"
    source_url: str | None
    props: tuple[tuple[str, str], ...]


class StackLockCataloger:
    name: ClassVar[str] = "haskell-stack-lock"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        doc = load_yaml(source, text, key_depth=1)
        packages = doc.root.get("packages")
        if "packages" not in doc.root and "snapshots" not in doc.root:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no packages or snapshots")
        if packages is None:
            packages = []
        if not isinstance(packages, list):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "'packages' is not a list")
        lines = _item_lines(text, doc.lines.get(("packages",)), len(packages))
        result = CatalogResult()
        seen: dict[tuple[str, str | None], int | None] = {}
        for raw, line in zip(packages, lines, strict=True):
            entry = _entry(raw, line)
            if entry is None:
                result.warn(Msg.INVALID_ENTRY, source.at(line), clip(repr(raw)))
            else:
                _add(source, result, entry, seen)
        return result


def _item_lines(text: str, start: int | None, count: int) -> list[int | None]:
    """Line of each ``- `` item under ``packages:`` (Stack writes them at column 0)."""
    found: list[int | None] = []
    if start is not None and count:
        for number, line in enumerate(text.splitlines()[start:], start + 1):
            if line.startswith("- "):
                found.append(number)
            elif line[:1] not in ("", " ", "#", "-"):
                break  # the next top-level key
    return found if len(found) == count else [None] * count


def _entry(raw: object, line: int | None) -> _Entry | None:
    item = as_map(raw)
    original, completed = item.get("original"), as_map(item.get("completed"))
    if not isinstance(original, dict):
        return None
    hackage = as_str(completed.get("hackage")) or as_str(original.get("hackage"))
    if hackage is not None:
        m = _HACKAGE.fullmatch(hackage)
        if m is None:
            return _Entry(None, None, line, "hackage", None, (("sbomkit:hackage", hackage),))
        sha = m.group("sha")
        props = ((PROP_CABAL_SHA, sha.lower()),) if sha else ()
        return _Entry(m.group("name"), m.group("version"), line, "hackage", None, props)
    name, version = as_str(completed.get("name")), as_str(completed.get("version"))
    subdir = as_str(original.get("subdir")) or as_str(completed.get("subdir"))
    props = ((PROP_SUBDIR, subdir),) if subdir else ()
    for kind in ("git", "hg"):
        repo = as_str(original.get(kind)) or as_str(completed.get(kind))
        if repo is not None:
            commit = as_str(original.get("commit")) or as_str(completed.get("commit"))
            url = f"{kind}+{repo}@{commit}" if commit else f"{kind}+{repo}"
            return _Entry(name, version, line, kind, url, props)
    archive = as_str(original.get("url")) or as_str(original.get("archive"))
    if archive is not None:
        return _Entry(name, version, line, "url", archive, props)
    return None


def _add(
    source: Source,
    result: CatalogResult,
    e: _Entry,
    seen: dict[tuple[str, str | None], int | None],
) -> None:
    where = source.at(e.line)
    if e.name is None:
        what = e.source_url or dict(e.props).get("sbomkit:hackage", "")
        result.warn(Msg.MISSING_NAME, where, clip(f"{e.kind} package {what}".strip()))
        return
    key = (e.name, e.version)
    if key in seen:
        first = seen[key]
        detail = f"{e.name} {e.version or ''}".strip() + f", first at line {first}"
        result.warn(Msg.DUPLICATE_ENTRY, where, detail)
        return
    seen[key] = e.line
    if e.version is None:
        result.warn(Msg.NON_REGISTRY_SOURCE, where, f"{e.name} from {e.kind}; no version")
    props = e.props if e.kind == "hackage" else ((PROP_SOURCE, e.kind), *e.props)
    c = _component(e, where, props, result)
    if c is not None:
        result.components.append(c)


def _component(
    e: _Entry, where: Location, props: tuple[tuple[str, str], ...], result: CatalogResult
) -> Component | None:
    try:
        return make_component(
            "hackage",
            e.name or "",
            e.version,
            locations=(where,),
            source_url=e.source_url,
            properties=tuple(sorted(props)),
        )
    except IdentityError as err:
        result.warn(Msg.INVALID_ENTRY, where, err.detail)
        return None

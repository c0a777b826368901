"""cabal.project.freeze: the ``constraints:`` field that ``cabal freeze`` writes.

Each constraint is ``<qualifier>.<package> <rule>``: ``any.aeson ==2.2.1.0`` pins a
version, ``aeson -cffi +ordered-keymap`` sets flags (kept as a property of the pinned
package) and ``any.base installed`` says to use the GHC boot package. ``setup.`` qualified
constraints are for Setup.hs builds: dev scope. The file has no dependency graph.
"""

from __future__ import annotations

import re
from typing import ClassVar, NamedTuple

from sbomkit.catalog.decode import clip
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, Scope

PROP_FLAGS = "sbomkit:cabal-flags"
PROP_BOOT = "sbomkit:ghc-boot"

_FIELD = re.compile(r"([A-Za-z][A-Za-z0-9-]*)\s*:(.*)")
_STANZA = re.compile(r"(package|source-repository-package|program-options|repository)\b")
_CONSTRAINT = re.compile(
    r"(?:(?:[A-Za-z0-9-]+:)?(any|setup|test|exe)\.)?([A-Za-z0-9][A-Za-z0-9-]*)\s*(.*)"
)
_PIN = re.compile(r"==\s*(\d+(?:\.\d+)*)")
_FLAGS = re.compile(r"[+-]\w[\w-]*(?:\s+[+-]\w[\w-]*)*")


_RANK = {Scope.REQUIRED: 0, Scope.DEV: 1}


class _Entry(NamedTuple):
    text: str
    line: int


class _Pin(NamedTuple):
    name: str
    version: str | None
    line: int
    scope: Scope
    boot: bool


class CabalFreezeCataloger:
    name: ClassVar[str] = "haskell-cabal-freeze"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        if not text.strip():
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        entries = _constraints(source, text)
        result = CatalogResult()
        pins: list[_Pin] = []
        flags: dict[str, list[str]] = {}
        for e in entries:
            pin = _parse(source, result, e, flags)
            if pin is not None:
                pins.append(pin)
        boot = {p.name for p in pins if p.boot}
        pinned = {p.name for p in pins if not p.boot}
        groups: dict[tuple[str, str | None], list[_Pin]] = {}
        for p in pins:
            if p.boot and p.name in pinned:
                continue  # the version pin carries the boot property
            group = groups.setdefault((p.name, p.version), [])
            first = next((q for q in group if q.scope is p.scope), None)
            if first is not None:
                detail = f"{p.name} {p.version or 'installed'}, first at line {first.line}"
                result.warn(Msg.DUPLICATE_ENTRY, source.at(p.line), detail)
            else:
                group.append(p)
        for group in groups.values():  # any.X and setup.X pinned alike: one component
            c = _component(source, result, group, flags.get(group[0].name, []), boot)
            if c is not None:
                result.components.append(c)
        result.diagnostics.sort(key=lambda d: d.location.line or 0)
        return result


def _constraints(source: Source, text: str) -> list[_Entry]:
    """The comma-separated items of every ``constraints:`` field, with their lines."""
    items: list[_Entry] = []
    field: str | None = None
    found = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("--"):
            continue
        if line[0] in " \t":
            if field == "constraints":
                items.extend(_split(line, number))
            continue
        m = _FIELD.fullmatch(line)
        if m is None:
            if _STANZA.match(line):
                field = None
                continue
            raise CatalogError(
                Msg.WRONG_FORMAT, source.rel, f"line {number}: not a cabal field: {clip(line, 60)}"
            )
        field = m.group(1).lower()
        if field == "constraints":
            found = True
            items.extend(_split(m.group(2), number))
    if not found:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no constraints field")
    return items


def _split(text: str, line: int) -> list[_Entry]:
    return [_Entry(part.strip(), line) for part in text.split(",") if part.strip()]


def _parse(
    source: Source, result: CatalogResult, e: _Entry, flags: dict[str, list[str]]
) -> _Pin | None:
    m = _CONSTRAINT.fullmatch(e.text)
    if m is None:
        result.warn(Msg.INVALID_ENTRY, source.at(e.line), clip(e.text))
        return None
    qualifier, name, rule = m.group(1), m.group(2), m.group(3).strip()
    scope = Scope.DEV if qualifier == "setup" else Scope.REQUIRED
    if (pin := _PIN.fullmatch(rule)) is not None:
        return _Pin(name, pin.group(1), e.line, scope, False)
    if rule == "installed":
        return _Pin(name, None, e.line, scope, True)
    if _FLAGS.fullmatch(rule):
        flags.setdefault(name, []).extend(rule.split())
        return None
    if rule in ("source", "test", "bench", "stanzas"):
        return None
    if not rule:
        result.warn(Msg.MISSING_VERSION, source.at(e.line), f"{name}; skipped")
    else:
        result.warn(Msg.UNPINNED, source.at(e.line), clip(f"{name} {rule}"))
    return None


def _component(
    source: Source, result: CatalogResult, group: list[_Pin], flags: list[str], boot: set[str]
) -> Component | None:
    p = group[0]
    props: list[tuple[str, str]] = []
    if flags:
        props.append((PROP_FLAGS, " ".join(flags)))
    if p.name in boot:
        props.append((PROP_BOOT, "true"))
    if p.version is None:
        detail = f"{p.name} installed (GHC boot package); no version"
        result.warn(Msg.UNPINNED, source.at(p.line), detail)
    try:
        return make_component(
            "hackage",
            p.name,
            p.version,
            scope=min((q.scope for q in group), key=_RANK.__getitem__),
            locations=tuple(source.at(q.line) for q in group),
            properties=tuple(props),
        )
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, source.at(p.line), e.detail)
        return None

"""What changed between two inventories of one product.

A package's identity is its purl without the version (type, namespace, name, qualifiers,
subpath), or ``ecosystem:name`` when it has no purl. Versions of one identity found on both
sides are unchanged; the remaining ones are paired in version order (upgrade, downgrade or,
when the order cannot be told, a version change) and any left over are added or removed.
Licenses and suppliers are compared for every pair, hashes only when the version is the
same (a new version has new digests by nature).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, TypeVar

from packaging.version import InvalidVersion, Version

from sbomkit.i18n import Msg, render
from sbomkit.model import Component, Inventory

_TOKEN = re.compile(r"\d+|[A-Za-z]+")
_T = TypeVar("_T", int, str)


@dataclass(frozen=True, slots=True)
class Entry:
    identity: str
    name: str
    version: str | None


@dataclass(frozen=True, slots=True)
class VersionChange:
    identity: str
    name: str
    old: str | None
    new: str | None
    change: str  # "upgraded", "downgraded" or "changed" (order unknown)


@dataclass(frozen=True, slots=True)
class FactChange:
    identity: str
    name: str
    version: str | None  # the new side's
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Diff:
    added: tuple[Entry, ...] = ()
    removed: tuple[Entry, ...] = ()
    versions: tuple[VersionChange, ...] = ()
    licenses: tuple[FactChange, ...] = ()
    suppliers: tuple[FactChange, ...] = ()
    hashes: tuple[FactChange, ...] = ()

    def summary(self) -> dict[str, int]:
        changes = [v.change for v in self.versions]
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "upgraded": changes.count("upgraded"),
            "downgraded": changes.count("downgraded"),
            "changed": changes.count("changed"),
            "licenses": len(self.licenses),
            "suppliers": len(self.suppliers),
            "hashes": len(self.hashes),
        }

    @property
    def empty(self) -> bool:
        return not any(self.summary().values())


def identity(c: Component) -> str:
    """``pkg:npm/left-pad?arch=x`` for ``pkg:npm/left-pad@1.3.0?arch=x``; else eco:name."""
    if c.purl is None:
        return f"{c.ecosystem}:{c.name}"
    ref = c.ref  # the canonical purl: '@' before the version is never escaped elsewhere
    cut = min((i for i in (ref.find("?"), ref.find("#")) if i >= 0), default=len(ref))
    base, at, _ = ref[:cut].rpartition("@")
    return (base if at and "/" in base else ref[:cut]) + ref[cut:]


def compare_versions(ecosystem: str, old: str, new: str) -> int | None:
    """-1, 0 or 1; None when the two cannot be ordered.

    PyPI uses PEP 440 (packaging). Everything else uses a natural order: runs of digits
    compare as numbers, runs of letters as text, and a run of digits against letters, or a
    longer version whose extra part starts with letters (``1.0-beta`` against ``1.0``), is
    not ordered rather than guessed.
    """
    if ecosystem == "pypi":
        try:
            a, b = Version(old), Version(new)
        except InvalidVersion:
            return None
        return (a > b) - (a < b)
    return _natural(_TOKEN.findall(old), _TOKEN.findall(new))


def _natural(a: list[str], b: list[str]) -> int | None:
    for x, y in zip(a, b, strict=False):
        if x.isdigit() != y.isdigit():
            return None
        order = _cmp(int(x), int(y)) if x.isdigit() else _cmp(x, y)
        if order:
            return order
    rest = a[len(b) :] or b[len(a) :]
    if not rest:
        return 0
    if not rest[0].isdigit():
        return None
    return 1 if len(a) > len(b) else -1


def _cmp(a: _T, b: _T) -> int:
    return (a > b) - (a < b)


def _sort_key(version: str | None) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        (0, int(t), "") if t.isdigit() else (1, 0, t) for t in _TOKEN.findall(version or "")
    )


def diff(old: Inventory, new: Inventory) -> Diff:
    before, after = _by_identity(old), _by_identity(new)
    out: dict[str, list[Any]] = defaultdict(list)
    for ident in sorted(before.keys() | after.keys()):
        olds, news = before.get(ident, {}), after.get(ident, {})
        for version in sorted(olds.keys() & news.keys(), key=_sort_key):
            _facts(out, olds[version], news[version], hashes=True)
        gone = sorted(olds.keys() - news.keys(), key=_sort_key)
        came = sorted(news.keys() - olds.keys(), key=_sort_key)
        for o, n in zip(gone, came, strict=False):
            _facts(out, olds[o], news[n], hashes=False)
            out["versions"].append(_version_change(ident, olds[o], news[n]))
        out["removed"] += [_entry(ident, olds[v]) for v in gone[len(came) :]]
        out["added"] += [_entry(ident, news[v]) for v in came[len(gone) :]]
    return Diff(**{k: tuple(v) for k, v in out.items()})


def _by_identity(inv: Inventory) -> dict[str, dict[str | None, Component]]:
    found: dict[str, dict[str | None, Component]] = defaultdict(dict)
    primary = [inv.metadata.primary] if inv.metadata.primary else []
    for c in (*primary, *inv.components):
        found[identity(c)].setdefault(c.version, c)
    return found


def _entry(ident: str, c: Component) -> Entry:
    return Entry(ident, c.name, c.version)


def _version_change(ident: str, old: Component, new: Component) -> VersionChange:
    order = None
    if old.version and new.version:
        order = compare_versions(new.ecosystem, old.version, new.version)
    change = {-1: "upgraded", 1: "downgraded"}.get(order or 0, "changed")
    return VersionChange(ident, new.name, old.version, new.version, change)


def _facts(out: dict[str, list[Any]], old: Component, new: Component, hashes: bool) -> None:
    ident = identity(new)
    pairs = [
        ("licenses", _licenses(old), _licenses(new)),
        ("suppliers", _supplier(old), _supplier(new)),
    ]
    if hashes:
        pairs.append(("hashes", _hashes(old), _hashes(new)))
    for key, a, b in pairs:
        if a != b:
            out[key].append(FactChange(ident, new.name, new.version, a, b))


def _licenses(c: Component) -> tuple[str, ...]:
    return tuple(sorted({lic.value for lic in c.licenses}))


def _supplier(c: Component) -> tuple[str, ...]:
    return (c.supplier,) if c.supplier else ()


def _hashes(c: Component) -> tuple[str, ...]:
    return tuple(sorted({f"{h.algorithm}:{h.value.lower()}" for h in c.hashes}))


def diff_document(result: Diff, old_name: str, new_name: str) -> dict[str, Any]:
    """The ``--format json`` output; its schema is in docs/convert-merge-diff.md."""

    def entry(e: Entry) -> dict[str, Any]:
        return {"identity": e.identity, "name": e.name, "version": e.version}

    def fact(f: FactChange, single: bool = False) -> dict[str, Any]:
        old: Any = (f.old[0] if f.old else None) if single else list(f.old)
        new: Any = (f.new[0] if f.new else None) if single else list(f.new)
        base = {"identity": f.identity, "name": f.name, "version": f.version}
        return {**base, "old": old, "new": new}

    return {
        "schema": "sbomkit-diff/1",
        "old": old_name,
        "new": new_name,
        "summary": result.summary(),
        "added": [entry(e) for e in result.added],
        "removed": [entry(e) for e in result.removed],
        "versions": [
            {"identity": v.identity, "name": v.name, "old": v.old, "new": v.new, "change": v.change}
            for v in result.versions
        ],
        "licenses": [fact(f) for f in result.licenses],
        "suppliers": [fact(f, single=True) for f in result.suppliers],
        "hashes": [fact(f) for f in result.hashes],
    }


_CHANGE_MSG = {
    "upgraded": Msg.CHANGE_UPGRADED,
    "downgraded": Msg.CHANGE_DOWNGRADED,
    "changed": Msg.CHANGE_VERSION,
}


def table_rows(result: Diff, lang: str) -> list[tuple[str, str, str, str]]:
    """(change, component, old, new) in the user's language, for the table view."""

    def t(code: Msg) -> str:
        return render(code, lang)

    rows = [(t(Msg.CHANGE_ADDED), e.identity, "", e.version or "") for e in result.added]
    rows += [(t(Msg.CHANGE_REMOVED), e.identity, e.version or "", "") for e in result.removed]
    rows += [
        (t(_CHANGE_MSG[v.change]), v.identity, v.old or "", v.new or "") for v in result.versions
    ]
    for code, facts in (
        (Msg.CHANGE_LICENSES, result.licenses),
        (Msg.CHANGE_SUPPLIER, result.suppliers),
        (Msg.CHANGE_HASHES, result.hashes),
    ):
        rows += [
            (t(code), f"{f.identity}@{f.version or ''}", ", ".join(f.old), ", ".join(f.new))
            for f in facts
        ]
    return rows

"""OSV ``affected[]`` evaluation: is this version affected, and by which range or entry?

Follows the schema's ``IsVulnerable`` pseudocode: a version is affected when it is listed
in ``versions`` or lies in any range. Within a range the events are sorted by version
(``introduced: "0"`` first, ``limit: "*"`` last; on a tie ``introduced`` comes first) and
walked in order; ``limit`` events bound the range from above. GIT ranges need the
repository and are skipped with a note. A range whose versions cannot be ordered gives
an UNKNOWN outcome with the reason instead of a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple, TypeVar

from sbomkit.versions.interface import VersionError, VersionKey, VersionScheme
from sbomkit.versions.registry import range_scheme, scheme_for

EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")
_TIE_ORDER = {"introduced": 0, "last_affected": 1, "fixed": 1, "limit": 2}


class Outcome(StrEnum):
    AFFECTED = "affected"
    NOT_AFFECTED = "not-affected"
    UNKNOWN = "unknown"


class Event(NamedTuple):
    """One event; a named tuple so that hashing it (for the sort cache) runs in C."""

    kind: str  # one of EVENT_KINDS
    version: str

    def __str__(self) -> str:
        return f"{self.kind} {self.version}"


class Range(NamedTuple):
    type: str  # ECOSYSTEM, SEMVER or GIT
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class Affected:
    """One OSV ``affected[]`` entry, decoded."""

    ecosystem: str
    name: str
    ranges: tuple[Range, ...] = ()
    versions: tuple[str, ...] = ()


class Verdict(NamedTuple):
    """The answer with its provenance.

    ``range_index`` and ``events`` name the range and the events that bracket the version
    (``introduced 0, fixed 2.4.1``); ``listed`` is the ``versions`` entry that matched;
    ``notes`` tell what was skipped or could not be evaluated.
    """

    outcome: Outcome
    range_index: int | None = None
    events: tuple[Event, ...] = ()
    listed: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def affected(self) -> bool:
        return self.outcome is Outcome.AFFECTED

    def explain(self) -> str:
        if self.listed is not None:
            return f"listed in versions: {self.listed}"
        if self.range_index is not None:
            return f"range {self.range_index}: " + ", ".join(map(str, self.events))
        return "; ".join(self.notes)


class ShapeError(ValueError):
    """An ``affected[]`` entry that does not have OSV's shape."""


def affected_from_json(obj: Mapping[str, object]) -> Affected:
    """Decode one ``affected[]`` object; :class:`ShapeError` names the bad field."""
    package = obj.get("package", {})  # may be absent when the ranges are GIT only
    if not isinstance(package, Mapping):
        raise ShapeError("affected[].package: expected an object")
    ecosystem, name = package.get("ecosystem", ""), package.get("name", "")
    if not isinstance(ecosystem, str) or not isinstance(name, str):
        raise ShapeError("affected[].package: ecosystem and name must be strings")
    raw_ranges, raw_versions = obj.get("ranges", []), obj.get("versions", [])
    if not isinstance(raw_ranges, list):
        raise ShapeError("affected[].ranges: expected a list")
    if not isinstance(raw_versions, list) or not all(isinstance(v, str) for v in raw_versions):
        raise ShapeError("affected[].versions: expected a list of strings")
    ranges = tuple(_range_from_json(i, r) for i, r in enumerate(raw_ranges))
    return Affected(ecosystem, name, ranges, tuple(raw_versions))


def _range_from_json(index: int, obj: object) -> Range:
    where = f"affected[].ranges[{index}]"
    if not isinstance(obj, Mapping) or not isinstance(obj.get("type"), str):
        raise ShapeError(f"{where}: expected an object with a type")
    raw_events = obj.get("events")
    if not isinstance(raw_events, list):
        raise ShapeError(f"{where}.events: expected a list")
    events = []
    for e in raw_events:
        if not isinstance(e, Mapping) or len(e) != 1:
            raise ShapeError(f"{where}.events: each event must have exactly one field")
        ((kind, version),) = e.items()
        if kind not in EVENT_KINDS or not isinstance(version, str):
            raise ShapeError(f"{where}.events: unknown event {kind!r}")
        events.append(Event(kind, version))
    return Range(obj["type"], tuple(events))


_Keyed = tuple[tuple[int, VersionKey | None], Event]  # ((rank, key), event); rank 0/2 = 0/*


def _event_key(scheme: type[VersionScheme], event: Event) -> tuple[int, VersionKey | None]:
    if event.kind == "introduced" and event.version == "0":
        return (0, None)
    if event.kind == "limit" and event.version == "*":
        return (2, None)
    return (1, scheme.key(event.version))


_K = TypeVar("_K")
_V = TypeVar("_V")
_CACHE_LIMIT = 1 << 15
_SORTED: dict[tuple[type[VersionScheme], tuple[Event, ...]], tuple[_Keyed, ...]] = {}
_LISTED: dict[tuple[type[VersionScheme], tuple[str, ...]], dict[object, str]] = {}


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> _V:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()  # simple bound; the matcher's working set is far smaller
    cache[key] = value
    return value


def _sorted_events(scheme: type[VersionScheme], events: tuple[Event, ...]) -> tuple[_Keyed, ...]:
    """Events with their keys, in evaluation order; cached per (scheme, events)."""
    found = _SORTED.get((scheme, events))
    if found is not None:
        return found
    keyed = [(_event_key(scheme, e), e) for e in events]
    middle = sorted(
        (k for k in keyed if k[0][0] == 1), key=lambda k: (k[0][1], _TIE_ORDER[k[1].kind])
    )
    ordered = (*(k for k in keyed if k[0][0] == 0), *middle, *(k for k in keyed if k[0][0] == 2))
    return _remember(_SORTED, (scheme, events), ordered)


def _passed(v: VersionKey, event: _Keyed) -> bool:
    """Has ``v`` reached the event (``>=``; strictly past it for ``last_affected``)?"""
    (rank, key), e = event
    if key is None:
        return rank == 0
    return v > key if e.kind == "last_affected" else v >= key


def _in_limits(v: VersionKey, events: tuple[_Keyed, ...]) -> bool:
    limits = [ek for ek, e in events if e.kind == "limit"]
    return not limits or any(key is None or v < key for rank, key in limits if rank != 0)


def _in_range(v: VersionKey, events: tuple[_Keyed, ...]) -> tuple[bool, tuple[Event, ...]]:
    """The pseudocode's loop; also returns the events that bracket ``v``."""
    if not _in_limits(v, events):
        return False, tuple(e for _, e in events if e.kind == "limit")
    vulnerable = False
    opened: Event | None = None
    closed: Event | None = None
    above: Event | None = None  # first introduced above v, when v is below every range
    for keyed in events:
        e = keyed[1]
        if e.kind == "limit":
            continue
        passed = _passed(v, keyed)
        if e.kind == "introduced":
            if passed:
                vulnerable, opened, closed = True, e, None
            elif opened is None and above is None:
                above = e
        elif passed:
            vulnerable, closed = False, e
        elif closed is None and opened is not None:
            closed = e
    if opened is None:
        return False, (above,) if above else ()
    return vulnerable, (opened, closed) if closed else (opened,)


def _listed(entry: Affected, version: str) -> str | None:
    if version in entry.versions:
        return version
    scheme = scheme_for(entry.ecosystem)
    if scheme is None or not entry.versions:
        return None
    try:
        key = scheme.key(version)
    except VersionError:
        return None
    return _listed_keys(scheme, entry.versions).get(key)


def _listed_keys(scheme: type[VersionScheme], versions: tuple[str, ...]) -> dict[object, str]:
    """Listed versions by key, so ``1.0`` finds a listed ``1.0.0`` where they are equal."""
    found = _LISTED.get((scheme, versions))
    if found is not None:
        return found
    out: dict[object, str] = {}
    for v in versions:
        try:
            out.setdefault(scheme.key(v), v)
        except VersionError:
            continue  # a listed version of another syntax (a git tag) matches only as text
    return _remember(_LISTED, (scheme, versions), out)


def evaluate(entry: Affected, version: str, *, use_versions: bool = True) -> Verdict:
    """Is ``version`` of the entry's package affected? With provenance and notes.

    ``use_versions=False`` evaluates the ranges alone (used to check data consistency).
    """
    if use_versions and (hit := _listed(entry, version)) is not None:
        return Verdict(Outcome.AFFECTED, listed=hit)
    notes: list[str] = []
    unknown = False
    last_bracket: tuple[int, tuple[Event, ...]] | None = None
    for index, rng in enumerate(entry.ranges):
        if rng.type == "GIT":
            notes.append(f"range {index}: GIT range skipped (commit ranges need the repository)")
            continue
        scheme = range_scheme(rng.type, entry.ecosystem)
        if scheme is None:
            unknown = True
            notes.append(f"range {index}: no version order for {rng.type} in {entry.ecosystem}")
            continue
        try:
            v = scheme.key(version)
            events = _sorted_events(scheme, rng.events)
        except VersionError as e:
            unknown = True
            notes.append(f"range {index}: {e}")
            continue
        inside, bracket = _in_range(v, events)
        if inside:
            return Verdict(Outcome.AFFECTED, index, bracket, notes=tuple(notes))
        if last_bracket is None:
            last_bracket = (index, bracket)
    if unknown:
        return Verdict(Outcome.UNKNOWN, notes=tuple(notes))
    if last_bracket is None:
        return Verdict(Outcome.NOT_AFFECTED, notes=tuple(notes))
    return Verdict(Outcome.NOT_AFFECTED, last_bracket[0], last_bracket[1], notes=tuple(notes))


def fixed_versions(entry: Affected, version: str) -> tuple[str, ...]:
    """``fixed`` versions above ``version`` that the entry does not affect, lowest first."""
    found: list[tuple[VersionKey, str]] = []
    for rng in entry.ranges:
        scheme = range_scheme(rng.type, entry.ecosystem)
        if scheme is None:
            continue
        try:
            v = scheme.key(version)
            fixes = [(scheme.key(e.version), e.version) for e in rng.events if e.kind == "fixed"]
        except VersionError:
            continue
        found.extend(f for f in fixes if f[0] > v and not evaluate(entry, f[1]).affected)
    found.sort(key=lambda f: f[0])
    return tuple(dict.fromkeys(v for _, v in found))


def lowest_fix(entry: Affected, version: str) -> str | None:
    """The lowest version above ``version`` that fixes this entry, if any."""
    fixes = fixed_versions(entry, version)
    return fixes[0] if fixes else None

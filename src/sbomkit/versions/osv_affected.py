"""OSV ``affected[]`` evaluation: is this version affected, and by which range or entry?

Follows the schema's ``IsVulnerable`` pseudocode: a version is affected when it is listed
in ``versions`` or lies in any range. Within a range the events are sorted by version
(``introduced: "0"`` first, ``limit: "*"`` last; on a tie ``introduced`` comes first) and
walked in order; ``limit`` events bound the range from above. GIT ranges need the
repository and are skipped with a note. A range whose versions cannot be ordered gives
an UNKNOWN outcome with the reason instead of a guess.

A scan asks one entry about many versions (every component of the package, then each
candidate fix), so the work that does not depend on the version -- the scheme of each
range, its events sorted and keyed, the listed versions indexed, the fixes the entry
itself leaves unaffected -- is done once per entry, on first use, in a :class:`_Plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, TypeVar

from sbomkit.model import quick_init
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
    repo: str | None = None  # GIT ranges: the repository the commits belong to


@quick_init  # a scan makes one per candidate entry
@dataclass(frozen=True, slots=True)
class Affected:
    """One OSV ``affected[]`` entry, decoded."""

    ecosystem: str
    name: str
    ranges: tuple[Range, ...] = ()
    versions: tuple[str, ...] = ()
    # What evaluation derives from the entry alone, built on first use; not part of the
    # value (see _plan).
    _plan: _Plan | None = field(default=None, init=False, repr=False, compare=False)


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


def _event_key(scheme: type[VersionScheme], event: Event) -> tuple[int, VersionKey | None]:
    if event.kind == "introduced" and event.version == "0":
        return (0, None)
    if event.kind == "limit" and event.version == "*":
        return (2, None)
    return (1, scheme.key(event.version))


# A walk step: (key, code, event); key None only for ``introduced: "0"``;
# code 0 introduced, 1 last_affected, 2 anything else (fixed).
_Step = tuple[VersionKey | None, int, Event]
_CODES = {"introduced": 0, "last_affected": 1}


class _RangePlan(NamedTuple):
    """One range, ready to walk: its scheme and events, or why it cannot be walked."""

    scheme: type[VersionScheme] | None  # None: skipped, with ``note``
    note: str = ""  # why it is skipped: GIT, or no version order
    orderless: bool = False  # skipped for want of an order: the outcome is UNKNOWN
    error: VersionError | None = None  # an event version this scheme cannot order
    limits: tuple[VersionKey | None, ...] = ()  # limit keys; None for "*"
    limit_events: tuple[Event, ...] = ()
    steps: tuple[_Step, ...] = ()  # the other events, sorted
    # Its ``fixed`` versions outside the range itself, keyed and sorted: the fixes of an
    # entry that has only this range (most have), shared by the entries that share it.
    own_fixes: tuple[tuple[VersionKey, str], ...] = ()


_K = TypeVar("_K")
_V = TypeVar("_V")
_CACHE_LIMIT = 1 << 15
# Many entries share their events (one fix released for several packages or streams).
_WALKS: dict[tuple[type[VersionScheme], tuple[Event, ...]], _RangePlan] = {}


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> _V:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()  # simple bound; the matcher's working set is far smaller
    cache[key] = value
    return value


def _walk_plan(scheme: type[VersionScheme], events: tuple[Event, ...]) -> _RangePlan:
    """The range's events keyed, in evaluation order; cached per (scheme, events)."""
    found = _WALKS.get((scheme, events))
    if found is not None:
        return found
    if len(events) == 2 and events[0].kind == "introduced" and events[1].kind == "fixed":
        plan = _introduced_fixed(scheme, events[0], events[1])
    else:
        plan = _sorted_plan(scheme, events)
    return _remember(_WALKS, (scheme, events), plan)


def _introduced_fixed(scheme: type[VersionScheme], introduced: Event, fixed: Event) -> _RangePlan:
    """:func:`_sorted_plan` of the commonest range, ``introduced X, fixed Y`` (four in five
    of a scan's), worked out directly: the steps in key order (introduced first on a tie)
    and the fix its own, as it lies outside the range whatever X is."""
    if introduced.version == "0":
        first: _Step = (None, 0, introduced)
        k_fixed = scheme.key(fixed.version)
        steps = (first, (k_fixed, 2, fixed))
    else:
        k_introduced = scheme.key(introduced.version)  # keyed first, as _sorted_plan does
        k_fixed = scheme.key(fixed.version)
        first, second = (k_introduced, 0, introduced), (k_fixed, 2, fixed)
        steps = (first, second) if k_introduced <= k_fixed else (second, first)
    return _RangePlan(scheme, steps=steps, own_fixes=((k_fixed, fixed.version),))


def _sorted_plan(scheme: type[VersionScheme], events: tuple[Event, ...]) -> _RangePlan:
    keyed = [(_event_key(scheme, e), e) for e in events]
    middle = sorted(
        (k for k in keyed if k[0][0] == 1), key=lambda k: (k[0][1], _TIE_ORDER[k[1].kind])
    )
    ordered = (*(k for k in keyed if k[0][0] == 0), *middle, *(k for k in keyed if k[0][0] == 2))
    plan = _RangePlan(
        scheme,
        limits=tuple(key for (_, key), e in ordered if e.kind == "limit"),
        limit_events=tuple(e for _, e in ordered if e.kind == "limit"),
        steps=tuple(
            (key, _CODES.get(e.kind, 2), e) for (_, key), e in ordered if e.kind != "limit"
        ),
    )
    fixes = [(scheme.key(e.version), e.version) for e in events if e.kind == "fixed"]
    own = sorted(((k, v) for k, v in fixes if not _in_range(k, plan)[0]), key=lambda f: f[0])
    return plan._replace(own_fixes=tuple(own))


def _range_plan(index: int, rng: Range, ecosystem: str) -> _RangePlan:
    if rng.type == "GIT":
        note = f"range {index}: GIT range skipped (commit ranges need the repository)"
        return _RangePlan(None, note)
    scheme = range_scheme(rng.type, ecosystem)
    if scheme is None:
        note = f"range {index}: no version order for {rng.type} in {ecosystem}"
        return _RangePlan(None, note, orderless=True)
    try:
        return _walk_plan(scheme, rng.events)
    except VersionError as e:
        return _RangePlan(scheme, error=e)


class _Plan:
    """What evaluating one entry needs that does not depend on the version asked about.

    It follows from (ecosystem, ranges, versions) alone, so entries equal in those share
    one plan: an erratum names each binary package with the same fix.
    """

    __slots__ = (
        "by_canonical", "fixes", "list_scheme", "listed_keys", "listed_text", "ranges",
        "versions",
    )  # fmt: skip

    def __init__(
        self, ecosystem: str, ranges: tuple[Range, ...], versions: tuple[str, ...]
    ) -> None:
        self.versions = versions
        self.listed_text = frozenset(versions)
        # Listed versions by key and by canonical text: built when first needed.
        self.listed_keys: dict[object, str] | None = None
        self.by_canonical: dict[str | None, str] | None = None
        self.list_scheme = scheme_for(ecosystem)
        self.ranges = tuple(_range_plan(i, r, ecosystem) for i, r in enumerate(ranges))
        self.fixes: _Fixes | None = None  # built when first needed (_fixes)

    def listed(self, version: str) -> str | None:
        """The listed version equal to ``version`` (the first listed, of equal ones)."""
        if version in self.listed_text:
            return version
        scheme = self.list_scheme
        if scheme is None or not self.listed_text:
            return None
        canonical = scheme.canonical(version)
        if canonical is not None:
            # Equal to exactly the listed versions of the same canonical text: a lookup by
            # text, which spares keying the list (a PYSEC record lists hundreds).
            if self.by_canonical is None:
                self.by_canonical = _by_canonical(scheme, self.versions)
            return self.by_canonical.get(canonical)
        try:
            key = scheme.key(version)
        except VersionError:
            return None
        if self.listed_keys is None:
            self.listed_keys = _listed_keys(scheme, self.versions)
        return self.listed_keys.get(key)


def _by_canonical(scheme: type[VersionScheme], versions: tuple[str, ...]) -> dict[str | None, str]:
    """Listed versions by canonical text, the first listed of equal ones kept; one
    C-level pass, the versions without a canonical text dropped at the end."""
    backwards = versions[::-1]
    found: dict[str | None, str] = dict(
        zip(map(scheme.canonical, backwards), backwards, strict=True)
    )
    found.pop(None, None)
    return found


def _listed_keys(scheme: type[VersionScheme], versions: tuple[str, ...]) -> dict[object, str]:
    """Listed versions by key, so ``1.0`` finds a listed ``1.0.0`` where they are equal.

    The first of equal versions wins. PYSEC records list hundreds of versions, so the
    usual case (all valid) runs as one C-level pass; a list with an invalid version (a
    git tag, which then matches only as text) takes the loop.
    """
    backwards = versions[::-1]  # so that, of equal keys, the first listed is kept
    try:
        return dict(zip(map(scheme.key, backwards), backwards, strict=True))
    except VersionError:
        pass
    out: dict[object, str] = {}
    for v in versions:
        try:
            out.setdefault(scheme.key(v), v)
        except VersionError:
            continue
    return out


_PLANS: dict[tuple[str, tuple[Range, ...], tuple[str, ...]], _Plan] = {}
#: What :func:`with_plan` takes: the plan of an entry, opaque outside this module.
Plan = _Plan


def plan_for(ecosystem: str, ranges: tuple[Range, ...], versions: tuple[str, ...]) -> Plan:
    """The plan shared by the entries equal in (ecosystem, ranges, versions)."""
    key = (ecosystem, ranges, versions)
    return _PLANS.get(key) or _remember(_PLANS, key, _Plan(*key))


def _plan(entry: Affected) -> _Plan:
    plan = entry._plan
    if plan is None:
        plan = plan_for(entry.ecosystem, entry.ranges, entry.versions)
        # The entry is frozen as a value; its plan is a cache of what follows from it.
        object.__setattr__(entry, "_plan", plan)
    return plan


_SET_PLAN = Affected.__dict__["_plan"].__set__


def with_plan(
    ecosystem: str, name: str, ranges: tuple[Range, ...], versions: tuple[str, ...], plan: Plan
) -> Affected:
    """``Affected(ecosystem, name, ranges, versions)`` with ``plan`` (which must be
    ``plan_for(ecosystem, ranges, versions)``) already attached."""
    entry = Affected(ecosystem, name, ranges, versions)
    _SET_PLAN(entry, plan)
    return entry


def _in_range(v: VersionKey, rp: _RangePlan) -> tuple[bool, tuple[Event, ...]]:
    """The pseudocode's loop; also returns the events that bracket ``v``.

    ``>=`` reaches an event, strictly past it for ``last_affected``; ``limit`` events
    bound the range from above.
    """
    if rp.limits and not any(key is None or v < key for key in rp.limits):
        return False, rp.limit_events
    vulnerable = False
    opened: Event | None = None
    closed: Event | None = None
    above: Event | None = None  # first introduced above v, when v is below every range
    for key, code, e in rp.steps:
        if code == 0:
            if key is None or v >= key:
                vulnerable, opened, closed = True, e, None
            elif opened is None and above is None:
                above = e
        elif v > key if code == 1 else v >= key:
            vulnerable, closed = False, e
        elif closed is None and opened is not None:
            closed = e
    if opened is None:
        return False, (above,) if above else ()
    return vulnerable, (opened, closed) if closed else (opened,)


_AFFECTED = Outcome.AFFECTED
_new_tuple = tuple.__new__


def evaluate(entry: Affected, version: str, *, use_versions: bool = True) -> Verdict:
    """Is ``version`` of the entry's package affected? With provenance and notes.

    ``use_versions=False`` evaluates the ranges alone (used to check data consistency).
    """
    plan = entry._plan or _plan(entry)
    if use_versions and plan.listed_text and (hit := plan.listed(version)) is not None:
        return _new_tuple(Verdict, (_AFFECTED, None, (), hit, ()))
    notes: list[str] = []
    unknown = False
    last_bracket: tuple[int, tuple[Event, ...]] | None = None
    for index, rp in enumerate(plan.ranges):
        scheme = rp.scheme
        if scheme is None:
            unknown = unknown or rp.orderless
            notes.append(rp.note)
            continue
        try:
            v = scheme.key(version)
        except VersionError as e:
            unknown = True
            notes.append(f"range {index}: {e}")
            continue
        if rp.error is not None:
            unknown = True
            notes.append(f"range {index}: {rp.error}")
            continue
        inside, bracket = _in_range(v, rp)
        if inside:  # Verdict(...) without its Python-level __new__: the usual answer
            return _new_tuple(Verdict, (_AFFECTED, index, bracket, None, (*notes,)))
        if last_bracket is None:
            last_bracket = (index, bracket)
    if unknown:
        return Verdict(Outcome.UNKNOWN, notes=tuple(notes))
    if last_bracket is None:
        return Verdict(Outcome.NOT_AFFECTED, notes=tuple(notes))
    return Verdict(Outcome.NOT_AFFECTED, last_bracket[0], last_bracket[1], notes=tuple(notes))


def is_affected(entry: Affected, version: str) -> bool:
    """``evaluate(entry, version).affected``, without the provenance."""
    plan = entry._plan or _plan(entry)
    if plan.listed_text and plan.listed(version) is not None:
        return True
    for rp in plan.ranges:
        if rp.scheme is None or rp.error is not None:
            continue
        try:
            v = rp.scheme.key(version)
        except VersionError:
            continue
        if _in_range(v, rp)[0]:
            return True
    return False


def fixed_versions(entry: Affected, version: str) -> tuple[str, ...]:
    """``fixed`` versions above ``version`` that the entry does not affect, lowest first."""
    found: list[tuple[VersionKey, str]] = []
    for scheme, fixes in _fixes(entry):
        try:
            v = scheme.key(version)
        except VersionError:
            continue
        found.extend(f for f in fixes if f[0] > v)
    found.sort(key=lambda f: f[0])
    return tuple(dict.fromkeys(v for _, v in found))


def lowest_fix(entry: Affected, version: str) -> str | None:
    """The lowest version above ``version`` that fixes this entry, if any."""
    plan = entry._plan or _plan(entry)
    ranges = plan.fixes if plan.fixes is not None else _fixes(entry)
    if len(ranges) != 1:
        found = fixed_versions(entry, version)
        return found[0] if found else None
    scheme, fixes = ranges[0]  # the usual case: the first fix above the version
    try:
        v = scheme.key(version)
    except VersionError:
        return None
    for key, text in fixes:
        if key > v:
            return text
    return None


_Fixes = tuple[tuple[type[VersionScheme], tuple[tuple[VersionKey, str], ...]], ...]


def _fixes(entry: Affected) -> _Fixes:
    """Per range with any: its ``fixed`` versions that the whole entry leaves unaffected,
    keyed and sorted. A range without an order, or with a fix it cannot key, has none."""
    plan = _plan(entry)
    if plan.fixes is not None:
        return plan.fixes
    if len(plan.ranges) == 1 and not entry.versions:
        rp = plan.ranges[0]  # then "unaffected by the entry" is "outside this range"
        if rp.scheme is not None and rp.error is None:
            plan.fixes = ((rp.scheme, rp.own_fixes),) if rp.own_fixes else ()
            return plan.fixes
    out = []
    for rp, rng in zip(plan.ranges, entry.ranges, strict=True):
        if rp.scheme is None:
            continue
        try:
            keyed = [(rp.scheme.key(e.version), e.version) for e in rng.events if e.kind == "fixed"]
        except VersionError:
            continue
        fixes = sorted((f for f in keyed if not is_affected(entry, f[1])), key=lambda f: f[0])
        if fixes:
            out.append((rp.scheme, tuple(fixes)))
    plan.fixes = tuple(out)
    return plan.fixes

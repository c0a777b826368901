"""Components -> findings: one advisory query per ecosystem, then the OSV evaluation.

The store hands out every ``affected[]`` entry naming a component's package; the version
rules of :mod:`sbomkit.versions` decide which ones cover the component's version. Matches
of one component whose ids or aliases overlap become one finding.

A scan meets the same facts many times: several components of one package meet the same
entries, one bracket of a range (``introduced 0, fixed 2.4.1``) covers many versions, an
erratum repeats its rating on every binary package. Each such fact is worked out once per
scan (:class:`_Memo`) and shared by the matches and findings that state it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from sbomkit.db.interface import AffectedEntry, Range, SeverityVector
from sbomkit.db.store import AdvisoryStore
from sbomkit.i18n import Msg
from sbomkit.match.findings import Finding, Match, Rating
from sbomkit.match.fixes import common_fix
from sbomkit.match.osv_names import Lookup, lookup_for, release_applies
from sbomkit.match.severity import rate
from sbomkit.model import Component, Diagnostic, Location
from sbomkit.versions import VersionError, scheme_for
from sbomkit.versions.osv_affected import (
    Affected,
    Event,
    Outcome,
    Plan,
    Verdict,
    evaluate,
    lowest_fix,
    plan_for,
    with_plan,
)

_Hit = tuple[Match, AffectedEntry]
# (matched, range type, events): what a match says of its range or list entry
_Provenance = tuple[str, str | None, tuple[str, ...]]


class Matcher:
    """Matches components against one advisory store; keeps problems and notes."""

    def __init__(self, store: AdvisoryStore) -> None:
        self.store = store
        self.problems: list[Diagnostic] = []
        self.notes: list[str] = []
        self.matched = 0  # components looked up
        self._memo = _Memo()

    def match(self, components: Sequence[Component]) -> list[Finding]:
        by_query: dict[str, list[tuple[Component, Lookup]]] = defaultdict(list)
        for c in components:
            lookup = self._lookup(c)
            if lookup is not None:
                by_query[lookup.query].append((c, lookup))
        matches: dict[str, tuple[Component, list[_Hit]]] = {}
        for query in sorted(by_query):
            group = by_query[query]
            self.matched += len(group)
            found = self.store.candidates(query, {lk.name for _, lk in group})
            # Components of one package share its live entries, worked out once.
            live: dict[tuple[str, str | None], list[AffectedEntry]] = {}
            for c, lk in group:
                entries = live.get((lk.name, lk.release))
                if entries is None:
                    entries = _live(found.get(lk.name, ()), query, lk)
                    live[lk.name, lk.release] = entries
                hits = self._evaluate(c, lk, entries) if entries else None
                if hits:
                    matches.setdefault(c.ref, (c, []))[1].extend(hits)
        memo = self._memo
        findings = [f for c, hits in matches.values() for f in _group(c, hits, memo)]
        return self._flag_kev(findings)

    def _lookup(self, c: Component) -> Lookup | None:
        lookup = lookup_for(c)
        if lookup is None:
            self.problems.append(Diagnostic(Msg.SCAN_NO_IDENTITY, Location(c.ref), _shown(c)))
        elif not c.version:
            self.problems.append(Diagnostic(Msg.SCAN_NO_VERSION, Location(c.ref), _shown(c)))
        elif scheme_for(lookup.base) is None:
            self.problems.append(Diagnostic(Msg.SCAN_NO_SCHEME, Location(c.ref), lookup.base))
        else:
            return lookup
        return None

    def _evaluate(self, c: Component, lk: Lookup, live: list[AffectedEntry]) -> list[_Hit]:
        """The live entries of the component's package that affect its version."""
        version = c.version or ""
        scheme = scheme_for(lk.base)
        try:
            if scheme is not None:
                scheme.key(version)
        except VersionError as e:
            detail = f"{version!r}: {e.reason}"
            self.problems.append(Diagnostic(Msg.SCAN_BAD_VERSION, Location(c.ref), detail))
            return []
        memo = self._memo
        decoded, make_match = memo.affected, memo.match
        hits: list[_Hit] = []
        for entry in live:
            affected = decoded(entry)
            verdict = evaluate(affected, version)
            outcome = verdict.outcome
            if outcome is _AFFECTED:
                hits.append((make_match(entry, affected, verdict, version), entry))
            elif outcome is _UNKNOWN:
                detail = f"{entry.advisory_id}: " + "; ".join(verdict.notes)
                self.problems.append(Diagnostic(Msg.SCAN_UNEVALUATED, Location(c.ref), detail))
            elif not entry.versions and all(r.type == "GIT" for r in entry.ranges):
                self.notes.append(f"{c.ref}: {entry.advisory_id}: GIT-only ranges skipped")
        return hits

    def decoded(self, entry: AffectedEntry) -> Affected:
        """The entry in the form :func:`evaluate` reads; once per entry object."""
        return self._memo.affected(entry)

    def _flag_kev(self, findings: list[Finding]) -> list[Finding]:
        cves = {i for f in findings for i in f.ids if i.startswith("CVE-")}
        known = self.store.kev(cves) if cves else set()
        if not known:
            return findings
        return [replace(f, kev=True) if any(i in known for i in f.ids) else f for f in findings]


_AFFECTED, _UNKNOWN = Outcome.AFFECTED, Outcome.UNKNOWN
_new_tuple = tuple.__new__


def _live(entries: Sequence[AffectedEntry], query: str, lk: Lookup) -> list[AffectedEntry]:
    """The entries that are not withdrawn and apply to the component's release."""
    if lk.release is None or query != lk.base:
        # No release asked, or the store kept only the release's entries (AlmaLinux:9).
        return [e for e in entries if e.withdrawn is None]
    release = lk.release
    return [e for e in entries if e.withdrawn is None and release_applies(e.ecosystem, release)]


def to_affected(entry: AffectedEntry) -> Affected:
    return Affected(entry.ecosystem, entry.name, entry.ranges, entry.versions)


class _Memo:
    """What one scan has worked out already, by what it depends on."""

    def __init__(self) -> None:
        # By id() of the store's entry; the entry is kept so its id() is not reused.
        self._affected: dict[int, tuple[AffectedEntry, Affected]] = {}
        # By (ecosystem, id() of ranges, id() of versions), the tuples kept with the plan:
        # the store shares equal decoded tuples, so this finds the plan without hashing
        # them (a PyPI entry lists hundreds of versions).
        self._plans: dict[tuple[str, int, int], tuple[tuple[Range, ...], tuple[str, ...], Plan]]
        self._plans = {}
        self._provenance: dict[
            tuple[int | None, tuple[Event, ...], str | None, str], _Provenance
        ] = {}
        # By (advisory id, id() of its vectors, its word); the vectors are kept with the rating.
        self._ratings: dict[
            tuple[str, int, str | None], tuple[tuple[SeverityVector, ...], Rating]
        ] = {}
        # By advisory id: a record's aliases are the same on all its entries.
        self._ids: dict[str, tuple[tuple[str, ...], str]] = {}

    def affected(self, entry: AffectedEntry) -> Affected:
        found = self._affected.get(id(entry))
        if found is not None and found[0] is entry:
            return found[1]
        eco, ranges, versions = entry.ecosystem, entry.ranges, entry.versions
        key = (eco, id(ranges), id(versions))
        held = self._plans.get(key)
        if held is None or held[0] is not ranges or held[1] is not versions:
            held = self._plans[key] = (ranges, versions, plan_for(eco, ranges, versions))
        affected = with_plan(eco, entry.name, ranges, versions, held[2])
        self._affected[id(entry)] = (entry, affected)
        return affected

    def match(
        self, entry: AffectedEntry, affected: Affected, verdict: Verdict, version: str
    ) -> Match:
        index = verdict.range_index
        range_type = entry.ranges[index].type if index is not None else None
        key = (index, verdict.events, verdict.listed, range_type or "")
        said = self._provenance.get(key)
        if said is None:
            said = (verdict.explain(), range_type, tuple(map(str, verdict.events)))
            self._provenance[key] = said
        matched, range_type, events = said
        # Match(advisory_id, aliases, ecosystem, package, summary, modified, matched,
        # range_type, events, listed, fix, entry), without the named tuple's Python-level
        # __new__: one per match, tens of thousands a scan.
        return _new_tuple(
            Match,
            (entry.advisory_id, entry.aliases, entry.ecosystem, entry.name, entry.summary,
             entry.modified, matched, range_type, events, verdict.listed,
             lowest_fix(affected, version), affected),
        )  # fmt: skip

    def rating(self, entry: AffectedEntry) -> Rating:
        """The rating of one entry alone."""
        vectors = entry.severities
        key = (entry.advisory_id, id(vectors), entry.database_severity)
        found = self._ratings.get(key)
        if found is None or found[0] is not vectors:
            rating = rate([(entry.advisory_id, vectors, entry.database_severity)])
            found = self._ratings[key] = (vectors, rating)
        return found[1]

    def ids(self, advisory_id: str, aliases: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
        """The sorted ids of one record and its primary id."""
        found = self._ids.get(advisory_id)
        if found is None:
            ids = tuple(sorted({advisory_id, *aliases}))
            found = self._ids[advisory_id] = (ids, primary_id(ids, (advisory_id,)))
        return found


def _group(c: Component, hits: list[_Hit], memo: _Memo) -> list[Finding]:
    """Alias groups: matches sharing any id or alias are one finding (union-find)."""
    if len(hits) == 1:
        return [_finding(c, hits, memo)]
    groups: dict[str, list[_Hit]] = {}
    if any(m.aliases for m, _ in hits):
        parent: dict[str, str] = {}

        def root(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for m, _ in hits:
            for alias in m.aliases:
                parent[root(alias)] = root(m.advisory_id)
        for hit in hits:
            groups.setdefault(root(hit[0].advisory_id), []).append(hit)
    else:  # no aliases (errata): a record's own entries are its group
        for hit in hits:
            groups.setdefault(hit[0].advisory_id, []).append(hit)
    return sorted((_finding(c, g, memo) for g in groups.values()), key=_by_primary_id)


def _by_primary_id(f: Finding) -> str:
    return f.primary_id


def _finding(c: Component, group: list[_Hit], memo: _Memo) -> Finding:
    if len(group) == 1:  # most findings: one record, whose facts the memo holds
        ((m, entry),) = group
        ids, primary = memo.ids(m.advisory_id, m.aliases)
        # The common fix of one entry is its own lowest fix.
        return Finding(c, primary, ids, (m.advisory_id,), (m,), memo.rating(entry), False, m.fix)
    matches = tuple(sorted((m for m, _ in group), key=lambda m: (m.advisory_id, m.ecosystem)))
    advisory_ids = tuple(sorted({m.advisory_id for m in matches}))
    ids = tuple(sorted({*advisory_ids, *(a for m in matches for a in m.aliases)}))
    return Finding(
        component=c,
        primary_id=primary_id(ids, advisory_ids),
        ids=ids,
        advisory_ids=advisory_ids,
        matches=matches,
        rating=rate((e.advisory_id, e.severities, e.database_severity) for _, e in group),
        kev=False,
        fix=common_fix([m.entry for m in matches], c.version or "", [m.fix for m in matches]),
    )


def primary_id(ids: Sequence[str], advisory_ids: Sequence[str]) -> str:
    """Prefer a CVE, then a GHSA, then the matched records' own ids (PYSEC-, GO-, ...)."""
    for prefix in ("CVE-", "GHSA-"):
        for i in ids:
            if i.startswith(prefix):
                return i
    return advisory_ids[0]


def _shown(c: Component) -> str:
    return f"{c.name}@{c.version}" if c.version else c.name

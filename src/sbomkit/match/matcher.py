"""Components -> findings: one advisory query per ecosystem, then the OSV evaluation.

The store hands out every ``affected[]`` entry naming a component's package; the version
rules of :mod:`sbomkit.versions` decide which ones cover the component's version. Matches
of one component whose ids or aliases overlap become one finding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sbomkit.db.interface import AffectedEntry
from sbomkit.db.store import AdvisoryStore
from sbomkit.i18n import Msg
from sbomkit.match.findings import Finding, Match
from sbomkit.match.fixes import common_fix
from sbomkit.match.osv_names import Lookup, lookup_for, release_applies
from sbomkit.match.severity import rate
from sbomkit.model import Component, Diagnostic, Location
from sbomkit.versions import VersionError, scheme_for
from sbomkit.versions.osv_affected import Affected, Outcome, Range, Verdict, evaluate, lowest_fix
from sbomkit.versions.osv_affected import Event as OsvEvent


class Matcher:
    """Matches components against one advisory store; keeps problems and notes."""

    def __init__(self, store: AdvisoryStore) -> None:
        self.store = store
        self.problems: list[Diagnostic] = []
        self.notes: list[str] = []
        self.matched = 0  # components looked up
        self._decoded: dict[int, tuple[AffectedEntry, Affected]] = {}

    def match(self, components: Sequence[Component]) -> list[Finding]:
        by_query: dict[str, list[tuple[Component, Lookup]]] = defaultdict(list)
        for c in components:
            lookup = self._lookup(c)
            if lookup is not None:
                by_query[lookup.query].append((c, lookup))
        matches: dict[str, tuple[Component, list[tuple[Match, AffectedEntry]]]] = {}
        for query in sorted(by_query):
            group = by_query[query]
            self.matched += len(group)
            found = self.store.candidates(query, {lk.name for _, lk in group})
            for c, lk in group:
                hits = self._evaluate(c, lk, found.get(lk.name, ()))
                if hits:
                    matches.setdefault(c.ref, (c, []))[1].extend(hits)
        findings = [f for c, hits in matches.values() for f in _group(c, hits)]
        return self._flag_kev(findings)

    def _lookup(self, c: Component) -> Lookup | None:
        lookup = lookup_for(c)
        where = Location(c.ref)
        if lookup is None:
            self.problems.append(Diagnostic(Msg.SCAN_NO_IDENTITY, where, _shown(c)))
        elif not c.version:
            self.problems.append(Diagnostic(Msg.SCAN_NO_VERSION, where, _shown(c)))
        elif scheme_for(lookup.base) is None:
            self.problems.append(Diagnostic(Msg.SCAN_NO_SCHEME, where, lookup.base))
        else:
            return lookup
        return None

    def _evaluate(
        self, c: Component, lk: Lookup, entries: Iterable[AffectedEntry]
    ) -> list[tuple[Match, AffectedEntry]]:
        version = c.version or ""
        live = [
            e for e in entries if e.withdrawn is None and release_applies(e.ecosystem, lk.release)
        ]
        if not live:
            return []
        scheme = scheme_for(lk.base)
        try:
            if scheme is not None:
                scheme.key(version)
        except VersionError as e:
            detail = f"{version!r}: {e.reason}"
            self.problems.append(Diagnostic(Msg.SCAN_BAD_VERSION, Location(c.ref), detail))
            return []
        hits: list[tuple[Match, AffectedEntry]] = []
        for entry in live:
            affected = self.decoded(entry)
            verdict = evaluate(affected, version)
            if verdict.outcome is Outcome.AFFECTED:
                hits.append((_match(entry, affected, verdict, version), entry))
            elif verdict.outcome is Outcome.UNKNOWN:
                detail = f"{entry.advisory_id}: " + "; ".join(verdict.notes)
                self.problems.append(Diagnostic(Msg.SCAN_UNEVALUATED, Location(c.ref), detail))
            elif not affected.versions and all(r.type == "GIT" for r in affected.ranges):
                self.notes.append(f"{c.ref}: {entry.advisory_id}: GIT-only ranges skipped")
        return hits

    def decoded(self, entry: AffectedEntry) -> Affected:
        """The entry in the form :func:`evaluate` reads; once per entry object."""
        # The entry is kept with its decoding so that its id() is never reused meanwhile.
        found = self._decoded.get(id(entry))
        if found is None or found[0] is not entry:
            found = (entry, to_affected(entry))
            self._decoded[id(entry)] = found
        return found[1]

    def _flag_kev(self, findings: list[Finding]) -> list[Finding]:
        cves = {i for f in findings for i in f.ids if i.startswith("CVE-")}
        known = self.store.kev(cves) if cves else set()
        if not known:
            return findings
        return [replace(f, kev=True) if any(i in known for i in f.ids) else f for f in findings]


def to_affected(entry: AffectedEntry) -> Affected:
    ranges = tuple(
        Range(r.type, tuple(OsvEvent(e.kind, e.value) for e in r.events)) for r in entry.ranges
    )
    return Affected(entry.ecosystem, entry.name, ranges, entry.versions)


def _match(entry: AffectedEntry, affected: Affected, verdict: Verdict, version: str) -> Match:
    index = verdict.range_index
    return Match(
        advisory_id=entry.advisory_id,
        aliases=entry.aliases,
        ecosystem=entry.ecosystem,
        package=entry.name,
        summary=entry.summary,
        modified=entry.modified,
        matched=verdict.explain(),
        range_type=entry.ranges[index].type if index is not None else None,
        events=tuple(str(e) for e in verdict.events),
        listed=verdict.listed,
        fix=lowest_fix(affected, version),
        entry=affected,
    )


def _group(c: Component, hits: list[tuple[Match, AffectedEntry]]) -> list[Finding]:
    """Alias groups: matches sharing any id or alias are one finding (union-find)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m, _ in hits:
        for alias in m.aliases:
            parent[root(alias)] = root(m.advisory_id)
    groups: dict[str, list[tuple[Match, AffectedEntry]]] = defaultdict(list)
    for hit in hits:
        groups[root(hit[0].advisory_id)].append(hit)
    return sorted((_finding(c, g) for g in groups.values()), key=lambda f: f.primary_id)


def _finding(c: Component, group: list[tuple[Match, AffectedEntry]]) -> Finding:
    matches = tuple(sorted((m for m, _ in group), key=lambda m: (m.advisory_id, m.ecosystem)))
    advisory_ids = tuple(sorted({m.advisory_id for m in matches}))
    ids = tuple(sorted({*advisory_ids, *(a for m in matches for a in m.aliases)}))
    rating = rate((e.advisory_id, e.severities, e.database_severity) for _, e in group)
    return Finding(
        component=c,
        primary_id=primary_id(ids, advisory_ids),
        ids=ids,
        advisory_ids=advisory_ids,
        matches=matches,
        rating=rating,
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

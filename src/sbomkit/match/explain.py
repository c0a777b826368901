"""Why a component matched an advisory, or why not: every entry, range and verdict."""

from __future__ import annotations

from dataclasses import dataclass

from sbomkit.db.interface import AffectedEntry
from sbomkit.db.store import AdvisoryStore
from sbomkit.match.fixes import common_fix
from sbomkit.match.matcher import to_affected
from sbomkit.match.osv_names import Lookup, lookup_for, release_applies
from sbomkit.model import Component
from sbomkit.versions.osv_affected import Affected, Outcome, Verdict, evaluate


@dataclass(frozen=True, slots=True)
class EntryReport:
    entry: AffectedEntry
    affected: Affected
    considered: bool  # False: withdrawn, or for another distro release
    verdict: Verdict | None


@dataclass(frozen=True, slots=True)
class Explanation:
    component: Component
    vuln: str
    lookup: Lookup | None
    entries: tuple[EntryReport, ...]
    outcome: Outcome | None  # None: no advisory with that id names the package
    fix: str | None


def explain(store: AdvisoryStore, c: Component, vuln: str) -> Explanation:
    lookup = lookup_for(c)
    if lookup is None or not c.version:
        return Explanation(c, vuln, lookup, (), None, None)
    # Every release's entries, so that the ones for other releases can be named as such.
    found = store.candidates(lookup.base, [lookup.name]).get(lookup.name, [])
    wanted = vuln.strip().upper()
    reports = []
    for e in found:
        if wanted not in {i.upper() for i in (e.advisory_id, *e.aliases)}:
            continue
        considered = e.withdrawn is None and release_applies(e.ecosystem, lookup.release)
        affected = to_affected(e)
        verdict = evaluate(affected, c.version) if considered else None
        reports.append(EntryReport(e, affected, considered, verdict))
    verdicts = [r.verdict for r in reports if r.verdict is not None]
    outcome = _overall(verdicts) if reports else None
    hit = [r.affected for r in reports if r.verdict is not None and r.verdict.affected]
    fix = common_fix(hit, c.version) if hit else None
    return Explanation(c, vuln, lookup, tuple(reports), outcome, fix)


def _overall(verdicts: list[Verdict]) -> Outcome:
    if any(v.affected for v in verdicts):
        return Outcome.AFFECTED
    if any(v.outcome is Outcome.UNKNOWN for v in verdicts):
        return Outcome.UNKNOWN
    return Outcome.NOT_AFFECTED

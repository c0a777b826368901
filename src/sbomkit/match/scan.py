"""One scan: match an inventory, apply VEX and ignores, advise fixes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sbomkit.db.store import AdvisoryStore
from sbomkit.match.findings import Finding, FixAdvice, ScanResult
from sbomkit.match.fixes import common_fix
from sbomkit.match.ignore import IgnoreRule, apply_ignores
from sbomkit.match.matcher import Matcher
from sbomkit.model import Diagnostic, Inventory

if TYPE_CHECKING:
    from sbomkit.match.vex_in import Statement


def scan(
    inventory: Inventory,
    store: AdvisoryStore,
    target: str,
    today: dt.date,
    vex: Sequence[Statement] = (),
    ignores: Sequence[IgnoreRule] = (),
) -> ScanResult:
    matcher = Matcher(store)
    components = tuple(sorted(inventory.components, key=lambda c: c.ref))
    findings = matcher.match(components)
    if vex:
        from sbomkit.match.vex_in import apply_vex  # only scans given VEX need its readers

        findings = apply_vex(findings, list(vex))
    expired: list[Diagnostic] = []
    if ignores:
        findings, expired = apply_ignores(findings, list(ignores), today)
    findings.sort(key=lambda f: (f.component.ref, f.primary_id))
    return ScanResult(
        target=target,
        components=components,
        matched=matcher.matched,
        findings=tuple(findings),
        advice=advise(findings),
        problems=(*inventory.diagnostics, *matcher.problems, *expired),
        notes=tuple(matcher.notes),
        database=store.database_info(),
    )


def advise(findings: Sequence[Finding]) -> tuple[FixAdvice, ...]:
    """Per component with open findings: one version that fixes them all, if any."""
    by_ref: dict[str, list[Finding]] = {}
    for f in findings:
        if f.decision is None or not f.decision.status.suppressed:
            by_ref.setdefault(f.component.ref, []).append(f)
    out = []
    for group in by_ref.values():
        c = group[0].component
        unfixed = tuple(f.primary_id for f in group if f.fix is None)
        if unfixed:
            version = None
        elif len(group) == 1:
            version = group[0].fix  # the finding's own fix already fixes all its matches
        else:
            entries = [m.entry for f in group for m in f.matches]
            version = common_fix(entries, c.version or "", [f.fix for f in group])
        out.append(FixAdvice(c, version, unfixed))
    return tuple(out)

"""The JSON report (schema ``sbomkit-scan/1``, documented in docs/scanning.md)."""

from __future__ import annotations

from typing import Any

from sbomkit.formats._prepare import dump_json
from sbomkit.i18n import render
from sbomkit.match.findings import MATCHER_NAME, MATCHER_VERSION, Finding, Match, ScanResult
from sbomkit.scanreport.common import TOOL, counts, tool_version

SCHEMA = "sbomkit-scan/1"


def write_json(result: ScanResult) -> bytes:
    return dump_json(document(result))


def document(result: ScanResult) -> dict[str, Any]:
    advice = {a.component.ref: a for a in result.advice}
    return {
        "schema": SCHEMA,
        "tool": {"name": TOOL, "version": tool_version()},
        "matcher": {"name": MATCHER_NAME, "version": MATCHER_VERSION},
        "target": result.target,
        "database": result.database,
        "summary": counts(result),
        "findings": _Findings().dump(result.findings),
        "fixes": [
            {"component": ref, "fixed_version": a.version, "unfixed": list(a.unfixed)}
            for ref, a in sorted(advice.items())
        ],
        "problems": [
            {
                "code": d.code.value,
                "where": str(d.location),
                "message": render(d.code, "en"),
                "detail": d.detail,
            }
            for d in result.problems
        ],
        "notes": list(result.notes),
    }


class _Findings:
    """The findings as JSON values. A component's findings share its object, and findings
    rated alike share the rating's (orjson writes each where it appears)."""

    def __init__(self) -> None:
        self.components: dict[int, dict[str, Any]] = {}
        self.ratings: dict[int, dict[str, Any]] = {}

    def dump(self, findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
        return list(map(self.finding, findings))

    def finding(self, f: Finding) -> dict[str, Any]:
        c, r, d, matches = f.component, f.rating, f.decision, f.matches
        component = self.components.get(id(c))
        if component is None:
            component = {"ref": c.ref, "name": c.name, "version": c.version}
            self.components[id(c)] = component
        rating = self.ratings.get(id(r))
        if rating is None:
            rating = {"method": r.method, "vector": r.vector, "source": r.source}
            self.ratings[id(r)] = rating
        if len(matches) == 1:  # most findings have one match
            (m,) = matches
            summary = m.summary or None
            written = [match(m)]
        else:
            summary = next((m.summary for m in matches if m.summary), None)
            written = list(map(match, matches))
        # Tuples and str enums go to orjson as they are: it writes them as arrays and
        # strings, byte for byte what list() and .value gave, without a copy per finding.
        return {
            "id": f.primary_id,
            "ids": f.ids,
            "component": component,
            "severity": r.level,
            "score": r.score,
            "rating": rating,
            "kev": f.kev,
            "fixed_version": f.fix,
            "summary": summary,
            "status": "active" if d is None else d.status,
            "decision": None
            if d is None
            else {"source": d.source, "justification": d.justification, "detail": d.detail},
            "matches": written,
        }


def finding(f: Finding) -> dict[str, Any]:
    """One finding as the report writes it."""
    return _Findings().finding(f)


def match(m: Match) -> dict[str, Any]:
    return {
        "advisory": m.advisory_id,
        "aliases": m.aliases,
        "ecosystem": m.ecosystem,
        "package": m.package,
        "matched": m.matched,
        "range_type": m.range_type,
        "events": m.events,
        "listed": m.listed,
        "fixed_version": m.fix,
        "modified": m.modified,
    }

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
        "findings": [finding(f) for f in result.findings],
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


def finding(f: Finding) -> dict[str, Any]:
    c, r, d = f.component, f.rating, f.decision
    return {
        "id": f.primary_id,
        "ids": list(f.ids),
        "component": {"ref": c.ref, "name": c.name, "version": c.version},
        "severity": r.level.value,
        "score": r.score,
        "rating": {"method": r.method, "vector": r.vector, "source": r.source},
        "kev": f.kev,
        "fixed_version": f.fix,
        "summary": f.summary,
        "status": f.status.value,
        "decision": None
        if d is None
        else {"source": d.source, "justification": d.justification, "detail": d.detail},
        "matches": [match(m) for m in f.matches],
    }


def match(m: Match) -> dict[str, Any]:
    return {
        "advisory": m.advisory_id,
        "aliases": list(m.aliases),
        "ecosystem": m.ecosystem,
        "package": m.package,
        "matched": m.matched,
        "range_type": m.range_type,
        "events": list(m.events),
        "listed": m.listed,
        "fixed_version": m.fix,
        "modified": m.modified,
    }

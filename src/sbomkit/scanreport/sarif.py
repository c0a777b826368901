"""SARIF 2.1.0 for code-scanning UIs: one rule per vulnerability, one result per finding.

``security-severity`` carries the CVSS score (GitHub sorts by it); the level follows the
rating: critical/high -> error, medium -> warning, low/unknown -> note.
"""

from __future__ import annotations

from typing import Any

from sbomkit.formats._prepare import dump_json
from sbomkit.match.findings import Finding, Level, ScanResult
from sbomkit.scanreport.common import TOOL, TOOL_URL, advisory_url, tool_version

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {
    Level.CRITICAL: "error",
    Level.HIGH: "error",
    Level.MEDIUM: "warning",
    Level.LOW: "note",
    Level.UNKNOWN: "note",
}
# GitHub's mapping of its severity words to scores, used when no CVSS score is known.
_DEFAULT_SCORES = {Level.CRITICAL: 9.0, Level.HIGH: 7.0, Level.MEDIUM: 4.0, Level.LOW: 0.1}


def write_sarif(result: ScanResult) -> bytes:
    active = result.active
    rules: dict[str, dict[str, Any]] = {}
    for f in active:
        rules.setdefault(f.primary_id, _rule(f))
    order = {rid: i for i, rid in enumerate(rules)}
    run = {
        "tool": {
            "driver": {
                "name": TOOL,
                "version": tool_version(),
                "informationUri": TOOL_URL,
                "rules": list(rules.values()),
            }
        },
        "results": [_result(f, order[f.primary_id], result.target) for f in active],
    }
    return dump_json({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]})


def _rule(f: Finding) -> dict[str, Any]:
    text = f.summary or f.primary_id
    score = f.rating.score if f.rating.score is not None else _DEFAULT_SCORES.get(f.rating.level)
    props: dict[str, Any] = {"tags": ["security", "vulnerability"]}
    if score is not None:
        props["security-severity"] = f"{score:.1f}"
    return {
        "id": f.primary_id,
        "name": f.primary_id,
        "shortDescription": {"text": text},
        "fullDescription": {"text": f"{text} ({', '.join(f.ids)})"},
        "helpUri": advisory_url(f.primary_id),
        "help": {"text": f"Aliases: {', '.join(f.ids)}. See {advisory_url(f.primary_id)}"},
        "defaultConfiguration": {"level": _LEVELS[f.rating.level]},
        "properties": props,
    }


def _result(f: Finding, index: int, target: str) -> dict[str, Any]:
    c = f.component
    fix = f"; fixed in {f.fix}" if f.fix else "; no fixed version"
    uri = c.locations[0].path if c.locations else target
    return {
        "ruleId": f.primary_id,
        "ruleIndex": index,
        "level": _LEVELS[f.rating.level],
        "message": {"text": f"{c.name} {c.version} is affected by {f.primary_id}{fix}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
        "partialFingerprints": {"componentVulnerability": f"{c.ref}|{f.primary_id}"},
        "properties": {"purl": c.ref, "ids": list(f.ids), "kev": f.kev},
    }

"""OpenVEX 0.2.0: one statement per finding, products as purls.

Findings nobody has triaged are ``under_investigation`` (a match is not yet a verdict);
VEX input decides the rest. Ignored findings are left out: an ignore is not a VEX claim.
"""

from __future__ import annotations

from typing import Any

from sbomkit.clock import stamp
from sbomkit.formats._prepare import document_uuid, dump_json
from sbomkit.match.findings import Finding, ScanResult, Status
from sbomkit.scanreport.common import TOOL, tool_version
from sbomkit.scanreport.csaf import LABELS

CONTEXT = "https://openvex.dev/ns/v0.2.0"
_STATUS = {
    Status.ACTIVE: "under_investigation",
    Status.UNDER_INVESTIGATION: "under_investigation",
    Status.AFFECTED: "affected",
    Status.NOT_AFFECTED: "not_affected",
    Status.FIXED: "fixed",
    Status.FALSE_POSITIVE: "not_affected",  # OpenVEX has no word for a wrong match
}


def write_openvex(result: ScanResult) -> bytes:
    now = stamp()
    statements = [
        _statement(f, now)
        for f in result.findings
        if f.status is not Status.IGNORED and f.component.purl is not None
    ]
    body = {"author": f"{TOOL} {tool_version()}", "timestamp": now, "version": 1}
    doc_id = document_uuid({**body, "statements": statements})
    return dump_json(
        {
            "@context": CONTEXT,
            "@id": f"urn:uuid:{doc_id}",
            **body,
            "tooling": f"{TOOL} {tool_version()}",
            "statements": statements,
        }
    )


def _statement(f: Finding, now: str) -> dict[str, Any]:
    status = _STATUS[f.status]
    s: dict[str, Any] = {
        "vulnerability": {
            "name": f.primary_id,
            "aliases": [i for i in f.ids if i != f.primary_id],
        },
        "timestamp": now,
        "products": [{"@id": f.component.ref}],
        "status": status,
    }
    d = f.decision
    if status == "not_affected":
        # CycloneDX words map to the closest CISA label, as in CSAF.
        just = LABELS.get(d.justification or "") if d is not None else None
        if just:
            s["justification"] = just
        else:
            s["impact_statement"] = (d.detail if d and d.detail else None) or "see " + (
                d.source if d else "scan"
            )
    elif status == "affected":
        fix = f"Upgrade to {f.fix}" if f.fix else "No fixed version is known"
        s["action_statement"] = d.detail if d is not None and d.detail else fix
    elif d is not None and d.detail:
        s["status_notes"] = d.detail
    return s

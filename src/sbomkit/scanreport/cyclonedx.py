"""CycloneDX 1.6 VDR and VEX: vulnerabilities in a document of their own (never in the SBOM).

VDR lists what is open; VEX adds each finding's ``analysis`` (state, justification) and
includes the ones VEX statements resolved, so the document answers "affected or not?".
"""

from __future__ import annotations

from typing import Any

from sbomkit.clock import stamp
from sbomkit.formats._prepare import document_uuid, dump_json
from sbomkit.match.findings import Finding, Level, ScanResult, Status
from sbomkit.scanreport.common import TOOL, advisory_url, tool_version

_METHODS = {"CVSS_V2": "CVSSv2", "CVSS_V3": "CVSSv31", "CVSS_V4": "CVSSv4"}
_STATES = {
    Status.ACTIVE: "in_triage",
    Status.UNDER_INVESTIGATION: "in_triage",
    Status.AFFECTED: "exploitable",
    Status.NOT_AFFECTED: "not_affected",
    Status.FIXED: "resolved",
    Status.FALSE_POSITIVE: "false_positive",
}
# CycloneDX justification words; OpenVEX/CSAF words map to the closest one.
_JUSTIFICATIONS = {
    "code_not_present": "code_not_present",
    "code_not_reachable": "code_not_reachable",
    "requires_configuration": "requires_configuration",
    "requires_dependency": "requires_dependency",
    "requires_environment": "requires_environment",
    "protected_by_compiler": "protected_by_compiler",
    "protected_at_runtime": "protected_at_runtime",
    "protected_at_perimeter": "protected_at_perimeter",
    "protected_by_mitigating_control": "protected_by_mitigating_control",
    "component_not_present": "code_not_present",
    "vulnerable_code_not_present": "code_not_present",
    "vulnerable_code_not_in_execute_path": "code_not_reachable",
    "vulnerable_code_cannot_be_controlled_by_adversary": "protected_by_mitigating_control",
    "inline_mitigations_already_exist": "protected_by_mitigating_control",
}


def write_vdr(result: ScanResult) -> bytes:
    return dump_json(_document(result, list(result.active), vex=False))


def write_vex(result: ScanResult) -> bytes:
    kept = [f for f in result.findings if f.status is not Status.IGNORED]
    return dump_json(_document(result, kept, vex=True))


def _document(result: ScanResult, findings: list[Finding], vex: bool) -> dict[str, Any]:
    components: dict[str, dict[str, Any]] = {}
    for f in findings:
        c = f.component
        entry = {"type": "library", "bom-ref": c.ref, "name": c.name}
        if c.version:
            entry["version"] = c.version
        if c.purl is not None:
            entry["purl"] = c.ref
        components.setdefault(c.ref, entry)
    body: dict[str, Any] = {
        "metadata": {
            "timestamp": stamp(),
            "tools": {
                "components": [{"type": "application", "name": TOOL, "version": tool_version()}]
            },
        },
        "components": [components[k] for k in sorted(components)],
        "vulnerabilities": [_vulnerability(f, vex) for f in findings],
    }
    serial = document_uuid(body)
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{serial}",
        "version": 1,
        **body,
    }


def _vulnerability(f: Finding, vex: bool) -> dict[str, Any]:
    c = f.component
    v: dict[str, Any] = {
        "bom-ref": f"{f.primary_id}|{c.ref}",
        "id": f.primary_id,
        "source": {"name": "OSV", "url": advisory_url(f.primary_id)},
    }
    others = [i for i in f.ids if i != f.primary_id]
    if others:
        v["references"] = [
            {"id": i, "source": {"name": "OSV", "url": advisory_url(i)}} for i in others
        ]
    if f.rating.level is not Level.UNKNOWN:
        rating: dict[str, Any] = {"severity": f.rating.level.value}
        if f.rating.score is not None:
            rating["score"] = f.rating.score
            rating["method"] = _METHODS.get(f.rating.method or "", "other")
            rating["vector"] = f.rating.vector
        else:
            rating["method"] = "other"
        v["ratings"] = [rating]
    if f.summary:
        v["description"] = f.summary
    v["recommendation"] = f"Upgrade to {f.fix}" if f.fix else "No fixed version is known"
    if vex:
        v["analysis"] = _analysis(f)
    status = "unaffected" if f.status.suppressed else "affected"
    v["affects"] = [{"ref": c.ref, "versions": [{"version": c.version or "", "status": status}]}]
    v["properties"] = [
        {"name": "sbomkit:matched", "value": f"{m.advisory_id}: {m.matched}"} for m in f.matches
    ]
    return v


def _analysis(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"state": _STATES[f.status]}
    d = f.decision
    if d is not None:
        justification = _JUSTIFICATIONS.get(d.justification or "")
        if justification and f.status is Status.NOT_AFFECTED:
            out["justification"] = justification
        if d.detail:
            out["detail"] = d.detail
    return out

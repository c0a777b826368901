"""CSAF 2.0 VEX (profile "CSAF VEX", ``csaf_vex``): one vulnerability per flaw, one product
per component, the component's purl as its identification helper.

Statuses follow the OpenVEX writer: a finding nobody triaged is ``under_investigation`` (a
match is not yet a verdict); VEX decisions give ``known_affected``, ``known_not_affected`` and
``fixed``; ignored findings are left out. The profile's rules (CSAF 2.0 section 4.5 and
mandatory tests 6.1.27.x) shape the rest: every vulnerability has a CVE or ``ids`` and a note,
every known_not_affected product a justification flag or an impact threat, every
known_affected product a remediation. A scan with nothing to state cannot be a ``csaf_vex``
document (the profile requires vulnerabilities), so it is written as ``csaf_base`` with a note
saying nothing was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sbomkit.clock import stamp
from sbomkit.formats._prepare import document_uuid, dump_json
from sbomkit.match.findings import Decision, Finding, ScanResult, Status
from sbomkit.scanreport.common import TOOL, TOOL_URL, advisory_url, tool_version

# CSAF flag labels are OpenVEX's justification words; CycloneDX's map to the closest one.
LABELS = {
    "component_not_present": "component_not_present",
    "vulnerable_code_not_present": "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path": "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary": (
        "vulnerable_code_cannot_be_controlled_by_adversary"
    ),
    "inline_mitigations_already_exist": "inline_mitigations_already_exist",
    "code_not_present": "vulnerable_code_not_present",
    "code_not_reachable": "vulnerable_code_not_in_execute_path",
    "requires_configuration": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_dependency": "component_not_present",
    "requires_environment": "vulnerable_code_cannot_be_controlled_by_adversary",
    "protected_by_compiler": "inline_mitigations_already_exist",
    "protected_at_runtime": "inline_mitigations_already_exist",
    "protected_at_perimeter": "inline_mitigations_already_exist",
    "protected_by_mitigating_control": "inline_mitigations_already_exist",
}
_STATUS = {
    Status.ACTIVE: "under_investigation",
    Status.UNDER_INVESTIGATION: "under_investigation",
    Status.AFFECTED: "known_affected",
    Status.NOT_AFFECTED: "known_not_affected",
    Status.FIXED: "fixed",
    Status.FALSE_POSITIVE: "known_not_affected",  # CSAF has no word for a wrong match
}
_CVE = re.compile(r"CVE-[0-9]{4}-[0-9]{4,}")
# A user's action statement comes before the fix advice, so readers take it as the detail.
_REMEDIATION_ORDER = {"mitigation": 0, "vendor_fix": 1, "none_available": 1}
_NO_FIX = ("none_available", "No fixed version is known")


def write_csaf_vex(result: ScanResult) -> bytes:
    findings = [f for f in result.findings if f.status is not Status.IGNORED]
    now = stamp()
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.primary_id, []).append(f)
    body: dict[str, Any] = {}
    if groups:
        body["product_tree"] = {"full_product_names": _products(findings)}
        body["vulnerabilities"] = [_vulnerability(groups[k]) for k in sorted(groups)]
    # The tracking id is derived from the rest of the document, as CycloneDX serials are.
    doc_id = document_uuid({"document": _document(result.target, now, "", bool(groups)), **body})
    document = _document(result.target, now, f"{TOOL}-vex-{doc_id}", bool(groups))
    return dump_json({"document": document, **body})


def _document(target: str, now: str, doc_id: str, vex: bool) -> dict[str, Any]:
    if vex:
        note = f"Status of known vulnerabilities in the components of {target}."
    else:
        note = f"No known vulnerabilities were found in the components of {target}."
    return {
        "category": "csaf_vex" if vex else "csaf_base",
        "csaf_version": "2.0",
        "lang": "en",
        "notes": [{"category": "summary", "text": note, "title": "Scope"}],
        "publisher": {"category": "other", "name": TOOL, "namespace": TOOL_URL},
        "title": f"{TOOL} VEX: {target}",
        "tracking": {
            "current_release_date": now,
            "generator": {"date": now, "engine": {"name": TOOL, "version": tool_version()}},
            "id": doc_id,
            "initial_release_date": now,
            "revision_history": [{"date": now, "number": "1", "summary": "Initial version."}],
            "status": "final",
            "version": "1",
        },
    }


def _products(findings: list[Finding]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for f in findings:
        c = f.component
        entry: dict[str, Any] = {"name": f"{c.name} {c.version}" if c.version else c.name}
        entry["product_id"] = c.ref
        if c.purl is not None:
            entry["product_identification_helper"] = {"purl": c.ref}
        out.setdefault(c.ref, entry)
    return [out[k] for k in sorted(out)]


def _vulnerability(group: list[Finding]) -> dict[str, Any]:
    first = group[0]
    ids = sorted({i for f in group for i in f.ids})
    v: dict[str, Any] = {}
    if _CVE.fullmatch(first.primary_id):
        v["cve"] = first.primary_id
    others = [i for i in ids if i != v.get("cve")]
    if others:
        v["ids"] = [
            {"system_name": "CVE" if _CVE.fullmatch(i) else "OSV", "text": i} for i in others
        ]
    summary = next((f.summary for f in group if f.summary), None)
    text = summary or f"No summary in the advisory; see {advisory_url(first.primary_id)}"
    v["notes"] = [{"category": "summary" if summary else "general", "text": text}]
    records = sorted({a for f in group for a in f.advisory_ids})
    v["references"] = [
        {"category": "external", "summary": f"OSV record {a}", "url": advisory_url(a)}
        for a in records
    ]
    v["product_status"] = _product_status(group)
    v |= _statements(group)
    scores = _scores(group)
    if scores:
        v["scores"] = scores
    return v


def _product_status(group: list[Finding]) -> dict[str, list[str]]:
    by_category: dict[str, list[str]] = {}
    for f in group:
        by_category.setdefault(_STATUS[f.status], []).append(f.component.ref)
    return {k: sorted(by_category[k]) for k in sorted(by_category)}


def _statements(group: list[Finding]) -> dict[str, Any]:
    """flags (justification labels), threats (impact) and remediations (action), per product."""
    out: dict[str, Any] = {}
    flags, threats = _flags(group), _threats(group)
    remediations = _remediations(group)
    if flags:
        out["flags"] = [{"label": k, "product_ids": sorted(flags[k])} for k in sorted(flags)]
    if remediations:
        keys = sorted(remediations, key=lambda k: (_REMEDIATION_ORDER[k[0]], k))
        out["remediations"] = [
            {"category": c, "details": t, "product_ids": sorted(remediations[(c, t)])}
            for c, t in keys
        ]
    if threats:
        out["threats"] = [
            {"category": "impact", "details": k, "product_ids": sorted(threats[k])}
            for k in sorted(threats)
        ]
    return out


def _not_affected(group: list[Finding]) -> Iterable[tuple[str, Decision]]:
    for f in group:
        if f.status in (Status.NOT_AFFECTED, Status.FALSE_POSITIVE) and f.decision is not None:
            yield f.component.ref, f.decision


def _flags(group: list[Finding]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ref, d in _not_affected(group):
        label = LABELS.get(d.justification or "")
        if label:
            out.setdefault(label, []).append(ref)
    return out


def _threats(group: list[Finding]) -> dict[str, list[str]]:
    """The impact statement; the profile requires one where no flag says why."""
    out: dict[str, list[str]] = {}
    for ref, d in _not_affected(group):
        if d.detail or d.justification not in LABELS:
            out.setdefault(d.detail or f"see {d.source}", []).append(ref)
    return out


def _remediations(group: list[Finding]) -> dict[tuple[str, str], list[str]]:
    """The user's action statement (as a mitigation) and the fix advice, per affected product."""
    out: dict[tuple[str, str], list[str]] = {}
    for f in group:
        if f.status is not Status.AFFECTED:
            continue
        if f.decision is not None and f.decision.detail:
            out.setdefault(("mitigation", f.decision.detail), []).append(f.component.ref)
        advice = ("vendor_fix", f"Upgrade to {f.fix}") if f.fix else _NO_FIX
        out.setdefault(advice, []).append(f.component.ref)
    return out


def _scores(group: Iterable[Finding]) -> list[dict[str, Any]]:
    """CVSS v3 base scores (CSAF 2.0 has no place for v4; v2 is left out as obsolete)."""
    by_vector: dict[tuple[str, float], list[str]] = {}
    for f in group:
        r = f.rating
        vector = r.vector or ""
        if r.score is not None and vector.startswith(("CVSS:3.0/", "CVSS:3.1/")):
            by_vector.setdefault((vector, r.score), []).append(f.component.ref)
    return [
        {
            "cvss_v3": {
                "version": vector[5:8],
                "vectorString": vector,
                "baseScore": score,
                "baseSeverity": _severity(score),
            },
            "products": sorted(refs),
        }
        for (vector, score), refs in sorted(by_vector.items())
    ]


def _severity(score: float) -> str:
    """CVSS v3 qualitative rating of a base score."""
    if score == 0:
        return "NONE"
    if score < 4:
        return "LOW"
    if score < 7:
        return "MEDIUM"
    return "HIGH" if score < 9 else "CRITICAL"

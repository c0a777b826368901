"""A scan result with a decision of every kind, shared by the CSAF and VEX round-trip tests."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sbomkit.identity import component_from_purl
from sbomkit.match.findings import Decision, Finding, Level, Rating, ScanResult, Status

VECTOR = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
SHARED_CVE = "CVE-2099-1000"  # one flaw in many components: one CSAF vulnerability


@dataclass(frozen=True)
class Case:
    name: str
    status: Status
    justification: str | None = None
    detail: str | None = None
    vuln: str = SHARED_CVE
    fix: str | None = "1.1"
    # What each format's writer and reader give back (None: no justification).
    csaf: str | None = None
    cyclonedx: str | None = None
    openvex: str | None = None

    @property
    def package(self) -> str:
        return self.name.replace("_", "-")  # as PEP 503 normalizes it


def _na(word: str, csaf: str, cdx: str, openvex: str | None) -> Case:
    return Case(
        f"na-{word}", Status.NOT_AFFECTED, word, None, SHARED_CVE, "1.1", csaf, cdx, openvex
    )


CASES = (
    Case("active", Status.ACTIVE, vuln="CVE-2099-2000"),
    Case("investigating", Status.UNDER_INVESTIGATION, detail="looking", vuln="CVE-2099-2000"),
    Case("affected-fix", Status.AFFECTED, vuln="CVE-2099-3000"),
    Case(
        "affected-nofix",
        Status.AFFECTED,
        detail="use new-lib",
        vuln="GHSA-xxxx-yyyy-zzzz",
        fix=None,
    ),
    Case("fixed", Status.FIXED, detail="patched downstream", vuln="CVE-2099-3000"),
    Case("false-positive", Status.FALSE_POSITIVE, detail="not this package", vuln="CVE-2099-3000"),
    Case("ignored", Status.IGNORED, detail="test only", vuln="CVE-2099-3000"),
    Case("na-detail-only", Status.NOT_AFFECTED, None, "not reachable from our API"),
    # OpenVEX words are CSAF's labels; CycloneDX's writer maps them to its own words.
    _na(
        "component_not_present",
        "component_not_present",
        "code_not_present",
        "component_not_present",
    ),
    _na(
        "vulnerable_code_not_present",
        "vulnerable_code_not_present",
        "code_not_present",
        "vulnerable_code_not_present",
    ),
    _na(
        "vulnerable_code_not_in_execute_path",
        "vulnerable_code_not_in_execute_path",
        "code_not_reachable",
        "vulnerable_code_not_in_execute_path",
    ),
    _na(
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "protected_by_mitigating_control",
        "vulnerable_code_cannot_be_controlled_by_adversary",
    ),
    _na(
        "inline_mitigations_already_exist",
        "inline_mitigations_already_exist",
        "protected_by_mitigating_control",
        "inline_mitigations_already_exist",
    ),
    # CycloneDX words: CSAF and OpenVEX have only the five labels above.
    _na(
        "code_not_present",
        "vulnerable_code_not_present",
        "code_not_present",
        "vulnerable_code_not_present",
    ),
    _na(
        "code_not_reachable",
        "vulnerable_code_not_in_execute_path",
        "code_not_reachable",
        "vulnerable_code_not_in_execute_path",
    ),
    _na(
        "requires_configuration",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "requires_configuration",
        "vulnerable_code_cannot_be_controlled_by_adversary",
    ),
    _na(
        "requires_dependency",
        "component_not_present",
        "requires_dependency",
        "component_not_present",
    ),
    _na(
        "requires_environment",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "requires_environment",
        "vulnerable_code_cannot_be_controlled_by_adversary",
    ),
    _na(
        "protected_by_compiler",
        "inline_mitigations_already_exist",
        "protected_by_compiler",
        "inline_mitigations_already_exist",
    ),
    _na(
        "protected_at_runtime",
        "inline_mitigations_already_exist",
        "protected_at_runtime",
        "inline_mitigations_already_exist",
    ),
    _na(
        "protected_at_perimeter",
        "inline_mitigations_already_exist",
        "protected_at_perimeter",
        "inline_mitigations_already_exist",
    ),
    _na(
        "protected_by_mitigating_control",
        "inline_mitigations_already_exist",
        "protected_by_mitigating_control",
        "inline_mitigations_already_exist",
    ),
)
# Words only CycloneDX has (the OpenVEX writer has no mapping for them yet).
CDX_WORDS = frozenset(
    c.justification for c in CASES if c.justification and c.justification != c.openvex
)


def finding(case: Case) -> Finding:
    c = component_from_purl(f"pkg:pypi/{case.package}@1.0")
    ids = tuple(sorted({case.vuln, f"PYSEC-{case.name}"}))
    decision = None
    if case.status is not Status.ACTIVE:
        decision = Decision(case.status, "triage.json", case.justification, case.detail)
    return Finding(
        component=c,
        primary_id=case.vuln,
        ids=ids,
        advisory_ids=(f"PYSEC-{case.name}",),
        matches=(),
        rating=Rating(Level.CRITICAL, 9.8, "CVSS_V3", VECTOR, f"PYSEC-{case.name}"),
        kev=False,
        fix=case.fix,
        decision=decision,
    )


def result(findings: list[Finding]) -> ScanResult:
    findings = sorted(findings, key=lambda f: (f.component.ref, f.primary_id))
    components = tuple(f.component for f in findings)
    return ScanResult("product", components, len(components), tuple(findings), (), ())


def triaged() -> ScanResult:
    return result([finding(c) for c in CASES])


def untriaged(r: ScanResult) -> list[Finding]:
    return [replace(f, decision=None) for f in r.findings]

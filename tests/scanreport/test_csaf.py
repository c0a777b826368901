"""``--format csaf-vex``: the golden, the official CSAF 2.0 schema, the VEX profile's
mandatory tests (6.1.27.x, as csaf-vex's verifier implements them), and what the reader
takes back.

The schemas are csaf-vex's package data: the OASIS CSAF 2.0 JSON schema
(``https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json``) and FIRST's CVSS
schemas it refers to, registered under the URLs it uses so nothing is fetched.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from csaf_vex.verification import Verifier
from jsonschema import Draft202012Validator
from match.conftest import build_store
from referencing import Registry, Resource
from scanreport.vexcases import SHARED_CVE, result, triaged, untriaged
from testkit import TESTDATA

from sbomkit.cli.main import main
from sbomkit.match.vex_in import apply_vex, load_vex
from sbomkit.scanreport.csaf import write_csaf_vex
from sbomkit.scanreport.registry import FORMATS

DATA = TESTDATA / "scan"
GOLDENS = DATA / "goldens"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z, as the scan tests use


@cache
def _validator() -> Draft202012Validator:
    schemas = files("csaf_vex.verification.schemas")

    def load(name: str) -> dict[str, Any]:
        return json.loads(schemas.joinpath(name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]

    cvss = [
        (f"https://www.first.org/cvss/cvss-v{v}.json", load(f"cvss_v{v.replace('.', '_')}.json"))
        for v in ("2.0", "3.0", "3.1")
    ]
    registry: Registry[Any] = Registry().with_resources(
        (uri, Resource.from_contents(schema)) for uri, schema in cvss
    )
    schema = load("csaf_2_0.json")
    assert schema["$id"] == "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(doc: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(doc)]


def profile_failures(doc: dict[str, Any]) -> list[str]:
    """CSAF VEX profile and mandatory tests that do not pass (skipped = not applicable)."""
    report = Verifier(doc).run_csaf_compliance()
    return [
        f"{r.test_id} {r.test_name}: {r.message} {r.details}"
        for r in report.results
        if r.status.value not in ("pass", "skip")
    ]


@pytest.fixture(scope="module")
def scan_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build_store(tmp_path_factory.mktemp("csafdb"))


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.mark.parametrize(
    ("golden", "extra"),
    [("small.csaf.json", ()), ("vexed.csaf.json", ("--vex", "openvex.json"))],
    ids=["untriaged", "vexed"],
)
def test_golden(
    scan_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    golden: str,
    extra: tuple[str, ...],
) -> None:
    monkeypatch.chdir(DATA)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("SBOMKIT_DB", str(scan_db))
    monkeypatch.setenv("LANG", "C")
    out = tmp_path / golden
    assert main(["scan", "small.cdx.json", "-f", "csaf-vex", "-o", str(out), *extra]) == 0
    text = out.read_text(encoding="utf-8")
    if os.environ.get("UPDATE_GOLDENS"):
        (GOLDENS / golden).write_text(text, encoding="utf-8")
    assert text == (GOLDENS / golden).read_text(encoding="utf-8")
    doc = json.loads(text)
    assert schema_errors(doc) == []
    assert profile_failures(doc) == []


def test_every_decision_follows_the_profile(epoch: None) -> None:
    doc = json.loads(write_csaf_vex(triaged()))
    assert schema_errors(doc) == []
    assert profile_failures(doc) == []
    assert doc["document"]["category"] == "csaf_vex"
    vulns = {v.get("cve") or v["ids"][0]["text"]: v for v in doc["vulnerabilities"]}
    assert list(vulns) == ["CVE-2099-1000", "CVE-2099-2000", "CVE-2099-3000", "GHSA-xxxx-yyyy-zzzz"]
    # untriaged and under investigation alike; an ignore is no VEX claim
    assert vulns["CVE-2099-2000"]["product_status"] == {
        "under_investigation": ["pkg:pypi/active@1.0", "pkg:pypi/investigating@1.0"]
    }
    fixed_or_affected = vulns["CVE-2099-3000"]
    assert fixed_or_affected["product_status"] == {
        "fixed": ["pkg:pypi/fixed@1.0"],
        "known_affected": ["pkg:pypi/affected-fix@1.0"],
        "known_not_affected": ["pkg:pypi/false-positive@1.0"],  # CSAF has no false positive
    }
    assert fixed_or_affected["remediations"] == [
        {
            "category": "vendor_fix",
            "details": "Upgrade to 1.1",
            "product_ids": ["pkg:pypi/affected-fix@1.0"],
        }
    ]


def test_not_affected_flags_and_threats(epoch: None) -> None:
    doc = json.loads(write_csaf_vex(triaged()))
    (v,) = (v for v in doc["vulnerabilities"] if v.get("cve") == SHARED_CVE)
    assert "ids" not in v or all(i["text"] != SHARED_CVE for i in v["ids"])
    assert len(v["product_status"]["known_not_affected"]) == 15
    assert {f["label"]: len(f["product_ids"]) for f in v["flags"]} == {
        "component_not_present": 2,  # + requires_dependency
        "inline_mitigations_already_exist": 5,  # + four protected_* words
        "vulnerable_code_cannot_be_controlled_by_adversary": 3,  # + requires_*: 2
        "vulnerable_code_not_in_execute_path": 2,  # + code_not_reachable
        "vulnerable_code_not_present": 2,  # + code_not_present
    }
    # No justification: the impact statement the profile then requires.
    assert v["threats"] == [
        {
            "category": "impact",
            "details": "not reachable from our API",
            "product_ids": ["pkg:pypi/na-detail-only@1.0"],
        }
    ]


def test_affected_without_fix_and_without_cve(epoch: None) -> None:
    doc = json.loads(write_csaf_vex(triaged()))
    v = doc["vulnerabilities"][-1]
    assert "cve" not in v
    assert v["ids"] == [
        {"system_name": "OSV", "text": "GHSA-xxxx-yyyy-zzzz"},
        {"system_name": "OSV", "text": "PYSEC-affected-nofix"},
    ]
    ids = ["pkg:pypi/affected-nofix@1.0"]
    assert v["remediations"] == [
        {"category": "mitigation", "details": "use new-lib", "product_ids": ids},
        {"category": "none_available", "details": "No fixed version is known", "product_ids": ids},
    ]
    assert v["scores"] == [
        {
            "cvss_v3": {
                "version": "3.1",
                "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "baseScore": 9.8,
                "baseSeverity": "CRITICAL",
            },
            "products": ids,
        }
    ]


def test_details_come_back(epoch: None, tmp_path: Path) -> None:
    r = triaged()
    path = tmp_path / "vex.csaf.json"
    path.write_bytes(write_csaf_vex(r))
    back = {
        f.component.name: f.decision.detail if f.decision else None
        for f in apply_vex(untriaged(r), load_vex(path))
    }
    assert (back["na-detail-only"], back["affected-nofix"], back["affected-fix"]) == (
        "not reachable from our API",
        "use new-lib",
        "Upgrade to 1.1",
    )
    assert back["na-component-not-present"] is None


def test_nothing_found_is_a_base_document(epoch: None, tmp_path: Path) -> None:
    # The VEX profile requires vulnerabilities; an empty scan states none, as csaf_base.
    data = write_csaf_vex(result([]))
    doc = json.loads(data)
    assert (doc["document"]["category"], sorted(doc)) == ("csaf_base", ["document"])
    assert doc["document"]["notes"][0]["text"] == (
        "No known vulnerabilities were found in the components of product."
    )
    assert schema_errors(doc) == []
    (tmp_path / "empty.json").write_bytes(data)
    assert load_vex(tmp_path / "empty.json") == []


def test_tracking_id_is_derived_from_content(epoch: None) -> None:
    def tracking_id(target_findings: int) -> str:
        r = triaged()
        r = result(list(r.findings[:target_findings]))
        return str(json.loads(write_csaf_vex(r))["document"]["tracking"]["id"])

    assert tracking_id(3) == tracking_id(3)
    assert tracking_id(3) != tracking_id(4)
    assert tracking_id(3).startswith("sbomkit-vex-")


def test_schema_check_is_real(epoch: None) -> None:
    doc = json.loads(write_csaf_vex(triaged()))
    del doc["document"]["tracking"]["id"]
    doc["vulnerabilities"][0]["product_status"] = {"fixed": []}
    assert schema_errors(doc) == [
        "['document', 'tracking']: 'id' is a required property",
        "['vulnerabilities', 0, 'product_status', 'fixed']: [] should be non-empty",
    ]


def test_reader_resolves_product_groups_and_impact_only(tmp_path: Path) -> None:
    purl = "pkg:npm/%40scope/lib@2.0.0"
    doc = {
        "document": {"category": "csaf_vex", "csaf_version": "2.0"},
        "product_tree": {
            "full_product_names": [
                {"name": "lib", "product_id": "P1", "product_identification_helper": {"purl": purl}}
            ],
            "product_groups": [{"group_id": "G1", "product_ids": ["P1"]}],
        },
        "vulnerabilities": [
            {
                "cve": "CVE-2099-7",
                "product_status": {"known_not_affected": ["P1"]},
                "flags": [{"label": "component_not_present", "group_ids": ["G1"]}],
                "threats": [
                    {"category": "exploit_status", "details": "none known", "product_ids": ["P1"]},
                    {"category": "impact", "details": "not shipped", "group_ids": ["G1"]},
                ],
            }
        ],
    }
    path = tmp_path / "groups.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    (s,) = load_vex(path)
    assert (s.justification, s.detail, str(s.products[0].purl)) == (
        "component_not_present",
        "not shipped",
        purl,
    )


def test_registered() -> None:
    assert "csaf-vex" in FORMATS

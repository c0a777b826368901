"""Each profile on a complete hand-built inventory and on one scenario per missing element:
the exact result of every rule and the exact score."""

from __future__ import annotations

from dataclasses import replace

import pytest
from quality.scenarios import (
    APP,
    COMPLETE,
    LIB_A,
    LIB_B,
    with_component,
    with_meta,
    without_primary,
)

from sbomkit.identity import make_component
from sbomkit.model import Component, ComponentType, Dependency, Hash, Inventory, License
from sbomkit.quality.engine import ProfileResult
from sbomkit.quality.registry import PROFILES, check

# rule id -> (passed, failed, ((component, why code, detail), ...))
Rows = dict[str, tuple[int, int, tuple[tuple[str, str, str], ...]]]

DOC = ""  # a document-level failure names no component
MISSING = "q-why-missing"


def rows(result: ProfileResult) -> Rows:
    return {
        r.rule.id: (
            r.passed,
            r.failed,
            tuple((f.component, f.why.value, f.detail) for f in r.failures),
        )
        for r in result.results
    }


def run(profile: str, inv: Inventory) -> ProfileResult:
    (result,) = check(inv, (profile,))
    return result


def expect(profile: str, **failing: tuple[int, int, tuple[tuple[str, str, str], ...]]) -> Rows:
    """The complete inventory's rows with ``failing`` (rule id with "." as "__") changed."""
    base = rows(run(profile, COMPLETE))
    for key, row in failing.items():
        rid = key.replace("__", ".").replace("_", "-")
        assert rid in base, rid
        base[rid] = row
    return base


def test_rule_ids_and_order_are_stable() -> None:
    assert {p: [r.id for r in rules] for p, rules in PROFILES.items()} == {
        "ntia": [
            "ntia.supplier", "ntia.name", "ntia.version", "ntia.identifier",
            "ntia.dependency", "ntia.author", "ntia.timestamp",
        ],
        "cisa-2024": [
            "cisa.author", "cisa.timestamp", "cisa.type", "cisa.primary", "cisa.name",
            "cisa.version", "cisa.supplier", "cisa.identifier", "cisa.hash",
            "cisa.primary-relationship", "cisa.included-in", "cisa.license", "cisa.copyright",
        ],
        "bsi-tr03183-2.1": [
            "bsi.format", "bsi.creator", "bsi.timestamp", "bsi.component-creator", "bsi.name",
            "bsi.version", "bsi.filename", "bsi.dependencies", "bsi.completeness",
            "bsi.distribution-licence", "bsi.hash", "bsi.executable", "bsi.archive",
            "bsi.structured", "bsi.sbom-uri", "bsi.source-uri", "bsi.deployable-uri",
            "bsi.identifier", "bsi.original-licence", "bsi.no-vulnerabilities",
        ],
        "meti": [
            "meti.supplier", "meti.name", "meti.version", "meti.identifier",
            "meti.dependency", "meti.author", "meti.timestamp", "meti.license", "meti.hash",
            "meti.format-current",
        ],
    }  # fmt: skip


# Rules that look at the document once; every other rule looks at the three components
# (CISA's "included in" at the two that are not the primary).
DOCUMENT_RULES = {
    "ntia.dependency", "ntia.author", "ntia.timestamp",
    "cisa.author", "cisa.timestamp", "cisa.type", "cisa.primary", "cisa.primary-relationship",
    "bsi.format", "bsi.creator", "bsi.timestamp", "bsi.completeness", "bsi.sbom-uri",
    "bsi.no-vulnerabilities",
    "meti.dependency", "meti.author", "meti.timestamp", "meti.format-current",
}  # fmt: skip


@pytest.mark.parametrize("profile", list(PROFILES))
def test_complete_inventory_passes_everything(profile: str) -> None:
    result = run(profile, COMPLETE)
    subjects = {r.id: 1 if r.id in DOCUMENT_RULES else 3 for r in PROFILES[profile]}
    if profile == "cisa-2024":
        subjects["cisa.included-in"] = 2
    assert rows(result) == {rid: (n, 0, ()) for rid, n in subjects.items()}
    assert result.score == 10.0
    assert result.passed


def _one(ref: str, why: str = MISSING, detail: str = "") -> tuple[tuple[str, str, str], ...]:
    return ((ref, why, detail),)


NTIA_CASES = [
    ("no-supplier", with_component(LIB_B, supplier=None), 9.5,
     {"ntia__supplier": (2, 1, _one(LIB_B.ref))}),
    ("noassertion-supplier", with_component(LIB_B, supplier="NOASSERTION"), 9.5,
     {"ntia__supplier": (2, 1, _one(LIB_B.ref))}),
    ("no-name", with_component(LIB_B, name=""), 9.5,
     {"ntia__name": (2, 1, _one(LIB_B.ref))}),
    ("no-version", with_component(LIB_A, version=None), 9.5,
     {"ntia__version": (2, 1, _one(LIB_A.ref))}),
    ("no-identifier", with_component(LIB_A, purl=None), 9.5,
     {"ntia__identifier": (2, 1, _one(LIB_A.ref))}),
    ("cpe-is-an-identifier",
     with_component(LIB_A, purl=None, cpes=("cpe:2.3:a:example:lib-a:1.0:*:*:*:*:*:*:*",)),
     10.0, {}),
    ("swid-is-an-identifier",
     with_component(LIB_A, purl=None, extra=(("cyclonedx:swid", '{"tagId":"x"}'),)), 10.0, {}),
    ("no-dependency-relationship", without_primary(), 8.6,
     {"ntia__dependency": (0, 1, _one(DOC, "q-why-no-root"))}),
    ("describes-relationship-is-enough",
     without_primary(Dependency("SPDXRef-DOCUMENT", APP.ref, "DESCRIBES")), 10.0, {}),
    ("describes-an-unknown-component",
     without_primary(Dependency("SPDXRef-DOCUMENT", "pkg:npm/ghost@1", "DESCRIBES")), 8.6,
     {"ntia__dependency": (0, 1, _one(DOC, "q-why-no-root"))}),
    ("no-author", with_meta(authors=(), tools=()), 8.6,
     {"ntia__author": (0, 1, _one(DOC))}),
    ("tool-is-an-author", with_meta(authors=()), 10.0, {}),
    ("no-timestamp", with_meta(timestamp=None), 8.6,
     {"ntia__timestamp": (0, 1, _one(DOC))}),
    ("bad-timestamp", with_meta(timestamp="last tuesday"), 8.6,
     {"ntia__timestamp": (0, 1, _one(DOC, "q-why-bad-timestamp", "last tuesday"))}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("inv", "score", "failing"), [c[1:] for c in NTIA_CASES], ids=[c[0] for c in NTIA_CASES]
)
def test_ntia(inv: Inventory, score: float, failing: Rows) -> None:
    result = run("ntia", inv)
    assert rows(result) == expect("ntia", **failing)
    assert result.score == score
    assert result.passed is (not failing)


def test_ntia_empty_inventory_fails_every_rule() -> None:
    result = run("ntia", Inventory(components=()))
    assert rows(result) == {
        "ntia.supplier": (0, 1, _one(DOC, "q-why-no-components")),
        "ntia.name": (0, 1, _one(DOC, "q-why-no-components")),
        "ntia.version": (0, 1, _one(DOC, "q-why-no-components")),
        "ntia.identifier": (0, 1, _one(DOC, "q-why-no-components")),
        "ntia.dependency": (0, 1, _one(DOC, "q-why-no-root")),
        "ntia.author": (0, 1, _one(DOC)),
        "ntia.timestamp": (0, 1, _one(DOC)),
    }
    assert result.score == 0.0


CISA_CASES = [
    ("no-author-name", with_meta(authors=(), supplier=None), 9.2,
     {"cisa__author": (0, 1, _one(DOC))}),
    ("supplier-names-the-author", with_meta(authors=()), 10.0, {}),
    ("no-timestamp", with_meta(timestamp=None), 9.2,
     {"cisa__timestamp": (0, 1, _one(DOC))}),
    ("no-type", with_meta(lifecycle=None), 9.2, {"cisa__type": (0, 1, _one(DOC))}),
    ("no-name", with_component(LIB_A, name=""), 9.7, {"cisa__name": (2, 1, _one(LIB_A.ref))}),
    ("no-version", with_component(LIB_A, version=""), 9.7,
     {"cisa__version": (2, 1, _one(LIB_A.ref))}),
    ("no-supplier", with_component(APP, supplier=None), 9.7,
     {"cisa__supplier": (2, 1, _one(APP.ref))}),
    ("no-identifier", with_component(LIB_B, purl=None), 9.7,
     {"cisa__identifier": (2, 1, _one(LIB_B.ref))}),
    ("no-hash", with_component(LIB_A, hashes=()), 9.9,
     {"cisa__hash": (2, 1, _one(LIB_A.ref))}),
    ("no-license", with_component(LIB_B, licenses=()), 9.7,
     {"cisa__license": (2, 1, _one(LIB_B.ref))}),
    ("noassertion-license", with_component(LIB_B, licenses=(License("NOASSERTION", False),)),
     9.7, {"cisa__license": (2, 1, _one(LIB_B.ref))}),
    ("no-copyright", with_component(LIB_B, copyright=None), 9.7,
     {"cisa__copyright": (2, 1, _one(LIB_B.ref))}),
    ("primary-without-relationships",
     replace(COMPLETE, dependencies=(Dependency(LIB_A.ref, LIB_B.ref),)), 9.0,
     {"cisa__primary_relationship": (0, 1, _one(DOC, "q-why-no-primary-edges")),
      "cisa__included_in": (1, 1, _one(LIB_A.ref, "q-why-not-included"))}),
    ("no-primary", without_primary(), 8.2,
     {"cisa__primary": (0, 1, _one(DOC, "q-why-no-root")),
      "cisa__primary_relationship": (0, 1, _one(DOC, "q-why-no-root")),
      "cisa__included_in": (2, 1, _one(APP.ref, "q-why-not-included"))}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("inv", "score", "failing"), [c[1:] for c in CISA_CASES], ids=[c[0] for c in CISA_CASES]
)
def test_cisa(inv: Inventory, score: float, failing: Rows) -> None:
    result = run("cisa-2024", inv)
    assert rows(result) == expect("cisa-2024", **failing)
    assert result.score == score
    required = {r.rule.id for r in result.results if r.rule.level.value == "required"}
    assert result.passed is not any(
        k.replace("__", ".").replace("_", "-") in required for k in failing
    )


NEED_BSI = "need cyclonedx-1.6 or spdx-3.0.1 or later"
NO_SPDX = "q-why-not-spdx"

BSI_CASES = [
    ("spdx-2.3", with_meta(spec="spdx-2.3"), 9.4,
     {"bsi__format": (0, 1, _one(DOC, "q-why-old-format", f"spdx-2.3; {NEED_BSI}"))}),
    ("cyclonedx-1.5", with_meta(spec="cyclonedx-1.5"), 9.4,
     {"bsi__format": (0, 1, _one(DOC, "q-why-old-format", f"cyclonedx-1.5; {NEED_BSI}"))}),
    ("spdx-3.0.1", with_meta(spec="spdx-3.0.1"), 10.0, {}),
    ("no-spec", with_meta(spec=None), 9.4, {"bsi__format": (0, 1, _one(DOC))}),
    ("creator-without-contact", with_meta(authors=("Jane Doe",)), 9.4,
     {"bsi__creator": (0, 1, _one(DOC, "q-why-no-contact"))}),
    ("creator-url-as-supplier", with_meta(authors=(), supplier="https://acme.example"), 10.0,
     {}),
    ("no-timestamp", with_meta(timestamp=None), 9.4, {"bsi__timestamp": (0, 1, _one(DOC))}),
    ("component-creator-without-contact", with_component(LIB_B, supplier="Lib B"), 9.8,
     {"bsi__component_creator": (2, 1, _one(LIB_B.ref, "q-why-no-contact"))}),
    ("component-author-with-email",
     with_component(LIB_B, supplier="Lib B", author="Bob <bob@example.org>"), 10.0, {}),
    ("no-name", with_component(LIB_B, name=""), 9.8, {"bsi__name": (2, 1, _one(LIB_B.ref))}),
    ("no-version", with_component(LIB_B, version=None), 9.8,
     {"bsi__version": (2, 1, _one(LIB_B.ref))}),
    ("no-bsi-properties", with_component(LIB_B, properties=()), 9.2,
     {"bsi__filename": (2, 1, _one(LIB_B.ref)),
      "bsi__executable": (2, 1, _one(LIB_B.ref)),
      "bsi__archive": (2, 1, _one(LIB_B.ref)),
      "bsi__structured": (2, 1, _one(LIB_B.ref))}),
    ("not-in-the-graph", replace(COMPLETE, dependencies=(Dependency(APP.ref, LIB_A.ref),)), 9.8,
     {"bsi__dependencies": (2, 1, _one(LIB_B.ref, "q-why-not-in-graph"))}),
    ("no-completeness", replace(COMPLETE, extra=()), 9.7,
     {"bsi__completeness": (0, 1, _one(DOC))}),
    ("only-declared-licence", with_component(LIB_A, licenses=(License("MIT", True),)), 9.8,
     {"bsi__distribution_licence": (2, 1, _one(LIB_A.ref, NO_SPDX))}),
    ("concluded-licence-not-spdx",
     with_component(LIB_A, licenses=(License("see LICENSE.txt", False, True),
                                     License("MIT", True))), 9.8,
     {"bsi__distribution_licence": (2, 1, _one(LIB_A.ref, NO_SPDX))}),
    ("only-concluded-licence", with_component(LIB_A, licenses=(License("MIT", True, True),)),
     9.9, {"bsi__original_licence": (2, 1, _one(LIB_A.ref, NO_SPDX))}),
    ("sha-256-only", with_component(LIB_A, hashes=(Hash("SHA-256", "cd" * 32),)), 9.8,
     {"bsi__hash": (2, 1, _one(LIB_A.ref, "q-why-no-sha512"))}),
    ("no-sbom-uri", with_meta(document_id=None), 9.7, {"bsi__sbom_uri": (0, 1, _one(DOC))}),
    ("no-source-uri", with_component(LIB_A, external_refs=()), 9.9,
     {"bsi__source_uri": (2, 1, _one(LIB_A.ref))}),
    ("no-deployable-uri", with_component(LIB_A, source_url=None), 9.9,
     {"bsi__deployable_uri": (2, 1, _one(LIB_A.ref))}),
    ("no-identifier", with_component(LIB_A, purl=None), 9.9,
     {"bsi__identifier": (2, 1, _one(LIB_A.ref))}),
    ("cyclonedx-vulnerabilities",
     replace(COMPLETE, extra=(*COMPLETE.extra, ("cyclonedx:vulnerabilities", "[]"))), 9.4,
     {"bsi__no_vulnerabilities": (0, 1, _one(DOC, "q-why-vulns", "cyclonedx:vulnerabilities"))}),
    ("spdx3-vulnerability",
     replace(COMPLETE, extra=(*COMPLETE.extra, ("spdx3:security_Vulnerability", "{}"))), 9.4,
     {"bsi__no_vulnerabilities":
      (0, 1, _one(DOC, "q-why-vulns", "spdx3:security_Vulnerability"))}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("inv", "score", "failing"), [c[1:] for c in BSI_CASES], ids=[c[0] for c in BSI_CASES]
)
def test_bsi(inv: Inventory, score: float, failing: Rows) -> None:
    result = run("bsi-tr03183-2.1", inv)
    assert rows(result) == expect("bsi-tr03183-2.1", **failing)
    assert result.score == score


NEED_METI = "need cyclonedx-1.5 or spdx-2.3 or later"

METI_CASES = [
    ("no-supplier", with_component(LIB_B, supplier=None), 9.6,
     {"meti__supplier": (2, 1, _one(LIB_B.ref))}),
    ("no-version", with_component(LIB_B, version=None), 9.6,
     {"meti__version": (2, 1, _one(LIB_B.ref))}),
    ("no-identifier", with_component(LIB_B, purl=None), 9.6,
     {"meti__identifier": (2, 1, _one(LIB_B.ref))}),
    ("no-dependency-relationship", without_primary(), 8.8,
     {"meti__dependency": (0, 1, _one(DOC, "q-why-no-root"))}),
    ("no-author", with_meta(authors=(), tools=()), 8.8, {"meti__author": (0, 1, _one(DOC))}),
    ("no-timestamp", with_meta(timestamp=None), 8.8, {"meti__timestamp": (0, 1, _one(DOC))}),
    ("no-license", with_component(LIB_B, licenses=()), 9.8,
     {"meti__license": (2, 1, _one(LIB_B.ref))}),
    ("no-hash", with_component(LIB_A, hashes=()), 9.8, {"meti__hash": (2, 1, _one(LIB_A.ref))}),
    ("spdx-2.2", with_meta(spec="spdx-2.2"), 9.4,
     {"meti__format_current": (0, 1, _one(DOC, "q-why-old-format", f"spdx-2.2; {NEED_METI}"))}),
    ("cyclonedx-1.4", with_meta(spec="cyclonedx-1.4"), 9.4,
     {"meti__format_current":
      (0, 1, _one(DOC, "q-why-old-format", f"cyclonedx-1.4; {NEED_METI}"))}),
    ("spdx-2.3", with_meta(spec="spdx-2.3"), 10.0, {}),
    ("spdx-3.0.1", with_meta(spec="spdx-3.0.1"), 10.0, {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("inv", "score", "failing"), [c[1:] for c in METI_CASES], ids=[c[0] for c in METI_CASES]
)
def test_meti(inv: Inventory, score: float, failing: Rows) -> None:
    result = run("meti", inv)
    assert rows(result) == expect("meti", **failing)
    assert result.score == score


def test_meti_cites_the_guidance_for_ntia_elements() -> None:
    clauses = {r.id: r.clause for r in PROFILES["meti"]}
    assert clauses["meti.supplier"] == (
        "METI SBOM手引 ver2.0, SBOM作成・共有フェーズ (NTIA minimum element: Supplier Name)"
    )
    assert clauses["meti.format-current"] == (
        "METI SBOM手引 ver2.0, SBOM作成・共有フェーズ (フォーマットのバージョン / format version)"
    )


def test_spdx_file_elements_are_not_components() -> None:
    spdx_file = Component(
        name="./src/main.c", version=None, ecosystem="", type=ComponentType.FILE,
        ref="SPDXRef-File-main",
    )  # fmt: skip
    inv = replace(COMPLETE, components=(*COMPLETE.components, spdx_file))
    assert rows(run("ntia", inv)) == rows(run("ntia", COMPLETE))


def test_file_components_with_identity_are_checked() -> None:
    jar = make_component("maven", "org.example:util", "1.0", type=ComponentType.FILE)
    inv = replace(COMPLETE, components=(*COMPLETE.components, jar))
    got = rows(run("ntia", inv))
    assert got["ntia.supplier"] == (3, 1, _one(jar.ref))
    assert got["ntia.name"] == (4, 0, ())

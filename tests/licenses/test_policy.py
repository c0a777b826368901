import datetime as dt

import pytest
from testkit import TESTDATA

from sbomkit.catalog.build import build_inventory
from sbomkit.errors import UsageError
from sbomkit.licenses.analyze import analyze
from sbomkit.licenses.evaluate import judge
from sbomkit.licenses.policy import Verdict, default_policy, load

POLICIES = TESTDATA / "licenses" / "policies"
PROJECT = TESTDATA / "licenses" / "project"


@pytest.mark.parametrize(
    ("expression", "model", "verdict", "chosen"),
    [
        ("MIT OR GPL-3.0-only", "distributed-binary", Verdict.ALLOW, "MIT"),
        ("GPL-3.0-only OR MIT", "distributed-binary", Verdict.ALLOW, "MIT"),
        ("MIT AND GPL-3.0-only", "distributed-binary", Verdict.DENY, "MIT AND GPL-3.0-only"),
        ("MIT AND GPL-3.0-only", "saas", Verdict.ALLOW, "MIT AND GPL-3.0-only"),
        ("AGPL-3.0-only", "saas", Verdict.DENY, "AGPL-3.0-only"),
        ("AGPL-3.0-only", "internal", Verdict.ALLOW, "AGPL-3.0-only"),
        (
            "GPL-2.0-only WITH Classpath-exception-2.0",
            "distributed-binary",
            Verdict.ALLOW,
            "GPL-2.0-only WITH Classpath-exception-2.0",
        ),
        ("LGPL-2.1-only", "distributed-binary", Verdict.REVIEW, "LGPL-2.1-only"),
        ("LicenseRef-sbomkit-unknown", "internal", Verdict.REVIEW, "LicenseRef-sbomkit-unknown"),
        ("(MIT", "internal", Verdict.REVIEW, "LicenseRef-sbomkit-unknown"),
    ],
)
def test_expression_semantics(expression: str, model: str, verdict: Verdict, chosen: str) -> None:
    judged = judge(expression, model, load(POLICIES / "strict.toml"))
    assert (judged.verdict, judged.terms) == (verdict, chosen)


def test_with_exception_lowers_the_category_in_the_default_policy() -> None:
    judged = judge(
        "GPL-2.0-only WITH Classpath-exception-2.0", "distributed-binary", default_policy()
    )
    assert (judged.verdict, judged.category.value) == (Verdict.REVIEW, "weak-copyleft")


def _gpl(today: dt.date) -> tuple[Verdict, str]:
    inventory = build_inventory(PROJECT)
    report = analyze(
        inventory, load(POLICIES / "strict.toml"), "distributed-binary", PROJECT, today
    ).report
    d = next(d for d in report.decisions if d.name == "gpl-pkg")
    return d.verdict, d.reason


def test_exception_before_expiry_allows() -> None:
    assert _gpl(dt.date(2026, 6, 30)) == (
        Verdict.ALLOW,
        "exception until 2026-06-30: LEGAL-42: build tool only",
    )


def test_expired_exception_is_ignored_and_said() -> None:
    assert _gpl(dt.date(2026, 7, 1)) == (
        Verdict.DENY,
        "GPL-3.0-only: strong-copyleft -> deny for distributed-binary; "
        "expired exception for pkg:npm/gpl-pkg (ended 2026-06-30)",
    )


def test_copyleft_conflict_names_the_dependency_path() -> None:
    inventory = build_inventory(PROJECT)
    report = analyze(inventory, default_policy(), "distributed-binary", PROJECT).report
    assert [(c.license, c.path) for c in report.conflicts] == [
        (
            "GPL-3.0-only",
            ("pkg:npm/acme-app@1.0.0", "pkg:npm/mit-pkg@1.0.0", "pkg:npm/gpl-pkg@3.1.0"),
        )
    ]
    saas = analyze(inventory, default_policy(), "saas", PROJECT).report
    assert saas.conflicts == ()


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        (
            "bad-model.toml",
            "distribution 'on-a-floppy' is not one of internal, saas, "
            "distributed-binary, distributed-source",
        ),
        ("not-a-list.toml", "default.allow must be a list of license ids or categories"),
        ("exception-no-reason.toml", "exceptions[0]: needs component and reason"),
    ],
)
def test_bad_policy(name: str, detail: str) -> None:
    with pytest.raises(UsageError) as e:
        load(POLICIES / name)
    assert e.value.detail == detail


def test_policy_not_toml() -> None:
    with pytest.raises(UsageError, match="not-toml.toml: license policy cannot be used"):
        load(POLICIES / "not-toml.toml")

"""``sbomkit explain``: why a component matched an advisory, or why not."""

# ruff: noqa: E501 -- expected outputs are whole lines of the real output

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import TESTDATA

from sbomkit.cli.main import main


@pytest.fixture
def run(scan_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(TESTDATA / "scan")
    monkeypatch.setenv("SBOMKIT_DB", str(scan_db))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("LANG", "C")
    monkeypatch.delenv("SBOMKIT_LANG", raising=False)

    def call(*args: str) -> tuple[int, str, str]:
        code = main(["explain", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return call


CASES = {
    "affected-by-alias": (
        ("pkg:pypi/demo-lib@1.1.0", "GHSA-aaaa-bbbb-cccc"),
        """\
pkg:pypi/demo-lib@1.1.0: looked up as 'demo-lib' in PyPI
TEST-PY-1 (aliases: CVE-2099-0001, GHSA-aaaa-bbbb-cccc) affected entry for PyPI Demo_Lib
  range 0 (ECOSYSTEM): introduced 0, fixed 1.2.0
  verdict for 1.1.0: affected (range 0: introduced 0, fixed 1.2.0)
pkg:pypi/demo-lib@1.1.0 IS affected by GHSA-aaaa-bbbb-cccc
fix: upgrade to 1.2.0
""",
    ),
    "both-records-of-a-cve": (
        ("demo-lib@1.1.0", "CVE-2099-0001", "small.cdx.json"),
        """\
pkg:pypi/demo-lib@1.1.0: looked up as 'demo-lib' in PyPI
PYSEC-TEST-2 (aliases: CVE-2099-0001) affected entry for PyPI demo-lib
  range 0 (ECOSYSTEM): introduced 1.0, fixed 1.1.5
  verdict for 1.1.0: affected (range 0: introduced 1.0, fixed 1.1.5)
TEST-PY-1 (aliases: CVE-2099-0001, GHSA-aaaa-bbbb-cccc) affected entry for PyPI Demo_Lib
  range 0 (ECOSYSTEM): introduced 0, fixed 1.2.0
  verdict for 1.1.0: affected (range 0: introduced 0, fixed 1.2.0)
pkg:pypi/demo-lib@1.1.0 IS affected by CVE-2099-0001
fix: upgrade to 1.2.0
""",
    ),
    "not-affected-between-ranges": (
        ("pkg:pypi/demo-lib@2.0.5", "TEST-PY-3"),
        """\
pkg:pypi/demo-lib@2.0.5: looked up as 'demo-lib' in PyPI
TEST-PY-3 (aliases: -) affected entry for PyPI demo-lib
  range 0 (ECOSYSTEM): introduced 2.0, fixed 2.0.3, introduced 2.1, fixed 2.1.1
  verdict for 2.0.5: not-affected (range 0: introduced 2.0, fixed 2.0.3)
pkg:pypi/demo-lib@2.0.5 is NOT affected by TEST-PY-3
""",
    ),
    "withdrawn": (
        ("pkg:pypi/demo-lib@1.0", "TEST-PY-5"),
        """\
pkg:pypi/demo-lib@1.0: looked up as 'demo-lib' in PyPI
TEST-PY-5 (aliases: -) affected entry for PyPI demo-lib
  range 0 (ECOSYSTEM): introduced 0
  withdrawn on 2025-02-01T00:00:00Z: withdrawn advisories never produce findings
pkg:pypi/demo-lib@1.0 is NOT affected by TEST-PY-5
""",
    ),
    "other-release": (
        ("pkg:deb/debian/openssl@1.1.1n-0+deb11u3?distro=debian-11", "CVE-2099-0100"),
        """\
pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u3?distro=debian-11: looked up as 'openssl' in Debian:11
TEST-DEB-1 (aliases: CVE-2099-0100) affected entry for Debian:12 openssl
  range 0 (ECOSYSTEM): introduced 0, fixed 1:3.0.11-1~deb12u2
  for Debian:12, not this component's release 11: not considered
TEST-DEB-1 (aliases: CVE-2099-0100) affected entry for Debian:11 openssl
  range 0 (ECOSYSTEM): introduced 0, fixed 1.1.1w-0+deb11u1
  verdict for 1.1.1n-0+deb11u3: affected (range 0: introduced 0, fixed 1.1.1w-0+deb11u1)
pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u3?distro=debian-11 IS affected by CVE-2099-0100
fix: upgrade to 1.1.1w-0+deb11u1
""",
    ),
    "git-only": (
        ("pkg:pypi/demo-lib@1.0", "TEST-GIT-1"),
        """\
pkg:pypi/demo-lib@1.0: looked up as 'demo-lib' in PyPI
TEST-GIT-1 (aliases: -) affected entry for PyPI demo-lib
  range 0 (GIT): introduced 0, fixed abc123
  verdict for 1.0: not-affected (range 0: GIT range skipped (commit ranges need the repository))
pkg:pypi/demo-lib@1.0 is NOT affected by TEST-GIT-1
""",
    ),
    "unparseable-version": (
        ("pkg:pypi/demo-lib@not*valid", "TEST-PY-3"),
        """\
pkg:pypi/demo-lib@not%2Avalid: looked up as 'demo-lib' in PyPI
TEST-PY-3 (aliases: -) affected entry for PyPI demo-lib
  range 0 (ECOSYSTEM): introduced 2.0, fixed 2.0.3, introduced 2.1, fixed 2.1.1
  verdict for not*valid: unknown (range 0: 'not*valid' is not a valid PyPI version (not a PEP 440 version))
whether pkg:pypi/demo-lib@not%2Avalid is affected by TEST-PY-3 cannot be decided
""",
    ),
    "no-such-advisory": (
        ("pkg:pypi/demo-lib@1.0", "CVE-1999-0001"),
        """\
pkg:pypi/demo-lib@1.0: looked up as 'demo-lib' in PyPI
no advisory with id or alias CVE-1999-0001 names 'demo-lib' in PyPI
pkg:pypi/demo-lib@1.0 is NOT affected by CVE-1999-0001
""",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES), ids=sorted(CASES))
def test_explain(run, case: str) -> None:  # type: ignore[no-untyped-def]
    args, expected = CASES[case]
    assert run(*args) == (0, expected, "")


def test_name_needs_a_target(run) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("demo-lib@1.0", "CVE-2099-0001")
    assert code == 3
    assert err == (
        "sbomkit: give COMPONENT as a purl (pkg:pypi/jinja2@3.1.2), or as name@version with"
        " a TARGET\n"
    )


def test_component_not_in_target(run) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("nothere@1.0", "CVE-2099-0001", "small.cdx.json")
    assert (code, err) == (3, "sbomkit: small.cdx.json: no such component here (nothere@1.0)\n")

"""``sbomkit scan``: exit codes, --fail-on, ignores, VEX, and every output format exactly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from testkit import TESTDATA, validate_document

from sbomkit.cli.main import main

DATA = TESTDATA / "scan"
GOLDENS = DATA / "goldens"
EPOCH = "1767225600"  # as in conftest.py: 2026-01-01T00:00:00Z


@pytest.fixture
def run(scan_db: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(DATA)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("SBOMKIT_DB", str(scan_db))
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.delenv("SBOMKIT_LANG", raising=False)
    monkeypatch.setenv("LANG", "C")

    def call(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsysbinary.readouterr()
        return code, out.out.decode(), out.err.decode()

    return call


def _golden(name: str, text: str) -> None:
    path = GOLDENS / name
    if os.environ.get("UPDATE_GOLDENS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _ids(doc: dict[str, object]) -> list[tuple[str, str, str]]:
    findings = doc["findings"]
    assert isinstance(findings, list)
    return [(f["id"], f["component"]["ref"], f["status"]) for f in findings]


PROBLEMS = (
    "2 problem(s) in the input\n"
    "  warning: cdx:/components/3: not matched: no ecosystem identity (no purl of a known"
    " package type) (no-purl@1.0)\n"
    "  warning: pkg:generic/thing@1.0: not matched: no ecosystem identity (no purl of a known"
    " package type) (thing@1.0)\n"
)


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [
        ("json", "small.json"),
        ("sarif", "small.sarif"),
        ("cyclonedx-vdr", "small.vdr.cdx.json"),
        ("cyclonedx-vex", "small.vex.cdx.json"),
        ("openvex", "small.openvex.json"),
        ("table", "small.table.txt"),
    ],
)
def test_every_format_exactly(run, fmt: str, golden: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / golden
    code, stdout, stderr = run("scan", "small.cdx.json", "-f", fmt, "-o", str(out))
    assert (code, stdout) == (0, "")
    assert stderr.replace("\n    ", " ") == PROBLEMS or stderr == PROBLEMS
    text = out.read_text(encoding="utf-8")
    _golden(golden, text)
    if fmt in ("cyclonedx-vdr", "cyclonedx-vex"):
        validate_document("cyclonedx-json", "1.6", text.encode(), tmp_path)


def test_sarif_required_properties(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # No SARIF schema is available offline: the golden pins the document and this test
    # checks what SARIF 2.1.0 requires (version, runs[].tool.driver.name, results'
    # message.text, ruleId resolvable through ruleIndex).
    code, stdout, _ = run("scan", "small.cdx.json", "-f", "sarif")
    doc = json.loads(stdout)
    assert code == 0 and doc["version"] == "2.1.0"
    (run_,) = doc["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert run_["tool"]["driver"]["name"] == "sbomkit"
    for r in run_["results"]:
        assert r["message"]["text"]
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] in ("none", "note", "warning", "error")
    assert [(r["ruleId"], r["level"]) for r in run_["results"]] == [
        ("CVE-2099-0001", "error"),
        ("CVE-2099-0004", "warning"),
        ("TEST-PY-6", "warning"),
    ]


def test_openvex_shape(run) -> None:  # type: ignore[no-untyped-def]
    code, stdout, _ = run("scan", "small.cdx.json", "-f", "openvex")
    doc = json.loads(stdout)
    assert doc["@context"] == "https://openvex.dev/ns/v0.2.0"
    assert doc["@id"].startswith("urn:uuid:")
    assert [
        (s["vulnerability"]["name"], s["products"], s["status"]) for s in doc["statements"]
    ] == [
        ("CVE-2099-0001", [{"@id": "pkg:pypi/demo-lib@1.1.0"}], "under_investigation"),
        ("CVE-2099-0004", [{"@id": "pkg:pypi/old-lib@1.0"}], "under_investigation"),
        ("TEST-PY-6", [{"@id": "pkg:pypi/pre-lib@4.0.0rc1"}], "under_investigation"),
    ]


@pytest.mark.parametrize(
    ("level", "code"),
    [("critical", 2), ("high", 2), ("medium", 2), ("low", 2)],
)
def test_fail_on(run, level: str, code: int) -> None:  # type: ignore[no-untyped-def]
    assert run("scan", "small.cdx.json", "-f", "json", "--fail-on", level)[0] == code


def test_fail_on_counts_only_what_remains(run) -> None:  # type: ignore[no-untyped-def]
    # VEX removes the only critical finding; the medium ones remain.
    args = ("scan", "small.cdx.json", "-f", "json", "--vex", "openvex.json")
    assert run(*args, "--fail-on", "critical")[0] == 0
    assert run(*args, "--fail-on", "medium")[0] == 2


def test_no_fail_on_means_exit_0(run) -> None:  # type: ignore[no-untyped-def]
    assert run("scan", "small.cdx.json", "-f", "json")[0] == 0


@pytest.mark.parametrize("ignore", ["ignore.toml", "ignore.yaml"])
def test_ignore_file(run, ignore: str) -> None:  # type: ignore[no-untyped-def]
    code, stdout, stderr = run("scan", "small.cdx.json", "-f", "json", "--ignore-file", ignore)
    doc = json.loads(stdout)
    assert code == 0
    assert _ids(doc) == [
        ("CVE-2099-0001", "pkg:pypi/demo-lib@1.1.0", "active"),
        ("CVE-2099-0004", "pkg:pypi/old-lib@1.0", "active"),
        ("TEST-PY-6", "pkg:pypi/pre-lib@4.0.0rc1", "ignored"),
    ]
    assert doc["findings"][2]["decision"] == {
        "source": f"{ignore}: ignore[0]",
        "justification": None,
        "detail": "only reachable from tests",
    }
    expired = "ignore.toml: ignore[1]: ignore entry has expired and no longer applies"
    assert (expired in stderr) is (ignore == "ignore.toml")
    assert doc["summary"]["ignored"] == 1


def test_ignore_for_another_purl_does_not_apply(run) -> None:  # type: ignore[no-untyped-def]
    args = ("scan", "small.cdx.json", "-f", "json", "--ignore-file", "ignore-other-purl.toml")
    code, stdout, _ = run(*args)
    assert [s for _, _, s in _ids(json.loads(stdout))] == ["active", "active", "active"]


def test_ignore_without_reason(run) -> None:  # type: ignore[no-untyped-def]
    args = ("scan", "small.cdx.json", "--ignore-file", "ignore-no-reason.toml")
    code, _, stderr = run(*args)
    assert (code, stderr) == (
        1,
        "sbomkit: ignore-no-reason.toml: not a usable ignore file"
        " (ignore[0].reason: required, say why)\n",
    )


@pytest.mark.parametrize(
    ("vex", "expected"),
    [
        (
            "openvex.json",
            [
                ("CVE-2099-0001", "pkg:pypi/demo-lib@1.1.0", "not_affected"),
                ("CVE-2099-0004", "pkg:pypi/old-lib@1.0", "affected"),
                ("TEST-PY-6", "pkg:pypi/pre-lib@4.0.0rc1", "active"),
            ],
        ),
        (
            "openvex-other-purl.json",  # same CVE, other version / other ecosystem: no effect
            [
                ("CVE-2099-0001", "pkg:pypi/demo-lib@1.1.0", "active"),
                ("CVE-2099-0004", "pkg:pypi/old-lib@1.0", "active"),
                ("TEST-PY-6", "pkg:pypi/pre-lib@4.0.0rc1", "active"),
            ],
        ),
        (
            "cyclonedx.vex.json",
            [
                ("CVE-2099-0001", "pkg:pypi/demo-lib@1.1.0", "not_affected"),
                ("CVE-2099-0004", "pkg:pypi/old-lib@1.0", "active"),
                ("TEST-PY-6", "pkg:pypi/pre-lib@4.0.0rc1", "active"),
            ],
        ),
        (
            "csaf.vex.json",
            [
                ("CVE-2099-0001", "pkg:pypi/demo-lib@1.1.0", "fixed"),
                ("CVE-2099-0004", "pkg:pypi/old-lib@1.0", "active"),
                ("TEST-PY-6", "pkg:pypi/pre-lib@4.0.0rc1", "active"),
            ],
        ),
    ],
)
def test_vex(run, vex: str, expected: list[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    code, stdout, _ = run("scan", "small.cdx.json", "-f", "json", "--vex", vex)
    assert code == 0
    assert _ids(json.loads(stdout)) == expected


@pytest.mark.parametrize(
    ("vex", "message"),
    [
        (
            "openvex-bad-status.json",
            "openvex-bad-status.json: not a usable VEX document (statements[0].status: 'fine'"
            " is not one of not_affected, affected, fixed, under_investigation)",
        ),
        (
            "not-vex.json",
            "not-vex.json: not a usable VEX document (neither OpenVEX (@context), CycloneDX"
            " (bomFormat) nor CSAF 2.0 (document.csaf_version))",
        ),
    ],
)
def test_corrupt_vex(run, vex: str, message: str) -> None:  # type: ignore[no-untyped-def]
    code, _, stderr = run("scan", "small.cdx.json", "--vex", vex)
    assert (code, stderr) == (1, f"sbomkit: {message}\n")


def test_missing_database(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, stderr = run("scan", "small.cdx.json", "--db", str(tmp_path / "none.db"))
    assert code == 1
    assert stderr.startswith(f"sbomkit: {tmp_path / 'none.db'}: no advisory database here")


def test_stdin(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    data = (DATA / "small.cdx.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, stdout, _ = run("scan", "-", "-f", "json")
    assert code == 0 and len(json.loads(stdout)["findings"]) == 3


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [("cyclonedx-vex", "vexed.vex.cdx.json"), ("openvex", "vexed.openvex.json")],
)
def test_vex_outputs_carry_decisions(run, fmt: str, golden: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / golden
    code, _, _ = run("scan", "small.cdx.json", "-f", fmt, "-o", str(out), "--vex", "openvex.json")
    assert code == 0
    text = out.read_text(encoding="utf-8")
    _golden(golden, text)
    if fmt == "cyclonedx-vex":
        validate_document("cyclonedx-json", "1.6", text.encode(), tmp_path)


def test_json_scan_path_imports_no_other_writer_and_no_rich() -> None:
    """The scan command's module leaves rich, the VEX readers and the other report
    writers to the runs that need them (startup time of every scan)."""
    import subprocess
    import sys

    probe = (
        "import sys, sbomkit.cli.main, sbomkit.cli.scan_cmd;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'"
        " or m.startswith(('sbomkit.scanreport.', 'sbomkit.match.vex', 'sbomkit.catalog'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "['sbomkit.scanreport.common', 'sbomkit.scanreport.registry']"

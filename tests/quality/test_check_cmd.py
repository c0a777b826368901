"""``sbomkit check`` end to end on CycloneDX files: outputs, languages, exit codes."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from testkit import TESTDATA

from sbomkit.cli.main import main

DATA = TESTDATA / "quality"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("name", "profiles", "code"),
    [
        ("complete.cdx.json", ("ntia",), 0),
        ("no-supplier.cdx.json", ("ntia",), 2),
        # BSI wants SHA-512 hashes and more: the complete NTIA file fails it
        ("complete.cdx.json", ("ntia", "bsi-tr03183-2.1"), 2),
    ],
)
def test_exit_code_says_whether_required_rules_pass(
    capsys: pytest.CaptureFixture[str], name: str, profiles: tuple[str, ...], code: int
) -> None:
    args = [a for p in profiles for a in ("--profile", p)]
    got, _, err = run(capsys, "check", str(DATA / name), *args, "--format", "json")
    assert (got, err) == (code, "")


def test_json_for_two_profiles(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "no-supplier.cdx.json")
    code, out, _ = run(
        capsys, "check", path, "-p", "meti", "-p", "ntia", "-p", "meti", "-f", "json"
    )
    doc = orjson.loads(out)
    assert code == 2
    assert (doc["file"], doc["passed"]) == (path, False)
    assert [(p["profile"], p["score"], p["passed"]) for p in doc["profiles"]] == [
        ("meti", 8.2, False),
        ("ntia", 9.3, False),
    ]
    supplier = doc["profiles"][1]["rules"][0]
    assert supplier["failures"] == [
        {"component": "pkg:npm/%3Clib-a%3E@1.0", "code": "q-why-missing", "why": "not stated"}
    ]


def test_table_in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--lang", "ja", "check", str(DATA / "no-supplier.cdx.json"), "-p", "ntia"
    )
    assert code == 2
    assert "SBOM 品質: " in out
    assert "プロファイル ntia: スコア 9.3/10 (必須ルール 1 件が不合格です)" in out
    assert "pkg:npm/%3Clib-a%3E@1.0: 記載がありません" in out
    assert "コンポーネントの供給者" in out


def test_html_page(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "check",
        str(DATA / "no-supplier.cdx.json"),
        "-p",
        "ntia",
        "-f",
        "html",
        "--lang",
        "ja",
    )
    assert code == 2
    assert out.startswith('<!DOCTYPE html>\n<html lang="ja">')
    assert '<tr id="ntia.supplier" class="fail-required">' in out
    assert "<li>pkg:npm/%3Clib-a%3E@1.0: 記載がありません</li>" in out


def test_unreadable_file_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(DATA / "not-an-sbom.txt"), "-p", "ntia")
    assert (code, out) == (1, "")
    assert err == (
        f"sbomkit: {DATA / 'not-an-sbom.txt'}: not a file of the expected format "
        "(not CycloneDX (JSON, XML) or SPDX (JSON, YAML, tag-value, 3.0 JSON-LD))\n"
    )


def test_missing_file_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "nope.json"), "-p", "ntia")
    assert code == 1
    assert err == f"sbomkit: {tmp_path / 'nope.json'}: no such file or directory\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Missing option '-p' / '--profile'"),
        (("-p", "fsct"), "Invalid value for '-p' / '--profile': 'fsct' is not one of"),
        (("-p", "ntia", "-f", "pdf"), "Invalid value for '-f' / '--format': 'pdf' is not one of"),
    ],
)
def test_bad_usage_exits_3(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(capsys, "check", str(DATA / "complete.cdx.json"), *args)
    assert code == 3
    assert message in err


def test_help_names_profiles_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--help")
    assert code == 0
    assert "[ntia|cisa-2024|bsi-tr03183-2.1|meti]" in out
    assert "2 a required rule fails" in " ".join(out.split())

"""`sbomkit validate` as a user runs it: exit codes, exact output, Japanese framing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testkit import TESTDATA

from sbomkit.cli.main import main

DATA = TESTDATA / "validate"
SMALL = str(DATA / "small-invalid.cdx.json")


def test_valid_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "valid.cdx.json")]) == 0
    assert capsys.readouterr().out == f"{DATA / 'valid.cdx.json'}: valid CycloneDX 1.6\n"


def test_invalid_file_text_output_exact(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", SMALL]) == 2
    assert capsys.readouterr().out == (
        f"{SMALL}: 2 problem(s) against the CycloneDX 1.6 schema\n"
        f"{SMALL}: /components/1 : 'name' is a required property\n"
        f"{SMALL}: /components/0/scope : 'sometimes' is not one of "
        "['required', 'optional', 'excluded']\n"
    )


def test_invalid_file_json_output_exact(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", SMALL]) == 2
    assert json.loads(capsys.readouterr().out) == {
        "files": [
            {
                "file": SMALL,
                "format": "cyclonedx-json",
                "spec": "1.6",
                "valid": False,
                "error": None,
                "problems": [
                    {
                        "pointer": "/components/1",
                        "line": None,
                        "message": "'name' is a required property",
                    },
                    {
                        "pointer": "/components/0/scope",
                        "line": None,
                        "message": "'sometimes' is not one of ['required', 'optional', 'excluded']",
                    },
                ],
                "more": 0,
            }
        ]
    }


def test_japanese_framing_keeps_validator_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "ja", "validate", SMALL, str(DATA / "valid.cdx.json")]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{SMALL}: CycloneDX 1.6 のスキーマに対する問題 2 件"
    assert lines[1] == f"{SMALL}: /components/1 : 'name' is a required property"
    assert lines[-2] == f"{DATA / 'valid.cdx.json'}: CycloneDX 1.6 として妥当です"
    assert lines[-1] == "2 ファイル中 1 ファイルが妥当です"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param("empty.json", "not a file of the expected format (empty file)", id="empty"),
        pytest.param(
            "truncated.cdx.json",
            "not a file of the expected format (invalid JSON: unexpected end of data: "
            "line 1 column 43 (char 42))",
            id="not-json",
        ),
        pytest.param(
            "entity.cdx.xml",
            "not a file of the expected format (DTDs and entities are not allowed)",
            id="dtd",
        ),
        pytest.param("missing.json", "no such file or directory", id="missing"),
    ],
)
def test_unreadable_file_exits_1_and_others_still_checked(
    capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    assert main(["validate", str(DATA / name), SMALL]) == 1
    out = capsys.readouterr()
    assert out.err == f"{DATA / name}: {message}\n"
    assert f"{SMALL}: /components/1 : 'name' is a required property" in out.out


def test_file_over_the_size_limit_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SBOMKIT_MAX_SBOM_BYTES", "10")
    path = DATA / "valid.cdx.json"
    assert main(["validate", str(path)]) == 1
    size = path.stat().st_size
    assert capsys.readouterr().err == (
        f"{path}: file is larger than the limit ({size} bytes, limit 10)\n"
    )


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("unknown-version.cdx.json", "no schema for CycloneDX version 9.9; cannot validate it"),
        ("spdx-2.1.spdx.json", "no schema for SPDX version 2.1; cannot validate it"),
        ("no-version.cdx.json", "the document does not declare its version (specVersion)"),
    ],
)
def test_version_without_schema_is_a_problem_exit_2(
    capsys: pytest.CaptureFixture[str], name: str, line: str
) -> None:
    assert main(["validate", str(DATA / name)]) == 2
    assert capsys.readouterr().out == f"{DATA / name}: {line}\n"


def test_yaml_and_tag_value_problems_carry_lines(capsys: pytest.CaptureFixture[str]) -> None:
    yaml_file, tv_file = DATA / "invalid.spdx.yaml", DATA / "invalid.spdx"
    assert main(["validate", "-q", str(yaml_file), str(tv_file)]) == 2
    assert capsys.readouterr().out.splitlines()[1::2] == [
        f"{yaml_file}:14: /packages/0/filesAnalyzed : 'maybe' is not of type 'boolean'",
        f"{tv_file}:9: /packages/0 : 'downloadLocation' is a required property",
    ]


def test_xml_problem_carries_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "invalid.cdx.xml"
    assert main(["validate", str(path)]) == 2
    assert (
        capsys.readouterr()
        .out.splitlines()[1]
        .startswith(
            f"{path}:4: Element '{{http://cyclonedx.org/schema/bom/1.6}}component', "
            "attribute 'type': [facet 'enumeration'] The value 'widget' is not an element"
        )
    )


def test_no_file_is_bad_usage() -> None:
    assert main(["validate"]) == 3


def test_unknown_report_format_is_bad_usage() -> None:
    assert main(["validate", "--format", "xml", SMALL]) == 3


def test_missing_spdx_schema_names_file_and_commands(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SBOMKIT_SCHEMA_DIR", str(tmp_path))
    path = DATA / "invalid.spdx.yaml"
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"{path}: schema file spdx-schema-2.3.json is not installed in {tmp_path}; install it "
        "with `sbomkit schemas import DIR` or `sbomkit schemas update`\n"
    )


def test_problems_are_capped_at_100_per_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "many.cdx.json"
    components = [{"type": "library", "version": str(i)} for i in range(250)]
    path.write_text(
        json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components})
    )
    assert main(["validate", str(path)]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}: 250 problem(s) against the CycloneDX 1.6 schema"
    assert len(lines) == 1 + 100 + 1
    # The best match first (of equals, jsonschema's pick), then document order.
    assert lines[1] == f"{path}: /components/249 : 'name' is a required property"
    assert lines[2] == f"{path}: /components/0 : 'name' is a required property"
    assert lines[100] == f"{path}: /components/98 : 'name' is a required property"
    assert lines[-1] == f"{path}: ... and 150 more"

"""`sbomkit convert`, `merge` and `diff` as a user runs them: files, exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testkit import REPO, validate_document

from sbomkit.cli.main import main

DATA = REPO / "tests" / "testdata" / "transform"
PEDIGREE = DATA / "convert" / "pedigree.cdx.json"
GENERATED = DATA / "convert" / "generated.spdx.json"
OLD, NEW = DATA / "diff" / "old.cdx.json", DATA / "diff" / "new.cdx.json"
NOT_SBOM = DATA / "diff" / "not-an-sbom.txt"


def loss(what: str, fate: str, examples: list[str]) -> dict[str, object]:
    return {"what": what, "fate": fate, "count": 1, "examples": examples}


def test_convert_cyclonedx_to_spdx_reports_losses(tmp_path: Path, epoch: str) -> None:
    out, report = tmp_path / "out.spdx.json", tmp_path / "loss.json"
    args = ["-q", "convert", str(PEDIGREE), "-f", "spdx-json", "-o", str(out)]
    assert main([*args, "--loss-report", str(report)]) == 0
    validate_document("spdx-json", "2.3", out.read_bytes(), tmp_path)
    lodash = ["pkg:npm/lodash@4.17.21"]
    assert json.loads(report.read_text()) == {
        "schema": "sbomkit-loss/1",
        "target": "spdx-json",
        "spec": "2.3",
        "losses": [
            loss("component.extra[cyclonedx:pedigree]", "dropped", lodash),
            loss("component.properties", "comment", lodash),
            loss("component.scope", "comment", lodash),
            loss("component.type=device-driver", "comment", ["pkg:generic/nic-driver@2.1"]),
            loss("inventory.extra[cyclonedx:services]", "dropped", []),
            loss("metadata.lifecycle", "dropped", ["build"]),
        ],
    }


def test_convert_spdx_to_cyclonedx_reports_losses(tmp_path: Path, epoch: str) -> None:
    out, report = tmp_path / "out.cdx.json", tmp_path / "loss.json"
    args = ["-q", "convert", str(GENERATED), "-f", "cyclonedx-json", "-o", str(out)]
    assert main([*args, "--loss-report", str(report)]) == 0
    validate_document("cyclonedx-json", "1.6", out.read_bytes(), tmp_path)
    assert json.loads(report.read_text())["losses"] == [
        loss("component.extra[spdx:SPDXID]", "dropped", ["pkg:conan/zlib@1.3"]),
        loss("component.type=source", "property", ["SPDXRef-zlib-src"]),
        loss(
            "dependency.kind=GENERATED_FROM",
            "depends-on",
            ["pkg:conan/zlib@1.3 -> SPDXRef-zlib-src"],
        ),
        loss("inventory.extra[spdx:snippets]", "dropped", []),
        loss("metadata.name", "dropped", ["zlib-build"]),
    ]


@pytest.mark.parametrize(
    ("source", "fmt", "code"),
    [
        pytest.param(GENERATED, "cyclonedx-json", 2, id="lossy"),
        pytest.param(PEDIGREE, "cyclonedx-json", 0, id="lossless"),
    ],
)
def test_fail_on_loss(tmp_path: Path, source: Path, fmt: str, code: int) -> None:
    args = ["-q", "convert", str(source), "-f", fmt, "-o", str(tmp_path / "o"), "--fail-on-loss"]
    assert main(args) == code


def test_convert_loss_table_in_japanese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--lang", "ja", "convert", str(PEDIGREE), "-f", "spdx-tv", "-o", str(tmp_path / "o")]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "spdx-tv 2.3 では表現できない情報" in err
    assert "コメント文として出力" in err


def test_convert_nothing_lost_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(PEDIGREE), "-o", str(tmp_path / "o")]) == 0
    assert capsys.readouterr().err == "nothing lost converting to cyclonedx-json 1.6\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param([str(NOT_SBOM)], 1, "not a file of the expected format", id="not-sbom"),
        pytest.param([str(PEDIGREE), "--spec-version", "9.9"], 3, "cannot write spec", id="spec"),
    ],
)
def test_convert_errors(
    capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    assert main(["convert", *args]) == code
    assert message in capsys.readouterr().err


def test_merge_end_to_end(tmp_path: Path, epoch: str, capsys: pytest.CaptureFixture[str]) -> None:
    brake = DATA / "merge" / "brake-supplier.cdx.json"
    head = DATA / "merge" / "head-unit-supplier.spdx.json"
    out = tmp_path / "product.cdx.json"
    args = ["merge", str(brake), str(head), "--root", "car-ecu@5.0", "-o", str(out)]
    assert main(args) == 0
    data = out.read_bytes()
    validate_document("cyclonedx-json", "1.6", data, tmp_path)
    bom = json.loads(data)
    assert bom["metadata"]["component"]["bom-ref"] == "pkg:generic/car-ecu@5.0"
    refs = [c["bom-ref"] for c in bom["components"]]
    assert refs == [
        "2/SPDXRef-Package-1",
        "pkg:generic/brake-fw@2.0",
        "pkg:generic/openssl@3.0.13",
        "pkg:generic/zlib@1.3",
    ]
    deps = {d["ref"]: d.get("dependsOn", []) for d in bom["dependencies"]}
    assert deps["pkg:generic/car-ecu@5.0"] == ["2/SPDXRef-Package-1", "pkg:generic/brake-fw@2.0"]
    assert deps["2/SPDXRef-Package-1"] == ["pkg:generic/openssl@3.0.13", "pkg:generic/zlib@1.3"]
    openssl = bom["components"][2]
    assert [(p["name"], p["value"]) for p in openssl["properties"]] == [
        ("sbomkit:found-by", "syft"),
        ("sbomkit:found-by", "trivy"),
        ("sbomkit:merged-by", "hash"),
        ("sbomkit:source-sbom", "https://example.com/spdx/head-unit-7.1"),
        ("sbomkit:source-sbom", "urn:uuid:11111111-1111-4111-8111-111111111111"),
    ]
    assert openssl["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    assert capsys.readouterr().err.splitlines() == [
        "merged 2 SBOM(s) into 4 component(s)",
        "1 problem(s) in the input",
        f"  warning: {head}: merged components disagree; the first input's value is kept "
        "(pkg:generic/openssl@3.0.13: licenses 'Apache-2.0' kept, 'OpenSSL' ignored)",
    ]


@pytest.mark.parametrize("root", ["car-ecu", "@5.0", "car-ecu@"])
def test_merge_root_must_be_name_at_version(root: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["merge", str(OLD), "--root", root]) == 3
    assert f"--root wants NAME@VERSION, got {root!r}" in capsys.readouterr().err


def test_diff_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(DATA / "diff")
    assert main(["diff", "old.cdx.json", "new.cdx.json", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out == (DATA / "diff" / "expected.json").read_text()


def test_diff_table_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(OLD), str(NEW)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 added, 1 removed, 1 upgraded, 1 downgraded, 1 other version changes, "
        "1 license, 1 supplier and 1 hash changes"
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        pytest.param([str(OLD), str(NEW), "--fail-on-change"], 2, id="changed"),
        pytest.param([str(OLD), str(OLD), "--fail-on-change"], 0, id="same"),
        pytest.param([str(OLD), str(NOT_SBOM)], 1, id="unreadable"),
        pytest.param([str(OLD), str(DATA / "missing.json")], 1, id="missing"),
        pytest.param([str(OLD), str(NEW), "--format", "xml"], 3, id="usage"),
    ],
)
def test_diff_exit_codes(args: list[str], code: int) -> None:
    assert main(["-q", "diff", *args]) == code


def test_diff_identical_in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "ja", "diff", str(OLD), str(OLD)]) == 0
    assert capsys.readouterr().out == "変更はありません\n"

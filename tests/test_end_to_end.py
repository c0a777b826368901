"""The `sbomkit sbom` command as a user runs it: exit codes, output files, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from testkit import REPO, validate_document

from sbomkit.cli.main import main

DEMO = REPO / "examples" / "demo-project"
GOLDENS = REPO / "tests" / "goldens" / "demo-project"
FORMATS = [
    ("cyclonedx-json", "1.6", "bom.cdx16.json"),
    ("cyclonedx-json", "1.5", "bom.cdx15.json"),
    ("cyclonedx-xml", "1.6", "bom.cdx16.xml"),
    ("spdx-json", "2.3", "bom.spdx.json"),
    ("spdx-tv", "2.3", "bom.spdx"),
]


def _sbom(tmp_path: Path, *args: str, name: str = "out") -> tuple[int, Path]:
    out = tmp_path / name
    code = main(["--quiet", "sbom", *args, "-o", str(out)])
    return code, out


@pytest.mark.parametrize(("fmt", "spec", "golden"), FORMATS, ids=[f[2] for f in FORMATS])
def test_demo_project_golden(tmp_path: Path, epoch: str, fmt: str, spec: str, golden: str) -> None:
    extra = ["--spec-version", spec] if fmt.startswith("cyclonedx") else []
    code, out = _sbom(tmp_path, str(DEMO), "--format", fmt, *extra)
    assert code == 0
    data = out.read_bytes()
    validate_document(fmt, spec, data, tmp_path)
    path = GOLDENS / golden
    if os.environ.get("UPDATE_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    validate_document(fmt, spec, path.read_bytes(), tmp_path)
    assert data == path.read_bytes(), f"{golden} differs; run `make goldens` if intended"


def test_demo_project_content(tmp_path: Path, epoch: str) -> None:
    code, out = _sbom(tmp_path, str(DEMO))
    assert code == 0
    bom = json.loads(out.read_text())
    purls = {c["purl"] for c in bom["components"]}
    assert bom["metadata"]["component"]["purl"] == "pkg:pypi/demo-inventory-service@1.4.0"
    assert bom["metadata"]["timestamp"] == epoch
    # uv.lock: 22 packages less the project itself; package-lock.json: 65 + the UI app.
    assert len(purls) == 21 + 66
    assert {"pkg:pypi/fastapi@0.115.6", "pkg:npm/react@18.3.1", "pkg:npm/vite@5.4.11"} <= purls
    deps = {d["ref"]: set(d.get("dependsOn", [])) for d in bom["dependencies"]}
    root = deps["pkg:pypi/demo-inventory-service@1.4.0"]
    assert {"pkg:pypi/fastapi@0.115.6", "pkg:npm/demo-inventory-ui@1.4.0"} <= root
    assert "pkg:npm/react@18.3.1" in deps["pkg:npm/demo-inventory-ui@1.4.0"]
    vite = next(c for c in bom["components"] if c["purl"] == "pkg:npm/vite@5.4.11")
    assert vite["scope"] == "excluded"


def test_no_dev_drops_dev_only_components(tmp_path: Path) -> None:
    code, out = _sbom(tmp_path, str(DEMO), "--no-dev")
    assert code == 0
    purls = {c["purl"] for c in json.loads(out.read_text())["components"]}
    assert "pkg:npm/vite@5.4.11" not in purls
    assert "pkg:pypi/pytest@8.3.4" not in purls
    assert "pkg:npm/react@18.3.1" in purls


def test_two_runs_are_byte_identical(tmp_path: Path, epoch: str) -> None:
    _, a = _sbom(tmp_path, str(DEMO), name="a.json")
    _, b = _sbom(tmp_path, str(DEMO), name="b.json")
    assert a.read_bytes() == b.read_bytes()


def test_broken_file_is_reported_and_the_rest_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "poetry.lock").write_text("this is [not toml")
    (tmp_path / "src" / "requirements.txt").write_text("requests==2.32.3\nflask>=2\n")
    code = main(["--lang", "en", "sbom", str(tmp_path / "src"), "-o", str(tmp_path / "o.json")])
    assert code == 0
    purls = [c["purl"] for c in json.loads((tmp_path / "o.json").read_text())["components"]]
    assert purls == ["pkg:pypi/requests@2.32.3"]
    err = capsys.readouterr().err
    assert "error: poetry.lock: not a file of the expected format" in err
    assert "warning: requirements.txt:2: requirement is not pinned to one version" in err


def test_messages_in_japanese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--lang", "ja", "sbom", str(tmp_path / "missing")])
    assert code == 1
    assert capsys.readouterr().err == (
        f"sbomkit: {tmp_path / 'missing'}: ファイルまたはディレクトリがありません\n"
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["sbom", "--format", "nope", "."], 3),
        (["sbom", "--spec-version", "1.2", "."], 3),
        (["no-such-command"], 3),
        (["sbom"], 3),
        (["--version"], 0),
    ],
    ids=["bad-format", "bad-spec", "bad-command", "missing-path", "version"],
)
def test_exit_codes(args: list[str], code: int) -> None:
    assert main(args) == code


def test_console_script_writes_to_stdout() -> None:
    """The installed command, as a separate process: SBOM on stdout, summary on stderr."""
    exe = Path(sys.executable).parent / "sbomkit"
    proc = subprocess.run(
        [str(exe), "sbom", str(DEMO / "frontend")], capture_output=True, check=False, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    bom = json.loads(proc.stdout)
    assert bom["metadata"]["component"]["name"] == "demo-inventory-ui"
    assert len(bom["components"]) == 65
    assert b"Components found" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "ja", "sbom", "MISSING"],
        ["sbom", "MISSING", "--lang", "ja"],
        ["-q", "sbom", "--lang=ja", "MISSING"],
    ],
    ids=["before", "after", "mixed"],
)
def test_common_options_work_before_and_after_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    missing = str(tmp_path / "missing")
    assert main([missing if a == "MISSING" else a for a in args]) == 1
    assert (
        capsys.readouterr().err == f"sbomkit: {missing}: ファイルまたはディレクトリがありません\n"
    )


def test_quiet_after_the_subcommand_silences_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sbom", str(DEMO / "frontend"), "-o", str(tmp_path / "o.json"), "-q"]) == 0
    assert capsys.readouterr().err == ""

"""One SBOM over a tree that mixes every ecosystem's realistic fixture: goldens per format.

The tree is assembled from the per-format fixtures, so a cataloger change shows up here as
a golden diff; every golden is validated against the official schema in the same test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from testkit import REPO, TESTDATA, validate_document

from sbomkit.catalog.build import build_inventory
from sbomkit.formats.registry import get_writer

GOLDENS = REPO / "tests" / "goldens" / "polyglot"
PARTS = {
    "rust": "cargo-lock/workspace-real",
    "go": "go-mod/realistic",
    "ruby": "gemfile-lock/realistic",
    "php": "composer-lock/realistic",
    "dotnet": "packages-lock/aspnet-app",
    "java": "maven-pom/realistic",
    "gradle": "gradle-lockfile/realistic",
    "dart": "pubspec-lock/realistic",
    "elixir": "mix-lock/realistic",
    "r": "renv-lock/realistic",
    "cpp": "conan-lock/v1",
}
FORMATS = [("cyclonedx-json", "1.6", "bom.cdx16.json"), ("spdx-json", "2.3", "bom.spdx.json")]


@pytest.fixture
def polyglot(tmp_path: Path) -> Path:
    root = tmp_path / "polyglot"
    for name, fixture in PARTS.items():
        shutil.copytree(TESTDATA / fixture, root / name)
    return root


@pytest.mark.parametrize(("fmt", "spec", "golden"), FORMATS, ids=[f[2] for f in FORMATS])
def test_polyglot_golden(
    polyglot: Path, tmp_path: Path, epoch: str, fmt: str, spec: str, golden: str
) -> None:
    inv = build_inventory(polyglot)
    # The one warning is by design: that POM's version comes from a BOM only the network has.
    assert [str(d.location) for d in inv.diagnostics] == ["java/shop-service/pom.xml:27"]
    data = get_writer(fmt, spec if fmt.startswith("cyclonedx") else None).write(inv)
    validate_document(fmt, spec, data, tmp_path)
    path = GOLDENS / golden
    if os.environ.get("UPDATE_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{golden} differs; run `make goldens` if intended"


def test_polyglot_covers_every_ecosystem(polyglot: Path) -> None:
    inv = build_inventory(polyglot)
    ecosystems = {c.ecosystem for c in inv.components}
    assert ecosystems == {
        "cargo",
        "golang",
        "gem",
        "composer",
        "nuget",
        "maven",
        "pub",
        "hex",
        "cran",
        "conan",
    }

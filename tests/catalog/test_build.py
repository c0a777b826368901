"""Assembling one inventory from many catalogers: merging, primary, dev filter, failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from testkit import TESTDATA

from sbomkit.catalog.build import build_inventory
from sbomkit.i18n import Msg
from sbomkit.model import Scope, Severity


def _copy(dst: Path, src: Path) -> None:
    shutil.copytree(src, dst, dirs_exist_ok=True)


def test_lockfile_and_installed_tree_merge_into_one_component(tmp_path: Path) -> None:
    """A package in package-lock.json and in node_modules is one component, found by both."""
    (tmp_path / "package.json").write_text('{"name": "app", "version": "1.0.0"}')
    lock = {
        "name": "app",
        "version": "1.0.0",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "version": "1.0.0", "dependencies": {"ms": "^2.1.3"}},
            "node_modules/ms": {"version": "2.1.3", "license": "MIT"},
        },
    }
    (tmp_path / "package-lock.json").write_text(json.dumps(lock, indent=2))
    (tmp_path / "node_modules" / "ms").mkdir(parents=True)
    (tmp_path / "node_modules" / "ms" / "package.json").write_text(
        '{"name": "ms", "version": "2.1.3", "license": "MIT", "author": "Guillermo Rauch"}'
    )
    inv = build_inventory(tmp_path)
    assert [c.ref for c in inv.components] == ["pkg:npm/ms@2.1.3"]
    ms = inv.components[0]
    assert ms.found_by == ("npm-installed", "npm-package-lock")
    assert [str(loc) for loc in ms.locations] == [
        "node_modules/ms/package.json",
        "package-lock.json:13",
    ]
    assert ms.author == "Guillermo Rauch"
    assert ms.direct is True
    assert [(d.source, d.target) for d in inv.dependencies] == [
        ("pkg:npm/app@1.0.0", "pkg:npm/ms@2.1.3")
    ]


def test_primary_is_the_root_project_and_subprojects_hang_below_it(tmp_path: Path) -> None:
    _copy(tmp_path, TESTDATA / "uv-lock" / "realistic")
    _copy(tmp_path / "web", TESTDATA / "package-lock" / "realistic-v3")
    inv = build_inventory(tmp_path)
    primary = inv.metadata.primary
    assert primary is not None and primary.ecosystem == "pypi"
    web = [c for c in inv.components if c.type.value == "application"]
    assert [c.ref for c in web] and all(c.ecosystem == "npm" for c in web)
    assert {(d.source, d.target) for d in inv.dependencies} >= {(primary.ref, web[0].ref)}


def test_without_a_project_the_primary_is_named_after_the_directory(tmp_path: Path) -> None:
    root = tmp_path / "my-service"
    root.mkdir()
    (root / "requirements.txt").write_text("requests==2.32.3\n")
    inv = build_inventory(root)
    assert inv.metadata.primary is not None
    assert (inv.metadata.primary.name, inv.metadata.primary.ref) == (
        "my-service",
        "root:my-service",
    )
    assert [c.ref for c in inv.components] == ["pkg:pypi/requests@2.32.3"]


def test_no_dev_removes_dev_components_and_their_edges(tmp_path: Path) -> None:
    _copy(tmp_path, TESTDATA / "package-lock" / "realistic-v3")
    full = build_inventory(tmp_path)
    lean = build_inventory(tmp_path, include_dev=False)
    dev = {c.ref for c in full.components if c.scope is Scope.DEV}
    assert dev and not dev & {c.ref for c in lean.components}
    assert len(lean.components) == len(full.components) - len(dev)
    assert not any(d.source in dev or d.target in dev for d in lean.dependencies)


def test_a_broken_file_costs_only_itself(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "package-lock.json").write_text("{ nope")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "requirements.txt").write_text("attrs==24.2.0\n")
    inv = build_inventory(tmp_path)
    assert [c.ref for c in inv.components] == ["pkg:pypi/attrs@24.2.0"]
    assert [(d.code, str(d.location), d.severity) for d in inv.diagnostics] == [
        (Msg.WRONG_FORMAT, "a/package-lock.json", Severity.ERROR)
    ]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_parallel_and_serial_runs_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    for i, case in enumerate(["realistic-v1", "realistic-v2", "realistic-v3"] * 6):
        _copy(tmp_path / f"p{i}", TESTDATA / "package-lock" / case)
    monkeypatch.setenv("SBOMKIT_WORKERS", "1")
    serial = build_inventory(tmp_path)
    monkeypatch.setenv("SBOMKIT_WORKERS", workers)
    other = build_inventory(tmp_path)
    assert other.components == serial.components
    assert other.dependencies == serial.dependencies
    assert len(serial.components) > 500


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    from sbomkit.errors import SbomkitError

    with pytest.raises(SbomkitError, match="no such file or directory"):
        build_inventory(tmp_path / "absent")

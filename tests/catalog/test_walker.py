import os
from pathlib import Path

import pytest

from sbomkit.catalog.walker import walk
from sbomkit.i18n import Msg


def _touch(root: Path, *rels: str) -> None:
    for rel in rels:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")


def _claims(root: Path, excludes: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(j.source.rel, j.spec.name) for j in walk(root, excludes).jobs]


def test_finds_lockfiles_and_claims_install_dirs_without_descending(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "poetry.lock",
        "web/package-lock.json",
        "web/node_modules/a/package.json",
        "web/node_modules/a/package-lock.json",  # inside node_modules: not a project lockfile
        "reqs/requirements-dev.txt",
        "requirements/base.txt",
        ".venv/lib/python3.11/site-packages/x-1.dist-info/METADATA",
        "notes.txt",
    )
    assert _claims(tmp_path) == [
        (".venv/lib/python3.11/site-packages", "python-installed"),
        ("poetry.lock", "python-poetry-lock"),
        ("reqs/requirements-dev.txt", "python-requirements"),
        ("requirements/base.txt", "python-requirements"),
        ("web/node_modules", "npm-installed"),
        ("web/package-lock.json", "npm-package-lock"),
    ]


@pytest.mark.parametrize("skipped", [".git", ".hg", "__pycache__", ".tox", ".mypy_cache"])
def test_skips_vcs_and_cache_dirs(tmp_path: Path, skipped: str) -> None:
    _touch(tmp_path, f"{skipped}/yarn.lock", "yarn.lock")
    assert _claims(tmp_path) == [("yarn.lock", "yarn-lock")]


@pytest.mark.parametrize(
    ("globs", "expected"),
    [
        (("vendor",), [("uv.lock", "python-uv-lock")]),
        (("vendor/*",), [("uv.lock", "python-uv-lock")]),
        (("*.lock",), [("vendor/pdm/pylock.toml", "python-pylock")]),
    ],
    ids=["dir-name", "path-glob", "file-glob"],
)
def test_exclude_globs(
    tmp_path: Path, globs: tuple[str, ...], expected: list[tuple[str, str]]
) -> None:
    _touch(tmp_path, "uv.lock", "vendor/pdm/pylock.toml", "vendor/pdm.lock")
    assert _claims(tmp_path, globs) == expected


def test_symlinks_out_of_root_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _touch(outside, "pnpm-lock.yaml", "bun.lock")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "linked-dir")
    os.symlink(outside / "bun.lock", root / "bun.lock")
    result = walk(root)
    assert result.jobs == []
    assert sorted((d.code, d.location.path) for d in result.diagnostics) == [
        (Msg.SYMLINK_OUTSIDE_ROOT, "bun.lock"),
        (Msg.SYMLINK_OUTSIDE_ROOT, "linked-dir"),
    ]


def test_symlink_loop_inside_root_terminates(tmp_path: Path) -> None:
    _touch(tmp_path, "a/uv.lock")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    os.symlink(tmp_path, tmp_path / "a" / "up")
    assert _claims(tmp_path) == [("a/uv.lock", "python-uv-lock")]


def test_a_single_file_can_be_the_target(tmp_path: Path) -> None:
    _touch(tmp_path, "npm-shrinkwrap.json")
    assert _claims(tmp_path / "npm-shrinkwrap.json") == [
        ("npm-shrinkwrap.json", "npm-package-lock")
    ]

"""python-poetry-lock: poetry.lock v1 (category, metadata.files) and v2 (files, groups)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.python.poetry_lock import PoetryLockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
P = "pkg:pypi/"


def scan(case: str) -> CatalogResult:
    rel = f"poetry-lock/{case}/poetry.lock"
    return PoetryLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert PoetryLockCataloger.name == "python-poetry-lock"


# --- realistic: Poetry 2.5.1, lock-version 2.1, a custom (legacy) index ---------------


def test_realistic_counts() -> None:
    r = scan("realistic")
    assert len(r.components) == 69
    assert Counter(c.scope for c in r.components) == {
        Scope.REQUIRED: 42,
        Scope.DEV: 26,
        Scope.OPTIONAL: 1,
    }
    assert sum(1 for c in r.components if c.direct) == 12
    assert len(r.dependencies) == 100
    assert r.diagnostics == []
    assert r.project is not None and r.project.ref == f"{P}realistic-poetry@0.3.0"


@pytest.mark.parametrize(
    ("ref", "scope", "direct", "line", "props"),
    [
        (f"{P}django@5.2.19", Scope.REQUIRED, True, 712, (("sbomkit:hash-count", "2"),)),
        (f"{P}asgiref@3.13.0", Scope.REQUIRED, False, 99, (("sbomkit:hash-count", "2"),)),
        (f"{P}pytest@8.4.2", Scope.DEV, True, 1909, (("sbomkit:hash-count", "2"),)),
        (
            f"{P}colorama@0.4.6",
            Scope.DEV,
            False,
            560,
            (("sbomkit:hash-count", "2"), ("sbomkit:marker", 'sys_platform == "win32"')),
        ),
        (
            f"{P}pyyaml@6.0.3",
            Scope.OPTIONAL,
            True,
            1998,
            (("sbomkit:hash-count", "73"), ("sbomkit:marker", 'extra == "yaml"')),
        ),
    ],
    ids=["django-direct", "asgiref-transitive", "pytest-dev", "colorama-dev-docs", "pyyaml-extra"],
)
def test_realistic_components(
    ref: str, scope: Scope, direct: bool, line: int, props: tuple[tuple[str, str], ...]
) -> None:
    c = comps(scan("realistic"))[ref]
    assert (c.scope, c.direct, c.properties, c.hashes) == (scope, direct, props, ())
    assert [str(loc) for loc in c.locations] == [f"poetry-lock/realistic/poetry.lock:{line}"]


def test_realistic_edges() -> None:
    e = edges(scan("realistic"))
    assert {
        (f"{P}django@5.2.19", f"{P}asgiref@3.13.0"),
        (f"{P}django@5.2.19", f"{P}sqlparse@0.6.1"),
        (f"{P}pytest-cov@7.1.0", f"{P}pytest@8.4.2"),
        (f"{P}realistic-poetry@0.3.0", f"{P}django@5.2.19"),
        (f"{P}realistic-poetry@0.3.0", f"{P}pytest@8.4.2"),
    } <= e


# --- scenarios --------------------------------------------------------------------------


def test_v1_category_and_metadata_files() -> None:
    r = scan("v1-category")
    got = {ref: (c.scope, c.direct, c.properties, c.source_url) for ref, c in comps(r).items()}
    two = (("sbomkit:hash-count", "2"),)
    git = "git+https://github.com/encode/httpx.git@2a6fcf3c3a37e54b0e5c6c2c1b7a0f0a0a1b2c3d"
    assert got == {
        f"{P}certifi@2021.10.8": (Scope.REQUIRED, False, two, None),
        f"{P}pytest@6.2.5": (Scope.DEV, True, two, None),
        f"{P}py@1.11.0": (Scope.DEV, False, two, None),
        f"{P}pyyaml@6.0": (Scope.OPTIONAL, True, (), None),
        f"{P}requests@2.26.0": (Scope.REQUIRED, True, two, None),
        f"{P}urllib3@1.26.7": (Scope.REQUIRED, False, (("sbomkit:hash-count", "1"),), None),
        f"{P}mylib@0.1.0": (Scope.REQUIRED, True, (("sbomkit:source", "editable"),), "libs/mylib"),
        f"{P}httpx@0.21.1": (Scope.REQUIRED, True, (("sbomkit:source", "git"),), git),
    }
    # colorama (win32 marker) and PySocks (optional) are not locked: no edge, no warning.
    assert edges(r) == {
        (f"{P}pytest@6.2.5", f"{P}py@1.11.0"),
        (f"{P}requests@2.26.0", f"{P}certifi@2021.10.8"),
        (f"{P}requests@2.26.0", f"{P}urllib3@1.26.7"),
        (f"{P}legacy-app@1.0.0", f"{P}httpx@0.21.1"),
        (f"{P}legacy-app@1.0.0", f"{P}mylib@0.1.0"),
        (f"{P}legacy-app@1.0.0", f"{P}pytest@6.2.5"),
        (f"{P}legacy-app@1.0.0", f"{P}pyyaml@6.0"),
        (f"{P}legacy-app@1.0.0", f"{P}requests@2.26.0"),
    }
    assert r.diagnostics == []
    assert r.project is not None
    assert [str(loc) for loc in r.project.locations] == ["poetry-lock/v1-category/pyproject.toml"]


def test_v2_without_groups_derives_scope_from_the_graph() -> None:
    r = scan("v2-no-groups")
    got = {ref: (c.scope, c.direct) for ref, c in comps(r).items()}
    assert got == {
        f"{P}click@8.1.7": (Scope.REQUIRED, True),
        f"{P}colorama@0.4.6": (Scope.REQUIRED, False),  # click needs it too
        f"{P}iniconfig@2.0.0": (Scope.DEV, False),
        f"{P}pytest@8.2.2": (Scope.DEV, True),
        f"{P}orphan@1.0": (Scope.REQUIRED, False),  # unreachable: kept as required
    }


def test_v2_groups_and_per_group_markers() -> None:
    r = scan("v2-groups")
    got = {ref: (c.scope, c.direct, c.properties) for ref, c in comps(r).items()}
    assert got == {
        f"{P}colorama@0.4.6": (
            Scope.REQUIRED,
            None,
            (("sbomkit:hash-count", "1"), ("sbomkit:marker", 'platform_system == "Windows"')),
        ),
        f"{P}pytest@8.3.4": (Scope.DEV, None, (("sbomkit:hash-count", "1"),)),
        f"{P}rich@13.9.4": (Scope.REQUIRED, None, ()),
        f"{P}tomli@2.2.1": (Scope.OPTIONAL, None, (("sbomkit:marker", 'extra == "toml"'),)),
    }
    assert r.project is None  # no pyproject.toml beside it


def test_same_name_two_versions_edges_follow_constraints() -> None:
    r = scan("multi-version")
    assert edges(r) == {
        (f"{P}app-helper@1.0.0", f"{P}numpy@1.24.4"),
        (f"{P}app-helper@1.0.0", f"{P}numpy@1.26.4"),
        (f"{P}scipy@1.13.0", f"{P}numpy@1.26.4"),
    }
    # Unknown once per name; the optional one is not warned about.
    assert diags(r) == [
        (Msg.UNKNOWN_DEPENDENCY, "poetry-lock/multi-version/poetry.lock:2", "missing-dep")
    ]


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "poetry-lock/bad-entries/poetry.lock"
    assert diags(r) == [
        (Msg.MISSING_NAME, f"{f}:1", "[[package]] without a name"),
        (Msg.MISSING_VERSION, f"{f}:10", "no-version; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:27", "six 1.16.0, first at line 18"),
        (
            Msg.NON_REGISTRY_SOURCE,
            f"{f}:48",
            "gitpkg from git git+https://example.com/gitpkg.git@abc123; no version",
        ),
        (Msg.MISSING_NAME, f"{f}:62", "[[package]] without a name"),
    ]
    got = {c.name: c.version for c in r.components}
    assert got == {"six": "1.16.0", "Ünïcödé-pkg": "2.0", "gitpkg": None}
    unicode = next(c for c in r.components if c.name == "Ünïcödé-pkg")
    assert unicode.ref == f"{P}%C3%BCn%C3%AFc%C3%B6d%C3%A9-pkg@2.0"
    assert edges(r) == {(unicode.ref, f"{P}six@1.16.0")}


@pytest.mark.parametrize(
    ("case", "code", "detail"),
    [
        pytest.param("empty", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param(
            "not-toml",
            Msg.WRONG_FORMAT,
            "Expected ']]' at the end of an array declaration (at line 1, column 10)",
            id="not-toml",
        ),
        pytest.param(
            "not-a-table", Msg.WRONG_FORMAT, "'package' is not an array", id="package-string"
        ),
        pytest.param(
            "no-package", Msg.WRONG_FORMAT, "no [[package]] or [metadata] table", id="other-toml"
        ),
        pytest.param(
            "unsupported-version", Msg.UNSUPPORTED_VERSION, "lock version 3.0", id="version-3"
        ),
    ],
)
def test_unusable_files(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        code,
        f"poetry-lock/{case}/poetry.lock",
        detail,
    )

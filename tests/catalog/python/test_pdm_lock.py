"""python-pdm-lock: pdm.lock 4.x, groups, extras entries, VCS/path/url sources."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.python.pdm_lock import PdmLockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
P = "pkg:pypi/"


def scan(case: str) -> CatalogResult:
    rel = f"pdm-lock/{case}/pdm.lock"
    return PdmLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert PdmLockCataloger.name == "python-pdm-lock"


# --- realistic: PDM 2.24.2, lock_version 4.5.0, inherit_metadata -----------------------


def test_realistic_counts() -> None:
    r = scan("realistic")
    # 55 [[package]] tables; coverage[toml] is an extras entry of coverage, not a component.
    assert len(r.components) == 54
    assert Counter(c.scope for c in r.components) == {
        Scope.REQUIRED: 40,
        Scope.DEV: 13,
        Scope.OPTIONAL: 1,
    }
    assert sum(1 for c in r.components if c.direct) == 11
    assert len(r.dependencies) == 81
    assert r.diagnostics == []
    assert r.project is not None and r.project.ref == f"{P}realistic-pdm@2.0.0"


@pytest.mark.parametrize(
    ("ref", "scope", "direct", "line", "props"),
    [
        pytest.param(
            f"{P}django@5.2.19",
            Scope.REQUIRED,
            True,
            695,
            (("sbomkit:hash-count", "2"),),
            id="django",
        ),
        pytest.param(
            f"{P}sqlparse@0.6.1",
            Scope.REQUIRED,
            False,
            1582,
            (("sbomkit:hash-count", "2"),),
            id="transitive",
        ),
        pytest.param(
            f"{P}pyyaml@6.0.3",
            Scope.OPTIONAL,
            True,
            1399,
            (("sbomkit:hash-count", "48"),),
            id="extra",
        ),
        pytest.param(
            f"{P}pytest@9.2.0", Scope.DEV, True, 1349, (("sbomkit:hash-count", "2"),), id="dev"
        ),
        pytest.param(
            f"{P}coverage@7.17.3",
            Scope.DEV,
            False,
            435,
            (("sbomkit:hash-count", "119"),),
            id="dev-transitive",
        ),
        pytest.param(
            f"{P}colorama@0.4.6",
            Scope.DEV,
            False,
            423,
            (("sbomkit:hash-count", "2"), ("sbomkit:marker", 'sys_platform == "win32"')),
            id="marker",
        ),
    ],
)
def test_realistic_components(
    ref: str, scope: Scope, direct: bool, line: int, props: tuple[tuple[str, str], ...]
) -> None:
    c = comps(scan("realistic"))[ref]
    assert (c.scope, c.direct, c.properties, c.hashes) == (scope, direct, props, ())
    assert [str(loc) for loc in c.locations] == [f"pdm-lock/realistic/pdm.lock:{line}"]


def test_realistic_edges() -> None:
    assert {
        (f"{P}django@5.2.19", f"{P}asgiref@3.13.0"),
        (f"{P}django@5.2.19", f"{P}sqlparse@0.6.1"),
        (f"{P}pytest-cov@7.1.0", f"{P}coverage@7.17.3"),
        (f"{P}pytest-cov@7.1.0", f"{P}pytest@9.2.0"),
        (f"{P}realistic-pdm@2.0.0", f"{P}django@5.2.19"),
        (f"{P}realistic-pdm@2.0.0", f"{P}pyyaml@6.0.3"),
    } <= edges(scan("realistic"))


# --- scenarios --------------------------------------------------------------------------


def test_sources() -> None:
    r = scan("sources")
    got = {ref: (c.version, c.properties, c.source_url) for ref, c in comps(r).items()}
    assert got == {
        f"{P}flask@3.1.0.dev0": (
            "3.1.0.dev0",
            (("sbomkit:source", "git"),),
            "git+https://github.com/pallets/flask.git@d9b3b3f29b7b5c0d5f5b6e5a0e5f3b3c2c1d0e9f",
        ),
        f"{P}werkzeug@3.1.3": ("3.1.3", (("sbomkit:hash-count", "1"),), None),
        f"{P}mylib@0.5.0": ("0.5.0", (("sbomkit:source", "editable"),), "./libs/mylib"),
        f"{P}localdir@1.2.0": ("1.2.0", (("sbomkit:source", "path"),), "../localdir"),
        f"{P}remote@0.1": (
            "0.1",
            (("sbomkit:hash-count", "1"), ("sbomkit:source", "url")),
            "https://example.com/dist/remote-0.1.tar.gz",
        ),
        f"{P}hgpkg": (None, (("sbomkit:source", "vcs"),), "hg+https://hg.example.com/hgpkg@4f2a"),
    }
    assert diags(r) == [
        (
            Msg.NON_REGISTRY_SOURCE,
            "pdm-lock/sources/pdm.lock:63",
            "hgpkg from vcs hg+https://hg.example.com/hgpkg@4f2a; no version",
        )
    ]
    assert (f"{P}flask@3.1.0.dev0", f"{P}werkzeug@3.1.3") in edges(r)


def test_extras_entries_and_non_default_groups() -> None:
    r = scan("extras-groups")
    got = {ref: (c.scope, c.direct) for ref, c in comps(r).items()}
    assert got == {
        f"{P}requests@2.32.3": (Scope.REQUIRED, True),
        f"{P}pysocks@1.7.1": (Scope.REQUIRED, False),
        f"{P}certifi@2024.8.30": (Scope.REQUIRED, False),
        f"{P}urllib3@2.2.3": (Scope.REQUIRED, False),
        f"{P}boto3@1.35.0": (Scope.OPTIONAL, True),  # group s3 is an extra in pyproject
        f"{P}jmespath@1.0.1": (Scope.OPTIONAL, False),  # s3 and test: the stronger wins
        f"{P}pytest@8.3.3": (Scope.DEV, True),
        f"{P}ruff@0.7.0": (Scope.DEV, True),
    }
    # The requests[socks] entry adds its dependency to requests; awscrt (marker) is skipped.
    assert edges(r) == {
        (f"{P}requests@2.32.3", f"{P}certifi@2024.8.30"),
        (f"{P}requests@2.32.3", f"{P}urllib3@2.2.3"),
        (f"{P}requests@2.32.3", f"{P}pysocks@1.7.1"),
        (f"{P}boto3@1.35.0", f"{P}jmespath@1.0.1"),
        (f"{P}boto3@1.35.0", f"{P}urllib3@2.2.3"),
        (f"{P}pytest@8.3.3", f"{P}jmespath@1.0.1"),
        (f"{P}pdm-extras@1.0", f"{P}boto3@1.35.0"),
        (f"{P}pdm-extras@1.0", f"{P}pytest@8.3.3"),
        (f"{P}pdm-extras@1.0", f"{P}requests@2.32.3"),
        (f"{P}pdm-extras@1.0", f"{P}ruff@0.7.0"),
    }
    assert diags(r) == [(Msg.UNKNOWN_DEPENDENCY, "pdm-lock/extras-groups/pdm.lock:85", "pluggy")]


def test_old_lock_without_groups_uses_the_graph() -> None:
    r = scan("no-groups")
    got = {ref: (c.scope, c.direct) for ref, c in comps(r).items()}
    assert got == {
        f"{P}click@8.1.7": (Scope.REQUIRED, True),
        f"{P}colorama@0.4.6": (Scope.REQUIRED, False),
        f"{P}pytest@7.4.0": (Scope.DEV, True),
        f"{P}iniconfig@2.0.0": (Scope.DEV, False),
    }


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "pdm-lock/bad-entries/pdm.lock"
    assert diags(r) == [
        (Msg.MISSING_NAME, f"{f}:5", "[[package]] without a name"),
        (Msg.MISSING_VERSION, f"{f}:10", "nover; skipped"),
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:14", "ghost"),
        (Msg.DUPLICATE_ENTRY, f"{f}:20", "attrs 24.2.0, first at line 14"),
    ]
    assert {c.name: (c.version, c.scope) for c in r.components} == {
        "attrs": ("24.2.0", Scope.REQUIRED),
        "Ωmega": ("0.1", Scope.REQUIRED),
    }
    assert r.dependencies == []  # "attrs[tests]" names itself


@pytest.mark.parametrize(
    ("case", "code", "detail"),
    [
        pytest.param("empty", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param(
            "not-toml",
            Msg.WRONG_FORMAT,
            "Expected ']' at the end of a table declaration (at line 1, column 10)",
            id="not-toml",
        ),
        pytest.param("no-metadata", Msg.WRONG_FORMAT, "no [metadata] table", id="no-metadata"),
        pytest.param(
            "unsupported-version", Msg.UNSUPPORTED_VERSION, "lock version 5.0", id="version-5"
        ),
    ],
)
def test_unusable_files(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        code,
        f"pdm-lock/{case}/pdm.lock",
        detail,
    )

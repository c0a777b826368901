"""python-pipfile-lock: pipenv's Pipfile.lock (JSON), default/develop sections."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.python.pipfile_lock import PipfileLockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Hash, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
P = "pkg:pypi/"


def scan(case: str) -> CatalogResult:
    rel = f"pipfile-lock/{case}/Pipfile.lock"
    return PipfileLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert PipfileLockCataloger.name == "python-pipfile-lock"


# --- realistic: pipenv 2026.10.3, 40 default + 13 develop entries ---------------------


def test_realistic_counts() -> None:
    r = scan("realistic")
    # typing-extensions is in both sections with one version: one required component.
    assert len(r.components) == 52
    assert Counter(c.scope for c in r.components) == {Scope.REQUIRED: 40, Scope.DEV: 12}
    assert sum(1 for c in r.components if c.direct) == 10  # the Pipfile's 7 + 3
    assert r.dependencies == []  # the format records no graph
    assert r.diagnostics == []
    assert r.project is None  # Pipfile has no project name


@pytest.mark.parametrize(
    ("ref", "scope", "direct", "line", "props"),
    [
        pytest.param(
            f"{P}django@5.2.19",
            Scope.REQUIRED,
            True,
            310,
            (("sbomkit:hash-count", "2"), ("sbomkit:marker", "python_version >= '3.10'")),
            id="django",
        ),
        pytest.param(
            f"{P}requests@2.34.2",
            Scope.REQUIRED,
            True,
            682,
            (
                ("sbomkit:hash-count", "2"),
                ("sbomkit:extras", "socks"),
                ("sbomkit:marker", "python_version >= '3.10'"),
            ),
            id="extras",
        ),
        pytest.param(
            f"{P}sqlparse@0.6.1",
            Scope.REQUIRED,
            False,
            788,
            (("sbomkit:hash-count", "2"), ("sbomkit:marker", "python_version >= '3.10'")),
            id="transitive",
        ),
        pytest.param(
            f"{P}pytest@9.2.0",
            Scope.DEV,
            True,
            1322,
            (("sbomkit:hash-count", "2"), ("sbomkit:marker", "python_version >= '3.10'")),
            id="develop",
        ),
        pytest.param(
            f"{P}coverage@7.17.3",
            Scope.DEV,
            False,
            944,
            (
                ("sbomkit:hash-count", "119"),
                ("sbomkit:extras", "toml"),
                ("sbomkit:marker", "python_version >= '3.11'"),
            ),
            id="develop-transitive",
        ),
    ],
)
def test_realistic_components(
    ref: str, scope: Scope, direct: bool, line: int, props: tuple[tuple[str, str], ...]
) -> None:
    c = comps(scan("realistic"))[ref]
    assert (c.scope, c.direct, c.properties, c.hashes) == (scope, direct, props, ())
    assert [str(loc) for loc in c.locations] == [f"pipfile-lock/realistic/Pipfile.lock:{line}"]


# --- scenarios --------------------------------------------------------------------------


def test_sources_and_sections() -> None:
    r = scan("sources")
    got = {
        ref: (c.scope, c.direct, c.hashes, c.properties, c.source_url)
        for ref, c in comps(r).items()
    }
    one = (Hash("SHA-256", "55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760"),)
    flask = "git+https://github.com/pallets/flask.git@d9b3b3f29b7b5c0d5f5b6e5a0e5f3b3c2c1d0e9f"
    assert got == {
        # In default and develop: required, and its single hash is kept.
        f"{P}requests@2.32.3": (
            Scope.REQUIRED,
            True,
            one,
            (("sbomkit:extras", "socks"), ("sbomkit:marker", "python_version >= '3.8'")),
            None,
        ),
        f"{P}flask": (Scope.REQUIRED, True, (), (("sbomkit:source", "git"),), flask),
        f"{P}mylib": (Scope.REQUIRED, True, (), (("sbomkit:source", "editable"),), "./libs/mylib"),
        f"{P}wheelpkg@1.0": (
            Scope.REQUIRED,
            False,
            (),
            (("sbomkit:source", "url"),),
            "https://example.com/wheelpkg-1.0-py3-none-any.whl",
        ),
        f"{P}svnpkg@0.3": (
            Scope.REQUIRED,
            False,
            (),
            (("sbomkit:source", "vcs"),),
            "svn+svn://svn.example.com/svnpkg/trunk",
        ),
        f"{P}pytest@8.3.3": (Scope.DEV, True, (), (("sbomkit:hash-count", "2"),), None),
    }
    f = "pipfile-lock/sources/Pipfile.lock"
    assert diags(r) == [
        (Msg.NON_REGISTRY_SOURCE, f"{f}:30", f"flask from git {flask}; no version"),
        (Msg.NON_REGISTRY_SOURCE, f"{f}:34", "mylib from editable ./libs/mylib; no version"),
    ]


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "pipfile-lock/bad-entries/Pipfile.lock"
    assert diags(r) == [
        (Msg.DUPLICATE_ENTRY, f"{f}:7", "six in default, first at line 4"),
        (Msg.MISSING_VERSION, f"{f}:10", "nover; skipped"),
        (Msg.UNPINNED, f"{f}:13", "ranged >=1.0"),
        (Msg.MISSING_NAME, f"{f}:19", "empty key in default"),
        (Msg.INVALID_ENTRY, f"{f}:22", "weird in default: not an object"),
    ]
    # A JSON-escaped name is read as the text it encodes; a malformed hash is dropped.
    assert {c.name: (c.version, c.hashes) for c in r.components} == {
        "six": ("1.16.0", ()),
        "café-lib": ("2.0", ()),
        "badhash": ("3.0", ()),
    }
    assert [str(loc) for loc in comps(r)[f"{P}caf%C3%A9-lib@2.0"].locations] == [f"{f}:16"]


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param(
            "not-json",
            "Expecting property name enclosed in double quotes: line 1 column 14 (char 13)",
            id="not-json",
        ),
        pytest.param("not-object", "no _meta, default or develop key", id="top-level-array"),
        pytest.param("no-sections", "no _meta, default or develop key", id="other-json"),
        pytest.param("section-not-object", "'default' is not an object", id="section-array"),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"pipfile-lock/{case}/Pipfile.lock",
        detail,
    )


def test_project_from_pyproject_with_edges_to_pipfile_names() -> None:
    r = scan("with-pyproject")
    assert r.project is not None and r.project.ref == f"{P}pipenv-app@3.0.0"
    # The Pipfile, not pyproject.toml, says what is direct.
    assert {(d.source, d.target) for d in r.dependencies} == {
        (f"{P}pipenv-app@3.0.0", f"{P}flask"),
        (f"{P}pipenv-app@3.0.0", f"{P}mylib"),
        (f"{P}pipenv-app@3.0.0", f"{P}pytest@8.3.3"),
        (f"{P}pipenv-app@3.0.0", f"{P}requests@2.32.3"),
    }

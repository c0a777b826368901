"""python-uv-lock: uv.lock version 1, scope derived from the lock's own graph."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.python.uv_lock import UvLockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Hash, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
P = "pkg:pypi/"


def scan(case: str) -> CatalogResult:
    rel = f"uv-lock/{case}/uv.lock"
    return UvLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert UvLockCataloger.name == "python-uv-lock"


# --- realistic: uv 0.13.9, 96 packages, forked resolution (two Django versions) -------


def test_realistic_counts() -> None:
    r = scan("realistic")
    assert len(r.components) == 95  # 96 packages minus the project itself
    assert Counter(c.scope for c in r.components) == {
        Scope.REQUIRED: 50,
        Scope.DEV: 32,
        Scope.OPTIONAL: 13,
    }
    assert sum(1 for c in r.components if c.direct) == 20
    assert len(r.dependencies) == 178
    assert r.diagnostics == []
    assert r.project is not None and r.project.ref == f"{P}realistic-app@1.2.0"


@pytest.mark.parametrize(
    ("ref", "scope", "direct", "line", "sha256"),
    [
        pytest.param(
            f"{P}django@5.2.19",
            Scope.REQUIRED,
            True,
            770,
            "ad03d8abc51dbff95ebf34b27123cf0c26a3b62db7ba0cd520783686362533d1",
            id="django-fork-1",
        ),
        pytest.param(
            f"{P}django@6.1.3",
            Scope.REQUIRED,
            True,
            789,
            "b5d2d9e35295065d13b1927b3f19a59bd119f737aa6299def14ccca1ae3c8c0d",
            id="django-fork-2",
        ),
        pytest.param(
            f"{P}sqlparse@0.6.1",
            Scope.REQUIRED,
            False,
            2713,
            "ca722573f848ff2d30e40ea30f53a104b7dea7635ea9285891263eb2c58fb6e7",
            id="transitive",
        ),
        pytest.param(
            f"{P}pyyaml@6.0.3",
            Scope.REQUIRED,  # a root extra, but uvicorn[standard] needs it at runtime too
            True,
            2259,
            "d76623373421df22fb4cf8817020cbb7ef15c725b9d5e45f17e189bfc384190f",
            id="extra-and-runtime",
        ),
        pytest.param(
            f"{P}s3fs@2026.9.0",
            Scope.OPTIONAL,
            True,
            2428,
            "ec078ff0122d28fd21d36ea4987794e4f42ecd6e8785eeaa083208771c1464e5",
            id="optional",
        ),
        pytest.param(
            f"{P}pytest@9.2.0",
            Scope.DEV,
            True,
            2208,
            "97c4f3b1f3c7414aa36465e09b8220f1d03627993bd51b1282e193753c80557b",
            id="dev-group",
        ),
        pytest.param(
            f"{P}sphinx@9.2.0",
            Scope.DEV,
            True,
            2538,
            "90470459f3cab15d9dfed146c71cf77694b0445df17b2e0e69059cb9f7fc9ee4",
            id="docs-group",
        ),
        pytest.param(
            f"{P}coverage@7.17.3",
            Scope.DEV,
            False,
            644,
            "6695d1bb2a9a2fbd7806d69d78cf30f35eb0f65045da0ec5b5045242fadd6a78",
            id="dev-transitive",
        ),
    ],
)
def test_realistic_components(ref: str, scope: Scope, direct: bool, line: int, sha256: str) -> None:
    c = comps(scan("realistic"))[ref]
    assert (c.scope, c.direct, c.properties) == (scope, direct, ())
    assert [str(loc) for loc in c.locations] == [f"uv-lock/realistic/uv.lock:{line}"]
    assert c.hashes == (Hash("SHA-256", sha256),)


def test_realistic_source_url_is_the_sdist() -> None:
    c = comps(scan("realistic"))[f"{P}requests@2.34.2"]
    assert c.source_url == (
        "https://files.pythonhosted.org/packages/ac/c3/"
        "e2a2b89f2d3e2179abd6d00ebd70bff6273f37fb3e0cc209f48b39d00cbf/requests-2.34.2.tar.gz"
    )


def test_realistic_edges() -> None:
    e = edges(scan("realistic"))
    assert {
        (f"{P}django@5.2.19", f"{P}sqlparse@0.6.1"),
        (f"{P}django@6.1.3", f"{P}sqlparse@0.6.1"),
        (f"{P}realistic-app@1.2.0", f"{P}django@5.2.19"),
        (f"{P}realistic-app@1.2.0", f"{P}django@6.1.3"),
        (f"{P}realistic-app@1.2.0", f"{P}sphinx@9.0.4"),
        (f"{P}realistic-app@1.2.0", f"{P}s3fs@2026.9.0"),
        (f"{P}pytest-cov@7.1.0", f"{P}coverage@7.17.3"),
    } <= e


# --- scenarios --------------------------------------------------------------------------


def test_sources() -> None:
    r = scan("sources")
    got = {ref: (c.direct, c.properties, c.source_url, c.hashes) for ref, c in comps(r).items()}
    sdist = "https://files.pythonhosted.org/packages/b0/ee/9b19140fe824b367c04c5e1b369942dd754c4c5462d5674002f75c4dedc1/certifi-2024.8.30.tar.gz"
    assert got == {
        f"{P}certifi@2024.8.30": (
            False,
            (),
            sdist,
            (Hash("SHA-256", "bec941d2aa8195e248a60b31ff9f0558284cf01a52591ceda73ea9afffd69fd9"),),
        ),
        f"{P}httpx@0.27.0": (
            True,
            (("sbomkit:source", "git"),),
            "git+https://github.com/encode/httpx@326b9431c761e1ef1e00b9f760d1f654c8db48c6",
            (),
        ),
        f"{P}localwheel@1.0.0": (
            True,
            (("sbomkit:source", "path"),),
            "wheels/localwheel-1.0.0-py3-none-any.whl",
            (Hash("SHA-256", "5a3ab0f6e3b0f0b2fb2c3d6f1a1e0b1f3b4c5d6e7f8091a2b3c4d5e6f708192a"),),
        ),
        f"{P}mylib": (True, (("sbomkit:source", "path"),), "../mylib", ()),
        f"{P}tarball@2.0": (
            True,
            (("sbomkit:source", "url"),),
            "https://example.com/tarball-2.0.tar.gz",
            (Hash("SHA-256", "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c"),),
        ),
        f"{P}vendored@3.1": (True, (("sbomkit:source", "editable"),), "vendor/vendored", ()),
    }
    assert diags(r) == [
        (
            Msg.NON_REGISTRY_SOURCE,
            "uv-lock/sources/uv.lock:48",
            "mylib from path ../mylib; no version",
        )
    ]
    # The editable root is the project, located in the lock (no pyproject.toml beside it).
    assert r.project is not None and r.project.ref == f"{P}app@0.1.0"
    assert [str(loc) for loc in r.project.locations] == ["uv-lock/sources/uv.lock:6"]
    assert (f"{P}app@0.1.0", f"{P}mylib") in edges(r)
    assert (f"{P}httpx@0.27.0", f"{P}certifi@2024.8.30") in edges(r)


def test_extras_and_groups_scope_walk() -> None:
    r = scan("extras-scope")
    got = {ref: (c.scope, c.direct) for ref, c in comps(r).items()}
    assert got == {
        f"{P}web@2.0": (Scope.REQUIRED, True),
        f"{P}base@1.0": (Scope.REQUIRED, False),
        f"{P}speedups@1.1": (Scope.REQUIRED, False),  # web[fast], asked for at runtime
        f"{P}debugtool@0.9": (Scope.DEV, False),  # web[debug], asked for by the dev group
        f"{P}sdk@5.0": (Scope.OPTIONAL, True),  # the cloud extra; dev reaches it too
        f"{P}testing@8.0": (Scope.DEV, True),
        f"{P}island@0.1": (Scope.REQUIRED, False),  # unreachable: kept as required
    }
    # "ghost" has a marker and is not locked: no warning; "nowhere" has none.
    assert diags(r) == [(Msg.UNKNOWN_DEPENDENCY, "uv-lock/extras-scope/uv.lock:52", "nowhere")]
    assert edges(r) == {
        (f"{P}proj@1.0.0", f"{P}web@2.0"),
        (f"{P}proj@1.0.0", f"{P}sdk@5.0"),
        (f"{P}proj@1.0.0", f"{P}testing@8.0"),
        (f"{P}web@2.0", f"{P}base@1.0"),
        (f"{P}web@2.0", f"{P}speedups@1.1"),
        (f"{P}web@2.0", f"{P}debugtool@0.9"),
        (f"{P}debugtool@0.9", f"{P}base@1.0"),
        (f"{P}sdk@5.0", f"{P}base@1.0"),
        (f"{P}sdk@5.0", f"{P}speedups@1.1"),
        (f"{P}testing@8.0", f"{P}sdk@5.0"),
    }


def test_workspace_without_root_package() -> None:
    r = scan("workspace")
    got = {ref: (c.scope, c.direct, c.properties) for ref, c in comps(r).items()}
    editable = (("sbomkit:source", "editable"),)
    assert got == {
        f"{P}anyio@4.6.2": (Scope.REQUIRED, True, ()),
        f"{P}api@0.3.0": (Scope.REQUIRED, False, editable),
        f"{P}core": (Scope.REQUIRED, True, editable),
        f"{P}pytest@8.3.3": (Scope.DEV, True, ()),
        f"{P}starlette@0.41.2": (Scope.REQUIRED, True, ()),
    }
    assert r.project is None
    assert diags(r) == [
        (
            Msg.NON_REGISTRY_SOURCE,
            "uv-lock/workspace/uv.lock:32",
            "core from editable packages/core; no version",
        )
    ]


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "uv-lock/bad-entries/uv.lock"
    assert diags(r) == [
        (Msg.MISSING_NAME, f"{f}:4", "[[package]] without a name"),
        (Msg.MISSING_VERSION, f"{f}:9", "nover; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:18", "idna 3.10, first at line 13"),
    ]
    got = {c.name: (c.version, c.hashes) for c in r.components}
    # A malformed md5 and a short sha512 are dropped, not reported as hashes.
    assert got == {"idna": ("3.10", ()), "日本語パッケージ": ("1.0", ()), "tricky": ("2.0", ())}
    assert edges(r) == {(f"{P}tricky@2.0", f"{P}idna@3.10")}


@pytest.mark.parametrize(
    ("case", "code", "detail"),
    [
        pytest.param("empty", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param(
            "not-toml",
            Msg.WRONG_FORMAT,
            "Expected ']]' at the end of an array declaration (at line 2, column 10)",
            id="not-toml",
        ),
        pytest.param("no-version", Msg.WRONG_FORMAT, "no integer 'version' key", id="no-version"),
        pytest.param(
            "unsupported-version", Msg.UNSUPPORTED_VERSION, "uv.lock version 2", id="version-2"
        ),
        pytest.param(
            "package-not-array", Msg.WRONG_FORMAT, "'package' is not an array", id="not-array"
        ),
    ],
)
def test_unusable_files(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        code,
        f"uv-lock/{case}/uv.lock",
        detail,
    )


def test_pre_0_4_distribution_tables() -> None:
    r = scan("distribution-tables")
    assert [(c.ref, c.direct, [str(loc) for loc in c.locations]) for c in r.components] == [
        (f"{P}idna@3.7", True, ["uv-lock/distribution-tables/uv.lock:13"])
    ]
    assert r.project is not None and r.project.ref == f"{P}early@0.1.0"
    assert edges(r) == {(f"{P}early@0.1.0", f"{P}idna@3.7")}

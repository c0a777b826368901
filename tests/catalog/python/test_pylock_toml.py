"""python-pylock: PEP 751 pylock.toml, as written by uv, pip and by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.python.pylock_toml import PylockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Hash, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
P = "pkg:pypi/"


def scan(case: str, name: str = "pylock.toml") -> CatalogResult:
    rel = f"pylock-toml/{case}/{name}"
    return PylockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert PylockCataloger.name == "python-pylock"


# --- realistic: `uv export --format pylock.toml` and `pip lock` ------------------------


def test_realistic_uv_export() -> None:
    r = scan("realistic-uv")
    assert len(r.components) == 95
    # uv flattens the selected groups and extras: the file no longer says which is which.
    assert {c.scope for c in r.components} == {Scope.REQUIRED}
    assert sum(1 for c in r.components if c.direct) == 20  # from pyproject.toml beside it
    assert r.diagnostics == []
    assert r.project is not None and r.project.ref == f"{P}realistic-app@1.2.0"
    # No dependency table in uv's export: only the project's edges, to what it lists.
    assert len(r.dependencies) == 20
    django = comps(r)[f"{P}django@6.1.3"]
    assert django.hashes == (
        Hash("SHA-256", "b5d2d9e35295065d13b1927b3f19a59bd119f737aa6299def14ccca1ae3c8c0d"),
    )
    assert django.properties == (
        ("sbomkit:hash-count", "2"),
        ("sbomkit:marker", "python_full_version >= '3.12'"),
    )
    assert [str(loc) for loc in django.locations] == ["pylock-toml/realistic-uv/pylock.toml:658"]
    assert django.source_url == (
        "https://files.pythonhosted.org/packages/55/79/"
        "49a609ea76ec51404b482932e33f1e6858946b920232c11b11a25bea3032/django-6.1.3.tar.gz"
    )


def test_realistic_pip_lock_single_wheel() -> None:
    r = scan("realistic-pip")
    assert len(r.components) == 40
    assert r.diagnostics == []
    assert r.project is None
    c = comps(r)[f"{P}requests@2.34.2"]
    # pip locks one wheel for this platform: its hash identifies the one artifact.
    assert c.hashes == (
        Hash("SHA-256", "2a0d60c172f83ac6ab31e4554906c0f3b3588d37b5cb939b1c061f4907e278e0"),
    )
    assert (c.properties, c.direct, c.scope) == ((), None, Scope.REQUIRED)
    assert c.source_url == (
        "https://files.pythonhosted.org/packages/a0/f4/"
        "c67b0b3f1b9245e8d266f0f112c500d50e5b4e83cb6f3b71b6528104182a/"
        "requests-2.34.2-py3-none-any.whl"
    )
    assert [str(loc) for loc in c.locations] == ["pylock-toml/realistic-pip/pylock.toml:313"]


# --- scenarios --------------------------------------------------------------------------


def test_scope_from_extras_and_group_markers() -> None:
    r = scan("groups-markers")
    got = {ref: c.scope for ref, c in comps(r).items()}
    assert got == {
        f"{P}attrs@24.2.0": Scope.REQUIRED,
        f"{P}cryptography@43.0.1": Scope.OPTIONAL,
        f"{P}pytest@8.3.3": Scope.DEV,
        f"{P}sphinx@8.0.2": Scope.DEV,
        f"{P}both@1.0": Scope.OPTIONAL,  # an extra or a group: the stronger scope
        f"{P}platform-only@2.0": Scope.REQUIRED,
    }
    crypto = comps(r)[f"{P}cryptography@43.0.1"]
    # The sdist's two digests are one artifact; the wheel's is another.
    assert crypto.hashes == (
        Hash("SHA-256", "203e92a75716d8cfb491dc47c79e17d0d9207ccffcbcb35f598fbe463ae3444d"),
        Hash(
            "SHA-512",
            "7b6c3f2a0e9f5c6a1e0b6b1f7e2d8c9a4b5d6e7f8091a2b3c4d5e6f708192a3b"
            "4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b",
        ),
    )
    assert crypto.properties == (
        ("sbomkit:hash-count", "2"),
        ("sbomkit:marker", "'crypto' in extras"),
    )


def test_sources() -> None:
    r = scan("sources")
    got = {
        ref: (c.version, c.properties, c.source_url, len(c.hashes)) for ref, c in comps(r).items()
    }
    assert got == {
        f"{P}httpx@0.27.0": (
            "0.27.0",
            (("sbomkit:source", "git"),),
            "git+https://github.com/encode/httpx.git@326b9431c761e1ef1e00b9f760d1f654c8db48c6",
            0,
        ),
        f"{P}mylib": (None, (("sbomkit:source", "editable"),), "libs/mylib", 0),
        f"{P}vendored@1.1": ("1.1", (("sbomkit:source", "path"),), "vendor/vendored", 0),
        f"{P}remote@0.1": (
            "0.1",
            (("sbomkit:source", "url"),),
            "https://example.com/dist/remote-0.1.tar.gz",
            1,
        ),
        f"{P}localarchive@0.2": (
            "0.2",
            (("sbomkit:source", "path"),),
            "dist/localarchive-0.2.zip",
            1,
        ),
        f"{P}hgtool": (
            None,
            (("sbomkit:source", "vcs"),),
            "hg+https://hg.example.com/hgtool@4f2a9c",
            0,
        ),
    }
    f = "pylock-toml/sources/pylock.toml"
    assert diags(r) == [
        (Msg.NON_REGISTRY_SOURCE, f"{f}:15", "mylib from editable libs/mylib; no version"),
        (
            Msg.NON_REGISTRY_SOURCE,
            f"{f}:46",
            "hgtool from vcs hg+https://hg.example.com/hgtool@4f2a9c; no version",
        ),
    ]


def test_dependencies_pick_the_named_version() -> None:
    r = scan("dependencies")
    assert edges(r) == {
        (f"{P}app-lib@1.0", f"{P}numpy@2.1.0"),
        (f"{P}app-lib@1.0", f"{P}six@1.16.0"),
    }
    assert diags(r) == [
        (Msg.UNKNOWN_DEPENDENCY, "pylock-toml/dependencies/pylock.toml:5", "absent")
    ]


def test_named_lock_file() -> None:
    r = scan("named", "pylock.docs.toml")
    assert [c.ref for c in r.components] == [f"{P}sphinx@8.0.2"]


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "pylock-toml/bad-entries/pylock.toml"
    assert diags(r) == [
        (Msg.MISSING_NAME, f"{f}:4", "[[packages]] without a name"),
        (Msg.MISSING_VERSION, f"{f}:8", "nover; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:16", "dup 1.0, first at line 12"),
    ]
    assert {c.name: (c.version, c.hashes) for c in r.components} == {
        "dup": ("1.0", ()),
        "ünï": ("0.1", ()),
    }


@pytest.mark.parametrize(
    ("case", "code", "detail"),
    [
        pytest.param("empty", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param(
            "not-toml", Msg.WRONG_FORMAT, "Invalid value (at line 1, column 16)", id="not-toml"
        ),
        pytest.param(
            "no-lock-version", Msg.WRONG_FORMAT, "no 'lock-version' string", id="no-lock-version"
        ),
        pytest.param(
            "unsupported-version", Msg.UNSUPPORTED_VERSION, "lock version 2.0", id="version-2"
        ),
        pytest.param(
            "packages-not-array", Msg.WRONG_FORMAT, "'packages' is not an array", id="not-array"
        ),
    ],
)
def test_unusable_files(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        code,
        f"pylock-toml/{case}/pylock.toml",
        detail,
    )

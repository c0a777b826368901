"""conan-lock: Conan 1 graph locks (0.4) and Conan 2 flat locks (0.5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges
from testkit import json_values, survives

from sbomkit.catalog.cpp.conan_lock import ConanLockCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
FMT = "pkg:conan/fmt@10.1.1?rrev=f4e8ae1a9b8e3b0c7f6e3c2a1d7e5b9c"
ZLIB = "pkg:conan/zlib@1.3?rrev=fca992a7d96a1b92bd956caa8a97d18f"
OPENSSL1 = "pkg:conan/openssl@3.1.4?rrev=2b9b8e8f5f6a1d0a3c7d9e1b2f4a6c8e"
POCO = "pkg:conan/poco@1.12.4?channel=stable&rrev=b7e0c8d2a5f4e3c1b9a8d7e6f5c4b3a2&user=mycompany"
CMAKE = "pkg:conan/cmake@3.27.7?rrev=8a5f1d6e0c4b3a2f9e8d7c6b5a4f3e2d"


def scan(case: str) -> CatalogResult:
    rel = f"conan-lock/{case}/conan.lock"
    return ConanLockCataloger().catalog(Source(DATA / rel, rel))


def test_name() -> None:
    assert ConanLockCataloger.name == "conan-lock"


def test_v1_graph() -> None:
    r = scan("v1")
    f = "conan-lock/v1/conan.lock"
    got = {
        ref: (c.scope, c.direct, c.properties, [str(loc) for loc in c.locations])
        for ref, c in comps(r).items()
    }
    assert got == {
        FMT: (
            Scope.REQUIRED,
            True,
            (("sbomkit:conan-prev", "0c5e1f9b4e0e2a6a0b1c4e8b2d9f3a7c"),),
            [f"{f}:17"],
        ),
        OPENSSL1: (
            Scope.REQUIRED,
            True,
            (("sbomkit:conan-prev", "6b3c1d2e4f5a6b7c8d9e0f1a2b3c4d5e"),),
            [f"{f}:24"],
        ),
        ZLIB: (
            Scope.REQUIRED,
            False,
            (("sbomkit:conan-prev", "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"),),
            [f"{f}:34"],
        ),
        POCO: (Scope.REQUIRED, True, (), [f"{f}:41"]),
        CMAKE: (
            Scope.DEV,
            False,
            (
                ("sbomkit:conan-context", "build"),
                ("sbomkit:conan-prev", "e4f3d2c1b0a9f8e7d6c5b4a3f2e1d0c9"),
            ),
            [f"{f}:51"],
        ),
    }
    # Node 6 is openssl again in the build context: the same purl, one component.
    assert edges(r) == {
        (OPENSSL1, ZLIB),
        (POCO, ZLIB),
        (POCO, OPENSSL1),
        (CMAKE, OPENSSL1),
    }
    assert r.diagnostics == []


def test_v2_flat() -> None:
    r = scan("v2")
    got = {ref: (c.scope, c.direct, c.properties) for ref, c in comps(r).items()}
    build = (("sbomkit:conan-requires", "build_requires"),)
    assert got == {
        ZLIB: (Scope.REQUIRED, None, ()),  # also a build requirement: the stronger scope
        "pkg:conan/spdlog@1.12.0?rrev=0e8a9a6f4b1d1c9e6f7a2b3c4d5e6f70": (
            Scope.REQUIRED,
            None,
            (),
        ),
        "pkg:conan/openssl@3.2.0?rrev=9a3bd4e7d8e5f1c2b0a9e8d7c6b5a4f3": (
            Scope.REQUIRED,
            None,
            (),
        ),
        FMT: (Scope.REQUIRED, None, ()),
        "pkg:conan/boost@1.83.0?channel=stable&rrev=8d6d3f1e9e8b2c4a6f0d1e3b5a7c9e2f"
        "&user=mycompany": (Scope.REQUIRED, None, ()),
        "pkg:conan/ninja@1.11.1?rrev=77587f8c8318662ac8e5a7867eb4be21": (Scope.DEV, None, build),
        CMAKE: (Scope.DEV, None, build),
        "pkg:conan/mycompany-base@0.3?channel=stable&rrev=0a1b2c3d4e5f60718293a4b5c6d7e8f9"
        "&user=mycompany": (Scope.DEV, None, (("sbomkit:conan-requires", "python_requires"),)),
    }
    assert [str(loc) for loc in comps(r)[CMAKE].locations] == ["conan-lock/v2/conan.lock:12"]
    assert r.dependencies == []
    assert r.diagnostics == []


def test_bad_entries_v1() -> None:
    r = scan("bad-entries-v1")
    f = "conan-lock/bad-entries-v1/conan.lock"
    assert diags(r) == [
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:4", "node 9"),
        (Msg.MISSING_NAME, f"{f}:6", "node 2"),
        (Msg.MISSING_VERSION, f"{f}:7", "noversion; skipped"),
    ]
    assert list(comps(r)) == [ZLIB]


def test_bad_entries_v2() -> None:
    r = scan("bad-entries-v2")
    f = "conan-lock/bad-entries-v2/conan.lock"
    assert diags(r) == [
        (Msg.INVALID_ENTRY, f, "42"),
        (
            Msg.DUPLICATE_ENTRY,
            f"{f}:5",
            "zlib/1.3#fca992a7d96a1b92bd956caa8a97d18f%1698307373.437, first at line 4",
        ),
        (Msg.INVALID_ENTRY, f"{f}:7", "no version here"),
        (Msg.MISSING_VERSION, f"{f}:8", "bare; skipped"),
    ]
    assert list(comps(r)) == [ZLIB]


@pytest.mark.parametrize(
    ("case", "code", "detail"),
    [
        pytest.param("empty", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param(
            "not-json",
            Msg.WRONG_FORMAT,
            "Expecting value: line 2 column 15 (char 33)",
            id="not-json",
        ),
        pytest.param("no-version", Msg.WRONG_FORMAT, "no lock version", id="no-version"),
        pytest.param(
            "unsupported-version", Msg.UNSUPPORTED_VERSION, "lock version 0.6", id="version-0.6"
        ),
    ],
)
def test_unusable(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        code,
        f"conan-lock/{case}/conan.lock",
        detail,
    )


_KEYS = ["version", "requires", "build_requires", "graph_lock", "nodes", "0", "1", "ref", "prev"]
_keys = st.sampled_from(_KEYS) | st.text(max_size=6)
_values = json_values(_KEYS, extra_scalars=("0.4", "0.5", "zlib/1.3#ab%1", "a/1@_/_", "1", "0"))


def _no_crash(raw: bytes) -> None:
    survives(ConanLockCataloger(), "conan.lock", raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=300))
def test_random_bytes_never_crash(raw: bytes) -> None:
    _no_crash(raw)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.dictionaries(_keys, _values, max_size=4),
    version=st.sampled_from(["0.4", "0.5"]),
    nodes=st.dictionaries(_keys, _values, max_size=5),
)
def test_random_documents_never_crash(
    doc: dict[str, object], version: str, nodes: dict[str, object]
) -> None:
    _no_crash(json.dumps(doc).encode())
    _no_crash(json.dumps({**doc, "version": version}).encode())
    _no_crash(json.dumps({"version": "0.4", "graph_lock": {"nodes": nodes}}).encode())

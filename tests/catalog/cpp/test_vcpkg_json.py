"""vcpkg-manifest: dependencies, overrides, host tools, registries and baselines."""

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

from sbomkit.catalog.cpp.vcpkg_json import VcpkgManifestCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
G = "pkg:generic/"
SRC = ("sbomkit:source", "vcpkg")
MS = (
    ("sbomkit:vcpkg-baseline", "c8696863d371ab7f46e213d8f5ca923c4aef2a00"),
    ("sbomkit:vcpkg-registry", "https://github.com/microsoft/vcpkg"),
)


def scan(case: str) -> CatalogResult:
    rel = f"vcpkg-manifest/{case}/vcpkg.json"
    return VcpkgManifestCataloger().catalog(Source(DATA / rel, rel))


def test_name() -> None:
    assert VcpkgManifestCataloger.name == "vcpkg-manifest"


def test_realistic_components() -> None:
    r = scan("realistic")
    got = {ref: (c.scope, c.properties, c.locations[0].line) for ref, c in comps(r).items()}
    assert got == {
        f"{G}zlib@1.3": (
            Scope.REQUIRED,
            (SRC, MS[0], ("sbomkit:vcpkg-port-version", "1"), MS[1]),
            7,
        ),
        f"{G}fmt@10.1.1": (
            Scope.REQUIRED,
            (SRC, MS[0], ("sbomkit:vcpkg-constraint", ">=10.0.0"), MS[1]),
            9,
        ),
        f"{G}boost-asio": (
            Scope.REQUIRED,
            (SRC, MS[0], ("sbomkit:vcpkg-constraint", ">=1.83.0"), MS[1]),
            13,
        ),
        f"{G}libpng@1.6.40": (
            Scope.REQUIRED,
            (
                SRC,
                MS[0],
                ("sbomkit:vcpkg-features", "apng"),
                ("sbomkit:vcpkg-port-version", "2"),
                MS[1],
            ),
            17,
        ),
        f"{G}openssl": (
            Scope.REQUIRED,
            (SRC, MS[0], ("sbomkit:vcpkg-platform", "!windows"), MS[1]),
            23,
        ),
        f"{G}curl": (
            Scope.REQUIRED,
            (SRC, MS[0], ("sbomkit:vcpkg-features", "ssl,http2"), MS[1]),
            27,
        ),
        f"{G}mycorp-imaging": (
            Scope.REQUIRED,
            (
                SRC,
                ("sbomkit:vcpkg-baseline", "0b1f6b9e2c8d4a7e3f5c1a9b8d7e6f5a4c3b2a19"),
                ("sbomkit:vcpkg-registry", "https://git.mycorp.example/vcpkg-registry.git"),
            ),
            37,
        ),
        f"{G}vcpkg-cmake": (Scope.DEV, (SRC, *MS), 39),
        f"{G}vcpkg-cmake-config": (Scope.DEV, (SRC, *MS), 43),
    }
    assert all(c.direct for c in r.components)


def test_realistic_project_and_warnings() -> None:
    r = scan("realistic")
    assert r.project is not None and r.project.ref == f"{G}image-server@2.4.0"
    assert len(edges(r)) == 9
    assert (f"{G}image-server@2.4.0", f"{G}fmt@10.1.1") in edges(r)
    f = "vcpkg-manifest/realistic/vcpkg.json"
    tail = "; version chosen by the baseline"
    assert diags(r) == [
        (Msg.UNPINNED, f"{f}:13", f"boost-asio >=1.83.0{tail}"),
        (Msg.UNPINNED, f"{f}:23", f"openssl{tail}"),
        (Msg.UNPINNED, f"{f}:27", f"curl{tail}"),
        (Msg.UNPINNED, f"{f}:37", f"mycorp-imaging{tail}"),
        (Msg.UNPINNED, f"{f}:39", f"vcpkg-cmake{tail}"),
        (Msg.UNPINNED, f"{f}:43", f"vcpkg-cmake-config{tail}"),
    ]


def test_embedded_configuration() -> None:
    r = scan("embedded-config")
    base = ("sbomkit:vcpkg-baseline", "a42af01b72c28a8e1d7b48107b33e4f286a55ef6")
    got = {ref: (c.scope, c.properties) for ref, c in comps(r).items()}
    assert got == {
        f"{G}sqlite3": (Scope.REQUIRED, (SRC, base)),
        f"{G}gtest": (Scope.DEV, (SRC, base)),
    }
    assert r.project is None and r.dependencies == []


def test_broken_sibling_configuration_is_a_warning() -> None:
    r = scan("broken-config")
    assert diags(r)[0] == (
        Msg.INVALID_ENTRY,
        "vcpkg-manifest/broken-config/vcpkg-configuration.json",
        "Expecting value: line 2 column 1 (char 22)",
    )
    assert sorted(comps(r)) == [f"{G}gtest", f"{G}sqlite3"]


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "vcpkg-manifest/bad-entries/vcpkg.json"
    assert diags(r) == [
        (Msg.MISSING_NAME, f, "dependency without a name"),
        (Msg.INVALID_ENTRY, f, "42"),
        (Msg.UNPINNED, f"{f}:5", "zlib; version chosen by the baseline"),
        (Msg.INVALID_ENTRY, f"{f}:7", "Not_A_Port: not a vcpkg port name"),
        (Msg.DUPLICATE_ENTRY, f"{f}:8", "zlib, first at line 5"),
    ]
    assert sorted(comps(r)) == [f"{G}fmt@10.2.1", f"{G}zlib"]


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-json", "Expecting ',' delimiter: line 3 column 1 (char 36)", id="json"),
        pytest.param("not-manifest", "not a vcpkg manifest", id="not-manifest"),
    ],
)
def test_unusable(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"vcpkg-manifest/{case}/vcpkg.json",
        detail,
    )


_KEYS = [
    "name",
    "version",
    "dependencies",
    "overrides",
    "host",
    "features",
    "version>=",
    "port-version",
]
_keys = st.sampled_from(_KEYS) | st.text(max_size=6)
_values = json_values(_KEYS)


def _no_crash(raw: bytes, config: bytes | None = None) -> None:
    siblings = {"vcpkg-configuration.json": config} if config is not None else None
    survives(VcpkgManifestCataloger(), "vcpkg.json", raw, siblings)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=300), config=st.none() | st.binary(max_size=100))
def test_random_bytes_never_crash(raw: bytes, config: bytes | None) -> None:
    _no_crash(raw, config)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.dictionaries(_keys, _values, max_size=4),
    deps=st.lists(_values, max_size=5),
    config=st.dictionaries(
        st.sampled_from(["default-registry", "registries", "baseline", "packages"]), _values
    ),
)
def test_random_documents_never_crash(
    doc: dict[str, object], deps: list[object], config: dict[str, object]
) -> None:
    _no_crash(json.dumps(doc).encode())
    manifest = {**doc, "dependencies": deps, "overrides": deps}
    _no_crash(json.dumps(manifest).encode(), json.dumps(config).encode())
    _no_crash(json.dumps({**manifest, "vcpkg-configuration": config}).encode())

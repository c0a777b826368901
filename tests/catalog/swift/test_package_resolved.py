"""swift-package-resolved: Package.resolved v1, v2 and v3; URL, registry and local pins."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.swift.package_resolved import SwiftPackageResolvedCataloger, repo_name
from sbomkit.i18n import Msg

DATA = Path(__file__).resolve().parents[2] / "testdata"
P = "pkg:swift/"


def scan(case: str) -> CatalogResult:
    rel = f"package-resolved/{case}/Package.resolved"
    return SwiftPackageResolvedCataloger().catalog(Source(DATA / rel, rel))


def scan_text(text: str | bytes) -> CatalogResult:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "Package.resolved"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return SwiftPackageResolvedCataloger().catalog(Source(path, "Package.resolved"))


def test_name_matches_registry() -> None:
    assert SwiftPackageResolvedCataloger.name == "swift-package-resolved"


@pytest.mark.parametrize(
    ("case", "refs"),
    [
        pytest.param(
            "v1",
            [
                (f"{P}github.com/Alamofire/Alamofire@5.9.1", 4),
                (f"{P}github.com/onevcat/Kingfisher@7.11.0", 13),
                (f"{P}github.com/SnapKit/SnapKit@5.7.1", 22),
                (
                    f"{P}github.com/apple/swift-collections@94cf62b3ba8d4bed62680a282d4c25f9c63c2efb",
                    31,
                ),
            ],
            id="v1",
        ),
        pytest.param(
            "v2",
            [
                (f"{P}github.com/apple/swift-atomics@1.2.0", 3),
                (f"{P}github.com/apple/swift-collections@1.1.0", 12),
                (f"{P}github.com/apple/swift-log@1.5.4", 21),
                (f"{P}github.com/apple/swift-nio@2.62.0", 30),
                (f"{P}github.com/vapor/vapor@11cdb29476a3bcd1f7ce8d9cd8f4b4bdf5fcf7a7", 39),
            ],
            id="v2",
        ),
        pytest.param(
            "v3",
            [
                (f"{P}mona/linkedlist@1.1.0", 4),
                (f"{P}github.com/apple/swift-argument-parser@1.3.1", 12),
                ("swift:mylib@0123456789abcdef0123456789abcdef01234567", 21),
            ],
            id="v3",
        ),
    ],
)
def test_versions(case: str, refs: list[tuple[str, int]]) -> None:
    r = scan(case)
    assert [(c.ref, c.locations[0].line) for c in r.components] == refs
    assert r.diagnostics == [] and r.dependencies == []
    assert all(c.direct is None and c.ecosystem == "swift" for c in r.components)


def test_tagged_pin() -> None:
    c = comps(scan("v2"))[f"{P}github.com/apple/swift-nio@2.62.0"]
    assert c.source_url == (
        "git+https://github.com/apple/swift-nio.git@702cd7c56d5d44eeba73fdf83918339b26dc855c"
    )
    assert c.properties == (("sbomkit:revision", "702cd7c56d5d44eeba73fdf83918339b26dc855c"),)


def test_branch_pin() -> None:
    ref = f"{P}github.com/vapor/vapor@11cdb29476a3bcd1f7ce8d9cd8f4b4bdf5fcf7a7"
    assert comps(scan("v2"))[ref].properties == (("sbomkit:swift-branch", "main"),)


def test_registry_and_local_pins() -> None:
    r = comps(scan("v3"))
    assert r[f"{P}mona/linkedlist@1.1.0"].properties == (("sbomkit:source", "registry"),)
    local = r["swift:mylib@0123456789abcdef0123456789abcdef01234567"]
    assert local.purl is None
    assert local.source_url == "/Users/dev/src/MyLib"
    assert local.properties == (("sbomkit:source", "path"),)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://github.com/apple/swift-nio.git", "github.com/apple/swift-nio"),
        ("https://GitHub.com/apple/swift-nio/", "github.com/apple/swift-nio"),
        ("git@github.com:SnapKit/SnapKit.git", "github.com/SnapKit/SnapKit"),
        ("ssh://git@gitlab.example.com:2222/team/lib.git", "gitlab.example.com/team/lib"),
        ("https://user:pw@example.com/a/b", "example.com/a/b"),
        ("https://example.com", None),
        ("", None),
    ],
)
def test_repo_name(url: str, name: str | None) -> None:
    assert repo_name(url) == name


def test_bad_entries() -> None:
    r = scan("bad-entries")
    assert sorted(comps(r)) == [f"{P}github.com/apple/swift-nio@2.62.0"]
    f = "package-resolved/bad-entries/Package.resolved"
    assert diags(r) == [
        (Msg.DUPLICATE_ENTRY, f"{f}:9", f"{P}github.com/apple/swift-nio@2.62.0, first at line 3"),
        (Msg.MISSING_VERSION, f"{f}:15", "nothing; no version or revision"),
        (Msg.INVALID_ENTRY, f"{f}:21", "hostonly: no repository path in 'https://example.com'"),
        (Msg.INVALID_ENTRY, f"{f}:27", "svn: unknown kind 'fileSystem'"),
        (Msg.MISSING_NAME, f"{f}:33", "pin without identity or location"),
    ]


@pytest.mark.parametrize(
    ("case", "code", "match"),
    [
        pytest.param("empty", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param("not-json", Msg.WRONG_FORMAT, "invalid JSON", id="not-json"),
        pytest.param("no-pins", Msg.WRONG_FORMAT, "no 'version' and 'pins'", id="no-pins"),
        pytest.param("unsupported-version", Msg.UNSUPPORTED_VERSION, "version 4", id="v4"),
    ],
)
def test_wrong_file(case: str, code: Msg, match: str) -> None:
    with pytest.raises(CatalogError, match=match) as e:
        scan(case)
    assert e.value.code is code


def test_deep_nesting_refused() -> None:
    with pytest.raises(CatalogError, match="nested too deeply"):
        scan_text('{"version": 2, "pins": ' + "[" * 100_000 + "]" * 100_000 + "}")


def _run(text: str | bytes) -> None:
    try:
        r = scan_text(text)
    except CatalogError:
        return
    for c in r.components:
        assert c.ecosystem == "swift" and c.ref


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=6), kids, max_size=3)
    ),
    max_leaves=15,
)
_STATE = st.fixed_dictionaries({}, optional={"version": _JSON, "revision": _JSON, "branch": _JSON})
_PIN = st.fixed_dictionaries(
    {},
    optional={
        "identity": _JSON,
        "package": _JSON,
        "kind": st.sampled_from(["remoteSourceControl", "localSourceControl", "registry"]) | _JSON,
        "location": st.sampled_from(["https://github.com/a/b.git", "git@h:x/y", "/p"]) | _JSON,
        "repositoryURL": _JSON,
        "state": _STATE | _JSON,
    },
)


@_SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    _run(data)


@_SETTINGS
@given(st.lists(_PIN | _JSON, max_size=5), st.sampled_from([1, 2, 3]))
def test_random_documents_never_crash(pins: list[object], version: int) -> None:
    doc: dict[str, object] = {"pins": pins, "version": version}
    if version == 1:
        doc = {"object": {"pins": pins}, "version": 1}
    _run(json.dumps(doc, indent=2))

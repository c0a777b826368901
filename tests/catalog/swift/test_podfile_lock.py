"""cocoapods-podfile-lock: pods, collapsed subspecs, direct flags, sources, edges."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.swift.podfile_lock import PodfileLockCataloger, split_entry
from sbomkit.i18n import Msg
from sbomkit.model import Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
P = "pkg:cocoapods/"


def scan(case: str) -> CatalogResult:
    rel = f"podfile-lock/{case}/Podfile.lock"
    return PodfileLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert PodfileLockCataloger.name == "cocoapods-podfile-lock"


def test_realistic_counts() -> None:
    r = scan("realistic")
    # 39 PODS items; subspecs fold into 19 pods.
    assert len(r.components) == 19
    assert len(r.dependencies) == 37
    assert r.diagnostics == []
    assert all(c.scope is Scope.REQUIRED for c in r.components)
    assert sorted(c.name for c in r.components if c.direct) == [
        "Alamofire",
        "Firebase",
        "MyDesignKit",
        "SDWebImage",
        "SnapKit",
        "SwiftLint",
    ]


def test_plain_pod() -> None:
    c = comps(scan("realistic"))[f"{P}Alamofire@5.9.0"]
    assert [str(loc) for loc in c.locations] == ["podfile-lock/realistic/Podfile.lock:2"]
    assert c.hashes == ()  # the SPEC CHECKSUM hashes the podspec, not the artifact
    assert c.properties == (
        ("sbomkit:podspec-sha1", "02b772c9910e8eba1a079227c32fbd9e46c90a24"),
        ("sbomkit:spec-repo", "trunk"),
    )


def test_subspecs_collapse() -> None:
    r = scan("realistic")
    firebase = comps(r)[f"{P}Firebase@10.22.0"]
    assert firebase.locations[0].line == 3
    assert ("sbomkit:subspecs", "Analytics,Core,CoreOnly,Crashlytics") in firebase.properties
    assert {t for s, t in edges(r) if s == firebase.ref} == {
        f"{P}FirebaseAnalytics@10.22.0",
        f"{P}FirebaseCore@10.22.0",
        f"{P}FirebaseCrashlytics@10.22.0",
    }
    utilities = comps(r)[f"{P}GoogleUtilities@7.13.0"]
    assert {t for s, t in edges(r) if s == utilities.ref} == {f"{P}PromisesObjC@2.4.0"}
    assert all(s != t for s, t in edges(r))


def test_external_sources() -> None:
    r = comps(scan("realistic"))
    git = r[f"{P}SDWebImage@5.19.1"]
    assert git.source_url == "git+https://github.com/SDWebImage/SDWebImage.git@5.19.1"
    assert ("sbomkit:source", "git") in git.properties
    local = r[f"{P}MyDesignKit@0.4.0"]
    assert local.source_url == "../MyDesignKit"
    assert ("sbomkit:source", "path") in local.properties


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Alamofire (5.9.0)", ("Alamofire", None, "5.9.0")),
        ("Firebase/Core (10.22.0)", ("Firebase", "Core", "10.22.0")),
        ("GoogleUtilities/NSData+zlib (~> 7.11)", ("GoogleUtilities", "NSData+zlib", "~> 7.11")),
        ("Firebase/CoreOnly", ("Firebase", "CoreOnly", None)),
        ("MyKit (from `../MyKit`)", ("MyKit", None, "from `../MyKit`")),
        ("", ("", None, None)),
    ],
)
def test_split_entry(text: str, parts: tuple[str, str | None, str | None]) -> None:
    assert split_entry(text) == parts


def test_bad_entries() -> None:
    r = scan("bad-entries")
    assert sorted(comps(r)) == [f"{P}Alamofire@5.9.0", f"{P}Kingfisher@7.11.0"]
    f = "podfile-lock/bad-entries/Podfile.lock"
    assert diags(r) == [
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:2", "Ghost"),
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:2", "Phantom"),
        (Msg.MISSING_VERSION, f"{f}:5", "NoVersion; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:6", "Alamofire (5.8.0), first at line 2"),
        (Msg.INVALID_ENTRY, f"{f}:9", "PODS item is neither a string nor a mapping"),
        (Msg.MISSING_NAME, f"{f}:10", "'(1.0)'"),
    ]
    assert r.dependencies == []


@pytest.mark.parametrize(
    ("case", "match"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-yaml", "invalid YAML", id="not-yaml"),
        pytest.param("no-pods", "top level is a str, not a mapping", id="podfile"),
    ],
)
def test_wrong_format(case: str, match: str) -> None:
    with pytest.raises(CatalogError, match=match) as e:
        scan(case)
    assert e.value.code is Msg.WRONG_FORMAT


def _run(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "Podfile.lock"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        try:
            r = PodfileLockCataloger().catalog(Source(path, "Podfile.lock"))
        except CatalogError:
            return
    for c in r.components:
        assert c.ecosystem == "cocoapods" and c.purl is not None
    for dep in r.dependencies:
        assert dep.source != dep.target


def test_no_pods_key() -> None:
    with pytest.raises(CatalogError, match="no PODS list"):
        _strict("COCOAPODS: 1.15.2\n")
    with pytest.raises(CatalogError, match="PODS is not a list"):
        _strict("PODS: {}\n")


def _strict(text: str) -> CatalogResult:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "Podfile.lock"
        path.write_text(text, encoding="utf-8")
        return PodfileLockCataloger().catalog(Source(path, "Podfile.lock"))


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_ENTRY = st.one_of(
    st.from_regex(r"[A-Za-z]{1,5}(/[A-Za-z]{1,4})? \([0-9.~> ]{0,6}\)", fullmatch=True),
    st.text(max_size=10),
)
_ITEM = st.one_of(_ENTRY, st.dictionaries(_ENTRY, st.lists(_ENTRY, max_size=3), max_size=2))
_ANY = st.recursive(
    st.none() | st.text(max_size=8) | st.integers(),
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3)
    ),
    max_leaves=10,
)


@_SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    _run(data)


@_SETTINGS
@given(
    st.lists(_ITEM, max_size=6),
    st.lists(_ENTRY, max_size=3) | _ANY,
    st.dictionaries(_ENTRY, _ANY, max_size=3),
    _ANY,
)
def test_random_documents_never_crash(
    pods: list[object], deps: object, external: dict[str, object], checksums: object
) -> None:
    doc = {
        "PODS": pods,
        "DEPENDENCIES": deps,
        "EXTERNAL SOURCES": external,
        "CHECKOUT OPTIONS": external,
        "SPEC REPOS": {"trunk": [split_entry(e)[0] for e in pods if isinstance(e, str)]},
        "SPEC CHECKSUMS": checksums,
    }
    _run(yaml.safe_dump(doc))

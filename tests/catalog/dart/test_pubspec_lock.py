"""dart-pubspec-lock: hosted, git, path and sdk packages; direct/dev from the lock."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags

from sbomkit.catalog.dart.pubspec_lock import PubspecLockCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
P = "pkg:pub/"


def scan(case: str) -> CatalogResult:
    rel = f"pubspec-lock/{case}/pubspec.lock"
    return PubspecLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert PubspecLockCataloger.name == "dart-pubspec-lock"


def test_realistic_counts() -> None:
    r = scan("realistic")
    # 40 entries; flutter, flutter_test and sky_engine come with the SDK.
    assert len(r.components) == 37
    assert Counter(c.scope for c in r.components) == {Scope.REQUIRED: 35, Scope.DEV: 2}
    assert sum(1 for c in r.components if c.direct) == 11
    assert all(c.direct is not None for c in r.components)
    assert r.dependencies == []
    assert r.diagnostics == []
    assert not any(c.name.startswith(("flutter_test", "sky_engine")) for c in r.components)


def test_realistic_project() -> None:
    project = scan("realistic").project
    assert project is not None
    assert project.ref == f"{P}weather_app@1.4.0%2B12"
    assert project.properties == (
        ("sbomkit:sdk-dart", ">=3.3.0 <4.0.0"),
        ("sbomkit:sdk-flutter", ">=3.19.0"),
    )


@pytest.mark.parametrize(
    ("ref", "scope", "direct", "line"),
    [
        pytest.param(f"{P}http@1.2.0", Scope.REQUIRED, True, 109, id="direct-main"),
        pytest.param(f"{P}mocktail@1.0.3", Scope.DEV, True, 190, id="direct-dev"),
        pytest.param(f"{P}intl@0.19.0", Scope.REQUIRED, True, 133, id="overridden"),
        pytest.param(f"{P}meta@1.12.0", Scope.REQUIRED, False, 182, id="transitive"),
        pytest.param(f"{P}matcher@0.12.16%2B1", Scope.REQUIRED, False, 166, id="build-meta"),
    ],
)
def test_realistic_entries(ref: str, scope: Scope, direct: bool, line: int) -> None:
    c = comps(scan("realistic"))[ref]
    assert (c.scope, c.direct) == (scope, direct)
    assert [str(loc) for loc in c.locations] == [f"pubspec-lock/realistic/pubspec.lock:{line}"]


def test_hosted_hash() -> None:
    c = comps(scan("realistic"))[f"{P}http@1.2.0"]
    assert [(h.algorithm, h.value) for h in c.hashes] == [
        ("SHA-256", "939e9ca37d625bf695647e04bd18b1054830befc4e4ae3603e0628da40f6c0cf")
    ]
    assert c.source_url is None and c.properties == ()


def test_git_path_and_private_host() -> None:
    r = comps(scan("realistic"))
    git = r[f"{P}markdown_widget@2.3.2%2B6"]
    assert git.source_url == (
        "git+https://github.com/asjqkkkk/markdown_widget.git"
        "@6b1c3f5e0d8a4c2b9e7f1a3d5c7b9e1f2a4c6d8e"
    )
    assert git.properties == (("sbomkit:git-path", "."), ("sbomkit:source", "git"))
    assert git.hashes == ()
    local = r[f"{P}company_ui@0.3.0"]
    assert (local.source_url, local.properties) == (
        "../packages/company_ui",
        (("sbomkit:source", "path"),),
    )
    private = r[f"{P}internal_auth@4.1.0"]
    assert private.source_url == "https://dart.example.com"
    assert private.properties == (("sbomkit:pub-repository", "https://dart.example.com"),)


def test_bad_entries() -> None:
    r = scan("bad-entries")
    assert sorted(comps(r)) == [f"{P}http@1.2.0"]
    assert comps(r)[f"{P}http@1.2.0"].hashes == ()  # "not-a-hash" is dropped
    f = "pubspec-lock/bad-entries/pubspec.lock"
    assert diags(r) == [
        (Msg.MISSING_VERSION, f"{f}:10", "meta; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:13", "http; first kept"),
        (Msg.INVALID_ENTRY, f"{f}:17", "odd: not a mapping"),
    ]
    assert r.project is None


@pytest.mark.parametrize(
    ("case", "match"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-yaml", "invalid YAML", id="not-yaml"),
        pytest.param("no-packages", "no 'packages' mapping", id="no-packages"),
    ],
)
def test_wrong_format(case: str, match: str) -> None:
    with pytest.raises(CatalogError, match=match) as e:
        scan(case)
    assert e.value.code is Msg.WRONG_FORMAT


def _run(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "pubspec.lock"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        try:
            r = PubspecLockCataloger().catalog(Source(path, "pubspec.lock"))
        except CatalogError:
            return
    for c in r.components:
        assert c.ecosystem == "pub" and c.purl is not None


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_SCALAR = st.one_of(st.none(), st.text(max_size=8), st.integers(), st.booleans())
_DOC = st.recursive(
    _SCALAR,
    lambda kids: st.one_of(
        st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=20,
)


@_SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    _run(data)


@_SETTINGS
@given(
    st.dictionaries(
        st.text(max_size=8),
        st.fixed_dictionaries(
            {},
            optional={
                "dependency": _DOC,
                "description": _DOC,
                "source": st.sampled_from(["hosted", "git", "path", "sdk", "x"]) | _DOC,
                "version": _DOC,
            },
        )
        | _DOC,
        max_size=5,
    )
)
def test_random_documents_never_crash(packages: dict[str, object]) -> None:
    _run(yaml.safe_dump({"packages": packages, "sdks": {"dart": ">=3.0.0"}}))

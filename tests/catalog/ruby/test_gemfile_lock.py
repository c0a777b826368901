"""ruby-gemfile-lock: GEM/GIT/PATH specs, platforms, CHECKSUMS, Gemfile groups, bad input."""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges
from testkit import shared_data

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.ruby.gemfile_lock import GemfileLockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Hash, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
G = "pkg:gem/"


def scan(case: str, name: str = "Gemfile.lock") -> CatalogResult:
    rel = f"gemfile-lock/{case}/{name}"
    return GemfileLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert GemfileLockCataloger.name == "ruby-gemfile-lock"


# --- realistic: a Rails 7.1 app, Bundler 2.5.6, GIT + PATH + platform variants -----------


def test_realistic_counts() -> None:
    r = scan("realistic")
    # 88 spec lines; nokogiri is locked for two platforms, so 87 gems and 88 components.
    assert len(r.components) == 88
    assert Counter(c.scope for c in r.components) == {Scope.REQUIRED: 61, Scope.DEV: 27}
    # 18 DEPENDENCIES, tzinfo-data has no spec (windows/jruby only), nokogiri counts twice.
    assert sum(1 for c in r.components if c.direct) == 18
    assert len(r.dependencies) == 138
    assert r.diagnostics == []  # rails -> bundler is implicit, not unknown
    assert r.project is None


@pytest.mark.parametrize(
    ("ref", "scope", "direct", "line", "url", "props"),
    [
        pytest.param(f"{G}rails@7.1.3", Scope.REQUIRED, True, 136, None, (), id="rails"),
        pytest.param(f"{G}zeitwerk@2.6.13", Scope.REQUIRED, False, 234, None, (), id="transitive"),
        pytest.param(
            f"{G}devise@4.9.3",
            Scope.REQUIRED,
            True,
            6,
            "https://github.com/heartcombo/devise.git@5d5636f03ac19e8188d99c044d4b5e90124313af",
            (("sbomkit:source", "git"),),
            id="git",
        ),
        pytest.param(
            f"{G}billing@0.1.0",
            Scope.REQUIRED,
            True,
            16,
            "engines/billing",
            (("sbomkit:source", "path"),),
            id="path",
        ),
        pytest.param(
            f"{G}nokogiri@1.16.2?platform=x86_64-linux",
            Scope.REQUIRED,
            True,
            114,
            None,
            (),
            id="platform",
        ),
        pytest.param(f"{G}capybara@3.40.0", Scope.DEV, True, 67, None, (), id="group-block"),
        pytest.param(f"{G}rubocop@1.60.2", Scope.DEV, True, 192, None, (), id="inline-group"),
        pytest.param(f"{G}debug@1.9.1", Scope.DEV, True, 79, None, (), id="dev-and-test"),
        pytest.param(f"{G}rspec-support@3.13.1", Scope.DEV, False, 191, None, (), id="dev-trans"),
        # web-console (dev) needs activemodel too, but rails reaches it first: required.
        pytest.param(f"{G}activemodel@7.1.3", Scope.REQUIRED, False, 41, None, (), id="shared"),
    ],
)
def test_realistic_components(
    ref: str,
    scope: Scope,
    direct: bool,
    line: int,
    url: str | None,
    props: tuple[tuple[str, str], ...],
) -> None:
    c = comps(scan("realistic"))[ref]
    assert (c.scope, c.direct, c.source_url, c.properties) == (scope, direct, url, props)
    assert [str(loc) for loc in c.locations] == [f"gemfile-lock/realistic/Gemfile.lock:{line}"]


def test_realistic_edges() -> None:
    e = edges(scan("realistic"))
    assert {
        (f"{G}rails@7.1.3", f"{G}railties@7.1.3"),
        (f"{G}devise@4.9.3", f"{G}warden@1.2.9"),
        (f"{G}billing@0.1.0", f"{G}rails@7.1.3"),
        # a dependency on nokogiri reaches every platform variant
        (f"{G}loofah@2.22.0", f"{G}nokogiri@1.16.2?platform=arm64-darwin"),
        (f"{G}loofah@2.22.0", f"{G}nokogiri@1.16.2?platform=x86_64-linux"),
        (f"{G}nokogiri@1.16.2?platform=arm64-darwin", f"{G}racc@1.7.3"),
    } <= e
    assert not any(t.startswith(f"{G}bundler") for _, t in e)


# --- scenarios --------------------------------------------------------------------------


def test_checksums_and_platform_variants() -> None:
    r = scan("checksums")
    got = {ref: (c.direct, c.hashes) for ref, c in comps(r).items()}

    def sha(v: str) -> tuple[Hash, ...]:
        return (Hash("SHA-256", v),)

    assert got == {
        f"{G}ffi@1.17.0": (
            True,
            sha("51630e43425078311c056ca75f961bb3bda1641ab36e44ad4c455e0b0e4a231c"),
        ),
        f"{G}ffi@1.17.0?platform=x86_64-linux-gnu": (
            True,
            sha("fc1a5a08dd9b3b8d35bce2cf45e3a01e7f9bb4e4d7e38186f03dd01b5ec3e4f4"),
        ),
        f"{G}racc@1.8.1": (False, ()),  # a CHECKSUMS line without a digest
        f"{G}nokogiri@1.16.7?platform=x86_64-linux-gnu": (
            True,
            sha("9e4b29ddb6bdbae3f3e8dcf29b4bd1a5ff2b8e7e6b0e5e5c3d9b10b7a8f1bb3d"),
        ),
    }
    assert edges(r) == {(f"{G}nokogiri@1.16.7?platform=x86_64-linux-gnu", f"{G}racc@1.8.1")}
    assert r.diagnostics == []


def test_gems_locked_reads_gems_rb() -> None:
    r = scan("gems-locked", "gems.locked")
    # gems.rb: an `if ... end` block must not unbalance the group stack.
    assert {ref: (c.scope, c.direct) for ref, c in comps(r).items()} == {
        f"{G}minitest@5.22.2": (Scope.DEV, True),
        f"{G}rake@13.1.0": (Scope.REQUIRED, True),
    }


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "gemfile-lock/bad-entries/Gemfile.lock"
    assert diags(r) == [
        (Msg.MISSING_VERSION, f"{f}:5", "nover; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:6", "rack 3.0.9, first at line 4"),
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:8", "mustermann"),
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:10", "ghost"),  # once, though tilt needs it too
        (Msg.INVALID_ENTRY, f"{f}:13", "this is not a spec"),
        (Msg.INVALID_ENTRY, f"{f}:14", "Ω (1.0)"),
        (Msg.INVALID_ENTRY, f"{f}:21", "?? broken"),
    ]
    assert {ref: c.direct for ref, c in comps(r).items()} == {
        f"{G}rack@3.0.9": False,
        f"{G}sinatra@4.0.0": True,
        f"{G}tilt@2.3.0": False,
    }
    assert edges(r) == {(f"{G}sinatra@4.0.0", f"{G}rack@3.0.9")}


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-lockfile", "no GEM, GIT, PATH or DEPENDENCIES", id="gemfile"),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"gemfile-lock/{case}/Gemfile.lock",
        detail,
    )


# --- spdx-examples software/example12: a gem skeleton and its SPDX 2.2 documents --------


def test_spdx_example12_against_its_sbom() -> None:
    lock = shared_data("spdx-examples", "software", "example12", "content", "hello", "Gemfile.lock")
    r = GemfileLockCataloger().catalog(Source(lock, "hello/Gemfile.lock"))
    ours = {(c.name, c.version) for c in r.components}
    doc = lock.parents[2] / "spdx2.2" / "hello-src.spdx.json"
    theirs = {(p["name"], p["versionInfo"]) for p in json.loads(doc.read_text())["packages"]}
    # hello: the SBOM describes the gem at 0.0.1 (its version.rb when the SBOM was made);
    # the lock pins the PATH gem at 0.1.0. The SBOM is of the source tree, not the lock.
    # rake: a development dependency from the Gemfile; the source SBOM lists files, not
    # dependencies, so it has no rake package.
    assert ours - theirs == {("hello", "0.1.0"), ("rake", "13.0.6")}
    assert theirs - ours == {("hello", "0.0.1")}
    assert comps(r)[f"{G}hello@0.1.0"].properties == (("sbomkit:source", "path"),)
    # No Gemfile beside the lock in the example: direct from DEPENDENCIES, all required.
    assert {(c.name, c.direct, c.scope) for c in r.components} == {
        ("hello", True, Scope.REQUIRED),
        ("rake", True, Scope.REQUIRED),
    }


# --- nothing but CatalogError leaves catalog() ------------------------------------------

_lines = st.lists(
    st.sampled_from(
        ["GEM", "GIT", "PATH", "DEPENDENCIES", "CHECKSUMS", "PLATFORMS", "BUNDLED WITH", ""]
    )
    | st.builds(
        lambda indent, body: " " * indent + body,
        st.sampled_from([0, 2, 4, 6]),
        st.sampled_from(["a (1.0)", "a (1-x)", "b", "remote: .", "a (1.0) sha256=", "a!", "("])
        | st.text(max_size=12),
    ),
    max_size=30,
)


def _survives(data: bytes, gemfile: bytes | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Gemfile.lock"
        path.write_bytes(data)
        if gemfile is not None:
            (Path(tmp) / "Gemfile").write_bytes(gemfile)
        with contextlib.suppress(CatalogError):
            GemfileLockCataloger().catalog(Source(path, "Gemfile.lock"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data: bytes) -> None:
    _survives(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_lines)
def test_random_lockfile_lines_never_crash(lines: list[str]) -> None:
    _survives("\n".join(lines).encode("utf-8", "surrogatepass"))


_gemfile_lines = st.lists(
    st.sampled_from(
        ["group :development do", "group :test, :development do", "end", "if x", "foo do |y|"]
        + ['gem "a"', 'gem "b", group: :test', "gem 'a', groups: [:development]", "gemspec"]
    )
    | st.text(max_size=12),
    max_size=15,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_gemfile_lines, st.binary(max_size=40))
def test_random_gemfiles_never_crash(lines: list[str], junk: bytes) -> None:
    lock = b"GEM\n  specs:\n    a (1.0)\n      b\n    b (2.0)\n\nDEPENDENCIES\n  a\n  b\n"
    _survives(lock, "\n".join(lines).encode("utf-8", "surrogatepass") + junk)

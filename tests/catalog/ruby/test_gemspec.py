"""ruby-installed-gemspec: specifications/*.gemspec written by RubyGems, read by regex."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import diagnostic_rows as diags

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.ruby.gemspec import InstalledGemspecCataloger
from sbomkit.i18n import Msg
from sbomkit.model import License

DATA = Path(__file__).resolve().parents[2] / "testdata"


def scan(case: str, name: str) -> CatalogResult:
    rel = f"ruby-gemspec/{case}/specifications/{name}"
    return InstalledGemspecCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert InstalledGemspecCataloger.name == "ruby-installed-gemspec"


def test_rake_modern_spec() -> None:
    r = scan("rake", "rake-13.1.0.gemspec")
    assert r.diagnostics == [] and r.dependencies == [] and r.project is None
    [c] = r.components
    assert (c.ref, c.author, c.description, c.homepage, c.licenses, c.properties) == (
        "pkg:gem/rake@13.1.0",
        "Hiroshi SHIBATA, Eric Hodel, Jim Weirich",
        "Rake is a Make-like program implemented in Ruby",  # the summary, not description
        "https://github.com/ruby/rake",
        (License("MIT", True),),
        (),
    )
    assert [str(loc) for loc in c.locations] == [
        "ruby-gemspec/rake/specifications/rake-13.1.0.gemspec:5"
    ]


def test_runtime_dependencies_become_properties() -> None:
    [c] = scan("activesupport", "activesupport-7.1.3.gemspec").components
    assert c.ref == "pkg:gem/activesupport@7.1.3"
    assert [v for k, v in c.properties if k == "sbomkit:requires"] == [
        "i18n",
        "tzinfo",
        "concurrent-ruby",
        "connection_pool",
        "minitest",
        "base64",
        "drb",
        "mutex_m",
        "bigdecimal",
    ]


def test_legacy_spec_branches_escapes_and_single_license() -> None:
    [c] = scan("legacy-license", "json-1.8.6.gemspec").components
    assert c.author == "Florian Frank, Jörg Müller"  # "\u00F6" as String#dump writes it
    assert c.description == 'JSON Implementation for Ruby "fast"'
    assert c.licenses == (License("Ruby", True),)  # s.license = "Ruby"
    # rake is a development dependency in the modern branch; its add_dependency in the
    # branch for RubyGems < 1.2 does not make it a runtime one.
    assert c.properties == (("sbomkit:requires", "sdoc"),)


def test_platform_gem() -> None:
    [c] = scan("nokogiri-platform", "nokogiri-1.16.2-x86_64-linux.gemspec").components
    assert c.ref == "pkg:gem/nokogiri@1.16.2?platform=x86_64-linux"
    assert (
        c.description
        == "Nokogiri (鋸) makes it easy and painless to work with XML and HTML from Ruby."
    )
    assert c.properties == (("sbomkit:requires", "racc"),)


@pytest.mark.parametrize(
    ("case", "name", "row"),
    [
        pytest.param(
            "missing-version",
            "broken-0.gemspec",
            (
                Msg.MISSING_VERSION,
                "ruby-gemspec/missing-version/specifications/broken-0.gemspec:2",
                "broken; skipped",
            ),
            id="no-version",
        ),
        pytest.param(
            "no-name",
            "anon.gemspec",
            (Msg.MISSING_NAME, "ruby-gemspec/no-name/specifications/anon.gemspec", "no s.name"),
            id="no-name",
        ),
    ],
)
def test_incomplete_specs(case: str, name: str, row: tuple[Msg, str, str]) -> None:
    r = scan(case, name)
    assert (r.components, diags(r)) == ([], [row])


@pytest.mark.parametrize(
    ("case", "name", "detail"),
    [
        pytest.param("empty", "empty.gemspec", "empty file", id="empty"),
        pytest.param(
            "not-gemspec", "Gemfile.gemspec", "no Gem::Specification.new block", id="gemfile"
        ),
    ],
)
def test_unusable_files(case: str, name: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case, name)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"ruby-gemspec/{case}/specifications/{name}",
        detail,
    )


# --- nothing but CatalogError leaves catalog() ------------------------------------------

_value = st.text(max_size=10) | st.sampled_from(["\\u{D800}", "\\u{110000}", "\\x", "\\", 'a\\"'])
_line = (
    st.builds(
        lambda attr, v: f'  s.{attr} = "{v}".freeze',
        st.sampled_from(["name", "version", "platform", "license", "summary", "homepage"]),
        _value,
    )
    | st.builds(
        lambda kind, v: f"  s.add_{kind}dependency(%q<{v}>.freeze, [])",
        st.sampled_from(["", "runtime_", "development_"]),
        _value,
    )
    | st.builds(lambda v: f'  s.authors = ["{v}".freeze]', _value)
    | st.text(max_size=20)
)


def _survives(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.gemspec"
        path.write_bytes(data)
        with contextlib.suppress(CatalogError):
            InstalledGemspecCataloger().catalog(Source(path, "x.gemspec"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data: bytes) -> None:
    _survives(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line, max_size=12))
def test_random_specs_never_crash(lines: list[str]) -> None:
    text = "Gem::Specification.new do |s|\n" + "\n".join(lines) + "\nend\n"
    _survives(text.encode("utf-8", "surrogatepass"))

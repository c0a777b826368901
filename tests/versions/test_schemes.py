"""Each scheme orders versions as its ecosystem does; invalid text gives one exact error."""

from __future__ import annotations

import pytest

from sbomkit.versions import SCHEMES, VersionError, base_ecosystem, range_scheme, scheme_for
from sbomkit.versions.registry import version_key
from sbomkit.versions.semver import BitnamiVersion, GoVersion, SemVer

# Each chain is strictly increasing in that ecosystem.
ASCENDING = {
    "PyPI": ["1.0.dev1", "1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0.post1", "1.1", "1!0.5"],
    "npm": [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "v1.0.1",
        "2.0.0",
    ],
    "crates.io": ["0.9.9", "1.0.0-rc.1", "1.0.0", "1.10.0"],
    "Go": [
        "v0.0.0-20191109021931-daa7c04131f5",
        "v1.2.3",
        "v1.2.4-0.20191109021931-daa7c04131f5",
        "1.2.4",
        "v2.0.0+incompatible",
        "v2.0.1",
    ],
    "Maven": [
        "1-alpha-1",
        "1.0-alpha2",
        "1.0-beta",
        "1.0-milestone-1",
        "1.0-rc1",
        "1.0-SNAPSHOT",
        "1.0",
        "1.0-sp1",
        "1.0-foo",
        "1.0.1",
        "1.1",
    ],
    "RubyGems": ["1.0.a", "1.0.a10", "1.0.b1", "1.0-rc1", "1.0", "1.0.1", "1.10"],
    "Packagist": [
        "1.0.0-dev",
        "1.0.0-alpha1",
        "1.0.0-beta2",
        "1.0.0-RC1",
        "v1.0.0",
        "1.0.0-p1",
        "1.0.1",
        "1.0.x-dev",
        "2023.01.02",
    ],
    "NuGet": ["1.0.0-Alpha", "1.0.0-beta.2", "1.0.0-beta.10", "1.0.0", "1.0.0.1", "1.0.1"],
    "Hex": ["1.0.0-rc.0", "1.0.0", "1.0.1"],
    "Pub": ["1.0.0-dev", "1.0.0", "1.0.0+1", "1.0.0+2", "1.0.1"],
    "Hackage": ["0", "1.0", "1.0.0", "1.0.1", "1.2"],
    "CRAN": ["0.1-6", "0.1.7", "0.2", "1.0", "1.0-1"],
    "Debian": ["1.0~rc1-1", "1.0-1", "1.0-1+deb12u1", "1.0a-1", "1.0.1-1", "1:0.9-1"],
    "AlmaLinux": ["1.0~rc1-1.el9", "1.0-1.el9", "1.0^git1-1.el9", "1.0.1-1.el9", "1:0.9-1.el9"],
    "Alpine": [
        "1.0_alpha1-r0",
        "1.0_rc1-r0",
        "1.0-r0",
        "1.0-r1",
        "1.0_p1-r0",
        "1.0a-r0",
        "1.0.1-r0",
    ],
    # apk-tools' own quirks: no revision sorts before -r0; a leading-zero part followed by a
    # suffix outranks the same part at the end of the string.
    "Alpine:v3.18": ["1.0", "1.0-r0"],
    "Alpine:v3.19": ["1.0", "1.0_rc1"],
    "Bitnami": ["1.2", "1.2.1", "2023.03.20", "2023.3.21"],
}

EQUAL = [
    ("PyPI", "1.0", "1.0.0"),
    ("npm", "v1.2.3", "1.2.3"),
    ("npm", "1.2.3+build.5", "1.2.3"),
    ("Go", "v2.3.0+incompatible", "2.3.0"),
    ("Maven", "1.0", "1.0.0-ga"),
    ("Maven", "1.0-cr1", "1.0-rc1"),
    ("RubyGems", "1.0.0", "1"),
    ("Packagist", "v1.2", "1.2.0.0"),
    ("NuGet", "1.0.0-BETA", "1.0.0-beta"),
    ("NuGet", "1.0", "1.0.0.0"),
    ("CRAN", "0.1-6", "0.1.6"),
    ("Debian", "1.0", "0:1.0-0"),
    ("Debian:12", "1a", "1a0"),
    ("AlmaLinux:9", "1.0_1-2", "1.0.1-2"),
]

INVALID = [
    ("PyPI", "0.3m1", "'0.3m1' is not a valid PyPI version (not a PEP 440 version)"),
    (
        "npm",
        "1.2",
        "'1.2' is not a valid npm version "
        "(expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] (SemVer 2.0.0))",
    ),
    (
        "crates.io",
        "01.2.3",
        "'01.2.3' is not a valid crates.io version "
        "(expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] (SemVer 2.0.0))",
    ),
    ("Maven", " ", "' ' is not a valid Maven version (empty version)"),
    (
        "RubyGems",
        "1..2",
        "'1..2' is not a valid RubyGems version (malformed version number string)",
    ),
    (
        "Packagist",
        "dev-main",
        "'dev-main' is not a valid Packagist version (a branch name has no version order)",
    ),
    (
        "Packagist",
        "not a version",
        "'not a version' is not a valid Packagist version (invalid version string)",
    ),
    (
        "NuGet",
        "1.0.0.0.0",
        "'1.0.0.0.0' is not a valid NuGet version "
        "(expected 1 to 4 numbers separated by dots, then -LABEL, +METADATA)",
    ),
    (
        "Hackage",
        "1.0-r1",
        "'1.0-r1' is not a valid Hackage version (expected numbers separated by dots)",
    ),
    (
        "CRAN",
        "1.0a",
        "'1.0a' is not a valid CRAN version (expected numbers separated by '.' or '-')",
    ),
    (
        "Debian",
        "a1.0-1",
        "'a1.0-1' is not a valid Debian/Ubuntu (dpkg) version "
        "(upstream version must start with a digit and use [A-Za-z0-9.+~:-])",
    ),
    (
        "Debian",
        "x:1.0",
        "'x:1.0' is not a valid Debian/Ubuntu (dpkg) version (epoch is not a number)",
    ),
    (
        "Ubuntu:22.04:LTS",
        "1.0-",
        "'1.0-' is not a valid Debian/Ubuntu (dpkg) version "
        "(revision must be non-empty and use [A-Za-z0-9.+~])",
    ),
    ("Red Hat", "1.0 -1", "'1.0 -1' is not a valid RPM version (empty or contains whitespace)"),
    ("Rocky Linux", "e:1.0-1", "'e:1.0-1' is not a valid RPM version (epoch is not a number)"),
    (
        "Alpine",
        "1.0_foo",
        "'1.0_foo' is not a valid Alpine (apk) version (unknown suffix at offset 4)",
    ),
    ("Alpine", "1.0-1", "'1.0-1' is not a valid Alpine (apk) version (unexpected '-' at offset 3)"),
    (
        "Bitnami",
        "nightly.2026",
        "'nightly.2026' is not a valid Bitnami version "
        "(expected numbers separated by dots, then -PRERELEASE, +BUILD)",
    ),
]


def _pairs() -> list[object]:
    return [
        pytest.param(eco, a, b, id=f"{eco}:{a}<{b}")
        for eco, chain in ASCENDING.items()
        for a, b in zip(chain, chain[1:], strict=False)
    ]


@pytest.mark.parametrize(("ecosystem", "lower", "higher"), _pairs())
def test_ascending(ecosystem: str, lower: str, higher: str) -> None:
    lo, hi = version_key(ecosystem, lower), version_key(ecosystem, higher)
    assert lo < hi
    assert hi > lo
    assert not lo >= hi


@pytest.mark.parametrize(("ecosystem", "a", "b"), EQUAL, ids=[f"{e}:{a}={b}" for e, a, b in EQUAL])
def test_equal(ecosystem: str, a: str, b: str) -> None:
    ka, kb = version_key(ecosystem, a), version_key(ecosystem, b)
    assert ka == kb
    assert ka <= kb
    assert ka >= kb


@pytest.mark.parametrize(
    ("ecosystem", "text", "message"), INVALID, ids=[f"{e}:{t}" for e, t, _ in INVALID]
)
def test_invalid_version_message(ecosystem: str, text: str, message: str) -> None:
    with pytest.raises(VersionError) as info:
        version_key(ecosystem, text)
    assert str(info.value) == message
    assert info.value.text == text


def test_error_in_japanese() -> None:
    with pytest.raises(VersionError) as info:
        version_key("PyPI", "0.3m1")
    assert info.value.render("ja") == (
        "'0.3m1' は PyPI のバージョンとして解釈できません (not a PEP 440 version)"
    )


@pytest.mark.parametrize(
    ("ecosystem", "base"),
    [
        ("Debian:12", "Debian"),
        ("Ubuntu:22.04:LTS", "Ubuntu"),
        ("Alpine:v3.18", "Alpine"),
        ("AlmaLinux:9", "AlmaLinux"),
        ("Packagist:https://packages.drupal.org/8", "Packagist"),
        ("Red Hat:rhel_aus:8.4::appstream", "Red Hat"),
        ("PyPI", "PyPI"),
    ],
)
def test_release_suffix_maps_to_base(ecosystem: str, base: str) -> None:
    assert base_ecosystem(ecosystem) == base
    assert scheme_for(ecosystem) is SCHEMES[base]


def test_unknown_ecosystem_has_no_scheme() -> None:
    assert scheme_for("OSS-Fuzz") is None
    assert scheme_for("GIT") is None


@pytest.mark.parametrize(
    ("range_type", "ecosystem", "expected"),
    [
        ("SEMVER", "Go", GoVersion),
        ("SEMVER", "Bitnami", BitnamiVersion),
        ("SEMVER", "PyPI", SemVer),
        ("SEMVER", "OSS-Fuzz", SemVer),
        ("ECOSYSTEM", "OSS-Fuzz", None),
        ("GIT", "PyPI", None),
    ],
)
def test_range_scheme(range_type: str, ecosystem: str, expected: object) -> None:
    assert range_scheme(range_type, ecosystem) is expected


def test_parse_is_cached() -> None:
    assert version_key("Maven", "1.2.3-rc1") is version_key("Maven", "1.2.3-rc1")


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("2.31.0", "2.31"),
        ("2.31", "2.31"),
        ("0", "0"),
        ("0.0.0", "0"),
        ("1.10", "1.10"),
        ("v1.02.0", "1.2"),
        (" V1.0 ", "1"),
        ("0!1.2", "1.2"),
        ("00!1.2", "1.2"),
        ("1!1.2", None),  # another epoch
        ("1.2rc1", None),
        ("1.2.post0", None),
        ("1.2-1", None),  # a post-release
        ("1.2.dev0", None),
        ("1.2+local", None),
        ("!1.2", None),  # not PEP 440
        ("1..2", None),
        ("\u0661.2", None),  # digits are ASCII in PEP 440
    ],
)
def test_pep440_canonical_text(text: str, canonical: str | None) -> None:
    """Final releases have a canonical text; it names them exactly, and nothing else."""
    from packaging.version import Version

    from sbomkit.versions.pep440 import Pep440Version

    assert Pep440Version.canonical(text) == canonical
    if canonical is not None:
        assert Version(canonical) == Version(text)


def test_schemes_without_canonical_text() -> None:
    assert {s.label for s in SCHEMES.values() if s.canonical("1.0") is not None} == {"PyPI"}

"""Which version scheme orders which OSV ecosystem: one table, keyed by ecosystem name."""

from __future__ import annotations

from functools import lru_cache

from sbomkit.versions.apk import ApkVersion
from sbomkit.versions.composer import ComposerVersion
from sbomkit.versions.dpkg import DpkgVersion
from sbomkit.versions.gem import GemVersion
from sbomkit.versions.interface import VersionKey, VersionScheme
from sbomkit.versions.maven import MavenVersion
from sbomkit.versions.numeric import CranVersion, GhcVersion, PvpVersion
from sbomkit.versions.pep440 import Pep440Version
from sbomkit.versions.rpm import RpmVersion
from sbomkit.versions.semver import (
    BitnamiVersion,
    CratesVersion,
    GoVersion,
    HexVersion,
    JuliaVersion,
    NpmVersion,
    NuGetVersion,
    PubVersion,
    SemVer,
)

#: OSV ecosystem (the part before any ``:`` suffix) -> its version scheme.
SCHEMES: dict[str, type[VersionScheme]] = {
    "AlmaLinux": RpmVersion,
    "Alpine": ApkVersion,
    "Bitnami": BitnamiVersion,
    "CRAN": CranVersion,
    "crates.io": CratesVersion,
    "Debian": DpkgVersion,
    "GHC": GhcVersion,
    "Go": GoVersion,
    "Hackage": PvpVersion,
    "Hex": HexVersion,
    "Julia": JuliaVersion,
    "Maven": MavenVersion,
    "npm": NpmVersion,
    "NuGet": NuGetVersion,
    "openSUSE": RpmVersion,
    "Packagist": ComposerVersion,
    "Pub": PubVersion,
    "PyPI": Pep440Version,
    "Red Hat": RpmVersion,
    "Rocky Linux": RpmVersion,
    "RubyGems": GemVersion,
    "SUSE": RpmVersion,
    "Ubuntu": DpkgVersion,
}

#: The scheme of OSV's ``SEMVER`` range type.
SEMVER: type[VersionScheme] = SemVer


def base_ecosystem(ecosystem: str) -> str:
    """``Debian:12`` -> ``Debian``; ``Ubuntu:22.04:LTS`` -> ``Ubuntu``."""
    return ecosystem.partition(":")[0]


def scheme_for(ecosystem: str) -> type[VersionScheme] | None:
    """The scheme of an OSV ecosystem (release suffix allowed), or None when none is known."""
    return SCHEMES.get(base_ecosystem(ecosystem))


@lru_cache(maxsize=4096)
def range_scheme(range_type: str, ecosystem: str) -> type[VersionScheme] | None:
    """The scheme for one OSV range: ``SEMVER`` ranges use the ecosystem's scheme only
    when that scheme is itself SemVer (Go's ``v`` prefix, Bitnami's leniency)."""
    scheme = scheme_for(ecosystem)
    if range_type == "SEMVER":
        return scheme if scheme is not None and scheme.semver else SEMVER
    if range_type == "ECOSYSTEM":
        return scheme
    return None


def version_key(ecosystem: str, text: str) -> VersionKey:
    """The sort key of ``text`` in ``ecosystem``; raises VersionError when invalid.

    Raises KeyError for an ecosystem without a known scheme; check with scheme_for first.
    """
    return SCHEMES[base_ecosystem(ecosystem)].key(text)

"""Version semantics per ecosystem and the OSV ``affected`` evaluation built on them."""

from sbomkit.versions.interface import VersionError, VersionKey, VersionScheme
from sbomkit.versions.registry import SCHEMES, SEMVER, base_ecosystem, range_scheme, scheme_for

__all__ = [
    "SCHEMES",
    "SEMVER",
    "VersionError",
    "VersionKey",
    "VersionScheme",
    "base_ecosystem",
    "range_scheme",
    "scheme_for",
]

"""OSV ecosystem names and how each one spells a package name for lookup.

The known names are those of the OSV schema's ecosystems.json. A record naming another
ecosystem is kept (OSV adds ecosystems often) but flagged, since no version rules apply.
"""

from __future__ import annotations

from functools import lru_cache

from sbomkit.identity import pypi_name

KNOWN = frozenset(
    (
        "AlmaLinux", "Alpaquita", "Alpine", "Android", "Azure Linux",
        "BellSoft Hardened Containers", "Bioconductor", "Bitnami", "Chainguard", "CleanStart",
        "ConanCenter", "CRAN", "crates.io", "Debian", "Docker Hardened Images", "Echo",
        "FreeBSD", "GHC", "GitHub Actions", "Go", "Hackage", "Hex", "Julia", "Kubernetes",
        "Linux", "Mageia", "Maven", "MinimOS", "npm", "NuGet", "opam", "openEuler", "openSUSE",
        "OSS-Fuzz", "Packagist", "Photon OS", "Pub", "PyPI", "Red Hat", "Rocky Linux", "Root",
        "RubyGems", "SUSE", "SwiftURL", "TuxCare", "Ubuntu", "VSCode", "Wolfi",
    )
)  # fmt: skip
_BY_LOWER = {e.lower(): e for e in KNOWN}

# Registries that treat names case-insensitively; the rest compare names as given
# (Go module paths, Maven coordinates, crates and distro packages are case-sensitive).
_LOWER_CASE = frozenset(("npm", "NuGet", "Packagist", "Pub", "Hex"))


def split(ecosystem: str) -> tuple[str, str]:
    """``Debian:12`` -> (``Debian``, ``Debian:12``): base in OSV's spelling, full name."""
    base, sep, suffix = ecosystem.partition(":")
    known = _BY_LOWER.get(base.strip().lower(), base.strip())
    return known, f"{known}{sep}{suffix}"


def is_known(base: str) -> bool:
    return base in KNOWN


@lru_cache(maxsize=65536)
def canonical_name(base: str, name: str) -> str:
    """The spelling a lookup compares: PEP 503 for PyPI, lower case where the registry is."""
    if base == "PyPI":
        return pypi_name(name)
    if base in _LOWER_CASE:
        return name.lower()
    return name

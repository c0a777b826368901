"""Which OSV ecosystem and package name a component is looked up under.

One table per kind of purl: language registries map by type; distro packages (deb, rpm,
apk) add the release from the ``distro`` qualifier, so a Debian 12 package is matched
against ``Debian:12`` advisories only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from sbomkit.model import Component

# Our ecosystem key (== purl type for these) -> OSV ecosystem.
REGISTRIES = {
    "pypi": "PyPI",
    "npm": "npm",
    "golang": "Go",
    "cargo": "crates.io",
    "maven": "Maven",
    "gem": "RubyGems",
    "composer": "Packagist",
    "nuget": "NuGet",
    "hex": "Hex",
    "pub": "Pub",
    "hackage": "Hackage",
    "cran": "CRAN",
    "swift": "SwiftURL",
    "bitnami": "Bitnami",
}
# (purl type, namespace) -> OSV ecosystem of a distro's packages.
DISTROS = {
    ("deb", "debian"): "Debian",
    ("deb", "ubuntu"): "Ubuntu",
    ("rpm", "almalinux"): "AlmaLinux",
    ("rpm", "rocky"): "Rocky Linux",
    ("rpm", "rocky-linux"): "Rocky Linux",
    ("rpm", "redhat"): "Red Hat",
    ("rpm", "rhel"): "Red Hat",
    ("apk", "alpine"): "Alpine",
}
CODENAMES = {
    "jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11", "bookworm": "12",
    "trixie": "13", "xenial": "16.04", "bionic": "18.04", "focal": "20.04",
    "jammy": "22.04", "noble": "24.04",
}  # fmt: skip
_WHOLE_SUFFIX = frozenset(("Debian", "AlmaLinux", "Rocky Linux", "Alpine"))
_RELEASE = re.compile(r"(\d+(?:\.\d+)?)")
_UPSTREAM_END = re.compile(r"[@ (]")


class Lookup(NamedTuple):
    """Where to look a component up: base ecosystem, release (or None: any), name.

    A named tuple: one per component of a scan, and quicker to make than a dataclass.
    """

    base: str
    release: str | None
    name: str

    @property
    def ecosystem(self) -> str:
        return f"{self.base}:{self.release}" if self.release else self.base

    @property
    def query(self) -> str:
        """What to ask the store for: the release-qualified name where OSV spells the
        release as the whole suffix (``AlmaLinux:9``), so other releases are not even read;
        the base where suffixes carry more (``Ubuntu:22.04:LTS``) and the matcher filters."""
        return self.ecosystem if self.base in _WHOLE_SUFFIX else self.base


def lookup_for(c: Component) -> Lookup | None:
    """The lookup key of a component, or None when it has no ecosystem identity."""
    purl = c.purl
    if purl is None:
        base = REGISTRIES.get(c.ecosystem)
        return Lookup(base, None, c.name) if base else None
    if purl.type in REGISTRIES:
        return Lookup(REGISTRIES[purl.type], None, c.name)
    base = DISTROS.get((purl.type, (purl.namespace or "").lower()))
    if base is None:
        return None
    qualifiers = purl.qualifiers if isinstance(purl.qualifiers, dict) else {}
    # Distro advisories name source packages; syft and trivy put it in "upstream".
    upstream = _UPSTREAM_END.split(qualifiers.get("upstream", ""), maxsplit=1)[0]
    return Lookup(base, _release(base, qualifiers.get("distro", "")), upstream or purl.name)


@lru_cache(maxsize=1024)  # one distro qualifier is shared by all packages of an image
def _release(base: str, distro: str) -> str | None:
    """``debian-12`` / ``bookworm`` -> ``12``; ``alpine-3.18.4`` -> ``v3.18``; el9 -> 9."""
    text = distro.lower()
    for name, number in CODENAMES.items():
        if name in text:
            return number
    found = _RELEASE.search(text)
    if found is None:
        return None
    number = found.group(1)
    if base == "Alpine":
        return "v" + ".".join(number.split(".")[:2])
    if base in ("AlmaLinux", "Rocky Linux", "Red Hat", "Debian"):
        return number.split(".")[0]
    return number


@lru_cache(maxsize=4096)  # asked once per entry and component, of a handful of spellings
def release_applies(entry_ecosystem: str, release: str | None) -> bool:
    """Does an entry for ``Debian:12`` / ``Ubuntu:22.04:LTS`` / ``Debian`` apply?"""
    if release is None:
        return True
    parts = entry_ecosystem.split(":")
    return len(parts) == 1 or release in parts[1:]

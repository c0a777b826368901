"""PyPI: PEP 440 through ``packaging``, the reference implementation pip uses."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from sbomkit.versions.interface import VersionKey, VersionScheme


class Pep440Version(VersionScheme):
    """PEP 440. Legacy (pre-PEP 440) strings such as ``0.3m1`` are rejected, as pip does."""

    label = "PyPI"

    @staticmethod
    def parse(text: str) -> VersionKey:
        try:
            return Version(text)
        except InvalidVersion:
            raise ValueError("not a PEP 440 version") from None

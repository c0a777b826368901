"""Purely numeric schemes: Hackage/GHC (PVP) and CRAN."""

from __future__ import annotations

import re

from sbomkit.versions.interface import VersionKey, VersionScheme

_PVP = re.compile(r"\d+(?:\.\d+)*", re.ASCII)
_CRAN = re.compile(r"\d+(?:[.-]\d+)*", re.ASCII)
_CRAN_SEP = re.compile(r"[.-]")


class PvpVersion(VersionScheme):
    """Haskell's ``Data.Version``: lists of numbers compared lexicographically (1.0 < 1.0.0)."""

    label = "Hackage"

    @staticmethod
    def parse(text: str) -> VersionKey:
        if _PVP.fullmatch(text) is None:
            raise ValueError("expected numbers separated by dots")
        return tuple(int(p) for p in text.split("."))


class GhcVersion(PvpVersion):
    label = "GHC"


class CranVersion(VersionScheme):
    """R's ``package_version``: numbers separated by ``.`` or ``-`` (0.1-6 = 0.1.6)."""

    label = "CRAN"

    @staticmethod
    def parse(text: str) -> VersionKey:
        if _CRAN.fullmatch(text) is None:
            raise ValueError("expected numbers separated by '.' or '-'")
        return tuple(int(p) for p in _CRAN_SEP.split(text))

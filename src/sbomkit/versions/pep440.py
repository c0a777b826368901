"""PyPI: PEP 440 through ``packaging``, the reference implementation pip uses."""

from __future__ import annotations

import re
from functools import lru_cache

from packaging.version import InvalidVersion, Version

from sbomkit.versions.interface import VersionKey, VersionScheme

# A final release of epoch 0 as packaging's VERSION_PATTERN spells one: surrounding
# white space, a "v", an explicit zero epoch and leading zeros are all allowed.
_FINAL = re.compile(r"\s*[vV]?(?:0+!)?([0-9]+(?:\.[0-9]+)*)\s*")


class Pep440Version(VersionScheme):
    """PEP 440. Legacy (pre-PEP 440) strings such as ``0.3m1`` are rejected, as pip does."""

    label = "PyPI"

    @staticmethod
    @lru_cache(maxsize=1 << 16)
    def canonical(text: str) -> str | None:
        """Final releases (``v1.02.0``, ``0!1.2``): their release numbers, trailing zeros
        dropped (``1.2``). Anything else (pre-, post-, dev-releases, local versions, a
        non-zero epoch, invalid text) has none: it equals no final release of epoch 0."""
        found = _FINAL.fullmatch(text)
        if found is None:
            return None
        numbers = [str(int(n)) for n in found.group(1).split(".")]
        while len(numbers) > 1 and numbers[-1] == "0":
            numbers.pop()
        return ".".join(numbers)

    @staticmethod
    def parse(text: str) -> VersionKey:
        try:
            version = Version(text)
        except InvalidVersion:
            raise ValueError("not a PEP 440 version") from None
        # Version compares and hashes through ``_key``, in Python methods; the key itself
        # (plain tuples since packaging 26) does both in C, and the matcher does both a lot.
        key: VersionKey = getattr(version, "_key", version)
        return key

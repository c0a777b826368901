"""The built-in classification of the SPDX list into policy categories.

ScanCode's LicenseDB category for each SPDX id comes with license-expression (its vendored
index), so every id on the list has one; network copyleft, which ScanCode files under
"Copyleft", is the short list below.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache


class Category(StrEnum):
    PUBLIC_DOMAIN = "public-domain"
    PERMISSIVE = "permissive"
    WEAK_COPYLEFT = "weak-copyleft"
    STRONG_COPYLEFT = "strong-copyleft"
    NETWORK_COPYLEFT = "network-copyleft"
    PROPRIETARY = "proprietary"
    UNKNOWN = "unknown"


# Least to most obligations; an exception can only lower a license's rank.
RANK = {c: i for i, c in enumerate(Category)}
COPYLEFT = (Category.STRONG_COPYLEFT, Category.NETWORK_COPYLEFT)

_SCANCODE = {
    "Public Domain": Category.PUBLIC_DOMAIN,
    "Permissive": Category.PERMISSIVE,
    "Copyleft Limited": Category.WEAK_COPYLEFT,
    "Copyleft": Category.STRONG_COPYLEFT,
    "Proprietary Free": Category.PROPRIETARY,
    "Commercial": Category.PROPRIETARY,
    "Source-available": Category.PROPRIETARY,
    "Free Restricted": Category.PROPRIETARY,
}
NETWORK = frozenset(
    {
        "AGPL-1.0-only",
        "AGPL-1.0-or-later",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
        "SSPL-1.0",
        "RPL-1.1",
        "RPL-1.5",
        "OSL-3.0",
        "CPAL-1.0",
    }
)
SBOMKIT = {
    "LicenseRef-sbomkit-public-domain": Category.PUBLIC_DOMAIN,
    "LicenseRef-sbomkit-proprietary": Category.PROPRIETARY,
    "LicenseRef-sbomkit-unknown": Category.UNKNOWN,
}


@cache
def _table() -> dict[str, Category]:
    from license_expression import get_license_index

    table: dict[str, Category] = {}
    for entry in get_license_index():
        category = _SCANCODE.get(entry.get("category") or "", Category.UNKNOWN)
        for key in (entry.get("spdx_license_key"), *(entry.get("other_spdx_license_keys") or ())):
            if key and key.lower() not in table:
                table[key.lower()] = category
    for key in NETWORK:
        table[key.lower()] = Category.NETWORK_COPYLEFT
    for key, category in SBOMKIT.items():
        table[key.lower()] = category
    return table


def category(spdx_id: str) -> Category:
    """The category of one license or exception id; UNKNOWN for ids nobody classified."""
    return _table().get(spdx_id.lower(), Category.UNKNOWN)

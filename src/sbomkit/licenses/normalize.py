"""Declared license text -> SPDX expression, when it unambiguously is one.

Only certain mappings are made: valid SPDX expressions (deprecated ids and ``+`` forms are
rewritten to current ids), ``LicenseRef-`` symbols, and a short table of common spellings.
Anything else stays free text, never guessed (``BSD`` alone names no single license).
"""

from __future__ import annotations

from functools import cache

from sbomkit.model import License

# Exact, unambiguous spellings seen in package metadata (matched case-insensitively).
COMMON_NAMES: dict[str, str] = {
    "mit license": "MIT",
    "the mit license": "MIT",
    "mit licence": "MIT",
    "apache 2.0": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license 2.0": "Apache-2.0",
    "isc license": "ISC",
    "bsd-3": "BSD-3-Clause",
    "bsd 3-clause": "BSD-3-Clause",
    "bsd-3-clause license": "BSD-3-Clause",
    "bsd 2-clause": "BSD-2-Clause",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "python software foundation license": "PSF-2.0",
    "the unlicense": "Unlicense",
    "public domain": "LicenseRef-sbomkit-public-domain",
}


@cache
def _licensing():  # type: ignore[no-untyped-def]
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@cache
def spdx_expression(text: str) -> str | None:
    """The canonical SPDX expression ``text`` denotes, or None."""
    text = text.strip()
    if not text or len(text) > 500 or "\n" in text:
        return None
    common = COMMON_NAMES.get(text.lower())
    if common:
        return common
    licensing = _licensing()
    try:
        parsed = licensing.parse(text, validate=False, simple=False)
    except Exception:  # license-expression raises several unrelated types on bad syntax
        return None
    if parsed is None:
        return None
    unknown = [
        s.key
        for s in licensing.unknown_license_symbols(parsed, unique=True)
        if not s.key.startswith("LicenseRef-")
    ]
    if unknown:
        return None
    return str(licensing.validate(parsed).normalized_expression or parsed.render())


def normalize(lic: License) -> License:
    if lic.is_expression:
        return lic
    expr = spdx_expression(lic.value)
    return License(expr, True) if expr else lic

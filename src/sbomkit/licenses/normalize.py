"""Declared license text -> SPDX expression, when it unambiguously is one.

Mapped: valid SPDX expressions (deprecated ids and ``+`` forms rewritten to current ids by
license-expression), ``LicenseRef-`` symbols, trove classifiers, common free-text names
("Apache License, Version 2.0", "GPLv2+", "new BSD"), license URLs, and lists of these
("MIT/Apache-2.0", "MIT or GPLv3"). Anything else is never guessed: ``BSD`` alone names no
single license. :func:`normalize` keeps such text as it is; :func:`normalize_component`
turns it into ``LicenseRef-sbomkit-unknown`` and keeps the text as a property.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from sbomkit.licenses import names
from sbomkit.model import Component, License

UNKNOWN = "LicenseRef-sbomkit-unknown"
PUBLIC_DOMAIN = names.PUBLIC_DOMAIN
PROPRIETARY = names.PROPRIETARY
TEXT_PROPERTY = "sbomkit:license-text"
MAX_TEXT = 500  # longer "license" values are license texts, not names

_PREFIX = re.compile(r"^(?:spdx-license-identifier|license|licence)\s*:(?!:)\s*", re.IGNORECASE)
_OR_SPLIT = re.compile(r"\s+or\s+|\s*/\s*|\s*\|\|?\s*", re.IGNORECASE)
# " and " before commas: "Apache License, Version 2.0 and ..." has a comma in one name;
# "Common Development and Distribution License" has "and" in its name.
_AND_WORD = re.compile(r"\s+and\s+(?!distribution\b)", re.IGNORECASE)
_AND_MARK = re.compile(r"\s*[,;&+]\s+|\s*;\s*")
# "<license>[,] with [the] <exception>"
_WITH = re.compile(r"^(?P<lic>.+?),?\s+(?:with|w/)\s+(?:the\s+)?(?P<exc>[^,]+)$", re.IGNORECASE)
# "(EDL)", "(GPL2)", "(http://mootools.net/license.txt)": an abbreviation or a link that
# repeats the name before it.
_ASIDE = re.compile(r"\s*\((?:[A-Z][A-Za-z0-9.+-]*|https?://[^\s)]+)\)")


@cache
def _licensing():  # type: ignore[no-untyped-def]
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@cache
def spdx_expression(text: str) -> str | None:
    """The canonical SPDX expression ``text`` denotes, or None."""
    text = _PREFIX.sub("", text.strip()).strip(" \t\"'")
    if not text or len(text) > MAX_TEXT or "\n" in text or text.count("(") != text.count(")"):
        return None
    return _single(text) or _with_exception(text) or _compound(text)


def _single(text: str) -> str | None:
    """One name, classifier, URL or a valid expression."""
    mapped = names.lookup(text) or _valid_expression(text)
    if mapped is None and not text.startswith("License ::"):
        plain = _ASIDE.sub("", text).strip()
        if plain and plain != text:
            mapped = names.lookup(plain)
    return mapped


def _with_exception(text: str) -> str | None:
    """ "GNU General Public License, version 2 with the Classpath Exception"."""
    found = _WITH.match(text)
    if found is None:
        return None
    exception = names.exception(found["exc"])
    lic = spdx_expression(found["lic"])
    if exception is None or lic is None or " " in lic:
        return None
    return _valid_expression(f"{lic} WITH {exception}")


def _valid_expression(text: str) -> str | None:
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
    rendered = str(licensing.validate(parsed).normalized_expression or parsed.render())
    return names.DEPRECATED.get(rendered, rendered)


def _compound(text: str) -> str | None:
    """A list of names: every part must map, or the whole is unknown."""
    for splitter, op in ((_OR_SPLIT, " OR "), (_AND_WORD, " AND "), (_AND_MARK, " AND ")):
        parts = [p.strip(" ()") for p in splitter.split(text) if p.strip(" ()")]
        if len(parts) < 2:
            continue
        mapped = [spdx_expression(p) for p in parts]
        if all(mapped):
            unique = list(dict.fromkeys(f"({m})" if " " in m else m for m in mapped if m))
            return unique[0].strip("()") if len(unique) == 1 else op.join(unique)
    return None


def normalize(lic: License) -> License:
    """``lic`` as an SPDX expression when it is one; otherwise unchanged."""
    if lic.is_expression:
        return lic
    expr = spdx_expression(lic.value)
    return License(expr, True, lic.concluded) if expr else lic


def normalize_component(c: Component) -> Component:
    """Every license an SPDX expression; unmappable text becomes ``LicenseRef-sbomkit-unknown``
    with the text kept in a ``sbomkit:license-text`` property."""
    licenses: list[License] = []
    kept: list[tuple[str, str]] = []
    for lic in c.licenses:
        done = normalize(lic)
        if not done.is_expression:
            kept.append((TEXT_PROPERTY, lic.value.strip()[:MAX_TEXT]))
            done = License(UNKNOWN, True, lic.concluded)
        if done not in licenses:
            licenses.append(done)
    if tuple(licenses) == c.licenses and not kept:
        return c
    props = tuple(sorted(set(c.properties) | set(kept)))
    return replace(c, licenses=tuple(licenses), properties=props)

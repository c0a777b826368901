"""Packagist: Composer's ``VersionParser::normalize`` then PHP's ``version_compare``.

Composer compares normalized versions (``v1.2-RC1`` -> ``1.2.0.0-RC1``) with PHP's
``version_compare``; its part order is: unknown words < ``dev`` < ``alpha``/``a`` <
``beta``/``b`` < ``RC``/``rc`` < numbers < ``pl``/``p``/``patch``. Branch names
(``dev-main``) have no order at all in Composer and are rejected here.
"""

from __future__ import annotations

import re

from sbomkit.versions.interface import VersionKey, VersionScheme

_MODIFIER = r"[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?"
_CLASSIC = re.compile(r"v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)?" + _MODIFIER, re.I | re.ASCII)
_DATE = re.compile(r"v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2})" + _MODIFIER, re.I)
_BRANCH = re.compile(r"(.*?)[.-]?dev", re.I)
_NUMERIC_BRANCH = re.compile(r"v?(\d++)(\.(?:\d++|[xX*]))?(\.(?:\d++|[xX*]))?(\.(?:\d++|[xX*]))?")
_ALIAS = re.compile(r"([^,\s]++) ++as ++[^,\s]++")
_STABILITY = {"a": "alpha", "b": "beta", "p": "patch", "pl": "patch", "rc": "RC"}
_PHP_PARTS = re.compile(r"\d+|[^\d\W_]+", re.ASCII)
# PHP's special forms, matched by prefix in this order; a number ranks as "#".
_FORMS = (("dev", 0), ("alpha", 1), ("a", 1), ("beta", 2), ("b", 2), ("RC", 3), ("rc", 3))
_FORMS_AFTER = (("#", 4), ("pl", 5), ("p", 5))
_NUMBER = 4
_END = (_NUMBER, -1)  # PHP: a longer version wins when it goes on with a number


def _stability(match: re.Match[str], first: int) -> str:
    word, number, dev = match.group(first, first + 1, first + 2)
    out = ""
    if word and word.lower() != "stable":
        out = "-" + _STABILITY.get(word.lower(), word.lower()) + (number or "").lstrip(".-")
    return out + ("-dev" if dev else "")


def normalize(text: str) -> str:
    """Composer 2's ``VersionParser::normalize`` for versions (not constraints)."""
    version = text.strip()
    if m := _ALIAS.fullmatch(version):
        version = m[1]
    version = re.sub(r"@(?:stable|RC|beta|alpha|dev)$", "", version, flags=re.I)
    if version.lower().startswith("dev-") or version.lower() in ("master", "trunk", "default"):
        raise ValueError("a branch name has no version order")
    version = version.split("+", 1)[0]
    if m := _CLASSIC.fullmatch(version):
        parts = [m[1], *((g or ".0")[1:] for g in m.group(2, 3, 4))]
        return ".".join(parts) + _stability(m, 5)
    if m := _DATE.fullmatch(version):
        return re.sub(r"\D", ".", m[1]) + _stability(m, 2)
    if (m := _BRANCH.fullmatch(version)) and (b := _NUMERIC_BRANCH.fullmatch(m[1])):
        parts = [(g or ".x")[1:] if i else g for i, g in enumerate(b.groups())]
        return ".".join("9999999" if p.lower() in ("x", "*") else p for p in parts) + "-dev"
    raise ValueError("invalid version string")


def _form(word: str) -> int:
    for name, order in (*_FORMS, *_FORMS_AFTER):
        if word.startswith(name):
            return order
    return -1


def php_key(normalized: str) -> tuple[tuple[int, int], ...]:
    parts = [
        (_NUMBER, int(p)) if p.isdigit() else (_form(p), 0) for p in _PHP_PARTS.findall(normalized)
    ]
    return (*parts, _END)


class ComposerVersion(VersionScheme):
    """Composer/Packagist: ``v1.2.3``, ``1.2.3-beta2``, ``1.2.x-dev``, ``2023.01.02``."""

    label = "Packagist"

    @staticmethod
    def parse(text: str) -> VersionKey:
        return php_key(normalize(text))

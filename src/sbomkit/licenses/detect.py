"""Which licenses a text holds: a normalized-text matcher over SPDX reference texts.

Both sides are reduced as the SPDX matching guidelines allow (case, punctuation, quotes,
bullets, copyright lines, "licence"/"license") to word 3-grams. A reference matches when
most of its 3-grams occur in the text; the confidence is that share (its coverage). The
largest well-covered reference wins, its 3-grams are taken out, and the rest of the text is
searched again, so "Apache-2.0 text + MIT appendix" yields both and BSD-3-Clause text does
not also yield BSD-2-Clause (contained in it). Measured in benchmarks/license_bench.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sbomkit.licenses.texts import references

MATCH = 0.80  # coverage needed to report a license at all
HIGH = 0.95  # coverage from which a match counts as certain (recorded as concluded)
# A copyright statement ("Copyright (c) 2020 X", "(c) 2020 X"), not a line of license text
# that happens to start with the word ("copyright notice and this permission notice ...",
# ISC's second line when wrapped at 72 columns).
_COPYRIGHT_LINE = re.compile(
    r"^\s*(?:copyright\s*(?:\(c\)|©|\d{4}|by\b|[^a-z\s])|\(c\)|©).*$",
    re.IGNORECASE | re.MULTILINE,
)
_WORD = re.compile(r"[a-z0-9]+")
_EQUIVALENT = {"licence": "license", "licenced": "licensed", "licences": "licenses"}
_SKIP = {"http", "https", "www", "the", "a", "an"}


@dataclass(frozen=True, slots=True)
class Match:
    spdx_id: str
    confidence: float
    is_exception: bool = False


def words(text: str) -> list[str]:
    text = _COPYRIGHT_LINE.sub(" ", text.lower())
    out = []
    for w in _WORD.findall(text):
        w = _EQUIVALENT.get(w, w)
        if len(w) > 1 and w not in _SKIP and not w.isdigit():
            out.append(w)
    return out


def shingles(text: str) -> frozenset[int]:
    w = words(text)
    return frozenset(hash((w[i], w[i + 1], w[i + 2])) for i in range(len(w) - 2))


@dataclass(frozen=True, slots=True)
class _Ref:
    spdx_id: str
    grams: frozenset[int]
    is_exception: bool


@cache
def _index() -> tuple[_Ref, ...]:
    """One entry per distinct text; the first id (sorted) of identical texts stands for all."""
    seen: dict[frozenset[int], _Ref] = {}
    for r in references():
        grams = shingles(r.text)
        if grams and (grams not in seen or _prefer(r.spdx_id, seen[grams].spdx_id)):
            seen[grams] = _Ref(r.spdx_id, grams, r.is_exception)
    return tuple(seen.values())


def _prefer(new: str, old: str) -> bool:
    """Of two ids with one text, the narrower grant: GPL-2.0-only over GPL-2.0-or-later."""
    return new.endswith("-only") and old.endswith("-or-later")


@dataclass(frozen=True, slots=True)
class Detection:
    """What a text holds. ``confidence`` is the weakest match's coverage, capped by the share
    of the text the matches explain: text left over may be a license nobody recognized."""

    matches: tuple[Match, ...]
    confidence: float

    @property
    def expression(self) -> str | None:
        return expression(list(self.matches))


def detect_text(text: str) -> Detection:
    grams = shingles(text)
    matches = detect(text, grams)
    if not matches or not grams:
        return Detection((), 0.0)
    explained = len(grams & frozenset().union(*(_by_id()[m.spdx_id] for m in matches)))
    share = explained / len(grams)
    if len(grams) - explained <= 12:  # a title, a URL, a short preamble: no other license
        share = 1.0
    confidence = min(min(m.confidence for m in matches), round(share, 3))
    return Detection(tuple(matches), confidence)


@cache
def _by_id() -> dict[str, frozenset[int]]:
    return {r.spdx_id: r.grams for r in _index()}


def detect(text: str, grams: frozenset[int] | None = None) -> list[Match]:
    """The licenses (and exceptions) in ``text``, best first; empty when none is sure enough."""
    left = set(shingles(text) if grams is None else grams)
    found: list[Match] = []
    while left:
        best: tuple[float, float, _Ref] | None = None
        for ref in _index():
            common = len(ref.grams & left) if len(ref.grams) <= 4 * len(left) else 0
            coverage = common / len(ref.grams)
            if coverage >= MATCH and (best is None or common * coverage > best[0]):
                best = (common * coverage, coverage, ref)
        if best is None:
            break
        _, coverage, ref = best
        found.append(Match(ref.spdx_id, round(coverage, 3), ref.is_exception))
        left -= ref.grams
    return found


def expression(matches: list[Match]) -> str | None:
    """One SPDX expression: licenses joined by AND, an exception attached with WITH."""
    licenses = sorted({m.spdx_id for m in matches if not m.is_exception})
    exceptions = sorted({m.spdx_id for m in matches if m.is_exception})
    if not licenses:
        return None
    if len(licenses) == 1 and len(exceptions) == 1:
        return f"{licenses[0]} WITH {exceptions[0]}"
    return " AND ".join(licenses)

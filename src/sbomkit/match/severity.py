"""Severity of a finding: computed CVSS base scores, else the ecosystem's own rating.

The highest rating of the alias group wins: two databases rating one flaw differently
should not hide the worse view.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from cvss import CVSS2, CVSS3, CVSS4  # type: ignore[import-untyped]
from cvss.exceptions import CVSSError  # type: ignore[import-untyped]

from sbomkit.db.interface import SeverityVector
from sbomkit.match.findings import Level, Rating

# The words databases use for their own rating (GHSA "MODERATE", Ubuntu "negligible", ...).
_WORDS = {
    "negligible": Level.LOW,
    "low": Level.LOW,
    "minor": Level.LOW,
    "moderate": Level.MEDIUM,
    "medium": Level.MEDIUM,
    "important": Level.HIGH,
    "high": Level.HIGH,
    "critical": Level.CRITICAL,
}
_CALCULATORS = {"CVSS_V2": CVSS2, "CVSS_V3": CVSS3, "CVSS_V4": CVSS4}


def level_for_score(score: float) -> Level:
    """CVSS v3/v4 qualitative scale (also applied to v2 scores, for one scale)."""
    if score >= 9.0:
        return Level.CRITICAL
    if score >= 7.0:
        return Level.HIGH
    if score >= 4.0:
        return Level.MEDIUM
    if score > 0.0:
        return Level.LOW
    return Level.UNKNOWN


@lru_cache(maxsize=8192)
def cvss_score(kind: str, vector: str) -> float | None:
    """The base score of a CVSS vector; None when the vector cannot be read."""
    calculator = _CALCULATORS.get(kind)
    if calculator is None:
        return None
    try:
        score = calculator(vector).base_score
    except (CVSSError, ValueError, KeyError, IndexError):
        return None
    return float(score)


def word_level(word: str | None) -> Level | None:
    return _WORDS.get(word.strip().lower()) if word else None


def rate(sources: Iterable[tuple[str, tuple[SeverityVector, ...], str | None]]) -> Rating:
    """The highest rating over (advisory id, its vectors, its database rating)."""
    best: Rating | None = None
    fallback: Rating | None = None
    for advisory_id, vectors, word in sources:
        for v in vectors:
            score = cvss_score(v.type, v.score)
            if score is not None and (best is None or score > (best.score or 0.0)):
                best = Rating(level_for_score(score), score, v.type, v.score, advisory_id)
            elif score is None and (level := word_level(v.score)) is not None:
                fallback = _higher(fallback, Rating(level, None, v.type, None, advisory_id))
        if (level := word_level(word)) is not None:
            fallback = _higher(fallback, Rating(level, None, "database", None, advisory_id))
    return best or fallback or Rating(Level.UNKNOWN)


def _higher(a: Rating | None, b: Rating) -> Rating:
    return b if a is None or b.level.rank > a.level.rank else a

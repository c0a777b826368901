"""RubyGems: ``Gem::Version#<=>`` as a tuple key.

Ruby pads the shorter segment list with 0 and ranks a string segment (pre-release) below
any number. Tuples stop at the shorter key instead, so each segment carries, first, the
kind of the first non-zero segment from there on, and keys end with a sentinel ranked
between the two: the shorter version then meets the longer one's remainder as Ruby's
zero padding would.
"""

from __future__ import annotations

import re

from sbomkit.versions.interface import VersionKey, VersionScheme

_VALID = re.compile(r"[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?", re.ASCII)
_SEGMENTS = re.compile(r"[0-9]+|[a-z]+", re.ASCII | re.IGNORECASE)
_STRING_AHEAD, _SENTINEL, _NUMBER_AHEAD = 0, (1,), 2


def _strip_zeros(segments: list[int | str]) -> list[int | str]:
    while segments and segments[-1] == 0:
        segments.pop()
    return segments


def canonical_segments(text: str) -> list[int | str]:
    """``Gem::Version#canonical_segments``: trailing zeros dropped before and after letters."""
    parts: list[int | str] = [
        int(s) if s.isdigit() else s for s in _SEGMENTS.findall(text.replace("-", ".pre."))
    ]
    first_string = next((i for i, s in enumerate(parts) if isinstance(s, str)), len(parts))
    return _strip_zeros(parts[:first_string]) + _strip_zeros(parts[first_string:])


class GemVersion(VersionScheme):
    """``Gem::Version``: ``1.0.a1`` and ``1.0-rc1`` (= ``1.0.pre.rc1``) are pre-releases."""

    label = "RubyGems"

    @staticmethod
    def parse(text: str) -> VersionKey:
        text = text.strip()
        if _VALID.fullmatch(text) is None:
            raise ValueError("malformed version number string")
        segments = canonical_segments(text)
        key: list[tuple[object, ...]] = []
        ahead = _NUMBER_AHEAD
        for seg in reversed(segments):
            if seg != 0:
                ahead = _NUMBER_AHEAD if isinstance(seg, int) else _STRING_AHEAD
            key.append((ahead, 1, seg) if isinstance(seg, int) else (ahead, 0, seg))
        key.reverse()
        key.append(_SENTINEL)
        return tuple(key)

"""Debian and Ubuntu: the dpkg algorithm (``verrevcmp``) as a tuple key.

A version part alternates non-digit runs and digit runs. Each pair becomes
``(weights, number)``: ``weights`` holds dpkg's character order (``~`` < end < letters <
other characters) and ends with the weight of "end"; missing numbers count as 0. dpkg pads
the shorter part with empty pairs; tuples stop at the shorter one, so trailing empty pairs
are dropped and an empty pair is appended as a sentinel, which then meets the longer
part's next pair exactly as dpkg's padding would.
"""

from __future__ import annotations

import re

from sbomkit.versions.interface import VersionKey, VersionScheme

_END = 0
_EMPTY = ((_END,), 0)
_UPSTREAM = re.compile(r"[0-9][A-Za-z0-9.+~:-]*", re.ASCII)
_REVISION = re.compile(r"[A-Za-z0-9.+~]*", re.ASCII)
_RUNS = re.compile(r"(\D*)(\d*)", re.ASCII)


def _weight(c: str) -> int:
    if c.isalpha():
        return ord(c)
    return -1 if c == "~" else ord(c) + 256


def part_key(text: str) -> tuple[object, ...]:
    pairs: list[tuple[tuple[int, ...], int]] = []
    for m in _RUNS.finditer(text):
        letters, digits = m.groups()
        if not letters and not digits:
            continue
        pairs.append(((*map(_weight, letters), _END), int(digits) if digits else 0))
    while pairs and pairs[-1] == _EMPTY:
        pairs.pop()
    # An empty pair can sit inside a part only at index 0 ("0~1"); an empty part gets a
    # second sentinel so that it meets the pair after that one too.
    return (*pairs, _EMPTY) if pairs else (_EMPTY, _EMPTY)


class DpkgVersion(VersionScheme):
    """``[epoch:]upstream[-revision]``; ``~`` sorts before everything, even the end."""

    label = "Debian/Ubuntu (dpkg)"

    @staticmethod
    def parse(text: str) -> VersionKey:
        epoch, colon, rest = text.partition(":")
        if not colon:
            epoch, rest = "0", text
        elif not epoch.isascii() or not epoch.isdigit():
            raise ValueError("epoch is not a number")
        upstream, hyphen, revision = rest.rpartition("-")
        if not hyphen:
            upstream, revision = rest, ""
        if _UPSTREAM.fullmatch(upstream) is None:
            raise ValueError("upstream version must start with a digit and use [A-Za-z0-9.+~:-]")
        if (hyphen and not revision) or _REVISION.fullmatch(revision) is None:
            raise ValueError("revision must be non-empty and use [A-Za-z0-9.+~]")
        return (int(epoch), part_key(upstream), part_key(revision))

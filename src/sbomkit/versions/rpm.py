"""RPM (AlmaLinux, Rocky Linux, Red Hat, openSUSE, SUSE): ``rpmvercmp`` as a tuple key.

Segments are maximal runs of digits or ASCII letters; everything else separates them and
is ignored. Order: ``~`` < end of string < ``^`` < letters < numbers, which the segment
tags below encode, so plain tuple comparison reproduces rpmvercmp.
"""

from __future__ import annotations

import re

from sbomkit.versions.interface import VersionKey, VersionScheme

_SEGMENT = re.compile(r"[0-9]+|[A-Za-z]+|~|\^", re.ASCII)
_TILDE, _END, _CARET, _ALPHA, _NUM = (0,), (1,), (2,), 3, 4
_BAD = re.compile(r"[\s\x00-\x1f]")


def rpmvercmp_key(text: str) -> tuple[object, ...]:
    out: list[tuple[object, ...]] = []
    for seg in _SEGMENT.findall(text):
        if seg == "~":
            out.append(_TILDE)
        elif seg == "^":
            out.append(_CARET)
        elif seg[0].isdigit():
            out.append((_NUM, int(seg)))
        else:
            out.append((_ALPHA, seg))
    out.append(_END)
    return tuple(out)


class RpmVersion(VersionScheme):
    """``[epoch:]version[-release]``, each compared with rpmvercmp; no epoch means 0."""

    label = "RPM"

    @staticmethod
    def parse(text: str) -> VersionKey:
        if not text or _BAD.search(text):
            raise ValueError("empty or contains whitespace")
        epoch, colon, rest = text.partition(":")
        if not colon:
            epoch, rest = "0", text
        elif not epoch.isascii() or not epoch.isdigit():
            raise ValueError("epoch is not a number")
        version, _, release = rest.rpartition("-") if "-" in rest else (rest, "", "")
        if not version:
            raise ValueError("empty version before the release")
        return (int(epoch), rpmvercmp_key(version), rpmvercmp_key(release))

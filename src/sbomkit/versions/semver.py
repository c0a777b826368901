"""SemVer 2.0.0 and the ecosystems that use it with their own small differences.

Key layout: ``(major, minor, patch, pre)`` where ``pre`` is ``(1,)`` for a release and
``(0, id, ...)`` for a pre-release, each id ``(0, int)`` or ``(1, str)``, so that numeric
ids sort before alphanumeric ones and a release sorts after all of its pre-releases.
"""

from __future__ import annotations

import re

from sbomkit.versions.interface import VersionKey, VersionScheme

_NUM = r"0|[1-9]\d*"
_ID = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
_BUILD = r"[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*"
_STRICT = re.compile(
    rf"({_NUM})\.({_NUM})\.({_NUM})(?:-({_ID}(?:\.{_ID})*))?(?:\+({_BUILD}))?", re.ASCII
)
# Leading zeros allowed (Pub, NuGet, Bitnami's date-like versions).
_LOOSE_ID = r"[0-9A-Za-z-]+"
_RELEASE = (1,)


def _ids(text: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in text.split("."))


def _pre(text: str | None) -> tuple[object, ...]:
    return _RELEASE if text is None else (0, *_ids(text))


def strict_key(text: str) -> tuple[object, ...]:
    m = _STRICT.fullmatch(text)
    if m is None:
        raise ValueError("expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] (SemVer 2.0.0)")
    major, minor, patch, pre, _build = m.groups()
    return (int(major), int(minor), int(patch), _pre(pre))


class SemVer(VersionScheme):
    """SemVer 2.0.0 precedence (section 11); build metadata is ignored."""

    label = "SemVer"
    semver = True

    @staticmethod
    def parse(text: str) -> VersionKey:
        return strict_key(text)


class CratesVersion(SemVer):
    """crates.io: the ``semver`` crate, strict SemVer 2.0.0."""

    label = "crates.io"


class HexVersion(SemVer):
    """Hex: Elixir's ``Version``, strict SemVer 2.0.0."""

    label = "Hex"


class NpmVersion(SemVer):
    """npm: node-semver's strict grammar, which also accepts a leading ``v`` or ``=``."""

    label = "npm"

    @staticmethod
    def parse(text: str) -> VersionKey:
        return strict_key(text[1:] if text[:1] in ("v", "=") else text)


class GoVersion(SemVer):
    """Go modules: SemVer with an optional leading ``v`` (OSV omits it, go.mod has it).

    ``+incompatible`` is build metadata and so ignored, as Go does; pseudo-versions
    (``v0.0.0-20191109021931-daa7c04131f5``, ``v1.2.4-0.2019…``) are ordinary pre-releases
    and sort where Go sorts them.
    """

    label = "Go"

    @staticmethod
    def parse(text: str) -> VersionKey:
        return strict_key(text[1:] if text.startswith("v") else text)


_LOOSE = re.compile(
    rf"v?(\d+(?:\.\d+)*)(?:-({_LOOSE_ID}(?:\.{_LOOSE_ID})*))?(?:\+({_LOOSE_ID}(?:\.{_LOOSE_ID})*))?",
    re.ASCII,
)


class LooseSemVer(SemVer):
    """Bitnami, Julia: SemVer as osv-scanner reads it (``2023.03.20``, ``1.2`` = ``1.2.0``).

    Any number of numeric parts, leading zeros allowed, missing parts count as 0.
    """

    label = "SemVer (lenient)"

    @staticmethod
    def parse(text: str) -> VersionKey:
        m = _LOOSE.fullmatch(text)
        if m is None:
            raise ValueError("expected numbers separated by dots, then -PRERELEASE, +BUILD")
        nums = [int(p) for p in m[1].split(".")]
        while nums and nums[-1] == 0:
            nums.pop()  # padding with zeros == dropping trailing zeros, for tuple order
        return (tuple(nums), _pre(m[2]))


class BitnamiVersion(LooseSemVer):
    label = "Bitnami"


class JuliaVersion(LooseSemVer):
    label = "Julia"


_PUB = re.compile(
    rf"(\d+)\.(\d+)\.(\d+)(?:-({_LOOSE_ID}(?:\.{_LOOSE_ID})*))?(?:\+({_LOOSE_ID}(?:\.{_LOOSE_ID})*))?",
    re.ASCII,
)


class PubVersion(SemVer):
    """Pub (pub_semver): like SemVer, but build metadata *is* ordered: 1.0.0 < 1.0.0+1."""

    label = "Pub"

    @staticmethod
    def parse(text: str) -> VersionKey:
        m = _PUB.fullmatch(text)
        if m is None:
            raise ValueError("expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]")
        build = (0,) if m[5] is None else (1, *_ids(m[5]))
        return (int(m[1]), int(m[2]), int(m[3]), _pre(m[4]), build)


_NUGET = re.compile(
    rf"(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-({_LOOSE_ID}(?:\.{_LOOSE_ID})*))?(?:\+({_BUILD}))?",
    re.ASCII,
)


class NuGetVersion(VersionScheme):
    """NuGet: up to four numeric parts (1.0 = 1.0.0.0), labels compared case-insensitively."""

    label = "NuGet"

    @staticmethod
    def parse(text: str) -> VersionKey:
        m = _NUGET.fullmatch(text.strip())
        if m is None:
            raise ValueError("expected 1 to 4 numbers separated by dots, then -LABEL, +METADATA")
        nums = tuple(int(p) if p else 0 for p in m.group(1, 2, 3, 4))
        pre = m[5]
        return (*nums, _pre(None if pre is None else pre.lower()))

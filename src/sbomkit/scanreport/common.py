"""Facts every writer states the same way: advisory URLs, counts, the tool."""

from __future__ import annotations

from collections import Counter

from sbomkit import __version__
from sbomkit.match.findings import Finding, Level, ScanResult, Status

TOOL = "sbomkit"
TOOL_URL = "https://github.com/sbomkit/sbomkit"
_VEX_SUPPRESSED = (Status.NOT_AFFECTED, Status.FIXED, Status.FALSE_POSITIVE)


def advisory_url(vid: str) -> str:
    return f"https://osv.dev/vulnerability/{vid}"


def tool_version() -> str:
    return __version__


def counts(result: ScanResult) -> dict[str, int]:
    """The summary numbers, over findings that remain after ignores and VEX."""
    active = result.active
    by_level = Counter(f.rating.level for f in active)
    # Only a decision changes a finding's status from active (which counts in neither).
    decided = [f.decision.status for f in result.findings if f.decision is not None]
    return {
        "components": len(result.components),
        "matched": result.matched,
        "not_matchable": result.unmatched,
        "findings": len(active),
        **{level.value: by_level[level] for level in reversed(Level)},
        "kev": sum(f.kev for f in active),
        "suppressed_by_vex": sum(s in _VEX_SUPPRESSED for s in decided),
        "ignored": sum(s is Status.IGNORED for s in decided),
    }


def at_or_above(result: ScanResult, level: Level) -> list[Finding]:
    return [f for f in result.active if f.rating.level.rank >= level.rank]

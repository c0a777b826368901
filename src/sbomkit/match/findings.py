"""What a scan found: matches with provenance, findings per alias group, fix advice.

Plain immutable values; the matcher makes them, the report writers only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from sbomkit.model import Component, Diagnostic, quick_init
from sbomkit.versions.osv_affected import Affected

MATCHER_NAME = "sbomkit-osv"
MATCHER_VERSION = "1"


class Level(StrEnum):
    """Severity levels, lowest first; ``unknown`` when no rating is known."""

    UNKNOWN = "unknown"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Level.UNKNOWN: 0, Level.LOW: 1, Level.MEDIUM: 2, Level.HIGH: 3, Level.CRITICAL: 4}


@dataclass(frozen=True, slots=True)
class Rating:
    """The rating a finding carries: its level and, when computed, the CVSS score."""

    level: Level
    score: float | None = None
    method: str | None = None  # CVSS_V2, CVSS_V3, CVSS_V4, or the database's own word
    vector: str | None = None
    source: str | None = None  # advisory id the rating came from


class Match(NamedTuple):
    """One advisory's ``affected[]`` entry that covers the component's version.

    A named tuple: a scan makes one per matched entry and version (tens of thousands),
    and it builds five times as fast as a frozen dataclass.
    """

    advisory_id: str
    aliases: tuple[str, ...]
    ecosystem: str  # as the advisory names it, suffix included
    package: str
    summary: str | None
    modified: str
    matched: str  # "range 0: introduced 0, fixed 2.4.1" or "listed in versions: 1.2"
    range_type: str | None  # ECOSYSTEM, SEMVER; None for a versions-list hit
    events: tuple[str, ...]  # the bracketing events, "introduced 0", "fixed 2.4.1"
    listed: str | None
    fix: str | None  # lowest version above the component's that this entry does not affect
    entry: Affected = Affected("", "")  # the decoded entry, for fix advice


class Status(StrEnum):
    """Where a finding stands after ignores and VEX statements."""

    ACTIVE = "active"  # nobody said anything about it
    AFFECTED = "affected"  # a VEX statement confirms it
    UNDER_INVESTIGATION = "under_investigation"
    NOT_AFFECTED = "not_affected"  # suppressed by VEX
    FIXED = "fixed"  # suppressed by VEX
    FALSE_POSITIVE = "false_positive"  # suppressed by VEX: the match itself is wrong
    IGNORED = "ignored"  # suppressed by the ignore file

    @property
    def suppressed(self) -> bool:
        return self in _SUPPRESSED


_SUPPRESSED = frozenset((Status.NOT_AFFECTED, Status.FIXED, Status.FALSE_POSITIVE, Status.IGNORED))


@dataclass(frozen=True, slots=True)
class Decision:
    """Why a finding has its status: which file said so and what it said."""

    status: Status
    source: str  # the ignore or VEX file
    justification: str | None = None
    detail: str | None = None  # reason, impact or action statement


@quick_init  # the matcher makes one per finding, tens of thousands a scan
@dataclass(frozen=True, slots=True)
class Finding:
    """One flaw in one component: an alias group of advisories, counted once."""

    component: Component
    primary_id: str
    ids: tuple[str, ...]  # every advisory id and alias of the group, sorted
    advisory_ids: tuple[str, ...]  # the records that matched, sorted
    matches: tuple[Match, ...]
    rating: Rating
    kev: bool
    fix: str | None  # lowest version fixing every match of this finding
    decision: Decision | None = None

    @property
    def status(self) -> Status:
        return self.decision.status if self.decision is not None else Status.ACTIVE

    @property
    def summary(self) -> str | None:
        return next((m.summary for m in self.matches if m.summary), None)


@dataclass(frozen=True, slots=True)
class FixAdvice:
    """The lowest version that fixes every finding of a component, or why there is none."""

    component: Component
    version: str | None  # None: no single version fixes all
    unfixed: tuple[str, ...] = ()  # primary ids of findings without any fix


@dataclass(frozen=True, slots=True)
class ScanResult:
    target: str
    components: tuple[Component, ...]
    matched: int  # components looked up in the advisory data
    findings: tuple[Finding, ...]  # sorted by component ref, then primary id
    advice: tuple[FixAdvice, ...]  # components with active findings
    problems: tuple[Diagnostic, ...]  # not matched, unparseable versions, expired ignores
    notes: tuple[str, ...] = ()  # GIT-only entries skipped, ...
    database: dict[str, object] = field(default_factory=dict)

    @property
    def active(self) -> tuple[Finding, ...]:
        # Written out rather than through Finding.status: reports ask this of every finding.
        return tuple(
            f for f in self.findings if f.decision is None or not f.decision.status.suppressed
        )

    @property
    def unmatched(self) -> int:
        return len(self.components) - self.matched

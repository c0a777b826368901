"""The advisory store's contract: its error and the typed values it hands out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sbomkit.errors import SbomkitError
from sbomkit.model import Diagnostic

Change = Literal["new", "changed", "withdrawn"]


class DbError(SbomkitError):
    """The advisory database or an input to it cannot be used."""


@dataclass(frozen=True, slots=True)
class SeverityVector:
    """One OSV ``severity`` entry: ``CVSS_V3`` and its vector, ``Ubuntu`` and a word, ..."""

    type: str
    score: str


@dataclass(frozen=True, slots=True)
class Event:
    """One OSV range event: kind is introduced, fixed, last_affected or limit."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class Range:
    type: str  # SEMVER, ECOSYSTEM or GIT
    events: tuple[Event, ...]
    repo: str | None = None


@dataclass(frozen=True, slots=True)
class AffectedEntry:
    """One ``affected[]`` entry of one advisory, with what a matcher needs of the record."""

    advisory_id: str
    aliases: tuple[str, ...]
    summary: str | None
    modified: str
    withdrawn: str | None
    ecosystem: str  # as the record gives it, suffix included: "Debian:12"
    name: str  # as the record gives it
    purl: str | None
    ranges: tuple[Range, ...]
    versions: tuple[str, ...]
    severities: tuple[SeverityVector, ...]  # the entry's own, then the record's
    # The ecosystem's own rating ("HIGH", "moderate", ...) when the record has one.
    database_severity: str | None
    database_specific: str | None  # compact JSON of affected[].database_specific
    ecosystem_specific: str | None  # compact JSON of affected[].ecosystem_specific


@dataclass(frozen=True, slots=True)
class SourceStatus:
    name: str
    location: str
    kind: str  # zip, folder, file, url, kev
    records: int
    bad: int
    last_import: str | None
    last_checked: str | None
    etag: str | None = None
    last_modified: str | None = None
    version: str | None = None  # KEV catalogVersion


@dataclass(frozen=True, slots=True)
class StoreStatus:
    path: str
    schema_version: int
    advisories: int
    withdrawn: int
    per_ecosystem: dict[str, int]  # base ecosystem -> advisories naming it
    kev_entries: int
    last_update: str | None
    sources: tuple[SourceStatus, ...]


@dataclass(slots=True)
class SourceReport:
    """What one import did with one zip, folder or downloaded archive."""

    name: str
    location: str
    records: int = 0
    new: int = 0
    changed: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    bad: int = 0
    problems: list[Diagnostic] = field(default_factory=list)


@dataclass(slots=True)
class ImportReport:
    run_id: int
    seconds: float
    sources: list[SourceReport]
    errors: list[DbError]  # a source that could not be read at all

    @property
    def records(self) -> int:
        return sum(s.records for s in self.sources)

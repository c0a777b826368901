"""The advisory store's contract: its error and the typed values it hands out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from sbomkit.errors import SbomkitError
from sbomkit.model import Diagnostic

# A range and its events are handed out in the form the evaluation reads, so the matcher
# uses them as they come: ``Event(kind, version)``, ``Range(type, events, repo)``.
from sbomkit.versions.osv_affected import Event, Range

__all__ = [
    "AffectedEntry", "Change", "DbError", "Event", "ImportReport", "Range", "SeverityVector",
    "SourceReport", "SourceStatus", "StoreStatus",
]  # fmt: skip

Change = Literal["new", "changed", "withdrawn"]


class DbError(SbomkitError):
    """The advisory database or an input to it cannot be used."""


class SeverityVector(NamedTuple):
    """One OSV ``severity`` entry: ``CVSS_V3`` and its vector, ``Ubuntu`` and a word, ..."""

    type: str
    score: str


class AffectedEntry(NamedTuple):
    """One ``affected[]`` entry of one advisory, with what a matcher needs of the record.

    A named tuple, not a dataclass: a scan reads tens of thousands of them and a frozen
    dataclass takes about six times as long to build.
    """

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
    # The database's own rating ("HIGH", "moderate", "Important", ...) when the record
    # has one: affected[].ecosystem_specific or database_specific, else the record's
    # database_specific, else an errata summary's first word (store.py).
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

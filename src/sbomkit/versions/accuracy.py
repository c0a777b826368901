"""Accuracy of the version semantics over real OSV data, per zip (for tests and bench).

For every record: each version listed in ``affected[].versions`` must lie in that entry's
ranges (checked on the ranges alone, so the check is not circular), each ``fixed``
version must be reported not affected by the whole entry, and each ``last_affected``
version affected. Entries that cannot be checked (no ranges we can order: GIT-only, or an
ecosystem without a scheme such as OSS-Fuzz) are counted as skipped, not as agreement.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson

from sbomkit.versions.osv_affected import (
    Affected,
    Outcome,
    Range,
    ShapeError,
    affected_from_json,
    evaluate,
)
from sbomkit.versions.registry import range_scheme


@dataclass(frozen=True, slots=True)
class Mismatch:
    record: str
    check: str  # "listed", "fixed", "last_affected" or "shape"
    version: str
    outcome: str
    note: str


@dataclass(frozen=True, slots=True)
class AccuracyRow:
    zip: str
    records: int
    checked: int  # versions checked
    agreed: int
    defects: int  # checked - agreed; each one is a data defect listed in the tests
    skipped: int  # versions that no orderable range covers (GIT-only, unknown ecosystem)


def _orderable(entry: Affected) -> list[Range]:
    return [r for r in entry.ranges if range_scheme(r.type, entry.ecosystem) is not None]


def _checks(entry: Affected) -> Iterator[tuple[str, str, bool]]:
    """(check, version, expected affected?) for one entry."""
    for v in entry.versions:
        yield "listed", v, True
    for r in _orderable(entry):
        for e in r.events:
            if e.kind == "fixed":
                yield "fixed", e.version, False
            elif e.kind == "last_affected":
                yield "last_affected", e.version, True


def check_record(record_id: str, record: Mapping[str, object]) -> tuple[int, int, list[Mismatch]]:
    """(checked, skipped, mismatches) for one OSV record."""
    checked = skipped = 0
    mismatches: list[Mismatch] = []
    raw = record.get("affected")
    for obj in raw if isinstance(raw, list) else []:
        try:
            entry = affected_from_json(obj)
        except ShapeError as e:
            mismatches.append(Mismatch(record_id, "shape", "", "", str(e)))
            continue
        checkable = bool(_orderable(entry))
        for check, version, expected in _checks(entry):
            if not checkable:
                skipped += 1
                continue
            checked += 1
            verdict = evaluate(entry, version, use_versions=check != "listed")
            if verdict.outcome is not (Outcome.AFFECTED if expected else Outcome.NOT_AFFECTED):
                note = verdict.explain()
                mismatches.append(Mismatch(record_id, check, version, verdict.outcome, note))
    return checked, skipped, mismatches


def check_zip(path: Path) -> tuple[AccuracyRow, list[Mismatch]]:
    """Check every record of one OSV all.zip-style archive."""
    records = checked = skipped = 0
    mismatches: list[Mismatch] = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not name.endswith(".json"):
                continue
            record = orjson.loads(zf.read(name))
            records += 1
            c, s, m = check_record(str(record.get("id", name)), record)
            checked, skipped = checked + c, skipped + s
            mismatches.extend(m)
    defects = sum(1 for m in mismatches if m.check != "shape")
    row = AccuracyRow(path.name, records, checked, checked - defects, defects, skipped)
    return row, mismatches


def accuracy_table(folder: Path) -> list[AccuracyRow]:
    """One row per ``*.zip`` in ``folder`` (e.g. ../shared/data/osv), sorted by name."""
    return [check_zip(p)[0] for p in sorted(folder.glob("*.zip"))]

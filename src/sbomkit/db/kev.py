"""CISA's Known Exploited Vulnerabilities catalog: replaced whole on every import."""

from __future__ import annotations

from pathlib import Path

from sbomkit.clock import stamp
from sbomkit.db.interface import DbError
from sbomkit.db.store import AdvisoryStore
from sbomkit.formats._safe import json_document, read_bounded
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.model import Diagnostic, Location

_FIELDS = ("vendorProject", "product", "vulnerabilityName", "dateAdded", "dueDate")

KevRow = tuple[str, str | None, str | None, str | None, str | None, str | None, str | None]


def import_kev(
    store: AdvisoryStore, path: Path
) -> tuple[int, str | None, str | None, list[Diagnostic]]:
    """(entries, catalogVersion, dateReleased, problems); the old catalog goes atomically."""
    rel = str(path)
    try:
        doc = json_document(read_bounded(path, rel), rel)
    except FormatError as e:
        raise DbError(e.code, e.path, e.detail) from e
    entries = doc.get("vulnerabilities")
    if not isinstance(entries, list):
        raise DbError(Msg.WRONG_FORMAT, rel, "not a CISA KEV catalog: no 'vulnerabilities' list")
    rows, problems = _rows(entries, rel)
    version, released = _text(doc.get("catalogVersion")), _text(doc.get("dateReleased"))
    now = stamp()
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM kev")
        conn.executemany("INSERT OR REPLACE INTO kev VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("DELETE FROM source WHERE kind = 'kev'")
        conn.execute(
            "INSERT INTO source (location, name, kind, last_import, last_checked, records, bad,"
            " version) VALUES (?, ?, 'kev', ?, ?, ?, ?, ?)",
            (str(path.resolve()), path.name, now, now, len(rows), len(problems), version),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(rows), version, released, problems


def _rows(entries: list[object], rel: str) -> tuple[list[KevRow], list[Diagnostic]]:
    rows: list[KevRow] = []
    problems: list[Diagnostic] = []
    for i, entry in enumerate(entries):
        cve = entry.get("cveID") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not isinstance(cve, str) or not cve.strip():
            where = Location(f"{rel}: vulnerabilities[{i}]")
            problems.append(Diagnostic(Msg.INVALID_ENTRY, where, "no 'cveID' string"))
            continue
        vendor, product, name, added, due = (_text(entry.get(f)) for f in _FIELDS)
        ransomware = _text(entry.get("knownRansomwareCampaignUse"))
        rows.append((cve.strip(), vendor, product, name, added, due, ransomware))
    return rows, problems


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None

"""Import runs: many sources, one transaction, a change log entry per advisory touched.

A record replaces the stored one only when its ``modified`` is later, so importing the
same data twice changes nothing. The run is one transaction: a crash or an exception
leaves the database as it was before the run (WAL keeps readers on the old state).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sbomkit.clock import stamp
from sbomkit.db.interface import Change, DbError, ImportReport, SourceReport
from sbomkit.db.osv import Record, RecordError, decode
from sbomkit.db.sources import Entry, SourceSpec, entries
from sbomkit.db.store import AdvisoryStore
from sbomkit.i18n import Msg
from sbomkit.model import Diagnostic, Location

Reader = Callable[[SourceSpec], Iterator[Entry]]
BATCH = 2000  # records per executemany round; bounds memory for the big archives
_LOOKUP = 500  # ids per IN (...) list, under SQLite's parameter limit

_INSERT_ADVISORY = (
    "INSERT OR REPLACE INTO advisory (id, modified, published, withdrawn, summary, details,"
    " database_specific, record, source_id, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
)
_INSERT_AFFECTED = "INSERT INTO affected VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
_OLD_PACKAGES = (
    "INSERT OR IGNORE INTO change_package SELECT ?, advisory_id, base_ecosystem,"
    " canonical_name FROM affected WHERE advisory_id = ? AND base_ecosystem IS NOT NULL"
)
_CHILD_TABLES = ("affected", "advisory_alias", "advisory_severity", "advisory_reference")


def import_sources(
    store: AdvisoryStore, specs: Iterable[SourceSpec], kind: str = "import", read: Reader = entries
) -> ImportReport:
    """Import every source in one transaction; a source that cannot be opened is skipped."""
    conn = store.conn
    started = time.perf_counter()
    conn.execute("PRAGMA synchronous = OFF")  # the final checkpoint makes it durable
    conn.execute("BEGIN IMMEDIATE")
    try:
        run = _Run(conn, kind)
        reports, errors = [], []
        for spec in specs:
            try:
                reports.append(run.source(spec, read(spec)))
            except DbError as e:
                errors.append(e)
        run.finish(sum(r.records for r in reports), sum(r.bad for r in reports))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return ImportReport(run.id, time.perf_counter() - started, reports, errors)


@dataclass(slots=True)
class _Pending:
    record: Record
    source_id: int
    replaces: bool  # a stored version exists: delete its rows first


class _Run:
    def __init__(self, conn: sqlite3.Connection, kind: str) -> None:
        self.conn = conn
        self.now = stamp()
        cur = conn.execute(
            "INSERT INTO import_run (kind, started_at) VALUES (?, ?)", (kind, self.now)
        )
        self.id = int(cur.lastrowid or 0)
        # id -> (modified, withdrawn?) of what is stored, kept current during the run; read
        # per batch of decoded records (a run of ten records need not read 500,000 ids)
        self.known: dict[str, tuple[str, bool] | None] = {}
        self.changes: dict[str, Change] = {}
        self.pending: dict[str, _Pending] = {}

    def source(self, spec: SourceSpec, items: Iterator[Entry]) -> SourceReport:
        source_id = self._source_id(spec)
        report = SourceReport(spec.name, spec.location)
        decoded: list[Record] = []
        for entry, data in items:
            where = Location(f"{spec.name}/{entry}")
            if isinstance(data, str):
                report.bad += 1
                report.problems.append(Diagnostic(Msg.DB_BAD_RECORD, where, data))
                continue
            try:
                record = decode(data)
            except RecordError as e:
                report.bad += 1
                detail = f"{e.record_id}: {e.reason}" if e.record_id else e.reason
                report.problems.append(Diagnostic(Msg.DB_BAD_RECORD, where, detail))
                continue
            report.records += 1
            for eco in record.unknown_ecosystems:
                detail = f"{record.id}: {eco}"
                report.problems.append(Diagnostic(Msg.DB_UNKNOWN_ECOSYSTEM, where, detail))
            decoded.append(record)
            if len(decoded) >= BATCH:
                self._add_all(decoded, source_id, report)
                decoded = []
        self._add_all(decoded, source_id, report)
        self._flush()
        self.conn.execute(
            "UPDATE source SET records = ?, bad = ?, last_import = ?, last_checked = ?,"
            " etag = ?, last_modified = ? WHERE id = ?",
            (report.records, report.bad, self.now, self.now, spec.etag, spec.last_modified,
             source_id),
        )  # fmt: skip
        return report

    def _source_id(self, spec: SourceSpec) -> int:
        self.conn.execute(
            "INSERT INTO source (location, name, kind) VALUES (?, ?, ?)"
            " ON CONFLICT (location) DO UPDATE SET name = excluded.name, kind = excluded.kind",
            (spec.location, spec.name, spec.kind),
        )
        row = self.conn.execute("SELECT id FROM source WHERE location = ?", (spec.location,))
        return int(row.fetchone()[0])

    def _add_all(self, records: list[Record], source_id: int, report: SourceReport) -> None:
        self._learn([r.id for r in records if r.id not in self.known])
        for record in records:
            self._add(record, source_id, report)

    def _learn(self, ids: list[str]) -> None:
        """What the store holds of these advisories (None: nothing)."""
        for i in range(0, len(ids), _LOOKUP):
            chunk = ids[i : i + _LOOKUP]
            self.known.update(dict.fromkeys(chunk))
            marks = ",".join("?" * len(chunk))
            self.known.update(
                (a, (m, bool(w)))
                for a, m, w in self.conn.execute(
                    f"SELECT id, modified, withdrawn FROM advisory WHERE id IN ({marks})", chunk
                )
            )

    def _add(self, record: Record, source_id: int, report: SourceReport) -> None:
        prev = self.known[record.id]
        change: Change
        if prev is None:
            change = "new"
            report.new += 1
        elif record.modified <= prev[0]:
            report.unchanged += 1
            return
        elif record.withdrawn and not prev[1]:
            change = "withdrawn"
            report.withdrawn += 1
        else:
            change = "changed"
            report.changed += 1
        self.known[record.id] = (record.modified, bool(record.withdrawn))
        # One entry per advisory and run: "new" stays new, "withdrawn" beats "changed".
        first = self.changes.get(record.id)
        if first is None or (first == "changed" and change == "withdrawn"):
            self.changes[record.id] = change
        self.pending[record.id] = _Pending(record, source_id, prev is not None)
        if len(self.pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        conn, run, pending = self.conn, self.id, list(self.pending.values())
        self.pending = {}
        old = [(p.record.id,) for p in pending if p.replaces]
        if old:
            conn.executemany(_OLD_PACKAGES, [(run, i) for (i,) in old])
            for table in _CHILD_TABLES:
                conn.executemany(f"DELETE FROM {table} WHERE advisory_id = ?", old)
        records = [p.record for p in pending]
        conn.executemany(
            _INSERT_ADVISORY,
            [
                (p.record.id, p.record.modified, *p.record.row, p.source_id, self.now)
                for p in pending
            ],
        )
        conn.executemany(
            "INSERT INTO advisory_alias VALUES (?, ?)",
            [(r.id, a) for r in records for a in r.aliases],
        )
        conn.executemany(
            "INSERT INTO advisory_severity VALUES (?, ?, ?)",
            [(r.id, t, s) for r in records for t, s in r.severities],
        )
        conn.executemany(
            "INSERT INTO advisory_reference VALUES (?, ?, ?)",
            [(r.id, t, u) for r in records for t, u in r.references],
        )
        conn.executemany(_INSERT_AFFECTED, [a for r in records for a in r.affected])
        conn.executemany(
            "INSERT OR IGNORE INTO change_package VALUES (?, ?, ?, ?)",
            [(run, r.id, b, n) for r in records for b, n in r.packages()],
        )

    def finish(self, records: int, bad: int) -> None:
        self._flush()
        self.conn.executemany(
            "INSERT INTO change_log (run_id, advisory_id, change, at) VALUES (?, ?, ?, ?)",
            [(self.id, i, c, self.now) for i, c in sorted(self.changes.items())],
        )
        values = list(self.changes.values())
        self.conn.execute(
            "UPDATE import_run SET finished_at = ?, records = ?, new = ?, changed = ?,"
            " withdrawn = ?, bad = ? WHERE id = ?",
            (stamp(), records, values.count("new"), values.count("changed"),
             values.count("withdrawn"), bad, self.id),
        )  # fmt: skip

"""The local advisory store: one SQLite file, and the read API the matcher uses."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from sbomkit.db import ecosystems
from sbomkit.db.interface import (
    AffectedEntry,
    DbError,
    Event,
    Range,
    SeverityVector,
    SourceStatus,
    StoreStatus,
)
from sbomkit.db.schema import current_version, migrate
from sbomkit.i18n import Msg

_CHUNK = 500  # host parameters per IN (...) list, well under SQLite's limit

_CANDIDATES = """
SELECT w.name, a.advisory_id, a.ecosystem, a.name, a.purl, a.ranges, a.versions,
       a.severity, a.database_specific, a.ecosystem_specific, a.database_severity,
       -- OSV's summary is optional (PYSEC records have only details): the first line
       -- of the details, at most 200 characters, stands in for it.
       COALESCE(NULLIF(v.summary, ''), substr(rtrim(substr(v.details, 1,
           CASE WHEN instr(v.details, char(10)) > 0 THEN instr(v.details, char(10)) - 1
                ELSE length(v.details) END)), 1, 200)),
       v.modified, v.withdrawn
FROM temp.want AS w
JOIN affected AS a ON a.base_ecosystem = ? AND a.canonical_name = w.name
JOIN advisory AS v ON v.id = a.advisory_id
"""


def default_path() -> Path:
    """``$SBOMKIT_DB``, else ``<XDG_DATA_HOME or ~/.local/share>/sbomkit/advisories.db``."""
    explicit = os.environ.get("SBOMKIT_DB")
    if explicit:
        return Path(explicit)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "sbomkit" / "advisories.db"


class AdvisoryStore:
    def __init__(self, conn: sqlite3.Connection, path: Path, schema_version: int) -> None:
        self.conn = conn
        self.path = path
        self.schema_version = schema_version

    @classmethod
    def open(cls, path: Path | str | None = None, *, create: bool = False) -> AdvisoryStore:
        """Open (``create``: make) the store, bringing its schema up to date."""
        where = Path(path) if path is not None else default_path()
        if not create and not where.is_file():
            raise DbError(Msg.DB_MISSING, str(where))
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(where, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA journal_mode = WAL")
            version = migrate(conn, str(where))
        except sqlite3.DatabaseError as e:
            raise DbError(Msg.DB_UNUSABLE, str(where), str(e)) from e
        except OSError as e:
            raise DbError(Msg.DB_UNUSABLE, str(where), e.strerror or str(e)) from e
        return cls(conn, where, version)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> AdvisoryStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def candidates(self, ecosystem: str, names: Iterable[str]) -> dict[str, list[AffectedEntry]]:
        """Every affected entry naming one of ``names`` in ``ecosystem``, in one query.

        Keys are the names as given; names without entries are left out. ``Debian:12``
        keeps entries for ``Debian:12`` and for plain ``Debian``; ``Debian`` keeps all.
        Withdrawn advisories are included (``withdrawn`` set) so a matcher can explain them.
        """
        base, full = ecosystems.split(ecosystem)
        wanted: dict[str, list[str]] = {}
        for name in names:
            wanted.setdefault(ecosystems.canonical_name(base, name), []).append(name)
        conn = self.conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS want (name TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.want")
        conn.executemany("INSERT INTO temp.want VALUES (?)", [(n,) for n in wanted])
        sql, params = _CANDIDATES, [base]
        if full != base:
            sql += " WHERE a.ecosystem IN (?, ?)"
            params += [full, base]
        rows = conn.execute(sql + " ORDER BY a.advisory_id, a.idx", params).fetchall()
        ids = sorted({r[1] for r in rows})
        aliases = self._per_advisory("advisory_id, alias FROM advisory_alias", "alias", ids)
        scores = self._per_advisory("advisory_id, type, score FROM advisory_severity", "rowid", ids)
        found: dict[str, list[AffectedEntry]] = {}
        for row in rows:
            entry = _entry(row, aliases.get(row[1], []), scores.get(row[1], []))
            for given in wanted[row[0]]:
                found.setdefault(given, []).append(entry)
        return found

    def _per_advisory(
        self, select: str, order: str, ids: list[str]
    ) -> dict[str, list[tuple[str, ...]]]:
        """advisory id -> its rows (without the id), for ``ids`` in chunks of _CHUNK."""
        out: dict[str, list[tuple[str, ...]]] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT {select} WHERE advisory_id IN ({marks}) ORDER BY {order}"
            for row in self.conn.execute(sql, chunk):
                out.setdefault(row[0], []).append(tuple(row[1:]))
        return out

    def kev(self, cve_ids: Iterable[str]) -> set[str]:
        """The ids among ``cve_ids`` that are in the imported CISA KEV catalog."""
        ids = sorted(set(cve_ids))
        found: set[str] = set()
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            sql = f"SELECT cve_id FROM kev WHERE cve_id IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in self.conn.execute(sql, chunk))
        return found

    def status(self) -> StoreStatus:
        conn = self.conn
        total, withdrawn = conn.execute(
            "SELECT count(*), count(withdrawn) FROM advisory"
        ).fetchone()
        per_eco = conn.execute(
            "SELECT base_ecosystem, count(DISTINCT advisory_id) FROM affected"
            " WHERE base_ecosystem IS NOT NULL GROUP BY base_ecosystem ORDER BY base_ecosystem"
        ).fetchall()
        sources = tuple(
            SourceStatus(*row)
            for row in conn.execute(
                "SELECT name, location, kind, records, bad, last_import, last_checked, etag,"
                " last_modified, version FROM source ORDER BY kind = 'kev', name, location"
            )
        )
        last = max((s.last_checked or "" for s in sources if s.kind != "kev"), default="")
        return StoreStatus(
            path=str(self.path),
            schema_version=current_version(conn),
            advisories=total,
            withdrawn=withdrawn,
            per_ecosystem=dict(per_eco),
            kev_entries=conn.execute("SELECT count(*) FROM kev").fetchone()[0],
            last_update=last or None,
            sources=sources,
        )

    def changes(self, run_id: int) -> list[tuple[str, str]]:
        """(advisory id, change) logged by one import run, sorted by id."""
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                "SELECT advisory_id, change FROM change_log WHERE run_id = ? ORDER BY advisory_id",
                (run_id,),
            )
        ]


def _entry(
    row: tuple[object, ...], aliases: list[tuple[str, ...]], scores: list[tuple[str, ...]]
) -> AffectedEntry:
    (_, advisory_id, eco, name, purl, ranges, versions, severity, db_specific, eco_specific,
     rating, summary, modified, withdrawn) = row  # fmt: skip
    own = [SeverityVector(t, s) for t, s in _loads(severity, [])]
    return AffectedEntry(
        advisory_id=str(advisory_id),
        aliases=tuple(a[0] for a in aliases),
        summary=_opt(summary),
        modified=str(modified),
        withdrawn=_opt(withdrawn),
        ecosystem=str(eco),
        name=str(name),
        purl=_opt(purl),
        ranges=tuple(_range(r) for r in _loads(ranges, [])),
        versions=tuple(_loads(versions, [])),
        severities=(*own, *(SeverityVector(t, s) for t, s in scores)),
        database_severity=_opt(rating),
        database_specific=_opt(db_specific),
        ecosystem_specific=_opt(eco_specific),
    )


def _range(raw: dict[str, object]) -> Range:
    events = raw.get("events")
    pairs = (
        Event(k, v)
        for ev in (events if isinstance(events, list) else [])
        if isinstance(ev, dict)
        for k, v in ev.items()
    )
    repo = raw.get("repo")
    return Range(str(raw.get("type")), tuple(pairs), repo if isinstance(repo, str) else None)


def _loads(value: object, empty: list[Any]) -> list[Any]:
    # Columns were checked on import (osv.py), so the JSON has the shape named there.
    return orjson.loads(value) if isinstance(value, str) else empty


def _opt(value: object) -> str | None:
    return value if isinstance(value, str) else None

"""The local advisory store: one SQLite file, and the read API the matcher uses."""

from __future__ import annotations

import os
import re
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

# The names travel as one JSON array (json_each), so a lookup writes nothing, not even to
# a temporary table, and the index on (base_ecosystem, canonical_name) answers each name.
_CANDIDATES = """
SELECT canonical_name, advisory_id, ecosystem, name, purl, ranges, versions, severity,
       database_specific, ecosystem_specific, database_severity
FROM affected
WHERE base_ecosystem = ? AND canonical_name IN (SELECT value FROM json_each(?))
"""
# What an entry needs of its record, read once per record rather than once per entry
# (an AlmaLinux erratum has dozens of entries).
_RECORDS = """
SELECT id, modified, withdrawn,
       -- OSV's summary is optional (PYSEC records have only details): the first line
       -- of the details, at most 200 characters, stands in for it.
       COALESCE(NULLIF(summary, ''), substr(rtrim(substr(details, 1,
           CASE WHEN instr(details, char(10)) > 0 THEN instr(details, char(10)) - 1
                ELSE length(details) END)), 1, 200)),
       -- The record's own rating word (GHSA keeps it here, not in affected[]).
       CASE WHEN json_valid(database_specific)
            THEN json_extract(database_specific, '$.severity') END
FROM advisory WHERE id IN (SELECT value FROM json_each(?))
"""
_ALIASES = "advisory_id, alias FROM advisory_alias"
_SCORES = "advisory_id, type, score FROM advisory_severity"

# Errata whose only rating is the first word of the summary ("Important: kernel security
# update"), as Red Hat's errata spell it; their OSV records carry no severity field.
_ERRATA = frozenset(("AlmaLinux", "Rocky Linux"))
_ERRATA_RATING = re.compile(r"(Low|Moderate|Important|Critical): ")


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
        sql, params = _CANDIDATES, [base, orjson.dumps(list(wanted)).decode()]
        if full != base:
            sql += " AND ecosystem IN (?, ?)"
            params += [full, base]
        conn = self.conn
        # In the index's own order, so SQLite sorts nothing: each name's entries come
        # together, by (advisory id, position in affected[]).
        rows = conn.execute(sql + " ORDER BY canonical_name, advisory_id, idx", params).fetchall()
        ids = orjson.dumps(sorted({r[1] for r in rows})).decode()
        errata = base in _ERRATA
        decoder = _Decoder(
            {r[0]: _record(r, errata) for r in conn.execute(_RECORDS, (ids,))},
            {
                k: tuple(a for (a,) in v)
                for k, v in self._per_advisory(_ALIASES, "alias", ids).items()
            },
            {
                k: tuple(SeverityVector(t, s) for t, s in v)
                for k, v in self._per_advisory(_SCORES, "rowid", ids).items()
            },
        )
        per_name: dict[str, list[AffectedEntry]] = {}
        entry = decoder.entry
        for row in rows:
            entries = per_name.get(row[0])
            if entries is None:
                entries = per_name[row[0]] = []
            entries.append(entry(row))
        found: dict[str, list[AffectedEntry]] = {}
        for canonical, entries in per_name.items():
            for i, given in enumerate(wanted[canonical]):
                found[given] = entries if i == 0 else list(entries)
        return found

    def _per_advisory(self, select: str, order: str, ids: str) -> dict[str, list[tuple[str, ...]]]:
        """advisory id -> its rows (without the id), for ``ids`` (a JSON array)."""
        out: dict[str, list[tuple[str, ...]]] = {}
        where = "advisory_id IN (SELECT value FROM json_each(?))"
        sql = f"SELECT {select} WHERE {where} ORDER BY {order}"
        for row in self.conn.execute(sql, (ids,)):
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

    def database_info(self) -> dict[str, object]:
        """What a scan report says of the data: advisories held and the last update.

        The two numbers of :meth:`status` a scan needs, without its table scans (counting
        withdrawn records reads every record: a third of a second on the full OSV set).
        """
        (advisories,) = self.conn.execute("SELECT count(*) FROM advisory").fetchone()
        (last,) = self.conn.execute(
            "SELECT max(last_checked) FROM source WHERE kind != 'kev'"
        ).fetchone()
        return {"advisories": advisories, "last_update": last or None}

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


# (modified, withdrawn, summary, the record's rating for entries without their own)
_Record = tuple[str, str | None, str | None, str | None]


def _record(row: tuple[Any, ...], errata: bool) -> _Record:
    _, modified, withdrawn, summary, rating = row
    if isinstance(rating, str) and rating.strip():
        rating = rating.strip()
    else:
        found = _ERRATA_RATING.match(summary) if errata and summary else None
        rating = found.group(1) if found else None
    return modified, withdrawn, summary, rating


# (aliases, summary, modified, withdrawn, record rating, record severity vectors)
_Shared = tuple[
    tuple[str, ...], str | None, str, str | None, str | None, tuple[SeverityVector, ...]
]
_new_entry = tuple.__new__  # a named tuple made from its fields in order


class _Decoder:
    """Candidate rows -> entries. JSON columns repeat across rows (an erratum's binary
    packages share one fix; six in seven AlmaLinux entries repeat another's ranges), so
    each distinct text is decoded once and the entries share the decoded tuples."""

    def __init__(
        self,
        records: dict[str, _Record],
        aliases: dict[str, tuple[str, ...]],
        scores: dict[str, tuple[SeverityVector, ...]],
    ) -> None:
        self.records, self.aliases, self.scores = records, aliases, scores
        self.ranges: dict[str, tuple[Range, ...]] = {}
        self.versions: dict[str, tuple[str, ...]] = {}
        self.shared: dict[str, _Shared] = {}  # what a record's entries share, by its id

    def entry(self, row: tuple[Any, ...]) -> AffectedEntry:
        (_, aid, eco, name, purl, ranges, versions, severity, db_specific, eco_specific,
         rating) = row  # fmt: skip
        record = self.shared.get(aid)
        if record is None:
            record = self.shared[aid] = self._shared(aid)
        aliases, summary, modified, withdrawn, record_rating, scores = record
        if severity:  # the entry's own vectors come first
            scores = (*(SeverityVector(t, s) for t, s in orjson.loads(severity)), *scores)
        if ranges:
            decoded = self.ranges.get(ranges)
            ranges = decoded if decoded is not None else self._ranges(ranges)
        if versions:
            listed = self.versions.get(versions)
            versions = listed if listed is not None else self._versions(versions)
        # tuple.__new__ with the fields in order is AffectedEntry(...) without the named
        # tuple's Python-level __new__ (one per candidate row).
        return _new_entry(
            AffectedEntry,
            (aid, aliases, summary, modified, withdrawn, eco, name, purl, ranges or (),
             versions or (), scores, rating if rating is not None else record_rating,
             db_specific, eco_specific),
        )  # fmt: skip

    def _shared(self, aid: str) -> _Shared:
        modified, withdrawn, summary, record_rating = self.records[aid]
        aliases = self.aliases.get(aid, ())
        return aliases, summary, modified, withdrawn, record_rating, self.scores.get(aid, ())

    def _ranges(self, text: str) -> tuple[Range, ...]:
        found = self.ranges.get(text)
        if found is None:
            # Columns were checked on import (osv.py), so the JSON has the shape named there.
            found = self.ranges[text] = tuple(_range(r) for r in orjson.loads(text))
        return found

    def _versions(self, text: str) -> tuple[str, ...]:
        found = self.versions.get(text)
        if found is None:
            found = self.versions[text] = tuple(orjson.loads(text))
        return found


def _range(raw: dict[str, Any]) -> Range:
    events = raw.get("events")
    # Event(k, v) and Range(...) through tuple.__new__, without the named tuples'
    # Python-level __new__: a scan decodes thousands of distinct ranges.
    pairs = tuple(
        _new_entry(Event, item)
        for ev in (events if isinstance(events, list) else ())
        if isinstance(ev, dict)
        for item in ev.items()
    )
    repo = raw.get("repo")
    return _new_entry(Range, (str(raw.get("type")), pairs, repo if isinstance(repo, str) else None))

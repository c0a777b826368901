"""Findings over time: insert new ones, refresh present ones, resolve the ones gone.

One function serves an upload (one project, every component in scope) and a re-analysis
(many projects, only the components a changed advisory names). Nothing is deleted: a
finding no longer found is ``resolved`` with the time, and comes back ``open`` (same row,
same first-seen) if it returns.

A full re-analysis reconciles hundreds of thousands of findings, so the work is set-based
per chunk of projects: stored findings are read as plain rows (no ORM objects), the
values of a finding are worked out once however many project versions hold it, and the
writes go out as one statement per kind (PostgreSQL gets new rows by COPY).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVarTuple

import psycopg
from sqlalchemy import (
    ColumnElement,
    Result,
    Select,
    any_,
    bindparam,
    delete,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute, Session

from sbomkit.match.findings import Finding
from sbomkit.server.tables import FindingAlias, FindingRow

Ts = TypeVarTuple("Ts")
_CHUNK = 500  # projects per round
_IN_LIST = 500  # values of an IN list
_ARRAY = 10_000  # values of one PostgreSQL array parameter
_SCOPE_IN_SQL = 1000  # a smaller scope is filtered by the database
_GC_THRESHOLD = 100_000  # allocations between young-generation collections in bulk work
# Columns compared to decide whether a present finding changed.
_COMPARED = ("aliases", "advisory_ids", "severity", "score", "kev", "fix", "summary", "provenance")
_READ = select(
    FindingRow.id,
    FindingRow.project_id,
    FindingRow.component_ref,
    FindingRow.vuln_id,
    FindingRow.state,
    *(getattr(FindingRow, c) for c in _COMPARED),
)
# Positions in a row of _READ (plain tuples: 200k rows are read for a full re-analysis).
_ID, _PROJECT, _REF, _VULN, _STATE = range(5)
_ALIASES = 5
_COMPARED_AT = slice(5, 5 + len(_COMPARED))


@dataclass(slots=True)
class Changes:
    new: list[int] = field(default_factory=list)  # finding ids
    resolved: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)

    def extend(self, other: Changes) -> None:
        self.new += other.new
        self.resolved += other.resolved
        self.reopened += other.reopened
        self.changed += other.changed


@dataclass(frozen=True, slots=True)
class Plan:
    """What was found for one project version, and which components were looked at
    (None: all of them, as after an upload)."""

    findings: Sequence[Finding]
    scope: frozenset[str] | None = None


@dataclass(slots=True)
class _Writes:
    """What one chunk of projects needs written."""

    fresh: list[tuple[dict[str, object], tuple[str, ...]]] = field(default_factory=list)
    updates: list[dict[str, object]] = field(default_factory=list)
    realias: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)


class _Value(NamedTuple):
    key: tuple[str, str]  # component ref, vulnerability id
    row: dict[str, object]  # finding_values()
    compared: tuple[object, ...]  # the _COMPARED values, in that order
    first: dt.datetime | None  # earliest publication of its advisories


class _Values:
    """What a finding stores, once per finding object: a component identity's findings
    are shared by every project version that holds it."""

    def __init__(self, published: Mapping[str, dt.datetime]) -> None:
        self.published = published
        self._seen: dict[int, tuple[Finding, _Value]] = {}

    def of(self, f: Finding) -> _Value:
        hit = self._seen.get(id(f))
        if hit is None or hit[0] is not f:
            row = finding_values(f)
            first = min(
                (self.published[a] for a in f.advisory_ids if a in self.published), default=None
            )
            value = _Value(
                (f.component.ref, f.primary_id), row, tuple(row[c] for c in _COMPARED), first
            )
            hit = self._seen[id(f)] = (f, value)
        return hit[1]


# Stored findings: project id -> (component ref, vulnerability id) -> row of _READ.
Stored = dict[int, dict[tuple[str, str], Sequence[Any]]]


def reconcile(
    session: Session,
    plans: Mapping[int, Plan],
    now: dt.datetime,
    published: Mapping[str, dt.datetime] | None = None,
    stored: Stored | None = None,
) -> Changes:
    """``stored``: the findings in the plans' scope, read already (``stored_on``)."""
    changes = Changes()
    values = _Values(published or {})
    ids = sorted(plans)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        if stored is None:
            scope = _shared_scope([plans[p] for p in chunk])
            existing = _existing(session, chunk, scope)
        else:
            existing = stored
        writes = _Writes()
        for pid in chunk:
            _diff(pid, plans[pid], existing.get(pid, {}), values, now, writes)
        _write(session, writes, now, changes)
    return changes


def _shared_scope(plans: Sequence[Plan]) -> frozenset[str] | None:
    """The scope every plan of a chunk has, when small enough for an IN list."""
    first = plans[0].scope
    if first is None or len(first) > _SCOPE_IN_SQL or any(p.scope != first for p in plans):
        return None
    return first


def _existing(session: Session, project_ids: list[int], scope: frozenset[str] | None) -> Stored:
    if scope is not None and not scope:
        return {}
    query = _READ.where(or_(*within(session, FindingRow.project_id, project_ids)))
    if scope is not None:
        query = query.where(or_(*within(session, FindingRow.component_ref, sorted(scope))))
    return _by_project(plain_rows(session, query))


def stored_on(session: Session, refs: Iterable[str]) -> Stored:
    """Every finding, in any project and state, on these components."""
    rows: list[Sequence[Any]] = []
    for among in within(session, FindingRow.component_ref, sorted(set(refs))):
        rows += plain_rows(session, _READ.where(among))
    return _by_project(rows)


def plain_rows(session: Session, query: Select[*Ts]) -> Sequence[Sequence[Any]]:
    """The rows as the driver gives them on PostgreSQL (tuples of its own types): a
    SQLAlchemy row costs as much again as fetching it, and stored findings are read by
    the ten thousand."""
    if not _postgres(session):
        return read(session, query).all()
    session.flush()
    conn = session.connection()
    compiled = query.compile(dialect=conn.dialect)
    driver = conn.connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    with driver.cursor() as cur:
        cur.execute(compiled.string, compiled.params)
        return cur.fetchall()


def open_in(stored: Stored) -> set[int]:
    """The projects with an open finding among these."""
    return {pid for pid, rows in stored.items() if any(r[_STATE] == "open" for r in rows.values())}


def _by_project(rows: Iterable[Sequence[Any]]) -> Stored:
    out: Stored = {}
    for row in rows:
        out.setdefault(row[_PROJECT], {})[(row[_REF], row[_VULN])] = row
    return out


def _diff(
    project_id: int,
    plan: Plan,
    existing: dict[tuple[str, str], Sequence[Any]],
    values: _Values,
    now: dt.datetime,
    writes: _Writes,
) -> None:
    seen: set[tuple[str, str]] = set()
    of = values.of
    for f in plan.findings:
        value = of(f)
        key = value.key
        if key in seen:
            continue
        seen.add(key)
        row = existing.get(key)
        if row is None:
            fresh = dict(value.row)
            fresh.update(
                project_id=project_id,
                first_seen=now,
                last_seen=now,
                state="open",
                published=value.first,
            )
            writes.fresh.append((fresh, f.ids))
            continue
        reopen = row[_STATE] == "resolved"
        if reopen or row[_COMPARED_AT] != value.compared:
            fid = row[_ID]
            writes.updates.append(
                {**value.row, "id": fid, "last_seen": now, "state": "open", "resolved_at": None}
            )
            (writes.reopened if reopen else writes.changed).append(fid)
            if row[_ALIASES] != value.row["aliases"]:
                writes.realias.append((fid, f.ids))
    writes.gone += [
        r[_ID]
        for key, r in existing.items()
        if key not in seen
        and r[_STATE] != "resolved"
        and (plan.scope is None or key[0] in plan.scope)
    ]


def _write(session: Session, writes: _Writes, now: dt.datetime, changes: Changes) -> None:
    for ids in within(session, FindingRow.id, writes.gone):
        session.execute(
            update(FindingRow)
            .where(ids)
            .values(state="resolved", resolved_at=now)
            .execution_options(synchronize_session=False)
        )
    changes.resolved += writes.gone
    if writes.updates:
        _update_findings(session, writes.updates)
    changes.reopened += writes.reopened
    changes.changed += writes.changed
    if writes.realias:
        for ids in within(session, FindingAlias.finding_id, [fid for fid, _ in writes.realias]):
            session.execute(delete(FindingAlias).where(ids))
        _insert_aliases(session, writes.realias)
    if writes.fresh:
        new_ids = _insert_findings(session, [v for v, _ in writes.fresh])
        _insert_aliases(session, list(zip(new_ids, (g for _, g in writes.fresh), strict=True)))
        changes.new += new_ids


def _update_findings(session: Session, rows: list[dict[str, object]]) -> None:
    """Rows by id, all with the same keys. PostgreSQL gets one statement per 10,000 rows
    (``UPDATE ... FROM unnest(arrays)``) instead of one per row, its arrays as binary
    parameters (``%b``): psycopg escapes a text array in Python, element by element."""
    if not _postgres(session):
        session.execute(update(FindingRow), rows)
        return
    table = FindingRow.__table__
    dialect = session.get_bind().dialect
    columns = [c for c in rows[0] if c != "id"]
    arrays = ", ".join(f"%b::{table.c[c].type.compile(dialect)}[]" for c in ["id", *columns])
    sql = (
        f"UPDATE findings SET {', '.join(f'{c} = v.{c}' for c in columns)}"
        f" FROM unnest({arrays}) AS v (id, {', '.join(columns)}) WHERE findings.id = v.id"
    )
    session.flush()
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    with driver.cursor() as cur:
        for i in range(0, len(rows), _ARRAY):
            chunk = rows[i : i + _ARRAY]
            cur.execute(sql, [[r[c] for r in chunk] for c in ["id", *columns]])


def _insert_findings(session: Session, rows: list[dict[str, object]]) -> list[int]:
    """New finding rows; their ids in the order given."""
    if not _postgres(session):
        return list(
            session.execute(
                insert(FindingRow).returning(FindingRow.id, sort_by_parameter_order=True), rows
            ).scalars()
        )
    ids = [
        int(i)
        for i in session.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('findings', 'id'))"
                " FROM generate_series(1, :n)"
            ),
            {"n": len(rows)},
        ).scalars()
    ]
    columns = ["id", *rows[0]]
    _copy(session, "findings", columns, ([i, *r.values()] for i, r in zip(ids, rows, strict=True)))
    return ids


def _insert_aliases(session: Session, groups: list[tuple[int, tuple[str, ...]]]) -> None:
    pairs = [(fid, alias) for fid, group in groups for alias in group]
    if not pairs:
        return
    if _postgres(session):
        _copy(session, "finding_aliases", ["finding_id", "alias"], pairs)
    else:
        session.execute(insert(FindingAlias), [{"finding_id": f, "alias": a} for f, a in pairs])


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _copy(session: Session, table: str, columns: list[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY in the session's transaction; pending ORM changes go first (foreign keys)."""
    session.flush()
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    with driver.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)


def read(session: Session, query: Select[*Ts]) -> Result[*Ts]:
    """The rows of a select of plain columns through Core, about twice as fast as the
    ORM's result machinery; pending ORM changes are flushed first, as an ORM query does."""
    session.flush()
    return session.connection().execute(query)


def within(
    session: Session, column: QueryableAttribute[Any], values: Iterable[Any]
) -> Iterator[ColumnElement[bool]]:
    """``column IN values`` as conditions over chunks of the values. PostgreSQL gets one
    array parameter per 10,000 values (``= ANY(%s)``): an IN list of that many parameters
    costs more to build and parse than the database spends on the lookup."""
    items = list(values)
    if _postgres(session):
        kind = ARRAY(column.expression.type)
        for i in range(0, len(items), _ARRAY):
            chunk = items[i : i + _ARRAY]
            yield column == any_(bindparam("values", chunk, type_=kind, unique=True))
        return
    for i in range(0, len(items), _IN_LIST):
        yield column.in_(items[i : i + _IN_LIST])


@contextmanager
def bulk_work(session: Session) -> Iterator[None]:
    """Settings for a transaction that reads and writes findings by the hundred thousand.

    Each statement is planned for its parameters: psycopg prepares a statement run five
    times, and a generic plan made while a table was small (findings, notified) kept
    scanning it whole as the transaction filled it, so nothing is prepared meanwhile.
    Not ``plan_cache_mode = force_custom_plan``: that also re-plans the foreign key check
    PostgreSQL runs for every inserted row, which made writing a full re-analysis's
    850,000 finding and alias rows three times slower (60 s of the server's CPU).
    No JIT compilation: it cost more than it saved on these statements (the access
    check's recursive query spent 24 of its 130 ms compiling). Python collects cycles
    less often: the default threshold ran a few thousand collections over the growing
    heap, a third of a full re-analysis."""
    driver: psycopg.Connection[Any] | None = None
    prepare = None
    if _postgres(session):
        session.execute(text("SELECT set_config('jit', 'off', true)"))  # SET LOCAL
        conn = session.connection().connection.driver_connection
        assert isinstance(conn, psycopg.Connection)
        driver, prepare = conn, conn.prepare_threshold
        driver.prepare_threshold = None
    before = gc.get_threshold()
    gc.set_threshold(_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if driver is not None:
            driver.prepare_threshold = prepare


def finding_values(f: Finding) -> dict[str, object]:
    c = f.component
    return {
        "component_ref": c.ref,
        "component_name": c.name,
        "component_version": c.version,
        "ecosystem": c.ecosystem,
        "vuln_id": f.primary_id,
        "aliases": json.dumps(list(f.ids)),
        "advisory_ids": json.dumps(list(f.advisory_ids)),
        "severity": f.rating.level.value,
        "severity_rank": f.rating.level.rank,
        "score": f.rating.score,
        "kev": f.kev,
        "fix": f.fix,
        "summary": f.summary,
        "provenance": json.dumps(
            [
                {
                    "advisory": m.advisory_id,
                    "ecosystem": m.ecosystem,
                    "package": m.package,
                    "matched": m.matched,
                    "fix": m.fix,
                    "modified": m.modified,
                }
                for m in f.matches
            ]
        ),
    }

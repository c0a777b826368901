"""Store one uploaded SBOM: document, components, edges and findings in one transaction.

Matching happens before the transaction (against the advisory store, one query per
ecosystem), so the write holds locks only for the inserts. A re-upload replaces the
project version's components; findings keep their history: still present ones keep
``first_seen``, gone ones become ``resolved`` with the date.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from sbomkit.db.store import AdvisoryStore
from sbomkit.errors import SbomkitError
from sbomkit.match.findings import Finding
from sbomkit.match.matcher import Matcher
from sbomkit.match.osv_names import lookup_for
from sbomkit.model import Component, Inventory
from sbomkit.server.monitor import events, jobs
from sbomkit.server.monitor.lifecycle import Plan, reconcile
from sbomkit.server.monitor.reanalyze import osv_key, published_dates
from sbomkit.server.monitor.triage import apply_triage
from sbomkit.server.parse import Upload
from sbomkit.server.tables import (
    AuditEntry,
    Base,
    ComponentRow,
    Document,
    Edge,
    Project,
)


@dataclass(frozen=True, slots=True)
class Matched:
    findings: list[Finding]
    published: dict[str, dt.datetime]  # advisory id -> publication time


def match_inventory(inventory: Inventory, advisories: Path) -> Matched:
    """Findings of every component; none when there is no advisory store yet."""
    return _advisories(advisories).match(sorted(inventory.components, key=lambda c: c.ref))


# What decides a component's findings: the matcher reads its purl (or, without one, its
# ecosystem and name) and its version; the ref is the purl when there is one.
_Key = tuple[str, bool, str, str, str | None]
_CACHED_COMPONENTS = 200_000  # identities kept per store before the cache starts over
_OPEN_STORES = 4


class _Advisories:
    """One advisory store, opened once per server process, and what it answered.

    A portfolio holds the same packages over and over (the same lodash in thousands of
    project versions), so findings are kept per component identity and only new ones go
    to the matcher. The cache is dropped whenever the store changes: another connection's
    commit (``sbomkit db import``/``update``, the update job) moves SQLite's
    ``data_version``, and a replaced file has a new inode. One lock: the connection and
    its temp table are not for two threads at once.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.store: AdvisoryStore | None = None
        self.stamp: tuple[int, int, int] | None = None
        self.findings: dict[_Key, tuple[str, tuple[Finding, ...]]] = {}
        self.published: dict[str, dt.datetime | None] = {}

    def match(self, components: Sequence[Component]) -> Matched:
        with self.lock:
            store = self._current()
            if store is None:
                return Matched([], {})
            keys = [_key(c) for c in components]
            if len(set(keys)) != len(keys):  # one ref twice: the matcher merges them
                return _match_uncached(store, components)
            missing = [c for c, k in zip(components, keys, strict=True) if k not in self.findings]
            if missing:
                self._learn(store, missing)
            found = [self.findings[k] for k in keys]
            # The matcher's own order: by lookup query, then the given (ref) order.
            order = sorted(range(len(components)), key=lambda i: found[i][0])
            findings = [
                f if f.component is components[i] else replace(f, component=components[i])
                for i in order
                for f in found[i][1]
            ]
            return Matched(findings, self._published(store, findings))

    def _current(self) -> AdvisoryStore | None:
        try:
            st = self.path.stat()
        except OSError:
            self._close()
            return None
        if self.store is None or self.stamp is None or self.stamp[:2] != (st.st_dev, st.st_ino):
            self._close()
            try:
                self.store = AdvisoryStore.open(self.path)
            except SbomkitError:
                return None
            self.stamp = (st.st_dev, st.st_ino, -1)
        version = self.store.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self.stamp[2] or len(self.findings) > _CACHED_COMPONENTS:
            self.findings.clear()
            self.published.clear()
            self.stamp = (*self.stamp[:2], version)
        return self.store

    def _learn(self, store: AdvisoryStore, components: Sequence[Component]) -> None:
        per_ref: dict[str, list[Finding]] = {}
        for f in Matcher(store).match(components):
            per_ref.setdefault(f.component.ref, []).append(f)
        for c in components:
            lookup = lookup_for(c)
            query = lookup.query if lookup is not None else ""
            self.findings[_key(c)] = (query, tuple(per_ref.get(c.ref, ())))

    def _published(self, store: AdvisoryStore, findings: list[Finding]) -> dict[str, dt.datetime]:
        ids = {a for f in findings for a in f.advisory_ids}
        missing = ids.difference(self.published)
        if missing:
            known = published_dates(store, missing)
            self.published.update((a, known.get(a)) for a in missing)
        return {a: t for a in sorted(ids) if (t := self.published[a]) is not None}

    def _close(self) -> None:
        if self.store is not None:
            self.store.close()
        self.store, self.stamp = None, None
        self.findings.clear()
        self.published.clear()


_STORES: dict[Path, _Advisories] = {}
_STORES_LOCK = threading.Lock()


def _advisories(path: Path) -> _Advisories:
    where = path.resolve()
    with _STORES_LOCK:
        found = _STORES.pop(where, None) or _Advisories(where)
        _STORES[where] = found  # most recently used last
        while len(_STORES) > _OPEN_STORES:
            oldest = _STORES.pop(next(iter(_STORES)))
            with oldest.lock:
                oldest._close()
        return found


def _key(c: Component) -> _Key:
    return (c.ref, c.purl is None, c.ecosystem, c.name, c.version)


def _match_uncached(store: AdvisoryStore, components: Sequence[Component]) -> Matched:
    findings = Matcher(store).match(components)
    ids = {a for f in findings for a in f.advisory_ids}
    return Matched(findings, published_dates(store, ids))


def store_upload(
    session: Session,
    project: Project,
    upload: Upload,
    matched: Matched,
    uploader: str,
    filename: str | None,
) -> Document:
    now = dt.datetime.now(dt.UTC)
    doc = Document(
        project_id=project.id,
        format=upload.fmt,
        spec=upload.spec,
        sha256=upload.sha256,
        size=len(upload.data),
        content=upload.data,
        filename=filename,
        uploaded_at=now,
        uploader=uploader,
    )
    session.add(doc)
    session.execute(delete(ComponentRow).where(ComponentRow.project_id == project.id))
    session.execute(delete(Edge).where(Edge.project_id == project.id))
    inv = upload.inventory
    rows = [component_row(project.id, c) for c in _unique(inv.components)]
    insert_rows(session, ComponentRow, rows)
    edges = [
        {"project_id": project.id, "source": d.source, "target": d.target, "kind": d.kind}
        for d in inv.dependencies
    ]
    insert_rows(session, Edge, edges)
    changes = reconcile(session, {project.id: Plan(matched.findings)}, now, matched.published)
    states = apply_triage(session, project_ids=[project.id], now=now)
    if events.enqueue(session, events.events_for(session, changes, states, now=now), now):
        jobs.enqueue(session, "deliver", unique=True)
    project.components_count = len(rows)
    project.updated_at = now
    session.add(
        AuditEntry(
            at=now,
            actor=uploader,
            action="sbom.upload",
            target=f"project:{project.id}",
            detail=json.dumps(
                {"sha256": upload.sha256, "format": upload.fmt, "components": len(rows)}
            ),
        )
    )
    session.flush()
    return doc


def insert_rows(session: Session, table: type[Base], rows: list[dict[str, object]]) -> None:
    """Many rows of one table. PostgreSQL gets them by COPY, in the same transaction: an
    INSERT of 200 rows is a long SQL text that SQLAlchemy builds and psycopg parses each
    time, which cost more than the database's own work."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    sql = f"COPY {table.__tablename__} ({', '.join(columns)}) FROM STDIN"
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    with driver.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def component_row(project_id: int, c: Component) -> dict[str, object]:
    key = osv_key(c)
    return {
        "project_id": project_id,
        "ref": c.ref,
        "ecosystem": c.ecosystem,
        "name": c.name,
        "version": c.version,
        "purl": c.purl_string,
        "type": c.type.value,
        "scope": c.scope.value,
        "direct": c.direct,
        "licenses": " AND ".join(lic.value for lic in c.licenses if not lic.concluded) or None,
        "supplier": c.supplier,
        "osv_ecosystem": key[0] if key else None,
        "osv_name": key[1] if key else None,
    }


def _unique(components: Sequence[Component]) -> list[Component]:
    seen: dict[str, Component] = {}
    for c in components:
        seen.setdefault(c.ref, c)
    return [seen[k] for k in sorted(seen)]

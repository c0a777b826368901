"""Re-analysis: when advisories change, re-match only the components they name.

The advisory store logs, per import run, the (base ecosystem, canonical name) of every
package a new, changed or withdrawn advisory names now or named before. Components carry
the same key (``osv_ecosystem``, ``osv_name``), so the affected part of the portfolio is
one indexed query; each distinct component identity is matched once, however many
project versions contain it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import Session

from sbomkit.db import ecosystems
from sbomkit.db.store import AdvisoryStore
from sbomkit.identity import IdentityError, component_from_purl
from sbomkit.match.findings import Finding
from sbomkit.match.matcher import Matcher
from sbomkit.match.osv_names import lookup_for
from sbomkit.model import Component
from sbomkit.server.monitor.lifecycle import (
    Changes,
    Plan,
    Stored,
    bulk_work,
    open_in,
    plain_rows,
    read,
    reconcile,
    stored_on,
    within,
)
from sbomkit.server.tables import AdvisorySync, ComponentRow, FindingRow

_KEYS_PER_QUERY = 500
_STREAMED = 10_000  # identity rows per fetch (a server-side cursor on PostgreSQL)
_READ_ONCE = 1000  # re-matched identities up to which their stored findings are read once
T = TypeVar("T")
_PUBLISHED_CHUNK = 500


def osv_key(c: Component) -> tuple[str, str] | None:
    """(OSV base ecosystem, canonical name) the matcher looks ``c`` up under."""
    lookup = lookup_for(c)
    if lookup is None:
        return None
    return lookup.base, ecosystems.canonical_name(lookup.base, lookup.name)


@dataclass(frozen=True, slots=True)
class Outcome:
    runs: tuple[int, ...]
    packages: int  # changed (ecosystem, name) pairs
    identities: int  # distinct components re-matched
    projects: int  # project versions whose findings were reconciled
    changes: Changes


def pending_runs(store: AdvisoryStore, after: int) -> list[int]:
    rows = store.conn.execute("SELECT id FROM import_run WHERE id > ? ORDER BY id", (after,))
    return [int(r[0]) for r in rows]


def changed_packages(store: AdvisoryStore, runs: Sequence[int]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for run in runs:
        out.update(
            (str(e), str(n))
            for e, n in store.conn.execute(
                "SELECT base_ecosystem, canonical_name FROM change_package WHERE run_id = ?", (run,)
            )
        )
    return out


def sync(session: Session, store: AdvisoryStore, now: dt.datetime) -> Outcome:
    """Catch up with every import run the portfolio has not seen yet."""
    key = str(store.path)
    cursor = session.get(AdvisorySync, key)
    after = cursor.last_run_id if cursor else 0
    runs = pending_runs(store, after)
    if not runs:
        return Outcome((), 0, 0, 0, Changes())
    packages = changed_packages(store, runs)
    # The first sync of a portfolio against a store is a full reconcile.
    outcome = reanalyze(session, store, packages if after else None, now)
    if cursor is None:
        session.add(AdvisorySync(store=key, last_run_id=runs[-1], synced_at=now))
    else:
        cursor.last_run_id, cursor.synced_at = runs[-1], now
    return Outcome(
        tuple(runs), len(packages), outcome.identities, outcome.projects, outcome.changes
    )


def reanalyze(
    session: Session,
    store: AdvisoryStore,
    packages: set[tuple[str, str]] | None,
    now: dt.datetime,
) -> Outcome:
    """Re-match the components named by ``packages`` (None: the whole portfolio).

    Each distinct component is matched once; only project versions that hold a matching
    component or an open finding on a re-matched component are touched.
    """
    with bulk_work(session):
        return _reanalyze(session, store, packages, now)


def _reanalyze(
    session: Session,
    store: AdvisoryStore,
    packages: set[tuple[str, str]] | None,
    now: dt.datetime,
) -> Outcome:
    identities = _identities(session, packages)
    found: dict[str, list[Finding]] = defaultdict(list)
    for f in Matcher(store).match(sorted(identities.values(), key=lambda c: c.ref)):
        found[f.component.ref].append(f)
    holders: dict[int, set[str]] = defaultdict(set)
    for refs in within(session, ComponentRow.ref, sorted(found)):
        query = select(ComponentRow.project_id, ComponentRow.ref).where(refs)
        for pid, ref in plain_rows(session, query):
            holders[pid].add(ref)
    touched = set(holders)
    stored: Stored | None = None
    open_query = select(FindingRow.project_id).where(FindingRow.state == "open").distinct()
    if packages is None:
        touched.update(read(session, open_query).scalars().all())
    elif len(identities) <= _READ_ONCE:
        stored = stored_on(session, identities)  # read once: for touched and to reconcile
        touched.update(open_in(stored))
    else:
        for refs in within(session, FindingRow.component_ref, sorted(identities)):
            touched.update(read(session, open_query.where(refs)).scalars().all())
    scope = None if packages is None else frozenset(identities)
    plans = {
        pid: Plan([f for ref in sorted(holders.get(pid, ())) for f in found[ref]], scope)
        for pid in touched
    }
    advisory_ids = {a for fs in found.values() for f in fs for a in f.advisory_ids}
    changes = reconcile(session, plans, now, published_dates(store, advisory_ids), stored)
    return Outcome((), len(packages or ()), len(identities), len(plans), changes)


def _identities(session: Session, packages: set[tuple[str, str]] | None) -> dict[str, Component]:
    """One component per distinct ref among those ``packages`` name (None: all)."""
    out: dict[str, Component] = {}
    for query in _identity_queries(packages):
        if packages is None:  # every component row: streamed by a server-side cursor
            query = query.execution_options(yield_per=_STREAMED)
        rows = read(session, query)
        for ref, purl, ecosystem, name, version in rows:
            if ref not in out:
                c = _component(ref, purl, ecosystem, name, version)
                if c is not None:
                    out[ref] = c
    return out


def _identity_queries(
    packages: set[tuple[str, str]] | None,
) -> Iterable[Select[str, str | None, str, str, str | None]]:
    base = select(
        ComponentRow.ref,
        ComponentRow.purl,
        ComponentRow.ecosystem,
        ComponentRow.name,
        ComponentRow.version,
    ).distinct()
    if packages is None:
        yield base.where(ComponentRow.osv_ecosystem.is_not(None))
        return
    for chunk in _chunks(sorted(packages)):
        yield base.where(tuple_(ComponentRow.osv_ecosystem, ComponentRow.osv_name).in_(chunk))


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for i in range(0, len(items), _KEYS_PER_QUERY):
        yield items[i : i + _KEYS_PER_QUERY]


def _component(
    ref: str, purl: str | None, ecosystem: str, name: str, version: str | None
) -> Component | None:
    if purl:
        try:
            return component_from_purl(purl)
        except IdentityError:
            return None
    return Component(name=name, version=version, ecosystem=ecosystem, ref=ref)


def published_dates(store: AdvisoryStore, ids: Iterable[str]) -> dict[str, dt.datetime]:
    """When each advisory was first published (for time-to-detect)."""
    wanted = sorted(ids)
    out: dict[str, dt.datetime] = {}
    for i in range(0, len(wanted), _PUBLISHED_CHUNK):
        chunk = wanted[i : i + _PUBLISHED_CHUNK]
        marks = ",".join("?" * len(chunk))
        for aid, published in store.conn.execute(
            f"SELECT id, published FROM advisory WHERE id IN ({marks})", chunk
        ):
            if published:
                try:
                    out[aid] = dt.datetime.fromisoformat(str(published).replace("Z", "+00:00"))
                except ValueError:
                    continue
    return out

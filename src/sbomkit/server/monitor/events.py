"""From finding changes to notifications: who is subscribed, what passes their filters,
what was already said. Outbox rows are written in the same transaction as the change.

One notification per event per subscriber: a new finding is keyed by project name,
component (without version) and each id of its alias group, so the same flaw is not
announced again for the next project version or under its CVE after its GHSA.

A full re-analysis can report hundreds of thousands of changes: events are made lazily,
chunk by chunk, from plain rows, and what is known already and who may see which project
is read once per batch of events, not once per event.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Row, insert, select, union
from sqlalchemy.orm import Session, aliased

from sbomkit.server.access import Permission
from sbomkit.server.monitor.lifecycle import Changes, bulk_work, read, within
from sbomkit.server.monitor.triage import StateChange, purl_base
from sbomkit.server.tables import (
    Channel,
    FindingRow,
    Grant,
    Notified,
    Outbox,
    Project,
    Subscription,
)

NEW, RESOLVED, STATE = "new_finding", "finding_resolved", "state_changed"
KINDS = (NEW, RESOLVED, STATE)
_BATCH = 5000  # events per round of enqueue
AnyRow = Row[*tuple[Any, ...]]
_Sub = tuple[Subscription, Channel]
_VIEWING = [p.value for p in Permission]  # every permission implies view


def finding_event(
    kind: str, f: FindingRow | AnyRow, p: Project | AnyRow, now: dt.datetime, **extra: Any
) -> dict[str, Any]:
    return {
        "kind": kind,
        "occurred_at": now.isoformat(),
        "project": {"id": p.id, "name": p.name, "version": p.version},
        "component": {
            "ref": f.component_ref,
            "name": f.component_name,
            "version": f.component_version,
        },
        "finding": f.id,
        "vulnerability": f.vuln_id,
        "aliases": json.loads(f.aliases),
        "severity": f.severity,
        "severity_rank": f.severity_rank,
        "score": f.score,
        "kev": f.kev,
        "fix": f.fix,
        "summary": f.summary,
        **extra,
    }


# The columns an event shows, read as plain rows: a full re-analysis may report 200k.
_FINDING = select(
    FindingRow.id,
    FindingRow.project_id,
    FindingRow.component_ref,
    FindingRow.component_name,
    FindingRow.component_version,
    FindingRow.vuln_id,
    FindingRow.aliases,
    FindingRow.severity,
    FindingRow.severity_rank,
    FindingRow.score,
    FindingRow.kev,
    FindingRow.fix,
    FindingRow.summary,
)
_PROJECT = select(Project.id, Project.name, Project.version)


def keys_for(event: dict[str, Any], now: dt.datetime) -> list[str]:
    if event["kind"] == NEW:
        base = f"new:{event['project']['name']}:{purl_base(event['component']['ref'])}"
        return [f"{base}:{a}" for a in event["aliases"]]
    if event["kind"] == RESOLVED:
        return [f"resolved:{event['finding']}:{now.isoformat()}"]
    return [f"state:{event['finding']}:{event.get('triage_history', now.isoformat())}"]


def events_for(
    session: Session,
    changes: Changes | None = None,
    states: Sequence[StateChange] = (),
    now: dt.datetime | None = None,
    actor: str | None = None,
    comment: str | None = None,
) -> Iterator[dict[str, Any]]:
    """The events of these changes, by finding id; made as they are read."""
    now = now or dt.datetime.now(dt.UTC)
    wanted: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    if changes is not None:
        for fid in changes.new:
            wanted.setdefault(fid, []).append((NEW, {}))
        for fid in changes.resolved:
            wanted.setdefault(fid, []).append((RESOLVED, {}))
    for sc in states:
        extra = {"old_state": sc.old, "new_state": sc.new, "actor": actor, "comment": comment}
        wanted.setdefault(sc.finding_id, []).append((STATE, extra))
    return _events(session, wanted, now)


def _events(
    session: Session, wanted: dict[int, list[tuple[str, dict[str, Any]]]], now: dt.datetime
) -> Iterator[dict[str, Any]]:
    projects: dict[int, AnyRow] = {}
    for ids in within(session, FindingRow.id, sorted(wanted)):
        rows = sorted(read(session, _FINDING.where(ids)).all(), key=lambda r: int(r.id))
        missing = sorted({r.project_id for r in rows}.difference(projects))
        for pids in within(session, Project.id, missing):
            projects.update((p.id, p) for p in read(session, _PROJECT.where(pids)).all())
        for f in rows:
            p = projects[f.project_id]
            for kind, extra in wanted[f.id]:
                yield finding_event(kind, f, p, now, **extra)


def enqueue(
    session: Session, events: Iterable[dict[str, Any]], now: dt.datetime | None = None
) -> int:
    """Outbox rows for every subscription an event passes; returns how many were written.

    Events are taken in order: a key written for one event silences a later event with
    that key (the same flaw in the next project version, or under another id). Without a
    subscription the events are not even made."""
    now = now or dt.datetime.now(dt.UTC)
    subs = [(s, c) for s, c in session.execute(select(Subscription, Channel).join(Channel))]
    if not subs:
        return 0
    stream = iter(events)
    said: dict[int, set[str]] = {}  # per subscription: keys notified before or just now
    visible: dict[tuple[int, int], bool] = {}
    written = 0
    with bulk_work(session):
        while batch := list(islice(stream, _BATCH)):
            written += _enqueue_batch(session, batch, subs, said, visible, now)
    session.flush()
    return written


def _enqueue_batch(
    session: Session,
    events: list[dict[str, Any]],
    subs: list[_Sub],
    said: dict[int, set[str]],
    visible: dict[tuple[int, int], bool],
    now: dt.datetime,
) -> int:
    passing = [[(sub, ch) for sub, ch in subs if _passes(sub, e)] for e in events]
    keys = [keys_for(e, now) for e in events]
    _learn_visible(
        session,
        {
            (ch.team_id, e["project"]["id"])
            for e, ps in zip(events, passing, strict=True)
            for _, ch in ps
        },
        visible,
    )
    _learn_said(session, passing, keys, said)
    notified: list[dict[str, object]] = []
    outbox: list[dict[str, object]] = []
    for event, pairs, event_keys in zip(events, passing, keys, strict=True):
        for sub, channel in pairs:
            if not visible[(channel.team_id, event["project"]["id"])]:
                continue
            known = said.setdefault(sub.id, set())
            fresh = [k for k in event_keys if k not in known]
            notified += [{"subscription_id": sub.id, "key": k} for k in fresh]
            repeated = len(fresh) < len(event_keys)
            known.update(fresh)
            if repeated:
                continue  # the same flaw under another id, or in another version: said already
            outbox.append(
                {
                    "subscription_id": sub.id,
                    "channel_id": channel.id,
                    "kind": event["kind"],
                    "payload": json.dumps(event, sort_keys=True),
                    "status": "digest" if sub.digest else "pending",
                    "next_attempt": now,
                    "created_at": now,
                }
            )
    if notified:
        session.execute(insert(Notified), notified)
    if outbox:
        session.execute(insert(Outbox), outbox)
    return len(outbox)


def _learn_visible(
    session: Session, pairs: set[tuple[int, int]], visible: dict[tuple[int, int], bool]
) -> None:
    """Whether each team may view each project (owner of it or an ancestor, or any grant
    on one, as ``access.allowed`` decides for ``view``), for the pairs not known yet.

    One walk up from the projects asked about, for every team at once: walking down from
    a team's grants would read the whole portfolio for a PSIRT that sees all of it."""
    wanted = pairs.difference(visible)
    if not wanted:
        return
    teams = sorted({team for team, _ in wanted})
    reached: set[tuple[int, int]] = set()  # (team, project asked about)
    for ids in within(session, Project.id, sorted({pid for _, pid in wanted})):
        start = select(Project.id.label("origin"), Project.id.label("id")).where(ids)
        chain = start.cte("chain", recursive=True)
        up = aliased(Project)
        chain = chain.union(
            select(chain.c.origin, up.parent_id)
            .join(up, up.id == chain.c.id)
            .where(up.parent_id.is_not(None))
        )
        owned = (
            select(Project.owner_team_id, chain.c.origin)
            .join(chain, Project.id == chain.c.id)
            .where(Project.owner_team_id.in_(teams))
        )
        granted = (
            select(Grant.team_id, chain.c.origin)
            .join(chain, Grant.project_id == chain.c.id)
            .where(Grant.team_id.in_(teams), Grant.permission.in_(_VIEWING))
        )
        reached.update((int(t), int(p)) for t, p in session.execute(union(owned, granted)))
    visible.update((pair, pair in reached) for pair in wanted)


def _learn_said(
    session: Session,
    passing: Sequence[Sequence[_Sub]],
    keys: Sequence[Sequence[str]],
    said: dict[int, set[str]],
) -> None:
    """Add to ``said`` the keys of these events that are notified already."""
    asked: dict[int, set[str]] = {}
    for pairs, event_keys in zip(passing, keys, strict=True):
        for sub, _ in pairs:
            asked.setdefault(sub.id, set()).update(event_keys)
    for sub_id, wanted in sorted(asked.items()):
        known = said.setdefault(sub_id, set())
        for ids in within(session, Notified.key, sorted(wanted.difference(known))):
            known.update(
                session.execute(
                    select(Notified.key).where(Notified.subscription_id == sub_id, ids)
                ).scalars()
            )


def _passes(sub: Subscription, event: dict[str, Any]) -> bool:
    if event["kind"] not in sub.events.split(","):
        return False
    project = event["project"]
    if sub.project_id is not None and sub.project_id != project["id"]:
        return False
    if sub.project_name is not None and sub.project_name != project["name"]:
        return False
    if event["severity_rank"] < sub.min_severity:
        return False
    return not (sub.kev_only and not event["kev"])

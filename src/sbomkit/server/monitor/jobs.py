"""The job queue: a table, claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL.

Why not a queue library: a job must be enqueued in the same transaction as the change
that causes it (an upload, a triage decision), on SQLite as on PostgreSQL; procrastinate
and friends are PostgreSQL-only and hold their own connection. The table gives retries
with backoff, visibility (``GET /api/v1/jobs``) and survival across restarts: a job whose
worker stopped heartbeating goes back to the queue.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sbomkit.server.tables import Job, Schedule

STALE = dt.timedelta(minutes=2)  # no heartbeat for this long: the worker is gone
BACKOFF = dt.timedelta(seconds=2)  # first retry delay, doubled per attempt


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    max_attempts: int = 5,
    unique: bool = False,
) -> int | None:
    """Add a job in the caller's transaction. ``unique``: not when one of this kind and
    payload is already queued (None is returned then)."""
    text = json.dumps(payload or {}, sort_keys=True)
    if unique:
        queued = session.execute(
            select(Job.id).where(Job.kind == kind, Job.payload == text, Job.status == "queued")
        ).first()
        if queued is not None:
            return None
    job = Job(kind=kind, payload=text, max_attempts=max_attempts, run_after=_now())
    session.add(job)
    session.flush()
    return job.id


def claim(session: Session, worker: str) -> Claimed | None:
    """Take the oldest ready job; concurrent workers never get the same one."""
    now = _now()
    query = (
        select(Job).where(Job.status == "queued", Job.run_after <= now).order_by(Job.id).limit(1)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job = session.execute(query).scalar_one_or_none()
    if job is None:
        return None
    job.status, job.locked_by, job.heartbeat = "running", worker, now
    job.attempts += 1
    job.started_at = now
    session.flush()
    return Claimed(job.id, job.kind, json.loads(job.payload), job.attempts, job.max_attempts)


def finish(session: Session, job_id: int, result: dict[str, Any]) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(
            status="done", finished_at=_now(), result=json.dumps(result, sort_keys=True), error=None
        )
    )


def fail(session: Session, job: Claimed, error: str) -> None:
    """Back to the queue with exponential backoff, or ``failed`` after the last attempt."""
    if job.attempts >= job.max_attempts:
        values: dict[str, Any] = {"status": "failed", "finished_at": _now(), "error": error}
    else:
        delay = BACKOFF * (2 ** (job.attempts - 1))
        values = {
            "status": "queued",
            "run_after": _now() + delay,
            "error": error,
            "locked_by": None,
        }
    session.execute(update(Job).where(Job.id == job.id).values(**values))


def beat(session: Session, job_id: int) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(heartbeat=_now()))


def requeue_stale(session: Session) -> int:
    """Jobs whose worker died (server killed or restarted) run again."""
    result = session.execute(
        update(Job)
        .where(Job.status == "running", Job.heartbeat < _now() - STALE)
        .values(status="queued", locked_by=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def due_schedules(session: Session, defaults: dict[str, int]) -> list[str]:
    """Schedules whose time has come, claimed by moving ``next_run`` on: exactly one
    process wins each tick."""
    now = _now()
    known = {s.name for s in session.execute(select(Schedule)).scalars()}
    for name, seconds in defaults.items():
        if name not in known:
            session.add(Schedule(name=name, interval_seconds=seconds, next_run=now))
    session.flush()
    won = []
    for row in session.execute(select(Schedule).where(Schedule.next_run <= now)).scalars().all():
        moved = session.execute(
            update(Schedule)
            .where(Schedule.name == row.name, Schedule.next_run == row.next_run)
            .values(next_run=now + dt.timedelta(seconds=row.interval_seconds))
        )
        if moved.rowcount:  # type: ignore[attr-defined]
            won.append(row.name)
    return won


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

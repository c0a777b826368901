"""What each job kind does. Every handler runs in one transaction (see worker.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from sbomkit.db.store import AdvisoryStore
from sbomkit.server.config import Settings
from sbomkit.server.monitor import delivery, events, jobs, metrics, triage
from sbomkit.server.monitor.reanalyze import Outcome, reanalyze, sync
from sbomkit.server.monitor.worker import Handler


def _notify(session: Session, outcome: Outcome, now: dt.datetime) -> dict[str, Any]:
    changes = outcome.changes
    touched = [*changes.new, *changes.reopened]
    states = triage.apply_triage(session, finding_ids=touched, now=now) if touched else []
    queued = events.enqueue(session, events.events_for(session, changes, now=now), now)
    if queued:
        jobs.enqueue(session, "deliver", unique=True)
    return {
        "runs": list(outcome.runs),
        "packages": outcome.packages,
        "identities": outcome.identities,
        "projects": outcome.projects,
        "new": len(changes.new),
        "resolved": len(changes.resolved),
        "reopened": len(changes.reopened),
        "changed": len(changes.changed),
        "triaged": len(states),
        "notifications": queued,
    }


def advisory_sync(session: Session, settings: Settings, payload: dict[str, Any]) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    if not settings.advisories.is_file():
        return {"skipped": f"no advisory database at {settings.advisories}"}
    with AdvisoryStore.open(settings.advisories) as store:
        return _notify(session, sync(session, store, now), now)


def reanalyze_all(session: Session, settings: Settings, payload: dict[str, Any]) -> dict[str, Any]:
    """Full reconcile: every component against the whole store (matcher changed, forced run)."""
    now = dt.datetime.now(dt.UTC)
    with AdvisoryStore.open(settings.advisories) as store:
        return _notify(session, reanalyze(session, store, None, now), now)


def advisory_update(
    session: Session, settings: Settings, payload: dict[str, Any]
) -> dict[str, Any]:
    """Download changed OSV archives into the store, then sync the portfolio."""
    from sbomkit.db.update import DEFAULT_BASE_URL, update

    with AdvisoryStore.open(settings.advisories, create=True) as store:
        result = update(store, settings.update_url or DEFAULT_BASE_URL, settings.update_ecosystems)
    report = result.report
    out = advisory_sync(session, settings, payload)
    out["downloaded"] = 0 if report is None else sum(s.records for s in report.sources)
    return out


def metrics_snapshot(
    session: Session, settings: Settings, payload: dict[str, Any]
) -> dict[str, Any]:
    day = (
        dt.date.fromisoformat(payload["day"])
        if "day" in payload
        else dt.datetime.now(dt.UTC).date()
    )
    return {"day": day.isoformat(), "projects": metrics.snapshot(session, day)}


def triage_expiry(session: Session, settings: Settings, payload: dict[str, Any]) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    expired = triage.expired_findings(session, now)
    states = triage.apply_triage(session, finding_ids=expired, now=now) if expired else []
    queued = events.enqueue(
        session, events.events_for(session, states=states, now=now, actor="expiry"), now
    )
    return {"expired": len(expired), "changed": len(states), "notifications": queued}


HANDLERS: dict[str, Handler] = {
    "advisory-sync": advisory_sync,
    "advisory-update": advisory_update,
    "reanalyze-all": reanalyze_all,
    "metrics": metrics_snapshot,
    "triage-expiry": triage_expiry,
    "deliver": delivery.deliver_due,
    "digest": delivery.bundle_digests,
}

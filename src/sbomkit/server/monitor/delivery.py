"""Delivering the outbox: each due row is sent through its channel; failures are retried
with backoff (or the receiver's Retry-After) until ``delivery_attempts``, then ``failed``.

Rows are taken with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers never send
the same row; a worker that dies mid-way leaves its rows pending (its transaction rolls
back) and they are sent again: delivery is at least once, and receivers get a stable
``X-Sbomkit-Delivery`` id to drop a repeat.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any, Literal, cast

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sbomkit.match.findings import Level
from sbomkit.server.config import Settings
from sbomkit.server.monitor import jobs
from sbomkit.server.notify import ChannelConfig, Event, MailConfig, deliver, render
from sbomkit.server.tables import Channel, Outbox

BATCH = 200
BACKOFF = dt.timedelta(seconds=30)  # first retry, doubled per attempt
MAX_BACKOFF = dt.timedelta(hours=1)


def to_event(payload: dict[str, Any]) -> Event:
    project, component = payload["project"], payload["component"]
    return Event(
        kind=payload["kind"],
        project_id=project["id"],
        project_name=project["name"],
        project_version=project["version"],
        component_ref=component["ref"],
        component_name=component["name"],
        component_version=component["version"] or "",
        vuln_id=payload["vulnerability"],
        aliases=tuple(a for a in payload["aliases"] if a != payload["vulnerability"]),
        severity=Level(payload["severity"]),
        score=payload["score"],
        kev=payload["kev"],
        fix=payload["fix"],
        summary=payload["summary"],
        old_state=payload.get("old_state"),
        new_state=payload.get("new_state"),
        changed_by=payload.get("actor"),
        comment=payload.get("comment"),
        occurred_at=dt.datetime.fromisoformat(payload["occurred_at"]),
        finding_id=payload["finding"],
    )


def channel_config(ch: Channel, settings: Settings) -> ChannelConfig:
    kind = cast(Literal["webhook", "slack", "teams", "email"], ch.kind)
    if kind != "email":
        public = not settings.private_webhooks
        return ChannelConfig(kind, url=ch.target, secret=ch.secret or "", public_only=public)
    security = cast(Literal["starttls", "tls", "none"], settings.smtp_security)
    mail = MailConfig(
        host=settings.smtp_host or "",
        sender=settings.smtp_sender,
        recipients=tuple(a.strip() for a in ch.target.split(",") if a.strip()),
        port=settings.smtp_port,
        security=security,
        username=settings.smtp_username,
        password=settings.smtp_password,
    )
    return ChannelConfig(kind, mail=mail)


def deliver_due(session: Session, settings: Settings, payload: dict[str, Any]) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    query = (
        select(Outbox)
        .where(Outbox.status == "pending", Outbox.next_attempt <= now)
        .order_by(Outbox.id)
        .limit(BATCH)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.execute(query).scalars())
    channels = {
        ch.id: ch
        for ch in session.execute(
            select(Channel).where(Channel.id.in_({r.channel_id for r in rows}))
        ).scalars()
    }
    sent = failed = retried = 0
    with httpx.Client() as client:
        for row in rows:
            ch = channels[row.channel_id]
            body = json.loads(row.payload)
            events = (
                [to_event(e) for e in body["events"]] if row.kind == "digest" else [to_event(body)]
            )
            kind = cast(Literal["webhook", "slack", "teams", "email"], ch.kind)
            rendered = render(events, kind, ch.lang, digest=row.kind == "digest")
            result = deliver(
                channel_config(ch, settings),
                rendered,
                delivery_id=f"outbox-{row.id}",
                client=client,
                lang=ch.lang,
            )
            row.attempts += 1
            if result.ok:
                row.status, row.sent_at, row.last_error = "sent", now, result.error
                sent += 1
            elif result.retryable and row.attempts < settings.delivery_attempts:
                wait = BACKOFF * (2 ** (row.attempts - 1))
                if result.retry_after is not None:
                    wait = dt.timedelta(seconds=result.retry_after)
                row.next_attempt = now + min(wait, MAX_BACKOFF)
                row.last_error = result.error
                retried += 1
            else:
                row.status, row.last_error = "failed", result.error
                failed += 1
    if len(rows) == BATCH:
        jobs.enqueue(session, "deliver")  # the rest, in the next run
    return {"sent": sent, "retry": retried, "failed": failed}


def bundle_digests(session: Session, settings: Settings, payload: dict[str, Any]) -> dict[str, Any]:
    """Each digest subscription's waiting events become one message."""
    now = dt.datetime.now(dt.UTC)
    rows = list(
        session.execute(
            select(Outbox).where(Outbox.status == "digest").order_by(Outbox.id)
        ).scalars()
    )
    by_sub: dict[tuple[int, int], list[Outbox]] = defaultdict(list)
    for row in rows:
        by_sub[(row.subscription_id, row.channel_id)].append(row)
    for (sub_id, channel_id), group in by_sub.items():
        events = [json.loads(r.payload) for r in group]
        session.add(Outbox(subscription_id=sub_id, channel_id=channel_id, kind="digest",
                           payload=json.dumps({"events": events}, sort_keys=True),
                           status="pending", next_attempt=now, created_at=now))  # fmt: skip
        session.execute(
            update(Outbox).where(Outbox.id.in_([r.id for r in group])).values(status="bundled")
        )
    if by_sub:
        jobs.enqueue(session, "deliver", unique=True)
    return {"digests": len(by_sub), "events": len(rows)}

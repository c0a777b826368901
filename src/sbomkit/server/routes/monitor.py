"""/api/v1: jobs, advisory sync, triage decisions, notification channels, metrics."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg
from sbomkit.match.vex_in import parse_vex
from sbomkit.server.access import Permission, project_filter
from sbomkit.server.accounts import audit
from sbomkit.server.deps import Caller, Config, Db, RowId
from sbomkit.server.errors import ApiError
from sbomkit.server.monitor import decisions, jobs, metrics
from sbomkit.server.monitor.events import KINDS
from sbomkit.server.monitor.triage import State, snapshot
from sbomkit.server.notify import destination
from sbomkit.server.parse import check_size
from sbomkit.server.projects import MAX_ID, get_project
from sbomkit.server.tables import (
    Channel,
    Job,
    Outbox,
    ProjectMetrics,
    Subscription,
    Team,
    Triage,
    TriageHistory,
)
from sbomkit.server.vulnreport import match_statements

router = APIRouter(prefix="/api/v1", tags=["monitoring"])
CHANNEL_KINDS = ("webhook", "slack", "teams", "email")
LEVELS = {"unknown": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def _admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise ApiError(403, Msg.SRV_FORBIDDEN, permission="admin")


def _job(j: Job) -> dict[str, Any]:
    return {
        "id": j.id,
        "kind": j.kind,
        "status": j.status,
        "attempts": j.attempts,
        "created_at": j.created_at.isoformat(),
        "started_at": j.started_at.isoformat() if j.started_at else None,
        "finished_at": j.finished_at.isoformat() if j.finished_at else None,
        "result": json.loads(j.result) if j.result else None,
        "error": j.error,
    }


@router.get("/jobs")
def list_jobs(
    s: Db,
    caller: Caller,
    status: Annotated[str | None, Query(pattern="^(queued|running|done|failed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """Background jobs, newest first (administrators)."""
    _admin(caller)
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if status:
        query = query.where(Job.status == status)
    return [_job(j) for j in s.execute(query).scalars()]


@router.get("/jobs/{job_id}")
def show_job(job_id: RowId, s: Db, caller: Caller) -> dict[str, Any]:
    _admin(caller)
    job = s.get(Job, job_id)
    if job is None:
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"job {job_id}")
    return _job(job)


@router.post("/advisories/sync", status_code=202)
def advisories_sync(s: Db, caller: Caller, full: bool = False) -> dict[str, Any]:
    """Re-analyse what the advisory store changed since the last sync (``full``: everything)."""
    _admin(caller)
    kind = "reanalyze-all" if full else "advisory-sync"
    job_id = jobs.enqueue(s, kind, unique=True)
    audit(s, caller.name, "advisories.sync", kind, {"job": job_id})
    return {"job": job_id, "kind": kind}


class TriageIn(BaseModel):
    scope: Annotated[str, Field(pattern="^(version|project|rule)$")]
    vulnerability: str = Field(min_length=1, max_length=100)
    component: str = Field(min_length=5, max_length=1000)
    state: State
    project: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    justification: str | None = None
    response: str | None = None
    comment: str | None = Field(default=None, max_length=10_000)
    tag: str | None = Field(default=None, max_length=100)
    team: str | None = None
    expires_at: dt.datetime | None = None


def _triage_out(t: Triage) -> dict[str, Any]:
    return {"id": t.id, **snapshot(t), "project": t.project_id, "project_name": t.project_name,
            "tag": t.tag, "team": t.team_id, "created_by": t.created_by,
            "updated_at": t.updated_at.isoformat()}  # fmt: skip


@router.post("/triage", status_code=201)
def create_triage(body: TriageIn, s: Db, caller: Caller) -> dict[str, Any]:
    """A decision for one project version, every version of a project, or a rule."""
    row = decisions.decide(
        s,
        caller,
        decisions.DecisionIn(
            scope=body.scope,
            vuln_id=body.vulnerability,
            component=body.component,
            state=body.state,
            project_id=body.project,
            justification=body.justification,
            response=body.response,
            comment=body.comment,
            tag=body.tag,
            team=body.team,
            expires_at=body.expires_at,
        ),
    )
    return _triage_out(row)


@router.get("/triage")
def list_triage(
    s: Db, caller: Caller, vulnerability: str | None = None, project: int | None = None
) -> list[dict[str, Any]]:
    query = select(Triage).order_by(Triage.id)
    if vulnerability:
        query = query.where(Triage.vuln_id == vulnerability)
    if project is not None:
        p = get_project(s, caller, project, Permission.VIEW)
        query = query.where((Triage.project_id == p.id) | (Triage.project_name == p.name))
    rows = s.execute(query).scalars()
    return [_triage_out(t) for t in rows if decisions.can(s, caller, t, Permission.VIEW)]


@router.get("/triage/{triage_id}/history")
def triage_history(triage_id: RowId, s: Db, caller: Caller) -> list[dict[str, Any]]:
    """Who changed the decision, when, from what to what."""
    decisions.visible(s, caller, triage_id, Permission.VIEW)
    rows = s.execute(
        select(TriageHistory).where(TriageHistory.triage_id == triage_id).order_by(TriageHistory.id)
    )
    return [
        {
            "at": h.at.isoformat(),
            "actor": h.actor,
            "old": json.loads(h.old),
            "new": json.loads(h.new),
        }
        for h in rows.scalars()
    ]


@router.delete("/triage/{triage_id}", status_code=204)
def delete_triage(triage_id: RowId, s: Db, caller: Caller) -> None:
    decisions.remove(s, caller, triage_id)


class ChannelIn(BaseModel):
    team: str
    name: str = Field(min_length=1, max_length=200)
    kind: Annotated[str, Field(pattern="^(webhook|slack|teams|email)$")]
    target: str = Field(
        min_length=3, max_length=2000, description="URL, or comma-separated e-mail addresses"
    )
    secret: str | None = Field(default=None, max_length=200, description="HMAC key (webhook)")
    lang: Annotated[str, Field(pattern="^(en|ja)$")] = "en"


def _team_of(s: Db, caller: Caller, name: str) -> Team:
    team = s.execute(select(Team).where(Team.name == name)).scalar_one_or_none()
    if team is None or (not caller.is_admin and team.id not in caller.team_ids):
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"team {name}")
    return team


def _channel(s: Db, caller: Caller, channel_id: RowId) -> Channel:
    ch = s.get(Channel, channel_id)
    if ch is None or (not caller.is_admin and ch.team_id not in caller.team_ids):
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"channel {channel_id}")
    return ch


def _channel_out(ch: Channel) -> dict[str, Any]:
    return {"id": ch.id, "team": ch.team_id, "name": ch.name, "kind": ch.kind, "target": ch.target,
            "signed": ch.secret is not None, "lang": ch.lang}  # fmt: skip


@router.post("/channels", status_code=201)
def create_channel(body: ChannelIn, s: Db, caller: Caller, settings: Config) -> dict[str, Any]:
    team = _team_of(s, caller, body.team)
    if body.kind != "email" and not body.target.startswith(("http://", "https://")):
        raise ApiError(422, Msg.SRV_BAD_REQUEST, details=["target: a http(s) URL for this kind"])
    inside = None if body.kind == "email" else destination.literal_private(body.target)
    if inside and not settings.private_webhooks:
        detail = f"target: {inside} is not a public address (SBOMKIT_SERVER_PRIVATE_WEBHOOKS)"
        raise ApiError(422, Msg.SRV_BAD_REQUEST, details=[detail])
    ch = Channel(
        team_id=team.id,
        name=body.name,
        kind=body.kind,
        target=body.target,
        secret=body.secret,
        lang=body.lang,
    )
    s.add(ch)
    s.flush()
    audit(
        s, caller.name, "channel.create", f"channel:{ch.id}", {"kind": body.kind, "team": body.team}
    )
    return _channel_out(ch)


@router.get("/channels")
def list_channels(s: Db, caller: Caller) -> list[dict[str, Any]]:
    query = select(Channel).order_by(Channel.id)
    if not caller.is_admin:
        query = query.where(Channel.team_id.in_(list(caller.team_ids)))
    return [_channel_out(ch) for ch in s.execute(query).scalars()]


@router.delete("/channels/{channel_id}", status_code=204)
def delete_channel(channel_id: RowId, s: Db, caller: Caller) -> None:
    s.delete(_channel(s, caller, channel_id))


class SubscriptionIn(BaseModel):
    project: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    project_name: str | None = Field(default=None, max_length=300)
    events: list[
        Annotated[str, Field(pattern="^(new_finding|finding_resolved|state_changed)$")]
    ] = ["new_finding"]
    min_severity: Annotated[str, Field(pattern="^(unknown|low|medium|high|critical)$")] = "unknown"
    kev_only: bool = False
    digest: bool = False


@router.post("/channels/{channel_id}/subscriptions", status_code=201)
def subscribe(channel_id: RowId, body: SubscriptionIn, s: Db, caller: Caller) -> dict[str, Any]:
    ch = _channel(s, caller, channel_id)
    if body.project is not None:
        get_project(s, caller, body.project, Permission.VIEW)
    sub = Subscription(
        channel_id=ch.id,
        project_id=body.project,
        project_name=body.project_name,
        events=",".join(sorted(set(body.events) & set(KINDS))),
        min_severity=LEVELS[body.min_severity],
        kev_only=body.kev_only,
        digest=body.digest,
    )
    s.add(sub)
    s.flush()
    return {"id": sub.id, "channel": ch.id, **body.model_dump()}


@router.get("/channels/{channel_id}/notifications")
def notifications(
    channel_id: RowId,
    s: Db,
    caller: Caller,
    status: Annotated[str | None, Query(pattern="^(pending|digest|sent|failed|bundled)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """The channel's outbox: what was sent, what waits, what failed and why."""
    ch = _channel(s, caller, channel_id)
    query = select(Outbox).where(Outbox.channel_id == ch.id).order_by(Outbox.id.desc()).limit(limit)
    if status:
        query = query.where(Outbox.status == status)
    return [
        {
            "id": o.id,
            "kind": o.kind,
            "status": o.status,
            "attempts": o.attempts,
            "created_at": o.created_at.isoformat(),
            "sent_at": o.sent_at.isoformat() if o.sent_at else None,
            "last_error": o.last_error,
            "event": json.loads(o.payload),
        }  # fmt: skip
        for o in s.execute(query).scalars()
    ]


_COUNTS = (
    "components",
    "critical",
    "high",
    "medium",
    "low",
    "unknown",
    "open",
    "resolved",
    "suppressed",
    "kev",
)


@router.get("/projects/{project_id}/metrics")
def project_metrics(
    project_id: RowId, s: Db, caller: Caller, days: Annotated[int, Query(ge=1, le=3650)] = 30
) -> dict[str, Any]:
    """Daily counts (trend) and time to detect / time to fix."""
    get_project(s, caller, project_id, Permission.VIEW)
    since = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days)
    rows = s.execute(
        select(ProjectMetrics)
        .where(ProjectMetrics.project_id == project_id, ProjectMetrics.day > since)
        .order_by(ProjectMetrics.day)
    ).scalars()
    return {
        "days": [{"day": r.day.isoformat(), **{c: getattr(r, c) for c in _COUNTS}} for r in rows],
        "response": metrics.response_times(s, project_id),
    }


@router.get("/metrics/portfolio")
def portfolio_metrics(
    s: Db, caller: Caller, days: Annotated[int, Query(ge=1, le=3650)] = 30
) -> list[dict[str, Any]]:
    """Daily sums over every project version the caller may view."""
    since = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days)
    query = (
        select(
            ProjectMetrics.day,
            func.count(),
            *(func.sum(getattr(ProjectMetrics, c)) for c in _COUNTS),
        )
        .where(ProjectMetrics.day > since)
        .where(project_filter(caller, ProjectMetrics.project_id))  # type: ignore[arg-type]
        .group_by(ProjectMetrics.day)
        .order_by(ProjectMetrics.day)
    )
    return [
        {
            "day": day.isoformat(),
            "projects": n,
            **{c: int(v or 0) for c, v in zip(_COUNTS, sums, strict=True)},
        }
        for day, n, *sums in s.execute(query)
    ]


@router.post(
    "/projects/{project_id}/vex",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def import_vex(
    project_id: RowId, request: Request, s: Db, caller: Caller, settings: Config
) -> dict[str, Any]:
    """OpenVEX, CycloneDX VEX or CSAF 2.0 VEX: each statement becomes a decision for the
    project version's findings it covers (vulnerability id or alias, component identity)."""
    data = await request.body()
    check_size(len(data), settings)

    def work() -> dict[str, Any]:
        project = get_project(s, caller, project_id, Permission.TRIAGE)
        try:
            statements = parse_vex(data, f"VEX for project {project_id}")
        except SbomkitError as e:
            raise ApiError(422, Msg.SRV_BAD_REQUEST, details=[e.render("en")]) from e
        imported = match_statements(s, project.id, statements)
        for item in imported:
            decisions.decide(
                s,
                caller,
                decisions.DecisionIn(
                    scope="version",
                    vuln_id=item.vuln_id,
                    component=item.component,
                    state=item.state,
                    project_id=project.id,
                    justification=item.justification,
                    comment=item.comment,
                ),
            )
        return {"statements": len(statements), "decisions": len(imported)}

    return await run_in_threadpool(work)

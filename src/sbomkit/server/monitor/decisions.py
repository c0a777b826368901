"""Making and changing triage decisions, with permission checks and history."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sbomkit.i18n import Msg
from sbomkit.server.access import Permission, Principal, allowed
from sbomkit.server.errors import ApiError
from sbomkit.server.monitor import events, jobs
from sbomkit.server.monitor.triage import (
    JUSTIFICATIONS,
    RESPONSES,
    State,
    StateChange,
    apply_triage,
    record_history,
    snapshot,
)
from sbomkit.server.projects import get_project
from sbomkit.server.tables import Project, Team, Triage, TriageHistory


@dataclass(frozen=True, slots=True)
class DecisionIn:
    scope: str  # version | project | rule
    vuln_id: str
    component: str
    state: State
    project_id: int | None = None
    justification: str | None = None
    response: str | None = None
    comment: str | None = None
    tag: str | None = None
    team: str | None = None
    expires_at: dt.datetime | None = None


def check(d: DecisionIn) -> None:
    problems = []
    if d.justification is not None and d.justification not in JUSTIFICATIONS:
        problems.append(
            f"justification: {d.justification!r} is not one of {', '.join(sorted(JUSTIFICATIONS))}"
        )
    if d.justification is not None and d.state is not State.NOT_AFFECTED:
        problems.append("justification: only a not_affected decision has one")
    if d.response is not None and d.response not in RESPONSES:
        problems.append(f"response: {d.response!r} is not one of {', '.join(sorted(RESPONSES))}")
    if d.scope in ("version", "project") and d.project_id is None:
        problems.append(f"project: a {d.scope} decision names its project")
    if d.scope != "rule" and (d.tag or d.team):
        problems.append("tag, team: only rules are limited by tag or team")
    if not d.component.startswith("pkg:"):
        problems.append("component: a purl (a glob for rules), e.g. pkg:maven/org.example/lib")
    if problems:
        raise ApiError(422, Msg.SRV_BAD_REQUEST, details=problems)


def decide(s: Session, caller: Principal, d: DecisionIn) -> Triage:
    """Create the decision, or update the one with the same scope, target, vulnerability
    and component; re-apply it to the findings it reaches; notify state changes."""
    check(d)
    project: Project | None = None
    team_id: int | None = None
    if d.project_id is not None:
        project = get_project(s, caller, d.project_id, Permission.TRIAGE)
    if d.team is not None:
        team = s.execute(select(Team).where(Team.name == d.team)).scalar_one_or_none()
        if team is None or (not caller.is_admin and team.id not in caller.team_ids):
            raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"team {d.team}")
        team_id = team.id
    if d.scope == "rule" and not caller.is_admin and team_id is None:
        raise ApiError(403, Msg.SRV_FORBIDDEN, permission="admin")
    key = select(Triage).where(
        Triage.scope == d.scope,
        Triage.vuln_id == d.vuln_id,
        Triage.component == d.component,
    )
    if d.scope == "version":
        key = key.where(Triage.project_id == d.project_id)
    elif d.scope == "project" and project is not None:
        team_id = project.owner_team_id
        key = key.where(Triage.project_name == project.name)
        key = key.where(Triage.team_id.is_(None) if team_id is None else Triage.team_id == team_id)
    else:
        key = key.where(Triage.tag.is_(d.tag) if d.tag is None else Triage.tag == d.tag)
        key = key.where(Triage.team_id.is_(None) if team_id is None else Triage.team_id == team_id)
    row = s.execute(key).scalar_one_or_none()
    old = snapshot(row) if row is not None else {}
    now = dt.datetime.now(dt.UTC)
    if row is None:
        row = Triage(
            scope=d.scope,
            project_id=d.project_id if d.scope == "version" else None,
            project_name=project.name if d.scope == "project" and project else None,
            vuln_id=d.vuln_id,
            component=d.component,
            tag=d.tag,
            team_id=team_id,
            state=d.state.value,
            created_by=caller.name,
            created_at=now,
        )
        s.add(row)
    row.state = d.state.value
    row.justification, row.response, row.comment = d.justification, d.response, d.comment
    row.expires_at, row.updated_at = d.expires_at, now
    s.flush()
    record_history(s, row, caller.name, old)
    reapply(s, row.vuln_id, caller.name, d.comment)
    return row


def remove(s: Session, caller: Principal, triage_id: int) -> None:
    row = visible(s, caller, triage_id, Permission.TRIAGE)
    old = snapshot(row)
    vuln = row.vuln_id
    s.delete(row)
    s.flush()
    s.add(
        TriageHistory(
            triage_id=triage_id, actor=caller.name, old=json.dumps(old, sort_keys=True), new="{}"
        )
    )
    reapply(s, vuln, caller.name, None)


def reapply(s: Session, vuln_id: str, actor: str, comment: str | None) -> list[StateChange]:
    changes = apply_triage(s, vuln_ids=[vuln_id])
    queued = events.enqueue(s, events.events_for(s, states=changes, actor=actor, comment=comment))
    if queued:
        jobs.enqueue(s, "deliver", unique=True)
    return changes


def visible(s: Session, caller: Principal, triage_id: int, permission: Permission) -> Triage:
    row = s.get(Triage, triage_id)
    if row is None or not can(s, caller, row, permission):
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"triage decision {triage_id}")
    return row


def can(s: Session, caller: Principal, row: Triage, permission: Permission) -> bool:
    if caller.is_admin:
        return True
    if row.scope == "version" and row.project_id is not None:
        project = s.get(Project, row.project_id)
        return project is not None and allowed(s, caller, project, permission)
    if row.scope == "project":
        versions = s.execute(
            select(Project).where(
                Project.name == row.project_name,
                Project.owner_team_id.is_(None)
                if row.team_id is None
                else Project.owner_team_id == row.team_id,
            )
        ).scalars()
        return any(allowed(s, caller, p, permission) for p in versions)
    return row.team_id is not None and row.team_id in caller.team_ids

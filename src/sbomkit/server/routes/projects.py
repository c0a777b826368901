"""/api/v1/projects: list and search, hierarchy, tags, grants, delete."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import and_, delete, or_, select

from sbomkit.i18n import Msg
from sbomkit.server import paging
from sbomkit.server.access import Permission, project_filter
from sbomkit.server.accounts import audit
from sbomkit.server.deps import PLAIN, Caller, Config, Db, RowId
from sbomkit.server.errors import ApiError, documented
from sbomkit.server.projects import MAX_ID, create_project, get_project, set_tags, tags_of
from sbomkit.server.tables import Grant, Project, ProjectTag, Team, aware

router = APIRouter(prefix="/api/v1/projects", tags=["projects"])


Tag = Annotated[str, Field(max_length=100, pattern=PLAIN)]


class ProjectIn(BaseModel):
    name: str = Field(min_length=1, max_length=300, pattern=PLAIN)
    version: str = Field(default="", max_length=200, pattern=PLAIN)
    parent: int | None = Field(default=None, ge=1, le=MAX_ID)
    team: str | None = None
    tags: list[Tag] = []


class ProjectOut(BaseModel):
    id: int
    name: str
    version: str
    parent: int | None
    team: str | None
    tags: list[str]
    components: int
    updated_at: dt.datetime


def project_out(p: Project, tags: list[str], team: str | None) -> ProjectOut:
    return ProjectOut(
        id=p.id,
        name=p.name,
        version=p.version,
        parent=p.parent_id,
        team=team,
        tags=tags,
        components=p.components_count,
        updated_at=aware(p.updated_at),
    )


def _outs(s: Db, projects: list[Project]) -> list[ProjectOut]:
    tags = tags_of(s, [p.id for p in projects])
    team_ids = {p.owner_team_id for p in projects if p.owner_team_id is not None}
    # .all(), not the Result: a Result has keys(), so dict() would index it.
    query = select(Team.id, Team.name).where(Team.id.in_(team_ids))
    names = dict(s.execute(query).all()) if team_ids else {}
    return [project_out(p, tags.get(p.id, []), names.get(p.owner_team_id or -1)) for p in projects]


@router.get("", response_model=paging.Page)
def list_projects(
    s: Db,
    caller: Caller,
    settings: Config,
    q: Annotated[str | None, Query(max_length=300, description="name contains")] = None,
    tag: Annotated[str | None, Query(max_length=100)] = None,
    parent: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> paging.Page:
    query = select(Project).where(
        project_filter(caller, Project.id, owner=Project.owner_team_id)  # type: ignore[arg-type]
    )
    if q:
        query = query.where(Project.name.contains(q, autoescape=True))
    if tag:
        query = query.where(
            Project.id.in_(select(ProjectTag.project_id).where(ProjectTag.tag == tag.lower()))
        )
    if parent is not None:
        query = query.where(Project.parent_id == parent)
    after = paging.decode(cursor, (str, str, int))
    if after is not None:
        name, version, pid = after
        query = query.where(
            or_(
                Project.name > name,
                and_(Project.name == name, Project.version > version),
                and_(Project.name == name, Project.version == version, Project.id > pid),
            )
        )
    rows = list(
        s.execute(
            query.order_by(Project.name, Project.version, Project.id).limit(limit + 1)
        ).scalars()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    items = [o.model_dump(mode="json") for o in _outs(s, rows)]
    last = rows[-1] if rows else None
    next_cursor = paging.encode([last.name, last.version, last.id]) if more and last else None
    return paging.Page(items=items, next_cursor=next_cursor)


@router.post("", response_model=ProjectOut, status_code=201, responses=documented(409))
def new_project(body: ProjectIn, s: Db, caller: Caller) -> ProjectOut:
    parent = (
        get_project(s, caller, body.parent, Permission.VIEW) if body.parent is not None else None
    )
    project = create_project(
        s, caller, body.name, body.version, parent=parent, team=body.team, tags=body.tags
    )
    return _outs(s, [project])[0]


@router.get("/{project_id}", response_model=ProjectOut)
def show_project(project_id: RowId, s: Db, caller: Caller) -> ProjectOut:
    return _outs(s, [get_project(s, caller, project_id, Permission.VIEW)])[0]


@router.get("/{project_id}/children", response_model=list[ProjectOut])
def children(project_id: RowId, s: Db, caller: Caller) -> list[ProjectOut]:
    get_project(s, caller, project_id, Permission.VIEW)
    rows = s.execute(
        select(Project)
        .where(Project.parent_id == project_id)
        .order_by(Project.name, Project.version)
    ).scalars()
    return _outs(s, list(rows))


class TagsIn(BaseModel):
    tags: list[Tag]


@router.put("/{project_id}/tags", response_model=ProjectOut)
def put_tags(project_id: RowId, body: TagsIn, s: Db, caller: Caller) -> ProjectOut:
    project = get_project(s, caller, project_id, Permission.ADMIN)
    set_tags(s, project, body.tags)
    audit(s, caller.name, "project.tags", f"project:{project.id}", {"tags": body.tags})
    return _outs(s, [project])[0]


@router.delete("/{project_id}", status_code=204)
def delete_project(project_id: RowId, s: Db, caller: Caller) -> None:
    project = get_project(s, caller, project_id, Permission.ADMIN)
    audit(
        s,
        caller.name,
        "project.delete",
        f"project:{project.id}",
        {"name": project.name, "version": project.version},
    )
    s.delete(project)


class GrantIn(BaseModel):
    team: str
    permission: Permission


@router.post("/{project_id}/grants", status_code=204)
def grant(project_id: RowId, body: GrantIn, s: Db, caller: Caller) -> None:
    project = get_project(s, caller, project_id, Permission.ADMIN)
    team = s.execute(select(Team).where(Team.name == body.team)).scalar_one_or_none()
    if team is None:
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"team {body.team}")
    if s.get(Grant, (team.id, project.id, body.permission.value)) is None:
        s.add(Grant(team_id=team.id, project_id=project.id, permission=body.permission.value))
    audit(
        s,
        caller.name,
        "project.grant",
        f"project:{project.id}",
        {"team": body.team, "permission": body.permission.value},
    )


@router.delete("/{project_id}/grants/{team}/{permission}", status_code=204)
def revoke(project_id: RowId, team: str, permission: Permission, s: Db, caller: Caller) -> None:
    project = get_project(s, caller, project_id, Permission.ADMIN)
    s.execute(
        delete(Grant).where(
            Grant.project_id == project.id,
            Grant.permission == permission.value,
            Grant.team_id.in_(select(Team.id).where(Team.name == team)),
        )
    )
    audit(
        s,
        caller.name,
        "project.revoke",
        f"project:{project.id}",
        {"team": team, "permission": permission.value},
    )

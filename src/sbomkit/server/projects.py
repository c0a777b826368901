"""Project versions: lookup with permission checks, creation, tags, deletion."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sbomkit.i18n import Msg
from sbomkit.server.access import Permission, Principal, require
from sbomkit.server.accounts import audit
from sbomkit.server.errors import ApiError
from sbomkit.server.tables import Project, ProjectTag, Team

# Ids are 64-bit in both databases. A larger number names no project; passed on, it would
# make the driver raise (a 500) instead of the lookup finding nothing.
MAX_ID = 2**63 - 1


def get_project(
    session: Session, principal: Principal, project_id: int, permission: Permission
) -> Project:
    project = session.get(Project, project_id) if 0 < project_id <= MAX_ID else None
    if project is None:
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"project {project_id}")
    require(session, principal, project, permission)
    return project


def find_project(session: Session, name: str, version: str) -> Project | None:
    return session.execute(
        select(Project).where(Project.name == name, Project.version == version)
    ).scalar_one_or_none()


def create_project(
    session: Session,
    principal: Principal,
    name: str,
    version: str,
    *,
    parent: Project | None = None,
    team: str | None = None,
    tags: list[str] | None = None,
) -> Project:
    """A new project version. Top-level ones belong to one of the caller's teams; a child
    needs the upload permission on its parent (and inherits the parent's team)."""
    if find_project(session, name, version) is not None:
        raise ApiError(409, Msg.SRV_CONFLICT, what=f"project {name} {version}")
    owner = owner_team(session, principal, team)
    if parent is not None:
        require(session, principal, parent, Permission.UPLOAD)
        owner = owner if team is not None else parent.owner_team_id
    elif owner is None and not principal.is_admin:
        raise ApiError(403, Msg.SRV_FORBIDDEN, permission="upload")
    project = Project(
        name=name, version=version, parent_id=parent.id if parent else None, owner_team_id=owner
    )
    session.add(project)
    session.flush()
    set_tags(session, project, tags or [])
    audit(
        session,
        principal.name,
        "project.create",
        f"project:{project.id}",
        {"name": name, "version": version},
    )
    return project


def owner_team(session: Session, principal: Principal, team: str | None) -> int | None:
    """The team a new project belongs to: the one named (the caller's own, unless admin),
    else the caller's only team."""
    if team is None:
        return next(iter(principal.team_ids)) if len(principal.team_ids) == 1 else None
    row = session.execute(select(Team).where(Team.name == team)).scalar_one_or_none()
    if row is None or (not principal.is_admin and row.id not in principal.team_ids):
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"team {team}")
    return row.id


def set_tags(session: Session, project: Project, tags: list[str]) -> None:
    session.execute(delete(ProjectTag).where(ProjectTag.project_id == project.id))
    for tag in sorted({t.strip().lower() for t in tags if t.strip()}):
        session.add(ProjectTag(project_id=project.id, tag=tag))


def tags_of(session: Session, project_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    rows = session.execute(
        select(ProjectTag.project_id, ProjectTag.tag)
        .where(ProjectTag.project_id.in_(project_ids))
        .order_by(ProjectTag.tag)
    )
    for pid, tag in rows:
        out.setdefault(pid, []).append(tag)
    return out

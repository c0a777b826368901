"""/api/v1/auth, /users, /teams, /keys."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from sbomkit.i18n import Msg
from sbomkit.server import accounts
from sbomkit.server.deps import PLAIN, Caller, Config, Db
from sbomkit.server.errors import ApiError, documented
from sbomkit.server.tables import ApiKey, Membership, Team, User, aware

router = APIRouter(prefix="/api/v1", tags=["accounts"])
# No leading space or slash, no slash (names go into URL paths), no control characters.
Name = Field(min_length=1, max_length=200, pattern=r"^[^\s/\x00-\x1f\x7f][^/\x00-\x1f\x7f]*$")


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=200, pattern=PLAIN)
    password: str = Field(min_length=1, max_length=1000)


class KeyOut(BaseModel):
    key: str
    key_id: str
    expires_at: dt.datetime | None


@router.post("/auth/login", response_model=KeyOut, responses=documented(429))
def login(body: LoginIn, s: Db, settings: Config) -> KeyOut:
    full, row = accounts.login(s, body.username, body.password, settings)
    return KeyOut(key=full, key_id=row.key_id, expires_at=_when(row.expires_at))


class UserIn(BaseModel):
    name: str = Name
    password: str | None = Field(default=None, min_length=12, max_length=1000)
    admin: bool = False
    teams: list[str] = []


class UserOut(BaseModel):
    id: int
    name: str
    admin: bool
    teams: list[str]


def _admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise ApiError(403, Msg.SRV_FORBIDDEN, permission="admin")


@router.post("/users", response_model=UserOut, status_code=201, responses=documented(409))
def create_user(body: UserIn, s: Db, caller: Caller) -> UserOut:
    _admin(caller)
    user = accounts.create_user(s, body.name, body.password, is_admin=body.admin, actor=caller.name)
    for team_name in body.teams:
        accounts.add_member(s, _team(s, team_name), user, caller.name)
    return UserOut(id=user.id, name=user.name, admin=user.is_admin, teams=sorted(body.teams))


@router.get("/users", response_model=list[UserOut])
def list_users(s: Db, caller: Caller) -> list[UserOut]:
    _admin(caller)
    teams: dict[int, list[str]] = {}
    for uid, tname in s.execute(
        select(Membership.user_id, Team.name).join(Team, Team.id == Membership.team_id)
    ):
        teams.setdefault(uid, []).append(tname)
    users = s.execute(select(User).order_by(User.name)).scalars()
    return [
        UserOut(id=u.id, name=u.name, admin=u.is_admin, teams=sorted(teams.get(u.id, [])))
        for u in users
    ]


class TeamIn(BaseModel):
    name: str = Name


class TeamOut(BaseModel):
    id: int
    name: str


@router.post("/teams", response_model=TeamOut, status_code=201, responses=documented(409))
def create_team(body: TeamIn, s: Db, caller: Caller) -> TeamOut:
    _admin(caller)
    team = accounts.create_team(s, body.name, caller.name)
    return TeamOut(id=team.id, name=team.name)


@router.get("/teams", response_model=list[TeamOut])
def list_teams(s: Db, caller: Caller) -> list[TeamOut]:
    query = select(Team).order_by(Team.name)
    if not caller.is_admin:
        query = query.where(Team.id.in_(list(caller.team_ids)))
    return [TeamOut(id=t.id, name=t.name) for t in s.execute(query).scalars()]


class MemberIn(BaseModel):
    user: str = Name


@router.post("/teams/{team}/members", status_code=204)
def add_member(team: str, body: MemberIn, s: Db, caller: Caller) -> None:
    _admin(caller)
    user = s.execute(select(User).where(User.name == body.user)).scalar_one_or_none()
    if user is None:
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"user {body.user}")
    accounts.add_member(s, _team(s, team), user, caller.name)


class KeyIn(BaseModel):
    name: str = Field(default="", max_length=200, pattern=PLAIN)
    team: str | None = None  # a team key (for CI); only an admin or a member of the team
    expires_days: int | None = Field(default=None, ge=1, le=3650)


class KeyInfo(BaseModel):
    key_id: str
    name: str
    team: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked: bool


@router.post("/keys", response_model=KeyOut, status_code=201)
def create_key(body: KeyIn, s: Db, caller: Caller) -> KeyOut:
    expires = (
        dt.datetime.now(dt.UTC) + dt.timedelta(days=body.expires_days)
        if body.expires_days
        else None
    )
    if body.team is not None:
        team = _team(s, body.team)
        if not caller.is_admin and team.id not in caller.team_ids:
            raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"team {body.team}")
        full, row = accounts.issue_key(
            s, actor=caller.name, team=team, name=body.name, expires_at=expires
        )
    else:
        user = s.get(User, caller.user_id) if caller.user_id is not None else None
        if user is None:
            raise ApiError(403, Msg.SRV_FORBIDDEN, permission="user")
        full, row = accounts.issue_key(
            s, actor=caller.name, user=user, name=body.name, expires_at=expires
        )
    return KeyOut(key=full, key_id=row.key_id, expires_at=_when(row.expires_at))


@router.get("/keys", response_model=list[KeyInfo])
def list_keys(s: Db, caller: Caller) -> list[KeyInfo]:
    query = select(ApiKey, Team.name).outerjoin(Team, Team.id == ApiKey.team_id)
    if not caller.is_admin:
        query = query.where(
            (ApiKey.user_id == caller.user_id) | ApiKey.team_id.in_(list(caller.team_ids))
        )
    return [
        KeyInfo(
            key_id=k.key_id,
            name=k.name,
            team=tname,
            created_at=aware(k.created_at),
            expires_at=_when(k.expires_at),
            revoked=k.revoked_at is not None,
        )
        for k, tname in s.execute(query.order_by(ApiKey.id))
    ]


@router.delete("/keys/{key_id}", status_code=204)
def revoke_key(key_id: str, s: Db, caller: Caller) -> None:
    row = s.execute(select(ApiKey).where(ApiKey.key_id == key_id)).scalar_one_or_none()
    mine = row is not None and (
        caller.is_admin or row.user_id == caller.user_id or row.team_id in caller.team_ids
    )
    if row is None or not mine:
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"key {key_id}")
    row.revoked_at = dt.datetime.now(dt.UTC)
    accounts.audit(s, caller.name, "key.revoke", f"key:{key_id}", {})


def _when(t: dt.datetime | None) -> dt.datetime | None:
    """Timestamps leave with their zone (SQLite reads them back without one)."""
    return aware(t) if t is not None else None


def _team(s: Db, name: str) -> Team:
    team = s.execute(select(Team).where(Team.name == name)).scalar_one_or_none()
    if team is None:
        raise ApiError(404, Msg.SRV_NOT_FOUND, what=f"team {name}")
    return team

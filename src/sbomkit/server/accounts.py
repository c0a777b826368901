"""Users, teams and API keys: creation, login with throttling, revocation."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from sbomkit.i18n import Msg
from sbomkit.server.config import Settings
from sbomkit.server.errors import ApiError
from sbomkit.server.security import check_password, hash_password, new_key
from sbomkit.server.tables import (
    ApiKey,
    AuditEntry,
    LoginFailure,
    Membership,
    Team,
    User,
    aware,
)


def create_user(
    session: Session, name: str, password: str | None, *, is_admin: bool, actor: str
) -> User:
    if session.execute(select(User.id).where(User.name == name)).first() is not None:
        raise ApiError(409, Msg.SRV_CONFLICT, what=f"user {name}")
    user = User(
        name=name, password_hash=hash_password(password) if password else None, is_admin=is_admin
    )
    session.add(user)
    session.flush()
    audit(session, actor, "user.create", f"user:{user.id}", {"name": name, "admin": is_admin})
    return user


def create_team(session: Session, name: str, actor: str) -> Team:
    if session.execute(select(Team.id).where(Team.name == name)).first() is not None:
        raise ApiError(409, Msg.SRV_CONFLICT, what=f"team {name}")
    team = Team(name=name)
    session.add(team)
    session.flush()
    audit(session, actor, "team.create", f"team:{team.id}", {"name": name})
    return team


def add_member(session: Session, team: Team, user: User, actor: str) -> None:
    if session.get(Membership, (user.id, team.id)) is None:
        session.add(Membership(user_id=user.id, team_id=team.id))
        audit(session, actor, "team.member.add", f"team:{team.id}", {"user": user.name})


def issue_key(
    session: Session,
    *,
    actor: str,
    user: User | None = None,
    team: Team | None = None,
    name: str = "",
    expires_at: dt.datetime | None = None,
) -> tuple[str, ApiKey]:
    """A new key for a user or a team; the full key is returned here and never again."""
    full, key_id, secret_hash = new_key()
    row = ApiKey(
        key_id=key_id,
        secret_hash=secret_hash,
        name=name,
        user_id=user.id if user else None,
        team_id=team.id if team else None,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    owner = f"user:{user.id}" if user else f"team:{team.id if team else '?'}"
    audit(session, actor, "key.create", owner, {"key_id": key_id, "name": name})
    return full, row


def login(session: Session, name: str, password: str, settings: Settings) -> tuple[str, ApiKey]:
    """A session key for a correct password; after too many failures the name is locked."""
    now = dt.datetime.now(dt.UTC)
    failure = session.get(LoginFailure, name)
    if failure is not None and failure.locked_until is not None:
        locked = aware(failure.locked_until)
        if locked > now:
            wait = int((locked - now).total_seconds()) + 1
            raise ApiError(429, Msg.SRV_THROTTLED, headers={"Retry-After": str(wait)}, seconds=wait)
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None or user.disabled or not check_password(password, user.password_hash):
        _failed(session, name, failure, now, settings)
        raise ApiError(401, Msg.SRV_BAD_LOGIN)
    if failure is not None:
        session.delete(failure)
    expires = now + dt.timedelta(hours=settings.session_hours)
    return issue_key(session, actor=name, user=user, name="login session", expires_at=expires)


def _failed(
    session: Session, name: str, failure: LoginFailure | None, now: dt.datetime, settings: Settings
) -> None:
    window = dt.timedelta(seconds=settings.lockout_seconds)
    if failure is None or aware(failure.first_at) + window < now:
        if failure is not None:
            session.delete(failure)
            session.flush()
        failure = LoginFailure(name=name, count=0, first_at=now)
        session.add(failure)
    failure.count += 1
    if failure.count >= settings.login_attempts:
        failure.locked_until = now + window
    audit(session, name, "login.failed", f"user:{name}", {"count": failure.count})
    # The failure must be recorded even though the request ends in an error.
    session.commit()


def audit(
    session: Session, actor: str, action: str, target: str, detail: dict[str, object]
) -> None:
    session.add(AuditEntry(actor=actor, action=action, target=target, detail=json.dumps(detail)))

"""Request plumbing: the database session and the authenticated caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from sbomkit.i18n import Msg
from sbomkit.server.access import Principal
from sbomkit.server.config import Settings
from sbomkit.server.database import Database
from sbomkit.server.errors import ApiError
from sbomkit.server.security import secret_matches, split_key
from sbomkit.server.tables import ApiKey, Membership, User, aware

_READS = frozenset(("GET", "HEAD"))  # methods that change nothing

# Text a request puts into a name, version, tag or label: no control characters (none
# belongs in a name, and PostgreSQL cannot store NUL at all).
PLAIN = r"^[^\x00-\x1f\x7f]*$"


# async: FastAPI runs a plain ``def`` dependency in its thread pool, a thread hop per
# request for reading an attribute.
async def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def settings(request: Request) -> Settings:
    s: Settings = request.app.state.settings
    return s


async def session(
    request: Request, db: Annotated[Database, Depends(database)]
) -> AsyncIterator[Session]:
    """Reads open no transaction, so making and closing their session does no I/O and
    stays on the event loop (a plain generator costs two thread hops per request). A write
    commits (or rolls back) in the thread pool."""
    if request.method in _READS:
        with db.session(read_only=True) as s:
            yield s
        return
    scope = db.session()
    s = scope.__enter__()  # makes a Session object only: no I/O
    try:
        yield s
    except BaseException as e:
        await run_in_threadpool(scope.__exit__, type(e), e, e.__traceback__)
        raise
    await run_in_threadpool(scope.__exit__, None, None, None)


# "function" scope: the commit happens before the response is sent. With FastAPI's default
# ("request") it happens after, so a client could see 201 for an upload not yet stored,
# or lost if the process dies in between.
Db = Annotated[Session, Depends(session, scope="function")]


def _presented_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


# Key, user and teams in one statement: every request authenticates, and three round trips
# were a fifth of a search's server time. Built once, so SQLAlchemy also keeps its cache key.
_KEY_HOLDER = (
    select(
        ApiKey.secret_hash,
        ApiKey.revoked_at,
        ApiKey.expires_at,
        ApiKey.team_id,
        ApiKey.user_id,
        User.name,
        User.disabled,
        User.is_admin,
        Membership.team_id.label("member_of"),
    )
    .select_from(ApiKey)
    .outerjoin(User, User.id == ApiKey.user_id)
    .outerjoin(Membership, Membership.user_id == User.id)
    .where(ApiKey.key_id == bindparam("key_id"))
)


def principal(request: Request, s: Db) -> Principal:
    key = _presented_key(request)
    parts = split_key(key) if key else None
    if parts is None:
        raise _unauthenticated()
    rows = s.connection().execute(_KEY_HOLDER, {"key_id": parts[0]}).all()
    now = dt.datetime.now(dt.UTC)
    row = rows[0] if rows else None
    if (
        row is None
        or not secret_matches(parts[1], row.secret_hash)
        or row.revoked_at is not None
        or (row.expires_at is not None and aware(row.expires_at) <= now)
    ):
        raise _unauthenticated()
    if row.team_id is not None:
        return Principal(f"team-key:{parts[0]}", None, frozenset({row.team_id}))
    if row.name is None or row.disabled:
        raise _unauthenticated()
    teams = frozenset(r.member_of for r in rows if r.member_of is not None)
    return Principal(row.name, row.user_id, teams, row.is_admin)


def _unauthenticated() -> ApiError:
    return ApiError(401, Msg.SRV_UNAUTHENTICATED, headers={"WWW-Authenticate": "Bearer"})


Caller = Annotated[Principal, Depends(principal)]
Config = Annotated[Settings, Depends(settings)]
# A row id in a URL: anything outside 64 bits is "not found" (422), never a database error.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]

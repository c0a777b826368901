"""Helpers for server tests and benchmarks: accounts, keys, generated SBOMs."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from sbomkit.formats.cyclonedx import CycloneDxJsonWriter
from sbomkit.identity import component_from_purl
from sbomkit.model import Dependency, Inventory, Metadata
from sbomkit.server import accounts
from sbomkit.server.database import Database, migrate
from sbomkit.server.tables import Team


def new_user(
    database: Database, name: str, *, admin: bool = False, teams: tuple[str, ...] = ()
) -> str:
    """A user (and its teams) made the way ``sbomkit admin create-user`` does; its API key."""
    with database.session() as s:
        user = accounts.create_user(s, name, "correct horse battery", is_admin=admin, actor="test")
        for team_name in teams:
            team = s.execute(select(Team).where(Team.name == team_name)).scalar_one_or_none()
            accounts.add_member(s, team or accounts.create_team(s, team_name, "test"), user, "test")
        key, _ = accounts.issue_key(s, actor="test", user=user)
    return key


def auth(key: str) -> dict[str, str]:
    return {"X-Api-Key": key}


def cdx(
    *purls: str, root: str = "pkg:generic/app@1.0", edges: tuple[tuple[str, str], ...] = ()
) -> bytes:
    """A CycloneDX 1.6 JSON SBOM of these components, written by sbomkit's writer."""
    components = tuple(component_from_purl(p) for p in purls)
    primary = component_from_purl(root)
    deps = tuple(Dependency(a, b) for a, b in edges) or tuple(
        Dependency(primary.ref, c.ref) for c in components
    )
    return CycloneDxJsonWriter().write(Inventory(components, deps, Metadata(primary=primary)))


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the HTTP receiver got, and the answers it gives next (then 200 OK)."""

    url: str
    requests: list[Request] = field(default_factory=list)
    answers: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)

    def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.answers.append((status, {k.replace("_", "-"): v for k, v in headers.items()}, body))


@contextmanager
def http_receiver() -> Iterator[Receiver]:
    """A real HTTP server on 127.0.0.1 recording every POST (webhook receiver)."""
    rec = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(size)
            with lock:
                headers = {k.lower(): v for k, v in self.headers.items()}
                rec.requests.append(Request(self.path, headers, body))
                status, extra, reply = rec.answers.pop(0) if rec.answers else (200, {}, b"ok")
            self.send_response(status)
            for k, v in extra.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/hook/secret-path"
    yield rec
    server.shutdown()
    server.server_close()
    thread.join()


PG_ADMIN = os.environ.get("SBOMKIT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def fresh_postgres(name: str) -> Iterator[Database]:
    """A new, empty PostgreSQL database on the machine's server, dropped afterwards;
    the test fails (never skips) when PostgreSQL is not reachable."""
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True)
    except psycopg.OperationalError as e:
        pytest.fail(f"PostgreSQL at {PG_ADMIN} is required (.ci/run starts it): {e}")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    db = Database(PG_ADMIN.rsplit("/", 1)[0] + "/" + name, pool_size=4)
    try:
        yield db
    finally:
        db.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def backend(kind: str, name: str, folder: Path) -> Iterator[Database]:
    """A migrated, empty database: a SQLite file in ``folder`` or a fresh PostgreSQL one."""
    if kind == "sqlite":
        db = Database(str(folder / f"{name}.db"))
        migrate(db.engine)
        try:
            yield db
        finally:
            db.dispose()
        return
    with fresh_postgres(name) as db:
        migrate(db.engine)
        yield db

"""Crash safety: SIGKILL the server in the middle of storing an upload, start it again.

``sbomkit serve`` runs as a real process (uvicorn on loopback) over a fresh PostgreSQL
database and over a SQLite file. A 20,000-component SBOM is sent in full; once the server
is writing its component rows (PostgreSQL: the connection has a transaction id and is
copying components or edges; SQLite: the write-ahead log has grown past the document by
megabytes), the server's process group gets SIGKILL. The client must have had no
response, so the transaction cannot have committed. After a restart the server is
healthy, nothing of that upload exists (no project version, document, component, edge or
finding), and an upload works.
"""

from __future__ import annotations

import json
import os
import select as io_select
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from pathlib import Path

import httpx
import psycopg
import pytest
from serverkit import PG_ADMIN, auth, cdx, fresh_postgres, new_user
from sqlalchemy import func, select

from sbomkit.server.database import Database, head_revision, migrate
from sbomkit.server.tables import ComponentRow, Document, Edge, FindingRow, Project

COMPONENTS = 20_000
SBOMKIT = Path(sys.executable).with_name("sbomkit")
STARTUP_S = 60  # bounds, not measurements: the machine may be busy
WRITE_S = 120


def big_sbom() -> bytes:
    """A CycloneDX 1.6 document of COMPONENTS libraries (json.dumps: the writer is slower)."""
    components = [
        {
            "type": "library",
            "bom-ref": f"pkg:pypi/crash-pkg-{i:05d}@1.{i % 7}.0",
            "name": f"crash-pkg-{i:05d}",
            "version": f"1.{i % 7}.0",
            "purl": f"pkg:pypi/crash-pkg-{i:05d}@1.{i % 7}.0",
        }
        for i in range(COMPONENTS)
    ]
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"component": {"type": "application", "name": "crash", "bom-ref": "root"}},
        "components": components,
        "dependencies": [{"ref": "root", "dependsOn": [c["bom-ref"] for c in components]}],
    }
    return json.dumps(doc).encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """``sbomkit serve`` in its own process group, so SIGKILL reaches every process."""

    def __init__(self, database: str, advisories: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [str(SBOMKIT), "serve", "--database", database, "--db", str(advisories)]
        args += ["--port", str(self.port), "--max-upload-mb", "20", "--max-components", "25000"]
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + STARTUP_S
        while not self._healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"sbomkit serve did not start:\n{log.read_text()}")
            time.sleep(0.1)

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@contextmanager
def running(database: str, advisories: Path, log: Path) -> Iterator[Server]:
    server = Server(database, advisories, log)
    try:
        yield server
    finally:
        server.kill(signal.SIGTERM)


def _send_without_reading(server: Server, key: str, body: bytes) -> socket.socket:
    """The whole upload, written to the socket; the response is left unread."""
    head = (
        "POST /api/v1/sbom?name=crash&version=1.0&autoCreate=true HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\nX-Api-Key: {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(head + body)
    return sock


def _answer(sock: socket.socket) -> bytes:
    """What the server sent before it died: nothing, when the kill beat the commit."""
    sock.settimeout(15)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    sock.close()
    return data


def _wait_for(writing: Callable[[], bool], server: Server, sock: socket.socket) -> None:
    deadline = time.monotonic() + WRITE_S
    while not writing():
        if io_select.select([sock], [], [], 0)[0]:
            pytest.fail("the server answered before it was seen writing; make the upload bigger")
        if server.proc.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"the server never started writing the upload:\n{server.log.read_text()}")
        time.sleep(0.005)


@contextmanager
def _postgres_writer(dbname: str, body: bytes) -> Iterator[Callable[[], bool]]:
    """True once the upload's transaction is writing components or edges (COPY by the
    current ingest; INSERT would do too): its rows exist, uncommitted."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:

        def writing() -> bool:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                " AND backend_xid IS NOT NULL AND query ~* %s",
                (dbname, r"^\s*(copy|insert into)\s+(components|edges)\M"),
            ).fetchone()
            return row is not None and row[0] > 0

        yield writing


@contextmanager
def _sqlite_writer(path: Path, body: bytes) -> Iterator[Callable[[], bool]]:
    """True once the write-ahead log has grown past the stored document by 3 MB: the
    transaction's component rows are spilling into it (a whole upload adds ~10 MB and
    only the last ~2 MB, the page cache, are written at COMMIT)."""
    wal = path.with_name(path.name + "-wal")
    start = wal.stat().st_size if wal.exists() else 0

    def writing() -> bool:
        return wal.exists() and wal.stat().st_size > start + len(body) + 3_000_000

    yield writing


def _leftovers(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {
            "projects": s.execute(select(func.count()).select_from(Project)).scalar_one(),
            "documents": s.execute(select(func.count()).select_from(Document)).scalar_one(),
            "components": s.execute(select(func.count()).select_from(ComponentRow)).scalar_one(),
            "edges": s.execute(select(func.count()).select_from(Edge)).scalar_one(),
            "findings": s.execute(select(func.count()).select_from(FindingRow)).scalar_one(),
        }


def _crash_and_recover(
    url: str,
    db: Database,
    writer: Callable[[bytes], AbstractContextManager[Callable[[], bool]]],
    advisories: Path,
    log: Path,
) -> None:
    migrate(db.engine)
    key = new_user(db, "ci", teams=("ops",))
    body = big_sbom()
    server = Server(url, advisories, log)
    try:
        sock = _send_without_reading(server, key, body)
        with writer(body) as writing:
            _wait_for(writing, server, sock)
        os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=15)
    finally:
        server.kill()
    answer = _answer(sock)
    assert answer == b"", f"the upload finished before the kill; make it bigger: {answer[:200]!r}"

    with running(url, advisories, log) as server:
        health = httpx.get(f"{server.url}/api/v1/health", timeout=10).json()
        assert (health["status"], health["schema"]) == ("ok", head_revision())
        assert _leftovers(db) == dict.fromkeys(
            ("projects", "documents", "components", "edges", "findings"), 0
        )
        r = httpx.post(
            f"{server.url}/api/v1/sbom",
            params={"name": "after", "version": "1.0", "autoCreate": "true"},
            content=cdx("pkg:pypi/pyyaml@5.3.1", "pkg:pypi/requests@2.32.3"),
            headers=auth(key),
            timeout=60,
        )
        assert r.status_code == 201, r.text
        listed = httpx.get(f"{server.url}/api/v1/projects", headers=auth(key), timeout=10).json()
        assert [(p["name"], p["components"]) for p in listed["items"]] == [("after", 2)]


def test_sigkill_during_upload_on_postgresql(advisories: Path, tmp_path: Path) -> None:
    name = f"sbomkit_crash_{os.getpid()}"
    with fresh_postgres(name) as db:
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        writer = partial(_postgres_writer, name)
        _crash_and_recover(url, db, writer, advisories, tmp_path / "log")


def test_sigkill_during_upload_on_sqlite(advisories: Path, tmp_path: Path) -> None:
    path = tmp_path / "portfolio.db"
    db = Database(str(path))
    try:
        _crash_and_recover(
            str(path), db, lambda body: _sqlite_writer(path, body), advisories, tmp_path / "log"
        )
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.dispose()

"""Server fixtures: every test runs on SQLite and on the real PostgreSQL of this machine.

PostgreSQL: one database per test session, migrated from empty (so migrations are tested
each run), its tables emptied before each test. SQLite: a migrated file copied per test.
The advisory store holds our own log4j-core record plus real OSV/GHSA records.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from serverkit import fresh_postgres
from sqlalchemy import text
from testkit import TESTDATA, shared_data

from sbomkit.db.importer import import_sources
from sbomkit.db.kev import import_kev
from sbomkit.db.sources import spec_for_path
from sbomkit.db.store import AdvisoryStore
from sbomkit.server.app import create_app
from sbomkit.server.config import Settings
from sbomkit.server.database import Database, migrate
from sbomkit.server.tables import Base

DATA = TESTDATA / "server"
REAL = (
    ("osv", "PyPI.zip", "PYSEC-2021-142"),  # pyyaml CVE-2020-14343, versions list
    ("osv-harvested", "Maven.zip", "GHSA-2qrg-x229-3v8q"),  # log4j:log4j CVE-2019-17571
)


@pytest.fixture(scope="session")
def advisories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("advisories")
    real = dest / "real.zip"
    with zipfile.ZipFile(real, "w") as z:
        for folder, archive, rid in REAL:
            with zipfile.ZipFile(shared_data(folder, archive)) as src:
                z.writestr(f"{rid}.json", src.read(f"{rid}.json"))
    path = dest / "advisories.db"
    with AdvisoryStore.open(path, create=True) as store:
        report = import_sources(store, [spec_for_path(DATA / "advisories"), spec_for_path(real)])
        assert report.errors == []
        import_kev(store, DATA / "kev.json")
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[Database]:
    with fresh_postgres(f"sbomkit_test_{os.getpid()}") as db:
        migrate(db.engine)
        yield db


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    db = Database(str(path))
    migrate(db.engine)
    db.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        path = tmp_path / "portfolio.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        db = Database(str(path))
        yield db
        db.dispose()
        return
    db = request.getfixturevalue("pg_database")
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    yield db


@pytest.fixture
def settings(database: Database, advisories: Path) -> Settings:
    # The worker is driven by the tests (Worker.run_pending), not by a thread.
    return Settings(
        database=database.url,
        advisories=advisories,
        max_upload_bytes=2_000_000,
        max_components=500,
        worker=False,
        private_webhooks=True,  # the test receivers listen on 127.0.0.1
    )


@pytest.fixture
def client(settings: Settings, database: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, database)) as c:
        yield c

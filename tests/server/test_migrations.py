"""Migrations build, from an empty database, exactly the schema the models declare."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from sbomkit.server.database import Database, current_revision, head_revision, migrate
from sbomkit.server.tables import Base


def _diff(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


def test_empty_sqlite_file_migrates_to_the_models(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "new.db"))
    assert current_revision(db.engine) is None
    migrate(db.engine)
    assert current_revision(db.engine) == head_revision() == "0002"
    assert _diff(db) == []
    migrate(db.engine)  # idempotent
    assert current_revision(db.engine) == "0002"
    db.dispose()


def test_postgresql_database_from_empty_matches_the_models(pg_database: Database) -> None:
    # pg_database was created empty and migrated by the fixture.
    assert current_revision(pg_database.engine) == head_revision()
    assert _diff(pg_database) == []

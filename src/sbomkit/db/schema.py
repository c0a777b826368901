"""The database schema as plain SQL migrations, applied in order.

A migration is never edited once released; a change is a new entry at the end. A file
whose version is higher than the last one here was written by a newer sbomkit.
"""

from __future__ import annotations

import sqlite3

from sbomkit.clock import stamp
from sbomkit.db.interface import DbError
from sbomkit.i18n import Msg

_V1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL);
CREATE TABLE source (
    id INTEGER PRIMARY KEY,
    location TEXT NOT NULL UNIQUE,      -- resolved path or URL
    name TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- zip, folder, file, url, kev
    etag TEXT,
    last_modified TEXT,                 -- the server's Last-Modified header
    last_import TEXT,                   -- when its data was last written here
    last_checked TEXT,                  -- when it was last read or found unchanged
    records INTEGER NOT NULL DEFAULT 0,
    bad INTEGER NOT NULL DEFAULT 0,
    version TEXT
);
CREATE TABLE import_run (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                 -- import, update
    started_at TEXT NOT NULL,
    finished_at TEXT,
    records INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    bad INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE advisory (
    id TEXT PRIMARY KEY,
    modified TEXT NOT NULL,             -- UTC, microseconds: compares as text
    published TEXT,
    withdrawn TEXT,
    summary TEXT,
    details TEXT,
    database_specific TEXT,
    source_id INTEGER NOT NULL REFERENCES source(id),
    imported_at TEXT NOT NULL,
    record BLOB NOT NULL                -- zlib-compressed JSON of the whole record
);
CREATE TABLE advisory_alias (
    advisory_id TEXT NOT NULL,
    alias TEXT NOT NULL,
    PRIMARY KEY (advisory_id, alias)
) WITHOUT ROWID;
CREATE INDEX advisory_alias_by_alias ON advisory_alias (alias, advisory_id);
CREATE TABLE advisory_severity (
    advisory_id TEXT NOT NULL,
    type TEXT NOT NULL,
    score TEXT NOT NULL
);
CREATE INDEX advisory_severity_by_advisory ON advisory_severity (advisory_id);
CREATE TABLE advisory_reference (
    advisory_id TEXT NOT NULL,
    type TEXT,
    url TEXT NOT NULL
);
CREATE INDEX advisory_reference_by_advisory ON advisory_reference (advisory_id);
CREATE TABLE affected (
    advisory_id TEXT NOT NULL,
    idx INTEGER NOT NULL,               -- position in affected[]
    ecosystem TEXT,                     -- as given: "Debian:12"
    base_ecosystem TEXT,                -- "Debian"
    name TEXT,
    canonical_name TEXT,                -- PEP 503 for PyPI, lower case for npm, ...
    purl TEXT,
    ranges TEXT,                        -- compact JSON, as given
    versions TEXT,
    severity TEXT,
    database_specific TEXT,
    ecosystem_specific TEXT,
    database_severity TEXT,             -- the ecosystem's own rating, if any
    PRIMARY KEY (advisory_id, idx)
) WITHOUT ROWID;
CREATE INDEX affected_by_package ON affected (base_ecosystem, canonical_name);
-- Every import run logs what it changed; re-analysis (issue 8) reads from here.
CREATE TABLE change_log (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES import_run(id),
    advisory_id TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('new', 'changed', 'withdrawn')),
    at TEXT NOT NULL
);
CREATE INDEX change_log_by_run ON change_log (run_id);
CREATE INDEX change_log_by_advisory ON change_log (advisory_id);
-- Packages a change touches: those the record names now and those it named before.
CREATE TABLE change_package (
    run_id INTEGER NOT NULL,
    advisory_id TEXT NOT NULL,
    base_ecosystem TEXT NOT NULL,
    canonical_name TEXT NOT NULL,
    PRIMARY KEY (run_id, advisory_id, base_ecosystem, canonical_name)
) WITHOUT ROWID;
CREATE INDEX change_package_by_package ON change_package (base_ecosystem, canonical_name);
CREATE TABLE kev (
    cve_id TEXT PRIMARY KEY,
    vendor TEXT,
    product TEXT,
    vulnerability_name TEXT,
    date_added TEXT,
    due_date TEXT,
    ransomware TEXT                     -- knownRansomwareCampaignUse: Known, Unknown
) WITHOUT ROWID;
"""

MIGRATIONS: tuple[str, ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if row is None:
        return 0
    found = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    return int(found or 0)


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the file to SCHEMA_VERSION, each step in its own transaction."""
    version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise DbError(
            Msg.DB_NEWER_SCHEMA, where, f"schema {version}, this sbomkit knows {SCHEMA_VERSION}"
        )
    for number, sql in enumerate(MIGRATIONS[version:], start=version + 1):
        # executescript runs outside Python's transaction handling, so each migration
        # carries its own BEGIN/COMMIT and a failure rolls the whole step back.
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\n"
                f"INSERT INTO schema_version VALUES ({number}, '{stamp()}');\nCOMMIT;"
            )
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION

"""The benchmarks' own databases on the machine's PostgreSQL server (trust auth)."""

from __future__ import annotations

import os

import psycopg

PG_ADMIN = os.environ.get("SBOMKIT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def recreate_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

"""``make serve-demo``: a server on SQLite with the example project loaded.

Creates (or reuses) the portfolio file, an administrator with a fresh API key, uploads the
demo SBOMs as two versions of one project, catches up with the advisory store, prints
the URL and the key, then serves.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sqlalchemy import select

from sbomkit.server import accounts
from sbomkit.server.access import Principal
from sbomkit.server.config import Settings
from sbomkit.server.database import Database, migrate
from sbomkit.server.ingest import match_inventory, store_upload
from sbomkit.server.monitor.handlers import HANDLERS
from sbomkit.server.monitor.worker import Worker
from sbomkit.server.parse import parse_upload
from sbomkit.server.projects import create_project, find_project
from sbomkit.server.tables import Team, User


def load(settings: Settings, sboms: list[tuple[str, str, Path]]) -> str:
    db = Database(settings.database)
    migrate(db.engine)
    with db.session() as s:
        user = s.execute(select(User).where(User.name == "demo")).scalar_one_or_none()
        if user is None:
            user = accounts.create_user(s, "demo", None, is_admin=True, actor="demo")
        team = s.execute(select(Team).where(Team.name == "demo")).scalar_one_or_none()
        team = team or accounts.create_team(s, "demo", "demo")
        accounts.add_member(s, team, user, "demo")
        key, _ = accounts.issue_key(s, actor="demo", user=user, name="make serve-demo")
        caller = Principal("demo", user.id, frozenset({team.id}), True)
        for name, version, path in sboms:
            upload = parse_upload(path.read_bytes(), str(path), settings)
            project = find_project(s, name, version) or create_project(
                s, caller, name, version, team="demo", tags=["demo"]
            )
            store_upload(
                s,
                project,
                upload,
                match_inventory(upload.inventory, settings.advisories),
                "demo",
                path.name,
            )
    worker = Worker(db, settings, HANDLERS)
    worker.tick()
    worker.run_pending()
    db.dispose()
    return key


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sbomkit.server.demo")
    parser.add_argument("--database", required=True)
    parser.add_argument("--db", required=True, type=Path, help="advisory database")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("sbom", nargs="+", help="NAME@VERSION=FILE")
    args = parser.parse_args()
    sboms = []
    for spec in args.sbom:
        target, _, file = spec.partition("=")
        name, _, version = target.partition("@")
        sboms.append((name, version, Path(file)))
    settings = Settings(database=args.database, advisories=args.db)
    key = load(settings, sboms)
    print(f"sbomkit server: http://127.0.0.1:{args.port}/api/docs  ({dt.datetime.now():%H:%M})")
    print(f"API key (admin 'demo'): {key}")
    print(f"try: curl -H 'X-Api-Key: {key}' http://127.0.0.1:{args.port}/api/v1/findings")
    import uvicorn

    from sbomkit.server.app import create_app

    uvicorn.run(create_app(settings), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()

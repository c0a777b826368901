"""``sbomkit serve`` and ``sbomkit admin``: the portfolio server and its first accounts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as cli_settings
from sbomkit.i18n import Msg, render

database_option = click.option(
    "--database",
    envvar="SBOMKIT_SERVER_DATABASE",
    help="SQLite file or postgresql://user@host/db (default: ~/.local/share/sbomkit/portfolio.db).",
)


@click.command()
@database_option
@click.option(
    "--db",
    "advisories",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="SBOMKIT_DB",
    help="Advisory database (default: $SBOMKIT_DB, else ~/.local/share/sbomkit/advisories.db).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--max-upload-mb", type=click.IntRange(1), help="Upload size limit (default 50).")
@click.option(
    "--max-components", type=click.IntRange(1), help="Components per SBOM (default 100000)."
)
@common_options
@click.pass_context
def serve(
    ctx: click.Context,
    database: str | None,
    advisories: Path | None,
    host: str,
    port: int,
    workers: int,
    max_upload_mb: int | None,
    max_components: int | None,
) -> None:
    """Run the portfolio server (REST API under /api/v1, OpenAPI at /api/docs).

    Other settings come from SBOMKIT_SERVER_* environment variables (docs/server.md)."""
    import uvicorn

    from sbomkit.server.config import env_name, settings_from_env
    from sbomkit.server.database import Database, migrate
    from sbomkit.server.workers import SpreadWorkers, spreads

    for field, value in (
        ("database", database),
        ("advisories", advisories),
        ("max_upload_bytes", max_upload_mb * 1024 * 1024 if max_upload_mb else None),
        ("max_components", max_components),
    ):
        if value is not None:
            os.environ[env_name(field)] = str(value)
    settings = settings_from_env()  # every worker process reads the same variables
    Path(settings.database).parent.mkdir(
        parents=True, exist_ok=True
    ) if "://" not in settings.database else None
    db = Database(settings.database)
    migrate(db.engine)  # once, before any worker starts
    db.dispose()
    lang = cli_settings(ctx).lang
    click.echo(render(Msg.SRV_LISTENING, lang, url=f"http://{host}:{port}/api/docs"), err=True)
    app = "sbomkit.server.asgi:app_from_env"
    if workers > 1 and spreads(host, port):
        config = uvicorn.Config(
            app, factory=True, host=host, port=port, workers=workers, log_level="warning"
        )
        SpreadWorkers(config).run()
        return
    uvicorn.run(app, factory=True, host=host, port=port, workers=workers, log_level="warning")


@click.group()
def admin() -> None:
    """Accounts of the portfolio server: the first admin, teams, keys."""


@admin.command("create-user")
@click.argument("name")
@database_option
@click.option("--admin", "is_admin", is_flag=True, help="Server administrator.")
@click.option("--team", "teams", multiple=True, help="Team to join (created if missing).")
@click.option(
    "--password-stdin", is_flag=True, help="Read a password (for /auth/login) from stdin."
)
@common_options
@click.pass_context
def create_user(
    ctx: click.Context,
    name: str,
    database: str | None,
    is_admin: bool,
    teams: tuple[str, ...],
    password_stdin: bool,
) -> None:
    """Create a user and print an API key for it, once."""
    from sqlalchemy import select

    from sbomkit.server import accounts
    from sbomkit.server.config import Settings
    from sbomkit.server.database import Database, migrate
    from sbomkit.server.errors import ApiError
    from sbomkit.server.tables import Team

    lang = cli_settings(ctx).lang
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    url = database or Settings().database
    if "://" not in url:
        Path(url).parent.mkdir(parents=True, exist_ok=True)
    db = Database(url)
    migrate(db.engine)
    try:
        with db.session() as s:
            user = accounts.create_user(s, name, password, is_admin=is_admin, actor="cli")
            for team_name in teams:
                team = s.execute(select(Team).where(Team.name == team_name)).scalar_one_or_none()
                accounts.add_member(
                    s, team or accounts.create_team(s, team_name, "cli"), user, "cli"
                )
            key, _ = accounts.issue_key(s, actor="cli", user=user, name="created by sbomkit admin")
    except ApiError as e:
        raise click.ClickException(render(e.code, lang, None, "", **e.params)) from e
    finally:
        db.dispose()
    click.echo(render(Msg.SRV_USER_CREATED, lang, name=name), err=True)
    click.echo(render(Msg.SRV_KEY_ONCE, lang, key=key), err=True)
    click.echo(key)

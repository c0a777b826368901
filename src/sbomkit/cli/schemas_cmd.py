"""``sbomkit schemas``: install the SPDX JSON schemas ``validate`` needs (not shipped)."""

from __future__ import annotations

from pathlib import Path

import click

from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.i18n import Msg, render
from sbomkit.validate import schema_store
from sbomkit.validate.schemas import schema_dir


@click.group()
@common_options
def schemas() -> None:
    """Install and list the SPDX JSON schemas (folder: $SBOMKIT_SCHEMA_DIR)."""


@schemas.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@common_options
@click.pass_context
def import_(ctx: click.Context, source: Path) -> int:
    """Copy the official SPDX schemas found under SOURCE, recognised by their content."""
    _report(ctx, schema_store.import_dir(source, schema_dir()))
    return Exit.OK


@schemas.command()
@click.option(
    "--base-url",
    metavar="URL",
    help="A mirror with the official paths, e.g. http://mirror.example (default: official).",
)
@common_options
@click.pass_context
def update(ctx: click.Context, base_url: str | None) -> int:
    """Download the SPDX 2.2, 2.3 and 3.0.1 JSON schemas from their official locations."""
    _report(ctx, schema_store.update(schema_dir(), base_url))
    return Exit.OK


@schemas.command()
@common_options
@click.pass_context
def status(ctx: click.Context) -> int:
    """Which SPDX schemas are installed, and where."""
    lang = current_settings(ctx).lang
    folder = schema_dir()
    click.echo(str(folder))
    for entry, present in schema_store.status(folder):
        code = Msg.SCHEMA_INSTALLED if present else Msg.SCHEMA_NOT_INSTALLED
        click.echo(render(code, lang, name=f"SPDX {entry.version}", file=entry.file))
    return Exit.OK


def _report(ctx: click.Context, installed: list[schema_store.Installed]) -> None:
    settings = current_settings(ctx)
    if settings.quiet:
        return
    folder = schema_dir()
    for item in installed:
        text = render(
            Msg.SCHEMA_INSTALLED,
            settings.lang,
            name=f"SPDX {item.entry.version}",
            file=str(folder / item.entry.file),
        )
        click.echo(f"{text} <- {item.source}")

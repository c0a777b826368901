"""``sbomkit diff OLD NEW``: added, removed, up- and downgraded components, changed facts."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.formats._prepare import dump_json
from sbomkit.formats.readers import read_sbom
from sbomkit.i18n import Msg, render
from sbomkit.transform.diff import Diff, diff_document, table_rows
from sbomkit.transform.diff import diff as diff_inventories


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--fail-on-change", is_flag=True, help="Exit 2 when anything changed.")
@common_options
@click.pass_context
def diff(ctx: click.Context, old: Path, new: Path, fmt: str, fail_on_change: bool) -> int:
    """Compare the SBOMs OLD and NEW."""
    settings = current_settings(ctx)
    result = diff_inventories(read_sbom(old), read_sbom(new))
    if fmt == "json":
        sys.stdout.buffer.write(dump_json(diff_document(result, str(old), str(new))))
        sys.stdout.flush()
    else:
        print_table(result, settings.lang, str(old), str(new))
    return Exit.FINDINGS if fail_on_change and not result.empty else Exit.OK


def print_table(result: Diff, lang: str, old: str, new: str) -> None:
    console = Console(soft_wrap=True, highlight=False)
    if result.empty:
        console.print(render(Msg.DIFF_NONE, lang), markup=False)
        return
    table = Table(title=render(Msg.DIFF_TITLE, lang, old=old, new=new))
    for col in (Msg.COL_CHANGE, Msg.COL_COMPONENT, Msg.COL_OLD, Msg.COL_NEW):
        table.add_column(render(col, lang), overflow="fold")
    for row in table_rows(result, lang):
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
    console.print(render(Msg.DIFF_SUMMARY, lang, None, "", **result.summary()), markup=False)

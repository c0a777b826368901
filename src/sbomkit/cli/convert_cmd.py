"""``sbomkit convert IN -o OUT --format FMT``: rewrite an SBOM in another format, saying
what the target cannot express (the loss report) instead of dropping it silently."""

from __future__ import annotations

from pathlib import Path

import click
import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.cli.output import sbom_output_options, write_output
from sbomkit.formats.readers import read_sbom
from sbomkit.formats.registry import get_writer
from sbomkit.i18n import Msg, render
from sbomkit.report.summary import print_diagnostics
from sbomkit.transform.loss import Loss, capabilities, find_losses, loss_document, loss_rows


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@sbom_output_options
@click.option("--spec-version", help="Version of the output format (default: the newest).")
@click.option(
    "--loss-report", type=click.Path(path_type=Path), help="Also save the loss report as JSON."
)
@click.option("--fail-on-loss", is_flag=True, help="Exit 2 when anything cannot be expressed.")
@common_options
@click.pass_context
def convert(
    ctx: click.Context,
    source: Path,
    output: Path | None,
    fmt: str,
    spec_version: str | None,
    loss_report: Path | None,
    fail_on_loss: bool,
) -> int:
    """Read the SBOM SOURCE (CycloneDX or SPDX) and write it in another format."""
    settings = current_settings(ctx)
    writer = get_writer(fmt, spec_version)
    caps = capabilities(writer.name, writer.spec)
    inventory = read_sbom(source)
    losses = find_losses(inventory, caps)
    write_output(output, writer.write(inventory))
    if loss_report is not None:
        doc = loss_document(writer.name, writer.spec, losses)
        write_output(loss_report, orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n")
    if not settings.quiet:
        print_losses(losses, settings.lang, writer.name, writer.spec)
    print_diagnostics(inventory.diagnostics, settings.lang, settings.quiet)
    return Exit.FINDINGS if fail_on_loss and losses else Exit.OK


def print_losses(losses: list[Loss], lang: str, fmt: str, spec: str) -> None:
    console = Console(stderr=True, soft_wrap=True, highlight=False)
    if not losses:
        console.print(render(Msg.LOSS_NONE, lang, fmt=fmt, spec=spec), markup=False)
        return
    table = Table(title=render(Msg.LOSS_TITLE, lang, fmt=fmt, spec=spec))
    for col in (Msg.COL_WHAT, Msg.COL_HOW, Msg.COL_COUNT, Msg.COL_EXAMPLES):
        table.add_column(
            render(col, lang), justify="right" if col is Msg.COL_COUNT else "left", overflow="fold"
        )
    for row in loss_rows(losses, lang):
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)

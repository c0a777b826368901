"""``sbomkit sbom PATH``: catalog a directory or file and write an SBOM."""

from __future__ import annotations

from pathlib import Path

import click

from sbomkit.catalog.build import build_inventory
from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.cli.output import sbom_output_options, write_output
from sbomkit.formats.registry import CYCLONEDX_SPECS, get_writer
from sbomkit.report.progress import progress_display
from sbomkit.report.summary import print_diagnostics, print_summary


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@sbom_output_options
@click.option(
    "--spec-version", type=click.Choice(CYCLONEDX_SPECS), help="CycloneDX version (default 1.6)."
)
@click.option(
    "--exclude", multiple=True, metavar="GLOB", help="Skip paths matching GLOB (repeatable)."
)
@click.option(
    "--include-dev/--no-dev", default=True, show_default=True, help="Keep dev-only dependencies."
)
@common_options
@click.pass_context
def sbom(
    ctx: click.Context,
    path: Path,
    output: Path | None,
    fmt: str,
    spec_version: str | None,
    exclude: tuple[str, ...],
    include_dev: bool,
) -> int:
    """Find every component under PATH and write an SBOM."""
    settings = current_settings(ctx)
    writer = get_writer(fmt, spec_version)
    with progress_display(settings, path) as tick:
        inventory = build_inventory(path, exclude, include_dev, progress=tick)
    write_output(output, writer.write(inventory))
    if not settings.quiet:
        print_summary(inventory, settings.lang, output, fmt)
    print_diagnostics(inventory.diagnostics, settings.lang, settings.quiet)
    return Exit.OK

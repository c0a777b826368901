"""``sbomkit sbom PATH``: catalog a directory or file and write an SBOM."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sbomkit.catalog.build import build_inventory
from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.formats.registry import CYCLONEDX_SPECS, WRITERS, get_writer
from sbomkit.report.progress import progress_display
from sbomkit.report.summary import print_diagnostics, print_summary


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here (default: stdout)."
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(sorted(WRITERS)),
    default="cyclonedx-json",
    show_default=True,
    help="Output format.",
)
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
    data = writer.write(inventory)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _write_atomically(output, data)
    if not settings.quiet:
        print_summary(inventory, settings.lang, output, fmt)
    print_diagnostics(inventory.diagnostics, settings.lang, settings.quiet)
    return Exit.OK


def _write_atomically(path: Path, data: bytes) -> None:
    """Never leave a half-written SBOM behind."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)

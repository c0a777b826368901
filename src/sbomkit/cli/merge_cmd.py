"""``sbomkit merge A B ... --root NAME@VERSION``: supplier SBOMs into one product SBOM."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.cli.output import sbom_output_options, write_output
from sbomkit.errors import UsageError
from sbomkit.formats.readers import read_sbom
from sbomkit.formats.registry import get_writer
from sbomkit.i18n import Msg, render
from sbomkit.report.summary import print_diagnostics
from sbomkit.transform.merge import Input, root_component
from sbomkit.transform.merge import merge as merge_inventories


@click.command("merge")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--root", required=True, metavar="NAME@VERSION", help="The product they make up.")
@sbom_output_options
@click.option("--spec-version", help="Version of the output format (default: the newest).")
@common_options
@click.pass_context
def merge(
    ctx: click.Context,
    inputs: tuple[Path, ...],
    root: str,
    output: Path | None,
    fmt: str,
    spec_version: str | None,
) -> int:
    """Merge the SBOMs INPUTS into one, under a new root component NAME@VERSION."""
    settings = current_settings(ctx)
    name, at, version = root.rpartition("@")
    if not (at and name and version):
        raise UsageError(Msg.BAD_OPTION, detail=f"--root wants NAME@VERSION, got {root!r}")
    writer = get_writer(fmt, spec_version)
    read = [Input(read_sbom(path), str(path)) for path in inputs]
    merged = merge_inventories(read, root_component(name, version))
    write_output(output, writer.write(merged))
    if not settings.quiet:
        text = render(
            Msg.MERGED, settings.lang, inputs=len(read), components=len(merged.components)
        )
        Console(stderr=True, highlight=False).print(text, markup=False)
    print_diagnostics(merged.diagnostics, settings.lang, settings.quiet)
    return Exit.OK

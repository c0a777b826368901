"""``sbomkit validate FILE...``: check SBOMs against the official schema of their version."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.validate import ValidationResult, validate_file
from sbomkit.validate.render import error_line, json_report, summary_line, text_lines


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@common_options
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], out_format: str) -> int:
    """Validate each FILE against the CycloneDX or SPDX schema of its declared version.

    Exit 0 when all are valid, 2 when any is invalid, 1 when any cannot be read.
    """
    settings = current_settings(ctx)
    results = [validate_file(path) for path in files]
    if out_format == "json":
        sys.stdout.buffer.write(json_report(results, settings.lang) + b"\n")
        sys.stdout.flush()
        return exit_code(results)
    for result in results:
        if result.error is not None:
            click.echo(error_line(result, settings.lang), err=True)
        for line in text_lines(result, settings.lang, settings.quiet):
            click.echo(line)
    if not settings.quiet and len(results) > 1:
        click.echo(summary_line(results, settings.lang))
    return exit_code(results)


def exit_code(results: Sequence[ValidationResult]) -> Exit:
    if any(r.error is not None for r in results):
        return Exit.ERROR
    return Exit.OK if all(r.valid for r in results) else Exit.FINDINGS

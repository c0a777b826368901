"""What every SBOM-writing command shares: ``-o``/``--format`` and writing without leaving
a half-written file behind."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from sbomkit.formats.registry import WRITERS

F = TypeVar("F", bound=Callable[..., object])


def sbom_output_options(func: F) -> F:
    """``-o/--output FILE`` (default stdout) and ``-f/--format`` (a writer name)."""
    func = click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(sorted(WRITERS)),
        default="cyclonedx-json",
        show_default=True,
        help="Output format.",
    )(func)
    return click.option(
        "-o", "--output", type=click.Path(path_type=Path), help="Write here (default: stdout)."
    )(func)


def write_output(path: Path | None, data: bytes) -> None:
    """stdout, or the file replaced in one step so no half-written SBOM is left behind."""
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)

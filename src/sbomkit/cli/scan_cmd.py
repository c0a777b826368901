"""``sbomkit scan`` and ``sbomkit explain``: match components against advisories. Wiring only."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.clock import now
from sbomkit.db.store import AdvisoryStore
from sbomkit.errors import UsageError
from sbomkit.formats._safe import max_bytes
from sbomkit.formats.interface import FormatError
from sbomkit.formats.readers import detect, get_reader, read_sbom
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, component_from_purl
from sbomkit.match.findings import Level, ScanResult
from sbomkit.match.ignore import IgnoreRule, load_ignore_file
from sbomkit.match.scan import scan as run_scan
from sbomkit.model import Component, Inventory
from sbomkit.scanreport.common import at_or_above
from sbomkit.scanreport.registry import FORMATS, TABLE, WRITERS

if TYPE_CHECKING:
    from sbomkit.match.vex_in import Statement

# rich (about a tenth of the startup), the VEX readers and the report writers are imported
# where they are used: a scan that writes JSON and meets no problem needs none of them.

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="SBOMKIT_DB",
    help="Advisory database (default: $SBOMKIT_DB, else ~/.local/share/sbomkit/advisories.db).",
)
LEVELS = [lv.value for lv in Level if lv is not Level.UNKNOWN]


@click.command()
@click.argument("target")
@db_option
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=TABLE, show_default=True)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here (default: stdout)."
)
@click.option(
    "--fail-on", type=click.Choice(LEVELS), help="Exit 2 when a finding at or above remains."
)
@click.option(
    "--ignore-file", type=click.Path(path_type=Path, dir_okay=False), help="TOML/YAML ignore list."
)
@click.option(
    "--vex", "vex_files", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
    help="OpenVEX, CycloneDX VEX or CSAF 2.0 VEX file (repeatable).",
)  # fmt: skip
@common_options
@click.pass_context
def scan(
    ctx: click.Context,
    target: str,
    db_path: Path | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    ignore_file: Path | None,
    vex_files: tuple[Path, ...],
) -> int:
    """Find known vulnerabilities in TARGET: a directory, an SBOM file, or - for stdin."""
    settings = current_settings(ctx)
    statements: list[Statement] = []
    if vex_files:
        from sbomkit.match.vex_in import load_vex

        statements = [s for f in vex_files for s in load_vex(f)]
    rules: list[IgnoreRule] = load_ignore_file(ignore_file) if ignore_file else []
    inventory = load_target(target)  # a directory's catalogers keep the collector on
    with _no_cyclic_gc():
        with AdvisoryStore.open(db_path) as store:
            result = run_scan(inventory, store, target, now().date(), statements, rules)
        write_result(result, fmt, output, settings.lang)
    if result.problems:
        from sbomkit.report.summary import print_diagnostics

        print_diagnostics(result.problems, settings.lang, settings.quiet)
    if settings.verbose:
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
    if fail_on and at_or_above(result, Level(fail_on)):
        return Exit.FINDINGS
    return Exit.OK


def write_result(result: ScanResult, fmt: str, output: Path | None, lang: str) -> None:
    if fmt == TABLE:
        from rich.console import Console

        from sbomkit.scanreport.table import print_table

        if output is None:
            print_table(result, lang, Console(highlight=False, soft_wrap=True))
        else:
            with output.open("w", encoding="utf-8") as fh:
                print_table(result, lang, Console(file=fh, width=120, no_color=True))
        return
    data = WRITERS[fmt](result)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """A scan makes about a million objects and no reference cycles among them. The cyclic
    collector's passes over them, during the scan and over all of them at exit, found
    nothing and cost 0.7 s of the 3.1 s CPU of the 10,000-component bench scan."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Frozen, they are left to reference counting (which frees them all) instead of
        # being examined by the next collection and by the one at interpreter exit.
        gc.freeze()
        if enabled:
            gc.enable()


def load_target(target: str) -> Inventory:
    if target == "-":
        data = sys.stdin.buffer.read(max_bytes() + 1)
        if len(data) > max_bytes():
            raise FormatError(Msg.FILE_TOO_LARGE, "<stdin>")
        return get_reader(detect(data, "<stdin>")).read(data, "<stdin>")
    path = Path(target)
    if path.is_dir():
        # Imported here: the catalogers' registry and walker are a tenth of a second
        # that scanning an SBOM file does not need.
        from sbomkit.catalog.build import build_inventory

        return build_inventory(path)
    return read_sbom(path)


@click.command()
@click.argument("component")
@click.argument("vuln")
@click.argument("target", required=False)
@db_option
@common_options
@click.pass_context
def explain(
    ctx: click.Context, component: str, vuln: str, target: str | None, db_path: Path | None
) -> int:
    """Say why COMPONENT (a purl, or name@version in TARGET) matches VULN, or why not."""
    from rich.console import Console

    from sbomkit.match.explain import explain as explain_match
    from sbomkit.scanreport.explain_text import print_explanation

    settings = current_settings(ctx)
    found = find_component(component, target)
    with AdvisoryStore.open(db_path) as store:
        result = explain_match(store, found, vuln)
    print_explanation(result, settings.lang, Console(highlight=False, soft_wrap=True))
    return Exit.OK


def find_component(text: str, target: str | None) -> Component:
    """A purl names a component by itself; name@version is looked up in TARGET."""
    if target is None:
        if not text.startswith("pkg:"):
            raise UsageError(Msg.EXPLAIN_NEEDS_PURL)
        try:
            return component_from_purl(text)
        except IdentityError as e:
            raise UsageError(Msg.BAD_OPTION, text, e.detail) from e
    inventory = load_target(target)
    name, _, version = text.rpartition("@") if "@" in text.lstrip("@") else (text, "", "")
    for c in inventory.components:
        if c.ref == text or (c.name == name and (not version or c.version == version)):
            return c
        if text.startswith("pkg:") and c.purl is not None and c.ref.split("?")[0] == text:
            return c
    raise UsageError(Msg.EXPLAIN_NOT_FOUND, target, text)

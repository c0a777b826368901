"""``sbomkit scan`` and ``sbomkit explain``: match components against advisories. Wiring only."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from sbomkit.catalog.build import build_inventory
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
from sbomkit.match.explain import explain as explain_match
from sbomkit.match.findings import Level
from sbomkit.match.ignore import IgnoreRule, load_ignore_file
from sbomkit.match.scan import scan as run_scan
from sbomkit.match.vex_in import Statement, load_vex
from sbomkit.model import Component, Inventory
from sbomkit.report.summary import print_diagnostics
from sbomkit.scanreport.common import at_or_above
from sbomkit.scanreport.explain_text import print_explanation
from sbomkit.scanreport.registry import FORMATS, TABLE, WRITERS
from sbomkit.scanreport.table import print_table

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
    statements: list[Statement] = [s for f in vex_files for s in load_vex(f)]
    rules: list[IgnoreRule] = load_ignore_file(ignore_file) if ignore_file else []
    inventory = load_target(target)
    with AdvisoryStore.open(db_path) as store:
        result = run_scan(inventory, store, target, now().date(), statements, rules)
    if fmt == TABLE:
        if output is None:
            print_table(result, settings.lang, Console(highlight=False, soft_wrap=True))
        else:
            with output.open("w", encoding="utf-8") as fh:
                print_table(result, settings.lang, Console(file=fh, width=120, no_color=True))
    else:
        data = WRITERS[fmt](result)
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            output.write_bytes(data)
    print_diagnostics(result.problems, settings.lang, settings.quiet)
    if settings.verbose:
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
    if fail_on and at_or_above(result, Level(fail_on)):
        return Exit.FINDINGS
    return Exit.OK


def load_target(target: str) -> Inventory:
    if target == "-":
        data = sys.stdin.buffer.read(max_bytes() + 1)
        if len(data) > max_bytes():
            raise FormatError(Msg.FILE_TOO_LARGE, "<stdin>")
        return get_reader(detect(data, "<stdin>")).read(data, "<stdin>")
    path = Path(target)
    if path.is_dir():
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

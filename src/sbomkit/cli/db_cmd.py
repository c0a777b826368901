"""``sbomkit db``: fill and inspect the local advisory database. Wiring only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import click
import orjson
from rich.console import Console
from rich.table import Table

from sbomkit.cli.exitcodes import Exit
from sbomkit.cli.options import Settings, common_options
from sbomkit.cli.options import settings as current_settings
from sbomkit.clock import now
from sbomkit.db.importer import import_sources
from sbomkit.db.interface import DbError, ImportReport, StoreStatus
from sbomkit.db.kev import import_kev
from sbomkit.db.sources import SourceSpec, spec_for_path
from sbomkit.db.store import AdvisoryStore
from sbomkit.db.update import DEFAULT_BASE_URL, update
from sbomkit.i18n import Msg, render
from sbomkit.model import Diagnostic

SHOWN_PROBLEMS = 10  # problems listed without --verbose

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="SBOMKIT_DB",
    help="Database file (default: $SBOMKIT_DB, else ~/.local/share/sbomkit/advisories.db).",
)


def _t(code: Msg, lang: str, **kw: object) -> str:
    return render(code, lang, None, "", **kw)


@click.group()
@common_options
def db() -> None:
    """The local vulnerability database: import, update, status."""


@db.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@common_options
@click.pass_context
def import_cmd(ctx: click.Context, paths: tuple[Path, ...], db_path: Path | None) -> int:
    """Import OSV records from all.zip archives or folders of OSV JSON."""
    settings = current_settings(ctx)
    specs: list[SourceSpec] = []
    errors: list[DbError] = []
    for path in paths:
        try:
            specs.append(spec_for_path(path))
        except DbError as e:
            errors.append(e)
    with AdvisoryStore.open(db_path, create=True) as store:
        report = import_sources(store, specs)
        _print_report(report, settings, store.path)
    return _finish([*errors, *report.errors], settings)


@db.command("update")
@click.option(
    "--ecosystem", "ecosystems", multiple=True, metavar="NAME", help="Only this (repeatable)."
)
@click.option(
    "--base-url",
    default=DEFAULT_BASE_URL,
    show_default=True,
    envvar="SBOMKIT_OSV_BASE_URL",
    help="OSV archive base URL (for mirrors).",
)
@db_option
@common_options
@click.pass_context
def update_cmd(
    ctx: click.Context, ecosystems: tuple[str, ...], base_url: str, db_path: Path | None
) -> int:
    """Download changed OSV archives and import them."""
    settings = current_settings(ctx)
    with AdvisoryStore.open(db_path, create=True) as store:
        result = update(store, base_url, ecosystems)
        if not settings.quiet:
            for url in result.not_modified:
                click.echo(_t(Msg.DB_NOT_MODIFIED, settings.lang, url=url))
        if result.report is not None:
            _print_report(result.report, settings, store.path)
    return _finish(result.errors, settings)


@db.command("status")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--max-age",
    type=click.IntRange(min=0),
    default=7,
    show_default=True,
    envvar="SBOMKIT_DB_MAX_AGE",
    help="Warn when the data is older than this many days.",
)
@db_option
@common_options
@click.pass_context
def status_cmd(ctx: click.Context, fmt: str, max_age: int, db_path: Path | None) -> int:
    """Show sources, advisories per ecosystem and the age of the data."""
    settings = current_settings(ctx)
    with AdvisoryStore.open(db_path) as store:
        status = store.status()
    age = _age_days(status.last_update)
    stale = age is None or age > max_age
    if fmt == "json":
        doc = status_document(status, age, max_age, stale)
        click.echo(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())
    else:
        _print_status(status, settings.lang)
    if status.advisories == 0:
        click.echo(f"sbomkit: {_t(Msg.DB_EMPTY, settings.lang)}", err=True)
    elif stale:
        text = _t(Msg.DB_STALE, settings.lang, days=age, limit=max_age)
        click.echo(f"sbomkit: {text}", err=True)
    return Exit.OK


@db.command("import-kev")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@db_option
@common_options
@click.pass_context
def import_kev_cmd(ctx: click.Context, file: Path, db_path: Path | None) -> int:
    """Import (replace) the CISA Known Exploited Vulnerabilities catalog."""
    settings = current_settings(ctx)
    with AdvisoryStore.open(db_path, create=True) as store:
        count, version, released, problems = import_kev(store, file)
    if not settings.quiet:
        text = _t(Msg.KEV_IMPORTED, settings.lang, count=count, version=version, released=released)
        click.echo(text)
    _print_problems(problems, settings)
    return Exit.OK


def status_document(
    status: StoreStatus, age: int | None, max_age: int, stale: bool
) -> dict[str, object]:
    return {
        "path": status.path,
        "schema_version": status.schema_version,
        "advisories": status.advisories,
        "withdrawn": status.withdrawn,
        "ecosystems": status.per_ecosystem,
        "kev_entries": status.kev_entries,
        "last_update": status.last_update,
        "age_days": age,
        "max_age_days": max_age,
        "stale": stale,
        "sources": [
            {
                "name": s.name,
                "location": s.location,
                "kind": s.kind,
                "records": s.records,
                "skipped": s.bad,
                "last_import": s.last_import,
                "last_checked": s.last_checked,
                "etag": s.etag,
                "last_modified": s.last_modified,
                "version": s.version,
            }
            for s in status.sources
        ],
    }


def _age_days(last_update: str | None) -> int | None:
    if last_update is None:
        return None
    return (now() - datetime.fromisoformat(last_update)).days


def _print_report(report: ImportReport, settings: Settings, path: Path) -> None:
    lang = settings.lang
    if not settings.quiet:
        for s in report.sources:
            click.echo(
                _t(Msg.DB_IMPORTED, lang, source=s.name, records=s.records, new=s.new,
                   changed=s.changed, withdrawn=s.withdrawn, unchanged=s.unchanged, bad=s.bad)
            )  # fmt: skip
        rate = report.records / report.seconds if report.seconds > 0 else 0.0
        click.echo(
            _t(Msg.DB_IMPORT_DONE, lang, records=report.records, seconds=f"{report.seconds:.1f}",
               rate=f"{rate:.0f}", path=path)
        )  # fmt: skip
    _print_problems([p for s in report.sources for p in s.problems], settings)


def _print_problems(problems: Sequence[Diagnostic], settings: Settings) -> None:
    """Bad records are part of the result: counted, and listed (all with --verbose)."""
    if not problems or settings.quiet:
        return
    lang = settings.lang
    click.echo(_t(Msg.WARNINGS_HEADER, lang, count=len(problems)), err=True)
    shown = problems if settings.verbose else problems[:SHOWN_PROBLEMS]
    for d in shown:
        click.echo(f"  {render(d.code, lang, where=str(d.location), detail=d.detail)}", err=True)
    if len(shown) < len(problems):
        click.echo(f"  {_t(Msg.MORE_PROBLEMS, lang, count=len(problems) - len(shown))}", err=True)


def _finish(errors: Sequence[DbError], settings: Settings) -> int:
    for e in errors:
        click.echo(f"sbomkit: {e.render(settings.lang)}", err=True)
    return Exit.ERROR if errors else Exit.OK


def _print_status(status: StoreStatus, lang: str) -> None:
    console = Console(highlight=False, soft_wrap=True)
    updated = status.last_update or _t(Msg.DB_NEVER, lang)
    console.print(
        _t(Msg.DB_STATUS_LINE, lang, path=status.path, schema=status.schema_version,
           advisories=status.advisories, withdrawn=status.withdrawn, kev=status.kev_entries,
           updated=updated),
        markup=False,
    )  # fmt: skip
    ecos = Table(title=_t(Msg.DB_ECOSYSTEMS_TITLE, lang))
    ecos.add_column(_t(Msg.COL_ECOSYSTEM, lang))
    ecos.add_column(_t(Msg.COL_ADVISORIES, lang), justify="right")
    for eco, count in status.per_ecosystem.items():
        ecos.add_row(eco, str(count))
    console.print(ecos)
    sources = Table(title=_t(Msg.DB_SOURCES_TITLE, lang))
    for col in (Msg.COL_SOURCE, Msg.COL_RECORDS, Msg.COL_SKIPPED, Msg.COL_LAST_IMPORT):
        sources.add_column(_t(col, lang), justify="left" if col is Msg.COL_SOURCE else "right")
    for s in status.sources:
        sources.add_row(s.location, str(s.records), str(s.bad), s.last_import or "")
    console.print(sources)

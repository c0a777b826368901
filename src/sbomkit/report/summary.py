"""The summary table after ``sbomkit sbom``: components per ecosystem, then warnings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click

from sbomkit.i18n import Msg, render
from sbomkit.model import Diagnostic, Inventory, Scope, Severity


def _t(code: Msg, lang: str, **kw: object) -> str:
    return render(code, lang, None, "", **kw)


def print_summary(inv: Inventory, lang: str, output: Path | None, fmt: str) -> None:
    # rich takes a tenth of a second to import: only for the table, not for every command.
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True, soft_wrap=True)
    table = Table(title=_t(Msg.SUMMARY_TITLE, lang))
    for col in (Msg.COL_ECOSYSTEM, Msg.COL_COMPONENTS, Msg.COL_DIRECT, Msg.COL_DEV, Msg.COL_FILES):
        table.add_column(_t(col, lang), justify="left" if col is Msg.COL_ECOSYSTEM else "right")
    rows = summary_rows(inv)
    for eco, (count, direct, dev, files) in sorted(rows.items()):
        table.add_row(eco, str(count), str(direct), str(dev), str(files))
    totals = [sum(r[i] for r in rows.values()) for i in range(3)]
    all_files = len({loc.path for c in inv.components for loc in c.locations})
    table.add_row(_t(Msg.TOTAL, lang), *map(str, totals), str(all_files), style="bold")
    console.print(table)
    if output is not None:
        console.print(_t(Msg.WROTE, lang, path=output, fmt=fmt))


def summary_rows(inv: Inventory) -> dict[str, tuple[int, int, int, int]]:
    """ecosystem -> (components, direct, dev-only, files they were found in)."""
    count: Counter[str] = Counter()
    direct: Counter[str] = Counter()
    dev: Counter[str] = Counter()
    files: dict[str, set[str]] = {}
    for c in inv.components:
        count[c.ecosystem] += 1
        direct[c.ecosystem] += bool(c.direct)
        dev[c.ecosystem] += c.scope is Scope.DEV
        files.setdefault(c.ecosystem, set()).update(loc.path for loc in c.locations)
    return {e: (count[e], direct[e], dev[e], len(files[e])) for e in count}


def print_diagnostics(diags: Sequence[Diagnostic], lang: str, quiet: bool) -> None:
    """Warnings are part of the result; errors always show, warnings unless quiet."""
    shown = [d for d in diags if not quiet or d.severity is Severity.ERROR]
    if not shown:
        return
    click.echo(_t(Msg.WARNINGS_HEADER, lang, count=len(shown)), err=True)
    for d in shown:
        text = render(d.code, lang, where=str(d.location), detail=d.detail)
        # click drops the colour when stderr is not a terminal.
        click.secho(f"  {d.severity.value}: {text}", err=True, fg=_colour(d))


def _colour(d: Diagnostic) -> str:
    return "red" if d.severity is Severity.ERROR else "yellow"

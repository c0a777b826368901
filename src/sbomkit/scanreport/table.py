"""The terminal table: findings grouped by component, coloured by severity, then a summary."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sbomkit.formats._values import one_line
from sbomkit.i18n import Msg, render
from sbomkit.match.findings import FixAdvice, Level, ScanResult
from sbomkit.scanreport.common import counts

STYLES = {
    Level.CRITICAL: "bold red",
    Level.HIGH: "red",
    Level.MEDIUM: "yellow",
    Level.LOW: "cyan",
    Level.UNKNOWN: "dim",
}


def _t(code: Msg, lang: str, **kw: object) -> str:
    return render(code, lang, None, "", **kw)


def print_table(result: ScanResult, lang: str, console: Console) -> None:
    active = result.active
    if active:
        console.print(_table(result, lang))
    else:
        console.print(_t(Msg.SCAN_NONE, lang))
    console.print(summary_line(result, lang), highlight=False)


def _table(result: ScanResult, lang: str) -> Table:
    table = Table(show_lines=False)
    for col in (Msg.COL_COMPONENT, Msg.COL_VULNERABILITY, Msg.COL_SEVERITY, Msg.COL_FIXED_IN):
        table.add_column(_t(col, lang), no_wrap=col is not Msg.COL_COMPONENT)
    table.add_column("KEV")
    table.add_column(_t(Msg.COL_SUMMARY, lang))
    advice = {a.component.ref: a for a in result.advice}
    current = None
    for f in result.active:
        ref = f.component.ref
        if ref != current:
            if current is not None:
                table.add_section()
            current = ref
            label = Text(f"{f.component.name} {f.component.version}\n", style="bold")
            label.append(_advice(advice.get(ref), lang), style="green")
        else:
            label = Text("")
        level = f.rating.level
        shown = level.value if f.rating.score is None else f"{level.value} {f.rating.score:.1f}"
        table.add_row(
            label,
            "\n".join([f.primary_id, *(i for i in f.ids if i != f.primary_id)]),
            Text(shown, style=STYLES[level]),
            f.fix or "-",
            Text("KEV", style="bold magenta") if f.kev else "",
            one_line(f.summary or "", 60),
        )
    return table


def _advice(a: FixAdvice | None, lang: str) -> str:
    if a is None:
        return ""
    if a.version is not None:
        return _t(Msg.SCAN_FIX, lang, version=a.version)
    return _t(Msg.SCAN_NO_FIX, lang, ids=", ".join(a.unfixed) or "-")


def summary_line(result: ScanResult, lang: str) -> str:
    n = counts(result)
    line = _t(
        Msg.SCAN_SUMMARY,
        lang,
        components=n["components"],
        matched=n["matched"],
        unmatched=n["not_matchable"],
        findings=n["findings"],
        critical=n["critical"],
        high=n["high"],
        medium=n["medium"],
        low=n["low"],
        unknown=n["unknown"],
        kev=n["kev"],
    )
    if n["suppressed_by_vex"] or n["ignored"]:
        vex, ignored = n["suppressed_by_vex"], n["ignored"]
        line += "; " + _t(Msg.SCAN_SUPPRESSED, lang, vex=vex, ignored=ignored)
    return line

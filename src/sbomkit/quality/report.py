"""The three outputs of ``sbomkit check``: a rich table, JSON, one self-contained HTML page.

Every word comes from the message catalog in the chosen language; JSON keys and rule ids
are the stable part and never translated.
"""

from __future__ import annotations

import html
import io
from functools import lru_cache
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table

from sbomkit.i18n import Msg, render
from sbomkit.quality.engine import Failure, Level, ProfileResult, RuleResult

_LEVEL = {Level.REQUIRED: Msg.Q_LEVEL_REQUIRED, Level.RECOMMENDED: Msg.Q_LEVEL_RECOMMENDED}


def _t(code: Msg, lang: str, **kw: object) -> str:
    return render(code, lang, None, "", **kw)


def why(f: Failure, lang: str) -> str:
    return _why(f.why, f.detail, lang)


@lru_cache(maxsize=4096)  # a few reasons repeat over every failing component
def _why(code: Msg, detail: str, lang: str) -> str:
    return render(code, lang, None, detail)


def subject(f: Failure, lang: str) -> str:
    return f.component or _t(Msg.Q_DOCUMENT, lang)


def verdict(result: ProfileResult, lang: str) -> str:
    failed = len(result.required_failed)
    return _t(Msg.Q_VERDICT_FAIL, lang, count=failed) if failed else _t(Msg.Q_VERDICT_OK, lang)


def failure_lines(r: RuleResult, lang: str, limit: int) -> list[str]:
    """``component: why`` for the first ``limit`` failures, then "and N more"."""
    lines = [f"{subject(f, lang)}: {why(f, lang)}" for f in r.failures[:limit]]
    if r.failed > limit:
        lines.append(_t(Msg.Q_AND_MORE, lang, count=r.failed - limit))
    return lines


# --- table -----------------------------------------------------------------------------


def to_table(path: str, results: tuple[ProfileResult, ...], lang: str, limit: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=160, highlight=False, soft_wrap=False)
    console.print(_t(Msg.Q_REPORT_TITLE, lang, path=path), markup=False, style="bold")
    for result in results:
        line = _t(Msg.Q_PROFILE_LINE, lang, profile=result.profile, score=result.score)
        table = Table(title=f"{line} ({verdict(result, lang)})", title_justify="left")
        for col in (Msg.Q_COL_RULE, Msg.Q_COL_LEVEL, Msg.Q_COL_PASSED, Msg.Q_COL_FAILED):
            table.add_column(_t(col, lang), overflow="fold")
        table.add_column(_t(Msg.Q_COL_FAILURES, lang), overflow="fold")
        for r in result.results:
            title = f"{r.rule.id}\n{_t(r.rule.title, lang)}\n{r.rule.clause}"
            table.add_row(
                _plain(title),
                _t(_LEVEL[r.rule.level], lang),
                str(r.passed),
                str(r.failed),
                _plain("\n".join(failure_lines(r, lang, limit))),
                style="red" if r.failed and r.rule.level is Level.REQUIRED else None,
            )
        console.print(table)
    return out.getvalue()


def _plain(text: str) -> str:
    # Component refs and reasons come from the input: never let them act as rich markup.
    return text.replace("[", "\\[")


# --- JSON ------------------------------------------------------------------------------


def to_json(path: str, results: tuple[ProfileResult, ...], lang: str) -> bytes:
    doc = {
        "file": path,
        "passed": all(r.passed for r in results),
        "profiles": [_profile_json(r, lang) for r in results],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"


def _profile_json(result: ProfileResult, lang: str) -> dict[str, Any]:
    return {
        "profile": result.profile,
        "score": result.score,
        "passed": result.passed,
        "rules": [_rule_json(r, lang) for r in result.results],
    }


def _rule_json(r: RuleResult, lang: str) -> dict[str, Any]:
    return {
        "id": r.rule.id,
        "title": _t(r.rule.title, lang),
        "clause": r.rule.clause,
        "level": r.rule.level.value,
        "field": r.rule.field,
        "passed": r.passed,
        "failed": r.failed,
        "failures": [
            {"component": f.component or None, "code": f.why.value, "why": why(f, lang)}
            for f in r.failures
        ],
    }


# --- HTML ------------------------------------------------------------------------------

_STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
    "th,td{border:1px solid #999;padding:.3em .6em;vertical-align:top;text-align:left}"
    "tr.fail-required td{background:#fdd}tr.fail-recommended td{background:#ffd}"
    "ul{margin:0;padding-left:1.2em}"
)


_HTML_COLUMNS = (
    Msg.Q_COL_RULE,
    Msg.Q_COL_CLAUSE,
    Msg.Q_COL_LEVEL,
    Msg.Q_COL_PASSED,
    Msg.Q_COL_FAILED,
    Msg.Q_COL_FAILURES,
)


def to_html(path: str, results: tuple[ProfileResult, ...], lang: str, limit: int) -> str:
    e = html.escape
    title = _t(Msg.Q_REPORT_TITLE, lang, path=path)
    parts = [
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n',
        f"<title>{e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n",
        f"<h1>{e(title)}</h1>\n",
    ]
    for result in results:
        line = _t(Msg.Q_PROFILE_LINE, lang, profile=result.profile, score=result.score)
        parts.append(f'<h2 id="{e(result.profile)}">{e(line)}</h2>\n')
        parts.append(f"<p>{e(verdict(result, lang))}</p>\n<table>\n<tr>")
        parts.extend(f"<th>{e(_t(col, lang))}</th>" for col in _HTML_COLUMNS)
        parts.append("</tr>\n")
        parts.extend(_html_row(r, lang, limit) for r in result.results)
        parts.append("</table>\n")
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _html_row(r: RuleResult, lang: str, limit: int) -> str:
    e = html.escape
    css = f' class="fail-{r.rule.level.value}"' if r.failed else ""
    items = "".join(f"<li>{e(line)}</li>" for line in failure_lines(r, lang, limit))
    return (
        f'<tr id="{e(r.rule.id)}"{css}><td>{e(r.rule.id)}<br>{e(_t(r.rule.title, lang))}</td>'
        f"<td>{e(r.rule.clause)}</td><td>{e(_t(_LEVEL[r.rule.level], lang))}</td>"
        f"<td>{r.passed}</td><td>{r.failed}</td>"
        f"<td>{f'<ul>{items}</ul>' if items else ''}</td></tr>\n"
    )

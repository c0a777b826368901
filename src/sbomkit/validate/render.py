"""Validation results as text lines (one per problem, ``file: /pointer : message``) or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from sbomkit.i18n import Msg, render
from sbomkit.validate.documents import FAMILY
from sbomkit.validate.result import Problem, ValidationResult


def problem_line(file: str, problem: Problem, lang: str) -> str:
    text = problem.text(lang)
    where = f"{file}:{problem.line}:" if problem.line is not None else f"{file}:"
    if problem.pointer is not None:
        return f"{where} {problem.pointer or '/'} : {text}"
    return f"{where} {text}"


def error_line(result: ValidationResult, lang: str) -> str:
    assert result.error is not None
    text = result.error.render(lang)
    return text if result.error.path else f"{result.file}: {text}"


def text_lines(result: ValidationResult, lang: str, quiet: bool) -> list[str]:
    """The lines for stdout; a file that could not be read goes to stderr (error_line)."""
    if result.error is not None:
        return []
    fmt = FAMILY.get(result.fmt or "", result.fmt or "")
    spec = result.spec or "?"
    if result.valid:
        return (
            []
            if quiet
            else [f"{result.file}: {render(Msg.SCHEMA_VALID, lang, fmt=fmt, spec=spec)}"]
        )
    lines = [problem_line(result.file, p, lang) for p in result.problems]
    if any(p.code is None for p in result.problems):  # schema errors, not "no schema"
        head = render(Msg.SCHEMA_INVALID, lang, count=result.total, fmt=fmt, spec=spec)
        lines.insert(0, f"{result.file}: {head}")
    if result.more:
        lines.append(f"{result.file}: {render(Msg.MORE_PROBLEMS, lang, count=result.more)}")
    return lines


def summary_line(results: Sequence[ValidationResult], lang: str) -> str:
    valid = sum(r.valid for r in results)
    return render(Msg.VALIDATE_SUMMARY, lang, valid=valid, total=len(results))


def json_report(results: Sequence[ValidationResult], lang: str) -> bytes:
    return orjson.dumps(
        {"files": [_json_result(r, lang) for r in results]}, option=orjson.OPT_INDENT_2
    )


def _json_result(result: ValidationResult, lang: str) -> dict[str, Any]:
    return {
        "file": result.file,
        "format": result.fmt,
        "spec": result.spec,
        "valid": result.valid,
        "error": error_line(result, lang) if result.error else None,
        "problems": [
            {"pointer": p.pointer, "line": p.line, "message": p.text(lang)} for p in result.problems
        ],
        "more": result.more,
    }

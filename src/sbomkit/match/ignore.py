"""The ignore file: findings a team has decided to accept, each with a reason and expiry.

TOML (``[[ignore]]`` tables) or YAML (an ``ignore:`` list); each entry has ``id`` (any id
or alias of the finding), optional ``purl`` (a glob over the component's purl, e.g.
``pkg:pypi/jinja2@*``), ``reason`` (required) and optional ``expires`` (a date). An
expired entry stops applying and is reported, so an acceptance cannot outlive its review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path

from sbomkit.formats._safe import read_bounded
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.match.findings import Decision, Finding, Status
from sbomkit.model import Diagnostic, Location


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    id: str
    reason: str
    purl: str | None = None
    expires: dt.date | None = None
    where: str = ""  # "ignore.toml: ignore[2]"

    def applies(self, f: Finding) -> bool:
        if self.id not in f.ids:
            return False
        return self.purl is None or fnmatchcase(f.component.ref, self.purl)


def load_ignore_file(path: Path) -> list[IgnoreRule]:
    rel = str(path)
    text = read_bounded(path, rel).decode("utf-8", errors="replace")
    doc = _yaml(rel, text) if path.suffix.lower() in (".yaml", ".yml") else _toml(rel, text)
    entries = doc.get("ignore", []) if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise FormatError(Msg.IGNORE_INVALID, rel, "ignore: expected a list of entries")
    return [_rule(rel, i, e) for i, e in enumerate(entries)]


def _toml(rel: str, text: str) -> object:
    import tomllib  # here, like PyYAML: most scans have no ignore file

    from sbomkit.catalog._toml import loads as toml_loads

    try:
        return toml_loads(text)
    except tomllib.TOMLDecodeError as e:
        raise FormatError(Msg.IGNORE_INVALID, rel, str(e).splitlines()[0]) from e


def _yaml(rel: str, text: str) -> object:
    import yaml  # here: a scan without a YAML ignore file need not load PyYAML

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise FormatError(Msg.IGNORE_INVALID, rel, str(e).splitlines()[0]) from e


def _rule(rel: str, index: int, raw: object) -> IgnoreRule:
    where = f"ignore[{index}]"
    if not isinstance(raw, dict):
        raise FormatError(Msg.IGNORE_INVALID, rel, f"{where}: expected a table")
    vid, reason, purl = raw.get("id"), raw.get("reason"), raw.get("purl")
    if not isinstance(vid, str) or not vid.strip():
        raise FormatError(Msg.IGNORE_INVALID, rel, f"{where}.id: required, a vulnerability id")
    if not isinstance(reason, str) or not reason.strip():
        raise FormatError(Msg.IGNORE_INVALID, rel, f"{where}.reason: required, say why")
    if purl is not None and not isinstance(purl, str):
        raise FormatError(Msg.IGNORE_INVALID, rel, f"{where}.purl: expected a string")
    return IgnoreRule(vid.strip(), reason.strip(), purl, _date(rel, where, raw), f"{rel}: {where}")


def _date(rel: str, where: str, raw: dict[str, object]) -> dt.date | None:
    value = raw.get("expires")
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as e:
        detail = f"{where}.expires: {value!r} is not a date (YYYY-MM-DD)"
        raise FormatError(Msg.IGNORE_INVALID, rel, detail) from e


def apply_ignores(
    findings: list[Finding], rules: list[IgnoreRule], today: dt.date
) -> tuple[list[Finding], list[Diagnostic]]:
    """Mark ignored findings; expired rules are reported once and apply to nothing."""
    live = [r for r in rules if r.expires is None or r.expires >= today]
    expired = [
        Diagnostic(Msg.IGNORE_EXPIRED, Location(r.where), f"{r.id}, {r.expires}")
        for r in rules
        if r.expires is not None and r.expires < today
    ]
    out = []
    for f in findings:
        rule = next((r for r in live if r.applies(f)), None) if not f.status.suppressed else None
        if rule is not None:
            f = replace(f, decision=Decision(Status.IGNORED, rule.where, None, rule.reason))
        out.append(f)
    return out, expired

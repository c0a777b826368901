"""The words of a notification, in one language, before any channel's layout.

Every channel shows the same title, facts and digest lines; only the wrapping differs, so
the text is made once here and the channel modules only arrange it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sbomkit.i18n import Msg, render
from sbomkit.match.findings import Level

if TYPE_CHECKING:
    from sbomkit.server.notify.message import Event

SUMMARY_CHARS = 300  # advisory summaries are one line; details stay in the advisory

_SEVERITY = {
    Level.CRITICAL: Msg.NTF_SEV_CRITICAL,
    Level.HIGH: Msg.NTF_SEV_HIGH,
    Level.MEDIUM: Msg.NTF_SEV_MEDIUM,
    Level.LOW: Msg.NTF_SEV_LOW,
    Level.UNKNOWN: Msg.NTF_SEV_UNKNOWN,
}
_STATE = {
    "affected": Msg.NTF_STATE_AFFECTED,
    "not_affected": Msg.NTF_STATE_NOT_AFFECTED,
    "fixed": Msg.NTF_STATE_FIXED,
    "under_investigation": Msg.NTF_STATE_UNDER_INVESTIGATION,
    "false_positive": Msg.NTF_STATE_FALSE_POSITIVE,
}
_TITLE = {
    "new_finding": Msg.NTF_NEW_FINDING,
    "finding_resolved": Msg.NTF_FINDING_RESOLVED,
    "state_changed": Msg.NTF_STATE_CHANGED,
}
_LINE = {
    "new_finding": Msg.NTF_LINE_NEW,
    "finding_resolved": Msg.NTF_LINE_RESOLVED,
    "state_changed": Msg.NTF_LINE_STATE,
}


@dataclass(frozen=True, slots=True)
class Item:
    event: Event
    title: str  # the whole story in one sentence
    line: str  # the digest line (the project is the group's heading)
    facts: tuple[tuple[str, str], ...]  # (label, value); empty in a digest


@dataclass(frozen=True, slots=True)
class Group:
    project_id: int
    name: str
    version: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class View:
    lang: str
    digest: bool
    title: str
    groups: tuple[Group, ...]

    def words(self, code: Msg, *, count: int = 0) -> str:
        return render(code, self.lang, count=count)


def make_view(events: Sequence[Event], lang: str, *, digest: bool) -> View:
    items = sorted((_item(e, lang, digest) for e in events), key=lambda i: _severity_order(i.event))
    by_project: dict[int, list[Item]] = {}
    for item in items:
        by_project.setdefault(item.event.project_id, []).append(item)
    groups = [
        Group(pid, its[0].event.project_name, its[0].event.project_version, tuple(its))
        for pid, its in by_project.items()  # insertion order: most severe project first
    ]
    if digest:
        title = render(Msg.NTF_DIGEST_TITLE, lang, count=len(events), projects=len(groups))
    else:
        title = items[0].title
    return View(lang=lang, digest=digest, title=title, groups=tuple(groups))


def _severity_order(e: Event) -> tuple[object, ...]:
    score = -1.0 if e.score is None else e.score
    return (
        -e.severity.rank,
        not e.kev,
        -score,
        e.project_name,
        e.project_version,
        e.group,
        e.component_ref,
        e.kind,
        e.occurred_at,
    )


def severity_text(e: Event, lang: str) -> str:
    word = render(_SEVERITY[e.severity], lang)
    return word if e.score is None else f"{word} ({e.score:.1f})"


def state_text(state: str | None, lang: str) -> str:
    if state is None:
        return render(Msg.NTF_STATE_NONE, lang)
    code = _STATE.get(state)
    return render(code, lang) if code else state


def _item(e: Event, lang: str, digest: bool) -> Item:
    words = {
        "project": e.project_name,
        "project_version": e.project_version,
        "component": e.component_name,
        "component_version": e.component_version,
        "vuln": e.vuln_id,
        "severity": render(_SEVERITY[e.severity], lang),
        "old": state_text(e.old_state, lang),
        "new": state_text(e.new_state, lang),
    }
    line = render(_LINE[e.kind], lang, **words)
    return Item(
        event=e,
        title=render(_TITLE[e.kind], lang, **words),
        line=f"{line} [KEV]" if e.kev else line,
        facts=() if digest else tuple(_facts(e, lang)),  # a digest shows lines, not facts
    )


def _facts(e: Event, lang: str) -> list[tuple[str, str]]:
    def label(code: Msg) -> str:
        return render(code, lang)

    severity = severity_text(e, lang)
    if e.kev:
        severity += ("、" if lang == "ja" else ", ") + label(Msg.NTF_KEV)
    facts = [
        (label(Msg.NTF_PROJECT), f"{e.project_name} {e.project_version}"),
        (label(Msg.NTF_COMPONENT), f"{e.component_name} {e.component_version}"),
        (label(Msg.COL_VULNERABILITY), e.vuln_id),
    ]
    aliases = other_ids(e)
    if aliases:
        facts.append((label(Msg.NTF_ALIASES), ", ".join(aliases)))
    facts.append((label(Msg.COL_SEVERITY), severity))
    if e.kind != "finding_resolved":
        facts.append((label(Msg.COL_FIXED_IN), e.fix or label(Msg.NTF_NO_FIX)))
    if e.kind == "state_changed":
        old, new = state_text(e.old_state, lang), state_text(e.new_state, lang)
        facts.append((label(Msg.NTF_ANALYSIS), f"{old} → {new}"))
        if e.changed_by:
            facts.append((label(Msg.NTF_CHANGED_BY), e.changed_by))
        if e.comment:
            facts.append((label(Msg.NTF_COMMENT), clip(e.comment, SUMMARY_CHARS)))
    if e.summary:
        facts.append((label(Msg.COL_SUMMARY), clip(e.summary, SUMMARY_CHARS)))
    return facts


def other_ids(e: Event) -> list[str]:
    return sorted(set(e.aliases) - {e.vuln_id})


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clip_lines(lines: Sequence[str], max_lines: int, max_chars: int, lang: str) -> list[str]:
    """All lines if they fit both limits; else the first ones and an "and N more" line."""
    if len(lines) <= max_lines and sum(len(line) + 1 for line in lines) <= max_chars:
        return list(lines)
    budget = max_chars - 40  # room for the "and N more" line
    kept: list[str] = []
    for line in lines:
        budget -= len(line) + 1
        if len(kept) == max_lines - 1 or budget < 0:
            break
        kept.append(line)
    return [*kept, render(Msg.NTF_AND_MORE, lang, count=len(lines) - len(kept))]

"""Triage decisions (VEX) and the state each finding gets from them.

A decision names a vulnerability (any id of the finding's alias group) and a component,
at one of three scopes, most specific first:

- ``version``: one project version; the component is its exact purl (or purl without version);
- ``project``: every version of a project name, now and future; component purl without version;
- ``rule``: anywhere; component is a purl glob (``pkg:maven/org.apache.logging.log4j/*``),
  optionally only for projects with a tag or of a team; may expire.

The decision in force is copied onto each finding (``analysis_*``) whenever findings or
decisions change, so filters and sorting stay in SQL. Expiry is checked again when read.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Row, or_, select, update
from sqlalchemy.orm import Session

from sbomkit.server.monitor.lifecycle import read, within
from sbomkit.server.tables import (
    FindingAlias,
    FindingRow,
    Project,
    ProjectTag,
    Triage,
    TriageHistory,
    aware,
)


class State(StrEnum):
    AFFECTED = "affected"
    NOT_AFFECTED = "not_affected"
    FIXED = "fixed"
    UNDER_INVESTIGATION = "under_investigation"
    FALSE_POSITIVE = "false_positive"


# CycloneDX 1.6 analysis justifications and the CISA / OpenVEX / CSAF ones.
JUSTIFICATIONS = frozenset(
    {
        "code_not_present",
        "code_not_reachable",
        "requires_configuration",
        "requires_dependency",
        "requires_environment",
        "protected_by_compiler",
        "protected_at_runtime",
        "protected_at_perimeter",
        "protected_by_mitigating_control",
        "component_not_present",
        "vulnerable_code_not_present",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "vulnerable_code_not_in_execute_path",
        "inline_mitigations_already_exist",
    }
)
RESPONSES = frozenset({"can_not_fix", "will_not_fix", "update", "rollback", "workaround_available"})
SCOPES = ("version", "project", "rule")
_RANK = {scope: i for i, scope in enumerate(SCOPES)}
_CHUNK = 500
T = TypeVar("T")
_ProjectRow = Row[int, str, int | None]  # id, name, owner_team_id


def purl_base(ref: str) -> str:
    """``pkg:npm/%40scope/x@1.0?a=b`` -> ``pkg:npm/%40scope/x``."""
    head = ref.split("?", 1)[0].split("#", 1)[0]
    slash = head.rfind("/")
    at = head.find("@", slash + 1)
    return head if at == -1 else head[:at]


@dataclass(frozen=True, slots=True)
class StateChange:
    finding_id: int
    old: str | None
    new: str | None
    triage_id: int | None


def snapshot(t: Triage) -> dict[str, object]:
    return {
        "scope": t.scope,
        "vuln_id": t.vuln_id,
        "component": t.component,
        "state": t.state,
        "justification": t.justification,
        "response": t.response,
        "comment": t.comment,
        "expires_at": t.expires_at.isoformat() if t.expires_at else None,
    }


def record_history(session: Session, t: Triage, actor: str, old: dict[str, object]) -> None:
    session.add(
        TriageHistory(
            triage_id=t.id,
            actor=actor,
            old=json.dumps(old, sort_keys=True),
            new=json.dumps(snapshot(t), sort_keys=True),
        )
    )


class _Judged(Protocol):
    """What a decision is checked against: a finding row, or the columns read of one."""

    @property
    def project_id(self) -> int: ...
    @property
    def component_ref(self) -> str: ...


class _Owner(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def owner_team_id(self) -> int | None: ...


def applies(
    t: Triage, f: _Judged, aliases: set[str], project: _Owner, tags: set[str], now: dt.datetime
) -> bool:
    if t.expires_at is not None and aware(t.expires_at) <= now:
        return False
    if t.vuln_id not in aliases:
        return False
    if t.scope == "version":
        return t.project_id == f.project_id and t.component in (
            f.component_ref,
            purl_base(f.component_ref),
        )
    if t.scope == "project":
        # Versions of the same name owned by another team are another team's product.
        return (
            t.project_name == project.name
            and t.team_id == project.owner_team_id
            and t.component == purl_base(f.component_ref)
        )
    if t.tag is not None and t.tag not in tags:
        return False
    if t.team_id is not None and t.team_id != project.owner_team_id:
        return False
    return fnmatch.fnmatchcase(f.component_ref, t.component)


_ANALYSIS = (
    "analysis_state",
    "analysis_justification",
    "analysis_response",
    "analysis_comment",
    "analysis_triage_id",
    "analysis_expires_at",
)
_READ = select(
    FindingRow.id,
    FindingRow.project_id,
    FindingRow.component_ref,
    FindingRow.aliases,
    *(getattr(FindingRow, c) for c in _ANALYSIS),
)


def apply_triage(
    session: Session,
    *,
    project_ids: Iterable[int] | None = None,
    vuln_ids: Iterable[str] | None = None,
    finding_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
) -> list[StateChange]:
    """Recompute the decision in force for the findings selected by any of the arguments.

    Only findings that a decision could reach (an id of theirs has one) or that carry one
    now can change; the rest are not even read, so re-analysing a portfolio with few
    decisions costs next to nothing here."""
    now = now or dt.datetime.now(dt.UTC)
    if project_ids is None and vuln_ids is None and finding_ids is None:
        return []
    selections: list[ColumnElement[bool]] = []
    if project_ids is not None:
        selections += within(session, FindingRow.project_id, sorted(set(project_ids)))
    if vuln_ids is not None:
        selections += (
            FindingRow.id.in_(select(FindingAlias.finding_id).where(aliases))
            for aliases in within(session, FindingAlias.alias, sorted(set(vuln_ids)))
        )
    if finding_ids is not None:
        selections += within(session, FindingRow.id, sorted(set(finding_ids)))
    in_play = _in_play(session)
    findings: dict[int, Row[Any]] = {}
    for selection in selections:
        for row in read(session, _READ.where(selection, in_play)).all():
            findings[row.id] = row
    return _apply(session, [findings[i] for i in sorted(findings)], now)


def _in_play(session: Session) -> ColumnElement[bool]:
    """Findings a decision could change: those carrying one, and those with an id that
    some decision names (the ids are read first: as a subquery the planner scanned every
    alias row for each chunk of findings)."""
    carrying = [getattr(FindingRow, c).is_not(None) for c in _ANALYSIS]
    decided = sorted(set(session.execute(select(Triage.vuln_id)).scalars()))
    named = [
        FindingRow.id.in_(select(FindingAlias.finding_id).where(ids))
        for ids in within(session, FindingAlias.alias, decided)
    ]
    return or_(*carrying, *named)


def _chunked(items: list[T]) -> list[list[T]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def _apply(session: Session, findings: Sequence[Row[Any]], now: dt.datetime) -> list[StateChange]:
    if not findings:
        return []
    project_ids = sorted({f.project_id for f in findings})
    projects: dict[int, _ProjectRow] = {}
    tags: dict[int, set[str]] = {}
    for chunk in _chunked(project_ids):
        projects.update(
            (p.id, p)
            for p in session.execute(
                select(Project.id, Project.name, Project.owner_team_id).where(Project.id.in_(chunk))
            )
        )
        for pid, tag in session.execute(
            select(ProjectTag.project_id, ProjectTag.tag).where(ProjectTag.project_id.in_(chunk))
        ):
            tags.setdefault(pid, set()).add(tag)
    aliases = {f.id: set(json.loads(f.aliases)) for f in findings}
    decisions = _decisions(session, set().union(*aliases.values()), projects)
    changes: list[StateChange] = []
    updates: list[dict[str, object]] = []
    for f in findings:
        project = projects[f.project_id]
        hit = next(
            (
                t
                for t in decisions
                if applies(t, f, aliases[f.id], project, tags.get(f.project_id, set()), now)
            ),
            None,
        )
        values = {
            "analysis_state": hit.state if hit else None,
            "analysis_justification": hit.justification if hit else None,
            "analysis_response": hit.response if hit else None,
            "analysis_comment": hit.comment if hit else None,
            "analysis_triage_id": hit.id if hit else None,
            "analysis_expires_at": hit.expires_at if hit else None,
        }
        if any(getattr(f, k) != v for k, v in values.items()):
            updates.append({"id": f.id, **values})
            if f.analysis_state != values["analysis_state"]:
                changes.append(
                    StateChange(
                        f.id, f.analysis_state, hit.state if hit else None, hit.id if hit else None
                    )
                )
    for i in range(0, len(updates), _CHUNK):
        session.execute(update(FindingRow), updates[i : i + _CHUNK])
    return changes


def _decisions(
    session: Session, ids_in_play: set[str], projects: dict[int, _ProjectRow]
) -> list[Triage]:
    """Decisions naming an id in play, most specific and most recent first. The project
    condition only narrows what is read (``applies`` checks it again), so it is left out
    when the projects are too many for one IN list."""
    found: dict[int, Triage] = {}
    for chunk in _chunked(sorted(ids_in_play)):
        query = select(Triage).where(Triage.vuln_id.in_(chunk))
        if len(projects) <= _CHUNK:
            names = sorted({p.name for p in projects.values()})
            query = query.where(
                or_(
                    Triage.scope == "rule",
                    Triage.project_id.in_(sorted(projects)),
                    Triage.project_name.in_(names),
                )
            )
        found.update((t.id, t) for t in session.execute(query).scalars())
    decisions = list(found.values())
    decisions.sort(key=lambda t: (_RANK[t.scope], -aware(t.updated_at).timestamp(), -t.id))
    return decisions


def in_force(f: FindingRow | Row[Any]) -> dict[str, Any] | None:
    """The triage decision in force; an expired one no longer counts, even before the
    expiry job has cleared it."""
    if f.analysis_state is None:
        return None
    expires = f.analysis_expires_at
    if expires is not None and aware(expires) <= dt.datetime.now(dt.UTC):
        return None
    return {
        "state": f.analysis_state,
        "justification": f.analysis_justification,
        "response": f.analysis_response,
        "comment": f.analysis_comment,
        "decision": f.analysis_triage_id,
        "expires_at": f.analysis_expires_at.isoformat() if f.analysis_expires_at else None,
    }


def expired_findings(session: Session, now: dt.datetime) -> list[int]:
    return list(
        session.execute(
            select(FindingRow.id).where(
                FindingRow.analysis_expires_at.is_not(None), FindingRow.analysis_expires_at <= now
            )
        ).scalars()
    )

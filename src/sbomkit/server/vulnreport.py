"""VDR and VEX of a project version: its stored SBOM matched against today's advisories,
with the triage decisions in force; and VEX documents read back into decisions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from sbomkit.db.store import AdvisoryStore
from sbomkit.errors import SbomkitError
from sbomkit.formats.readers import get_reader
from sbomkit.identity import IdentityError, component_from_purl
from sbomkit.match.findings import Decision, Finding, Level, Rating, ScanResult, Status
from sbomkit.match.scan import scan
from sbomkit.match.vex_in import Statement
from sbomkit.scanreport.registry import WRITERS
from sbomkit.server.config import Settings
from sbomkit.server.monitor.triage import JUSTIFICATIONS, State, in_force
from sbomkit.server.tables import Document, FindingRow, Project

SOURCE = "sbomkit triage"
TO_STATUS = {
    State.AFFECTED: Status.AFFECTED,
    State.NOT_AFFECTED: Status.NOT_AFFECTED,
    State.FIXED: Status.FIXED,
    State.UNDER_INVESTIGATION: Status.UNDER_INVESTIGATION,
    State.FALSE_POSITIVE: Status.FALSE_POSITIVE,
}
TO_STATE = {status: state for state, status in TO_STATUS.items()}
_NO_RATING = Rating(Level.UNKNOWN)


def scan_document(
    s: Session, project: Project, doc: Document, settings: Settings, fmt: str
) -> bytes:
    inventory = get_reader(doc.format).read(doc.content, f"document {doc.id}")
    target = f"{project.name}@{project.version}" if project.version else project.name
    try:
        store = AdvisoryStore.open(settings.advisories)
    except SbomkitError:
        result = ScanResult(target, tuple(inventory.components), 0, (), (), ())
        return WRITERS[fmt](result)
    with store:
        result = scan(inventory, store, target, dt.datetime.now(dt.UTC).date())
    decided = _decisions(s, project.id)
    findings = tuple(
        dataclasses.replace(f, decision=decided.get((f.component.ref, f.primary_id)))
        for f in result.findings
    )
    return WRITERS[fmt](dataclasses.replace(result, findings=findings))


def _decisions(s: Session, project_id: int) -> dict[tuple[str, str], Decision]:
    out = {}
    rows = s.execute(
        select(FindingRow).where(FindingRow.project_id == project_id, FindingRow.state == "open")
    )
    for f in rows.scalars():
        a = in_force(f)
        if a is not None:
            status = TO_STATUS[State(a["state"])]
            out[(f.component_ref, f.vuln_id)] = Decision(
                status, SOURCE, a["justification"], a["comment"]
            )
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class Imported:
    finding_id: int
    vuln_id: str
    component: str
    state: State
    justification: str | None
    comment: str | None


def match_statements(s: Session, project_id: int, statements: list[Statement]) -> list[Imported]:
    """Each open finding of the project a statement covers (by vulnerability id or alias
    and component identity); the last statement that applies wins, as in ``scan --vex``."""
    out = []
    rows = s.execute(
        select(FindingRow).where(FindingRow.project_id == project_id, FindingRow.state == "open")
    )
    for f in rows.scalars():
        try:
            component = component_from_purl(f.component_ref)
        except IdentityError:
            continue
        probe = Finding(
            component, f.vuln_id, tuple(json.loads(f.aliases)), (), (), _NO_RATING, False, None
        )
        hit = next((st for st in reversed(statements) if st.applies(probe)), None)
        if hit is None or hit.status not in TO_STATE:
            continue
        state = TO_STATE[hit.status]
        justification = (
            hit.justification
            if state is State.NOT_AFFECTED and hit.justification in JUSTIFICATIONS
            else None
        )
        out.append(Imported(f.id, f.vuln_id, f.component_ref, state, justification, hit.detail))
    return out

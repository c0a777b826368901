"""Daily counts per project version (for trend charts) and response times.

Time to detect: from an advisory's publication to the finding's first sighting here.
Time to fix: from first sighting to resolution. These are the effect measures the METI
proof of concept tracked.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from sbomkit.server.tables import FindingRow, Project, ProjectMetrics, aware

SUPPRESSED = ("not_affected", "false_positive", "fixed")
LEVELS = ("critical", "high", "medium", "low", "unknown")


def snapshot(session: Session, day: dt.date) -> int:
    """(Re)write the counts of ``day`` for every project version; returns the rows written."""
    is_open = FindingRow.state == "open"
    suppressed = and_(is_open, FindingRow.analysis_state.in_(SUPPRESSED))
    active = and_(
        is_open,
        or_(FindingRow.analysis_state.is_(None), FindingRow.analysis_state.not_in(SUPPRESSED)),
    )

    def count(cond: Any) -> Any:
        return func.sum(case((cond, 1), else_=0))

    query = select(
        FindingRow.project_id,
        *(count(and_(active, FindingRow.severity == level)).label(level) for level in LEVELS),
        count(is_open).label("open"),
        count(FindingRow.state == "resolved").label("resolved"),
        count(suppressed).label("suppressed"),
        count(and_(active, FindingRow.kev.is_(True))).label("kev"),
    ).group_by(FindingRow.project_id)
    counts = {row.project_id: row._asdict() for row in session.execute(query)}
    rows = []
    for pid, components in session.execute(select(Project.id, Project.components_count)):
        c = counts.get(pid, {})
        rows.append(
            {
                "project_id": pid,
                "day": day,
                "components": components,
                **{
                    k: int(c.get(k) or 0)
                    for k in (*LEVELS, "open", "resolved", "suppressed", "kev")
                },
            }
        )
    session.execute(delete(ProjectMetrics).where(ProjectMetrics.day == day))
    for i in range(0, len(rows), 1000):
        session.execute(insert(ProjectMetrics), rows[i : i + 1000])
    return len(rows)


def response_times(session: Session, project_id: int) -> dict[str, Any]:
    rows = session.execute(
        select(FindingRow.first_seen, FindingRow.published, FindingRow.resolved_at).where(
            FindingRow.project_id == project_id
        )
    ).all()
    detect = [
        (aware(first) - aware(published)).total_seconds() / 86400
        for first, published, _ in rows
        if published is not None
    ]
    fix = [
        (aware(resolved) - aware(first)).total_seconds() / 86400
        for first, _, resolved in rows
        if resolved is not None
    ]
    return {
        "findings": len(rows),
        "time_to_detect_days": _summary(detect),
        "time_to_fix_days": _summary(fix),
    }


def _summary(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"count": 0, "mean": None, "median": None}
    return {
        "count": len(values),
        "mean": round(statistics.fmean(values), 3),
        "median": round(statistics.median(values), 3),
    }

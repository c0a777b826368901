"""Portfolio-wide questions: components, findings, "who is affected by CVE-X".

Everything is filtered in SQL to the projects the caller may view and paged by keyset.
Version ranges are the one filter SQL cannot do (orderings differ per ecosystem): rows are
read in id order in batches and checked with the ecosystem's version rules, and the
cursor is the last row read, so paging stays exact.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Response
from sqlalchemy import Row, Select, bindparam, select, tuple_

from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, component_from_purl
from sbomkit.match.findings import Level
from sbomkit.match.osv_names import REGISTRIES
from sbomkit.match.vers import contains
from sbomkit.server import paging
from sbomkit.server.access import Permission, Principal, project_filter
from sbomkit.server.deps import Caller, Db
from sbomkit.server.errors import ApiError
from sbomkit.server.monitor.triage import in_force
from sbomkit.server.projects import get_project
from sbomkit.server.tables import ComponentRow, FindingAlias, FindingRow, Project

router = APIRouter(prefix="/api/v1", tags=["search"])
Limit = Annotated[int, Query(ge=1, le=500)]
FindingQuery = Select[Any]
_BATCHES = 20  # batches read per request when a version range filters rows out


@router.get("/components", response_model=paging.Page)
def components(
    s: Db,
    caller: Caller,
    purl: Annotated[
        str | None, Query(max_length=1000, description="exact purl, or without @version")
    ] = None,
    name: Annotated[str | None, Query(max_length=300)] = None,
    ecosystem: Annotated[
        str | None, Query(max_length=40, description="purl type: pypi, maven, ...")
    ] = None,
    version: Annotated[str | None, Query(max_length=200)] = None,
    vers_range: Annotated[
        str | None,
        Query(alias="range", max_length=500, description="vers range, or '<2.17.1' with ecosystem"),
    ] = None,
    project: int | None = None,
    cursor: str | None = None,
    limit: Limit = 100,
) -> Response:
    params: dict[str, object] = {}
    if purl:
        base, _, ver = purl.partition("@")
        if ver:
            params["purl"] = purl
        else:
            params["prefix"] = _like_prefix(base + "@")
            if (canonical := _purl_name(base)) is not None:
                params["canonical"] = canonical
    fields = (("name", name), ("ecosystem", ecosystem), ("version", version))
    params.update({key: value for key, value in fields if value})
    if project is not None:
        get_project(s, caller, project, Permission.VIEW)
        params["project"] = project
    vers = _vers(vers_range, ecosystem) if vers_range else None
    after = paging.decode(cursor, (int,))
    first = after[0] if after is not None else None
    given, batch = frozenset(params), limit * 4 if vers else limit + 1
    return _component_page(s, caller, given, batch, params, first, vers, limit)


# Built once per caller, filter set and batch size, as the findings pages' statements.
@lru_cache(maxsize=1024)
def _component_statement(
    caller: Principal, given: frozenset[str], batch: int, after: bool
) -> Select[Any]:
    query = _visible(caller, ComponentRow, _FIELDS)
    if "purl" in given:
        query = query.where(ComponentRow.purl == bindparam("purl"))
    if "prefix" in given:
        query = query.where(ComponentRow.purl.like(bindparam("prefix"), escape="/"))
    if "canonical" in given:
        # Every stored purl is its component's canonical one, so rows with this prefix
        # have this name: the (name, id) index then pages them in id order instead of
        # the planner walking all components by id for the prefix.
        query = query.where(ComponentRow.name == bindparam("canonical"))
    for key in ("name", "ecosystem", "version"):
        if key in given:
            query = query.where(getattr(ComponentRow, key) == bindparam(key))
    if "project" in given:
        query = query.where(ComponentRow.project_id == bindparam("project"))
    if after:
        # Only after a first row: with "id > 0" on every first page, PostgreSQL's generic
        # plan for an exact purl read all its rows (4,800 in the bench) and sorted them.
        query = query.where(ComponentRow.id > bindparam("after"))
    return query.order_by(ComponentRow.id).limit(batch)


def _visible(
    caller: Principal, table: type[ComponentRow | FindingRow], fields: tuple[str, ...]
) -> Select[Any]:
    """``fields`` of ``table`` with their project's name and version, in the projects the
    caller may view. Plain columns, not ORM objects: a page reads hundreds of rows."""
    query = select(
        *(getattr(table, f) for f in fields),
        Project.name.label("project_name"),
        Project.version.label("project_version"),
    ).join(Project, Project.id == table.project_id)
    owner = Project.owner_team_id
    return query.where(project_filter(caller, table.project_id, owner=owner))  # type: ignore[arg-type]


def _like_prefix(text: str) -> str:
    """A LIKE pattern for "starts with ``text``", ``/`` escaping the wildcards."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _component_page(
    s: Db,
    caller: Principal,
    given: frozenset[str],
    batch: int,
    params: dict[str, object],
    first: int | None,
    vers: str | None,
    limit: int,
) -> Response:
    items: list[dict[str, Any]] = []
    last_id: int | None = first
    exhausted = False
    verdicts: dict[str, bool] = {}  # a name has few distinct versions: check each once
    for _ in range(_BATCHES if vers else 1):
        if last_id is None:
            statement, bound = _component_statement(caller, given, batch, False), params
        else:
            statement = _component_statement(caller, given, batch, True)
            bound = {**params, "after": last_id}
        rows = s.connection().execute(statement, bound).all()
        if not vers:
            exhausted = len(rows) <= limit
            rows = rows[:limit]
        else:
            exhausted = len(rows) < limit * 4
        for row in rows:
            last_id = row.id
            if vers and not (row.version and _in_range(vers, row.version, verdicts)):
                continue
            items.append(_component(row))
            if len(items) == limit:
                break
        if len(items) == limit or exhausted:
            break
    full_page = len(items) == limit
    more = not exhausted or (vers is not None and full_page and last_id is not None)
    next_cursor = paging.encode([last_id]) if more and last_id is not None else None
    return paging.json_page(items, next_cursor)


def _in_range(vers: str, version: str, verdicts: dict[str, bool]) -> bool:
    found = verdicts.get(version)
    if found is None:
        found = verdicts[version] = contains(vers, version)
    return found


def _purl_name(base: str) -> str | None:
    """The canonical component name of a purl without version, if it is a purl."""
    try:
        return component_from_purl(base).name
    except IdentityError:
        return None


def _vers(text: str, ecosystem: str | None) -> str:
    if text.startswith("vers:"):
        return text
    if not ecosystem or ecosystem not in REGISTRIES:
        raise ApiError(
            422,
            Msg.SRV_BAD_REQUEST,
            details=["range: give a vers range (vers:maven/<2.17.1) or an ecosystem with it"],
        )
    return f"vers:{ecosystem}/{text.replace(',', '|').replace(' ', '')}"


_FIELDS = ("id", "project_id", "ref", "purl", "ecosystem", "name", "version", "type", "scope",
           "direct", "licenses", "supplier")  # fmt: skip


def _component(c: Row[Any]) -> dict[str, Any]:
    return {
        "id": c.id,
        "project": {"id": c.project_id, "name": c.project_name, "version": c.project_version},
        "ref": c.ref,
        "purl": c.purl,
        "ecosystem": c.ecosystem,
        "name": c.name,
        "version": c.version,
        "type": c.type,
        "scope": c.scope,
        "direct": c.direct,
        "licenses": c.licenses,
        "supplier": c.supplier,
    }


def _finding_query(
    caller: Principal,
    severity: tuple[Level, ...],
    state: str | None,
    kev: bool | None,
    fixable: bool | None,
) -> FindingQuery:
    query = _visible(caller, FindingRow, _FINDING_FIELDS)
    if severity:
        ranks = [s.rank for s in severity]
        # The rank bounds let the (state, severity_rank, id) index start at the right place.
        query = query.where(
            FindingRow.severity.in_([s.value for s in severity]),
            FindingRow.severity_rank.between(min(ranks), max(ranks)),
        )
    if state:
        query = query.where(FindingRow.state == state)
    if kev is not None:
        query = query.where(FindingRow.kev.is_(kev))
    if fixable is not None:
        query = query.where(FindingRow.fix.is_not(None) if fixable else FindingRow.fix.is_(None))
    return query


def _findings_page(
    s: Db,
    caller: Principal,
    filters: tuple[tuple[Level, ...], str | None, bool | None, bool | None],
    project: int | None,
    cursor: str | None,
    limit: int,
) -> Response:
    after = paging.decode(cursor, (int, int))
    statement = _page_statement(caller, *filters, project is not None, after is not None, limit)
    params: dict[str, int] = {} if project is None else {"project": project}
    if after is not None:
        params["rank"], params["fid"] = after
    # Core, not the ORM's execute: its row loading was a tenth of a page of plain columns.
    rows = s.connection().execute(statement, params).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [_finding(f) for f in rows]
    last = rows[-1] if rows else None
    next_cursor = paging.encode([last.severity_rank, last.id]) if more and last else None
    return paging.json_page(items, next_cursor)


# Built once per caller, filters and page size: building the statement and its cache key
# took a third of a millisecond, a tenth of a request. Project and cursor are bound.
@lru_cache(maxsize=1024)
def _page_statement(
    caller: Principal,
    severity: tuple[Level, ...],
    state: str | None,
    kev: bool | None,
    fixable: bool | None,
    by_project: bool,
    after: bool,
    limit: int,
) -> FindingQuery:
    query = _finding_query(caller, severity, state, kev, fixable)
    if by_project:
        query = query.where(FindingRow.project_id == bindparam("project"))
    if after:
        # A row comparison, not an OR, so the index scan starts at the cursor.
        query = query.where(
            tuple_(FindingRow.severity_rank, FindingRow.id)
            < tuple_(bindparam("rank"), bindparam("fid"))
        )
    return query.order_by(FindingRow.severity_rank.desc(), FindingRow.id.desc()).limit(limit + 1)


# Plain columns, not ORM objects: a page is a hundred findings of 27 columns each.
_FINDING_FIELDS = ("id", "project_id", "component_ref", "component_name", "component_version",
                   "ecosystem", "vuln_id", "aliases", "advisory_ids", "severity",
                   "severity_rank", "score", "kev", "fix", "summary", "provenance", "state",
                   "first_seen", "last_seen", "resolved_at", "analysis_state",
                   "analysis_justification", "analysis_response", "analysis_comment",
                   "analysis_triage_id", "analysis_expires_at")  # fmt: skip


def _finding(row: Row[*tuple[Any, ...]]) -> dict[str, Any]:
    # Unpacked by position (_FINDING_FIELDS, then the project's name and version): a page is
    # a hundred rows of 28 columns. The JSON columns go out as stored (written by
    # json.dumps), not parsed and written again; orjson writes the datetimes as isoformat().
    (fid, project_id, ref, cname, cversion, ecosystem, vuln_id, aliases, advisory_ids,
     severity, _, score, kev, fix, summary, provenance, state, first_seen, last_seen,
     resolved_at, *_, pname, pversion) = row  # fmt: skip
    return {
        "id": fid,
        "project": {"id": project_id, "name": pname, "version": pversion},
        "component": {"ref": ref, "name": cname, "version": cversion, "ecosystem": ecosystem},
        "vulnerability": vuln_id,
        "aliases": orjson.Fragment(aliases),
        "advisories": orjson.Fragment(advisory_ids),
        "severity": severity,
        "score": score,
        "kev": kev,
        "fix": fix,
        "summary": summary,
        "matched": orjson.Fragment(provenance),
        "state": state,
        "first_seen": first_seen,
        "last_seen": last_seen,
        "resolved_at": resolved_at,
        "analysis": in_force(row),
    }


Severity = Annotated[list[Level] | None, Query()]
State = Annotated[str | None, Query(pattern="^(open|resolved)$")]


@router.get("/findings", response_model=paging.Page)
def portfolio_findings(
    s: Db,
    caller: Caller,
    severity: Severity = None,
    state: State = "open",
    kev: bool | None = None,
    fixable: bool | None = None,
    cursor: str | None = None,
    limit: Limit = 100,
) -> Response:
    """Every finding the caller may view, most severe first."""
    filters = (tuple(severity or ()), state, kev, fixable)
    return _findings_page(s, caller, filters, None, cursor, limit)


@router.get("/projects/{project_id}/findings", response_model=paging.Page)
def project_findings(
    project_id: int,
    s: Db,
    caller: Caller,
    severity: Severity = None,
    state: State = "open",
    kev: bool | None = None,
    fixable: bool | None = None,
    cursor: str | None = None,
    limit: Limit = 100,
) -> Response:
    get_project(s, caller, project_id, Permission.VIEW)
    filters = (tuple(severity or ()), state, kev, fixable)
    return _findings_page(s, caller, filters, project_id, cursor, limit)


@router.get("/vulnerabilities/{vuln_id}/projects")
def affected_projects(
    vuln_id: str, s: Db, caller: Caller, state: State = "open"
) -> list[dict[str, Any]]:
    """Every project version with a finding that has ``vuln_id`` among its ids (CVE, GHSA, ...)."""
    query = (
        select(
            Project.id,
            Project.name,
            Project.version,
            FindingRow.component_ref,
            FindingRow.vuln_id,
            FindingRow.state,
        )
        .join(FindingRow, FindingRow.project_id == Project.id)
        .join(FindingAlias, FindingAlias.finding_id == FindingRow.id)
        .where(FindingAlias.alias == vuln_id)
        .where(project_filter(caller, Project.id, owner=Project.owner_team_id))  # type: ignore[arg-type]
    )
    if state:
        query = query.where(FindingRow.state == state)
    out: dict[int, dict[str, Any]] = {}
    for pid, pname, pversion, ref, primary, fstate in s.execute(
        query.order_by(Project.name, Project.version, FindingRow.component_ref)
    ):
        entry = out.setdefault(
            pid, {"id": pid, "name": pname, "version": pversion, "components": []}
        )
        entry["components"].append({"ref": ref, "finding": primary, "state": fstate})
    return list(out.values())

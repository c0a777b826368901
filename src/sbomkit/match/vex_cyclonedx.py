"""CycloneDX VEX: ``vulnerabilities[]`` with ``analysis`` and ``affects[]``."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from sbomkit.match.findings import Status
from sbomkit.match.vex_in import Product, Statement, VexReader

STATES = {
    "resolved": Status.FIXED,
    "resolved_with_pedigree": Status.FIXED,
    "not_affected": Status.NOT_AFFECTED,
    "false_positive": Status.FALSE_POSITIVE,
    "exploitable": Status.AFFECTED,
    "in_triage": Status.UNDER_INVESTIGATION,
}
_VERSION_STATUS = {"unaffected": Status.NOT_AFFECTED, "unknown": Status.UNDER_INVESTIGATION}


def read_cyclonedx_vex(doc: dict[str, Any], r: VexReader) -> list[Statement]:
    refs = _bom_refs(doc)
    out: list[Statement] = []
    for i, raw in enumerate(r.items(doc.get("vulnerabilities"), "vulnerabilities")):
        where = f"vulnerabilities[{i}]"
        v = r.obj(raw, where)
        ids = {r.text(v.get("id"), f"{where}.id") or ""}
        for k, ref in enumerate(r.items(v.get("references"), f"{where}.references")):
            ids.add(r.text(r.obj(ref, f"{where}.references[{k}]").get("id"), f"{where}.id") or "")
        analysis = r.obj(v.get("analysis", {}), f"{where}.analysis")
        state = analysis.get("state", "in_triage")
        if state not in STATES:
            raise r.fail(f"{where}.analysis.state", f"{state!r} is not one of {', '.join(STATES)}")
        just = analysis.get("justification")
        detail = analysis.get("detail")
        base = Statement(
            frozenset(ids),
            (),
            STATES[state],
            just if isinstance(just, str) else None,
            detail if isinstance(detail, str) else None,
            f"{r.rel}: {where}",
        )
        out += _affects(v, where, base, refs, r)
    return out


def _affects(
    v: dict[str, Any], where: str, base: Statement, refs: dict[str, str], r: VexReader
) -> list[Statement]:
    out = []
    for j, raw in enumerate(r.items(v.get("affects"), f"{where}.affects")):
        field = f"{where}.affects[{j}]"
        a = r.obj(raw, field)
        ref = r.text(a.get("ref"), f"{field}.ref") or ""
        ref = unquote(ref.rpartition("#")[2]) if ref.startswith("urn:cdx:") else ref
        purl = r.purl(refs.get(ref, ref), f"{field}.ref")
        if purl is None:
            continue  # a ref without package identity cannot be matched safely
        by_status: dict[Status, tuple[list[str], list[str]]] = {}
        for k, ver in enumerate(r.items(a.get("versions"), f"{field}.versions")):
            entry = r.obj(ver, f"{field}.versions[{k}]")
            status = _version_status(str(entry.get("status", "affected")), base.status)
            exact, ranges = by_status.setdefault(status, ([], []))
            if isinstance(entry.get("version"), str):
                exact.append(entry["version"])
            elif isinstance(entry.get("range"), str):
                ranges.append(entry["range"])
            else:
                raise r.fail(f"{field}.versions[{k}]", "expected a version or a range")
        if not by_status:
            out.append(_with(base, (Product(purl),), base.status))
        for status, (exact, ranges) in by_status.items():
            out.append(_with(base, (Product(purl, tuple(exact), tuple(ranges)),), status))
    return out


def _version_status(word: str, state: Status) -> Status:
    """A version's own status; "unaffected" under a "resolved" or "false_positive"
    analysis keeps that state."""
    if word == "unaffected" and state in (Status.FIXED, Status.FALSE_POSITIVE):
        return state
    return _VERSION_STATUS.get(word, state)


def _with(base: Statement, products: tuple[Product, ...], status: Status) -> Statement:
    return Statement(
        base.vulnerabilities, products, status, base.justification, base.detail, base.source
    )


def _bom_refs(doc: dict[str, Any]) -> dict[str, str]:
    """bom-ref -> purl of every component (nested ones too) and of the metadata component."""
    found: dict[str, str] = {}
    todo = list(doc.get("components") or [])
    meta = doc.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("component"), dict):
        todo.append(meta["component"])
    while todo:
        c = todo.pop()
        if not isinstance(c, dict):
            continue
        if isinstance(c.get("bom-ref"), str) and isinstance(c.get("purl"), str):
            found[c["bom-ref"]] = c["purl"]
        todo.extend(c.get("components") or [])
    return found

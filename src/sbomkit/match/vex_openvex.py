"""OpenVEX (v0.0.x and v0.2.0) statements."""

from __future__ import annotations

from typing import Any

from sbomkit.match.findings import Status
from sbomkit.match.vex_in import Product, Statement, VexReader

STATUSES = {
    "not_affected": Status.NOT_AFFECTED,
    "affected": Status.AFFECTED,
    "fixed": Status.FIXED,
    "under_investigation": Status.UNDER_INVESTIGATION,
}


def read_openvex(doc: dict[str, Any], r: VexReader) -> list[Statement]:
    out = []
    for i, raw in enumerate(r.items(doc.get("statements"), "statements", required=True)):
        where = f"statements[{i}]"
        s = r.obj(raw, where)
        status = s.get("status")
        if status not in STATUSES:
            raise r.fail(f"{where}.status", f"{status!r} is not one of {', '.join(STATUSES)}")
        products = tuple(_products(s, where, r))
        detail = s.get("impact_statement") or s.get("action_statement") or s.get("status_notes")
        out.append(
            Statement(
                frozenset(_vulnerability(s.get("vulnerability"), f"{where}.vulnerability", r)),
                products,
                STATUSES[status],
                r.text(s.get("justification"), f"{where}.justification", required=False),
                detail if isinstance(detail, str) else None,
                f"{r.rel}: {where}",
            )
        )
    return out


def _vulnerability(value: object, field: str, r: VexReader) -> list[str]:
    if isinstance(value, str) and value:  # v0.0.x
        return [value]
    v = r.obj(value, field)
    ids = [x for x in (v.get("name"), v.get("@id")) if isinstance(x, str) and x]
    ids += [a for a in r.items(v.get("aliases"), f"{field}.aliases") if isinstance(a, str)]
    if not ids:
        raise r.fail(f"{field}.name", "expected a vulnerability id")
    return ids


def _products(s: dict[str, Any], where: str, r: VexReader) -> list[Product]:
    found = []
    for j, raw in enumerate(r.items(s.get("products"), f"{where}.products", required=True)):
        field = f"{where}.products[{j}]"
        if isinstance(raw, str):  # v0.0.x: bare identifiers
            ids = [raw]
        else:
            p = r.obj(raw, field)
            ids = [r.text(p.get("@id"), f"{field}.@id") or ""]
            subs = r.items(p.get("subcomponents"), f"{field}.subcomponents")
            ids += [
                r.text(r.obj(x, f"{field}.subcomponents[{k}]").get("@id"), f"{field}.@id") or ""
                for k, x in enumerate(subs)
            ]
        found += [Product(purl) for i in ids if (purl := r.purl(i, field)) is not None]
    return found

"""CSAF 2.0 VEX: ``product_status`` lists of product ids, resolved through the product tree.

A product's ``flags`` label is the justification; its ``impact`` threat, else its first
remediation, is the detail. Flags, threats and remediations may name products through
``group_ids`` of ``product_tree.product_groups``.
"""

from __future__ import annotations

from typing import Any

from sbomkit.match.findings import Status
from sbomkit.match.vex_in import Product, Statement, VexReader

CATEGORIES = {
    "known_not_affected": Status.NOT_AFFECTED,
    "fixed": Status.FIXED,
    "first_fixed": Status.FIXED,
    "known_affected": Status.AFFECTED,
    "first_affected": Status.AFFECTED,
    "last_affected": Status.AFFECTED,
    "under_investigation": Status.UNDER_INVESTIGATION,
}


def read_csaf(doc: dict[str, Any], r: VexReader) -> list[Statement]:
    tree = r.obj(doc.get("product_tree", {}), "product_tree")
    purls = _product_purls(tree, r)
    groups = _product_groups(tree, r)
    out = []
    for i, raw in enumerate(r.items(doc.get("vulnerabilities"), "vulnerabilities")):
        where = f"vulnerabilities[{i}]"
        v = r.obj(raw, where)
        ids = {x for x in [v.get("cve")] if isinstance(x, str)}
        ids |= {
            r.text(r.obj(x, f"{where}.ids[{k}]").get("text"), f"{where}.ids[{k}].text") or ""
            for k, x in enumerate(r.items(v.get("ids"), f"{where}.ids"))
        }
        if not ids:
            raise r.fail(f"{where}.cve", "expected a CVE or ids[]")
        flags = _by_product(v.get("flags"), "label", f"{where}.flags", groups, r)
        # The detail: an impact statement (not_affected), else an action statement (affected).
        detail = _by_product(v.get("threats"), "details", f"{where}.threats", groups, r, "impact")
        actions = _by_product(v.get("remediations"), "details", f"{where}.remediations", groups, r)
        status = r.obj(v.get("product_status", {}), f"{where}.product_status")
        for category, state in CATEGORIES.items():
            field = f"{where}.product_status.{category}"
            for pid in r.items(status.get(category), field):
                if not isinstance(pid, str):
                    raise r.fail(field, "expected product ids (strings)")
                purl = purls.get(pid)
                if purl is None:
                    continue  # a product without a purl has no identity to match
                out.append(
                    Statement(
                        frozenset(ids),
                        (Product(purl),),
                        state,
                        flags.get(pid),
                        detail.get(pid) or actions.get(pid),
                        f"{r.rel}: {field}",
                    )
                )
    return out


def _by_product(
    value: object,
    key: str,
    field: str,
    groups: dict[str, list[str]],
    r: VexReader,
    category: str | None = None,
) -> dict[str, str]:
    """product id -> the first item's ``key`` text, over product_ids and group_ids."""
    out: dict[str, str] = {}
    for k, raw in enumerate(r.items(value, field)):
        item = r.obj(raw, f"{field}[{k}]")
        text = item.get(key)
        if category is not None and item.get("category") != category:
            continue
        pids = list(r.items(item.get("product_ids"), f"{field}[{k}].product_ids"))
        for gid in r.items(item.get("group_ids"), f"{field}[{k}].group_ids"):
            if isinstance(gid, str):
                pids += groups.get(gid, [])
        for pid in pids:
            if isinstance(text, str) and isinstance(pid, str):
                out.setdefault(pid, text)
    return out


def _product_groups(tree: dict[str, Any], r: VexReader) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, raw in enumerate(r.items(tree.get("product_groups"), "product_tree.product_groups")):
        group = r.obj(raw, f"product_tree.product_groups[{k}]")
        gid = group.get("group_id")
        pids = r.items(group.get("product_ids"), f"product_tree.product_groups[{k}].product_ids")
        if isinstance(gid, str):
            out[gid] = [p for p in pids if isinstance(p, str)]
    return out


def _product_purls(tree: dict[str, Any], r: VexReader) -> dict[str, Any]:
    """product_id -> purl, from branches, full_product_names and relationships."""
    found: dict[str, Any] = {}
    products: list[tuple[object, str]] = [
        (p, f"product_tree.full_product_names[{i}]")
        for i, p in enumerate(r.items(tree.get("full_product_names"), "product_tree"))
    ]
    todo: list[tuple[object, str]] = [
        (b, "product_tree.branches") for b in tree.get("branches") or []
    ]
    while todo:
        branch, field = todo.pop()
        if isinstance(branch, dict):
            if "product" in branch:
                products.append((branch["product"], f"{field}.product"))
            todo.extend((b, f"{field}.branches") for b in branch.get("branches") or [])
    for raw, field in products:
        p = r.obj(raw, field)
        helper = p.get("product_identification_helper")
        purl = helper.get("purl") if isinstance(helper, dict) else None
        pid = p.get("product_id")
        if isinstance(pid, str) and isinstance(purl, str):
            parsed = r.purl(purl, f"{field}.product_identification_helper.purl")
            if parsed is not None:
                found[pid] = parsed
    # A component-in-product relationship: the composed id names the component's identity.
    for k, raw in enumerate(r.items(tree.get("relationships"), "product_tree.relationships")):
        rel = r.obj(raw, f"product_tree.relationships[{k}]")
        full = rel.get("full_product_name")
        ref = rel.get("product_reference")
        if isinstance(full, dict) and isinstance(full.get("product_id"), str) and ref in found:
            found[full["product_id"]] = found[ref]
    return found

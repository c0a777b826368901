"""``vers:`` version ranges (purl-spec's vers), checked with our version schemes."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from sbomkit.match.osv_names import REGISTRIES
from sbomkit.versions import VersionError, VersionKey, scheme_for

_OPS = ("<=", ">=", "!=", "<", ">", "=")


def contains(vers: str, version: str) -> bool:
    """Is ``version`` in the range? False when the range or version cannot be ordered."""
    head, _, body = vers.partition("/")
    scheme = scheme_for(REGISTRIES.get(head.removeprefix("vers:"), ""))
    if scheme is None or not body:
        return False
    if body.strip() == "*":
        return True
    try:
        v = scheme.key(version)
        constraints = sorted(
            (_parse(c, scheme.key) for c in body.split("|") if c.strip()), key=lambda c: c[1]
        )
    except (VersionError, ValueError):
        return False
    return _contains(v, constraints)


def _parse(text: str, key: Callable[[str], VersionKey]) -> tuple[str, VersionKey]:
    text = text.strip()
    op = next((o for o in _OPS if text.startswith(o)), "=")
    raw = unquote(text[len(op) :] if text.startswith(op) else text)
    return op, key(raw)


def _contains(v: VersionKey, constraints: list[tuple[str, VersionKey]]) -> bool:
    """The vers spec's containment algorithm."""
    for op, k in constraints:
        if op == "=" and v == k:
            return True
        if op == "!=" and v == k:
            return False
    bounds = [(op, k) for op, k in constraints if op not in ("=", "!=")]
    if not bounds:
        return False
    first_op, first = bounds[0]
    if (first_op == "<" and v < first) or (first_op == "<=" and v <= first):
        return True
    last_op, last = bounds[-1]
    if (last_op == ">" and v > last) or (last_op == ">=" and v >= last):
        return True
    for (op, k), (next_op, next_k) in zip(bounds, bounds[1:], strict=False):
        if op in (">", ">=") and next_op in ("<", "<="):
            above = v > k if op == ">" else v >= k
            below = v < next_k if next_op == "<" else v <= next_k
            if above and below:
                return True
    return False

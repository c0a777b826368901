"""Judge each component's license expression against a policy; find copyleft conflicts.

``OR`` passes when any choice passes (the best choice is reported), ``AND`` needs every
part; ``X WITH Y`` is judged by a rule for the whole term, else for ``X``, else by the
category of ``X`` lowered by the exception's (a linking exception makes GPL weak copyleft).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass

from sbomkit.licenses.categories import COPYLEFT, RANK, Category, category
from sbomkit.licenses.normalize import UNKNOWN, _licensing
from sbomkit.licenses.policy import VERDICT_RANK, Policy, Verdict
from sbomkit.model import Component, Inventory


@dataclass(frozen=True, slots=True)
class Decision:
    ref: str
    name: str
    version: str | None
    expression: str
    source: str  # "declared", "concluded" or "none"
    verdict: Verdict
    category: Category  # of the chosen terms, the most demanding
    chosen: str  # the terms that carry the verdict (one choice of an OR)
    reason: str


@dataclass(frozen=True, slots=True)
class Conflict:
    ref: str
    license: str
    category: Category
    path: tuple[str, ...]  # primary ... component, along DEPENDS_ON edges


@dataclass(frozen=True, slots=True)
class Report:
    distribution: str
    decisions: tuple[Decision, ...]
    conflicts: tuple[Conflict, ...]

    def count(self, verdict: Verdict) -> int:
        return sum(d.verdict is verdict for d in self.decisions)


@dataclass(frozen=True, slots=True)
class _Judged:
    verdict: Verdict
    category: Category
    terms: str
    why: str


def effective(c: Component) -> tuple[str, str]:
    """(expression, source): the concluded licenses when there are any, else the declared."""
    for source, concluded in (("concluded", True), ("declared", False)):
        values = [lic.value if lic.is_expression else UNKNOWN for lic in c.licenses]
        picked = [
            v for v, lic in zip(values, c.licenses, strict=True) if lic.concluded == concluded
        ]
        if picked:
            parts = list(dict.fromkeys(picked))
            return " AND ".join(f"({p})" if " " in p else p for p in parts), source
    return UNKNOWN, "none"


def judge(expression: str, model: str, policy: Policy) -> _Judged:
    try:
        parsed = _licensing().parse(expression, validate=False, simple=False)
    except Exception:  # license-expression raises several unrelated types on bad syntax
        parsed = None
    if parsed is None:
        return _term(UNKNOWN, UNKNOWN, None, model, policy)
    return _walk(parsed, model, policy)


def _walk(node: object, model: str, policy: Policy) -> _Judged:
    operator = getattr(node, "operator", "").strip()
    if operator in ("AND", "OR"):
        parts = [_walk(a, model, policy) for a in getattr(node, "args", ())]
        if operator == "OR":
            best = min(parts, key=lambda j: (VERDICT_RANK[j.verdict], RANK[j.category]))
            return best
        worst = max(parts, key=lambda j: (VERDICT_RANK[j.verdict], RANK[j.category]))
        terms = " AND ".join(p.terms for p in parts)
        return _Judged(worst.verdict, worst.category, terms, worst.why)
    lic = getattr(node, "license_symbol", None)
    exc = getattr(node, "exception_symbol", None)
    if lic is not None and exc is not None:
        return _term(str(node), lic.key, exc.key, model, policy)
    return _term(
        str(getattr(node, "key", node)), str(getattr(node, "key", node)), None, model, policy
    )


def _term(term: str, lic: str, exc: str | None, model: str, policy: Policy) -> _Judged:
    cat = _category(lic, policy)
    if exc is not None:
        lowered = _category(exc, policy)
        if lowered is not Category.UNKNOWN and RANK[lowered] < RANK[cat]:
            cat = lowered
    where = model if policy.rule(model, term) or policy.rule(model, lic) else ""
    for key in (term, lic):
        verdict = policy.rule(model, key)
        if verdict is not None:
            return _Judged(verdict, cat, term, f"{key}: {verdict} ({where or 'default'} rule)")
    verdict = policy.rule(model, cat.value)
    if verdict is not None:
        return _Judged(verdict, cat, term, f"{term}: {cat} -> {verdict} for {model}")
    return _Judged(Verdict.REVIEW, cat, term, f"{term}: no rule names it or {cat}")


def _category(spdx_id: str, policy: Policy) -> Category:
    return policy.categories.get(spdx_id.lower()) or category(spdx_id)


def evaluate(
    inventory: Inventory, policy: Policy, model: str, today: dt.date | None = None
) -> Report:
    today = today or dt.date.today()
    decisions = []
    for c in inventory.components:
        expression, source = effective(c)
        judged = judge(expression, model, policy)
        verdict, why = judged.verdict, judged.why
        waiver = _waiver(c, expression, policy, today)
        if waiver and verdict is not Verdict.ALLOW:
            expired = waiver.startswith("expired")
            verdict, why = (verdict, f"{why}; {waiver}") if expired else (Verdict.ALLOW, waiver)
        decisions.append(
            Decision(
                c.ref,
                c.name,
                c.version,
                expression,
                source,
                verdict,
                judged.category,
                judged.terms,
                why,
            )
        )
    conflicts = _conflicts(inventory, decisions, model, policy)
    return Report(model, tuple(decisions), conflicts)


def _waiver(c: Component, expression: str, policy: Policy, today: dt.date) -> str | None:
    for e in policy.exceptions:
        if not _names(c, e.component):
            continue
        if e.license and e.license.lower() not in expression.lower():
            continue
        if e.expires is not None and e.expires < today:
            return f"expired exception for {e.component} (ended {e.expires.isoformat()})"
        until = f" until {e.expires.isoformat()}" if e.expires else ""
        return f"exception{until}: {e.reason}"
    return None


def _names(c: Component, wanted: str) -> bool:
    if wanted.startswith("pkg:"):
        return c.ref == wanted or c.ref.split("@")[0] == wanted.split("@")[0] and "@" not in wanted
    return wanted in (c.name, f"{c.name}@{c.version}")


def _conflicts(
    inventory: Inventory, decisions: list[Decision], model: str, policy: Policy
) -> tuple[Conflict, ...]:
    """Copyleft reached from a product that is distributed as a binary (strong and network
    copyleft) or run as a service (network copyleft), unless the product is copyleft too."""
    kinds = {"distributed-binary": COPYLEFT, "saas": (Category.NETWORK_COPYLEFT,)}.get(model, ())
    primary = inventory.metadata.primary
    if not kinds or (primary and _own_category(primary, policy) in COPYLEFT):
        return ()
    paths = _paths(inventory, primary.ref if primary else None)
    out = []
    for d in decisions:
        if d.category in kinds and not d.reason.startswith("exception"):
            path = paths.get(d.ref, (d.ref,))
            out.append(Conflict(d.ref, d.chosen, d.category, path))
    return tuple(out)


def _own_category(primary: Component, policy: Policy) -> Category:
    expression, source = effective(primary)
    return judge(expression, "internal", policy).category if source != "none" else Category.UNKNOWN


def _paths(inventory: Inventory, start: str | None) -> dict[str, tuple[str, ...]]:
    """Shortest DEPENDS_ON path from the primary component to every component it reaches."""
    if start is None:
        return {}
    edges: dict[str, list[str]] = {}
    for dep in inventory.dependencies:
        if dep.kind == "DEPENDS_ON":
            edges.setdefault(dep.source, []).append(dep.target)
    paths: dict[str, tuple[str, ...]] = {start: (start,)}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for nxt in sorted(edges.get(here, ())):
            if nxt not in paths:
                paths[nxt] = (*paths[here], nxt)
                queue.append(nxt)
    return paths

"""Rules, their results, and the 0-10 score of a profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from sbomkit.i18n import Msg
from sbomkit.model import Component, ComponentType, Inventory


class Level(StrEnum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"


# A required rule counts twice as much as a recommended one in the score.
WEIGHTS = {Level.REQUIRED: 2, Level.RECOMMENDED: 1}


class Failure(NamedTuple):
    """Why one component (its ref; "" for the document itself) fails a rule."""

    component: str
    why: Msg
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a check saw: how many subjects it looked at and which of them failed."""

    checked: int
    failures: tuple[Failure, ...] = ()


# A check sees the inventory and the components rules judge (see :func:`subjects`).
Check = Callable[[Inventory, tuple[Component, ...]], Outcome]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    level: Level
    field: str  # the model field(s) the rule reads, e.g. "component.supplier"
    clause: str  # where the requirement comes from, as the source numbers it
    title: Msg
    check: Check


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: Rule
    passed: int
    failures: tuple[Failure, ...]

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def fraction(self) -> float:
        total = self.passed + self.failed
        return self.passed / total if total else 0.0


@dataclass(frozen=True, slots=True)
class ProfileResult:
    profile: str
    score: float
    results: tuple[RuleResult, ...]

    @property
    def required_failed(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.rule.level is Level.REQUIRED and r.failed)

    @property
    def passed(self) -> bool:
        return not self.required_failed


def subjects(inv: Inventory) -> tuple[Component, ...]:
    """The primary component (when there is one) and every listed component, once each.

    SPDX 2 file elements are left out: they are parts of a package, not components, and
    have no version or supplier field (sbomqs and ntia-conformance-checker skip them too).
    """
    seen: dict[str, Component] = {}
    if inv.metadata.primary is not None:
        seen[inv.metadata.primary.ref] = inv.metadata.primary
    for c in inv.components:
        if not is_spdx_file(c):
            seen.setdefault(c.ref, c)
    return tuple(seen.values())


def is_spdx_file(c: Component) -> bool:
    """What the SPDX 2 reader makes of a file: type FILE, ref = its SPDXID, no purl, no
    version. (A package whose purpose is FILE with neither purl nor version looks alike.)"""
    return (
        c.type is ComponentType.FILE
        and c.purl is None
        and not c.version
        and c.ref.startswith("SPDXRef-")
    )


def evaluate(profile: str, rules: tuple[Rule, ...], inventory: Inventory) -> ProfileResult:
    judged = subjects(inventory)
    results = []
    for rule in rules:
        out = rule.check(inventory, judged)
        results.append(RuleResult(rule, out.checked - len(out.failures), out.failures))
    return ProfileResult(profile, score(tuple(results)), tuple(results))


def score(results: tuple[RuleResult, ...]) -> float:
    """10 x the weighted mean, over rules, of the share of subjects that pass.

    Weights are :data:`WEIGHTS`; the result is rounded half up to one decimal.
    """
    total = sum(WEIGHTS[r.rule.level] for r in results)
    if not total:
        return 0.0
    mean = sum(WEIGHTS[r.rule.level] * r.fraction for r in results) / total
    return int(mean * 100 + 0.5 + 1e-9) / 10

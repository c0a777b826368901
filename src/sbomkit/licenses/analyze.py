"""The license stage: normalize, detect from files, evaluate, and attach it all to the
inventory so every writer shows it (concluded licenses and ``sbomkit:license-*`` props)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from sbomkit.licenses.detect import HIGH
from sbomkit.licenses.evaluate import Report, evaluate
from sbomkit.licenses.files import FileResult, scan_component
from sbomkit.licenses.normalize import normalize_component
from sbomkit.licenses.policy import Policy
from sbomkit.model import Component, Diagnostic, Inventory, License

VERDICT, CATEGORY, CHOSEN = (
    "sbomkit:license-verdict",
    "sbomkit:license-category",
    "sbomkit:license-choice",
)
DETECTED, CONFIDENCE = "sbomkit:license-detected", "sbomkit:license-confidence"


@dataclass(frozen=True, slots=True)
class Analysis:
    inventory: Inventory
    report: Report
    files: dict[str, list[FileResult]]  # component ref -> its license files


def analyze(
    inventory: Inventory,
    policy: Policy,
    model: str,
    root: Path | None = None,
    today: dt.date | None = None,
) -> Analysis:
    primary = inventory.metadata.primary
    files: dict[str, list[FileResult]] = {}
    notes: list[Diagnostic] = []
    components = []
    for c in inventory.components:
        c = normalize_component(c)
        if root is not None:
            found, problems = scan_component(root, c)
            notes.extend(problems)
            files[c.ref] = found
            c = _with_detection(c, found)
        components.append(c)
    if primary is not None:
        primary = normalize_component(primary)
        if root is not None:
            found, problems = scan_component(root, primary, is_primary=True)
            notes.extend(problems)
            files[primary.ref] = found
            primary = _with_detection(primary, found)
    inv = replace(
        inventory,
        components=tuple(components),
        metadata=replace(inventory.metadata, primary=primary),
        diagnostics=(*inventory.diagnostics, *notes),
    )
    report = evaluate(inv, policy, model, today)
    by_ref = {d.ref: d for d in report.decisions}
    marked = tuple(_mark(c, by_ref.get(c.ref)) for c in inv.components)
    return Analysis(replace(inv, components=marked), report, files)


def _with_detection(c: Component, found: list[FileResult]) -> Component:
    """Detected licenses become concluded licenses when certain; every match is a property."""
    props: set[tuple[str, str]] = set(c.properties)
    concluded: list[License] = []
    for r in found:
        expression = r.detection.expression
        if expression is None:
            continue
        props.add((DETECTED, f"{r.path}: {expression} ({r.detection.confidence:.2f})"))
        if r.detection.confidence >= HIGH:
            lic = License(expression, True, True)
            if lic not in concluded:
                concluded.append(lic)
    if not concluded and props == set(c.properties):
        return c
    if concluded:
        best = min(r.detection.confidence for r in found if r.detection.confidence >= HIGH)
        props.add((CONFIDENCE, f"{best:.2f}"))
    kept = tuple(lic for lic in c.licenses if not lic.concluded)
    return replace(c, licenses=(*kept, *concluded), properties=tuple(sorted(props)))


def _mark(c: Component, decision: object) -> Component:
    from sbomkit.licenses.evaluate import Decision

    if not isinstance(decision, Decision):
        return c
    props = set(c.properties) | {
        (VERDICT, decision.verdict.value),
        (CATEGORY, decision.category.value),
    }
    if decision.chosen != decision.expression:
        props.add((CHOSEN, decision.chosen))
    return replace(c, properties=tuple(sorted(props)))

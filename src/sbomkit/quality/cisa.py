"""CISA, "Framing Software Component Transparency: Establishing a Common Software Bill of
Materials (SBOM)", Third Edition (2024), section 2.2 Baseline Attributes.

The document grades each attribute as Minimum Expected, Recommended Practice or
Aspirational Goal. Minimum Expected maps to ``required`` (the set ntia-conformance-checker's
``fsct3-min`` checks), Recommended Practice to ``recommended``; no aspirational goal is
checked. The grade is repeated in each clause so the output shows it.
"""

from __future__ import annotations

from sbomkit.i18n import Msg
from sbomkit.model import Component, Inventory
from sbomkit.quality.checks import (
    NO_COMPONENTS,
    Verdict,
    any_license,
    describes_component,
    given,
    has,
    identifier,
    per_component,
    per_document,
    timestamp,
)
from sbomkit.quality.engine import Failure, Level, Outcome, Rule, is_spdx_file

_SRC = "CISA FSCT 3rd ed. (2024)"
_MIN = "Minimum Expected"
_REC = "Recommended Practice"


def _author(inv: Inventory) -> Verdict:
    # 2.2.1.1 asks for the name of the entity that made the SBOM: a tool alone is not one.
    m = inv.metadata
    return None if any(map(given, (*m.authors, m.supplier))) else Msg.Q_WHY_MISSING


def _primary_relationships(inv: Inventory) -> Verdict:
    """2.2.2.6.1: the primary component's direct relationships are stated."""
    primary = inv.metadata.primary
    if primary is None:
        return Msg.Q_WHY_NO_ROOT
    if not any(c.ref != primary.ref and not is_spdx_file(c) for c in inv.components):
        return None  # nothing else in the SBOM to relate it to
    if any(d.source == primary.ref for d in inv.dependencies):
        return None
    return Msg.Q_WHY_NO_PRIMARY_EDGES


def _included_in(inv: Inventory, judged: tuple[Component, ...]) -> Outcome:
    """2.2.2.6.2: every component other than the primary is part of something."""
    primary = inv.metadata.primary
    subjects = [c for c in judged if primary is None or c.ref != primary.ref]
    if not subjects:
        return NO_COMPONENTS
    targets = {d.target for d in inv.dependencies}
    failures = tuple(
        Failure(c.ref, Msg.Q_WHY_NOT_INCLUDED) for c in subjects if c.ref not in targets
    )
    return Outcome(len(subjects), failures)


def _hash(c: Component) -> Verdict:
    return None if c.hashes else Msg.Q_WHY_MISSING


RULES: tuple[Rule, ...] = (
    Rule(
        "cisa.author",
        Level.REQUIRED,
        "metadata.authors|supplier",
        f"{_SRC} 2.2.1.1 Author Name ({_MIN})",
        Msg.Q_AUTHOR,
        per_document(_author),
    ),
    Rule(
        "cisa.timestamp",
        Level.REQUIRED,
        "metadata.timestamp",
        f"{_SRC} 2.2.1.2 Timestamp ({_MIN})",
        Msg.Q_TIMESTAMP,
        per_document(timestamp),
    ),
    Rule(
        "cisa.type",
        Level.REQUIRED,
        "metadata.lifecycle",
        f"{_SRC} 2.2.1.3 Type ({_MIN})",
        Msg.Q_SBOM_TYPE,
        per_document(lambda inv: has(inv.metadata.lifecycle)),
    ),
    Rule(
        "cisa.primary",
        Level.REQUIRED,
        "metadata.primary|dependencies[DESCRIBES]",
        f"{_SRC} 2.2.1.4 Primary Component ({_MIN})",
        Msg.Q_PRIMARY,
        per_document(describes_component),
    ),
    Rule(
        "cisa.name",
        Level.REQUIRED,
        "component.name",
        f"{_SRC} 2.2.2.1 Component Name ({_MIN})",
        Msg.Q_NAME,
        per_component(lambda c: has(c.name)),
    ),
    Rule(
        "cisa.version",
        Level.REQUIRED,
        "component.version",
        f"{_SRC} 2.2.2.2 Version ({_MIN})",
        Msg.Q_VERSION,
        per_component(lambda c: has(c.version)),
    ),
    Rule(
        "cisa.supplier",
        Level.REQUIRED,
        "component.supplier",
        f"{_SRC} 2.2.2.3 Supplier Name ({_MIN})",
        Msg.Q_SUPPLIER,
        per_component(lambda c: has(c.supplier)),
    ),
    Rule(
        "cisa.identifier",
        Level.REQUIRED,
        "component.purl|cpes|swid",
        f"{_SRC} 2.2.2.4 Unique Identifier ({_MIN})",
        Msg.Q_IDENTIFIER,
        per_component(identifier),
    ),
    Rule(
        "cisa.hash",
        Level.RECOMMENDED,
        "component.hashes",
        f"{_SRC} 2.2.2.5 Cryptographic Hash ({_REC})",
        Msg.Q_HASH,
        per_component(_hash),
    ),
    Rule(
        "cisa.primary-relationship",
        Level.REQUIRED,
        "dependencies",
        f"{_SRC} 2.2.2.6.1 Primary Relationship ({_MIN})",
        Msg.Q_PRIMARY_REL,
        per_document(_primary_relationships),
    ),
    Rule(
        "cisa.included-in",
        Level.RECOMMENDED,
        "dependencies",
        f'{_SRC} 2.2.2.6.2 "Included In" Relationship ({_REC})',
        Msg.Q_INCLUDED_IN,
        _included_in,
    ),
    Rule(
        "cisa.license",
        Level.REQUIRED,
        "component.licenses",
        f"{_SRC} 2.2.2.7 License ({_MIN})",
        Msg.Q_LICENSE,
        per_component(any_license),
    ),
    Rule(
        "cisa.copyright",
        Level.REQUIRED,
        "component.copyright",
        f"{_SRC} 2.2.2.8 Copyright Notice ({_MIN})",
        Msg.Q_COPYRIGHT,
        per_component(lambda c: has(c.copyright)),
    ),
)

"""NTIA, "The Minimum Elements For a Software Bill of Materials (SBOM)" (July 2021).

The seven data fields of its "Data Fields" minimum element. Where the report leaves room,
the rules read it the way ntia-conformance-checker does, so the two can be compared
(tests/quality/test_ntia_agreement.py lists where and why they still differ).
"""

from __future__ import annotations

from sbomkit.i18n import Msg
from sbomkit.model import Inventory
from sbomkit.quality.checks import (
    Verdict,
    describes_component,
    given,
    has,
    identifier,
    per_component,
    per_document,
    timestamp,
)
from sbomkit.quality.engine import Level, Rule

_SRC = 'NTIA Minimum Elements (2021), "Data Fields"'


def _author(inv: Inventory) -> Verdict:
    """SPDX creators (Person, Organization or Tool) or CycloneDX authors/tools."""
    m = inv.metadata
    return None if any(map(given, m.authors)) or m.tools else Msg.Q_WHY_MISSING


RULES: tuple[Rule, ...] = (
    Rule(
        "ntia.supplier",
        Level.REQUIRED,
        "component.supplier",
        f"{_SRC}: Supplier Name",
        Msg.Q_SUPPLIER,
        per_component(lambda c: has(c.supplier)),
    ),
    Rule(
        "ntia.name",
        Level.REQUIRED,
        "component.name",
        f"{_SRC}: Component Name",
        Msg.Q_NAME,
        per_component(lambda c: has(c.name)),
    ),
    Rule(
        "ntia.version",
        Level.REQUIRED,
        "component.version",
        f"{_SRC}: Version of the Component",
        Msg.Q_VERSION,
        per_component(lambda c: has(c.version)),
    ),
    Rule(
        "ntia.identifier",
        Level.REQUIRED,
        "component.purl|cpes|swid",
        f"{_SRC}: Other Unique Identifiers",
        Msg.Q_IDENTIFIER,
        per_component(identifier),
    ),
    Rule(
        "ntia.dependency",
        Level.REQUIRED,
        "metadata.primary|dependencies[DESCRIBES]",
        f"{_SRC}: Dependency Relationship",
        Msg.Q_DEPENDENCY,
        per_document(describes_component),
    ),
    Rule(
        "ntia.author",
        Level.REQUIRED,
        "metadata.authors|tools",
        f"{_SRC}: Author of SBOM Data",
        Msg.Q_AUTHOR,
        per_document(_author),
    ),
    Rule(
        "ntia.timestamp",
        Level.REQUIRED,
        "metadata.timestamp",
        f"{_SRC}: Timestamp",
        Msg.Q_TIMESTAMP,
        per_document(timestamp),
    ),
)

"""BSI TR-03183-2 "Cyber Resilience Requirements for Manufacturers and Products, Part 2:
Software Bill of Materials (SBOM)", version 2.1.0 (2025).

MUST fields (sections 4, 5.2.1, 5.2.2, and no vulnerability data in the SBOM) are
``required``; the additional fields that are a MUST only "if it exists" (5.2.3, 5.2.4) are
``recommended``, since an SBOM alone cannot show that the value exists. The executable,
archive, structured and filename properties are read from the BSI CycloneDX property
taxonomy (``bsi:component:*``).
"""

from __future__ import annotations

from sbomkit.i18n import Msg
from sbomkit.model import Component, Inventory
from sbomkit.quality.checks import (
    NO_COMPONENTS,
    ComponentTest,
    Verdict,
    format_at_least,
    given,
    has,
    has_contact,
    identifier,
    per_component,
    per_document,
    property_value,
    spdx_license,
    timestamp,
)
from sbomkit.quality.engine import Check, Failure, Level, Outcome, Rule

_SRC = "BSI TR-03183-2 v2.1.0"
_MIN_FORMAT = {"cyclonedx": (1, 6), "spdx": (3, 0, 1)}
# extra keys under which readers keep vulnerability data they have no model field for
_VULN_KEYS = ("cyclonedx:vulnerabilities",)


def _creator(inv: Inventory) -> Verdict:
    m = inv.metadata
    return None if any(map(has_contact, (*m.authors, m.supplier))) else Msg.Q_WHY_NO_CONTACT


def _component_creator(c: Component) -> Verdict:
    return None if has_contact(c.supplier) or has_contact(c.author) else Msg.Q_WHY_NO_CONTACT


def _in_graph(inv: Inventory, subjects: tuple[Component, ...]) -> Outcome:
    """Each component's dependencies are enumerated: it takes part in the graph."""
    if not subjects:
        return NO_COMPONENTS
    linked = {d.source for d in inv.dependencies} | {d.target for d in inv.dependencies}
    if len(subjects) == 1:
        linked.add(subjects[0].ref)  # a lone component has nothing to depend on
    failures = tuple(
        Failure(c.ref, Msg.Q_WHY_NOT_IN_GRAPH) for c in subjects if c.ref not in linked
    )
    return Outcome(len(subjects), failures)


def _completeness(inv: Inventory) -> Verdict:
    """CycloneDX compositions or SPDX 3 relationship completeness state it."""
    stated = any(k == "cyclonedx:compositions" or "completeness" in k for k, _ in inv.extra)
    return None if stated else Msg.Q_WHY_MISSING


def _distribution_licence(c: Component) -> Verdict:
    concluded = [lic for lic in c.licenses if lic.concluded]
    return None if spdx_license(concluded) else Msg.Q_WHY_NOT_SPDX


def _original_licence(c: Component) -> Verdict:
    declared = [lic for lic in c.licenses if not lic.concluded]
    return None if spdx_license(declared) else Msg.Q_WHY_NOT_SPDX


def _sha512(c: Component) -> Verdict:
    ok = any(h.algorithm.upper().replace("_", "-") == "SHA-512" for h in c.hashes)
    return None if ok else Msg.Q_WHY_NO_SHA512


def _prop(name: str) -> ComponentTest:
    key = f"bsi:component:{name}"
    return lambda c: has(property_value(c, key))


def _source_uri(c: Component) -> Verdict:
    refs = {r.type for r in c.external_refs if given(r.url)}
    return None if refs & {"vcs", "source-distribution"} else Msg.Q_WHY_MISSING


def _deployable_uri(c: Component) -> Verdict:
    refs = {r.type for r in c.external_refs if given(r.url)}
    return None if given(c.source_url) or "distribution" in refs else Msg.Q_WHY_MISSING


def _no_vulnerabilities(inv: Inventory) -> Verdict:
    found = sorted(
        {k for k, _ in inv.extra if k in _VULN_KEYS or (k.startswith("spdx3:") and "ulnerab" in k)}
    )
    return (Msg.Q_WHY_VULNS, ", ".join(found)) if found else None


def _rule(rid: str, level: Level, fld: str, clause: str, title: Msg, check: Check) -> Rule:
    return Rule(f"bsi.{rid}", level, fld, f"{_SRC} {clause}", title, check)


_REQ, _REC = Level.REQUIRED, Level.RECOMMENDED
_T3 = "5.2.2 (Table 3)"
_T5 = "5.2.4 (Table 5)"

RULES: tuple[Rule, ...] = (
    _rule(
        "format",
        _REQ,
        "metadata.spec",
        "4 (SBOM formats)",
        Msg.Q_FORMAT,
        per_document(lambda inv: format_at_least(inv, _MIN_FORMAT)),
    ),
    _rule(
        "creator",
        _REQ,
        "metadata.authors|supplier",
        "5.2.1 (Table 2): Creator of the SBOM",
        Msg.Q_CREATOR_CONTACT,
        per_document(_creator),
    ),
    _rule(
        "timestamp",
        _REQ,
        "metadata.timestamp",
        "5.2.1 (Table 2): Timestamp",
        Msg.Q_TIMESTAMP,
        per_document(timestamp),
    ),
    _rule(
        "component-creator",
        _REQ,
        "component.supplier|author",
        f"{_T3}: Component creator",
        Msg.Q_COMPONENT_CREATOR,
        per_component(_component_creator),
    ),
    _rule(
        "name",
        _REQ,
        "component.name",
        f"{_T3}: Component name",
        Msg.Q_NAME,
        per_component(lambda c: has(c.name)),
    ),
    _rule(
        "version",
        _REQ,
        "component.version",
        f"{_T3}: Component version",
        Msg.Q_VERSION,
        per_component(lambda c: has(c.version)),
    ),
    _rule(
        "filename",
        _REQ,
        "component.properties[bsi:component:filename]",
        f"{_T3}: Filename of the component",
        Msg.Q_FILENAME,
        per_component(_prop("filename")),
    ),
    _rule(
        "dependencies",
        _REQ,
        "dependencies",
        f"{_T3}: Dependencies on other components",
        Msg.Q_IN_GRAPH,
        _in_graph,
    ),
    _rule(
        "completeness",
        _REC,
        "extra[cyclonedx:compositions]",
        f"{_T3}: Dependencies on other components (completeness)",
        Msg.Q_COMPLETENESS,
        per_document(_completeness),
    ),
    _rule(
        "distribution-licence",
        _REQ,
        "component.licenses[concluded]",
        f"{_T3}: Distribution licences",
        Msg.Q_DIST_LICENSE,
        per_component(_distribution_licence),
    ),
    _rule(
        "hash",
        _REQ,
        "component.hashes[SHA-512]",
        f"{_T3}: Hash value of the deployable component",
        Msg.Q_SHA512,
        per_component(_sha512),
    ),
    _rule(
        "executable",
        _REQ,
        "component.properties[bsi:component:executable]",
        f"{_T3}: Executable property",
        Msg.Q_EXECUTABLE,
        per_component(_prop("executable")),
    ),
    _rule(
        "archive",
        _REQ,
        "component.properties[bsi:component:archive]",
        f"{_T3}: Archive property",
        Msg.Q_ARCHIVE,
        per_component(_prop("archive")),
    ),
    _rule(
        "structured",
        _REQ,
        "component.properties[bsi:component:structured]",
        f"{_T3}: Structured property",
        Msg.Q_STRUCTURED,
        per_component(_prop("structured")),
    ),
    _rule(
        "sbom-uri",
        _REC,
        "metadata.document_id",
        "5.2.3 (Table 4): SBOM-URI",
        Msg.Q_SBOM_URI,
        per_document(lambda inv: has(inv.metadata.document_id)),
    ),
    _rule(
        "source-uri",
        _REC,
        "component.external_refs[vcs|source-distribution]",
        f"{_T5}: Source code URI",
        Msg.Q_SOURCE_URI,
        per_component(_source_uri),
    ),
    _rule(
        "deployable-uri",
        _REC,
        "component.source_url|external_refs[distribution]",
        f"{_T5}: URI of the deployable form of the component",
        Msg.Q_DEPLOYABLE_URI,
        per_component(_deployable_uri),
    ),
    _rule(
        "identifier",
        _REC,
        "component.purl|cpes|swid",
        f"{_T5}: Other unique identifiers",
        Msg.Q_IDENTIFIER,
        per_component(identifier),
    ),
    _rule(
        "original-licence",
        _REC,
        "component.licenses[declared]",
        f"{_T5}: Original licences",
        Msg.Q_ORIG_LICENSE,
        per_component(_original_licence),
    ),
    _rule(
        "no-vulnerabilities",
        _REQ,
        "extra[cyclonedx:vulnerabilities|spdx3:*Vulnerability]",
        "3.1 (no vulnerability information in the SBOM)",
        Msg.Q_NO_VULNS,
        per_document(_no_vulnerabilities),
    ),
)

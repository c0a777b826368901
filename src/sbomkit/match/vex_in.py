"""VEX statements in (OpenVEX, CycloneDX VEX, CSAF 2.0) and applying them to findings.

A statement applies to a finding when its vulnerability (id or alias) is one of the
finding's ids AND one of its products is the finding's component: same purl type,
namespace and name, and the version the format says (exact purl version, CycloneDX
``versions[]`` entries or ``vers:`` ranges; no version = every version). Qualifiers are
ignored. Document and source names never decide anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from sbomkit.formats._safe import json_document, read_bounded
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, component_from_purl
from sbomkit.match.findings import Decision, Finding, Status
from sbomkit.match.vers import contains
from sbomkit.model import Component


@dataclass(frozen=True, slots=True)
class Product:
    purl: PackageURL  # version None: every version
    versions: tuple[str, ...] = ()  # exact versions (CycloneDX)
    ranges: tuple[str, ...] = ()  # vers: ranges (CycloneDX)

    def covers(self, c: Component) -> bool:
        p, q = self.purl, c.purl
        if q is None or (p.type, p.namespace, p.name) != (q.type, q.namespace, q.name):
            return False
        if p.version is not None:
            return p.version == c.version
        if not self.versions and not self.ranges:
            return True
        version = c.version or ""
        return version in self.versions or any(contains(r, version) for r in self.ranges)


@dataclass(frozen=True, slots=True)
class Statement:
    vulnerabilities: frozenset[str]  # id and aliases
    products: tuple[Product, ...]
    status: Status
    justification: str | None
    detail: str | None
    source: str  # "file: statements[3]"

    def applies(self, f: Finding) -> bool:
        return not self.vulnerabilities.isdisjoint(f.ids) and any(
            p.covers(f.component) for p in self.products
        )


class VexReader:
    """Shared helpers of the three readers: field checks that name the field."""

    def __init__(self, rel: str) -> None:
        self.rel = rel

    def fail(self, field: str, what: str) -> FormatError:
        return FormatError(Msg.VEX_INVALID, self.rel, f"{field}: {what}")

    def obj(self, value: object, field: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field, "expected an object")
        return value

    def items(self, value: object, field: str, required: bool = False) -> list[Any]:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise self.fail(field, "expected a list")
        return value

    def text(self, value: object, field: str, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value:
            raise self.fail(field, "expected a non-empty string")
        return value

    def purl(self, value: str, field: str) -> PackageURL | None:
        """The purl, normalized as our own components are; None when it is not a purl."""
        if not value.startswith("pkg:"):
            return None
        try:
            parsed = component_from_purl(value).purl
        except IdentityError as e:
            raise self.fail(field, f"invalid purl {value!r}") from e
        return parsed


def load_vex(path: Path) -> list[Statement]:
    rel = str(path)
    return parse_vex(read_bounded(path, rel), rel)


def parse_vex(data: bytes, rel: str) -> list[Statement]:
    """OpenVEX, CycloneDX VEX or CSAF 2.0 VEX statements of one document."""
    doc = json_document(data, rel)
    context = doc.get("@context")
    if isinstance(context, str) and "openvex" in context:
        from sbomkit.match.vex_openvex import read_openvex

        return read_openvex(doc, VexReader(rel))
    if doc.get("bomFormat") == "CycloneDX":
        from sbomkit.match.vex_cyclonedx import read_cyclonedx_vex

        return read_cyclonedx_vex(doc, VexReader(rel))
    document = doc.get("document")
    if isinstance(document, dict) and "csaf_version" in document:
        from sbomkit.match.vex_csaf import read_csaf

        return read_csaf(doc, VexReader(rel))
    raise FormatError(
        Msg.VEX_INVALID,
        rel,
        "neither OpenVEX (@context), CycloneDX (bomFormat) nor CSAF 2.0 (document.csaf_version)",
    )


def apply_vex(findings: list[Finding], statements: list[Statement]) -> list[Finding]:
    """The last statement that applies decides (later statements supersede earlier ones)."""
    out = []
    for f in findings:
        hit = next((s for s in reversed(statements) if s.applies(f)), None)
        if hit is not None:
            decision = Decision(hit.status, hit.source, hit.justification, hit.detail)
            f = replace(f, decision=decision)
        out.append(f)
    return out

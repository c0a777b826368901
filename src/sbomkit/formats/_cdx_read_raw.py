"""What a CycloneDX document says, decoded from JSON or XML, before it meets the model.

Both decoders fill these structures; :mod:`.cyclonedx_reader` maps them to the inventory,
so the mapping rules exist once. ``extra`` pairs are already keyed for their encoding
(``cyclonedx:`` + JSON text, ``cyclonedx-xml:`` + XML text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sbomkit.i18n import Msg
from sbomkit.model import Diagnostic, ExternalRef, Hash, License, Location, Tool

_T = TypeVar("_T")

SUPPORTED = ("1.2", "1.3", "1.4", "1.5", "1.6")
SCOPES = {"required": "required", "optional": "optional", "excluded": "dev"}


@dataclass(slots=True)
class RawComponent:
    pointer: str  # /components/3 (JSON) or /bom/components/component[4] (XML)
    name: str | None = None
    version: str | None = None
    bom_ref: str | None = None
    type: str | None = None
    purl: str | None = None
    supplier: str | None = None
    author: str | None = None
    description: str | None = None
    scope: str | None = None
    copyright: str | None = None
    cpe: str | None = None
    licenses: list[License] = field(default_factory=list)
    hashes: list[Hash] = field(default_factory=list)
    external_refs: list[ExternalRef] = field(default_factory=list)
    properties: list[tuple[str, str]] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    # ("cyclonedx:group", '"org.acme"'): the group is only kept when there is no purl.
    group: tuple[str, str] | None = None
    extra: list[tuple[str, str]] = field(default_factory=list)
    children: list[RawComponent] = field(default_factory=list)


@dataclass(slots=True)
class RawDependency:
    pointer: str
    ref: str
    depends_on: list[str]
    provides: list[str]


@dataclass(slots=True)
class RawBom:
    rel: str
    spec: str
    serial: str | None = None
    timestamp: str | None = None
    lifecycle: str | None = None
    supplier: str | None = None
    data_license: str | None = None
    tools: list[Tool] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    primary: RawComponent | None = None
    components: list[RawComponent] = field(default_factory=list)
    dependencies: list[RawDependency] = field(default_factory=list)
    service_refs: set[str] = field(default_factory=set)
    extra: list[tuple[str, str]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # One object for each value met again (supplier names, license lists, hash
    # algorithms): a big document repeats a few of them thousands of times.
    shared: dict[Any, Any] = field(default_factory=dict)

    def problem(self, code: Msg, pointer: str, what: str) -> None:
        self.diagnostics.append(Diagnostic(code, Location(self.rel), f"{pointer}: {what}"))

    def share(self, value: _T) -> _T:
        found: _T = self.shared.setdefault(value, value)
        return found


def contact_text(name: str | None, email: str | None) -> str | None:
    """``Name <email>``: what :func:`._prepare.parse_contact` splits again on writing."""
    if not name:
        return email or None
    return f"{name} <{email}>" if email else name

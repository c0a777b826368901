"""The inventory model: components, dependency edges, document metadata. No I/O here.

Everything is immutable. Identity (purl, canonical names) is fixed when a component is
made, by :mod:`sbomkit.identity`, so nothing downstream re-derives it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from packageurl import PackageURL

from sbomkit.i18n import Msg


class Scope(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    DEV = "dev"


# Merging two sightings of one component keeps the strongest scope.
_SCOPE_RANK = {Scope.REQUIRED: 0, Scope.OPTIONAL: 1, Scope.DEV: 2}


class ComponentType(StrEnum):
    APPLICATION = "application"
    FRAMEWORK = "framework"
    LIBRARY = "library"
    FILE = "file"


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a component or a problem was seen: a path relative to the scan root."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def __lt__(self, other: Location) -> bool:
        # A whole-file location (no line) sorts before the lines of the same file.
        return (self.path, self.line or 0) < (other.path, other.line or 0)


@dataclass(frozen=True, slots=True, order=True)
class Hash:
    """A digest of the component's artifact. ``algorithm`` uses CycloneDX names (SHA-256)."""

    algorithm: str
    value: str


@dataclass(frozen=True, slots=True, order=True)
class License:
    """A declared license: an SPDX expression when it is one, otherwise the text as given."""

    value: str
    is_expression: bool


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found while reading input. Partial failure is data, not an exception."""

    code: Msg
    location: Location
    detail: str = ""
    severity: Severity = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    version: str | None
    ecosystem: str
    purl: PackageURL | None = None
    type: ComponentType = ComponentType.LIBRARY
    supplier: str | None = None
    author: str | None = None
    description: str | None = None
    licenses: tuple[License, ...] = ()
    hashes: tuple[Hash, ...] = ()
    scope: Scope = Scope.REQUIRED
    direct: bool | None = None
    locations: tuple[Location, ...] = ()
    found_by: tuple[str, ...] = ()
    # Where the artifact comes from (registry tarball, VCS, local path), when stated.
    source_url: str | None = None
    homepage: str | None = None
    # Facts without a home in the model: ("sbomkit:source", "editable"), ...
    properties: tuple[tuple[str, str], ...] = ()
    # The purl string when there is a purl (callers that pass ``ref`` keep that promise).
    ref: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.ref:
            object.__setattr__(self, "ref", component_ref(self))

    @property
    def purl_string(self) -> str | None:
        """The canonical purl, without re-rendering it (that costs more than the rest)."""
        return self.ref if self.purl is not None else None


def component_ref(c: Component) -> str:
    """A stable key: the purl when there is one, else ecosystem:name@version."""
    if c.purl is not None:
        return str(c.purl.to_string())
    return f"{c.ecosystem}:{c.name}@{c.version or ''}"


@dataclass(frozen=True, slots=True, order=True)
class Dependency:
    """``source`` depends on ``target``; both are component refs."""

    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    version: str
    vendor: str | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    primary: Component | None = None
    tools: tuple[Tool, ...] = ()
    timestamp: str | None = None  # RFC 3339, UTC
    authors: tuple[str, ...] = ()
    lifecycle: str | None = None  # CycloneDX lifecycle phase, e.g. "build"


@dataclass(frozen=True, slots=True)
class Inventory:
    components: tuple[Component, ...]
    dependencies: tuple[Dependency, ...] = ()
    metadata: Metadata = field(default_factory=Metadata)
    diagnostics: tuple[Diagnostic, ...] = ()


def merge_components(a: Component, b: Component) -> Component:
    """Combine two sightings of the same component (same ref) into one."""
    scope = min(a.scope, b.scope, key=_SCOPE_RANK.__getitem__)
    direct = None if a.direct is None and b.direct is None else bool(a.direct or b.direct)
    return Component(
        name=a.name,
        version=a.version or b.version,
        ecosystem=a.ecosystem,
        purl=a.purl or b.purl,
        type=a.type,
        supplier=a.supplier or b.supplier,
        author=a.author or b.author,
        description=a.description or b.description,
        licenses=a.licenses or b.licenses,
        hashes=tuple(sorted(set(a.hashes) | set(b.hashes))),
        scope=scope,
        direct=direct,
        locations=tuple(sorted(set(a.locations) | set(b.locations))),
        found_by=tuple(sorted(set(a.found_by) | set(b.found_by))),
        source_url=a.source_url or b.source_url,
        homepage=a.homepage or b.homepage,
        properties=tuple(sorted(set(a.properties) | set(b.properties))),
        ref=a.ref,
    )

"""The inventory model: components, dependency edges, document metadata. No I/O here.

Everything is immutable. Identity (purl, canonical names) is fixed when a component is
made, by :mod:`sbomkit.identity`, so nothing downstream re-derives it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from packageurl import PackageURL

from sbomkit.i18n import Msg

_T = TypeVar("_T")


def quick_init(cls: type[_T]) -> type[_T]:
    """Give a frozen, slotted dataclass an ``__init__`` that fills its slots directly.

    A frozen dataclass's own ``__init__`` sets each field through ``object.__setattr__``;
    calling each slot's setter does the same in about half the time, which counts for the
    values a scan makes tens of thousands of (components, findings). Same parameters,
    defaults and ``__post_init__``; a field with ``init=False`` gets its default. Classes
    with default factories, ``InitVar`` or keyword-only fields are refused.
    """
    env: dict[str, Any] = {}
    params, body = [], []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.default_factory is not dataclasses.MISSING or f.kw_only is True:
            raise TypeError(f"quick_init: {cls.__name__}.{f.name} is not supported")
        env[f"set_{f.name}"] = getattr(cls, f.name).__set__
        if f.default is not dataclasses.MISSING:
            env[f"default_{f.name}"] = f.default
        if not f.init:
            value = f"default_{f.name}"
        else:
            has_default = f.default is not dataclasses.MISSING
            params.append(f"{f.name}=default_{f.name}" if has_default else f.name)
            value = f.name
        body.append(f"    set_{f.name}(self, {value})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body), env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


class Scope(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    DEV = "dev"


# Merging two sightings of one component keeps the strongest scope.
_SCOPE_RANK = {Scope.REQUIRED: 0, Scope.OPTIONAL: 1, Scope.DEV: 2}


class ComponentType(StrEnum):
    """CycloneDX 1.6 component types plus SPDX 2.3 purposes CycloneDX has no word for."""

    APPLICATION = "application"
    FRAMEWORK = "framework"
    LIBRARY = "library"
    FILE = "file"
    CONTAINER = "container"
    PLATFORM = "platform"
    OPERATING_SYSTEM = "operating-system"
    DEVICE = "device"
    DEVICE_DRIVER = "device-driver"
    FIRMWARE = "firmware"
    MACHINE_LEARNING_MODEL = "machine-learning-model"
    DATA = "data"
    CRYPTOGRAPHIC_ASSET = "cryptographic-asset"
    # SPDX 2.3 primaryPackagePurpose values without a CycloneDX type.
    SOURCE = "source"
    ARCHIVE = "archive"
    INSTALL = "install"
    OTHER = "other"


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
    """A license: an SPDX expression when it is one, otherwise the text as given.

    ``concluded`` False is what the package declares (SPDX licenseDeclared, CycloneDX
    acknowledgement "declared"); True is what someone concluded (licenseConcluded).
    """

    value: str
    is_expression: bool
    concluded: bool = False


@dataclass(frozen=True, slots=True, order=True)
class ExternalRef:
    """A link: ``type`` uses CycloneDX's externalReference types (website, vcs, ...)."""

    type: str
    url: str
    comment: str | None = None


# Format-specific data the model has no field for, kept verbatim so that a writer of the
# same format can put it back and other writers can report it as lost:
# (("cyclonedx:pedigree", '{"ancestors": [...]}'), ...) -- key "<format>:<field>", JSON text.
Extra = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found while reading input. Partial failure is data, not an exception."""

    code: Msg
    location: Location
    detail: str = ""
    severity: Severity = Severity.WARNING


@quick_init  # a scan makes one per component of the SBOM
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
    cpes: tuple[str, ...] = ()
    copyright: str | None = None
    external_refs: tuple[ExternalRef, ...] = ()
    extra: Extra = ()
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
    """``source`` relates to ``target`` (both component refs) as ``kind`` says.

    ``kind`` uses SPDX 2.3 relationship type names: DEPENDS_ON (the default, what every
    cataloger states), CONTAINS (CycloneDX nested components), GENERATED_FROM, ...
    Readers store a reverse-direction type in its forward form with the ends swapped
    (``A DEPENDENCY_OF B`` -> ``Dependency(B, A, "DEPENDS_ON")``, CONTAINED_BY -> CONTAINS,
    DESCRIBED_BY -> DESCRIBES), so one fact has one spelling. Types that have no forward
    form (DEV_DEPENDENCY_OF, BUILD_DEPENDENCY_OF, TEST_DEPENDENCY_OF, ...) are kept as
    written. SPDX 3 relationship types (dependsOn, contains, ...) map to these names.
    """

    source: str
    target: str
    kind: str = "DEPENDS_ON"


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
    # Set by SBOM readers: what the document was and called itself.
    spec: str | None = None  # "cyclonedx-1.6", "spdx-2.3", "spdx-3.0.1"
    name: str | None = None  # SPDX document name
    document_id: str | None = None  # CycloneDX serialNumber, SPDX documentNamespace
    supplier: str | None = None
    data_license: str | None = None  # SPDX dataLicense, CycloneDX metadata.licenses


@dataclass(frozen=True, slots=True)
class Inventory:
    components: tuple[Component, ...]
    dependencies: tuple[Dependency, ...] = ()
    metadata: Metadata = field(default_factory=Metadata)
    diagnostics: tuple[Diagnostic, ...] = ()
    # Document-level data without a home in the model (services, compositions,
    # annotations, snippets, ...): see :data:`Extra`.
    extra: Extra = ()


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
        cpes=tuple(sorted(set(a.cpes) | set(b.cpes))),
        copyright=a.copyright or b.copyright,
        external_refs=tuple(sorted(set(a.external_refs) | set(b.external_refs))),
        extra=a.extra or b.extra,
        ref=a.ref,
    )

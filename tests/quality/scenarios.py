"""A complete inventory built by hand; each scenario takes one thing out of it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sbomkit.identity import make_component
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    ExternalRef,
    Hash,
    Inventory,
    License,
    Metadata,
    Tool,
)

BSI_PROPS = (
    ("bsi:component:archive", "no archive"),
    ("bsi:component:executable", "executable"),
    ("bsi:component:filename", "component.bin"),
    ("bsi:component:structured", "unstructured"),
)


def full(ecosystem: str, name: str, version: str, who: str, **over: Any) -> Component:
    """A component that has every field any profile asks for."""
    fields: dict[str, Any] = {
        "supplier": who,
        "licenses": (License("MIT", True, concluded=True), License("MIT", True)),
        "hashes": (Hash("SHA-512", "ab" * 64),),
        "copyright": f"Copyright 2024 {name} authors",
        "properties": BSI_PROPS,
        "external_refs": (ExternalRef("vcs", f"https://git.example.org/{name}"),),
        "source_url": f"https://dl.example.org/{name}-{version}.tar.gz",
    }
    fields.update(over)
    return make_component(ecosystem, name, version, **fields)


APP = full(
    "generic", "acme-app", "1.0.0", "ACME <psirt@acme.example>", type=ComponentType.APPLICATION
)
LIB_A = full("pypi", "lib-a", "1.0", "Lib A Team <a@example.org>")
LIB_B = full("npm", "lib-b", "2.0", "https://lib-b.example.org")

METADATA = Metadata(
    primary=APP,
    tools=(Tool("sbomkit", "0.1.0"),),
    timestamp="2024-05-01T12:00:00Z",
    authors=("Jane Doe <jane@acme.example>",),
    lifecycle="build",
    spec="cyclonedx-1.6",
    document_id="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
    supplier="ACME",
)

COMPLETE = Inventory(
    components=(LIB_A, LIB_B),
    dependencies=(
        Dependency(APP.ref, LIB_A.ref),
        Dependency(APP.ref, LIB_B.ref),
        Dependency(LIB_A.ref, LIB_B.ref),
    ),
    metadata=METADATA,
    extra=(("cyclonedx:compositions", '[{"aggregate":"complete"}]'),),
)


def with_meta(**changes: Any) -> Inventory:
    return replace(COMPLETE, metadata=replace(METADATA, **changes))


def with_component(old: Component, **changes: Any) -> Inventory:
    new = replace(old, **changes)
    if old is APP:
        return with_meta(primary=new)
    comps = tuple(new if c is old else c for c in COMPLETE.components)
    return replace(COMPLETE, components=comps)


def without_primary(*extra_edges: Dependency) -> Inventory:
    """The application listed as a plain component; the document does not say it is the root."""
    return replace(
        COMPLETE,
        components=(APP, LIB_A, LIB_B),
        dependencies=COMPLETE.dependencies + extra_edges,
        metadata=replace(METADATA, primary=None),
    )

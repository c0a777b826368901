"""What a target format cannot express, computed from an inventory and the writer's table.

``TABLES`` holds, per writer name, what that writer does NOT write as itself and what
becomes of it (dropped, folded into comment text, ...). It describes the code in
``sbomkit/formats/``, so it must change with it: tests/transform/test_loss_tables.py writes
one probe inventory with every field set through every writer and fails when a writer
starts or stops writing something the table says.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sbomkit.formats._spdx3_maps import RELATIONSHIPS
from sbomkit.formats._values import valid_hashes
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg, render
from sbomkit.model import Component, ComponentType, Inventory, Metadata, Scope

EXAMPLES = 3  # refs shown per loss


class Fate(StrEnum):
    DROPPED = "dropped"
    COMMENT = "comment"  # folded into free text (SPDX package comment)
    PROPERTY = "property"  # a name/value property instead of the format's own field
    DECLARED = "declared"  # a concluded license written as a declared one
    DEPENDS_ON = "depends-on"  # a relationship kind written as plain depends-on


FATE_MSG: dict[Fate, Msg] = {
    Fate.DROPPED: Msg.FATE_DROPPED,
    Fate.COMMENT: Msg.FATE_COMMENT,
    Fate.PROPERTY: Msg.FATE_PROPERTY,
    Fate.DECLARED: Msg.FATE_DECLARED,
    Fate.DEPENDS_ON: Msg.FATE_DEPENDS_ON,
}


@dataclass(frozen=True, slots=True)
class Capabilities:
    """One writer: model fields it does not write as themselves, and what it can."""

    fields: Mapping[str, Fate]  # keys of COMPONENT_FIELDS / METADATA_FIELDS
    types: frozenset[ComponentType]
    kinds: frozenset[str]  # Dependency.kind values written as themselves
    other_kinds: Fate = Fate.DEPENDS_ON
    # Types not in ``types`` that are kept in another form; the rest are dropped.
    other_types: Mapping[ComponentType, Fate] = field(default_factory=dict)
    # Prefixes ("cyclonedx" of "cyclonedx:pedigree") of extra keys the writer puts back.
    extra_formats: frozenset[str] = field(default_factory=frozenset)


# Per-component facts a writer may lose; each says whether a component has the fact.
COMPONENT_FIELDS: dict[str, Callable[[Component], bool]] = {
    "cpes": lambda c: bool(c.cpes),
    "copyright": lambda c: bool(c.copyright),
    "external_refs": lambda c: bool(c.external_refs),
    "found_by": lambda c: bool(c.found_by),
    "hashes.invalid": lambda c: len(valid_hashes(c.hashes)) < len(_hash_keys(c)),
    "licenses.concluded": lambda c: any(lic.concluded for lic in c.licenses),
    "locations": lambda c: bool(c.locations),
    "properties": lambda c: bool(c.properties),
    "scope": lambda c: c.scope is not Scope.REQUIRED,
}
# Document facts; a data license of CC0-1.0 is SPDX's fixed value, not information.
METADATA_FIELDS: dict[str, Callable[[Metadata], str | None]] = {
    "metadata.name": lambda m: m.name,
    "metadata.supplier": lambda m: m.supplier,
    "metadata.lifecycle": lambda m: m.lifecycle,
    "metadata.data_license": lambda m: None if m.data_license == "CC0-1.0" else m.data_license,
}


def _hash_keys(c: Component) -> set[tuple[str, str]]:
    return {(h.algorithm, h.value.strip().lower()) for h in c.hashes}


# Every SPDX 2.3 relationship type (the SPDX 3 migration table lists them all).
SPDX23_KINDS = frozenset(RELATIONSHIPS)
_SPDX_ONLY = frozenset(
    (ComponentType.SOURCE, ComponentType.ARCHIVE, ComponentType.INSTALL, ComponentType.OTHER)
)
_CDX16_TYPES = frozenset(ComponentType) - _SPDX_ONLY
_CDX15_TYPES = _CDX16_TYPES - {ComponentType.CRYPTOGRAPHIC_ASSET}
_SPDX23_TYPES = frozenset(
    ComponentType(t)
    for t in (
        "application",
        "framework",
        "library",
        "container",
        "operating-system",
        "device",
        "firmware",
        "source",
        "archive",
        "file",
        "install",
        "other",
    )
)
# CycloneDX writes an SPDX-only type as file/library plus a sbomkit:spdx-purpose property.
_CDX_OTHER_TYPES = dict.fromkeys(_SPDX_ONLY, Fate.PROPERTY)
_CDX16 = Capabilities(
    {"hashes.invalid": Fate.DROPPED, "metadata.name": Fate.DROPPED},
    _CDX16_TYPES,
    frozenset({"DEPENDS_ON", "CONTAINS"}),
    other_types=_CDX_OTHER_TYPES,
)
_CDX15 = replace(
    _CDX16,
    fields={
        "hashes.invalid": Fate.DROPPED,
        "licenses.concluded": Fate.PROPERTY,
        "locations": Fate.PROPERTY,
        "metadata.name": Fate.DROPPED,
    },
    types=_CDX15_TYPES,
)
# SPDX 2.3 writes CycloneDX-only types as OTHER with a sbomkit:type comment line.
_CYCLONEDX_ONLY = frozenset(
    ComponentType(t)
    for t in ("platform", "device-driver", "machine-learning-model", "data", "cryptographic-asset")
)
_SPDX23 = Capabilities(
    {
        "found_by": Fate.COMMENT,
        "hashes.invalid": Fate.DROPPED,
        "locations": Fate.COMMENT,
        "properties": Fate.COMMENT,
        "scope": Fate.COMMENT,
        "metadata.supplier": Fate.DROPPED,
        "metadata.lifecycle": Fate.DROPPED,
        "metadata.data_license": Fate.DROPPED,
    },
    _SPDX23_TYPES,
    SPDX23_KINDS,
    other_kinds=Fate.DROPPED,
    other_types=dict.fromkeys(_CYCLONEDX_ONLY, Fate.COMMENT),
    extra_formats=frozenset({"spdx"}),
)
# SPDX 3 keeps what it has no field for as extension_CdxPropertiesExtension properties.
_SPDX3 = Capabilities(
    {
        "hashes.invalid": Fate.DROPPED,
        "locations": Fate.PROPERTY,
        "scope": Fate.PROPERTY,
        "metadata.supplier": Fate.PROPERTY,
        "metadata.lifecycle": Fate.PROPERTY,
        "metadata.data_license": Fate.DROPPED,
    },
    frozenset(ComponentType) - {ComponentType.CRYPTOGRAPHIC_ASSET},
    SPDX23_KINDS,
    other_kinds=Fate.DROPPED,
    other_types={ComponentType.CRYPTOGRAPHIC_ASSET: Fate.PROPERTY},
    extra_formats=frozenset({"spdx3"}),
)

# (writer name, spec version) -> capabilities. Keep in step with sbomkit/formats/.
TABLES: dict[tuple[str, str], Capabilities] = {
    ("cyclonedx-json", "1.6"): replace(_CDX16, extra_formats=frozenset({"cyclonedx"})),
    ("cyclonedx-json", "1.5"): replace(_CDX15, extra_formats=frozenset({"cyclonedx"})),
    ("cyclonedx-xml", "1.6"): replace(_CDX16, extra_formats=frozenset({"cyclonedx-xml"})),
    ("cyclonedx-xml", "1.5"): replace(_CDX15, extra_formats=frozenset({"cyclonedx-xml"})),
    ("spdx-json", "2.3"): _SPDX23,
    ("spdx-tv", "2.3"): _SPDX23,
    ("spdx3-json", "3.0.1"): _SPDX3,
}


@dataclass(frozen=True, slots=True)
class Loss:
    what: str  # "component.cpes", "component.extra[spdx:snippets]", "dependency.kind=CONTAINS"
    fate: Fate
    count: int  # components, edges or document entries
    examples: tuple[str, ...]  # refs, "source -> target", or the document value


def find_losses(inventory: Inventory, caps: Capabilities) -> list[Loss]:
    """Every fact of ``inventory`` the writer described by ``caps`` does not write as itself."""
    meta = inventory.metadata
    components = ([meta.primary] if meta.primary else []) + list(inventory.components)
    hits: dict[tuple[str, Fate], list[str]] = defaultdict(list)
    for c in components:
        for name, fate in _component_losses(c, caps):
            hits[name, fate].append(c.ref)
    for name, fate in caps.fields.items():
        value = METADATA_FIELDS[name](meta) if name in METADATA_FIELDS else None
        if value:
            hits[name, fate].append(value)
    for key, _ in inventory.extra:
        if _format_of(key) not in caps.extra_formats:
            hits[f"inventory.extra[{key}]", Fate.DROPPED].append("")
    _dependency_losses(inventory, {c.ref for c in components}, caps, hits)
    return [
        Loss(what, fate, len(found), tuple(sorted({f for f in found if f})[:EXAMPLES]))
        for (what, fate), found in sorted(hits.items())
    ]


def _component_losses(c: Component, caps: Capabilities) -> Iterable[tuple[str, Fate]]:
    for name, fate in caps.fields.items():
        check = COMPONENT_FIELDS.get(name)
        if check is not None and check(c):
            yield f"component.{name}", fate
    if c.type not in caps.types:
        yield f"component.type={c.type.value}", caps.other_types.get(c.type, Fate.DROPPED)
    for key in dict(c.extra):
        if _format_of(key) not in caps.extra_formats:
            yield f"component.extra[{key}]", Fate.DROPPED


def _dependency_losses(
    inventory: Inventory,
    refs: set[str],
    caps: Capabilities,
    hits: dict[tuple[str, Fate], list[str]],
) -> None:
    for d in inventory.dependencies:
        edge = f"{d.source} -> {d.target}"
        if d.kind == "DESCRIBES" and d.source not in refs and d.target in refs:
            # The SPDX document describes a component: a document fact, not a graph edge.
            if d.kind not in caps.kinds:
                hits[f"dependency.kind={d.kind}", Fate.DROPPED].append(edge)
        elif d.source not in refs or d.target not in refs:
            hits["dependency.unknown-ref", Fate.DROPPED].append(edge)
        elif d.kind not in caps.kinds:
            hits[f"dependency.kind={d.kind}", caps.other_kinds].append(edge)


def _format_of(key: str) -> str:
    return key.partition(":")[0]


def loss_document(target: str, spec: str, losses: list[Loss]) -> dict[str, Any]:
    """The ``--loss-report`` JSON (schema in docs/convert-merge-diff.md)."""
    return {
        "schema": "sbomkit-loss/1",
        "target": target,
        "spec": spec,
        "losses": [
            {"what": x.what, "fate": x.fate.value, "count": x.count, "examples": list(x.examples)}
            for x in losses
        ],
    }


def capabilities(writer: str, spec: str) -> Capabilities:
    """The table for a writer; a writer without one is a bug, reported, never skipped."""
    caps = TABLES.get((writer, spec))
    if caps is None:
        detail = f"no loss table for {writer} {spec} in sbomkit/transform/loss.py"
        raise FormatError(Msg.INTERNAL, detail=detail)
    return caps


def loss_rows(losses: list[Loss], lang: str) -> list[tuple[str, str, str, str]]:
    """(what, what happens, count, examples) in the user's language, for the table view."""
    return [
        (x.what, render(FATE_MSG[x.fate], lang), str(x.count), ", ".join(x.examples))
        for x in losses
    ]

"""Assemble supplier SBOMs into one product SBOM under a new root component.

Identity rules, tried in order (the rule that matched is recorded on the component as a
``sbomkit:merged-by`` property):

1. ``purl``: the same purl string, qualifiers and subpath included. Two different purls are
   two components, whatever else they share.
2. ``hash``: otherwise (at least one side has no purl), the same name, version and one
   common digest (algorithm and value).
3. ``name-version``: otherwise, the same name and version, only when neither side has any
   hash.

Facts from the first input win; when a later input disagrees on licenses or supplier, a
``MERGE_CONFLICT`` diagnostic names both values. Refs that are not purls (SPDXIDs,
bom-refs) are prefixed with ``<input number>/`` so two inputs cannot collide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from sbomkit.i18n import Msg
from sbomkit.identity import make_component
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    Diagnostic,
    Inventory,
    Location,
    Metadata,
    Tool,
    merge_components,
)

MERGED_BY = "sbomkit:merged-by"
SOURCE_SBOM = "sbomkit:source-sbom"


@dataclass(frozen=True, slots=True)
class Input:
    inventory: Inventory
    name: str  # the file name as the user gave it: becomes a location of each component


def root_component(name: str, version: str) -> Component:
    """The product: ``pkg:generic/NAME@VERSION``, an application."""
    return make_component("generic", name, version, type=ComponentType.APPLICATION)


def merge(inputs: Iterable[Input], root: Component) -> Inventory:
    state = _State()
    root_targets: list[str] = []
    edges: list[Dependency] = []
    metas: list[Metadata] = []
    diagnostics: list[Diagnostic] = []
    extra: dict[tuple[str, str], None] = {}
    for number, item in enumerate(inputs, start=1):
        inv = item.inventory
        local = state.add_input(number, item)
        refs = {c.ref for c in inv.components}
        edges += [
            Dependency(
                _local_ref(local, number, d.source), _local_ref(local, number, d.target), d.kind
            )
            for d in inv.dependencies
            if not _describes(d, refs)
        ]
        root_targets += [local[r] for r in _tops(inv)]
        metas.append(inv.metadata)
        diagnostics += inv.diagnostics
        extra.update(dict.fromkeys(inv.extra))
    resolve = state.resolve
    deps = {Dependency(resolve(d.source), resolve(d.target), d.kind) for d in edges}
    deps |= {Dependency(root.ref, resolve(t)) for t in root_targets}
    return Inventory(
        components=tuple(state.components[r] for r in sorted(state.components)),
        dependencies=tuple(sorted(d for d in deps if d.source != d.target)),
        metadata=Metadata(
            primary=root,
            tools=_unique_tools(t for m in metas for t in m.tools),
            authors=tuple(dict.fromkeys(a for m in metas for a in m.authors)),
        ),
        diagnostics=(*diagnostics, *state.conflicts),
        extra=tuple(extra),
    )


def _tops(inv: Inventory) -> list[str]:
    """The input's primary; else what the document DESCRIBES (SPDX with several); else the
    components no other component depends on."""
    if inv.metadata.primary is not None:
        return [inv.metadata.primary.ref]
    refs = {c.ref for c in inv.components}
    described = [d.target for d in inv.dependencies if _describes(d, refs)]
    if described:
        return described
    targets = {d.target for d in inv.dependencies if d.source != d.target}
    return [c.ref for c in inv.components if c.ref not in targets]


def _describes(d: Dependency, refs: set[str]) -> bool:
    """The document (not a component) describes a component: replaced by the new root."""
    return d.kind == "DESCRIBES" and d.source not in refs and d.target in refs


def _local_ref(local: dict[str, str], number: int, ref: str) -> str:
    """A ref of the input in merged terms; a dangling non-purl end is prefixed too."""
    return local.get(ref) or (ref if ref.startswith("pkg:") else f"{number}/{ref}")


def _unique_tools(tools: Iterable[Tool]) -> tuple[Tool, ...]:
    return tuple({(t.name, t.version): t for t in tools}.values())


class _State:
    """The merged components so far and the indexes the identity rules look things up in."""

    def __init__(self) -> None:
        self.components: dict[str, Component] = {}
        self.alias: dict[str, str] = {}  # a ref that was merged away -> the ref it became
        self.by_hash: dict[tuple[str, str | None, str, str], str] = {}
        self.by_name: dict[tuple[str, str | None], str] = {}  # components without hashes
        self.conflicts: list[Diagnostic] = []

    def add_input(self, number: int, item: Input) -> dict[str, str]:
        """Add one input's components; its refs -> their refs in the merged inventory."""
        meta = item.inventory.metadata
        label = meta.document_id or item.name
        found_by = tuple(t.name for t in meta.tools)
        everything = ([meta.primary] if meta.primary else []) + list(item.inventory.components)
        local: dict[str, str] = {}
        for c in everything:
            mine = _with_provenance(c, number, item.name, label, found_by)
            local[c.ref] = self.add(mine, item.name)
        return local

    def add(self, c: Component, where: str) -> str:
        match = self._find(c)
        if match is None:
            self.components[c.ref] = c
            self._index(c)
            return c.ref
        ref, rule = match
        kept = self.components.pop(ref)
        merged = merge_components(kept, c)
        merged = replace(merged, properties=tuple(sorted({*merged.properties, (MERGED_BY, rule)})))
        if merged.purl is not None and kept.purl is None:  # a purl wins as the ref
            merged = replace(merged, ref=c.ref)
            self.alias[ref] = c.ref
        if c.ref != merged.ref:
            self.alias[c.ref] = merged.ref
        self.components[merged.ref] = merged
        self._index(merged)
        self._check_conflicts(merged.ref, kept, c, where)
        return merged.ref

    def resolve(self, ref: str) -> str:
        seen = 0
        while ref in self.alias and self.alias[ref] != ref and seen < 64:
            ref, seen = self.alias[ref], seen + 1
        return ref

    def _find(self, c: Component) -> tuple[str, str] | None:
        if c.ref in self.components and c.purl is not None:
            return c.ref, "purl"
        for h in c.hashes:
            ref = self._lookup(self.by_hash.get((c.name, c.version, h.algorithm, h.value.lower())))
            if ref is not None and not (c.purl and self.components[ref].purl):
                return ref, "hash"
        if not c.hashes:
            ref = self._lookup(self.by_name.get((c.name, c.version)))
            if ref is not None and not (c.purl and self.components[ref].purl):
                return ref, "name-version"
        return None

    def _lookup(self, ref: str | None) -> str | None:
        return None if ref is None else self.resolve(ref)

    def _index(self, c: Component) -> None:
        for h in c.hashes:
            self.by_hash[c.name, c.version, h.algorithm, h.value.lower()] = c.ref
        key = (c.name, c.version)
        if c.hashes:
            self.by_name.pop(key, None)
        else:
            self.by_name[key] = c.ref

    def _check_conflicts(self, ref: str, kept: Component, new: Component, where: str) -> None:
        pairs = [
            ("licenses", _licenses(kept), _licenses(new)),
            ("supplier", kept.supplier or "", new.supplier or ""),
        ]
        for what, first, second in pairs:
            if first and second and first != second:
                detail = f"{ref}: {what} {first!r} kept, {second!r} ignored"
                self.conflicts.append(Diagnostic(Msg.MERGE_CONFLICT, Location(where), detail))


def _licenses(c: Component) -> str:
    return " | ".join(sorted({lic.value for lic in c.licenses}))


def _with_provenance(
    c: Component, number: int, file_name: str, label: str, found_by: tuple[str, ...]
) -> Component:
    ref = c.ref if c.purl is not None else f"{number}/{c.ref}"
    return replace(
        c,
        ref=ref,
        locations=tuple(sorted({*c.locations, Location(file_name)})),
        found_by=tuple(sorted({*c.found_by, *found_by})),
        properties=tuple(sorted({*c.properties, (SOURCE_SBOM, label)})),
    )

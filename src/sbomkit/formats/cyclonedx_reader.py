"""Reading CycloneDX 1.2 to 1.6, JSON and XML, into the inventory.

The decoders (:mod:`._cdx_read_json`, :mod:`._cdx_read_xml`) check types and keep what has
no home; this module maps what they found, the same way for both encodings:

- a component with a purl is made by ``identity.component_from_purl`` (ref = canonical
  purl, name from the purl); without one it keeps name and version, ecosystem ``""`` and the
  document's bom-ref as ref, or ``cdx:<pointer>`` when it has none. A bad purl is an
  INVALID_ENTRY diagnostic and the component is kept without it. Components sharing a ref
  (or a bom-ref) are merged with a DUPLICATE_ENTRY diagnostic, as is a component equal to
  ``metadata.component``, which becomes ``Metadata.primary``.
- type -> ComponentType; scope required/optional/excluded -> REQUIRED/OPTIONAL/DEV;
  supplier.name; author, or 1.6 authors as ``Name <email>`` joined by ", "; description;
  copyright; hashes (only well-formed ones, as the writer emits; others are an
  INVALID_ENTRY diagnostic); licenses (id, name, expression; normalized the way the writer
  classifies them; acknowledgement "concluded" -> ``concluded=True``); cpe -> cpes;
  externalReferences -> external_refs; properties -> properties; evidence.occurrences ->
  locations. A license's url, text other than the one our writer makes of a long license,
  and an external reference's hashes are not kept.
- our writer's own encodings are inverted, so writing and reading again loses nothing:
  the first ``vcs`` (for a VCS-looking URL) or ``distribution`` reference -> source_url,
  the first ``website`` reference -> homepage (each only without a comment), and the
  properties ``sbomkit:source-url``, ``sbomkit:homepage``, ``sbomkit:location``,
  ``sbomkit:cpe`` (cpes after the first), ``sbomkit:concluded-license`` and
  ``sbomkit:spdx-purpose`` (SPDX-only component types) go back to their fields. Every other
  property, ``sbomkit:found-by`` included, stays a property.
- everything else on a component (group without a purl, publisher, pedigree, swid, the
  rest of evidence, releaseNotes, modelCard, data, cryptoProperties, omniborId, swhid,
  mime-type, ...) goes to ``Component.extra``: ``("cyclonedx:<field>", <compact JSON>)``
  from JSON, ``("cyclonedx-xml:<element>", <XML text>)`` (``@attr`` for attributes) from XML.
- nested components become flat components and ``Dependency(parent, child, "CONTAINS")``;
  ``dependencies[].dependsOn`` become DEPENDS_ON edges, remapped from bom-refs to refs; an
  edge naming an unknown ref is an UNKNOWN_DEPENDENCY diagnostic and is dropped (edges to
  services are dropped silently: services stay in extra); 1.6 ``provides`` goes to
  ``Inventory.extra`` as ``cyclonedx:provides`` (JSON ``[{"ref", "provides"}]``, both
  encodings, refs remapped).
- metadata: timestamp, tools (1.2-1.4 list and 1.5+ components/services), authors, the
  first lifecycle phase (or name), supplier or else manufacturer (1.6) or manufacture
  (1.5) -> supplier (the others to extra), licenses -> data_license, serialNumber ->
  document_id, spec ``cyclonedx-<specVersion>``.
- document-level services, compositions, vulnerabilities, annotations, formulation,
  declarations, definitions, externalReferences, properties, signature and
  metadata.properties (``cyclonedx:metadata.properties``) go to ``Inventory.extra``.
  Their refs to components are not rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any, ClassVar

import orjson

from sbomkit.formats._cdx_read_json import JsonBom, decode_json
from sbomkit.formats._cdx_read_raw import SCOPES, RawBom, RawComponent, RawDependency
from sbomkit.formats._cdx_read_xml import decode_xml
from sbomkit.formats._json_stream import JsonStream
from sbomkit.formats._safe import json_document, xml_document
from sbomkit.formats._values import (
    HASH_ALGORITHMS,
    classify,
    is_iri_reference,
    is_vcs_url,
    valid_hashes,
)
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, component_from_purl
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    ExternalRef,
    Inventory,
    License,
    Location,
    Metadata,
    Scope,
    merge_components,
)

# Properties our writer uses for facts the model has a field for.
LOCATION, CPE, CONCLUDED, PURPOSE = (
    "sbomkit:location",
    "sbomkit:cpe",
    "sbomkit:concluded-license",
    "sbomkit:spdx-purpose",
)
SOURCE_URL, HOMEPAGE = "sbomkit:source-url", "sbomkit:homepage"
_OWN = frozenset((LOCATION, CPE, CONCLUDED, PURPOSE, SOURCE_URL, HOMEPAGE))
_NO_OWN: dict[str, list[str]] = {name: [] for name in _OWN}  # read, never changed
_SCOPE = {key: Scope(value) for key, value in SCOPES.items()}
_TYPES = {t.value: t for t in ComponentType}


class CycloneDxJsonReader:
    name: ClassVar[str] = "cyclonedx-json"
    # Arrays a big document is read item by item from (see _json_stream).
    long_arrays: ClassVar[tuple[str, ...]] = ("components", "dependencies")

    def read(self, data: bytes, rel: str) -> Inventory:
        return self.read_document(json_document(data, rel), rel)

    def read_document(self, doc: dict[str, Any], rel: str) -> Inventory:
        return to_inventory(decode_json(doc, rel))

    def read_stream(self, stream: JsonStream, rel: str) -> Inventory:
        """The same inventory as ``read``; each component is mapped as soon as it is read."""
        bom = JsonBom(stream.top, rel)
        mapper = BomMapper(bom.raw)
        for c in bom.components(_streamed(stream, "components")):
            mapper.component(c)
        for dep in bom.dependencies(_streamed(stream, "dependencies")):
            mapper.dependency(dep)
        bom.finish()
        return mapper.inventory()


def _streamed(stream: JsonStream, key: str) -> Iterable[Any] | None:
    return stream.items(key) if key in stream.streamed else None


class CycloneDxXmlReader:
    name: ClassVar[str] = "cyclonedx-xml"

    def read(self, data: bytes, rel: str) -> Inventory:
        return to_inventory(decode_xml(xml_document(data, rel), rel))


@dataclass(slots=True)
class _Flat:
    """Components gathered so far, by ref, and where each bom-ref points."""

    raw: RawBom  # where problems go
    primary: Component | None = None
    by_ref: dict[str, Component] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # bom-ref -> ref
    contains: list[Dependency] = field(default_factory=list)

    def add(self, c: RawComponent, parent: str | None) -> None:
        made = make_component(self.raw, c)
        ref = None if made is None else made.ref
        if made is not None:
            ref = self._keep(made, c.pointer)
            if c.bom_ref is not None:
                self._map(c.bom_ref, ref, c.pointer)
            if parent is not None:
                self.contains.append(Dependency(parent, ref, "CONTAINS"))
        for child in c.children:
            self.add(child, ref)

    def _keep(self, made: Component, ptr: str) -> str:
        ref = made.ref
        if self.primary is not None and ref == self.primary.ref:
            self.primary = merge_components(self.primary, made)
            self.raw.problem(Msg.DUPLICATE_ENTRY, ptr, f"{ref} is also metadata.component")
        elif ref in self.by_ref:
            self.by_ref[ref] = merge_components(self.by_ref[ref], made)
            self.raw.problem(Msg.DUPLICATE_ENTRY, ptr, f"{ref} listed before; merged")
        else:
            self.by_ref[ref] = made
        return ref

    def _map(self, bom_ref: str, ref: str, ptr: str) -> None:
        key = ref if bom_ref == ref else bom_ref  # one string, not two equal ones
        known = self.refs.setdefault(key, ref)
        if known != ref:
            self.raw.problem(Msg.DUPLICATE_ENTRY, f"{ptr}/bom-ref", f"bom-ref {bom_ref!r} reused")


def to_inventory(raw: RawBom) -> Inventory:
    mapper = BomMapper(raw)
    for c in raw.components:
        mapper.component(c)
    for dep in raw.dependencies:
        mapper.dependency(dep)
    return mapper.inventory()


class BomMapper:
    """Decoded parts -> the model: the primary first, then each component, then each
    dependency (all components must have come by then). Its problems are listed after
    the decoder's, as when the whole document is decoded before anything is mapped."""

    def __init__(self, raw: RawBom) -> None:
        self.raw = raw
        self.mapped = RawBom(raw.rel, raw.spec, shared=raw.shared)  # problems found mapping
        self.flat = flat = _Flat(self.mapped)
        self.edges: set[Dependency] = set()
        self.provides: list[dict[str, Any]] = []
        if raw.primary is not None:
            flat.primary = make_component(self.mapped, raw.primary)
            if flat.primary is not None and raw.primary.bom_ref is not None:
                flat.refs[raw.primary.bom_ref] = flat.primary.ref
            for child in raw.primary.children:
                flat.add(child, None if flat.primary is None else flat.primary.ref)

    def component(self, c: RawComponent) -> None:
        self.flat.add(c, None)

    def dependency(self, dep: RawDependency) -> None:
        refs = self.flat.refs
        source = self._known(dep.ref, f"{dep.pointer}/ref")
        for i, target in enumerate(dep.depends_on):
            end = self._known(target, f"{dep.pointer}/dependsOn/{i}")
            if source is not None and end is not None:
                self.edges.add(Dependency(source, end))
        if dep.provides:
            ref = refs.get(dep.ref, dep.ref)
            self.provides.append({"ref": ref, "provides": [refs.get(r, r) for r in dep.provides]})

    def _known(self, ref: str, ptr: str) -> str | None:
        found = self.flat.refs.get(ref)
        if found is None and ref not in self.raw.service_refs:
            self.mapped.problem(Msg.UNKNOWN_DEPENDENCY, ptr, f"no component has bom-ref {ref!r}")
        return found

    def inventory(self) -> Inventory:
        raw, flat = self.raw, self.flat
        edges = self.edges | set(flat.contains)
        extra = list(raw.extra)
        if self.provides:
            extra.append(("cyclonedx:provides", orjson.dumps(self.provides).decode("utf-8")))
        timestamp = _timestamp(raw.timestamp, self.mapped)
        return Inventory(
            components=tuple(flat.by_ref.values()),
            dependencies=tuple(sorted(edges, key=attrgetter("source", "target", "kind"))),
            metadata=Metadata(
                primary=flat.primary,
                tools=tuple(raw.tools),
                timestamp=timestamp,
                authors=tuple(raw.authors),
                lifecycle=raw.lifecycle,
                spec=f"cyclonedx-{raw.spec}",
                document_id=raw.serial,
                supplier=raw.supplier,
                data_license=raw.data_license,
            ),
            diagnostics=(*raw.diagnostics, *self.mapped.diagnostics),
            extra=tuple(extra),
        )


def _timestamp(value: str | None, mapped: RawBom) -> str | None:
    if value is None:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        mapped.problem(Msg.INVALID_ENTRY, "/metadata/timestamp", f"{value!r} is no time")
        return None
    return value


def make_component(raw: RawBom, c: RawComponent) -> Component | None:
    """The model's component, or None (with a diagnostic) when it has no name at all."""
    fields = _fields(raw, c)
    if c.name is None or not c.name.strip():
        raw.problem(Msg.MISSING_NAME, f"{c.pointer}/name", "component has no name")
    if c.purl:
        try:
            return component_from_purl(c.purl, **fields)
        except IdentityError as e:
            what = f"component {c.name!r}: {e.detail}"
            raw.problem(Msg.INVALID_ENTRY, f"{c.pointer}/purl", what)
    if not c.name:
        return None
    if c.group is not None:
        fields["extra"] = (c.group, *fields["extra"])
    ref = c.bom_ref or f"cdx:{c.pointer}"
    return Component(name=c.name, version=c.version or None, ecosystem="", ref=ref, **fields)


def _fields(raw: RawBom, c: RawComponent) -> dict[str, Any]:
    # Each part is worked out only when the component has it: most components of a big
    # SBOM have a name, a version and a purl and little else.
    own = (
        {name: [v for n, v in c.properties if n == name] for name in _OWN}
        if c.properties
        else _NO_OWN
    )
    properties = tuple(sorted({p for p in c.properties if p[0] not in _OWN}))
    source_url, homepage, refs = _references(raw, c) if c.external_refs else (None, None, [])
    cpes = ([c.cpe] if c.cpe else []) + sorted(set(own[CPE]))
    concluded, written = own[CONCLUDED], own[LOCATION]
    return {
        "type": _type(raw, c, own[PURPOSE]),
        "supplier": c.supplier or None,
        "author": c.author or None,
        "description": c.description or None,
        "licenses": _licenses(raw, c.licenses, concluded) if c.licenses or concluded else (),
        "hashes": tuple(_hashes(raw, c)) if c.hashes else (),
        "scope": _SCOPE.get(c.scope or "required", Scope.REQUIRED),
        "locations": _locations(c.locations, written) if c.locations or written else (),
        "source_url": source_url or next(iter(own[SOURCE_URL]), None),
        "homepage": homepage or next(iter(own[HOMEPAGE]), None),
        "properties": properties,
        "cpes": tuple(dict.fromkeys(cpes)),
        "copyright": c.copyright or None,
        "external_refs": tuple(refs),
        "extra": tuple(c.extra),
    }


def _type(raw: RawBom, c: RawComponent, purposes: list[str]) -> ComponentType:
    if purposes and purposes[0] in _TYPES:
        return _TYPES[purposes[0]]
    found = _TYPES.get(c.type or "library")
    if found is None:
        raw.problem(Msg.INVALID_ENTRY, f"{c.pointer}/type", f"unknown type {c.type!r}")
        return ComponentType.LIBRARY
    return found


def _references(raw: RawBom, c: RawComponent) -> tuple[str | None, str | None, list[ExternalRef]]:
    """Undo the writer: its source_url and homepage references come without a comment."""
    source_url = homepage = None
    rest = []
    for r in c.external_refs:
        if not is_iri_reference(r.url):
            what = f"external reference {r.url!r} is not a URL; dropped"
            raw.problem(Msg.INVALID_ENTRY, f"{c.pointer}/externalReferences", what)
        elif source_url is None and r.comment is None and _is_source(r):
            source_url = r.url
        elif homepage is None and r.comment is None and r.type == "website":
            homepage = r.url
        else:
            rest.append(r)
    return source_url, homepage, rest


def _is_source(r: ExternalRef) -> bool:
    vcs = is_vcs_url(r.url)
    return (r.type == "vcs" and vcs) or (r.type == "distribution" and not vcs)


def _licenses(raw: RawBom, found: list[License], concluded: list[str]) -> tuple[License, ...]:
    """As the writer will classify them: declared first, then concluded, each unique."""
    every = [*found, *(License(v, True, True) for v in concluded)]
    out: list[License] = []
    for flag in (False, True):
        group = [lic for lic in every if lic.concluded is flag]
        out.extend(raw.share(License(i.text, i.spdx, flag)) for i in classify(group))
    return raw.share(tuple(out))


def _hashes(raw: RawBom, c: RawComponent) -> list[Any]:
    good = valid_hashes(c.hashes)
    if len(good) < len({(h.algorithm, h.value.lower()) for h in c.hashes}):
        bad = sorted({h.algorithm for h in c.hashes if h.algorithm not in HASH_ALGORITHMS})
        what = f"hash dropped (algorithm {', '.join(bad)})" if bad else "malformed hash dropped"
        raw.problem(Msg.INVALID_ENTRY, f"{c.pointer}/hashes", what)
    return good


def _locations(found: list[Location], written: list[str]) -> tuple[Location, ...]:
    places = set(found)
    for text in written:  # "path:line" or "path", as the 1.5 writer puts them
        path, sep, line = text.rpartition(":")
        places.add(Location(path, int(line)) if sep and line.isdigit() else Location(text))
    return tuple(sorted(places))

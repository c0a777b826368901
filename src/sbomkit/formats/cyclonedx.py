"""CycloneDX 1.6 (default) and 1.5, JSON and XML, built by hand from the inventory.

One builder makes the JSON-shaped document, with keys in the order the XML schema
sequences demand; the JSON writer dumps it and the XML writer (:mod:`._cdx_xml`) walks it,
so both encodings always carry the same facts and the same serial number.

Mapping decisions:

- dev-only components get ``scope: excluded``: CycloneDX defines it as "not part of the
  runtime", e.g. test and build tooling. Optional ones get ``optional``.
- where a component was found goes to ``evidence.occurrences`` (path and line) in 1.6 and
  to ``sbomkit:location`` properties (``path:line``) in 1.5, whose occurrences have no line.
- one license that is a compound SPDX expression becomes an ``expression`` entry; otherwise
  each license is an entry of its own, ``id`` for a single SPDX id and ``name`` otherwise
  (the schema forbids mixing expression and license entries).
- a URL the schema would reject (``git@host:path``) is kept as a ``sbomkit:source-url`` or
  ``sbomkit:homepage`` property instead of an external reference.
- dependency edges whose ends are not in the document are left out.
- CONTAINS edges nest the child under its container when it has exactly one (and no cycle
  or depth past ``MAX_NESTING`` forbids it); any other CONTAINS edge becomes a dependsOn.
- the first cpe is ``cpe``, the others ``sbomkit:cpe`` properties; copyright and
  external_refs as such (a type the spec version lacks becomes ``other``, a URL the schema
  rejects is left out).
- concluded licenses carry ``acknowledgement: concluded`` in 1.6; in 1.5, and in 1.6 when
  declared and concluded licenses cannot share one licenses list (either needs an
  expression), the concluded ones are ``sbomkit:concluded-license`` properties instead.
- the SPDX-only types become ``file`` (source, archive, install) or ``library`` (other)
  with a ``sbomkit:spdx-purpose`` property naming the type.
- Metadata.supplier -> metadata.supplier, data_license -> metadata.licenses, document_id
  is the serialNumber when it is a ``urn:uuid:`` (else a new one is made).
- ``cyclonedx:<field>`` extras (JSON text) are put back by the JSON writer and
  ``cyclonedx-xml:<element>`` extras (XML text) by the XML writer, at their schema
  positions, replacing a field of the same name; each writer ignores the other's. Fields
  1.5 does not have are left out of 1.5 documents. ``cyclonedx:provides`` goes back into
  the dependency entries (1.6).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import orjson

from sbomkit.formats._cdx_xml import render_xml
from sbomkit.formats._prepare import (
    Contact,
    Prepared,
    document_uuid,
    dump_json,
    parse_contact,
    prepare,
)
from sbomkit.formats._safe import MAX_NESTING
from sbomkit.formats._values import (
    LicenseInfo,
    classify,
    is_iri_reference,
    is_vcs_url,
    one_line,
    valid_hashes,
)
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.identity import split_npm_name
from sbomkit.model import Component, ComponentType, Inventory, License, Scope, Tool

Json = dict[str, Any]

SPECS = ("1.6", "1.5")
_SCOPES = {Scope.REQUIRED: "required", Scope.OPTIONAL: "optional", Scope.DEV: "excluded"}
_PHASES = frozenset(
    ("design", "pre-build", "build", "post-build", "operations", "discovery", "decommission")
)
# Properties for facts the model has a field for; the reader turns them back.
CPE, CONCLUDED, PURPOSE = "sbomkit:cpe", "sbomkit:concluded-license", "sbomkit:spdx-purpose"
_SPDX_ONLY = {
    ComponentType.SOURCE: "file",
    ComponentType.ARCHIVE: "file",
    ComponentType.INSTALL: "file",
    ComponentType.OTHER: "library",
}
_UUID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_REF_TYPES_15 = frozenset(
    [
        "vcs",
        "issue-tracker",
        "website",
        "advisories",
        "bom",
        "mailing-list",
        "social",
        "chat",
        "documentation",
        "support",
        "distribution",
        "distribution-intake",
        "license",
        "build-meta",
        "build-system",
        "release-notes",
        "security-contact",
        "model-card",
        "log",
        "configuration",
        "evidence",
        "formulation",
        "attestation",
        "threat-model",
        "adversary-model",
        "risk-assessment",
        "vulnerability-assertion",
        "exploitability-statement",
        "pentest-report",
        "static-analysis-report",
        "dynamic-analysis-report",
        "runtime-analysis-report",
        "component-analysis-report",
        "maturity-report",
        "certification-report",
        "codified-infrastructure",
        "quality-metrics",
        "poam",
        "other",
    ]
)
_REF_TYPES_16 = _REF_TYPES_15 | {
    "source-distribution",
    "electronic-signature",
    "digital-signature",
    "rfc-9116",
}
# Schema order (XSD sequences) of the objects extras go back into.
_COMPONENT_ORDER = [
    "type",
    "mime-type",
    "bom-ref",
    "supplier",
    "manufacturer",
    "authors",
    "author",
    "publisher",
    "group",
    "name",
    "version",
    "description",
    "scope",
    "hashes",
    "licenses",
    "copyright",
    "cpe",
    "purl",
    "omniborId",
    "swhid",
    "swid",
    "modified",
    "pedigree",
    "externalReferences",
    "properties",
    "components",
    "evidence",
    "releaseNotes",
    "modelCard",
    "data",
    "cryptoProperties",
    "tags",
    "signature",
]
_METADATA_ORDER = [
    "timestamp",
    "lifecycles",
    "tools",
    "authors",
    "component",
    "manufacturer",
    "manufacture",
    "supplier",
    "licenses",
    "properties",
]
_BOM_ORDER = [
    "$schema",
    "bomFormat",
    "specVersion",
    "serialNumber",
    "version",
    "metadata",
    "components",
    "services",
    "externalReferences",
    "dependencies",
    "compositions",
    "properties",
    "vulnerabilities",
    "annotations",
    "formulation",
    "declarations",
    "definitions",
    "signature",
]
_NOT_IN_15 = frozenset(
    ("manufacturer", "authors", "omniborId", "swhid", "cryptoProperties", "tags")
    + ("declarations", "definitions")
)


def build_bom(inventory: Inventory, spec: str, xml: bool = False) -> Json:
    """The whole document as JSON-ready data, serial number included.

    ``xml`` picks which extras go back in: ``cyclonedx-xml:`` (XML text) or ``cyclonedx:``.
    """
    nest = _Nesting(inventory)
    p = prepare(replace(inventory, dependencies=nest.flat_edges))
    w = _Build(spec, xml, nest)
    w.by_ref = {c.ref: c for c in p.components}
    meta = inventory.metadata
    meta_extras = tuple(
        (k.replace("metadata.", "", 1), v) for k, v in inventory.extra if ":metadata." in k
    )
    metadata = w.metadata(p, meta.lifecycle, meta.supplier, meta.data_license)
    body: Json = {
        "metadata": w.with_extras(metadata, meta_extras, _METADATA_ORDER),
        "components": [w.component(c) for c in p.components if c.ref not in nest.parent],
        "dependencies": w.dependencies(p.graph, inventory.extra),
    }
    head: Json = {
        "$schema": f"http://cyclonedx.org/schema/bom-{spec}.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": spec,
    }
    given = meta.document_id
    if given and _UUID.match(given):
        serial = given
    else:
        serial = f"urn:uuid:{document_uuid({**head, 'version': 1, **body})}"
    doc = {**head, "serialNumber": serial, "version": 1, **body}
    extras = tuple((k, v) for k, v in inventory.extra if "." not in k and k != "cyclonedx:provides")
    return w.with_extras(doc, extras, _BOM_ORDER)


def dumps(doc: Json) -> bytes:
    return dump_json(doc)


class _Nesting:
    """Which CONTAINS edges become nesting: a child with exactly one container, no cycle."""

    def __init__(self, inventory: Inventory) -> None:
        containers: dict[str, set[str]] = {}
        for d in inventory.dependencies:
            if d.kind == "CONTAINS" and d.source != d.target:
                containers.setdefault(d.target, set()).add(d.source)
        parent = {c: next(iter(s)) for c, s in containers.items() if len(s) == 1}
        self.parent = {c: p for c, p in parent.items() if _nests(c, parent)}
        self.children: dict[str, list[str]] = {}
        for child, container in sorted(self.parent.items()):
            self.children.setdefault(container, []).append(child)
        nested = {(p, c) for c, p in self.parent.items()}
        self.flat_edges = tuple(
            d
            for d in inventory.dependencies
            if not (d.kind == "CONTAINS" and (d.source, d.target) in nested)
        )


def _nests(child: str, parent: dict[str, str]) -> bool:
    """True when following containers from ``child`` ends at a top level, not too deep."""
    seen = {child}
    node = child
    for _ in range(MAX_NESTING - 1):
        node_parent = parent.get(node)
        if node_parent is None:
            return True
        if node_parent in seen:
            return False
        seen.add(node_parent)
        node = node_parent
    return False


class _Build:
    def __init__(self, spec: str, xml: bool, nest: _Nesting) -> None:
        self.spec = spec
        self.xml = xml
        self.nest = nest
        self.prefix = "cyclonedx-xml:" if xml else "cyclonedx:"
        self.by_ref: dict[str, Component] = {}

    def metadata(
        self, p: Prepared, lifecycle: str | None, supplier: str | None, data_license: str | None
    ) -> Json:
        out: Json = {"timestamp": p.timestamp}
        if lifecycle:
            out["lifecycles"] = [{"phase" if lifecycle in _PHASES else "name": lifecycle}]
        out["tools"] = {"components": [_tool(t) for t in p.tools]}
        if p.authors:
            out["authors"] = [_contact(a) for a in p.authors]
        if p.primary is not None:
            out["component"] = self.component(p.primary, primary=True)
        if supplier:
            out["supplier"] = {"name": supplier}
        if data_license and (licenses := _licenses((License(data_license, True),))):
            out["licenses"] = licenses
        return out

    def dependencies(self, graph: dict[str, tuple[str, ...]], extra: Any) -> list[Json]:
        out = [_dependency(ref, targets) for ref, targets in graph.items()]
        provided = dict(extra).get("cyclonedx:provides")
        if provided and self.spec != "1.5":
            by_ref = {d["ref"]: d for d in out}
            for entry in orjson.loads(provided):
                if entry["ref"] in by_ref:
                    by_ref[entry["ref"]]["provides"] = entry["provides"]
        return out

    def component(self, c: Component, primary: bool = False, depth: int = 1) -> Json:
        out = _component(c, self.spec, primary)
        kids = [self.by_ref[r] for r in self.nest.children.get(c.ref, ()) if r in self.by_ref]
        if kids:
            out["components"] = [self.component(k, depth=depth + 1) for k in kids]
            out = _ordered(out, _COMPONENT_ORDER)
        if c.extra:
            out = self.with_extras(out, c.extra, _COMPONENT_ORDER)
        return out

    def with_extras(self, out: Json, extra: Any, order: list[str]) -> Json:
        """``out`` with this encoding's extras put back (replacing same-named fields)."""
        added: Json = {}
        for key, text in extra:
            if not key.startswith(self.prefix):
                continue
            name = key[len(self.prefix) :]
            if self.spec == "1.5" and name.lstrip("@") in _NOT_IN_15:
                continue
            if self.xml:
                out.pop(name.lstrip("@"), None)
                added[key] = text
            else:
                added[name] = orjson.loads(text)
        if not added:
            return out
        return _ordered({**out, **added}, order)


def _ordered(obj: Json, order: list[str]) -> Json:
    rank = {k: i for i, k in enumerate(order)}

    def position(key: str) -> int:
        bare = key.rpartition(":")[2].lstrip("@") if key.startswith("cyclonedx") else key
        return rank.get(bare, len(order))

    return dict(sorted(obj.items(), key=lambda kv: position(kv[0])))


def _tool(t: Tool) -> Json:
    out: Json = {"type": "application"}
    if t.vendor:
        out["supplier"] = {"name": t.vendor}
    return {**out, "name": t.name, "version": t.version}


def _contact(c: Contact) -> Json:
    return {"name": c.name, "email": c.email} if c.email else {"name": c.name}


def _component(c: Component, spec: str, primary: bool = False) -> Json:
    out: Json = {"type": _SPDX_ONLY.get(c.type, c.type.value), "bom-ref": c.ref}
    if c.supplier:
        out["supplier"] = {"name": c.supplier}
    if c.author and spec == "1.5":
        out["author"] = c.author
    elif c.author:
        out["authors"] = [_contact(parse_contact(c.author))]
    group, name = split_npm_name(c.name) if c.ecosystem == "npm" else (None, c.name)
    if group:
        out["group"] = group
    out["name"] = name
    if c.version:
        out["version"] = c.version
    if c.description:
        out["description"] = c.description
    if not primary:
        out["scope"] = _SCOPES[c.scope]
    if hashes := valid_hashes(c.hashes):
        out["hashes"] = [{"alg": h.algorithm, "content": h.value} for h in hashes]
    licenses, concluded = _all_licenses(c.licenses, spec)
    if licenses:
        out["licenses"] = licenses
    if c.copyright:
        out["copyright"] = c.copyright
    if c.cpes:
        out["cpe"] = c.cpes[0]
    if c.purl_string is not None:
        out["purl"] = c.purl_string
    refs, loose = _references(c, spec)
    if refs:
        out["externalReferences"] = refs
    loose += concluded + [(CPE, cpe) for cpe in c.cpes[1:]]
    if c.type in _SPDX_ONLY:
        loose.append((PURPOSE, c.type.value))
    if props := _properties(c, spec, loose):
        out["properties"] = props
    if spec != "1.5" and c.locations:
        places = sorted(set(c.locations))
        out["evidence"] = {"occurrences": [_occurrence(loc.path, loc.line) for loc in places]}
    return out


def _all_licenses(
    licenses: tuple[License, ...], spec: str
) -> tuple[list[Json], list[tuple[str, str]]]:
    """Declared and concluded license entries, and concluded ones that must be properties."""
    declared = _licenses(tuple(lic for lic in licenses if not lic.concluded))
    concluded = tuple(lic for lic in licenses if lic.concluded)
    if not concluded:
        return declared, []
    entries = _licenses(concluded)
    expression = any("expression" in e for e in (*declared, *entries))
    if spec == "1.5" or (declared and expression):
        return declared, [(CONCLUDED, i.text) for i in classify(concluded)]
    for e in entries:
        (e if "expression" in e else e["license"])["acknowledgement"] = "concluded"
    return declared + entries, []


def _licenses(licenses: tuple[License, ...]) -> list[Json]:
    infos = classify(licenses)
    if any(i.compound for i in infos) and all(i.spdx for i in infos):
        parts = [f"({i.text})" if i.compound and len(infos) > 1 else i.text for i in infos]
        return [{"expression": " AND ".join(parts)}]
    return [{"license": _license(i)} for i in infos]


def _license(info: LicenseInfo) -> Json:
    if info.single_id:
        return {"id": info.text}
    name = one_line(info.text)
    if name == info.text:
        return {"name": name}
    return {"name": name, "text": {"contentType": "text/plain", "content": info.text}}


def _references(c: Component, spec: str) -> tuple[list[Json], list[tuple[str, str]]]:
    """External references, and the URLs too malformed for one (kept as properties)."""
    wanted: list[tuple[str, str, str]] = []
    if c.source_url:
        kind = "vcs" if is_vcs_url(c.source_url) else "distribution"
        wanted.append((c.source_url, kind, "sbomkit:source-url"))
    if c.homepage:
        wanted.append((c.homepage, "website", "sbomkit:homepage"))
    refs = [{"type": kind, "url": url} for url, kind, _ in wanted if is_iri_reference(url)]
    loose = [(prop, url) for url, _, prop in wanted if not is_iri_reference(url)]
    types = _REF_TYPES_15 if spec == "1.5" else _REF_TYPES_16
    for r in c.external_refs:
        if is_iri_reference(r.url):
            ref: Json = {"type": r.type if r.type in types else "other", "url": r.url}
            if r.comment:
                ref["comment"] = r.comment
            refs.append(ref)
    return refs, loose


def _properties(c: Component, spec: str, loose: list[tuple[str, str]]) -> list[Json]:
    props = set(c.properties) | set(loose)
    props |= {("sbomkit:found-by", f) for f in c.found_by}
    if spec == "1.5":
        props |= {("sbomkit:location", str(loc)) for loc in c.locations}
    return [{"name": n, "value": v} for n, v in sorted(props)]


def _occurrence(path: str, line: int | None) -> Json:
    return {"location": path} if line is None else {"location": path, "line": line}


def _dependency(ref: str, targets: tuple[str, ...]) -> Json:
    return {"ref": ref, "dependsOn": list(targets)} if targets else {"ref": ref}


def _check_spec(spec: str) -> str:
    if spec not in SPECS:
        detail = f"CycloneDX {spec} is not supported; choose one of {', '.join(sorted(SPECS))}"
        raise FormatError(Msg.BAD_OPTION, detail=detail)
    return spec


class CycloneDxJsonWriter:
    name = "cyclonedx-json"
    extension = ".cdx.json"
    specs = SPECS

    def __init__(self, spec: str = "1.6") -> None:
        self.spec = _check_spec(spec)

    @property
    def media_type(self) -> str:
        return f"application/vnd.cyclonedx+json; version={self.spec}"

    def for_spec(self, spec: str) -> CycloneDxJsonWriter:
        return CycloneDxJsonWriter(spec)

    def write(self, inventory: Inventory) -> bytes:
        return dumps(build_bom(inventory, self.spec))


class CycloneDxXmlWriter:
    name = "cyclonedx-xml"
    extension = ".cdx.xml"
    specs = SPECS

    def __init__(self, spec: str = "1.6") -> None:
        self.spec = _check_spec(spec)

    @property
    def media_type(self) -> str:
        return f"application/vnd.cyclonedx+xml; version={self.spec}"

    def for_spec(self, spec: str) -> CycloneDxXmlWriter:
        return CycloneDxXmlWriter(spec)

    def write(self, inventory: Inventory) -> bytes:
        return render_xml(build_bom(inventory, self.spec, xml=True))

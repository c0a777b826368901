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
"""

from __future__ import annotations

from typing import Any

from sbomkit.formats._cdx_xml import render_xml
from sbomkit.formats._prepare import (
    Contact,
    Prepared,
    document_uuid,
    dump_json,
    parse_contact,
    prepare,
)
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
from sbomkit.model import Component, Inventory, License, Scope, Tool

Json = dict[str, Any]

SPECS = ("1.6", "1.5")
_SCOPES = {Scope.REQUIRED: "required", Scope.OPTIONAL: "optional", Scope.DEV: "excluded"}
_PHASES = frozenset(
    ("design", "pre-build", "build", "post-build", "operations", "discovery", "decommission")
)


def build_bom(inventory: Inventory, spec: str) -> Json:
    """The whole document as JSON-ready data, serial number included."""
    p = prepare(inventory)
    body: Json = {
        "metadata": _metadata(p, inventory.metadata.lifecycle, spec),
        "components": [_component(c, spec) for c in p.components],
        "dependencies": [_dependency(ref, targets) for ref, targets in p.graph.items()],
    }
    head: Json = {
        "$schema": f"http://cyclonedx.org/schema/bom-{spec}.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": spec,
    }
    serial = document_uuid({**head, "version": 1, **body})
    return {**head, "serialNumber": f"urn:uuid:{serial}", "version": 1, **body}


def dumps(doc: Json) -> bytes:
    return dump_json(doc)


def _metadata(p: Prepared, lifecycle: str | None, spec: str) -> Json:
    out: Json = {"timestamp": p.timestamp}
    if lifecycle:
        out["lifecycles"] = [{"phase" if lifecycle in _PHASES else "name": lifecycle}]
    out["tools"] = {"components": [_tool(t) for t in p.tools]}
    if p.authors:
        out["authors"] = [_contact(a) for a in p.authors]
    if p.primary is not None:
        out["component"] = _component(p.primary, spec, primary=True)
    return out


def _tool(t: Tool) -> Json:
    out: Json = {"type": "application"}
    if t.vendor:
        out["supplier"] = {"name": t.vendor}
    return {**out, "name": t.name, "version": t.version}


def _contact(c: Contact) -> Json:
    return {"name": c.name, "email": c.email} if c.email else {"name": c.name}


def _component(c: Component, spec: str, primary: bool = False) -> Json:
    out: Json = {"type": c.type.value, "bom-ref": c.ref}
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
    if licenses := _licenses(c.licenses):
        out["licenses"] = licenses
    if c.purl_string is not None:
        out["purl"] = c.purl_string
    refs, loose = _references(c)
    if refs:
        out["externalReferences"] = refs
    if props := _properties(c, spec, loose):
        out["properties"] = props
    if spec != "1.5" and c.locations:
        places = sorted(set(c.locations))
        out["evidence"] = {"occurrences": [_occurrence(loc.path, loc.line) for loc in places]}
    return out


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


def _references(c: Component) -> tuple[list[Json], list[tuple[str, str]]]:
    """External references, and the URLs too malformed for one (kept as properties)."""
    wanted: list[tuple[str, str, str]] = []
    if c.source_url:
        kind = "vcs" if is_vcs_url(c.source_url) else "distribution"
        wanted.append((c.source_url, kind, "sbomkit:source-url"))
    if c.homepage:
        wanted.append((c.homepage, "website", "sbomkit:homepage"))
    refs = [{"type": kind, "url": url} for url, kind, _ in wanted if is_iri_reference(url)]
    loose = [(prop, url) for url, _, prop in wanted if not is_iri_reference(url)]
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
        return render_xml(build_bom(inventory, self.spec))

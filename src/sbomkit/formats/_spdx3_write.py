"""The SPDX 3.0.1 JSON-LD graph of an inventory; :mod:`.spdx3` documents the mapping."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import orjson
from license_expression import ExpressionError

from sbomkit.formats._prepare import (
    Contact,
    Prepared,
    document_uuid,
    dump_json,
    parse_contact,
    prepare,
)
from sbomkit.formats._spdx3_maps import (
    CDX_EXTENSION,
    CONTEXT,
    CREATION_INFO,
    DIRECT,
    DOCUMENT_LINK,
    ECOSYSTEM,
    FILE_TYPE,
    FOUND_BY,
    HASHES,
    HOMEPAGE,
    LICENSE_RELATIONSHIPS,
    LIFECYCLE,
    LOCATION,
    PURPOSES,
    REF,
    REF_PREFIX,
    REF_TYPES,
    RELATIONSHIPS,
    SBOM_LINK,
    SBOM_TYPES,
    SCOPE,
    SOURCE_URL,
    SPDX3_ONLY_REF_TYPES,
    SPEC,
    SUPPLIER,
    TYPE,
    VENDOR,
    VERSION,
    is_element_key,
)
from sbomkit.formats._values import (
    _licensing,
    classify,
    id_fragment,
    is_iri_reference,
    one_line,
    short_hash,
    valid_hashes,
)
from sbomkit.formats.spdx2 import LicenseRefs, spdx_ids
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    Inventory,
    Scope,
    Tool,
    component_ref,
)

Json = dict[str, Any]
Props = list[tuple[str, str]]

NAMESPACE_BASE = "https://sbomkit.invalid/spdxdocs/"
# The document IRI is derived from the content, which holds it: build with a stand-in.
_PENDING = f"{NAMESPACE_BASE}pending-6f0c2d9e5b"


def write_document(inventory: Inventory) -> bytes:
    p = prepare(inventory)
    everything = ([p.primary] if p.primary else []) + list(p.components)
    ids = {ref: f"{_PENDING}#{local}" for ref, local in spdx_ids(everything).items()}
    texts = (i.text for c in everything for i in classify(c.licenses) if not i.spdx)
    g = _Graph(ids, LicenseRefs(texts))
    packages = [g.package(c) for c in everything]
    relationships = g.relationships(inventory.dependencies)
    name = inventory.metadata.name or (p.primary.name if p.primary else "sbom")
    head = g.head(p, inventory, name, _roots(p))
    extras = g.document_extras(inventory.extra, head[1])
    graph = [*head, *g.agents.values(), *packages, *g.licenses.values(), *relationships]
    doc = {"@context": CONTEXT, "@graph": graph + g.tail + extras}
    real = f"{NAMESPACE_BASE}{id_fragment(name) or 'sbom'}-{document_uuid(doc)}"
    return dump_json(doc).replace(_PENDING.encode(), real.encode())


def _roots(p: Prepared) -> list[str]:
    if p.primary is not None:
        return [p.primary.ref]
    targets = {t for ts in p.graph.values() for t in ts}
    return [r for r in p.graph if r not in targets] or list(p.graph)


def _element(kind: str, spdx_id: str, **fields: Any) -> Json:
    return {"type": kind, "spdxId": spdx_id, "creationInfo": CREATION_INFO, **fields}


def _extension(props: Props) -> list[Json]:
    entries = [
        {
            "type": "extension_CdxPropertyEntry",
            "extension_cdxPropName": n,
            "extension_cdxPropValue": v,
        }
        for n, v in props
    ]
    return [{"type": CDX_EXTENSION, "extension_cdxProperty": entries}]


def _loads(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None  # not ours to judge: extra data another reader kept


class _Graph:
    def __init__(self, ids: dict[str, str], refs: LicenseRefs) -> None:
        self.ids = ids
        self.refs = refs
        self.agents: dict[str, Json] = {}
        self.licenses: dict[str, Json] = {}
        self.tail: list[Json] = []  # elements kept from a read document
        self.extended = False
        self._links: dict[str, str] = {}

    def relink(self, text: str) -> Any:
        """Data kept from a read document, its links to components and the document renewed."""
        if not self._links:
            self._links = {REF_PREFIX + ref: sid for ref, sid in self.ids.items()}
            self._links.update({DOCUMENT_LINK: _PENDING, SBOM_LINK: f"{_PENDING}#sbom"})
        return _relink(_loads(text), self._links)

    def package(self, c: Component) -> Json:
        sid = self.ids[c.ref]
        kind = "software_Package"
        if c.type is ComponentType.FILE and c.purl is None and not c.version:
            kind = FILE_TYPE
        extras = [(k.removeprefix("spdx3:"), v) for k, v in c.extra if k.startswith("spdx3:")]
        kind = next((_loads(v) for k, v in extras if k == "type"), None) or kind
        out = _element(kind, sid, name=c.name)
        if c.description:
            out["description"] = c.description
        loose = self._artifact(c, kind, out)
        if c.supplier:
            out["suppliedBy"] = self.agent(parse_contact(c.supplier, "Organization"))
        if c.author:
            out["originatedBy"] = [self.agent(parse_contact(c.author))]
        if hashes := valid_hashes(c.hashes):
            out["verifiedUsing"] = [
                {"type": "Hash", "algorithm": HASHES[h.algorithm], "hashValue": h.value}
                for h in hashes
            ]
        if c.cpes:
            out["externalIdentifier"] = [_cpe(cpe) for cpe in c.cpes]
        if c.external_refs:
            out["externalRef"] = [_external_ref(r.type, r.url, r.comment) for r in c.external_refs]
        if props := _properties(c, loose):
            out["extension"] = _extension(props)
            self.extended = True
        self._licenses(c, sid)
        for key, value in extras:
            self._extra_field(out, sid, key, value)
        return out

    def _artifact(self, c: Component, kind: str, out: Json) -> Props:
        """Package fields and the purpose; the URLs no field can take, as properties."""
        loose: Props = []
        urls = (
            (c.source_url, "software_downloadLocation", SOURCE_URL),
            (c.homepage, "software_homePage", HOMEPAGE),
        )
        if kind != FILE_TYPE:
            if c.version:
                out["software_packageVersion"] = c.version
            if c.purl_string is not None:
                out["software_packageUrl"] = c.purl_string
        for url, field, prop in urls:
            if url and kind != FILE_TYPE and is_iri_reference(url):
                out[field] = url
            elif url:
                loose.append((prop, url))
        if c.copyright:
            out["software_copyrightText"] = c.copyright
        if kind != FILE_TYPE:
            out["software_primaryPurpose"] = PURPOSES.get(c.type, "other")
        return loose

    def _extra_field(self, out: Json, sid: str, key: str, text: str) -> None:
        value = self.relink(text)
        if key == "type" or value is None:
            return
        if is_element_key(key):
            if isinstance(value, dict):
                spdx_id = value.get("spdxId") or f"{sid}-{key}-{len(self.tail)}"
                self.tail.append({**value, **_element(key, spdx_id), "subject": sid})
        elif isinstance(out.get(key), list) and isinstance(value, list):
            out[key] = out[key] + value
        else:
            out[key] = value

    def agent(self, who: Contact) -> str:
        digest = short_hash("\n".join((who.kind, who.name, who.email or "")), 8)
        sid = f"{_PENDING}#{who.kind}-{id_fragment(who.name)[:40] or 'agent'}-{digest}"
        if sid not in self.agents:
            out = _element(who.kind, sid, name=who.name)
            if who.email:
                email = {"type": "ExternalIdentifier", "externalIdentifierType": "email"}
                out["externalIdentifier"] = [{**email, "identifier": who.email}]
            self.agents[sid] = out
        return sid

    def tool(self, t: Tool) -> str:
        sid = f"{_PENDING}#Tool-{id_fragment(t.name)[:40] or 'tool'}-"
        sid += short_hash("\n".join((t.name, t.version, t.vendor or "")), 8)
        props = [(VERSION, t.version)] if t.version else []
        props += [(VENDOR, t.vendor)] if t.vendor else []
        out = _element("Tool", sid, name=t.name)
        if props:
            out["extension"] = _extension(props)
            self.extended = True
        self.agents[sid] = out
        return sid

    def expression(self, expression: str, text: str | None = None) -> str:
        sid = f"{_PENDING}#License-{short_hash(expression, 10)}"
        if sid not in self.licenses:
            out = _element(
                "simplelicensing_LicenseExpression",
                sid,
                simplelicensing_licenseExpression=expression,
            )
            if text is not None:
                text_id = f"{_PENDING}#{expression}"
                entry = {"type": "DictionaryEntry", "key": expression, "value": text_id}
                out["simplelicensing_customIdToUri"] = [entry]
                self.licenses[text_id] = _element(
                    "simplelicensing_SimpleLicensingText",
                    text_id,
                    name=one_line(text),
                    simplelicensing_licenseText=text,
                )
            self.licenses[sid] = out
        return sid

    def _licenses(self, c: Component, sid: str) -> None:
        chosen: dict[bool, dict[str, None]] = {False: {}, True: {}}
        for lic in c.licenses:
            for info in classify((lic,)):
                if info.spdx or (lic.is_expression and _custom_expression(info.text)):
                    lid = self.expression(lic.value.strip())
                else:
                    lid = self.expression(self.refs.ids[info.text], info.text)
                chosen[lic.concluded][lid] = None
        for rel, concluded in LICENSE_RELATIONSHIPS.items():
            if chosen[concluded]:
                out = _element("Relationship", f"{sid}-{rel}", **{"from": sid})
                self.tail.append({**out, "relationshipType": rel, "to": list(chosen[concluded])})

    def relationships(self, dependencies: Iterable[Dependency]) -> list[Json]:
        """One Relationship per (from, type, scope) listing its targets; dangling edges dropped."""
        groups: dict[tuple[str, str, str | None, str], dict[str, None]] = {}
        for d in sorted(set(dependencies), key=lambda d: (d.source, d.target, d.kind)):
            if d.source not in self.ids or d.target not in self.ids:
                continue
            rel, swap, scope = RELATIONSHIPS.get(d.kind, ("other", False, None))
            comment = "" if d.kind in RELATIONSHIPS else d.kind
            a, b = (d.target, d.source) if swap else (d.source, d.target)
            groups.setdefault((self.ids[a], rel, scope, comment), {})[self.ids[b]] = None
        out = []
        for (source, rel, scope, comment), targets in groups.items():
            suffix = "".join(
                (f"-{scope}" if scope else "", f"-{short_hash(comment, 8)}" * bool(comment))
            )
            kind = "LifecycleScopedRelationship" if scope else "Relationship"
            element = _element(kind, f"{source}-{rel}{suffix}", **{"from": source})
            element.update(relationshipType=rel, to=list(targets))
            if scope:
                element["scope"] = scope
            if comment:
                element["comment"] = comment
            out.append(element)
        return out

    def head(self, p: Prepared, inventory: Inventory, name: str, roots: list[str]) -> list[Json]:
        """CreationInfo, SpdxDocument and Sbom."""
        meta = inventory.metadata
        tools = [self.tool(t) for t in p.tools]
        authors = [self.agent(a) for a in p.authors]
        if not authors:
            authors = [f"{_PENDING}#SoftwareAgent-{id_fragment(p.tools[0].name)}"]
            self.agents[authors[0]] = _element("SoftwareAgent", authors[0], name=p.tools[0].name)
        info: Json = {"type": "CreationInfo", "@id": CREATION_INFO, "specVersion": SPEC}
        info.update(created=p.timestamp, createdBy=authors, createdUsing=tools)
        sbom = _element("software_Sbom", f"{_PENDING}#sbom")
        if roots:
            sbom["rootElement"] = [self.ids[r] for r in roots]
        if len(self.ids) > len(roots):
            sbom["element"] = list(self.ids.values())
        props: Props = [(SUPPLIER, meta.supplier)] if meta.supplier else []
        if meta.lifecycle in SBOM_TYPES:
            sbom["software_sbomType"] = [SBOM_TYPES[meta.lifecycle]]
        elif meta.lifecycle:
            props.append((LIFECYCLE, meta.lifecycle))
        doc = _element("SpdxDocument", _PENDING, name=name)
        doc["dataLicense"] = self.expression("CC0-1.0")
        if props:
            doc["extension"] = _extension(props)
            self.extended = True
        profiles = ["core", "software", "simpleLicensing"]
        doc["profileConformance"] = profiles + ["extension"] * self.extended
        doc["rootElement"] = [sbom["spdxId"]]
        return [info, doc, sbom]

    def document_extras(self, extra: Iterable[tuple[str, str]], doc: Json) -> list[Json]:
        """Elements and SpdxDocument fields a reader kept (``spdx3:<type-or-field>``)."""
        out = []
        for key, text in extra:
            if not key.startswith("spdx3:"):
                continue
            name, value = key.removeprefix("spdx3:"), self.relink(text)
            if is_element_key(key) and isinstance(value, dict) and "spdxId" in value:
                out.append({**value, **_element(name, value["spdxId"])})
            elif not is_element_key(key) and value is not None:
                doc[name] = value
        return out


@lru_cache(maxsize=4096)
def _custom_expression(text: str) -> bool:
    """An SPDX expression whose only unknown ids are LicenseRef- / DocumentRef- ones."""
    try:
        info = _licensing().validate(text)
    except (ExpressionError, AttributeError):  # license-expression fails oddly on some text
        return False
    unknown = info.invalid_symbols
    return (
        bool(unknown)
        and all(s.startswith(("LicenseRef-", "DocumentRef-")) for s in unknown)
        and all(e.startswith("Unknown license key") for e in info.errors)
    )


def _properties(c: Component, loose: Props) -> Props:
    props: Props = []
    if c.type not in PURPOSES:
        props.append((TYPE, c.type.value))
    if c.scope is not Scope.REQUIRED:
        props.append((SCOPE, c.scope.value))
    if c.direct is not None:
        props.append((DIRECT, str(c.direct).lower()))
    if c.purl is None and c.ecosystem:
        props.append((ECOSYSTEM, c.ecosystem))
    if c.purl is None and c.ref != component_ref(c):
        props.append((REF, c.ref))
    props += loose
    props += [(FOUND_BY, f) for f in c.found_by]
    props += [(LOCATION, str(loc)) for loc in c.locations]
    return props + list(c.properties)


def _cpe(cpe: str) -> Json:
    kind = "cpe23" if cpe.startswith("cpe:2.3:") else "cpe22"
    return {"type": "ExternalIdentifier", "externalIdentifierType": kind, "identifier": cpe}


def _external_ref(kind: str, url: str, comment: str | None) -> Json:
    spdx = kind if kind in SPDX3_ONLY_REF_TYPES else REF_TYPES.get(kind, "other")
    out: Json = {"type": "ExternalRef", "externalRefType": spdx, "locator": [url]}
    if comment:
        out["comment"] = comment
    return out


def _relink(value: Any, links: dict[str, str]) -> Any:
    if isinstance(value, str):
        return links.get(value, value)
    if isinstance(value, list):
        return [_relink(v, links) for v in value]
    if isinstance(value, dict):
        return {k: _relink(v, links) for k, v in value.items()}
    return value

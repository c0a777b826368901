"""SPDX 2.3, JSON and tag-value, built by hand from the inventory.

One builder makes the JSON-shaped document; the JSON writer dumps it and the tag-value
writer (:mod:`._spdx_tv`) prints the same facts, so both carry one namespace.

Mapping decisions:

- SPDXIDs are ``SPDXRef-Package-<name in [A-Za-z0-9.-]>-<10 hex of sha256(ref)>``: stable
  across runs and inventories, readable, unique (a clash falls back to the full digest).
- every edge is ``DEPENDS_ON``; the scope, the catalogers and the places a component was
  found go to the package comment as ``sbomkit:scope=dev`` lines, with its properties.
  ``primaryPackagePurpose`` carries the component type.
- licenses: declared is the AND of the component's licenses; a text that is not an SPDX
  expression becomes ``LicenseRef-<text in [A-Za-z0-9.-]>`` with an extracted-licensing
  entry holding the text. Concluded is always NOASSERTION: we do not conclude.
- ``downloadLocation`` is the source URL when SPDX's grammar allows it, else NOASSERTION
  and the URL goes to ``sourceInfo``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sbomkit.formats._prepare import (
    Contact,
    Prepared,
    document_uuid,
    dump_json,
    parse_contact,
    prepare,
)
from sbomkit.formats._spdx_tv import render_tag_value
from sbomkit.formats._values import (
    HASH_ALGORITHMS,
    LicenseInfo,
    classify,
    id_fragment,
    is_spdx_download_location,
    is_spdx_url,
    one_line,
    short_hash,
    valid_hashes,
)
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.model import Component, Inventory

Json = dict[str, Any]

SPECS = ("2.3",)
NOASSERTION = "NOASSERTION"
DOCUMENT_ID = "SPDXRef-DOCUMENT"
NAMESPACE_BASE = "https://sbomkit.invalid/spdxdocs/"


def build_document(inventory: Inventory) -> Json:
    """The whole document as JSON-ready data, namespace included."""
    p = prepare(inventory)
    everything = ([p.primary] if p.primary else []) + list(p.components)
    ids = spdx_ids(everything)
    refs = LicenseRefs(i.text for c in everything for i in classify(c.licenses) if not i.spdx)
    name = p.primary.name if p.primary else "sbom"
    body: Json = {
        "creationInfo": {"created": p.timestamp, "creators": _creators(p)},
        "packages": [_package(c, ids[c.ref], refs, c is p.primary) for c in everything],
        "relationships": _relationships(p, ids),
    }
    if refs.ids:
        body["hasExtractedLicensingInfos"] = refs.entries()
    head: Json = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": DOCUMENT_ID,
        "name": name,
    }
    uid = document_uuid({**head, **body})
    namespace = f"{NAMESPACE_BASE}{id_fragment(name) or 'sbom'}-{uid}"
    return {**head, "documentNamespace": namespace, **body}


def dumps(doc: Json) -> bytes:
    return dump_json(doc)


def spdx_ids(components: Iterable[Component]) -> dict[str, str]:
    """ref -> SPDXID, the same for a ref whatever else is in the document."""

    def make(c: Component, digits: int) -> str:
        stem = id_fragment(c.name)
        return "-".join(["SPDXRef-Package", *([stem] if stem else []), short_hash(c.ref, digits)])

    by_id: dict[str, list[Component]] = defaultdict(list)
    for c in components:
        by_id[make(c, 10)].append(c)
    return {
        c.ref: ident if len(group) == 1 else make(c, 64)
        for ident, group in by_id.items()
        for c in group
    }


def _actor(c: Contact) -> str:
    return f"{c.kind}: {c.name} ({c.email})" if c.email else f"{c.kind}: {c.name}"


def _creators(p: Prepared) -> list[str]:
    return [f"Tool: {t.name}-{t.version}" for t in p.tools] + [_actor(a) for a in p.authors]


def _package(c: Component, spdx_id: str, refs: LicenseRefs, primary: bool) -> Json:
    source_ok = bool(c.source_url and is_spdx_download_location(c.source_url))
    home_ok = bool(c.homepage and is_spdx_url(c.homepage))
    out: Json = {"name": c.name, "SPDXID": spdx_id}
    if c.version:
        out["versionInfo"] = c.version
    supplier = parse_contact(c.supplier, "Organization") if c.supplier else None
    out["supplier"] = _actor(supplier) if supplier else NOASSERTION
    if c.author:
        out["originator"] = _actor(parse_contact(c.author))
    out["downloadLocation"] = c.source_url if source_ok else NOASSERTION
    out["filesAnalyzed"] = False
    if hashes := valid_hashes(c.hashes):
        algorithm = {alg: spdx for alg, (spdx, _) in HASH_ALGORITHMS.items()}
        out["checksums"] = [
            {"algorithm": algorithm[h.algorithm], "checksumValue": h.value} for h in hashes
        ]
    if home_ok:
        out["homepage"] = c.homepage
    if c.source_url and not source_ok:
        out["sourceInfo"] = f"source: {c.source_url}"
    out["licenseConcluded"] = NOASSERTION
    out["licenseDeclared"] = _declared(classify(c.licenses), refs)
    out["copyrightText"] = NOASSERTION
    if c.description:
        out["description"] = c.description
    if comment := _comment(c, primary, None if home_ok else c.homepage):
        out["comment"] = comment
    if c.purl is not None:
        out["externalRefs"] = [
            {
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": c.purl_string,
            }
        ]
    out["primaryPackagePurpose"] = c.type.value.upper()
    return out


def _declared(infos: list[LicenseInfo], refs: LicenseRefs) -> str:
    if not infos:
        return NOASSERTION
    parts = [i.text if i.spdx else refs.ids[i.text] for i in infos]
    if len(parts) == 1:
        return parts[0]
    return " AND ".join(f"({p})" if i.compound else p for p, i in zip(parts, infos, strict=True))


def _comment(c: Component, primary: bool, homepage: str | None) -> str:
    """What SPDX 2.3 has no field for, one ``name=value`` per line."""
    lines = [] if primary else [("sbomkit:scope", c.scope.value)]
    if homepage:
        lines.append(("sbomkit:homepage", homepage))
    lines += sorted({("sbomkit:found-by", f) for f in c.found_by})
    lines += [("sbomkit:location", str(loc)) for loc in sorted(set(c.locations))]
    lines += sorted(set(c.properties))
    return "\n".join(f"{n}={v}" for n, v in lines) if lines else ""


def _relationships(p: Prepared, ids: dict[str, str]) -> list[Json]:
    if p.primary is not None:
        described = [p.primary.ref]
    else:  # no primary: describe the roots of the graph (or everything, if it is all cycles)
        targets = {t for ts in p.graph.values() for t in ts}
        described = [r for r in p.graph if r not in targets] or list(p.graph)
    rels = [_rel(DOCUMENT_ID, "DESCRIBES", ids[r]) for r in described]
    rels += [_rel(ids[s], "DEPENDS_ON", ids[t]) for s, ts in p.graph.items() for t in ts]
    return rels


def _rel(source: str, kind: str, target: str) -> Json:
    return {"spdxElementId": source, "relationshipType": kind, "relatedSpdxElement": target}


class LicenseRefs:
    """Free-text licenses -> ``LicenseRef-`` ids, decided by the texts alone (order-free)."""

    def __init__(self, texts: Iterable[str]) -> None:
        groups: dict[str, set[str]] = defaultdict(set)
        for text in texts:
            groups[_license_ref(text)].add(text)
        self.ids: dict[str, str] = {}
        for base, members in groups.items():
            for text in members:
                self.ids[text] = base if len(members) == 1 else f"{base}-{short_hash(text, 8)}"

    def entries(self) -> list[Json]:
        return [
            {"licenseId": ident, "extractedText": text, "name": one_line(text)}
            for text, ident in sorted(self.ids.items(), key=lambda kv: kv[1])
        ]


def _license_ref(text: str) -> str:
    """Named after the text's first line: a long text is a license whose title comes first."""
    stem = id_fragment(one_line(text, 200))
    if not stem or len(stem) > 48:
        stem = "-".join(s for s in (stem[:40].strip("-."), short_hash(text, 8)) if s)
    return f"LicenseRef-{stem}"


class Spdx2JsonWriter:
    name = "spdx-json"
    media_type = "application/spdx+json"
    extension = ".spdx.json"
    spec = "2.3"
    specs = SPECS

    def for_spec(self, spec: str) -> Spdx2JsonWriter:
        _check_spec(spec)
        return self

    def write(self, inventory: Inventory) -> bytes:
        return dumps(build_document(inventory))


class Spdx2TagValueWriter:
    name = "spdx-tv"
    media_type = "text/spdx"
    extension = ".spdx"
    spec = "2.3"
    specs = SPECS

    def for_spec(self, spec: str) -> Spdx2TagValueWriter:
        _check_spec(spec)
        return self

    def write(self, inventory: Inventory) -> bytes:
        return render_tag_value(build_document(inventory))


def _check_spec(spec: str) -> None:
    if spec not in SPECS:
        raise FormatError(Msg.BAD_OPTION, detail=f"SPDX {spec} is not supported; choose 2.3")

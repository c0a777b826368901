"""SPDX 2.3, JSON and tag-value, built by hand from the inventory.

One builder makes the JSON-shaped document; the JSON writer dumps it and the tag-value
writer (:mod:`._spdx_tv`) prints the same facts, so both carry one namespace.

Mapping decisions:

- SPDXIDs are ``SPDXRef-Package-<name in [A-Za-z0-9.-]>-<10 hex of sha256(ref)>``: stable
  across runs and inventories, readable, unique (a clash falls back to the full digest).
  An SPDXID read from an SPDX document (the ref, or the ``spdx:SPDXID`` extra) is kept.
- every Dependency becomes a relationship of its kind; DESCRIBES edges from
  ``SPDXRef-DOCUMENT`` name what the document describes when there is no primary (else
  the roots of the graph). The scope, the catalogers and the places a component was
  found go to the package comment as ``sbomkit:scope=dev`` lines, with its properties,
  after any comment read from SPDX. ``primaryPackagePurpose`` carries the component type;
  CycloneDX-only types (platform, device-driver, machine-learning-model, data,
  cryptographic-asset) are OTHER plus a ``sbomkit:type=<type>`` comment line.
- licenses: declared is the AND of the component's declared licenses, concluded the AND
  of its concluded ones (else NOASSERTION); a text that is not an SPDX expression becomes
  ``LicenseRef-<text in [A-Za-z0-9.-]>`` with an extracted-licensing entry holding the
  text. An expression with LicenseRef- ids is kept when the document's extracted
  licenses (``spdx:hasExtractedLicensingInfos``) define them.
- cpes are SECURITY cpe23Type (cpe22Type for ``cpe:/``) refs; other external refs keep
  their type, under the category SPDX fixes for it, else OTHER.
- FILE components that have a SHA-1 and no purl or version go to ``files`` (SPDX needs
  the SHA-1); a package that CONTAINS one has filesAnalyzed true.
- ``downloadLocation`` is the source URL when SPDX's grammar allows it, else NOASSERTION
  and the URL goes to ``sourceInfo``.
- ``Metadata.name`` and a ``document_id`` of the form ``scheme://...`` (no ``#``) are the
  document name and namespace; ``spdx:`` extras a reader kept are put back in packages,
  files and the document, over NOASSERTION placeholders but never over model fields.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
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
from sbomkit.formats._spdx_tv import render_tag_value
from sbomkit.formats._values import (
    HASH_ALGORITHMS,
    _licensing,
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
from sbomkit.model import Component, ComponentType, Extra, Inventory, Scope

Json = dict[str, Any]

SPECS = ("2.3",)
NOASSERTION = "NOASSERTION"
DOCUMENT_ID = "SPDXRef-DOCUMENT"
NAMESPACE_BASE = "https://sbomkit.invalid/spdxdocs/"
# The component types that are SPDX 2.3 primaryPackagePurpose values; the others (CycloneDX
# only: platform, device-driver, machine-learning-model, data, cryptographic-asset) are
# written as OTHER with a ``sbomkit:type=<type>`` comment line, which the reader honours.
_PURPOSES = frozenset(
    (
        *(ComponentType.APPLICATION, ComponentType.FRAMEWORK, ComponentType.LIBRARY),
        *(ComponentType.CONTAINER, ComponentType.OPERATING_SYSTEM, ComponentType.DEVICE),
        *(ComponentType.FIRMWARE, ComponentType.SOURCE, ComponentType.ARCHIVE),
        *(ComponentType.FILE, ComponentType.INSTALL, ComponentType.OTHER),
    )
)


def build_document(inventory: Inventory) -> Json:
    """The whole document as JSON-ready data, namespace included."""
    p = prepare(inventory)
    meta = inventory.metadata
    doc_extra = extras(inventory.extra)
    everything = ([p.primary] if p.primary else []) + list(p.components)
    ids = spdx_ids(everything)
    defined = _defined_refs(doc_extra.get("hasExtractedLicensingInfos"))
    parts = {c.ref: _license_parts(c, defined) for c in everything}
    refs = LicenseRefs(
        (t for ps in parts.values() for t, free, _, _ in ps if free),
        _defined_names(doc_extra.get("hasExtractedLicensingInfos")),
    )
    files = {c.ref for c in everything if is_file_element(c)}
    silent = doc_extra.pop("documentDescribes", None) == []  # read from one that describes none
    rels, containers = _relationships(p, inventory, ids, files, silent)
    name = meta.name or (p.primary.name if p.primary else "sbom")
    creation: Json = {"created": p.timestamp, "creators": _creators(p)}
    body: Json = {
        "creationInfo": _merge(creation, doc_extra.pop("creationInfo", None)),
        "packages": [
            _package(c, ids[c.ref], parts[c.ref], refs, c is p.primary, c.ref in containers)
            for c in everything
            if c.ref not in files
        ],
    }
    if files:
        body["files"] = [
            _file(c, ids[c.ref], parts[c.ref], refs) for c in everything if c.ref in files
        ]
    body["relationships"] = rels + _list(doc_extra.pop("relationships-external", None))
    extracted = _list(doc_extra.pop("hasExtractedLicensingInfos", None))
    extracted += [e for e in refs.entries() if e["licenseId"] not in defined]
    if extracted:
        body["hasExtractedLicensingInfos"] = extracted
    for key, value in doc_extra.items():
        body.setdefault(key, value)
    head: Json = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": DOCUMENT_ID,
        "name": name,
    }
    namespace = meta.document_id
    if not (namespace and _NAMESPACE.match(namespace)):
        uid = document_uuid({**head, **body})
        namespace = f"{NAMESPACE_BASE}{id_fragment(name) or 'sbom'}-{uid}"
    return {**head, "documentNamespace": namespace, **body}


def extras(extra: Extra) -> Json:
    """The ``spdx:`` extras, decoded; text that is not JSON is left out."""
    out: Json = {}
    for key, text in extra:
        if key.startswith("spdx:"):
            with contextlib.suppress(orjson.JSONDecodeError):
                out[key[5:]] = orjson.loads(text)
    return out


def _merge(ours: Json, theirs: object) -> Json:
    if isinstance(theirs, dict):
        for key, value in theirs.items():
            ours.setdefault(key, value)
    return ours


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _defined_refs(infos: object) -> frozenset[str]:
    return frozenset(
        i["licenseId"] for i in _list(infos) if isinstance(i, dict) and "licenseId" in i
    )


def _defined_names(infos: object) -> dict[str, str]:
    """Name and text of each extracted license the document defines -> its licenseId, so a
    free-text license read from that document is written under its old id."""
    out: dict[str, str] = {}
    for info in _list(infos):
        if isinstance(info, dict) and isinstance(ident := info.get("licenseId"), str):
            for key in ("extractedText", "name"):
                if isinstance(value := info.get(key), str) and value:
                    unix = value.replace("\r\n", "\n")  # as the reader gives it back
                    for variant in (value, value.strip(), unix, unix.strip()):
                        out.setdefault(variant, ident)
    return out


_LICENSE_REF = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$")
_REF_TOKEN = re.compile(r"(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+")
_HIDDEN = re.compile(r"LicenseRef-sbomkit-hidden-[0-9]+")
_NAMESPACE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s#]+$")
_SPDX_ID = re.compile(r"^SPDXRef-[A-Za-z0-9.-]+$")


@lru_cache(maxsize=4096)
def spdx_expression(text: str) -> tuple[str, tuple[str, ...]] | None:
    """A normalized SPDX expression and the LicenseRef- ids in it; None if it is not one.

    LicenseRef- ids are hidden from license-expression while it parses: it knows ScanCode's
    aliases (``LicenseRef-LGPL`` -> LGPL-2.0-or-later), but a document's own LicenseRef
    means what the document defines, so it must come out as written.
    """
    refs: dict[str, str] = {}

    def hide(m: re.Match[str]) -> str:
        return refs.setdefault(m.group(0), f"LicenseRef-sbomkit-hidden-{len(refs)}")

    try:
        parsed = _licensing().parse(_REF_TOKEN.sub(hide, text))
    except ExpressionError:
        return None
    if parsed is None:
        return None
    shown = {v: k for k, v in refs.items()}
    unknown = [shown.get(k, k) for k in _licensing().unknown_license_keys(parsed)]
    if not all(_LICENSE_REF.match(key) for key in unknown):
        return None
    rendered = _HIDDEN.sub(lambda m: shown.get(m.group(0), m.group(0)), str(parsed))
    return rendered, tuple(unknown)


def dumps(doc: Json) -> bytes:
    return dump_json(doc)


def spdx_ids(components: Iterable[Component]) -> dict[str, str]:
    """ref -> SPDXID, the same for a ref whatever else is in the document.

    An SPDXID read from an SPDX document (the ref, or the ``spdx:SPDXID`` extra) is kept.
    """

    def make(c: Component, digits: int) -> str:
        stem = id_fragment(c.name)
        return "-".join(["SPDXRef-Package", *([stem] if stem else []), short_hash(c.ref, digits)])

    by_id: dict[str, list[Component]] = defaultdict(list)
    for c in components:
        by_id[_read_id(c) or make(c, 10)].append(c)
    return {
        c.ref: ident if len(group) == 1 else make(c, 64)
        for ident, group in by_id.items()
        for c in group
    }


def _read_id(c: Component) -> str | None:
    ident = next((v for k, v in c.extra if k == "spdx:SPDXID"), None)
    ident = ident[1:-1] if ident else c.ref
    return ident if ident.startswith("SPDXRef-") and _SPDX_ID.match(ident) else None


def _actor(c: Contact) -> str:
    return f"{c.kind}: {c.name} ({c.email})" if c.email else f"{c.kind}: {c.name}"


def _creators(p: Prepared) -> list[str]:
    tools = [f"Tool: {t.name}-{t.version}" if t.version else f"Tool: {t.name}" for t in p.tools]
    return tools + [_actor(a) for a in p.authors]


def is_file_element(c: Component) -> bool:
    """A FILE the ``files`` section can hold: SPDX requires a SHA1 and has no purl there."""
    if c.type is not ComponentType.FILE or c.purl is not None or c.version:
        return False
    return any(h.algorithm == "SHA-1" for h in valid_hashes(c.hashes))


def _package(
    c: Component, spdx_id: str, parts: Parts, refs: LicenseRefs, primary: bool, has_files: bool
) -> Json:
    extra = extras(c.extra)
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
    out["filesAnalyzed"] = extra.pop("filesAnalyzed", has_files) is True
    if checksums := _checksums(c, extra):
        out["checksums"] = checksums
    if home_ok:
        out["homepage"] = c.homepage
    info = [extra.pop("sourceInfo")] if isinstance(extra.get("sourceInfo"), str) else []
    if c.source_url and not source_ok:
        info.append(f"source: {c.source_url}")
    if info:
        out["sourceInfo"] = "\n".join(info)
    out["licenseConcluded"] = _expression(parts, refs, concluded=True)
    out["licenseDeclared"] = _expression(parts, refs, concluded=False)
    out["copyrightText"] = c.copyright or NOASSERTION
    if c.description:
        out["description"] = c.description
    notes = [] if c.type in _PURPOSES else [("sbomkit:type", c.type.value)]
    homepage = None if home_ok else c.homepage
    if comment := _comment(c, homepage, extra.pop("comment", None), notes, not primary):
        out["comment"] = comment
    if external := _external_refs(c):
        out["externalRefs"] = external
    purpose = c.type.value.upper().replace("-", "_") if c.type in _PURPOSES else "OTHER"
    out["primaryPackagePurpose"] = purpose  # JSON spells OPERATING_SYSTEM, tag-value with "-"
    return _reinsert(out, extra)


def _file(c: Component, spdx_id: str, parts: Parts, refs: LicenseRefs) -> Json:
    extra = extras(c.extra)
    out: Json = {"fileName": c.name, "SPDXID": spdx_id, "checksums": _checksums(c, extra)}
    out["licenseConcluded"] = _expression(parts, refs, concluded=True)
    declared = [refs.ids[t] if free else t for t, free, _, concluded in parts if not concluded]
    if declared:
        out["licenseInfoInFiles"] = declared
    out["copyrightText"] = c.copyright or NOASSERTION
    notes = [("sbomkit:homepage", c.homepage)] if c.homepage else []
    scoped = c.scope is not Scope.REQUIRED
    if comment := _comment(c, None, extra.pop("comment", None), notes, scoped):
        out["comment"] = comment
    return _reinsert(out, extra)


def _reinsert(out: Json, extra: Json) -> Json:
    """Put back what an SPDX reader kept: over our placeholders, never over our facts."""
    extra.pop("SPDXID", None)
    for key, value in extra.items():
        if key in ("name", "versionInfo", "licenseInfoInFiles") or out.get(key, NOASSERTION) == (
            NOASSERTION
        ):
            out[key] = value
    return out


def _checksums(c: Component, extra: Json) -> list[Json]:
    algorithm = {alg: spdx for alg, (spdx, _) in HASH_ALGORITHMS.items()}
    out = [
        {"algorithm": algorithm[h.algorithm], "checksumValue": h.value}
        for h in valid_hashes(c.hashes)
    ]
    return out + _list(extra.pop("checksums", None))


# SPDX 2.3 externalRefs types whose category is fixed; any other type is OTHER.
_REF_CATEGORIES = {
    **dict.fromkeys(("cpe22Type", "cpe23Type", "advisory", "fix", "url", "swid"), "SECURITY"),
    **dict.fromkeys(("maven-central", "npm", "nuget", "bower", "purl"), "PACKAGE-MANAGER"),
    **dict.fromkeys(("swh", "gitoid"), "PERSISTENT-ID"),
}


def _external_refs(c: Component) -> list[Json]:
    out: list[Json] = []
    if c.purl is not None:
        out.append(_ref("purl", str(c.purl_string)))
    out += [_ref("cpe22Type" if cpe.startswith("cpe:/") else "cpe23Type", cpe) for cpe in c.cpes]
    for ref in c.external_refs:
        out.append(_ref(ref.type, ref.url, ref.comment))
    return out


def _ref(kind: str, locator: str, comment: str | None = None) -> Json:
    out: Json = {
        "referenceCategory": _REF_CATEGORIES.get(kind, "OTHER"),
        "referenceType": kind,
        "referenceLocator": locator,
    }
    if comment is not None:
        out["comment"] = comment
    return out


# (text, free text, compound, concluded) of each of a component's licenses.
Parts = list[tuple[str, bool, bool, bool]]


def _license_parts(c: Component, defined: frozenset[str]) -> Parts:
    """SPDX expressions as they are (LicenseRef- ids too, when the document defines them),
    free texts to become ``LicenseRef-`` ids; unique per declared / concluded."""
    seen: dict[tuple[str, bool], tuple[str, bool, bool, bool]] = {}
    for lic in c.licenses:
        for info in classify([lic]):
            part = (info.text, not info.spdx, info.compound, lic.concluded)
            known = spdx_expression(info.text) if lic.is_expression and not info.spdx else None
            if known and all(r in defined or r.startswith("DocumentRef-") for r in known[1]):
                part = (known[0], False, " " in known[0], lic.concluded)
            seen.setdefault((part[0], lic.concluded), part)
    return list(seen.values())


def _expression(parts: Parts, refs: LicenseRefs, concluded: bool) -> str:
    chosen = [
        (refs.ids[t] if free else t, compound) for t, free, compound, c in parts if c == concluded
    ]
    if not chosen:
        return NOASSERTION
    if len(chosen) == 1:
        return chosen[0][0]
    return " AND ".join(f"({t})" if compound else t for t, compound in chosen)


def _comment(
    c: Component,
    homepage: str | None,
    text: object,
    notes: list[tuple[str, str]],
    scoped: bool,
) -> str:
    """What SPDX 2.3 has no field for, one ``name=value`` per line, after any comment read."""
    lines = [("sbomkit:scope", c.scope.value)] if scoped else []
    if homepage:
        lines.append(("sbomkit:homepage", homepage))
    lines += notes
    lines += sorted({("sbomkit:found-by", f) for f in c.found_by})
    lines += [("sbomkit:location", str(loc)) for loc in sorted(set(c.locations))]
    lines += sorted(set(c.properties))
    out = [text] if isinstance(text, str) and text else []
    return "\n".join(out + [f"{n}={v}" for n, v in lines])


def _relationships(
    p: Prepared, inventory: Inventory, ids: dict[str, str], files: set[str], silent: bool
) -> tuple[list[Json], set[str]]:
    """Every edge whose ends are in the document, DESCRIBES first; and which refs hold files."""
    index = {ref: n for n, ref in enumerate(p.graph)}
    edges: set[tuple[str, str, str]] = set()
    described: set[str] = set()
    for d in inventory.dependencies:
        if d.source == DOCUMENT_ID and d.kind == "DESCRIBES" and d.target in index:
            described.add(d.target)
        elif d.source in index and d.target in index:
            edges.add((d.source, d.target, d.kind))
    if p.primary is not None:
        roots = [p.primary.ref]
    elif described or silent:
        roots = sorted(described, key=index.__getitem__)
    else:  # no primary: describe the roots of the graph (or everything, if it is all cycles)
        targets = {t for ts in p.graph.values() for t in ts}
        roots = [r for r in p.graph if r not in targets] or list(p.graph)
    rels = [_rel(DOCUMENT_ID, "DESCRIBES", ids[r]) for r in roots]
    ordered = sorted(edges, key=lambda e: (index[e[0]], e[1], e[2]))
    rels += [_rel(ids[s], kind, ids[t]) for s, t, kind in ordered]
    containers = {s for s, t, kind in edges if kind == "CONTAINS" and t in files}
    return rels, containers


def _rel(source: str, kind: str, target: str) -> Json:
    return {"spdxElementId": source, "relationshipType": kind, "relatedSpdxElement": target}


class LicenseRefs:
    """Free-text licenses -> ``LicenseRef-`` ids, decided by the texts alone (order-free)."""

    def __init__(self, texts: Iterable[str], defined: dict[str, str] | None = None) -> None:
        groups: dict[str, set[str]] = defaultdict(set)
        self.ids: dict[str, str] = {}
        for text in texts:
            if defined and text in defined:
                self.ids[text] = defined[text]
            else:
                groups[_license_ref(text)].add(text)
        taken = set((defined or {}).values())
        for base, members in groups.items():
            for text in members:
                alone = len(members) == 1 and base not in taken
                self.ids[text] = base if alone else f"{base}-{short_hash(text, 8)}"

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

"""The JSON-shaped SPDX 2.2 / 2.3 document -> Inventory (mapping: see :mod:`.spdx2_reader`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from operator import attrgetter
from typing import Any

from sbomkit.formats._spdx2_read_element import ElementReader, Found, actor, dump
from sbomkit.formats.interface import FormatError
from sbomkit.formats.spdx2 import DOCUMENT_ID, NOASSERTION, is_file_element
from sbomkit.i18n import Msg
from sbomkit.model import Component, Dependency, Inventory, License, Metadata, Tool

Json = dict[str, Any]
Arrays = Callable[[str], Iterable[Any] | None]

SPECS = {"SPDX-2.2": "spdx-2.2", "SPDX-2.3": "spdx-2.3"}
# Reverse-direction types, stored in their forward form with the ends swapped.
REVERSE = {
    "DESCRIBED_BY": "DESCRIBES",
    "CONTAINED_BY": "CONTAINS",
    "DEPENDENCY_OF": "DEPENDS_ON",
    "GENERATES": "GENERATED_FROM",
    "PREREQUISITE_FOR": "HAS_PREREQUISITE",
}
RELATIONSHIP_TYPES = frozenset(
    (
        *REVERSE.values(),
        *("AMENDS", "ANCESTOR_OF", "BUILD_DEPENDENCY_OF", "BUILD_TOOL_OF", "COPY_OF"),
        *("DATA_FILE_OF", "DEPENDENCY_MANIFEST_OF", "DESCENDANT_OF", "DEV_DEPENDENCY_OF"),
        *("DEV_TOOL_OF", "DISTRIBUTION_ARTIFACT", "DOCUMENTATION_OF", "DYNAMIC_LINK"),
        *("EXAMPLE_OF", "EXPANDED_FROM_ARCHIVE", "FILE_ADDED", "FILE_DELETED"),
        *("FILE_MODIFIED", "METAFILE_OF", "OPTIONAL_COMPONENT_OF", "OPTIONAL_DEPENDENCY_OF"),
        *("OTHER", "PACKAGE_OF", "PATCH_APPLIED", "PATCH_FOR", "PROVIDED_DEPENDENCY_OF"),
        *("REQUIREMENT_DESCRIPTION_FOR", "RUNTIME_DEPENDENCY_OF", "SPECIFICATION_FOR"),
        *("STATIC_LINK", "TEST_CASE_OF", "TEST_DEPENDENCY_OF", "TEST_OF", "TEST_TOOL_OF"),
        "VARIANT_OF",
    )
)
_KIND_NAMES = {k: k for k in RELATIONSHIP_TYPES}
_MAPPED = frozenset(
    (
        *("spdxVersion", "dataLicense", "SPDXID", "name", "documentNamespace"),
        *("creationInfo", "packages", "files", "relationships", "documentDescribes"),
    )
)


def spec_of(doc: Json, rel: str) -> str:
    version = doc.get("spdxVersion")
    if version is None:
        raise FormatError(Msg.WRONG_FORMAT, rel, "spdxVersion is missing")
    if version not in SPECS:
        detail = f"spdxVersion {version!r}: only SPDX-2.2 and SPDX-2.3 are read"
        raise FormatError(Msg.UNSUPPORTED_VERSION, rel, detail)
    return SPECS[version]


def to_inventory(
    doc: Json, rel: str, lines: dict[str, int] | None = None, arrays: Arrays | None = None
) -> Inventory:
    """``arrays(key)``: the items of a long array read elsewhere (a stream) while ``doc``
    holds it empty, or None to take it from ``doc``."""
    spec = spec_of(doc, rel)
    r = ElementReader(rel, lines or {})
    found = Found()
    for key, read in (("packages", r.package), ("files", r.file)):
        streamed = arrays(key) if arrays else None
        items = doc.get(key, []) if streamed is None else streamed
        if not isinstance(items, list) and streamed is None:
            raise FormatError(Msg.WRONG_FORMAT, rel, f"/{key}: expected a list, got {_kind(items)}")
        for i, item in enumerate(items):
            read(item, f"/{key}/{i}", found)
    snippets = doc.get("snippets")
    snippet_ids = (
        {s.get("SPDXID") for s in snippets if isinstance(s, dict)}
        if isinstance(snippets, list)
        else set()
    )
    # Problems with the ends of relationships, and later ones, come after every problem
    # with the relationships themselves, as when all are read before any is mapped.
    late = ElementReader(rel, lines or {})
    graph = _Graph(doc, r, late, found, snippet_ids)
    rels = arrays("relationships") if arrays else None
    if rels is None:
        rels = doc.get("relationships") or []
        rels = rels if isinstance(rels, list) else []
    for i, relationship in enumerate(rels):
        graph.relationship(i, relationship)
    deps, described = graph.deps, graph.described
    components = _named_license_refs(_files_analyzed(found, deps), doc)
    primary = None
    if len(described) == 1:
        primary = components.pop(described[0])
    else:
        deps |= {Dependency(DOCUMENT_ID, ref, "DESCRIBES") for ref in described}
    extra = {f"spdx:{k}": v for k, v in doc.items() if k not in _MAPPED and v not in (None, [])}
    if not described:  # said nothing: the writer must not describe the graph's roots
        extra["spdx:documentDescribes"] = []
    if graph.external:
        extra["spdx:relationships-external"] = graph.external
    creation = doc.get("creationInfo")
    creation = creation if isinstance(creation, dict) else {}
    if rest := {k: v for k, v in creation.items() if k not in ("created", "creators")}:
        extra["spdx:creationInfo"] = rest
    return Inventory(
        components=tuple(components.values()),
        dependencies=tuple(sorted(deps, key=attrgetter("source", "target", "kind"))),
        metadata=_metadata(doc, creation, spec, primary, late),
        diagnostics=(*r.diagnostics, *late.diagnostics),
        extra=tuple((k, dump(extra[k])) for k in sorted(extra)),
    )


def _files_analyzed(found: Found, deps: set[Dependency]) -> dict[str, Component]:
    """Keep filesAnalyzed as ``spdx:filesAnalyzed`` where the writer would not infer it
    (it writes true for a package that contains files, else false)."""
    components = dict(found.components)
    files = {ref for ref, c in components.items() if is_file_element(c)}
    containers = {d.source for d in deps if d.kind == "CONTAINS" and d.target in files}
    for spdx_id, analyzed in found.analyzed.items():
        ref = found.refs[spdx_id]
        if analyzed != (ref in containers):
            c = components[ref]
            extra = tuple(sorted((*c.extra, ("spdx:filesAnalyzed", dump(analyzed)))))
            components[ref] = replace(c, extra=extra)
    return components


_FREE_TEXT_MAX = 300  # longer than any license name, shorter than any license text


def _named_license_refs(components: dict[str, Component], doc: Json) -> dict[str, Component]:
    """``MIT AND LicenseRef-x`` -> MIT plus the license ``x`` stands for (from
    hasExtractedLicensingInfos): a free-text license, as CycloneDX and our model hold it.
    Expressions with OR, WITH or parentheses stay as they are."""
    infos = doc.get("hasExtractedLicensingInfos")
    names: dict[str, str] = {}
    for info in infos if isinstance(infos, list) else []:
        if isinstance(info, dict) and isinstance(ident := info.get("licenseId"), str):
            name, text = info.get("name"), info.get("extractedText")
            # A short text is the license as written (our writer puts a free-text license
            # there and a possibly shortened copy in name); a full license text has a name.
            short = isinstance(text, str) and len(text) <= _FREE_TEXT_MAX
            has_name = isinstance(name, str) and name not in ("", NOASSERTION)
            named = text if short or not has_name else name
            if isinstance(named, str) and named.strip():
                names[ident] = named.replace("\r\n", "\n")
    if not names:
        return components
    out = {}
    for ref, c in components.items():
        licenses = [new for lic in c.licenses for new in _split_named(lic, names)]
        out[ref] = c if licenses == list(c.licenses) else replace(c, licenses=tuple(licenses))
    return out


def _split_named(lic: License, names: dict[str, str]) -> list[License]:
    parts = lic.value.split(" AND ")
    if not lic.is_expression or not any(p in names for p in parts):
        return [lic]
    if any("(" in p or " OR " in p or " WITH " in p for p in parts):
        return [lic]
    plain = [p for p in parts if p not in names]
    named = [License(names[p], False, lic.concluded) for p in parts if p in names]
    return named + ([License(" AND ".join(plain), True, lic.concluded)] if plain else [])


_KINDS: dict[type, str] = {dict: "an object", list: "a list", str: "a string"}


def _kind(value: object) -> str:
    return _KINDS.get(type(value), type(value).__name__)


_REL_KEYS = ("spdxElementId", "relationshipType", "relatedSpdxElement")
_INCOMPLETE = "needs spdxElementId, relationshipType and relatedSpdxElement as strings"


class _Graph:
    """Relationships (and documentDescribes, hasFiles) -> edges, one at a time."""

    def __init__(
        self, doc: Json, r: ElementReader, late: ElementReader, found: Found, snippets: set[Any]
    ) -> None:
        self.r, self.late, self.refs, self.snippets = r, late, found.refs, snippets
        self.doc_id = doc.get("SPDXID") or DOCUMENT_ID
        self.deps: set[Dependency] = set()
        self.described: list[str] = []
        self.external: list[Json] = []  # kept verbatim: an end outside the document
        described = doc.get("documentDescribes")
        for d in described if isinstance(described, list) else []:
            if isinstance(d, str):
                self.edge(self.doc_id, "DESCRIBES", d, "/documentDescribes")
        for pkg, file, where in found.contains:
            self.edge(pkg, "CONTAINS", file, where)

    def relationship(self, i: int, rel: Any) -> None:
        parts: tuple[Any, ...] = (
            tuple(rel.get(k) for k in _REL_KEYS) if isinstance(rel, dict) else (None,)
        )
        if not all(type(p) is str for p in parts):
            self.r.warn(Msg.INVALID_ENTRY, f"/relationships/{i}", _INCOMPLETE)
            return
        source, kind, target = parts
        outside = (
            _is_external(source, target, self.doc_id, kind) or {source, target} & self.snippets
        )
        if outside and (kind.upper() in RELATIONSHIP_TYPES or kind.upper() in REVERSE):
            self.external.append(rel)
            return
        self.edge(source, kind, target, i)

    def edge(self, source: str, kind: str, target: str, where: str | int) -> None:
        refs = self.refs
        kind = kind.upper()
        if kind in REVERSE:
            source, kind, target = target, REVERSE[kind], source
        kind = _KIND_NAMES.get(kind, kind)  # one string per type, not one per relationship
        if kind not in RELATIONSHIP_TYPES:
            self.late.warn(Msg.INVALID_ENTRY, _pointer(where), f"unknown relationshipType {kind!r}")
        elif source in refs and target in refs:
            self.deps.add(Dependency(refs[source], refs[target], kind))
        elif source == self.doc_id and target in refs:
            if refs[target] not in self.described:
                self.described.append(refs[target])
        else:
            missing = source if source != self.doc_id and source not in refs else target
            detail = f"{source} {kind} {target}: {missing} is not an element of this document"
            self.late.warn(Msg.UNKNOWN_DEPENDENCY, _pointer(where), detail)


def _pointer(where: str | int) -> str:
    return f"/relationships/{where}" if isinstance(where, int) else where


def _is_external(source: str, target: str, doc_id: str, kind: str) -> bool:
    """An end outside this document, or the document itself in anything but DESCRIBES."""
    for end in (source, target):
        if end in (NOASSERTION, "NONE") or end.startswith("DocumentRef-"):
            return True
    ends_at_doc = (source == doc_id, target == doc_id)
    if kind.upper() == "DESCRIBES":
        return ends_at_doc != (True, False)
    if kind.upper() == "DESCRIBED_BY":
        return ends_at_doc != (False, True)
    return any(ends_at_doc)


def _metadata(doc: Json, creation: Json, spec: str, primary: Any, r: ElementReader) -> Metadata:
    tools: list[Tool] = []
    authors: list[str] = []
    creators = creation.get("creators") or []
    for creator in creators if isinstance(creators, list) else []:
        if not isinstance(creator, str):
            continue
        kind, _, who = creator.partition(":")
        if kind.strip() == "Tool":
            name, dash, version = who.strip().rpartition("-")
            tools.append(Tool(name, version) if dash and name else Tool(who.strip(), ""))
        elif kind.strip() in ("Person", "Organization"):
            authors.append(actor(creator, "Person") or "")
    created = creation.get("created")
    return Metadata(
        primary=primary,
        tools=tuple(tools),
        timestamp=created if isinstance(created, str) else None,
        authors=tuple(a for a in authors if a),
        spec=spec,
        name=r.text(doc, "name", ""),
        document_id=r.text(doc, "documentNamespace", ""),
        data_license=r.text(doc, "dataLicense", ""),
    )

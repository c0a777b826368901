"""SPDX 3.0.x JSON-LD into an inventory; :mod:`.spdx3` documents the mapping.

The graph is indexed by spdxId once; each mapping step marks the elements it used, and
whatever is left (snippets, builds, vulnerabilities, annotations, relationships the model
has no kind for) is kept verbatim in ``extra`` for the SPDX 3 writer to put back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any

import orjson

from sbomkit.formats._safe import json_document
from sbomkit.formats._spdx3_maps import (
    ALGORITHMS,
    CDX_EXTENSION,
    DIRECT,
    DOCUMENT_LINK,
    ECOSYSTEM,
    FILE_TYPE,
    FOUND_BY,
    HOMEPAGE,
    KINDS,
    LICENSE_RELATIONSHIPS,
    LIFECYCLE,
    LIFECYCLES,
    LOCATION,
    OWN_PROPERTIES,
    PACKAGE_TYPES,
    REF,
    REF_KINDS,
    REF_PREFIX,
    SBOM_LINK,
    SCOPE,
    SOURCE_URL,
    SPDX3_ONLY_REF_TYPES,
    SUPPLIER,
    TYPE,
    TYPES,
    VENDOR,
    VERSION,
)
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, component_from_purl
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    Diagnostic,
    ExternalRef,
    Extra,
    Hash,
    Inventory,
    License,
    Location,
    Metadata,
    Scope,
    Tool,
)

Json = dict[str, Any]
Props = list[tuple[str, str]]

SUPPORTED = ("3.0.0", "3.0.1")
_RELATIONSHIPS = frozenset(("Relationship", "LifecycleScopedRelationship"))
_AGENTS = frozenset(("Person", "Organization", "Agent", "SoftwareAgent"))
_LICENSE_TEXTS = frozenset(
    ("simplelicensing_SimpleLicensingText", "expandedlicensing_CustomLicense")
)
_COMPONENT_FIELDS = frozenset(
    (
        "type", "@type", "spdxId", "@id", "creationInfo", "name", "description",
        "software_packageVersion", "software_packageUrl", "software_downloadLocation",
        "software_homePage", "software_copyrightText", "software_primaryPurpose",
        "suppliedBy", "originatedBy", "verifiedUsing", "externalIdentifier", "externalRef",
        "extension",
    )
)  # fmt: skip
_DOCUMENT_FIELDS = frozenset(
    ("type", "@type", "spdxId", "@id", "creationInfo", "name", "dataLicense")
    + ("profileConformance", "rootElement", "element", "extension")
)
_NO_VALUE = ("NOASSERTION", "NONE")


def read_document(data: bytes, rel: str) -> Inventory:
    doc = json_document(data, rel)
    graph = doc.get("@graph")
    if not isinstance(graph, list):
        detail = "@graph is missing or not an array (SPDX 3 JSON-LD lists its elements there)"
        raise FormatError(Msg.WRONG_FORMAT, rel, detail)
    reader = _Reader(rel)
    reader.index(graph)
    return reader.inventory()


@lru_cache(maxsize=256)
def _type(kind: str) -> str:
    """``software_Package`` from ``software:Package`` or the full IRI of the class."""
    if kind.startswith("https://spdx.org/rdf/3.0.") and "/terms/" in kind:
        profile, _, name = kind.partition("/terms/")[2].partition("/")
        return name if profile == "Core" else f"{profile.lower()}_{name}"
    return kind.replace(":", "_", 1)


def _dump(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def _text(e: Json, key: str) -> str | None:
    value = e.get(key)
    return value if isinstance(value, str) and value else None


def _texts(e: Json, key: str) -> list[str]:
    value = e.get(key)
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _objects(e: Json, key: str) -> list[Json]:
    value = e.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _properties(e: Json) -> tuple[Props, list[Json]]:
    """The CdxPropertiesExtension entries, and any other extension as it is."""
    props: Props = []
    others = []
    for ext in _objects(e, "extension"):
        if _type(str(ext.get("type", ""))) != CDX_EXTENSION:
            others.append(ext)
            continue
        for entry in _objects(ext, "extension_cdxProperty"):
            name = _text(entry, "extension_cdxPropName")
            if name is not None:
                props.append((name, str(entry.get("extension_cdxPropValue", ""))))
    return props, others


def _relink(value: Any, links: dict[str, str]) -> Any:
    if isinstance(value, str):
        return links.get(value, value)
    if isinstance(value, list):
        return [_relink(v, links) for v in value]
    if isinstance(value, dict):
        return {k: _relink(v, links) for k, v in value.items()}
    return value


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def _declared_first(licenses: list[License]) -> tuple[License, ...]:
    """As the writer writes them: the declared ones, then the concluded, each once."""
    if len(licenses) < 2:
        return tuple(licenses)
    return tuple(sorted(dict.fromkeys(licenses), key=lambda x: x.concluded))


def _edge_key(d: Dependency) -> tuple[str, str, str]:
    return d.source, d.target, d.kind  # the dataclass order, without its slow __lt__


def _location(text: str) -> Location:
    path, _, line = text.rpartition(":")
    return Location(path, int(line)) if path and line.isdigit() else Location(text)


class _Reader:
    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.problems: list[Diagnostic] = []
        self.elements: dict[str, tuple[str, Json]] = {}  # spdxId -> (type, element)
        self.infos: dict[str, Json] = {}  # CreationInfo @id -> object
        self.version = ""
        self.external: set[str] = set()  # spdxIds imported from other documents
        self.used: set[str] = set()  # spdxIds the mapping has taken
        self.refs: dict[str, str] = {}  # component spdxId -> ref
        self.partial: dict[str, Json] = {}  # relationships left with the targets not taken
        self.links: dict[str, str] = {}  # spdxId -> what data kept in extra calls it

    def problem(self, code: Msg, where: str, field: str, what: str) -> None:
        self.problems.append(Diagnostic(code, Location(self.rel), f"{where}: {field}: {what}"))

    def index(self, graph: list[Any]) -> None:
        for i, e in enumerate(graph):
            if not isinstance(e, dict):
                self.problem(Msg.INVALID_ENTRY, f"@graph[{i}]", "type", "not an object")
                continue
            kind = _type(str(e.get("type", e.get("@type", ""))))
            if kind == "CreationInfo":
                self.creation_info(e, f"@graph[{i}]")
                continue
            sid = e.get("spdxId", e.get("@id"))
            if not isinstance(sid, str) or not sid:
                self.problem(Msg.INVALID_ENTRY, f"@graph[{i}] ({kind})", "spdxId", "missing")
            elif sid in self.elements:
                self.problem(Msg.DUPLICATE_ENTRY, sid, "spdxId", "listed before; skipped")
            else:
                self.elements[sid] = (kind, e)
                if isinstance(info := e.get("creationInfo"), dict):
                    self.creation_info(info, sid)
                if kind == "SpdxDocument":
                    imports = _objects(e, "import")
                    self.external.update(x for m in imports if (x := _text(m, "externalSpdxId")))
        if not self.version:
            detail = "no CreationInfo with a specVersion in @graph"
            raise FormatError(Msg.UNSUPPORTED_VERSION, self.rel, detail)

    def creation_info(self, e: Json, where: str) -> None:
        version = e.get("specVersion")
        if version not in SUPPORTED:
            detail = (
                f"{where}: CreationInfo specVersion {version!r}; supported: {', '.join(SUPPORTED)}"
            )
            raise FormatError(Msg.UNSUPPORTED_VERSION, self.rel, detail)
        self.version = self.version or str(version)
        if isinstance(ident := e.get("@id"), str):
            self.infos[ident] = e

    def first(self, kind: str) -> tuple[str, Json] | None:
        return next(((s, e) for s, (k, e) in self.elements.items() if k == kind), None)

    def inventory(self) -> Inventory:
        document, sbom = self.first("SpdxDocument"), self.first("software_Sbom")
        self.used.update(x[0] for x in (document, sbom) if x is not None)
        licenses = self.licenses()
        components: dict[str, Component] = {}
        for sid, (kind, e) in self.elements.items():
            if kind in PACKAGE_TYPES or kind == FILE_TYPE:
                c = self.component(sid, kind, e, licenses.get(sid, []))
                if c is not None:
                    components[sid] = c
                    self.refs[sid] = c.ref
                    self.used.add(sid)
        self.links = {sid: REF_PREFIX + ref for sid, ref in self.refs.items()}
        self.links.update(
            {x[0]: link for x, link in ((document, DOCUMENT_LINK), (sbom, SBOM_LINK)) if x}
        )
        self.annotate(components)
        deps, described = self.relationships({x[0] for x in (document, sbom) if x is not None})
        primary_id = self.primary(document, sbom, described, components)
        primary = components.pop(primary_id) if primary_id else None
        return Inventory(
            components=tuple(components.values()),
            dependencies=tuple(sorted(deps, key=_edge_key)),
            metadata=self.metadata(document, sbom, primary),
            diagnostics=tuple(self.problems),
            extra=self.document_extra(document) + self.leftovers(),
        )

    # -- licenses ---------------------------------------------------------------------

    def licenses(self) -> dict[str, list[License]]:
        out: dict[str, list[License]] = defaultdict(list)
        for sid, (kind, e) in self.elements.items():
            rtype = e.get("relationshipType") if kind in _RELATIONSHIPS else None
            source = _text(e, "from")
            if rtype not in LICENSE_RELATIONSHIPS or source is None:
                continue
            found = self.elements.get(source)
            if found is None or (found[0] not in PACKAGE_TYPES and found[0] != FILE_TYPE):
                continue  # a snippet's license: kept with the relationship
            self.used.add(sid)
            for target in _texts(e, "to"):
                lic = self.license(target, sid)
                if lic is not None:
                    out[source].append(License(lic[0], lic[1], LICENSE_RELATIONSHIPS[rtype]))
        return out

    def license(self, target: str, rel_id: str) -> tuple[str, bool] | None:
        """(value, is_expression) of a license element; None for NOASSERTION or a problem."""
        found = self.elements.get(target)
        if found is None:
            if target.startswith("https://spdx.org/licenses/"):
                return target.rpartition("/")[2], True
            self.problem(Msg.UNKNOWN_DEPENDENCY, rel_id, "to", f"{target!r} is not in @graph")
            return None
        kind, e = found
        self.used.add(target)
        if kind == "simplelicensing_LicenseExpression":
            expression = _text(e, "simplelicensing_licenseExpression")
            if expression is None or expression in _NO_VALUE:
                return None
            for entry in _objects(e, "simplelicensing_customIdToUri"):
                if entry.get("key") == expression and (text := self.license_text(entry)):
                    return text, False
            return expression, True
        if kind in _LICENSE_TEXTS:
            text = _text(e, "simplelicensing_licenseText") or _text(e, "name")
            return (text, False) if text else None
        if kind == "expandedlicensing_ListedLicense":
            return _text(e, "name") or target.rpartition("/")[2], True
        self.problem(Msg.INVALID_ENTRY, target, "type", f"{kind} licenses are not read")
        return None

    def license_text(self, entry: Json) -> str | None:
        ident = _text(entry, "value")
        found = self.elements.get(ident or "")
        if ident is None or found is None or found[0] not in _LICENSE_TEXTS:
            return None
        self.used.add(ident)
        return _text(found[1], "simplelicensing_licenseText")

    # -- components --------------------------------------------------------------------

    def component(self, sid: str, kind: str, e: Json, licenses: list[License]) -> Component | None:
        props, other_extensions = _properties(e)
        own: dict[str, str] = {}
        found_by, locations, rest = [], [], []
        for prop, value in props:
            if prop == FOUND_BY:
                found_by.append(value)
            elif prop == LOCATION:
                locations.append(_location(value))
            elif prop in OWN_PROPERTIES:
                own[prop] = value
            else:
                rest.append((prop, value))
        extra: list[tuple[str, str]] = (
            [] if kind in (FILE_TYPE, "software_Package") else [("spdx3:type", _dump(kind))]
        )
        base = self.identity(sid, e, extra)
        name = _text(e, "name") or (base.name if base else None)
        if name is None:
            self.problem(Msg.MISSING_NAME, sid, "name", "missing; element skipped")
            return None
        ctype = self.component_type(sid, kind, e, own, extra)
        hashes, odd_hashes = self.hashes(e)
        refs = self.external_refs(e)
        extra += [(f"spdx3:{k}", _dump(v)) for k, v in e.items() if k not in _COMPONENT_FIELDS]
        extra += [("spdx3:verifiedUsing", _dump(odd_hashes))] if odd_hashes else []
        extra += [("spdx3:extension", _dump(other_extensions))] if other_extensions else []
        source, home = _text(e, "software_downloadLocation"), _text(e, "software_homePage")
        return Component(
            name=name,
            version=_text(e, "software_packageVersion") or (base.version if base else None),
            ecosystem=base.ecosystem if base else own.get(ECOSYSTEM, ""),
            purl=base.purl if base else None,
            type=ctype,
            supplier=self.agents(sid, e, "suppliedBy", "Organization"),
            author=self.agents(sid, e, "originatedBy", "Person"),
            description=_text(e, "description"),
            licenses=_declared_first(licenses),
            hashes=tuple(sorted(hashes) if len(hashes) > 1 else hashes),
            scope=self.scope(sid, own.get(SCOPE)),
            direct={"true": True, "false": False}.get(own.get(DIRECT, "")),
            locations=tuple(locations),
            found_by=tuple(found_by),
            source_url=own.get(SOURCE_URL) or (None if source in _NO_VALUE else source),
            homepage=own.get(HOMEPAGE) or (None if home in _NO_VALUE else home),
            properties=tuple(rest),
            cpes=tuple(refs[0]),
            copyright=None if (c := _text(e, "software_copyrightText")) in _NO_VALUE else c,
            external_refs=tuple(refs[1]),
            extra=tuple(extra),
            ref=(base.ref if base else own.get(REF, "")),
        )

    def identity(self, sid: str, e: Json, extra: list[tuple[str, str]]) -> Component | None:
        """What the purl says (software_packageUrl, else a packageUrl identifier)."""
        purl = _text(e, "software_packageUrl")
        field = "software_packageUrl"
        if purl is None:
            ids = _objects(e, "externalIdentifier")
            purl = next(
                (
                    str(i.get("identifier"))
                    for i in ids
                    if i.get("externalIdentifierType") == "packageUrl"
                ),
                None,
            )
            field = "externalIdentifier"
        if purl is None:
            return None
        try:
            return component_from_purl(purl)
        except IdentityError as err:
            self.problem(Msg.INVALID_ENTRY, sid, field, err.detail)
            return None

    def component_type(
        self, sid: str, kind: str, e: Json, own: dict[str, str], extra: list[tuple[str, str]]
    ) -> ComponentType:
        purpose = _text(e, "software_primaryPurpose")
        if kind == FILE_TYPE or (purpose and purpose not in TYPES):
            if purpose:
                extra.append(("spdx3:software_primaryPurpose", _dump(purpose)))
            purpose = "file" if kind == FILE_TYPE else None
        if TYPE in own:
            try:
                return ComponentType(own[TYPE])
            except ValueError:
                self.problem(Msg.INVALID_ENTRY, sid, TYPE, f"unknown type {own[TYPE]!r}")
        return TYPES[purpose] if purpose else PACKAGE_TYPES.get(kind, ComponentType.LIBRARY)

    def scope(self, sid: str, value: str | None) -> Scope:
        try:
            return Scope(value) if value else Scope.REQUIRED
        except ValueError:
            self.problem(Msg.INVALID_ENTRY, sid, SCOPE, f"unknown scope {value!r}")
            return Scope.REQUIRED

    def hashes(self, e: Json) -> tuple[list[Hash], list[Json]]:
        out, odd = [], []
        for h in _objects(e, "verifiedUsing"):
            alg, value = ALGORITHMS.get(str(h.get("algorithm"))), _text(h, "hashValue")
            if h.get("type") == "Hash" and alg and value:
                out.append(Hash(alg, value))
            else:
                odd.append(h)
        return out, odd

    def external_refs(self, e: Json) -> tuple[list[str], list[ExternalRef]]:
        cpes = [
            str(i.get("identifier"))
            for i in _objects(e, "externalIdentifier")
            if i.get("externalIdentifierType") in ("cpe22", "cpe23")
        ]
        refs = []
        for r in _objects(e, "externalRef"):
            kind = str(r.get("externalRefType", "other"))
            kind = REF_KINDS.get(kind) or (kind if kind in SPDX3_ONLY_REF_TYPES else "other")
            refs += [ExternalRef(kind, url, _text(r, "comment")) for url in _texts(r, "locator")]
        return cpes, refs

    def agents(self, sid: str, e: Json, field: str, default: str) -> str | None:
        if field not in e:
            return None
        names = [self.agent(a, default, sid, field) for a in _texts(e, field)]
        return ", ".join(n for n in names if n) or None

    def agent(self, ident: str, default: str, where: str, field: str) -> str | None:
        """``Name <email>``, prefixed ``Organization:`` / ``Person:`` when not ``default``."""
        found = self.elements.get(ident)
        if found is None or found[0] not in _AGENTS:
            self.problem(
                Msg.UNKNOWN_DEPENDENCY, where, field, f"{ident!r} is not an agent in @graph"
            )
            return None
        kind, a = found
        self.used.add(ident)
        name = _text(a, "name") or ident
        emails = [
            i
            for i in _objects(a, "externalIdentifier")
            if i.get("externalIdentifierType") == "email"
        ]
        text = f"{name} <{emails[0].get('identifier')}>" if emails else name
        return f"{kind}: {text}" if kind in ("Person", "Organization") and kind != default else text

    def annotate(self, components: dict[str, Component]) -> None:
        """Annotations of a component travel with it."""
        notes: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for sid, (kind, e) in self.elements.items():
            subject = _text(e, "subject")
            if kind == "Annotation" and subject in components:
                body = self.body({k: v for k, v in e.items() if k != "subject"})
                notes[subject].append(("spdx3:Annotation", _dump(body)))
                self.used.add(sid)
        for sid, extra in notes.items():
            components[sid] = replace(components[sid], extra=components[sid].extra + tuple(extra))

    # -- relationships -----------------------------------------------------------------

    def relationships(self, collections: set[str]) -> tuple[set[Dependency], list[str]]:
        deps: set[Dependency] = set()
        described: list[str] = []
        for sid, (kind, e) in self.elements.items():
            if kind not in _RELATIONSHIPS or sid in self.used:
                continue
            rtype, source = str(e.get("relationshipType")), _text(e, "from")
            targets = [t for t in _texts(e, "to") if self.known(t, sid)]
            if source is None or not self.known(source, sid, "from"):
                self.used.add(sid)
                continue
            if source in collections and rtype == "describes":
                described += targets
                self.used.add(sid)
                continue
            kind_swap = KINDS.get((rtype, _text(e, "scope")))
            if rtype == "other" and (comment := _text(e, "comment")) and comment.isupper():
                kind_swap = (comment, False)
            taken = [t for t in targets if t in self.refs] if source in self.refs else []
            if kind_swap is None or not taken:
                continue
            name, swap = kind_swap
            for t in taken:
                a, b = (
                    (self.refs[t], self.refs[source]) if swap else (self.refs[source], self.refs[t])
                )
                deps.add(Dependency(a, b, name))
            self.used.add(sid)
            if rest := [t for t in targets if t not in self.refs]:
                self.partial[sid] = {**e, "to": rest}
        return deps, described

    def known(self, ident: str, rel_id: str, field: str = "to") -> bool:
        if ident in self.elements or ident in self.external:
            return True
        self.problem(
            Msg.UNKNOWN_DEPENDENCY, rel_id, field, f"{ident!r} is not in @graph or imported"
        )
        return False

    def primary(
        self,
        document: tuple[str, Json] | None,
        sbom: tuple[str, Json] | None,
        described: list[str],
        components: dict[str, Component],
    ) -> str | None:
        """The one component the SBOM (else the document, else "describes") names as root."""
        for found in (sbom, document):
            roots = [r for r in _texts(found[1], "rootElement") if r in components] if found else []
            if roots:
                return roots[0] if len(roots) == 1 else None
        roots = [r for r in dict.fromkeys(described) if r in components]
        return roots[0] if len(roots) == 1 else None

    # -- document ----------------------------------------------------------------------

    def metadata(
        self,
        document: tuple[str, Json] | None,
        sbom: tuple[str, Json] | None,
        primary: Component | None,
    ) -> Metadata:
        doc = document[1] if document else {}
        info = self.infos.get(str(doc.get("creationInfo"))) or next(iter(self.infos.values()), {})
        props = dict(_properties(doc)[0])
        authors = []
        for ident in _texts(info, "createdBy"):
            found = self.elements.get(ident)
            if found is not None and found[0] == "SoftwareAgent":
                self.used.add(ident)  # the tool, told as an agent
            elif (who := self.agent(ident, "Person", "CreationInfo", "createdBy")) is not None:
                authors.append(who)
        tools = [t for ident in _texts(info, "createdUsing") if (t := self.tool(ident))]
        sbom_types = _texts(sbom[1], "software_sbomType") if sbom else []
        lifecycle = next((LIFECYCLES[t] for t in sbom_types if t in LIFECYCLES), None)
        data_license = None
        if document is not None and (license_id := _text(doc, "dataLicense")):
            data_license = (self.license(license_id, document[0]) or (None,))[0]
        return Metadata(
            primary=primary,
            tools=tuple(tools),
            timestamp=_text(info, "created"),
            authors=tuple(authors),
            lifecycle=lifecycle or props.get(LIFECYCLE),
            spec=f"spdx-{self.version}",
            name=_text(doc, "name"),
            document_id=document[0] if document else None,
            supplier=props.get(SUPPLIER),
            data_license=data_license,
        )

    def tool(self, ident: str) -> Tool | None:
        found = self.elements.get(ident)
        if found is None or found[0] != "Tool":
            self.problem(
                Msg.UNKNOWN_DEPENDENCY,
                "CreationInfo",
                "createdUsing",
                f"{ident!r} is not a Tool in @graph",
            )
            return None
        self.used.add(ident)
        props = dict(_properties(found[1])[0])
        return Tool(_text(found[1], "name") or ident, props.get(VERSION, ""), props.get(VENDOR))

    def document_extra(self, document: tuple[str, Json] | None) -> Extra:
        if document is None:
            return ()
        fields = document[1].items()
        return tuple((f"spdx3:{k}", _dump(v)) for k, v in fields if k not in _DOCUMENT_FIELDS)

    def leftovers(self) -> Extra:
        """Every element no mapping took, and the agents and licenses those link to.

        Without creationInfo (the writer gives its own); links to components, the document
        and the SBOM are kept as placeholders the writer turns into the new spdxIds.
        """
        kept = {
            sid: self.body(self.partial.get(sid, e))
            for sid, (_, e) in self.elements.items()
            if sid not in self.used or sid in self.partial
        }
        linked = {s for body in kept.values() for s in _strings(body) if s in self.elements}
        for sid in linked - kept.keys() - self.links.keys():
            kept[sid] = self.body(self.elements[sid][1])
        return tuple(
            (f"spdx3:{kind}", _dump(kept[sid]))
            for sid, (kind, _) in self.elements.items()
            if sid in kept
        )

    def body(self, e: Json) -> Any:
        fields = {k: v for k, v in e.items() if k not in ("type", "@type", "creationInfo")}
        return {k: v if k == "spdxId" else _relink(v, self.links) for k, v in fields.items()}

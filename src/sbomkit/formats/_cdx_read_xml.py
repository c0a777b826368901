"""CycloneDX XML (1.2 to 1.6) decoded into :class:`~._cdx_read_raw.RawBom`.

Elements the model has no field for are kept as XML text (``cyclonedx-xml:<element>``)
with the CycloneDX namespace removed and whitespace-only text dropped, so the XML writer
can put them back under any spec version's namespace and a second read gives the same text.
Pointers in diagnostics are element paths: ``/bom/components/component[4]/purl``.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET  # noqa: S405 - element type only; parsing is defused

from sbomkit.formats._cdx_read_raw import (
    SUPPORTED,
    RawBom,
    RawComponent,
    RawDependency,
    contact_text,
)
from sbomkit.formats._safe import MAX_NESTING, too_deep
from sbomkit.formats._values import one_line
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.model import ExternalRef, Hash, License, Location, Tool

_NS = "http://cyclonedx.org/schema/bom/"
_COMPONENT = frozenset(
    (
        "supplier", "author", "authors", "group", "name", "version", "description", "scope",
        "hashes", "licenses", "copyright", "cpe", "purl", "externalReferences",
        "properties", "components", "evidence",
    )
)  # fmt: skip
_METADATA = frozenset(
    ("timestamp", "lifecycles", "tools", "authors", "component", "supplier", "licenses")
)


def check_root(root: ET.Element, rel: str) -> str:
    """The spec version the namespace names; FormatError for any other root."""
    ns, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if not ns.startswith(_NS) or local != "bom":
        detail = f"root element {local!r} in namespace {ns or 'none'!r}, not a CycloneDX bom"
        raise FormatError(Msg.WRONG_FORMAT, rel, detail)
    spec = ns[len(_NS) :]
    if spec not in SUPPORTED:
        detail = f"namespace {ns!r} (CycloneDX {spec}); supported: {', '.join(SUPPORTED)}"
        raise FormatError(Msg.UNSUPPORTED_VERSION, rel, detail)
    return spec


def decode_xml(root: ET.Element, rel: str) -> RawBom:
    raw = RawBom(rel, check_root(root, rel))
    d = _Decoder(raw, _NS + raw.spec)
    raw.serial = root.get("serialNumber")
    for el in root:
        tag = d.local(el)
        if tag == "metadata":
            d.metadata(el)
        elif tag == "components":
            raw.components = d.components(el, "/bom/components", 1)
        elif tag == "dependencies":
            d.dependencies(el)
        else:
            if tag == "services":
                refs = (s.get("bom-ref") for s in el.iter(f"{{{d.ns}}}service"))
                raw.service_refs = {r for r in refs if r}
            raw.extra.append((f"cyclonedx-xml:{tag}", d.xml_text(el)))
    return raw


class _Decoder:
    def __init__(self, raw: RawBom, ns: str) -> None:
        self.raw = raw
        self.ns = ns
        self.prefix = f"{{{ns}}}"

    def local(self, el: ET.Element) -> str:
        """The tag without our namespace; a foreign element keeps ``{ns}tag``."""
        tag = el.tag
        return tag[len(self.prefix) :] if tag.startswith(self.prefix) else tag

    def xml_text(self, el: ET.Element) -> str:
        mine = copy.deepcopy(el)
        for e in mine.iter():
            if isinstance(e.tag, str) and e.tag.startswith(self.prefix):
                e.tag = e.tag[len(self.prefix) :]
            if e.text is not None and not e.text.strip() and len(e):
                e.text = None
            e.tail = None
        return ET.tostring(mine, encoding="unicode")

    def child(self, el: ET.Element, tag: str) -> ET.Element | None:
        return el.find(self.prefix + tag)

    def children(self, el: ET.Element, tag: str) -> list[ET.Element]:
        return el.findall(self.prefix + tag)

    def text(self, el: ET.Element, tag: str) -> str | None:
        found = el.find(self.prefix + tag)
        if found is None:
            return None
        return (found.text or "").strip()

    def entity_name(self, el: ET.Element, tag: str) -> str | None:
        entity = self.child(el, tag)
        return None if entity is None else self.text(entity, "name")

    def contacts(self, el: ET.Element, tag: str) -> list[str]:
        wrap = self.child(el, tag)
        if wrap is None:
            return []
        found = (
            contact_text(self.text(a, "name"), self.text(a, "email"))
            for a in self.children(wrap, "author")
        )
        return [a for a in found if a]

    def metadata(self, meta: ET.Element) -> None:
        raw = self.raw
        raw.timestamp = self.text(meta, "timestamp")
        if (cycles := self.child(meta, "lifecycles")) is not None:
            for phase in self.children(cycles, "lifecycle"):
                raw.lifecycle = self.text(phase, "phase") or self.text(phase, "name")
                break
        if (tools := self.child(meta, "tools")) is not None:
            self.tools(tools)
        raw.authors = self.contacts(meta, "authors")
        if (primary := self.child(meta, "component")) is not None:
            raw.primary = self.component(primary, "/bom/metadata/component", 1)
        named = [
            (k, n)
            for k in ("supplier", "manufacturer", "manufacture")
            if (n := self.entity_name(meta, k))
        ]
        taken = named[0][0] if named else "supplier"
        if named:
            raw.supplier = named[0][1]
        if (licenses := self.child(meta, "licenses")) is not None:
            values = [lic.value for lic in self.licenses(licenses, "/bom/metadata/licenses")]
            joined = " AND ".join(f"({v})" if " " in v else v for v in values)
            raw.data_license = (values[0] if len(values) == 1 else joined) or None
        for el in meta:
            tag = self.local(el)
            if tag not in _METADATA and tag != taken:
                raw.extra.append((f"cyclonedx-xml:metadata.{tag}", self.xml_text(el)))

    def tools(self, tools: ET.Element) -> None:
        for t in self.children(tools, "tool"):  # 1.2 - 1.4
            if name := self.text(t, "name"):
                self.raw.tools.append(
                    Tool(name, self.text(t, "version") or "", self.text(t, "vendor"))
                )
        for kind, item, by in (
            ("components", "component", "supplier"),
            ("services", "service", "provider"),
        ):
            wrap = self.child(tools, kind)
            for t in [] if wrap is None else self.children(wrap, item):
                if name := self.text(t, "name"):
                    version = self.text(t, "version") or ""
                    self.raw.tools.append(Tool(name, version, self.entity_name(t, by)))

    def licenses(self, wrap: ET.Element, ptr: str) -> list[License]:
        out = []
        for i, el in enumerate(wrap):
            concluded = el.get("acknowledgement") == "concluded"
            tag = self.local(el)
            if tag == "expression":
                out.append(License((el.text or "").strip(), True, concluded))
            elif tag == "license":
                found = self.license(el, concluded)
                if found is None:
                    where = f"{ptr}/license[{i + 1}]"
                    self.raw.problem(Msg.INVALID_ENTRY, where, "license without id or name")
                else:
                    out.append(found)
        return out

    def license(self, el: ET.Element, concluded: bool) -> License | None:
        if (spdx_id := self.text(el, "id")) is not None:
            return License(spdx_id, True, concluded)
        name = self.text(el, "name")
        text = self.child(el, "text")
        content = None if text is None or text.get("encoding") else text.text
        if name and content and one_line(content) == name:
            return License(content, False, concluded)
        return License(name, False, concluded) if name else None

    def components(self, wrap: ET.Element, ptr: str, depth: int) -> list[RawComponent]:
        return [
            self.component(el, f"{ptr}/component[{i + 1}]", depth)
            for i, el in enumerate(self.children(wrap, "component"))
        ]

    def component(self, el: ET.Element, ptr: str, depth: int) -> RawComponent:
        if depth > MAX_NESTING:
            raise too_deep(self.raw.rel, f"components (at {ptr})")
        c = RawComponent(ptr, bom_ref=el.get("bom-ref"), type=el.get("type"))
        text = self.text
        c.name, c.version = text(el, "name"), text(el, "version")
        c.purl, c.description = text(el, "purl"), text(el, "description")
        c.scope, c.copyright, c.cpe = text(el, "scope"), text(el, "copyright"), text(el, "cpe")
        c.supplier = self.entity_name(el, "supplier")
        author = text(el, "author")
        authors = ", ".join(self.contacts(el, "authors"))
        c.author = authors or author
        if (group := self.child(el, "group")) is not None:
            c.group = ("cyclonedx-xml:group", self.xml_text(group))
        c.extra = [
            (f"cyclonedx-xml:@{k}", v) for k, v in el.attrib.items() if k not in ("bom-ref", "type")
        ]
        for sub in el:
            tag = self.local(sub)
            if tag == "author" and authors:
                c.extra.append(("cyclonedx-xml:author", self.xml_text(sub)))
            elif tag not in _COMPONENT:
                c.extra.append((f"cyclonedx-xml:{tag}", self.xml_text(sub)))
            else:
                self.part(c, tag, sub, depth)
        return c

    def part(self, c: RawComponent, tag: str, el: ET.Element, depth: int) -> None:
        """One of the list-like children of a component."""
        if tag == "hashes":
            c.hashes = [
                Hash(h.get("alg", ""), (h.text or "").strip()) for h in self.children(el, "hash")
            ]
        elif tag == "licenses":
            c.licenses = self.licenses(el, f"{c.pointer}/licenses")
        elif tag == "externalReferences":
            for r in self.children(el, "reference"):
                url = self.text(r, "url")
                if url and (kind := r.get("type")):
                    c.external_refs.append(ExternalRef(kind, url, self.text(r, "comment")))
        elif tag == "properties":
            for p in self.children(el, "property"):
                if name := p.get("name"):
                    c.properties.append((name, p.text or ""))
        elif tag == "components":
            c.children = self.components(el, f"{c.pointer}/components", depth + 1)
        elif tag == "evidence":
            self.evidence(c, el)

    def evidence(self, c: RawComponent, el: ET.Element) -> None:
        rest = copy.copy(el)
        if (occurrences := self.child(el, "occurrences")) is not None:
            rest.remove(occurrences)
            for occ in self.children(occurrences, "occurrence"):
                line = self.text(occ, "line")
                if path := self.text(occ, "location"):
                    number = int(line) if line and line.isdigit() else None
                    c.locations.append(Location(path, number))
        if len(rest):
            c.extra.append(("cyclonedx-xml:evidence", self.xml_text(rest)))

    def dependencies(self, wrap: ET.Element) -> None:
        for i, dep in enumerate(self.children(wrap, "dependency")):
            ptr = f"/bom/dependencies/dependency[{i + 1}]"
            ref = dep.get("ref")
            if not ref:
                self.raw.problem(Msg.INVALID_ENTRY, f"{ptr}/@ref", "dependency without ref")
                continue
            on = [r for d in self.children(dep, "dependency") if (r := d.get("ref"))]
            provides = [r for d in self.children(dep, "provides") if (r := d.get("ref"))]
            self.raw.dependencies.append(RawDependency(ptr, ref, on, provides))

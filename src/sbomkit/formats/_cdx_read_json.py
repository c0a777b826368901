"""CycloneDX JSON (1.2 to 1.6) decoded into :class:`~._cdx_read_raw.RawBom`.

Every value is type-checked as it is taken: a field of the wrong type is a diagnostic
naming its JSON pointer (``/components/3/name``) and the rest of the document is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

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

Json = dict[str, Any]

_HEADER = frozenset(("$schema", "bomFormat", "specVersion", "serialNumber", "version", "metadata"))
_DOCUMENT = frozenset(("components", "dependencies"))
_COMPONENT = frozenset(
    (
        "type", "bom-ref", "supplier", "author", "authors", "group", "name", "version",
        "description", "scope", "hashes", "licenses", "copyright", "cpe", "purl",
        "externalReferences", "properties", "components", "evidence",
    )
)  # fmt: skip
# Component keys whose value is one string, kept as it is (see _Decoder.plain).
_PLAIN = frozenset(
    ("type", "bom-ref", "author", "name", "version", "description", "scope", "copyright",
     "cpe", "purl")
)  # fmt: skip
_METADATA = frozenset(
    ("timestamp", "lifecycles", "tools", "authors", "component", "supplier", "licenses")
)


def _dump(value: Any) -> str:
    return orjson.dumps(value).decode("utf-8")


def check_header(doc: Json, rel: str) -> str:
    """The specVersion; FormatError when this is not a CycloneDX document we read."""
    fmt = doc.get("bomFormat")
    if fmt is None:
        raise FormatError(Msg.WRONG_FORMAT, rel, 'bomFormat is missing (expected "CycloneDX")')
    if fmt != "CycloneDX":
        raise FormatError(Msg.WRONG_FORMAT, rel, f'bomFormat is {fmt!r}, not "CycloneDX"')
    spec = doc.get("specVersion")
    if spec is None:
        raise FormatError(Msg.UNSUPPORTED_VERSION, rel, "specVersion is missing")
    if spec not in SUPPORTED:
        detail = f"specVersion {spec!r}; supported: {', '.join(SUPPORTED)}"
        raise FormatError(Msg.UNSUPPORTED_VERSION, rel, detail)
    return str(spec)


def decode_json(doc: Json, rel: str) -> RawBom:
    """The whole document at once."""
    bom = JsonBom(doc, rel)
    bom.raw.components = list(bom.components())
    bom.raw.dependencies = list(bom.dependencies())
    return bom.finish()


class JsonBom:
    """A document decoded in parts: the top level first, then each array item as it comes.

    ``components(items)`` and ``dependencies(items)`` take the array's items from elsewhere
    (a stream) when the top level holds the array empty; problems come out in the same
    order either way.
    """

    def __init__(self, top: Json, rel: str) -> None:
        self.top = top
        self.raw = raw = RawBom(rel, check_header(top, rel))
        self.d = d = _Decoder(raw)
        raw.serial = d.text(top, "serialNumber", "")
        meta = d.obj(top, "metadata", "")
        if meta is not None:
            d.metadata(meta)
        if isinstance(services := top.get("services"), list):
            raw.service_refs = set(_service_refs(services))

    def components(self, items: Iterable[Any] | None = None) -> Iterator[RawComponent]:
        d = self.d
        found = (
            d.objects(self.top, "components", "") if items is None else d.each(items, "/components")
        )
        for ptr, c in found:
            yield d.component(c, ptr, 1)

    def dependencies(self, items: Iterable[Any] | None = None) -> Iterator[RawDependency]:
        d = self.d
        found = (
            d.objects(self.top, "dependencies", "")
            if items is None
            else d.each(items, "/dependencies")
        )
        for ptr, dep in found:
            ref = d.text(dep, "ref", ptr)
            if ref is None:
                self.raw.problem(Msg.INVALID_ENTRY, f"{ptr}/ref", "dependency without ref")
                continue
            on = d.texts(dep, "dependsOn", ptr)
            yield RawDependency(ptr, ref, on, d.texts(dep, "provides", ptr))

    def finish(self) -> RawBom:
        """The decoded document, once components and dependencies have been taken."""
        self.raw.extra += [
            (f"cyclonedx:{k}", _dump(v))
            for k, v in self.top.items()
            if k not in _HEADER | _DOCUMENT
        ]
        return self.raw


def _service_refs(services: list[Any]) -> Iterator[str]:
    for s in services:
        if isinstance(s, dict):
            if isinstance(ref := s.get("bom-ref"), str):
                yield ref
            if isinstance(nested := s.get("services"), list):
                yield from _service_refs(nested)


class _Decoder:
    def __init__(self, raw: RawBom) -> None:
        self.raw = raw

    def _wrong(self, ptr: str, expected: str, value: Any) -> None:
        what = f"expected {expected}, got {type(value).__name__}"
        self.raw.problem(Msg.INVALID_ENTRY, ptr, what)

    def text(self, obj: Json, key: str, ptr: str) -> str | None:
        value = obj.get(key)
        if value is None or isinstance(value, str):
            return value
        self._wrong(f"{ptr}/{key}", "a string", value)
        return None

    def obj(self, obj: Json, key: str, ptr: str) -> Json | None:
        value = obj.get(key)
        if value is None or isinstance(value, dict):
            return value
        self._wrong(f"{ptr}/{key}", "an object", value)
        return None

    def items(self, obj: Json, key: str, ptr: str) -> list[Any]:
        value = obj.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self._wrong(f"{ptr}/{key}", "a list", value)
        return []

    def objects(self, obj: Json, key: str, ptr: str) -> Iterator[tuple[str, Json]]:
        return self.each(self.items(obj, key, ptr), f"{ptr}/{key}")

    def each(self, items: Iterable[Any], ptr: str) -> Iterator[tuple[str, Json]]:
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield f"{ptr}/{i}", item
            else:
                self._wrong(f"{ptr}/{i}", "an object", item)

    def texts(self, obj: Json, key: str, ptr: str) -> list[str]:
        out = []
        for i, item in enumerate(self.items(obj, key, ptr)):
            if isinstance(item, str):
                out.append(item)
            else:
                self._wrong(f"{ptr}/{key}/{i}", "a string", item)
        return out

    def entity_name(self, obj: Json, key: str, ptr: str) -> str | None:
        entity = self.obj(obj, key, ptr)
        return None if entity is None else self.text(entity, "name", f"{ptr}/{key}")

    def contacts(self, obj: Json, key: str, ptr: str) -> list[str]:
        found = (
            contact_text(self.text(a, "name", p), self.text(a, "email", p))
            for p, a in self.objects(obj, key, ptr)
        )
        return [a for a in found if a]

    def metadata(self, meta: Json) -> None:
        raw, ptr = self.raw, "/metadata"
        raw.timestamp = self.text(meta, "timestamp", ptr)
        for p, phase in self.objects(meta, "lifecycles", ptr):
            raw.lifecycle = self.text(phase, "phase", p) or self.text(phase, "name", p)
            break
        self.tools(meta.get("tools"))
        raw.authors = self.contacts(meta, "authors", ptr)
        if (primary := self.obj(meta, "component", ptr)) is not None:
            raw.primary = self.component(primary, f"{ptr}/component", 1)
        suppliers = [
            (k, self.entity_name(meta, k, ptr)) for k in ("supplier", "manufacturer", "manufacture")
        ]
        named = [(k, n) for k, n in suppliers if n]
        if named:
            raw.supplier = named[0][1]
        taken = named[0][0] if named else "supplier"
        raw.data_license = self.license_text(self.licenses(meta, ptr))
        raw.extra.extend(
            (f"cyclonedx:metadata.{k}", _dump(v))
            for k, v in meta.items()
            if k not in _METADATA and k != taken
        )

    def tools(self, tools: Any) -> None:
        ptr = "/metadata/tools"
        if isinstance(tools, list):  # 1.2 - 1.4
            for p, t in self.objects({"tools": tools}, "tools", "/metadata"):
                if name := self.text(t, "name", p):
                    version = self.text(t, "version", p) or ""
                    self.raw.tools.append(Tool(name, version, self.text(t, "vendor", p)))
        elif isinstance(tools, dict):  # 1.5+: components and services
            for kind, by in (("components", "supplier"), ("services", "provider")):
                for p, t in self.objects(tools, kind, ptr):
                    if name := self.text(t, "name", p):
                        version = self.text(t, "version", p) or ""
                        self.raw.tools.append(Tool(name, version, self.entity_name(t, by, p)))
        elif tools is not None:
            self._wrong(ptr, "a list or an object", tools)

    def license_text(self, licenses: list[License]) -> str | None:
        values = [lic.value for lic in licenses]
        if len(values) > 1:
            return " AND ".join(f"({v})" if " " in v else v for v in values)
        return values[0] if values else None

    def licenses(self, obj: Json, ptr: str) -> list[License]:
        out = []
        for p, entry in self.objects(obj, "licenses", ptr):
            if (expr := self.text(entry, "expression", p)) is not None:
                concluded = entry.get("acknowledgement") == "concluded"
                out.append(License(expr, True, concluded))
            elif (lic := self.obj(entry, "license", p)) is not None:
                found = self.license(lic, f"{p}/license")
                if found is not None:
                    out.append(found)
            else:
                self.raw.problem(Msg.INVALID_ENTRY, p, "neither license nor expression")
        return out

    def license(self, lic: Json, ptr: str) -> License | None:
        concluded = lic.get("acknowledgement") == "concluded"
        if (spdx_id := self.text(lic, "id", ptr)) is not None:
            return License(spdx_id, True, concluded)
        name = self.text(lic, "name", ptr)
        text = self.obj(lic, "text", ptr)
        content = None if text is None else text.get("content")
        plain = text is not None and text.get("encoding") is None
        if name and isinstance(content, str) and plain and one_line(content) == name:
            return License(content, False, concluded)  # what our writer makes of a long text
        if name:
            return License(name, False, concluded)
        self.raw.problem(Msg.INVALID_ENTRY, ptr, "license without id or name")
        return None

    def component(self, obj: Json, ptr: str, depth: int) -> RawComponent:
        if depth > MAX_NESTING:
            raise too_deep(self.raw.rel, f"components (at {ptr})")
        if obj.keys() <= _PLAIN and all(type(v) is str for v in obj.values()):
            return self.plain(obj, ptr)
        c = RawComponent(ptr)
        text = self.text
        c.name, c.version = text(obj, "name", ptr), text(obj, "version", ptr)
        c.bom_ref, c.type = text(obj, "bom-ref", ptr), text(obj, "type", ptr)
        c.purl, c.description = text(obj, "purl", ptr), text(obj, "description", ptr)
        c.scope, c.copyright = text(obj, "scope", ptr), text(obj, "copyright", ptr)
        c.cpe = text(obj, "cpe", ptr)
        share = self.raw.share
        c.supplier = share(self.entity_name(obj, "supplier", ptr))
        author = text(obj, "author", ptr)
        authors = ", ".join(self.contacts(obj, "authors", ptr))
        c.author = share(authors or author)
        if authors and author:
            c.extra.append(("cyclonedx:author", _dump(author)))
        if (group := text(obj, "group", ptr)) is not None:
            c.group = ("cyclonedx:group", _dump(group))
        for p, h in self.objects(obj, "hashes", ptr):
            alg, content = text(h, "alg", p), text(h, "content", p)
            if alg and content:
                c.hashes.append(Hash(share(alg), content))
        c.licenses = self.licenses(obj, ptr)
        for p, r in self.objects(obj, "externalReferences", ptr):
            kind, url = text(r, "type", p), text(r, "url", p)
            if kind and url:
                c.external_refs.append(ExternalRef(share(kind), url, text(r, "comment", p)))
        for p, prop in self.objects(obj, "properties", ptr):
            if name := text(prop, "name", p):
                c.properties.append((share(name), text(prop, "value", p) or ""))
        self.evidence(c, obj)
        c.children = [
            self.component(o, p, depth + 1) for p, o in self.objects(obj, "components", ptr)
        ]
        c.extra.extend((f"cyclonedx:{k}", _dump(v)) for k, v in obj.items() if k not in _COMPONENT)
        return c

    def plain(self, obj: dict[str, str], ptr: str) -> RawComponent:
        """What ``component`` makes of a component of plain strings (most of a big SBOM),
        without asking for each of the keys it does not have."""
        get = obj.get
        author = get("author")
        return RawComponent(
            ptr, name=get("name"), version=get("version"), bom_ref=get("bom-ref"),
            type=get("type"), purl=get("purl"), author=author and self.raw.share(author),
            description=get("description"), scope=get("scope"), copyright=get("copyright"),
            cpe=get("cpe"),
        )  # fmt: skip

    def evidence(self, c: RawComponent, obj: Json) -> None:
        evidence = self.obj(obj, "evidence", c.pointer)
        if evidence is None:
            return
        ptr = f"{c.pointer}/evidence"
        for p, occ in self.objects(evidence, "occurrences", ptr):
            line = occ.get("line")
            if path := self.text(occ, "location", p):
                c.locations.append(Location(path, line if isinstance(line, int) else None))
        rest = {k: v for k, v in evidence.items() if k != "occurrences"}
        if rest:
            c.extra.append(("cyclonedx:evidence", _dump(rest)))

"""Shared plumbing for the .NET catalogers.

Decoding that never trusts the shape of parsed input (JSON and, through defusedxml's SAX
parser, XML with line numbers), SHA-512 conversion and :class:`Builder`, which applies the
duplicate and unknown-dependency rules. NuGet ids are case-insensitive: entries are
matched by the lower-cased id and keep the spelling the file uses.
"""

from __future__ import annotations

import base64
import binascii
import posixpath
import re
import xml.sax
import xml.sax.handler
import xml.sax.xmlreader
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml
import defusedxml.sax

from sbomkit.catalog.decode import Table, as_str
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, ComponentType, Dependency, Hash, Location

PROP_SOURCE = "sbomkit:source"
PROP_FRAMEWORK = "sbomkit:nuget-framework"
PROJECT = "project"
ECOSYSTEM = "nuget"
PROJECT_SUFFIXES = (".csproj", ".fsproj", ".vbproj")


def canon(name: str) -> str:
    return name.lower()


def require_object(data: Table, key: str, source: Source) -> Table:
    value = data.get(key)
    if not isinstance(value, dict):
        what = "missing" if value is None else "not an object"
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f'"{key}" is {what}')
    return value


_KEY = re.compile(r'"((?:[^"\\\n]|\\.)*)"\s*:\s*\{')


def key_lines(text: str, after: str | None = None) -> dict[str, int]:
    """Line of the first ``"key": {`` for every key (past the ``after`` key if given)."""
    out: dict[str, int] = {}
    start = 0
    if after is not None:
        found = re.search(rf'"{re.escape(after)}"\s*:\s*\{{', text)
        start = found.end() if found else 0
    line, pos = 1 + text.count("\n", 0, start), start
    for m in _KEY.finditer(text, start):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        out.setdefault(m.group(1), line)
    return out


def sha512(value: object) -> tuple[Hash, ...]:
    """``<base64>`` or ``sha512-<base64>`` of a 64-byte digest -> SHA-512 hex."""
    text = as_str(value)
    if text is None:
        return ()
    text = text.removeprefix("sha512-")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return ()
    return (Hash("SHA-512", raw.hex()),) if len(raw) == 64 else ()


# --- XML --------------------------------------------------------------------------------


@dataclass(slots=True)
class Node:
    """An XML element: local tag name, attributes, text and children, with its line."""

    tag: str
    attrs: dict[str, str]
    line: int | None
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def find(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def value(self, name: str) -> str | None:
        """An attribute, else a child element's text (MSBuild allows both)."""
        attr = as_str(self.attrs.get(name))
        if attr is not None:
            return attr
        return next((t for c in self.find(name) if (t := as_str(c.text))), None)

    def iter(self, tag: str) -> list[Node]:
        out: list[Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            out.extend(c for c in node.children if c.tag == tag)
            stack.extend(reversed(node.children))
        return sorted(out, key=lambda n: n.line or 0)


def _local(qname: str) -> str:
    return qname.rpartition(":")[2]


class _TreeBuilder(xml.sax.handler.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: Node | None = None
        self.stack: list[Node] = []
        self.locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:  # noqa: N802
        self.locator = locator

    def startElement(self, name: str, attrs: Any) -> None:  # noqa: N802
        line = self.locator.getLineNumber() if self.locator else None
        node = Node(_local(name), {_local(k): v for k, v in attrs.items()}, line)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name: str) -> None:  # noqa: N802
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].text += content


def parse_xml(data: bytes, rel: str) -> Node:
    """The document element; no DTDs or entities (defusedxml refuses them)."""
    if not data.strip():
        raise CatalogError(Msg.WRONG_FORMAT, rel, "empty file")
    handler = _TreeBuilder()
    try:
        defusedxml.sax.parseString(data, handler, forbid_dtd=True)
    except xml.sax.SAXParseException as e:
        detail = f"{e.getMessage()} (at line {e.getLineNumber()})"
        raise CatalogError(Msg.WRONG_FORMAT, rel, detail) from e
    except defusedxml.DefusedXmlException as e:
        detail = f"DTDs and entities are not allowed: {type(e).__name__}"
        raise CatalogError(Msg.WRONG_FORMAT, rel, detail) from e
    except (xml.sax.SAXException, ValueError) as e:
        raise CatalogError(Msg.WRONG_FORMAT, rel, f"not XML: {e}") from e
    except RecursionError as e:
        raise CatalogError(Msg.WRONG_FORMAT, rel, "nested too deeply") from e
    if handler.root is None:
        raise CatalogError(Msg.WRONG_FORMAT, rel, "no document element")
    return handler.root


def load_xml(source: Source, root: str) -> Node:
    node = parse_xml(source.read_bytes(), source.rel)
    if node.tag != root:
        raise CatalogError(
            Msg.WRONG_FORMAT, source.rel, f"root element is <{node.tag}>, not <{root}>"
        )
    return node


# --- paths ------------------------------------------------------------------------------


def rel_of(source: Source, path: Path) -> str:
    """The user-facing path of ``path``, a file beside or above the source."""
    try:
        rel = posixpath.relpath(path.as_posix(), source.path.parent.as_posix())
    except ValueError:
        return path.as_posix()
    base = posixpath.dirname(source.rel)
    return posixpath.normpath(posixpath.join(base, rel)) if base else posixpath.normpath(rel)


def sibling_project(source: Source) -> Component | None:
    """The one MSBuild project beside a lock or packages.config, as the result's project."""
    try:
        found = sorted(
            p for p in source.path.parent.iterdir() if p.suffix in PROJECT_SUFFIXES and p.is_file()
        )
    except OSError:
        return None
    if len(found) != 1:
        return None
    return project_component(found[0].stem, None, Location(rel_of(source, found[0])))


def project_component(name: str, version: str | None, location: Location) -> Component | None:
    try:
        return make_component(
            ECOSYSTEM, name, version, type=ComponentType.APPLICATION, locations=(location,)
        )
    except IdentityError:
        return None


# --- building the result ----------------------------------------------------------------


class Builder:
    """Components and edges for one file with the shared rules:

    - the same id (any case) and version twice -> DUPLICATE_ENTRY, the first is kept;
    - an edge to an id the file does not list -> UNKNOWN_DEPENDENCY once per id, no edge.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self.result = CatalogResult()
        self._seen: dict[tuple[str, str | None], Location] = {}
        self._by_name: dict[str, list[Component]] = {}
        self._warned: set[str] = set()
        self._edges: set[Dependency] = set()

    def warn(self, code: Msg, line: int | None, detail: str = "") -> None:
        self.result.warn(code, self.source.at(line), detail)

    def finish(self) -> CatalogResult:
        self.result.diagnostics.sort(key=lambda d: (d.location.path, d.location.line or 0))
        self.result.components.sort(key=lambda c: c.ref)
        self.result.dependencies.sort()
        return self.result

    def add(
        self, name: str, version: str | None, location: Location, **fields: Any
    ) -> Component | None:
        key = (canon(name), version)
        first = self._seen.get(key)
        if first is not None:
            where = f"line {first.line}" if first.path == location.path else str(first)
            detail = f"{name} {version or ''}".strip() + f", first at {where}"
            self.result.warn(Msg.DUPLICATE_ENTRY, location, detail)
            return None
        try:
            comp = make_component(ECOSYSTEM, name, version, locations=(location,), **fields)
        except IdentityError as e:
            self.result.warn(Msg.INVALID_ENTRY, location, e.detail)
            return None
        self._seen[key] = location
        self._by_name.setdefault(key[0], []).append(comp)
        self.result.components.append(comp)
        return comp

    def find(self, name: str, version: str | None = None) -> list[Component]:
        found = self._by_name.get(canon(name), [])
        exact = [c for c in found if c.version == version]
        return exact or found

    def link_to(self, source_ref: str, target: Component) -> None:
        dep = Dependency(source_ref, target.ref)
        if target.ref != source_ref and dep not in self._edges:
            self._edges.add(dep)
            self.result.dependencies.append(dep)

    def link(
        self, source_ref: str, name: str, line: int | None, version: str | None = None
    ) -> None:
        found = self.find(name, version)
        if found:
            self.link_to(source_ref, found[0])
        else:
            self.unknown(name, line)

    def unknown(self, name: str, line: int | None) -> None:
        if canon(name) not in self._warned:
            self._warned.add(canon(name))
            self.warn(Msg.UNKNOWN_DEPENDENCY, line, name)

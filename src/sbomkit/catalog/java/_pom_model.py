"""pom.xml decoded into typed records, and offline resolution of what they refer to.

defusedxml's SAX reader refuses DTDs, entities and external references; the tree is built
here because ElementTree keeps no line numbers. Element names are taken without their
prefix and namespace, so POMs with the 4.0.0 namespace, another prefix or none all read
the same.

Only what is on disk is resolved. A parent is read when its <relativePath> (default
``../pom.xml``) names an existing POM with the same groupId and artifactId, no further
away than the file system ancestor ten levels above the scanned file, and not already in
the chain. ``${...}`` references resolve against inherited <properties> and the project.*
model values; what cannot be resolved (``${env.X}``, cycles, undefined) stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml.sax
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden

from sbomkit.catalog.interface import CatalogError, Source


class PomSyntaxError(Exception):
    """The bytes are not a usable XML document; the message is the detail to show."""


@dataclass(slots=True)
class Element:
    tag: str  # local name, without namespace or prefix
    line: int | None
    parts: list[str] = field(default_factory=list)
    children: list[Element] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def child(self, tag: str) -> Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[Element]:
        return [c for c in self.children if c.tag == tag]

    def value(self, tag: str) -> str | None:
        """Stripped text of the first ``tag`` child; None when absent or empty."""
        c = self.child(tag)
        return (c.text or None) if c is not None else None

    def path(self, *tags: str) -> list[Element]:
        """Every element at ``tags`` below this one (``path("dependencies", "dependency")``)."""
        level = [self]
        for t in tags:
            level = [c for e in level for c in e.all(t)]
        return level


class _Builder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: Element | None = None
        self._stack: list[Element] = []
        self._where: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 (SAX API)
        self._where = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802
        line = self._where.getLineNumber() if self._where is not None else None
        e = Element(name.rpartition(":")[2], line)
        if self._stack:
            self._stack[-1].children.append(e)
        else:
            self.root = e
        self._stack.append(e)

    def endElement(self, name: str) -> None:  # noqa: N802
        self._stack.pop()

    def characters(self, content: str) -> None:
        if self._stack:
            self._stack[-1].parts.append(content)


def parse_xml(data: bytes) -> Element:
    """The document's root element. Raises PomSyntaxError only."""
    handler = _Builder()
    try:
        defusedxml.sax.parseString(data, handler, forbid_dtd=True)
    except SAXParseException as e:
        where = f"line {e.getLineNumber()}, column {e.getColumnNumber()}"
        raise PomSyntaxError(f"not XML: {e.getMessage()} at {where}") from e
    except SAXException as e:
        raise PomSyntaxError(f"not XML: {e.getMessage()}") from e
    except DTDForbidden as e:
        raise PomSyntaxError("a DTD is not allowed") from e
    except EntitiesForbidden as e:
        raise PomSyntaxError("entity declarations are not allowed") from e
    except DefusedXmlException as e:
        raise PomSyntaxError("external references are not allowed") from e
    except (ValueError, LookupError) as e:  # unknown encoding names, odd declarations
        raise PomSyntaxError(f"not XML: {e}") from e
    if handler.root is None:
        raise PomSyntaxError("not XML: no root element")
    return handler.root


@dataclass(frozen=True, slots=True)
class Dep:
    """A <dependency> as written (no interpolation, no management applied)."""

    group: str | None
    artifact: str | None
    version: str | None
    scope: str | None
    type: str | None
    classifier: str | None
    optional: str | None
    line: int | None


@dataclass(frozen=True, slots=True)
class ParentRef:
    group: str | None
    artifact: str | None
    version: str | None
    relative_path: str | None  # None: the default ../pom.xml; "": no local lookup
    line: int | None


@dataclass(frozen=True, slots=True)
class Pom:
    group: str | None
    artifact: str | None
    version: str | None
    packaging: str | None
    parent: ParentRef | None
    properties: dict[str, str]
    managed: tuple[Dep, ...]
    dependencies: tuple[Dep, ...]
    profiles: tuple[tuple[str, tuple[Dep, ...]], ...]  # (profile id, its dependencies)
    line: int | None
    version_line: int | None


def _dep(e: Element) -> Dep:
    return Dep(
        group=e.value("groupId"),
        artifact=e.value("artifactId"),
        version=e.value("version"),
        scope=e.value("scope"),
        type=e.value("type"),
        classifier=e.value("classifier"),
        optional=e.value("optional"),
        line=e.line,
    )


def _deps(e: Element) -> tuple[Dep, ...]:
    return tuple(_dep(d) for d in e.path("dependencies", "dependency"))


def _parent(root: Element) -> ParentRef | None:
    p = root.child("parent")
    if p is None:
        return None
    rel = p.child("relativePath")
    return ParentRef(
        group=p.value("groupId"),
        artifact=p.value("artifactId"),
        version=p.value("version"),
        relative_path=None if rel is None else rel.text,
        line=p.line,
    )


def decode_pom(root: Element) -> Pom:
    """The parts of a <project> sbomkit uses; the caller checked the root's name."""
    props: dict[str, str] = {}
    for holder in root.all("properties"):
        for p in holder.children:
            props.setdefault(p.tag, p.text)
    profiles = tuple(
        (pr.value("id") or f"#{i + 1}", _deps(pr))
        for i, pr in enumerate(root.path("profiles", "profile"))
    )
    version = root.child("version")
    return Pom(
        group=root.value("groupId"),
        artifact=root.value("artifactId"),
        version=root.value("version"),
        packaging=root.value("packaging"),
        parent=_parent(root),
        properties=props,
        managed=tuple(
            _dep(d) for d in root.path("dependencyManagement", "dependencies", "dependency")
        ),
        dependencies=_deps(root),
        profiles=profiles,
        line=root.line,
        version_line=version.line if version is not None else None,
    )


MAX_ANCESTOR_LEVELS = 10
MAX_PARENTS = 16
_MAX_DEPTH = 10  # nested property references
_MAX_LOOKUPS = 20_000  # per file, against property fan-out bombs
_MAX_VALUE = 4096  # characters of one resolved value
_REF = re.compile(r"\$\{([^${}]*)\}")


def gav(ref: ParentRef) -> str:
    return f"{ref.group or '?'}:{ref.artifact or '?'}:{ref.version or '?'}"


@dataclass(frozen=True, slots=True)
class Chain:
    poms: tuple[Pom, ...]  # the scanned POM first, then its local ancestors
    missing: ParentRef | None  # the first ancestor not found locally
    why: str  # what was wrong with it, for the warning


def _bound(path: Path) -> Path:
    parents = path.parents
    return parents[min(MAX_ANCESTOR_LEVELS, len(parents) - 1)]


def _parent_path(child: Path, ref: ParentRef, bound: Path) -> Path | None:
    if ref.relative_path == "":
        return None
    candidate = child.parent / (ref.relative_path or "../pom.xml")
    if candidate.is_dir():
        candidate = candidate / "pom.xml"
    resolved = candidate.resolve()
    return resolved if resolved.is_relative_to(bound) and resolved.is_file() else None


def _read_parent(path: Path, ref: ParentRef) -> tuple[Pom | None, str]:
    where = f"the POM at {ref.relative_path or '../pom.xml'}"
    try:
        root = parse_xml(Source(path, path.name).read_bytes())
    except CatalogError as e:
        return None, f"{where} is unreadable: {e.detail}"
    except PomSyntaxError as e:
        return None, f"{where} is unusable: {e}"
    if root.tag != "project":
        return None, f"{where} is <{root.tag}>"
    pom = decode_pom(root)
    group = pom.group or (pom.parent.group if pom.parent else None)
    if pom.artifact != ref.artifact or group != ref.group:
        return None, f"{where} is {group}:{pom.artifact}"
    return pom, ""


def load_chain(path: Path, pom: Pom) -> Chain:
    """The scanned POM and the parents found on disk. Never raises."""
    poms = [pom]
    try:
        here = path.resolve()
        bound = _bound(here)
        seen = {here}
        while pom.parent is not None and len(poms) <= MAX_PARENTS:
            ref = pom.parent
            found = _parent_path(here, ref, bound)
            if found is None:
                return Chain(tuple(poms), ref, "")
            if found in seen:
                return Chain(tuple(poms), ref, "the parents form a cycle")
            parent, why = _read_parent(found, ref)
            if parent is None:
                return Chain(tuple(poms), ref, why)
            poms.append(parent)
            seen.add(found)
            here, pom = found, parent
    except (OSError, ValueError, RuntimeError):  # odd relativePath text, symlink loops
        return Chain(tuple(poms), pom.parent, "")
    return Chain(tuple(poms), None, "")


def properties(chain: Chain) -> dict[str, str]:
    """Inherited <properties> (nearest wins) and the project.* model values, uninterpolated."""
    props: dict[str, str] = {}
    for pom in reversed(chain.poms):
        props.update(pom.properties)
    child = chain.poms[0]
    parent = child.parent
    model = {
        "groupId": child.group or (parent.group if parent else None),
        "artifactId": child.artifact,
        "version": child.version or (parent.version if parent else None),
        "packaging": child.packaging or "jar",
        "parent.groupId": parent.group if parent else None,
        "parent.artifactId": parent.artifact if parent else None,
        "parent.version": parent.version if parent else None,
    }
    for key, value in model.items():
        if value is not None:
            props[f"project.{key}"] = props[f"pom.{key}"] = value
    return props


class Interpolator:
    """Resolves ``${name}`` against properties; what cannot be resolved stays as written."""

    def __init__(self, props: Mapping[str, str]) -> None:
        self._props = props
        self._done: dict[str, str] = {}
        self._lookups = 0

    def resolve(self, text: str) -> tuple[str, bool]:
        """(text with what could be resolved, True when nothing is left unresolved)."""
        return self._sub(text, frozenset())

    def unresolved(self, text: str) -> list[str]:
        return _REF.findall(text)

    def known(self, name: str) -> bool:
        return name in self._props

    def _sub(self, text: str, stack: frozenset[str]) -> tuple[str, bool]:
        ok = True

        def one(m: re.Match[str]) -> str:
            nonlocal ok
            value = self._value(m.group(1), stack)
            if value is None:
                ok = False
                return m.group(0)
            return value

        out = _REF.sub(one, text) if "${" in text else text
        if len(out) > _MAX_VALUE:
            return text, False
        return out, ok and "${" not in out

    def _value(self, name: str, stack: frozenset[str]) -> str | None:
        done = self._done.get(name)
        if done is not None:
            return done
        self._lookups += 1
        raw = self._props.get(name)
        if raw is None or name in stack or len(stack) >= _MAX_DEPTH:
            return None
        if self._lookups > _MAX_LOOKUPS:
            return None
        out, ok = self._sub(raw, stack | {name})
        if not ok:
            return None
        self._done[name] = out
        return out

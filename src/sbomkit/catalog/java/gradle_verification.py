"""gradle/verification-metadata.xml: Gradle dependency verification (Gradle 6.2+).

``<components><component group name version><artifact name><sha256 value/>...``. The file
lists every module Gradle ever verified for the build, plugins and their dependencies
included, with no configuration or graph: components are required (nothing tells them
apart), ``direct`` is None, there are no edges, and each carries ``sbomkit:source =
gradle-verification`` so a reader can weigh them. Only the main jar's digests
(``<name>-<version>.jar``) become hashes; components with nothing but ``.pom``/``.module``
artifacts (parents, BOMs, Gradle metadata) are not components of the build and are
skipped. Parsed with defusedxml's SAX reader (no entities), namespace-agnostic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar
from xml.sax import SAXException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml.sax
from defusedxml import DefusedXmlException

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Hash, Scope

SOURCE_PROP = ("sbomkit:source", "gradle-verification")
ROOT = "verification-metadata"
# element name -> (CycloneDX algorithm, hex length)
_ALGORITHMS = {
    "md5": ("MD5", 32),
    "sha1": ("SHA-1", 40),
    "sha256": ("SHA-256", 64),
    "sha512": ("SHA-512", 128),
}
_METADATA_SUFFIXES = (".pom", ".module")


@dataclass(slots=True)
class _Component:
    group: str
    name: str
    version: str
    line: int
    artifacts: list[str] = field(default_factory=list)
    hashes: dict[str, Hash] = field(default_factory=dict)

    @property
    def main_jar(self) -> str:
        return f"{self.name}-{self.version}.jar"


class _Handler(ContentHandler):
    """Collects ``<component>`` elements with their artifacts and main-jar digests."""

    def __init__(self) -> None:
        super().__init__()
        self.locator: Locator | None = None
        self.root: str | None = None
        self.path: list[str] = []
        self.components: list[_Component] = []
        self.bad: list[tuple[Msg, int, str]] = []
        self._current: _Component | None = None
        self._artifact: str | None = None

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 (SAX API)
        self.locator = locator

    def _line(self) -> int:
        line = self.locator.getLineNumber() if self.locator is not None else None
        return line or 0

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802 (SAX API)
        local = name.rpartition(":")[2]
        if self.root is None:
            self.root = local
        self.path.append(local)
        parents = self.path[:-1]
        if local == "component" and parents[-2:] == [ROOT, "components"] and len(parents) == 2:
            self._start_component(attrs)
        elif local == "artifact" and self._current is not None and parents[-1] == "component":
            self._artifact = attrs.get("name") or ""
            self._current.artifacts.append(self._artifact)
        elif local in _ALGORITHMS and self._artifact is not None and parents[-1] == "artifact":
            self._digest(local, attrs.get("value") or "")

    def endElement(self, name: str) -> None:  # noqa: N802 (SAX API)
        local = self.path.pop() if self.path else ""
        if local == "component" and len(self.path) == 2:
            self._current = None
        elif local == "artifact":
            self._artifact = None

    def _start_component(self, attrs: AttributesImpl) -> None:
        group = (attrs.get("group") or "").strip()
        name = (attrs.get("name") or "").strip()
        version = (attrs.get("version") or "").strip()
        line = self._line()
        if not group or not name:
            self.bad.append((Msg.MISSING_NAME, line, f"<component> group={group!r} name={name!r}"))
        elif not version:
            self.bad.append((Msg.MISSING_VERSION, line, f"{group}:{name}; skipped"))
        else:
            self._current = _Component(group, name, version, line)
            self.components.append(self._current)

    def _digest(self, element: str, value: str) -> None:
        comp = self._current
        if comp is None or self._artifact != comp.main_jar:
            return
        algorithm, length = _ALGORITHMS[element]
        value = value.strip().lower()
        if len(value) != length or value.strip("0123456789abcdef"):
            self.bad.append(
                (Msg.INVALID_ENTRY, self._line(), f"{element} {value[:130]!r} is not a digest")
            )
            return
        comp.hashes.setdefault(algorithm, Hash(algorithm, value))


class GradleVerificationCataloger:
    name: ClassVar[str] = "gradle-verification-metadata"

    def catalog(self, source: Source) -> CatalogResult:
        data = source.read_bytes()
        if not data.strip():
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        handler = _Handler()
        try:
            defusedxml.sax.parseString(data, handler)
        except (SAXException, DefusedXmlException, ValueError) as e:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"not XML: {e}") from e
        if handler.root != ROOT:
            raise CatalogError(
                Msg.WRONG_FORMAT, source.rel, f"root element is <{handler.root}>, not <{ROOT}>"
            )
        result = CatalogResult()
        for code, line, detail in handler.bad:
            result.warn(code, source.at(line), detail)
        seen: dict[tuple[str, str, str], int] = {}
        for comp in handler.components:
            key = (comp.group, comp.name, comp.version)
            if key in seen:
                detail = f"{comp.group}:{comp.name} {comp.version}, first at line {seen[key]}"
                result.warn(Msg.DUPLICATE_ENTRY, source.at(comp.line), detail)
                continue
            seen[key] = comp.line
            if all(a.endswith(_METADATA_SUFFIXES) for a in comp.artifacts):
                continue
            _add(result, source, comp)
        result.diagnostics.sort(key=lambda d: d.location.line or 0)
        return result


def _add(result: CatalogResult, source: Source, comp: _Component) -> None:
    try:
        component = make_component(
            "maven",
            f"{comp.group}:{comp.name}",
            comp.version,
            scope=Scope.REQUIRED,
            direct=None,
            hashes=tuple(sorted(comp.hashes.values())),
            locations=(source.at(comp.line),),
            properties=(SOURCE_PROP,),
        )
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, source.at(comp.line), e.detail)
        return
    result.components.append(component)

"""Reading SPDX 2.2 and 2.3: JSON, YAML and tag-value, all through one mapper.

Each encoding is decoded into the JSON shape (tag-value by :mod:`._spdx2_read_tv`), which
:mod:`._spdx2_read_map` and :mod:`._spdx2_read_element` map to the inventory. UTF-16
documents are decoded by their byte-order mark. YAML is loaded safely, and anchors and
aliases are refused (a few lines of aliases expand to gigabytes).

Mapping:

- packages -> components. The first valid purl (externalRefs PACKAGE-MANAGER purl) gives
  the identity (:func:`identity.component_from_purl`); further purls and bad ones (each a
  diagnostic) are properties ``sbomkit:purl``. Without a purl: ``Component(name, version,
  ecosystem="", ref=<SPDXID>)``. A purl'd package keeps its SPDXID, and a name or version
  that differs from the purl's, as extras (``spdx:SPDXID``, ``spdx:name``,
  ``spdx:versionInfo``) so the writer can put them back. Two packages with one purl are
  merged (a DUPLICATE_ENTRY diagnostic).
- cpe22Type / cpe23Type refs -> ``cpes``; other refs -> ExternalRef(referenceType,
  locator, comment). supplier -> ``supplier`` and originator -> ``author`` as ``Name
  <email>``, prefixed ``Person:`` / ``Organization:`` only when it is not the field's usual
  kind (suppliers are organizations, originators persons); NOASSERTION -> None.
- downloadLocation -> ``source_url``; homepage; checksums -> hashes with CycloneDX names
  (unknown algorithms and malformed digests stay as ``spdx:checksums``); description
  (else summary); copyrightText -> ``copyright``; primaryPackagePurpose -> type.
- licenseDeclared -> License(concluded=False), licenseConcluded -> License(concluded=True),
  each one normalized SPDX expression (LicenseRef- ids allowed). NOASSERTION is no
  license. NONE, a real statement, is kept as the extra ``spdx:<field>`` = ``"NONE"``; the
  same holds for downloadLocation, homepage and copyrightText.
- comment: trailing ``key:name=value`` lines (what our writer puts there) become scope,
  found_by, locations, homepage, type or properties; the rest is ``spdx:comment``.
- filesAnalyzed is kept as ``spdx:filesAnalyzed`` when true (stated or, as SPDX says,
  by omission); every other package field (annotations, attributionTexts,
  packageVerificationCode, sourceInfo, licenseComments, dates, packageFileName,
  licenseInfoFromFiles, ...) -> ``Component.extra`` ``spdx:<field>``, compact JSON text.
- files -> components of type FILE (ref = SPDXID, name = fileName): checksums,
  licenseConcluded, licenseInfoInFiles (declared), copyrightText, comment; other fields as
  extras. hasFiles, and files following a package in tag-value, are CONTAINS edges.
- relationships -> Dependency(source ref, target ref, type), reverse types in forward form
  with the ends swapped (DEPENDENCY_OF -> DEPENDS_ON, CONTAINED_BY -> CONTAINS,
  DESCRIBED_BY -> DESCRIBES, GENERATES -> GENERATED_FROM, PREREQUISITE_FOR ->
  HAS_PREREQUISITE). Edges with an end outside the document (NONE, NOASSERTION,
  DocumentRef-...), at a snippet, or at the document in anything but DESCRIBES are kept
  verbatim in ``Inventory.extra`` ``spdx:relationships-external``. An unknown SPDXID or
  relationship type is a diagnostic. Relationship comments are not kept.
- The document DESCRIBES (relationships and documentDescribes): exactly one package ->
  ``Metadata.primary`` (and not also a component); several -> components with the edges
  Dependency("SPDXRef-DOCUMENT", ref, "DESCRIBES"), which the writer writes back.
- document: name, documentNamespace -> ``document_id``, created -> ``timestamp``, creators
  ``Tool: name-version`` -> tools, persons and organizations -> authors, dataLicense,
  spdxVersion -> ``spec`` (``spdx-2.2`` / ``spdx-2.3``; any other is a FormatError). The
  other creationInfo fields -> ``spdx:creationInfo``; every other top-level field
  (comment, externalDocumentRefs, annotations, snippets, hasExtractedLicensingInfos, ...)
  -> ``Inventory.extra`` ``spdx:<field>``.

Entry-level problems are diagnostics whose detail starts with the JSON pointer
(``/packages/3/name``); in tag-value their location carries the line number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import yaml

from sbomkit.formats._json_stream import JsonStream
from sbomkit.formats._safe import json_document
from sbomkit.formats._spdx2_read_map import to_inventory
from sbomkit.formats._spdx2_read_tv import parse_tag_value
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.model import Inventory

_BOMS = ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig"))


def decode(data: bytes, rel: str) -> str:
    """The document's text: UTF-16 by its byte-order mark, else UTF-8."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise FormatError(Msg.WRONG_FORMAT, rel, f"not {encoding} text: {e}") from e


class Spdx2JsonReader:
    name: ClassVar[str] = "spdx-json"
    # Arrays a big document is read item by item from (see _json_stream).
    long_arrays: ClassVar[tuple[str, ...]] = ("packages", "files", "relationships")

    def read(self, data: bytes, rel: str) -> Inventory:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            data = decode(data, rel).encode("utf-8")
        return self.read_document(json_document(data.removeprefix(b"\xef\xbb\xbf"), rel), rel)

    def read_document(self, doc: dict[str, Any], rel: str) -> Inventory:
        return to_inventory(doc, rel)

    def read_stream(self, stream: JsonStream, rel: str) -> Inventory:
        """The same inventory as ``read``; each package is mapped as soon as it is read."""

        def arrays(key: str) -> Iterable[Any] | None:
            return stream.items(key) if key in stream.streamed else None

        return to_inventory(stream.top, rel, arrays=arrays)


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]  # yaml's loaders are untyped
    """Safe loading; dates stay text, as in JSON (SPDX timestamps are strings)."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


def yaml_document(text: str, rel: str) -> dict[str, Any]:
    try:
        if "&" in text or "*" in text:
            for event in yaml.parse(text, Loader=_Loader):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    detail = "YAML anchors and aliases are not allowed in an SBOM"
                    raise FormatError(Msg.WRONG_FORMAT, rel, detail)
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a safe loader
    except RecursionError as e:
        raise FormatError(Msg.WRONG_FORMAT, rel, "nested too deeply") from e
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise FormatError(Msg.WRONG_FORMAT, rel, f"invalid YAML: {where}{e.problem}") from e
    except yaml.YAMLError as e:
        raise FormatError(Msg.WRONG_FORMAT, rel, f"invalid YAML: {e}") from e
    if not isinstance(doc, dict):
        raise FormatError(
            Msg.WRONG_FORMAT, rel, f"top level is a {type(doc).__name__}, not a mapping"
        )
    return doc


class Spdx2YamlReader:
    name: ClassVar[str] = "spdx-yaml"

    def read(self, data: bytes, rel: str) -> Inventory:
        return to_inventory(yaml_document(decode(data, rel), rel), rel)


class Spdx2TagValueReader:
    name: ClassVar[str] = "spdx-tv"

    def read(self, data: bytes, rel: str) -> Inventory:
        parsed = parse_tag_value(decode(data, rel), rel)
        inventory = to_inventory(parsed.doc, rel, parsed.lines)
        if not parsed.diagnostics:
            return inventory
        diagnostics = (*parsed.diagnostics, *inventory.diagnostics)
        return Inventory(
            inventory.components,
            inventory.dependencies,
            inventory.metadata,
            diagnostics,
            inventory.extra,
        )

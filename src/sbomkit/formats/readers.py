"""Reading SBOMs: format detection and every reader by name, imported when first used.

``read_sbom(path)`` is the one entry point: it bounds the file size, detects the format
from the content (never from the file name alone), and hands the bytes to the reader, which
returns an :class:`~sbomkit.model.Inventory` whose ``diagnostics`` list what was skipped.
A CycloneDX or SPDX JSON document of 8 MiB or more is read as a stream instead
(:mod:`._json_stream`): the same inventory, without the whole JSON tree in memory.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any, ClassVar, Protocol, cast

from sbomkit.formats._json_stream import JsonStream, Unstreamable, open_stream, stream_bytes
from sbomkit.formats._safe import checked_size, read_bounded
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.model import Inventory


class Reader(Protocol):
    name: ClassVar[str]

    def read(self, data: bytes, rel: str) -> Inventory:
        """The document's inventory; FormatError when it cannot be used at all."""
        ...


class JsonReader(Reader, Protocol):
    """A JSON format's reader that also takes a parsed document, or one as a stream."""

    long_arrays: ClassVar[tuple[str, ...]]  # top-level arrays a stream yields item by item

    def read_document(self, doc: dict[str, Any], rel: str) -> Inventory:
        """``read`` of the document orjson made of the bytes."""
        ...

    def read_stream(self, stream: JsonStream, rel: str) -> Inventory:
        """What ``read`` gives; may raise Unstreamable (then call ``read``)."""
        ...


# name -> "module:Class"
READERS: dict[str, str] = {
    "cyclonedx-json": "sbomkit.formats.cyclonedx_reader:CycloneDxJsonReader",
    "cyclonedx-xml": "sbomkit.formats.cyclonedx_reader:CycloneDxXmlReader",
    "spdx-json": "sbomkit.formats.spdx2_reader:Spdx2JsonReader",
    "spdx-yaml": "sbomkit.formats.spdx2_reader:Spdx2YamlReader",
    "spdx-tv": "sbomkit.formats.spdx2_reader:Spdx2TagValueReader",
    "spdx3-jsonld": "sbomkit.formats.spdx3:Spdx3Reader",
}

_HEAD = 64 * 1024
_JSON_KEY = re.compile(rb'"(bomFormat|spdxVersion|@context|SPDXID|specVersion)"\s*:')
_YAML_KEY = re.compile(rb"^\s*(spdxVersion|SPDXID|bomFormat)\s*:", re.MULTILINE)
_TV_KEY = re.compile(rb"^\s*SPDXVersion\s*:", re.MULTILINE)


def detect(data: bytes, rel: str) -> str:
    """The reader name for a document, from its first bytes; FormatError if none fits."""
    head = data[:_HEAD]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a BOM: the readers decode it too
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise FormatError(Msg.WRONG_FORMAT, rel, "empty file")
    if head[:1] in (b"{", b"["):
        keys = {m.group(1) for m in _JSON_KEY.finditer(head)}
        if b"bomFormat" in keys:
            return "cyclonedx-json"
        if b"spdxVersion" in keys or b"SPDXID" in keys:
            return "spdx-json"
        if b"@context" in keys and b"spdx.org/rdf/3" in head:
            return "spdx3-jsonld"
        if b"specVersion" in keys:
            return "cyclonedx-json"  # bomFormat is required, but say what is wrong later
        raise FormatError(
            Msg.WRONG_FORMAT, rel, "JSON, but neither CycloneDX (bomFormat) nor SPDX (spdxVersion)"
        )
    if head[:1] == b"<":
        if b"cyclonedx.org/schema/bom" in head:
            return "cyclonedx-xml"
        if b"spdx.org/rdf" in head:
            raise FormatError(Msg.UNSUPPORTED_VERSION, rel, "SPDX RDF/XML is not read")
        raise FormatError(Msg.WRONG_FORMAT, rel, "XML, but not in the CycloneDX namespace")
    if _TV_KEY.search(head):
        return "spdx-tv"
    if found := _YAML_KEY.search(head):
        if found.group(1) == b"bomFormat":
            raise FormatError(Msg.UNSUPPORTED_VERSION, rel, "CycloneDX has no YAML encoding")
        return "spdx-yaml"
    raise FormatError(
        Msg.WRONG_FORMAT,
        rel,
        "not CycloneDX (JSON, XML) or SPDX (JSON, YAML, tag-value, 3.0 JSON-LD)",
    )


def get_reader(name: str) -> Reader:
    module, _, cls = READERS[name].partition(":")
    reader: Reader = getattr(importlib.import_module(module), cls)()
    return reader


# Readers that implement JsonReader.
JSON_READERS = ("cyclonedx-json", "spdx-json")


def get_json_reader(name: str) -> JsonReader:
    if name not in JSON_READERS:
        raise KeyError(name)
    return cast(JsonReader, get_reader(name))


def big_json(path: Path, rel: str, fmt: str | None = None) -> tuple[str, JsonStream] | None:
    """A JSON SBOM big enough to stream: its reader name and its top level; else None.

    FormatError as ``read_sbom`` would raise it for a file that is missing, too large or
    of no known format.
    """
    if checked_size(path, rel) < stream_bytes():
        return None
    try:
        with path.open("rb") as f:
            head = f.read(_HEAD)
    except OSError:
        return None  # the whole-file path says what is wrong
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None  # the readers decode these from the whole file
    name = fmt or detect(head, rel)
    if name not in JSON_READERS:
        return None
    try:
        return name, open_stream(path, rel, get_json_reader(name).long_arrays)
    except Unstreamable:
        return None


def read_sbom(path: Path, rel: str | None = None, fmt: str | None = None) -> Inventory:
    """Read one SBOM file. ``fmt`` (a reader name) skips detection."""
    shown = rel or str(path)
    big = big_json(path, shown, fmt)
    if big is not None:
        try:
            return get_json_reader(big[0]).read_stream(big[1], shown)
        except Unstreamable:
            pass
    data = read_bounded(path, shown)
    return get_reader(fmt or detect(data, shown)).read(data, shown)

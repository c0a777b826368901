"""Parsing SBOM documents we did not write: size, nesting and XML entities are bounded.

A received SBOM is untrusted input. Every reader gets its document through these
functions, so the limits and their error messages are the same for every format.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET  # noqa: S405 - only for the Element type; parsing is defused
from pathlib import Path
from typing import Any

import orjson
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg

# Largest SBOM read, bytes (SBOMKIT_MAX_SBOM_BYTES overrides). 50,000 components of
# CycloneDX JSON with hashes and licenses are about 40 MB; this leaves room for 10x more.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
# Deepest nesting of components (CycloneDX components inside components) a reader follows.
MAX_NESTING = 64


def max_bytes() -> int:
    value = os.environ.get("SBOMKIT_MAX_SBOM_BYTES", "")
    return int(value) if value.isdigit() else DEFAULT_MAX_BYTES


def read_bounded(path: Path, rel: str) -> bytes:
    """The file's bytes, or FormatError when it is missing, unreadable or too large."""
    checked_size(path, rel)
    try:
        return path.read_bytes()
    except FileNotFoundError as e:
        raise FormatError(Msg.PATH_NOT_FOUND, rel) from e
    except OSError as e:
        raise FormatError(Msg.FILE_UNREADABLE, rel, e.strerror or str(e)) from e


def checked_size(path: Path, rel: str) -> int:
    """The file's size; FormatError when it is a directory, missing or too large."""
    limit = max_bytes()
    if path.is_dir():
        raise FormatError(Msg.WRONG_FORMAT, rel, "a directory, not an SBOM file")
    try:
        size = path.stat().st_size
    except FileNotFoundError as e:
        raise FormatError(Msg.PATH_NOT_FOUND, rel) from e
    except OSError as e:
        raise FormatError(Msg.FILE_UNREADABLE, rel, e.strerror or str(e)) from e
    if size > limit:
        raise FormatError(Msg.FILE_TOO_LARGE, rel, f"{size} bytes, limit {limit}")
    return size


def json_document(data: bytes, rel: str) -> dict[str, Any]:
    """A JSON object; orjson stops at 1024 levels of nesting, reported as such."""
    if not data.strip():
        raise FormatError(Msg.WRONG_FORMAT, rel, "empty file")
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        detail = "nested too deeply" if "recursion" in str(e).lower() else f"invalid JSON: {e}"
        raise FormatError(Msg.WRONG_FORMAT, rel, detail) from e
    if not isinstance(doc, dict):
        raise FormatError(
            Msg.WRONG_FORMAT, rel, f"top level is a {type(doc).__name__}, not an object"
        )
    return doc


def xml_document(data: bytes, rel: str) -> ET.Element:
    """The root element; any DTD, entity declaration or external reference is refused."""
    if not data.strip():
        raise FormatError(Msg.WRONG_FORMAT, rel, "empty file")
    try:
        root: ET.Element = defused_fromstring(data, forbid_dtd=True)
        return root
    except DefusedXmlException as e:
        raise FormatError(
            Msg.WRONG_FORMAT, rel, f"DTDs and entities are not allowed ({type(e).__name__})"
        ) from e
    except ET.ParseError as e:
        raise FormatError(Msg.WRONG_FORMAT, rel, f"invalid XML: {e}") from e


def too_deep(rel: str, what: str) -> FormatError:
    return FormatError(Msg.WRONG_FORMAT, rel, f"{what} nested deeper than {MAX_NESTING} levels")

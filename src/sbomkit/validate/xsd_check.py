"""CycloneDX XML against its XSD, with lxml; the document is parsed without DTDs or net."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, cast

from lxml import etree

from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.validate.result import Found, Problem

_NAMESPACE = "http://cyclonedx.org/schema/bom/"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse(data: bytes, rel: str) -> etree._ElementTree:
    """The document tree; FormatError for malformed XML or any DTD (entities included)."""
    if not data.strip():
        raise FormatError(Msg.WRONG_FORMAT, rel, "empty file")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        raise FormatError(Msg.WRONG_FORMAT, rel, f"invalid XML: {e}") from e
    tree = root.getroottree()
    info: Any = tree.docinfo  # lxml-stubs lack ``doctype``
    if info.doctype or info.internalDTD is not None:
        raise FormatError(Msg.WRONG_FORMAT, rel, "DTDs and entities are not allowed")
    return tree


def declared_version(tree: etree._ElementTree) -> str | None:
    """CycloneDX XML states its version only in the namespace, ``.../schema/bom/1.6``."""
    namespace = etree.QName(tree.getroot()).namespace or ""
    return namespace[len(_NAMESPACE) :] if namespace.startswith(_NAMESPACE) else None


@cache
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path), _parser()))


def check(tree: etree._ElementTree, xsd: Path, cap: int) -> Found:
    schema = _schema(xsd)
    if schema.validate(tree):
        return Found((), 0)
    errors: list[Any] = list(cast(Iterable[Any], schema.error_log))
    problems = tuple(Problem(e.message, line=e.line) for e in errors[:cap])
    return Found(problems, len(errors))

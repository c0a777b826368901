"""CycloneDX XML from the JSON-shaped document :func:`cyclonedx.build_bom` makes.

The builder already puts keys in the order of the XSD sequences, so each JSON object maps
to one element whose children follow in key order; this module knows only the spots where
the encodings differ (attributes, wrapper elements, singular child names).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

Json = dict[str, Any]

# XML 1.0 cannot carry these characters at all, escaped or not.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Lists whose JSON key names the wrapper element, and the element each item becomes.
_ITEMS = {"authors": "author", "hashes": "hash", "externalReferences": "reference"}
# Keys of elements (or ``@attributes``) put back verbatim from what the XML reader kept.
_EXTRA = "cyclonedx-xml:"


def render_xml(bom: Json) -> bytes:
    # The namespace is written as a plain attribute: ElementTree's default_namespace option
    # refuses unqualified attribute names, and register_namespace is process-global.
    root = ET.Element(
        "bom",
        {
            "xmlns": f"http://cyclonedx.org/schema/bom/{bom['specVersion']}",
            "serialNumber": bom["serialNumber"],
            "version": str(bom["version"]),
        },
    )
    _metadata(ET.SubElement(root, "metadata"), bom["metadata"])
    for key, value in bom.items():
        if key == "components":
            _field(root, key, value)
        elif key == "dependencies":
            _dependencies(ET.SubElement(root, "dependencies"), value)
        elif key.startswith(_EXTRA):
            root.append(_element(value))
    ET.indent(root, "  ")
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")


def _dependencies(deps: ET.Element, entries: list[Json]) -> None:
    for d in entries:
        dep = ET.SubElement(deps, "dependency", {"ref": _clean(d["ref"])})
        for target in d.get("dependsOn", ()):
            ET.SubElement(dep, "dependency", {"ref": _clean(target)})
        for target in d.get("provides", ()):
            ET.SubElement(dep, "provides", {"ref": _clean(target)})


def _element(text: str) -> ET.Element:
    """An element the reader kept as XML text (it was parsed defused once already)."""
    return ET.fromstring(text)  # noqa: S314 - our own serialization of a parsed element


def _clean(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _text(parent: ET.Element, tag: str, value: object) -> ET.Element:
    el = ET.SubElement(parent, tag)
    el.text = _clean(value)
    return el


def _metadata(el: ET.Element, meta: Json) -> None:
    for key, value in meta.items():
        if key == "lifecycles":
            wrap = ET.SubElement(el, "lifecycles")
            for phase in value:
                _object(wrap, "lifecycle", phase)
        elif key == "tools":
            tools = ET.SubElement(ET.SubElement(el, "tools"), "components")
            for tool in value["components"]:
                _object(tools, "component", tool)
        elif key == "component":
            _object(el, "component", value)
        elif key.startswith(_EXTRA):
            el.append(_element(value))
        else:
            _field(el, key, value)


def _object(parent: ET.Element, tag: str, obj: Json) -> ET.Element:
    """A component, contact, entity, lifecycle...: ``type``/``bom-ref`` become attributes."""
    keys = ("type", "bom-ref") if tag == "component" else ()
    attrs: dict[str, str] = {k: _clean(obj[k]) for k in keys if k in obj}
    extra = {k: v for k, v in obj.items() if k.startswith(_EXTRA + "@")}
    el = ET.SubElement(parent, tag, attrs | {k[len(_EXTRA) + 1 :]: v for k, v in extra.items()})
    for key, value in obj.items():
        if key not in attrs and key not in extra:
            _field(el, key, value)
    return el


def _field(el: ET.Element, key: str, value: Any) -> None:
    if key.startswith(_EXTRA):
        el.append(_element(value))
    elif key == "components":
        wrap = ET.SubElement(el, "components")
        for c in value:
            _object(wrap, "component", c)
    elif key in _ITEMS:
        wrap = ET.SubElement(el, key)
        for item in value:
            _item(wrap, _ITEMS[key], item)
    elif key == "licenses":
        _licenses(ET.SubElement(el, "licenses"), value)
    elif key == "properties":
        wrap = ET.SubElement(el, "properties")
        for p in value:
            _text(wrap, "property", p["value"]).set("name", _clean(p["name"]))
    elif key == "evidence":
        occurrences = ET.SubElement(ET.SubElement(el, "evidence"), "occurrences")
        for occ in value["occurrences"]:
            _object(occurrences, "occurrence", occ)
    elif isinstance(value, dict):  # supplier and other organizational entities
        _object(el, key, value)
    else:
        _text(el, key, value)


def _item(wrap: ET.Element, tag: str, item: Json) -> None:
    if tag == "hash":
        _text(wrap, "hash", item["content"]).set("alg", item["alg"])
    elif tag == "reference":
        ref = ET.SubElement(wrap, "reference", {"type": item["type"]})
        _text(ref, "url", item["url"])
        if "comment" in item:
            _text(ref, "comment", item["comment"])
    else:
        _object(wrap, tag, item)


def _licenses(wrap: ET.Element, licenses: list[Json]) -> None:
    for entry in licenses:
        if "expression" in entry:
            expression = _text(wrap, "expression", entry["expression"])
            if "acknowledgement" in entry:
                expression.set("acknowledgement", entry["acknowledgement"])
            continue
        lic = ET.SubElement(wrap, "license")
        for key, value in entry["license"].items():
            if key == "acknowledgement":
                lic.set(key, value)
            elif key == "text":
                _text(lic, "text", value["content"]).set("content-type", value["contentType"])
            else:
                _text(lic, key, value)

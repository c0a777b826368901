"""One validator per document format: find the declared version, pick its schema, check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sbomkit.formats._safe import json_document
from sbomkit.formats._spdx2_read_tv import parse_tag_value
from sbomkit.formats.spdx2_reader import decode
from sbomkit.i18n import Msg
from sbomkit.validate import schemas, xsd_check
from sbomkit.validate.jsonschema_check import JsonChecker, checker
from sbomkit.validate.result import MAX_PROBLEMS, Found, Problem, own_problem
from sbomkit.validate.spdx_yaml import YamlDocument

Json = dict[str, Any]
# reader name -> (data, shown path) -> (declared version, what the schema says)
Check = Callable[[bytes, str], tuple[str | None, Found]]
Schema = tuple[str | None, Found | JsonChecker]

FAMILY = {
    "cyclonedx-json": "CycloneDX",
    "cyclonedx-xml": "CycloneDX",
    "spdx-json": "SPDX",
    "spdx-yaml": "SPDX",
    "spdx-tv": "SPDX",
    "spdx3-jsonld": "SPDX",
}
_SPDX2 = ("2.2", "2.3")
_SPDX3_CONTEXT = "https://spdx.org/rdf/{}/spdx-context.jsonld"


def cyclonedx_json(data: bytes, rel: str) -> tuple[str | None, Found]:
    return check_whole("cyclonedx-json", json_document(data, rel))


def cyclonedx_json_schema(doc: Json) -> Schema:
    spec = doc.get("specVersion")
    if not isinstance(spec, str):
        return None, own_problem(Msg.NO_SPEC_VERSION, field="specVersion")
    name = schemas.cyclonedx_json_name(spec)
    if name is None:
        return spec, own_problem(Msg.NO_SCHEMA, fmt="CycloneDX", spec=spec)
    return spec, checker(schemas.cyclonedx_resource(name))


def cyclonedx_xml(data: bytes, rel: str) -> tuple[str | None, Found]:
    tree = xsd_check.parse(data, rel)
    spec = xsd_check.declared_version(tree)
    xsd = schemas.cyclonedx_xsd(spec) if spec else None
    if xsd is None:
        return spec, own_problem(Msg.NO_SCHEMA, fmt="CycloneDX", spec=spec or "?")
    return spec, xsd_check.check(tree, xsd, MAX_PROBLEMS)


def spdx_json(data: bytes, rel: str) -> tuple[str | None, Found]:
    return check_whole("spdx-json", json_document(data, rel))


def spdx_yaml(data: bytes, rel: str) -> tuple[str | None, Found]:
    yaml_doc = YamlDocument(data, rel)
    spec, found = _spdx2(yaml_doc.doc)
    lined = tuple(_with_line(p, yaml_doc.line(p.pointer)) for p in found.problems)
    return spec, Found(lined, found.total)


def spdx_tv(data: bytes, rel: str) -> tuple[str | None, Found]:
    """Tag-value as the SPDX reader decodes it: the JSON shape, and a line per element."""
    parsed = parse_tag_value(decode(data, rel), rel)
    spec, found = _spdx2(parsed.doc)
    lined = tuple(_with_line(p, _nearest(parsed.lines, p.pointer)) for p in found.problems)
    return spec, Found(lined, found.total)


def _nearest(lines: dict[str, int], pointer: str | None) -> int | None:
    """The line of the element the pointer is in (tag-value records lines per element)."""
    parts = (pointer or "").split("/")
    for end in range(len(parts), 0, -1):
        found = lines.get("/".join(parts[:end]))
        if found is not None:
            return found
    return None


def spdx3_jsonld(data: bytes, rel: str) -> tuple[str | None, Found]:
    doc = json_document(data, rel)
    spec = _spdx3_version(doc)
    if spec is None:
        return None, own_problem(Msg.NO_SPEC_VERSION, field="CreationInfo specVersion")
    if spec not in schemas.SPDX_BY_VERSION or spec in _SPDX2:
        return spec, own_problem(Msg.NO_SCHEMA, fmt="SPDX", spec=spec)
    from sbomkit.validate.spdx3_check import spdx3_checker  # imports jsonschema

    return spec, spdx3_checker(schemas.spdx_schema_path(spec)).check(doc, MAX_PROBLEMS)


def _spdx2(doc: Json) -> tuple[str | None, Found]:
    return check_whole("spdx-json", doc)


def spdx2_schema(doc: Json) -> Schema:
    declared = doc.get("spdxVersion")
    if not isinstance(declared, str):
        return None, own_problem(Msg.NO_SPEC_VERSION, field="spdxVersion")
    spec = declared.removeprefix("SPDX-")
    if spec not in _SPDX2:
        return spec, own_problem(Msg.NO_SCHEMA, fmt="SPDX", spec=spec)
    return spec, checker(schemas.spdx_schema_path(spec))


def check_whole(fmt: str, doc: Json) -> tuple[str | None, Found]:
    """A JSON document (``fmt`` in JSON_SCHEMAS) against the schema it declares."""
    spec, schema = JSON_SCHEMAS[fmt](doc)
    return spec, schema if isinstance(schema, Found) else schema.check(doc, MAX_PROBLEMS)


def _spdx3_version(doc: Json) -> str | None:
    """CreationInfo's specVersion; else the version in the JSON-LD context URL."""
    graph = doc.get("@graph")
    for element in graph if isinstance(graph, list) else [doc]:
        if isinstance(element, dict) and element.get("type") == "CreationInfo":
            found = element.get("specVersion")
            if isinstance(found, str):
                return found
    context = doc.get("@context")
    for spec in schemas.SPDX_BY_VERSION:
        if context == _SPDX3_CONTEXT.format(spec):
            return spec
    return None


def _with_line(problem: Problem, line: int | None) -> Problem:
    return Problem(problem.message, problem.pointer, line, problem.code, problem.params)


# reader name -> the declared version, and the checker of its schema (or the problem
# that there is none); for JSON formats, whose top level names the schema.
JSON_SCHEMAS: dict[str, Callable[[Json], Schema]] = {
    "cyclonedx-json": cyclonedx_json_schema,
    "spdx-json": spdx2_schema,
}

CHECKS: dict[str, Check] = {
    "cyclonedx-json": cyclonedx_json,
    "cyclonedx-xml": cyclonedx_xml,
    "spdx-json": spdx_json,
    "spdx-yaml": spdx_yaml,
    "spdx-tv": spdx_tv,
    "spdx3-jsonld": spdx3_jsonld,
}

"""CycloneDX mapping: exact values for the cases that need a decision."""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from sbomkit.formats.cyclonedx import CycloneDxJsonWriter, CycloneDxXmlWriter
from sbomkit.formats.interface import FormatError
from sbomkit.model import Component, Dependency, Hash, Inventory, License, Metadata

Validate = Callable[[str, str, bytes], None]


def bom(inventory: Inventory, spec: str = "1.6") -> dict[str, Any]:
    return json.loads(CycloneDxJsonWriter(spec).write(inventory))  # type: ignore[no-any-return]


def by_ref(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["bom-ref"]: c for c in doc["components"]}


def props(component: dict[str, Any], name: str) -> list[str]:
    return [p["value"] for p in component.get("properties", []) if p["name"] == name]


def test_npm_scoped_name_is_split_into_group_and_name(mixed: Inventory) -> None:
    babel = by_ref(bom(mixed))["pkg:npm/%40babel/core@7.24.0"]
    assert (babel["group"], babel["name"], babel["version"]) == ("@babel", "core", "7.24.0")
    assert babel["purl"] == "pkg:npm/%40babel/core@7.24.0"


def test_pypi_name_is_kept_as_given(mixed: Inventory) -> None:
    socks = by_ref(bom(mixed))["pkg:pypi/pysocks@1.7.1"]
    assert socks["name"] == "PySocks"
    assert "group" not in socks


@pytest.mark.parametrize(
    ("ref", "scope"),
    [
        pytest.param("pkg:pypi/requests@2.31.0", "required", id="required"),
        pytest.param("pkg:pypi/pysocks@1.7.1", "optional", id="optional"),
        pytest.param("pkg:pypi/pytest@8.1.1", "excluded", id="dev-pypi"),
        pytest.param("pkg:npm/%40types/node@20.11.30", "excluded", id="dev-npm"),
    ],
)
def test_scope(mixed: Inventory, ref: str, scope: str) -> None:
    assert by_ref(bom(mixed))[ref]["scope"] == scope


def test_components_sorted_unique_and_primary_only_in_metadata(mixed: Inventory) -> None:
    doc = bom(mixed)
    refs = [c["bom-ref"] for c in doc["components"]]
    assert refs == sorted(refs)
    assert len(refs) == len(set(refs)) == 14
    primary = doc["metadata"]["component"]
    assert (primary["bom-ref"], primary["type"]) == ("pkg:npm/acme-webapp@2.3.0", "application")
    assert "scope" not in primary
    assert primary["bom-ref"] not in refs


def test_metadata_carries_ntia_document_fields(mixed: Inventory) -> None:
    meta = bom(mixed)["metadata"]
    assert meta["timestamp"] == "2026-01-01T00:00:00Z"
    assert meta["lifecycles"] == [{"phase": "pre-build"}]
    assert meta["authors"] == [
        {"name": "Jane Doe", "email": "jane@acme.example"},
        {"name": "ACME Corp"},
    ]
    assert meta["tools"] == {
        "components": [
            {
                "type": "application",
                "supplier": {"name": "sbomkit project"},
                "name": "sbomkit",
                "version": "0.1.0",
            }
        ]
    }


def test_component_without_purl_or_version(mixed: Inventory) -> None:
    helper = by_ref(bom(mixed))["pypi:vendored-helper@"]
    assert helper["name"] == "vendored-helper"
    assert "purl" not in helper
    assert "version" not in helper


def test_licenses(mixed: Inventory) -> None:
    comps = by_ref(bom(mixed))
    assert comps["pkg:npm/jszip@3.10.1"]["licenses"] == [{"expression": "MIT OR GPL-3.0-or-later"}]
    assert comps["pkg:pypi/urllib3@2.2.1"]["licenses"] == [{"license": {"id": "MIT"}}]
    unicode = comps["pkg:pypi/%C3%BCn%C3%AFcode-pkg@1.0.0"]
    assert unicode["licenses"] == [{"license": {"name": "Proprietary – see LICENSE.txt"}}]
    legacy = comps["pkg:npm/legacy-lib@1.0.0"]["licenses"]
    assert legacy[0] == {"license": {"id": "MIT"}}
    assert legacy[1]["license"]["name"] == "ACME Source-Available License v1"
    assert legacy[1]["license"]["text"]["content"].endswith("inside ACME products only.")


def test_several_expressions_become_one(validate: Validate) -> None:
    c = Component(
        "dual",
        "1.0",
        "npm",
        licenses=(License("MIT OR Apache-2.0", True), License("bsd-3-clause", True)),
    )
    inv = Inventory(components=(c,))
    doc = bom(inv)
    assert doc["components"][0]["licenses"] == [
        {"expression": "(MIT OR Apache-2.0) AND BSD-3-Clause"}
    ]
    validate("cyclonedx-json", "1.6", CycloneDxJsonWriter().write(inv))


def test_hashes_and_references(mixed: Inventory) -> None:
    comps = by_ref(bom(mixed))
    urllib3 = comps["pkg:pypi/urllib3@2.2.1"]
    assert [h["alg"] for h in urllib3["hashes"]] == ["SHA-1", "SHA-256"]
    assert comps["pkg:pypi/mylib@0.4.0"]["externalReferences"] == [
        {"type": "vcs", "url": "git+https://github.com/acme/mylib.git@5f2c1e3"}
    ]
    assert [r["type"] for r in comps["pkg:pypi/requests@2.31.0"]["externalReferences"]] == [
        "distribution",
        "website",
    ]


def test_url_the_schema_rejects_becomes_a_property(mixed: Inventory) -> None:
    gitdep = by_ref(bom(mixed))["pkg:npm/gitdep@1.0.0"]
    assert "externalReferences" not in gitdep
    assert props(gitdep, "sbomkit:source-url") == ["git+ssh://git@github.com:acme/gitdep.git"]


def test_locations_are_evidence_in_16_and_properties_in_15(mixed: Inventory) -> None:
    v16 = by_ref(bom(mixed, "1.6"))["pkg:pypi/requests@2.31.0"]
    assert v16["evidence"] == {"occurrences": [{"location": "poetry.lock", "line": 120}]}
    assert props(v16, "sbomkit:location") == []
    assert v16["authors"] == [{"name": "Kenneth Reitz"}]
    v15 = by_ref(bom(mixed, "1.5"))["pkg:pypi/requests@2.31.0"]
    assert "evidence" not in v15
    assert props(v15, "sbomkit:location") == ["poetry.lock:120"]
    assert props(v15, "sbomkit:found-by") == ["python-poetry-lock"]
    assert v15["author"] == "Kenneth Reitz"


def test_every_component_has_a_dependency_entry(mixed: Inventory) -> None:
    doc = bom(mixed)
    deps = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
    assert set(deps) == {c["bom-ref"] for c in doc["components"]} | {"pkg:npm/acme-webapp@2.3.0"}
    assert deps["pkg:pypi/requests@2.31.0"] == ["pkg:pypi/pysocks@1.7.1", "pkg:pypi/urllib3@2.2.1"]
    assert deps["pkg:pypi/urllib3@2.2.1"] == []
    assert all(targets == sorted(targets) for targets in deps.values())
    everything = {t for targets in deps.values() for t in targets}
    assert "pkg:pypi/not-in-the-inventory@1.0" not in everything  # dangling edge left out


@pytest.mark.parametrize(
    "writer", [CycloneDxJsonWriter(), CycloneDxXmlWriter()], ids=["json", "xml"]
)
def test_diagnostics_are_not_written(mixed: Inventory, writer: CycloneDxJsonWriter) -> None:
    assert b"DIAGNOSTIC-MARK" not in writer.write(mixed)


def test_serial_is_reproducible_with_source_date_epoch(mixed: Inventory, epoch: str) -> None:
    first, second = bom(mixed), bom(mixed)
    assert first["serialNumber"] == second["serialNumber"]
    assert uuid.UUID(first["serialNumber"].removeprefix("urn:uuid:")).version == 5
    other = replace(mixed, components=mixed.components[1:])
    assert bom(other)["serialNumber"] != first["serialNumber"]
    assert bom(mixed, "1.5")["serialNumber"] != first["serialNumber"]


def test_serial_is_random_without_source_date_epoch(mixed: Inventory, no_epoch: None) -> None:
    first, second = bom(mixed), bom(mixed)
    assert first["serialNumber"] != second["serialNumber"]
    assert uuid.UUID(first["serialNumber"].removeprefix("urn:uuid:")).version == 4


def test_xml_matches_json(mixed: Inventory, epoch: str) -> None:
    for spec in ("1.5", "1.6"):
        ns = {"c": f"http://cyclonedx.org/schema/bom/{spec}"}
        root = ET.fromstring(CycloneDxXmlWriter(spec).write(mixed))
        doc = bom(mixed, spec)
        assert root.get("serialNumber") == doc["serialNumber"]
        refs = [c.get("bom-ref") for c in root.findall("c:components/c:component", ns)]
        assert refs == [c["bom-ref"] for c in doc["components"]]
        babel = root.find("c:components/c:component[@bom-ref='pkg:npm/%40babel/core@7.24.0']", ns)
        assert babel is not None
        assert babel.findtext("c:group", namespaces=ns) == "@babel"


def test_timestamp_is_normalized_to_utc(validate: Validate) -> None:
    inv = Inventory(components=(), metadata=Metadata(timestamp="2026-01-01T09:00:00+09:00"))
    assert bom(inv)["metadata"]["timestamp"] == "2026-01-01T00:00:00Z"


def test_missing_timestamp_comes_from_source_date_epoch(epoch: str) -> None:
    inv = Inventory(components=())
    assert bom(inv)["metadata"]["timestamp"] == epoch


def test_bad_timestamp_is_a_format_error() -> None:
    inv = Inventory(components=(), metadata=Metadata(timestamp="yesterday"))
    with pytest.raises(FormatError, match=r"internal error.*\(timestamp 'yesterday'"):
        bom(inv)


def test_sbomkit_is_always_among_the_tools() -> None:
    tools = bom(Inventory(components=()))["metadata"]["tools"]["components"]
    assert [t["name"] for t in tools] == ["sbomkit"]


def test_no_primary_and_custom_lifecycle(validate: Validate) -> None:
    a = Component("a", "1", "npm")
    b = Component("b", "2", "npm")
    inv = Inventory(
        components=(b, a),
        dependencies=(Dependency(a.ref, b.ref),),
        metadata=Metadata(lifecycle="nightly-audit"),
    )
    doc = bom(inv)
    assert "component" not in doc["metadata"]
    assert doc["metadata"]["lifecycles"] == [{"name": "nightly-audit"}]
    assert doc["dependencies"] == [{"ref": "npm:a@1", "dependsOn": ["npm:b@2"]}, {"ref": "npm:b@2"}]
    for spec in ("1.5", "1.6"):
        validate("cyclonedx-json", spec, CycloneDxJsonWriter(spec).write(inv))
        validate("cyclonedx-xml", spec, CycloneDxXmlWriter(spec).write(inv))


def test_duplicate_refs_are_merged(validate: Validate) -> None:
    one = Component("dup", "1.0", "npm", found_by=("yarn-lock",))
    two = Component("dup", "1.0", "npm", found_by=("npm-package-lock",))
    doc = bom(Inventory(components=(one, two)))
    assert [c["bom-ref"] for c in doc["components"]] == ["npm:dup@1.0"]
    assert props(doc["components"][0], "sbomkit:found-by") == ["npm-package-lock", "yarn-lock"]


def test_unusable_hashes_are_left_out() -> None:
    c = Component(
        "h",
        "1",
        "npm",
        hashes=(
            Hash("SHA-512", "sha512-bm90IGhleA=="),  # an npm integrity string, not hex
            Hash("SHA-224", "0" * 56),  # not a CycloneDX algorithm
            Hash("SHA-256", "AB" * 32),  # upper case: kept, lower-cased
        ),
    )
    doc = bom(Inventory(components=(c,)))
    assert doc["components"][0]["hashes"] == [{"alg": "SHA-256", "content": "ab" * 32}]


def test_characters_xml_cannot_carry_are_replaced(validate: Validate) -> None:
    c = Component("ctl", "1", "npm", description="bell\x07 and nul\x00 <&>")
    inv = Inventory(components=(c,))
    data = CycloneDxXmlWriter().write(inv)
    validate("cyclonedx-xml", "1.6", data)
    assert "bell\ufffd and nul\ufffd &lt;&amp;&gt;" in data.decode("utf-8")
    validate("cyclonedx-json", "1.6", CycloneDxJsonWriter().write(inv))


def test_unsupported_spec_is_refused() -> None:
    with pytest.raises(FormatError, match="CycloneDX 1.4 is not supported"):
        CycloneDxJsonWriter("1.4")


@pytest.mark.parametrize(
    ("writer", "media_type", "extension"),
    [
        (CycloneDxJsonWriter("1.5"), "application/vnd.cyclonedx+json; version=1.5", ".cdx.json"),
        (CycloneDxXmlWriter(), "application/vnd.cyclonedx+xml; version=1.6", ".cdx.xml"),
    ],
    ids=["json-1.5", "xml-1.6"],
)
def test_media_type_and_extension(
    writer: CycloneDxJsonWriter, media_type: str, extension: str
) -> None:
    assert (writer.media_type, writer.extension) == (media_type, extension)

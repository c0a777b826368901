"""Reading CycloneDX 1.2-1.6: the official conformance corpus and one fixture per sad path."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from testkit import TESTDATA, shared_data

from sbomkit.formats._safe import MAX_NESTING
from sbomkit.formats.cyclonedx_reader import CycloneDxJsonReader, CycloneDxXmlReader
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.model import ComponentType, Dependency, Inventory, License, Location, Scope

FIXTURES = TESTDATA / "sbom-cyclonedx"
RESOURCES = ("cyclonedx-specification", "tools", "src", "test", "resources")


def corpus(prefix: str) -> list[Path]:
    root = shared_data(*RESOURCES)
    return sorted(
        p
        for spec in ("1.2", "1.3", "1.4", "1.5", "1.6")
        for p in (root / spec).glob(f"{prefix}-*")
        if p.suffix in (".json", ".xml")
    )


def read(path: Path) -> Inventory:
    reader = CycloneDxXmlReader() if path.suffix == ".xml" else CycloneDxJsonReader()
    return reader.read(path.read_bytes(), path.name)


def _json_count(items: Any) -> int:
    if not isinstance(items, list):
        return 0
    return sum(1 + _json_count(c.get("components")) for c in items if isinstance(c, dict))


def _xml_count(el: ET.Element | None, ns: str) -> int:
    wrap = None if el is None else el.find(f"{{{ns}}}components")
    if wrap is None:
        return 0
    return sum(1 + _xml_count(c, ns) for c in wrap.findall(f"{{{ns}}}component"))


def component_objects(path: Path) -> int:
    """Components in the file, nested ones included; metadata.component itself excluded."""
    if path.suffix == ".json":
        doc = json.loads(path.read_bytes())
        primary = doc.get("metadata", {}).get("component", {})
        return _json_count(doc.get("components")) + _json_count(primary.get("components"))
    root = ET.fromstring(path.read_bytes())  # noqa: S314 - upstream conformance files
    ns = root.tag[1:].partition("}")[0]
    primary = root.find(f"{{{ns}}}metadata/{{{ns}}}component")
    return _xml_count(root, ns) + _xml_count(primary, ns)


@pytest.mark.parametrize("path", corpus("valid"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_valid_corpus_file_is_read_with_every_component(path: Path) -> None:
    inventory = read(path)
    merged = sum(d.code is Msg.DUPLICATE_ENTRY for d in inventory.diagnostics)
    assert len(inventory.components) + merged == component_objects(path)
    assert inventory.metadata.spec == f"cyclonedx-{path.parent.name}"


@pytest.mark.parametrize("path", corpus("invalid"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_corpus_file_does_not_crash(path: Path) -> None:
    try:
        inventory = read(path)
    except FormatError as e:
        assert e.code in (Msg.WRONG_FORMAT, Msg.UNSUPPORTED_VERSION)
    else:
        assert isinstance(inventory.components, tuple)


@pytest.mark.parametrize(
    ("name", "code", "detail"),
    [
        ("not-json.cdx.json", Msg.WRONG_FORMAT, "invalid JSON: invalid literal"),
        ("array-top-level.cdx.json", Msg.WRONG_FORMAT, "top level is a list, not an object"),
        ("bomformat-missing.cdx.json", Msg.WRONG_FORMAT, 'bomFormat is missing (expected "Cyc'),
        ("bomformat-wrong.cdx.json", Msg.WRONG_FORMAT, "bomFormat is 'SPDX', not \"CycloneDX\""),
        ("spec-1.1.cdx.json", Msg.UNSUPPORTED_VERSION, "specVersion '1.1'; supported: 1.2, "),
        ("spec-1.7.cdx.json", Msg.UNSUPPORTED_VERSION, "specVersion '1.7'; supported: 1.2, "),
        ("dtd-entity.cdx.xml", Msg.WRONG_FORMAT, "DTDs and entities are not allowed (DTDForb"),
        ("unknown-namespace.cdx.xml", Msg.WRONG_FORMAT, "root element 'bom' in namespace 'http"),
    ],
)
def test_unusable_document_is_a_format_error(name: str, code: Msg, detail: str) -> None:
    with pytest.raises(FormatError) as caught:
        read(FIXTURES / name)
    assert caught.value.code is code
    assert caught.value.detail.startswith(detail)
    assert str(caught.value).startswith(f"{name}: ")


@pytest.mark.parametrize(
    ("name", "names", "rows"),
    [
        (
            "components-not-list.cdx.json",
            [],
            [(Msg.INVALID_ENTRY, "/components: expected a list, got dict")],
        ),
        (
            "component-without-name.cdx.json",
            ["kept"],
            [(Msg.MISSING_NAME, "/components/1/name: component has no name")],
        ),
        (
            "bad-purl.cdx.json",
            ["odd"],
            [
                (
                    Msg.INVALID_ENTRY,
                    "/components/0/purl: component 'odd': purl 'not-a-purl': purl is missing"
                    " the required \"pkg\" scheme component: 'not-a-purl'.",
                )
            ],
        ),
        (
            "duplicate-bom-ref.cdx.json",
            ["first"],
            [(Msg.DUPLICATE_ENTRY, "/components/1: same listed before; merged")],
        ),
        (
            "unknown-dependency.cdx.json",
            ["a", "b"],
            [
                (
                    Msg.UNKNOWN_DEPENDENCY,
                    "/dependencies/0/dependsOn/1: no component has bom-ref 'ghost'",
                )
            ],
        ),
    ],
)
def test_bad_entry_is_a_diagnostic(name: str, names: list[str], rows: list[Any]) -> None:
    inventory = read(FIXTURES / name)
    assert [c.name for c in inventory.components] == names
    assert [(d.code, d.detail) for d in inventory.diagnostics] == rows
    assert {str(d.location) for d in inventory.diagnostics} <= {name}


def test_bad_purl_keeps_component_without_purl() -> None:
    (odd,) = read(FIXTURES / "bad-purl.cdx.json").components
    assert (odd.purl, odd.ref, odd.ecosystem, odd.version) == (None, "c1", "", "1.0")


def test_duplicate_bom_ref_is_merged() -> None:
    (first,) = read(FIXTURES / "duplicate-bom-ref.cdx.json").components
    assert (first.description, first.copyright) == ("one", "ACME")


def test_unknown_dependency_edge_is_dropped() -> None:
    inventory = read(FIXTURES / "unknown-dependency.cdx.json")
    assert inventory.dependencies == (Dependency("a", "b"),)


def _nested(depth: int) -> bytes:
    component: dict[str, Any] = {"type": "library", "name": f"c{depth}"}
    for level in range(depth - 1, 0, -1):
        component = {"type": "library", "name": f"c{level}", "components": [component]}
    return json.dumps(
        {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [component]}
    ).encode()


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    with pytest.raises(FormatError) as caught:
        CycloneDxJsonReader().read(_nested(MAX_NESTING + 1), "deep.cdx.json")
    pointer = "/components/0" + "/components/0" * MAX_NESTING
    assert caught.value.detail == (
        f"components (at {pointer}) nested deeper than {MAX_NESTING} levels"
    )


def test_nesting_at_the_limit_is_flattened_with_contains_edges() -> None:
    inventory = CycloneDxJsonReader().read(_nested(MAX_NESTING), "deep.cdx.json")
    assert len(inventory.components) == MAX_NESTING
    first = inventory.dependencies[0]
    assert (first.source, first.target, first.kind) == (
        "cdx:/components/0",
        "cdx:/components/0/components/0",
        "CONTAINS",
    )


MAPPED = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6",
 "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
 "metadata": {"timestamp": "2024-05-01T10:00:00Z",
   "lifecycles": [{"phase": "build"}],
   "tools": {"components": [{"name": "syft", "version": "1.0", "supplier": {"name": "Anchore"}}]},
   "authors": [{"name": "Jane", "email": "jane@example.com"}],
   "component": {"type": "application", "bom-ref": "app", "name": "app", "version": "2"},
   "manufacturer": {"name": "ACME"}, "licenses": [{"license": {"id": "CC0-1.0"}}],
   "properties": [{"name": "k", "value": "v"}]},
 "components": [{"type": "framework", "bom-ref": "r1", "group": "org.acme", "name": "lib",
   "version": "1.0", "scope": "excluded", "supplier": {"name": "ACME"},
   "authors": [{"name": "A"}, {"name": "B", "email": "b@example.com"}],
   "copyright": "(c) ACME", "cpe": "cpe:2.3:a:acme:lib:1.0:*:*:*:*:*:*:*",
   "licenses": [{"license": {"id": "MIT", "acknowledgement": "concluded"}}],
   "hashes": [{"alg": "SHA-1", "content": "2c8b5e26ba40e5f91eb37a24075a2028b402c5f9"}],
   "externalReferences": [{"type": "website", "url": "https://acme.example"},
     {"type": "issue-tracker", "url": "https://acme.example/bugs", "comment": "bugs"}],
   "properties": [{"name": "sbomkit:found-by", "value": "x"}],
   "evidence": {"occurrences": [{"location": "lib/a.jar", "line": 3}]},
   "publisher": "ACME Publishing"}],
 "dependencies": [{"ref": "app", "dependsOn": ["r1"]}],
 "services": [{"name": "api"}]}"""


def test_json_fields_map_to_the_model() -> None:
    inventory = CycloneDxJsonReader().read(MAPPED, "m.cdx.json")
    assert inventory.diagnostics == ()
    (lib,) = inventory.components
    assert (lib.ref, lib.name, lib.version, lib.ecosystem, lib.type, lib.scope) == (
        "r1", "lib", "1.0", "", ComponentType.FRAMEWORK, Scope.DEV,
    )  # fmt: skip
    assert (lib.supplier, lib.author, lib.copyright) == ("ACME", "A, B <b@example.com>", "(c) ACME")
    assert lib.cpes == ("cpe:2.3:a:acme:lib:1.0:*:*:*:*:*:*:*",)
    assert lib.licenses == (License("MIT", True, concluded=True),)
    assert lib.homepage == "https://acme.example"
    assert [(r.type, r.comment) for r in lib.external_refs] == [("issue-tracker", "bugs")]
    assert lib.properties == (("sbomkit:found-by", "x"),)
    assert lib.locations == (Location("lib/a.jar", 3),)
    assert lib.extra == (
        ("cyclonedx:group", '"org.acme"'),
        ("cyclonedx:publisher", '"ACME Publishing"'),
    )
    meta = inventory.metadata
    assert (meta.spec, meta.timestamp, meta.lifecycle) == (
        "cyclonedx-1.6",
        "2024-05-01T10:00:00Z",
        "build",
    )
    assert (meta.supplier, meta.data_license, meta.authors) == (
        "ACME",
        "CC0-1.0",
        ("Jane <jane@example.com>",),
    )
    assert meta.document_id == "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    assert [(t.name, t.version, t.vendor) for t in meta.tools] == [("syft", "1.0", "Anchore")]
    assert meta.primary is not None and meta.primary.ref == "app"
    assert inventory.dependencies == (Dependency("app", "r1"),)
    assert dict(inventory.extra) == {
        "cyclonedx:metadata.properties": '[{"name":"k","value":"v"}]',
        "cyclonedx:services": '[{"name":"api"}]',
    }

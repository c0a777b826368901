"""SPDX 3.0.1 JSON-LD: goldens validated against the official schema, the mapping in exact
values, the reader over every SPDX 3 document in ../shared/data, round trips, sad paths.

Regenerate the goldens with ``UPDATE_GOLDENS=1 pytest tests/formats/test_spdx3.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from test_polyglot import PARTS
from testkit import REPO, SHARED_DATA, TESTDATA, shared_data

from sbomkit import __version__
from sbomkit.catalog.build import build_inventory
from sbomkit.formats._prepare import prepare
from sbomkit.formats._values import valid_hashes
from sbomkit.formats.interface import FormatError
from sbomkit.formats.readers import detect, read_sbom
from sbomkit.formats.registry import get_writer
from sbomkit.formats.spdx3 import Spdx3Reader, Spdx3Writer
from sbomkit.i18n import Msg
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    Inventory,
    License,
    Metadata,
    Scope,
    Tool,
)
from sbomkit.validate.spdx3_check import Spdx3Checker

GOLDENS = REPO / "tests" / "goldens"
FIXTURES = TESTDATA / "sbom-spdx3"
NAME = "bom.spdx3.json"
DOCUMENT_IRI = re.compile(r"https://sbomkit\.invalid/spdxdocs/[A-Za-z0-9.-]+-[0-9a-f-]{36}")
Json = dict[str, Any]


@cache
def _checker() -> Spdx3Checker:
    return Spdx3Checker(shared_data("spdx-schemas", "3.0.1", "spdx-schema.json"))


def validate_spdx3(data: bytes) -> None:
    """Fail with the validator's own words unless ``data`` is valid SPDX 3.0.1 JSON-LD
    (the product's checker: the whole schema, applied element by element)."""
    found = _checker().check(json.loads(data), 100)
    assert [(p.pointer, p.message) for p in found.problems] == [], "SPDX 3.0.1 JSON schema"


def write(inventory: Inventory) -> bytes:
    return Spdx3Writer().write(inventory)


def read(data: bytes, rel: str = "bom.spdx3.json") -> Inventory:
    return Spdx3Reader().read(data, rel)


def graph(inventory: Inventory) -> list[Json]:
    return json.loads(write(inventory))["@graph"]  # type: ignore[no-any-return]


def by_name(elements: list[Json], kind: str = "software_Package") -> dict[str, Json]:
    return {e["name"]: e for e in elements if e["type"] == kind}


def relationships(elements: list[Json]) -> dict[tuple[str, str], Json]:
    """(from name, relationshipType) -> relationship, names instead of spdxIds."""
    names = {str(e["spdxId"]): str(e.get("name", e["spdxId"])) for e in elements if "spdxId" in e}
    return {
        (names[e["from"]], e["relationshipType"]): {**e, "to": [names.get(t, t) for t in e["to"]]}
        for e in elements
        if "relationshipType" in e
    }


def properties(element: Json) -> list[tuple[str, str]]:
    return [
        (p["extension_cdxPropName"], p["extension_cdxPropValue"])
        for ext in element.get("extension", [])
        for p in ext["extension_cdxProperty"]
    ]


def as_written(inv: Inventory) -> Inventory:
    """What every writer keeps: prepare()'s merged, sorted components, edges between them,
    valid hashes, the document's tools and timestamp; nothing of other formats' extra."""
    p = prepare(inv)
    known = {c.ref for c in p.components} | ({p.primary.ref} if p.primary else set())
    deps = {d for d in inv.dependencies if d.source in known and d.target in known}
    return Inventory(
        components=tuple(replace(c, hashes=tuple(valid_hashes(c.hashes))) for c in p.components),
        dependencies=tuple(sorted(deps)),
        metadata=replace(inv.metadata, primary=p.primary, tools=p.tools, timestamp=p.timestamp),
        extra=tuple(x for x in inv.extra if x[0].startswith("spdx3:")),
    )


# -- goldens ---------------------------------------------------------------------------


def _polyglot(tmp_path: Path) -> Inventory:
    root = tmp_path / "polyglot"
    for name, fixture in PARTS.items():
        shutil.copytree(TESTDATA / fixture, root / name)
    return build_inventory(root)


SCENARIOS: dict[str, Callable[[dict[str, Callable[[], Inventory]], Path], Inventory]] = {
    "mixed": lambda cases, _: cases["mixed"](),
    "empty": lambda cases, _: cases["empty"](),
    "polyglot": lambda _, tmp: _polyglot(tmp),
    "demo-project": lambda _, __: build_inventory(REPO / "examples" / "demo-project"),
}


@pytest.mark.parametrize("case", list(SCENARIOS))
def test_golden(
    case: str, epoch: str, tmp_path: Path, cases: dict[str, Callable[[], Inventory]]
) -> None:
    inv = SCENARIOS[case](cases, tmp_path)
    fresh = get_writer("spdx3-json").write(inv)
    golden = GOLDENS / case / NAME
    if os.environ.get("UPDATE_GOLDENS") == "1":
        golden.write_bytes(fresh)
    assert golden.is_file(), f"{golden} missing; run with UPDATE_GOLDENS=1 and review it"
    assert fresh.decode("utf-8") == golden.read_bytes().decode("utf-8")
    validate_spdx3(fresh)  # the golden, byte for byte


@pytest.mark.parametrize("case", list(SCENARIOS))
def test_golden_reads_back_as_its_inventory(
    case: str, epoch: str, tmp_path: Path, cases: dict[str, Callable[[], Inventory]]
) -> None:
    inv = SCENARIOS[case](cases, tmp_path)
    back = read(write(inv))
    assert back.diagnostics == ()
    name = inv.metadata.name or (inv.metadata.primary.name if inv.metadata.primary else "sbom")
    assert (back.metadata.spec, back.metadata.name, back.metadata.data_license) == (
        "spdx-3.0.1",
        name,
        "CC0-1.0",
    )
    assert DOCUMENT_IRI.fullmatch(back.metadata.document_id or "")
    meta = replace(back.metadata, spec=None, name=None, document_id=None, data_license=None)
    assert replace(back, metadata=meta) == as_written(inv)
    # and the second write is the first one, byte for byte
    assert write(back) == write(inv)


def test_golden_is_detected_and_read_as_spdx3(epoch: str) -> None:
    path = GOLDENS / "mixed" / NAME
    assert detect(path.read_bytes(), "bom") == "spdx3-jsonld"
    inv = read_sbom(path)
    assert inv.metadata.primary is not None
    assert inv.metadata.primary.ref == "pkg:npm/acme-webapp@2.3.0"
    assert len(inv.components) == 14


# -- writer mapping --------------------------------------------------------------------


def test_document_head(mixed: Inventory, epoch: str) -> None:
    elements = graph(mixed)
    info, doc, sbom = elements[:3]
    agents = {e["spdxId"]: e for e in elements if e["type"] in ("Person", "Organization", "Tool")}
    assert info["@id"] == "_:creationinfo"
    assert (info["specVersion"], info["created"]) == ("3.0.1", "2026-01-01T00:00:00Z")
    assert [agents[a]["name"] for a in info["createdBy"]] == ["Jane Doe", "ACME Corp"]
    tool = agents[info["createdUsing"][0]]
    assert (tool["name"], properties(tool)) == (
        "sbomkit",
        [("sbomkit:version", "0.1.0"), ("sbomkit:vendor", "sbomkit project")],
    )
    assert DOCUMENT_IRI.fullmatch(doc["spdxId"])
    assert doc["spdxId"].startswith("https://sbomkit.invalid/spdxdocs/acme-webapp-")
    assert doc["rootElement"] == [sbom["spdxId"]] == [doc["spdxId"] + "#sbom"]
    assert doc["profileConformance"] == ["core", "software", "simpleLicensing", "extension"]
    assert sbom["software_sbomType"] == ["source"]  # lifecycle pre-build
    primary = by_name(elements)["acme-webapp"]
    assert sbom["rootElement"] == [primary["spdxId"]]
    assert len(sbom["element"]) == 15
    assert all(e["spdxId"].startswith(doc["spdxId"] + "#") for e in elements[2:])


def test_package_fields(mixed: Inventory, epoch: str) -> None:
    elements = graph(mixed)
    requests = by_name(elements)["requests"]
    agents = {e["spdxId"]: e for e in elements if e["type"] in ("Person", "Organization")}
    assert requests["spdxId"].endswith("#SPDXRef-Package-requests-f3d5e9e20f")
    assert requests["software_packageVersion"] == "2.31.0"
    assert requests["software_packageUrl"] == "pkg:pypi/requests@2.31.0"
    assert requests["software_downloadLocation"] == (
        "https://files.pythonhosted.org/packages/requests-2.31.0-py3-none-any.whl"
    )
    assert requests["software_homePage"] == "https://requests.readthedocs.io"
    assert requests["software_primaryPurpose"] == "library"
    assert requests["description"] == "Python HTTP for Humans."
    assert [agents[a]["name"] for a in requests["originatedBy"]] == ["Kenneth Reitz"]
    assert requests["verifiedUsing"] == [
        {
            "type": "Hash",
            "algorithm": "sha256",
            "hashValue": "bc785aeed629a64e780c546ef3cae341a548bb8a0190b8cf30102b95f983a4b6",
        }
    ]
    assert properties(requests) == [
        ("sbomkit:direct", "true"),
        ("sbomkit:found-by", "python-poetry-lock"),
        ("sbomkit:location", "poetry.lock:120"),
    ]
    urllib3 = by_name(elements)["urllib3"]
    assert agents[urllib3["suppliedBy"]]["type"] == "Organization"
    assert [h["algorithm"] for h in urllib3["verifiedUsing"]] == ["sha1", "sha256"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "pytest",
            [
                ("sbomkit:scope", "dev"),
                ("sbomkit:direct", "true"),
                ("sbomkit:found-by", "python-poetry-lock"),
                ("sbomkit:location", "poetry.lock:180"),
            ],
            id="dev-scope",
        ),
        pytest.param(
            "gitdep",
            [
                ("sbomkit:source-url", "git+ssh://git@github.com:acme/gitdep.git"),
                ("sbomkit:found-by", "npm-package-lock"),
                ("sbomkit:location", "package-lock.json:650"),
            ],
            id="url-not-an-iri",
        ),
        pytest.param(
            "vendored-helper",
            [
                ("sbomkit:ecosystem", "pypi"),
                ("sbomkit:found-by", "python-requirements"),
                ("sbomkit:location", "vendor/requirements.txt:3"),
            ],
            id="no-purl",
        ),
        pytest.param(
            "mylib",
            [
                ("sbomkit:found-by", "python-poetry-lock"),
                ("sbomkit:location", "poetry.lock:250"),
                ("sbomkit:source", "vcs"),
            ],
            id="own-property",
        ),
    ],
)
def test_properties_are_cdx_extension_entries(
    mixed: Inventory, name: str, expected: list[tuple[str, str]]
) -> None:
    package = by_name(graph(mixed))[name]
    assert properties(package) == expected
    assert package["extension"][0]["type"] == "extension_CdxPropertiesExtension"


def test_licenses(mixed: Inventory, epoch: str) -> None:
    elements = graph(mixed)
    ids = {e["spdxId"]: e for e in elements if "spdxId" in e}
    rels = relationships(elements)
    declared = rels["legacy-lib", "hasDeclaredLicense"]
    expressions = [ids[t]["simplelicensing_licenseExpression"] for t in declared["to"]]
    assert expressions == ["MIT", "LicenseRef-ACME-Source-Available-License-v1"]
    custom = ids[declared["to"][1]]["simplelicensing_customIdToUri"]
    assert [entry["key"] for entry in custom] == ["LicenseRef-ACME-Source-Available-License-v1"]
    text = ids[custom[0]["value"]]
    assert text["type"] == "simplelicensing_SimpleLicensingText"
    assert text["simplelicensing_licenseText"] == (
        "ACME Source-Available License v1\n\n"
        "Permission is granted to use this software inside ACME products only."
    )
    jszip = rels["jszip", "hasDeclaredLicense"]
    assert [ids[t]["simplelicensing_licenseExpression"] for t in jszip["to"]] == [
        "(MIT OR GPL-3.0-or-later)"
    ]
    assert not any(rel == "hasConcludedLicense" for _, rel in rels)
    mit = [e for e in elements if e.get("simplelicensing_licenseExpression") == "MIT"]
    assert len(mit) == 1  # one element per distinct expression


def test_dependencies_group_targets(mixed: Inventory) -> None:
    rels = relationships(graph(mixed))
    assert rels["requests", "dependsOn"]["to"] == ["PySocks", "urllib3"]  # sorted by ref
    assert rels["requests", "dependsOn"]["type"] == "Relationship"
    assert len(rels["acme-webapp", "dependsOn"]["to"]) == 11
    # the edge to pkg:pypi/not-in-the-inventory@1.0 is left out
    assert "pkg:pypi/not-in-the-inventory@1.0" not in json.dumps(graph(mixed))


def _pair(kind: str) -> Inventory:
    a = Component("a", "1.0", "npm", ref="npm:a@1.0")
    b = Component("b", "2.0", "npm", ref="npm:b@2.0")
    return Inventory(components=(a, b), dependencies=(Dependency(a.ref, b.ref, kind),))


@pytest.mark.parametrize(
    ("kind", "rel_type", "swapped", "scope", "read_as"),
    [
        pytest.param("DEPENDS_ON", "dependsOn", False, None, "DEPENDS_ON", id="depends-on"),
        pytest.param("DEPENDENCY_OF", "dependsOn", True, None, "DEPENDS_ON", id="dependency-of"),
        pytest.param("DEV_DEPENDENCY_OF", "dependsOn", True, "development", None, id="dev"),
        pytest.param("BUILD_DEPENDENCY_OF", "dependsOn", True, "build", None, id="build"),
        pytest.param("TEST_DEPENDENCY_OF", "dependsOn", True, "test", None, id="test"),
        pytest.param("RUNTIME_DEPENDENCY_OF", "dependsOn", True, "runtime", None, id="runtime"),
        pytest.param(
            "OPTIONAL_DEPENDENCY_OF", "hasOptionalDependency", True, None, None, id="optional"
        ),
        pytest.param("CONTAINS", "contains", False, None, None, id="contains"),
        pytest.param("CONTAINED_BY", "contains", True, None, "CONTAINS", id="contained-by"),
        pytest.param("DESCRIBES", "describes", False, None, None, id="describes"),
        pytest.param("GENERATED_FROM", "generates", True, None, "GENERATES", id="generated"),
        pytest.param("DEV_TOOL_OF", "usesTool", True, "development", None, id="dev-tool"),
        pytest.param("STATIC_LINK", "hasStaticLink", False, None, None, id="static-link"),
        pytest.param("VENDORED_BY", "other", False, None, None, id="unknown-kind"),
    ],
)
def test_relationship_kinds(
    kind: str, rel_type: str, swapped: bool, scope: str | None, read_as: str | None
) -> None:
    inv = _pair(kind)
    data = write(inv)
    validate_spdx3(data)
    (rel,) = relationships(json.loads(data)["@graph"]).items()
    (source, found_type), element = rel
    assert (found_type, source, element["to"]) == (
        rel_type,
        "b" if swapped else "a",
        ["a" if swapped else "b"],
    )
    assert element.get("scope") == scope
    assert element["type"] == ("LifecycleScopedRelationship" if scope else "Relationship")
    expected = Dependency("npm:a@1.0", "npm:b@2.0", read_as or kind)
    if read_as and read_as != kind:
        expected = Dependency("npm:b@2.0", "npm:a@1.0", read_as)
    assert read(data).dependencies == (expected,)


def test_without_primary_the_roots_are_the_sbom_roots() -> None:
    inv = _pair("DEPENDS_ON")
    c = Component("c", "3.0", "npm", ref="npm:c@3.0")
    inv = replace(inv, components=(*inv.components, c))
    elements = graph(inv)
    sbom = next(e for e in elements if e["type"] == "software_Sbom")
    names = {e["spdxId"]: e["name"] for e in elements if e["type"] == "software_Package"}
    assert [names[r] for r in sbom["rootElement"]] == ["a", "c"]
    back = read(write(inv))
    assert back.metadata.primary is None
    assert [x.ref for x in back.components] == ["npm:a@1.0", "npm:b@2.0", "npm:c@3.0"]


def test_file_component_is_a_software_file() -> None:
    f = Component(
        "src/main.c", None, "", type=ComponentType.FILE, source_url="https://example.com/main.c"
    )
    crypto = Component("aes", "1", "", type=ComponentType.CRYPTOGRAPHIC_ASSET, scope=Scope.OPTIONAL)
    inv = Inventory(components=(f, crypto))
    data = write(inv)
    validate_spdx3(data)
    elements = json.loads(data)["@graph"]
    file = by_name(elements, "software_File")["src/main.c"]
    assert "software_primaryPurpose" not in file
    assert properties(file) == [("sbomkit:source-url", "https://example.com/main.c")]
    aes = by_name(elements)["aes"]
    assert aes["software_primaryPurpose"] == "other"
    assert properties(aes) == [
        ("sbomkit:type", "cryptographic-asset"),
        ("sbomkit:scope", "optional"),
    ]
    assert read(data).components == (crypto, f)  # sorted by ref


def test_two_writes_are_identical_under_epoch(mixed: Inventory, epoch: str) -> None:
    assert write(mixed) == write(mixed)


def test_without_epoch_only_the_document_iri_changes(mixed: Inventory, no_epoch: None) -> None:
    first, second = write(mixed).decode(), write(mixed).decode()
    iri_1, iri_2 = DOCUMENT_IRI.search(first), DOCUMENT_IRI.search(second)
    assert iri_1 is not None and iri_2 is not None and iri_1[0] != iri_2[0]
    assert first.replace(iri_1[0], "DOC") == second.replace(iri_2[0], "DOC")


def test_registry_entry() -> None:
    writer = get_writer("spdx3-json", "3.0.1")
    assert isinstance(writer, Spdx3Writer)
    assert (writer.media_type, writer.extension, writer.spec, writer.specs) == (
        "application/spdx+json",
        ".spdx3.json",
        "3.0.1",
        ("3.0.1",),
    )
    with pytest.raises(FormatError, match=r"SPDX 3\.0\.0 is not supported; choose 3\.0\.1"):
        writer.for_spec("3.0.0")


def test_tool_version_and_authors_from_metadata() -> None:
    inv = Inventory(
        components=(),
        metadata=Metadata(
            tools=(Tool("syft", "1.2.3"),),
            timestamp="2026-03-04T05:06:07+09:00",
            authors=("Person: Bob <bob@example.com>", "Organization: Widgets Inc"),
            lifecycle="decommission",
            supplier="Widgets Inc",
        ),
    )
    back = read(write(inv))
    assert back.metadata.tools == (
        Tool("syft", "1.2.3"),
        Tool("sbomkit", __version__, "sbomkit project"),
    )
    assert back.metadata.timestamp == "2026-03-03T20:06:07Z"
    assert back.metadata.authors == ("Bob <bob@example.com>", "Organization: Widgets Inc")
    assert (back.metadata.lifecycle, back.metadata.supplier) == ("decommission", "Widgets Inc")


# -- reader over the shared SPDX 3 documents -------------------------------------------

# path under ../shared/data -> (packages, files, diagnostics as (code, detail))
EXAMPLES: dict[str, tuple[int, int, list[tuple[Msg, str]]]] = {
    "spdx-examples/ai/example01/spdx3.0/simplehtr-example.json": (
        13,
        33,
        [
            (
                Msg.DUPLICATE_ENTRY,
                "https://my-first-aibom.com/SimpleHTR-depends-on: spdxId: listed before; skipped",
            )
        ],
    ),
    "spdx-examples/ai/example02/spdx3.0/sbom.spdx3.json": (2, 15, []),
    "spdx-examples/dataset/example01/spdx3.0/example01.spdx3.json": (1, 2, []),
    "spdx-examples/software/example1/spdx3.0/example1.json": (1, 3, []),
    "spdx-examples/software/example10/spdx3.0/hello-source.spdx3.json": (1, 5, []),
    "spdx-examples/software/example11/spdx3.0/sbom.spdx3.json": (4, 1, []),
    "spdx-examples/software/example12/spdx3.0/hello-dist.spdx3.json": (1, 1, []),
    "spdx-examples/software/example12/spdx3.0/hello-src.spdx3.json": (1, 12, []),
    "spdx-examples/software/example13/spdx3.0/example13.spdx3.json": (4, 0, []),
    "spdx-examples/software/example14/spdx3.0/examplemaven-0.0.1-enriched.spdx3.json": (6, 3, []),
    "spdx-examples/software/example3/spdx3.0/example3-bin.json": (1, 2, []),
    "spdx-examples/software/example3/spdx3.0/example3-src.json": (1, 3, []),
    "spdx-examples/software/example4/spdx3.0/example4-bin.json": (3, 4, []),
    "spdx-examples/software/example4/spdx3.0/example4-src.json": (1, 3, []),
    "spdx-examples/software/example5/spdx3.0/example5-bin.json": (1, 1, []),
    "spdx-examples/software/example5/spdx3.0/example5-src.json": (1, 2, []),
    "spdx-examples/software/example6/spdx3.0/example6-bin.json": (1, 1, []),
    "spdx-examples/software/example6/spdx3.0/example6-lib.json": (5, 2, []),
    "spdx-examples/software/example6/spdx3.0/example6-src.json": (1, 2, []),
    "spdx-examples/software/example7/spdx3.0/example7-bin.spdx3.json": (0, 1, []),
    "spdx-examples/software/example7/spdx3.0/example7-go-module.spdx3.json": (1, 0, []),
    "spdx-examples/software/example7/spdx3.0/example7-golang.spdx3.json": (1, 1, []),
    "spdx-examples/software/example7/spdx3.0/example7-third-party-modules.spdx3.json": (
        2,
        0,
        [],
    ),
    "spdx-examples/software/example8/spdx3.0/examplemaven-0.0.1.spdx3.json": (6, 3, []),
    "spdx-examples/software/example9/spdx3.0/appbomination.spdx3.json": (7, 15, []),
    "spdx-spec/v3.0.1/examples/jsonld/package_sbom.json": (1, 1, []),
}


def _ntia_sbom() -> Path:
    dist = next(
        (REPO / ".venv" / "lib").glob("python3*/site-packages/ntia_conformance_checker-*.dist-info")
    )
    return next((dist / "sboms").glob("*.spdx3.json"))


def test_every_shared_spdx3_document_is_listed() -> None:
    shared_data("spdx-examples")
    found = {
        str(p.relative_to(SHARED_DATA))
        for p in SHARED_DATA.glob("spdx-examples/*/*/spdx3.0/*.json")
    }
    found |= {
        str(p.relative_to(SHARED_DATA))
        for p in SHARED_DATA.glob("spdx-spec/v3.0*/examples/jsonld/*.json")
    }
    assert found == set(EXAMPLES)


def _counts(inv: Inventory) -> tuple[int, int]:
    every = [*inv.components, *([inv.metadata.primary] if inv.metadata.primary else [])]
    files = sum(c.type is ComponentType.FILE for c in every)
    return len(every) - files, files


@pytest.mark.parametrize("rel", list(EXAMPLES), ids=lambda r: r.split("/")[-1])
def test_shared_example_reads(rel: str) -> None:
    packages, files, problems = EXAMPLES[rel]
    inv = read(shared_data(rel).read_bytes(), rel)
    assert _counts(inv) == (packages, files)
    assert [(d.code, d.detail) for d in inv.diagnostics] == problems
    assert inv.metadata.spec == "spdx-3.0.1"


def test_ntia_conformance_checker_sbom_reads() -> None:
    inv = read(_ntia_sbom().read_bytes(), "ntia.spdx3.json")
    assert _counts(inv) == (12, 21)
    assert inv.diagnostics == ()
    primary = inv.metadata.primary
    assert primary is not None
    assert (primary.ref, primary.supplier, primary.copyright) == (
        "pkg:pypi/ntia-conformance-checker@6.0.0",
        "SPDX project",
        "Copyright (c) 2026 Induwara Gunasena",
    )
    assert primary.licenses == (License("Apache-2.0", True), License("Apache-2.0", True, True))
    assert inv.metadata.tools == (Tool("Pitloom", ""),)
    assert inv.metadata.authors == ("Organization: SPDX project",)
    notes = [k for c in (*inv.components, primary) for k, _ in c.extra if k == "spdx3:Annotation"]
    assert len(notes) == 41  # of 45: four annotate license elements, kept on the document
    assert [k for k, _ in inv.extra].count("spdx3:Annotation") == 4


@pytest.mark.parametrize("rel", [*EXAMPLES, "ntia", "profiles"], ids=lambda r: r.split("/")[-1])
def test_example_round_trip(rel: str, epoch: str) -> None:
    if rel == "ntia":
        data = _ntia_sbom().read_bytes()
    elif rel == "profiles":
        data = (FIXTURES / "profiles" / "sbom.spdx3.json").read_bytes()
    else:
        data = shared_data(rel).read_bytes()
    first = read(data)
    written = write(first)
    second = read(written)
    assert second.diagnostics == ()
    expected = as_written(first)
    meta = replace(
        expected.metadata,
        name=first.metadata.name
        or (first.metadata.primary.name if first.metadata.primary else "sbom"),
        document_id=second.metadata.document_id,
        data_license="CC0-1.0",
    )
    assert second == replace(expected, metadata=meta)
    assert write(second) == written


# -- the profiles fixture: what the model cannot hold travels in extra -----------------


def test_profiles_fixture_maps_scopes_and_keeps_the_rest() -> None:
    inv = read((FIXTURES / "profiles" / "sbom.spdx3.json").read_bytes(), "sbom.spdx3.json")
    assert inv.diagnostics == ()
    assert inv.dependencies == (
        Dependency(":basket-classifier@3", "pkg:pypi/shop@1.2.0", "OPTIONAL_DEPENDENCY_OF"),
        Dependency("pkg:pypi/pytest@8.3.4", "pkg:pypi/shop@1.2.0", "DEV_DEPENDENCY_OF"),
        Dependency("pkg:pypi/shop@1.2.0", ":shop/main.py@", "CONTAINS"),
        Dependency("pkg:pypi/shop@1.2.0", "pkg:pypi/pytest@8.3.4", "DEPENDS_ON"),
        Dependency("pkg:pypi/shop@1.2.0", "pkg:pypi/requests@2.32.3", "DEPENDS_ON"),
    )
    comps = {c.name: c for c in inv.components}
    assert comps["basket-classifier"].type is ComponentType.MACHINE_LEARNING_MODEL
    assert comps["basket-classifier"].supplier == "ACME Analytics"
    assert comps["basket-classifier"].extra == (
        ("spdx3:type", '"ai_AIPackage"'),
        ("spdx3:ai_typeOfModel", '["random forest"]'),
    )
    assert comps["baskets-2024"].type is ComponentType.DATA
    assert comps["shop/main.py"].type is ComponentType.FILE
    assert comps["requests"].extra == (
        (
            "spdx3:verifiedUsing",
            '[{"algorithm":"md4","hashValue":"31d6cfe0d16ae931b73c59d7e0c089c0","type":"Hash"}]',
        ),
        (
            "spdx3:Annotation",
            '{"annotationType":"review","spdxId":"https://example.com/shop#review",'
            '"statement":"Reviewed by the security team."}',
        ),
    )
    assert [k for k, _ in inv.extra] == [
        "spdx3:import",
        "spdx3:namespaceMap",
        "spdx3:software_Snippet",
        "spdx3:Relationship",
        "spdx3:Relationship",
        "spdx3:security_Vulnerability",
        "spdx3:security_VexAffectedVulnAssessmentRelationship",
    ]
    vex = json.loads(inv.extra[-1][1])
    assert vex["to"] == ["urn:sbomkit:ref:pkg:pypi/requests@2.32.3"]
    primary = inv.metadata.primary
    assert primary is not None and primary.extra == (("spdx3:builtTime", '"2025-06-01T11:00:00Z"'),)
    assert inv.metadata.authors == ("Alice Example <alice@example.com>",)
    assert inv.metadata.lifecycle == "build"


def test_profiles_fixture_is_written_back_valid_and_linked(epoch: str) -> None:
    inv = read((FIXTURES / "profiles" / "sbom.spdx3.json").read_bytes())
    data = write(inv)
    validate_spdx3(data)
    elements = json.loads(data)["@graph"]
    ids = {e.get("spdxId"): e for e in elements}
    vex = next(e for e in elements if e["type"] == "security_VexAffectedVulnAssessmentRelationship")
    assert ids[vex["to"][0]]["name"] == "requests"
    snippet = next(e for e in elements if e["type"] == "software_Snippet")
    assert ids[snippet["software_snippetFromFile"]]["name"] == "shop/main.py"
    note = next(e for e in elements if e["type"] == "Annotation")
    assert ids[note["subject"]]["name"] == "requests"
    classifier = by_name(elements, "ai_AIPackage")["basket-classifier"]
    assert classifier["ai_typeOfModel"] == ["random forest"]
    doc = next(e for e in elements if e["type"] == "SpdxDocument")
    assert doc["import"] == [
        {"externalSpdxId": "https://example.com/base#image", "type": "ExternalMap"}
    ]


def test_expanded_type_names(epoch: str) -> None:
    inv = read((FIXTURES / "expanded-types" / "sbom.spdx3.json").read_bytes())
    assert inv.diagnostics == ()
    assert [c.ref for c in inv.components] == ["pkg:npm/app@1.0.0", "pkg:npm/left-pad@1.3.0"]
    assert inv.dependencies == (Dependency("pkg:npm/app@1.0.0", "pkg:npm/left-pad@1.3.0"),)
    assert inv.metadata.authors == ("Me",)


# -- sad paths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "code", "message"),
    [
        pytest.param(
            "not-json",
            Msg.WRONG_FORMAT,
            "not-json/sbom.spdx3.json: not a file of the expected format (invalid JSON: ",
            id="not-json",
        ),
        pytest.param(
            "no-graph",
            Msg.WRONG_FORMAT,
            "no-graph/sbom.spdx3.json: not a file of the expected format (@graph is missing or "
            "not an array (SPDX 3 JSON-LD lists its elements there))",
            id="no-graph",
        ),
        pytest.param(
            "unsupported-version",
            Msg.UNSUPPORTED_VERSION,
            "unsupported-version/sbom.spdx3.json: unsupported format version (@graph[0]: "
            "CreationInfo specVersion '3.1.0'; supported: 3.0.0, 3.0.1)",
            id="unsupported-version",
        ),
    ],
)
def test_unusable_documents(case: str, code: Msg, message: str) -> None:
    rel = f"{case}/sbom.spdx3.json"
    with pytest.raises(FormatError) as info:
        read((FIXTURES / rel).read_bytes(), rel)
    assert info.value.code is code
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("case", "problem", "refs"),
    [
        pytest.param(
            "no-spdxid",
            (Msg.INVALID_ENTRY, "@graph[2] (software_Package): spdxId: missing"),
            ["pkg:npm/left-pad@1.3.0"],
            id="no-spdxid",
        ),
        pytest.param(
            "unknown-element",
            (
                Msg.UNKNOWN_DEPENDENCY,
                "https://example.com/doc#deps: to: 'https://example.com/doc#missing' "
                "is not in @graph or imported",
            ),
            ["pkg:npm/app@1.0.0", "pkg:npm/left-pad@1.3.0"],
            id="unknown-element",
        ),
        pytest.param(
            "bad-purl",
            (
                Msg.INVALID_ENTRY,
                "https://example.com/doc#broken: software_packageUrl: purl 'npm/broken@2.0': "
                "purl is missing the required \"pkg\" scheme component: 'npm/broken@2.0'.",
            ),
            [":broken@2.0"],
            id="bad-purl",
        ),
    ],
)
def test_bad_entries_are_diagnostics(case: str, problem: tuple[Msg, str], refs: list[str]) -> None:
    rel = f"{case}/sbom.spdx3.json"
    inv = read((FIXTURES / rel).read_bytes(), rel)
    assert [(d.code, str(d.location), d.detail) for d in inv.diagnostics] == [
        (*problem[:1], rel, problem[1])
    ]
    assert [c.ref for c in inv.components] == refs


def test_relationship_to_unknown_element_keeps_the_known_target() -> None:
    inv = read((FIXTURES / "unknown-element" / "sbom.spdx3.json").read_bytes())
    assert inv.dependencies == (Dependency("pkg:npm/app@1.0.0", "pkg:npm/left-pad@1.3.0"),)


def test_bad_purl_keeps_the_package_without_one() -> None:
    inv = read((FIXTURES / "bad-purl" / "sbom.spdx3.json").read_bytes())
    (broken,) = inv.components
    assert (broken.name, broken.version, broken.purl, broken.ecosystem) == (
        "broken",
        "2.0",
        None,
        "",
    )

"""SPDX 2.x read -> write (JSON, tag-value) -> read gives the same inventory.

Compared: every component field, the dependencies, the primary, the document name,
namespace, authors and data license, and the document extras. Not compared: the timestamp
and the tools (the writer adds sbomkit and, without SOURCE_DATE_EPOCH, could stamp a new
time) and the spec (SPDX 2.2 documents are written as 2.3).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from formats.test_spdx2_reader import VALID, read
from testkit import REPO, shared_data

from sbomkit.formats.interface import Writer
from sbomkit.formats.readers import get_reader
from sbomkit.formats.spdx2 import Spdx2JsonWriter, Spdx2TagValueWriter, build_document
from sbomkit.identity import make_component
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    ExternalRef,
    Hash,
    Inventory,
    License,
    Metadata,
    Scope,
)

Validate = Callable[[str, str, bytes], None]
WRITERS: dict[str, Writer] = {"spdx-json": Spdx2JsonWriter(), "spdx-tv": Spdx2TagValueWriter()}
GOLDENS = sorted(
    p.relative_to(REPO).as_posix() for p in (REPO / "tests/goldens").rglob("*.spdx.json")
)
# Known losses, each with its reason.
LOSSY = {
    ("spdx-tools-python/tests/spdx/data/ControlCharacters.spdx.json", "spdx-tv"): (
        "a creator holds a form feed; a tag-value line cannot, it becomes a space"
    ),
}


def comparable(inv: Inventory) -> tuple[object, ...]:
    m = inv.metadata
    return (
        sorted(inv.components, key=lambda c: (c.ref, repr(c))),
        [c.ref for c in sorted(inv.components, key=lambda c: (c.ref, repr(c)))],
        inv.dependencies,
        m.primary,
        m.primary.ref if m.primary else None,
        (m.name, m.document_id, m.authors, m.data_license),
        inv.extra,
    )


def round_trip(inv: Inventory, fmt: str) -> Inventory:
    return get_reader(fmt).read(WRITERS[fmt].write(inv), f"again.{fmt}")


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@pytest.mark.parametrize(("rel", "reader"), VALID, ids=[p for p, _ in VALID])
def test_documents_round_trip(rel: str, reader: str, fmt: str) -> None:
    first = read(shared_data(rel), reader)
    again = round_trip(first, fmt)
    assert again.diagnostics == ()
    if (rel, fmt) in LOSSY:
        assert comparable(again) != comparable(first), f"no longer lossy: {LOSSY[rel, fmt]}"
        return
    assert comparable(again) == comparable(first)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@pytest.mark.parametrize("rel", GOLDENS)
def test_goldens_round_trip(rel: str, fmt: str) -> None:
    first = read(REPO / rel, "spdx-json")
    assert first.diagnostics == ()
    assert comparable(round_trip(first, fmt)) == comparable(first)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_spec_example_is_written_valid(fmt: str, validate: Validate) -> None:
    example = shared_data("spdx-spec", "v2.3.1", "examples", "SPDXJSONExample-v2.3.spdx.json")
    validate(fmt, "2.3", WRITERS[fmt].write(read(example, "spdx-json")))


def new_fields_inventory() -> Inventory:
    app = make_component("npm", "app", "1.0.0", type=ComponentType.APPLICATION)
    model = make_component(
        "pypi",
        "tiny-model",
        "0.1",
        type=ComponentType.MACHINE_LEARNING_MODEL,
        cpes=("cpe:2.3:a:acme:tiny-model:0.1:*:*:*:*:*:*:*",),
        external_refs=(ExternalRef("website", "https://acme.example/model", "home"),),
        copyright="Copyright 2026 ACME",
        licenses=(License("MIT", True), License("Apache-2.0 OR MIT", True, concluded=True)),
        scope=Scope.OPTIONAL,
    )
    readme = Component(
        name="README.md",
        version=None,
        ecosystem="",
        type=ComponentType.FILE,
        hashes=(Hash("SHA-1", "d6a770ba38583ed4bb4525bd96e50461655d2758"),),
        licenses=(License("MIT", True),),
        copyright="NOASSERTION",
        ref="readme",
    )
    return Inventory(
        components=(model, readme),
        dependencies=(
            Dependency(app.ref, model.ref, "DEV_DEPENDENCY_OF"),
            Dependency(app.ref, "readme", "CONTAINS"),
            Dependency(app.ref, model.ref),
        ),
        metadata=Metadata(
            primary=app,
            timestamp="2026-01-01T00:00:00Z",
            name="new-fields",
            document_id="https://acme.example/spdx/new-fields-1",
        ),
    )


def test_new_fields_are_written(validate: Validate) -> None:
    inv = new_fields_inventory()
    doc = build_document(inv)
    assert doc["name"] == "new-fields"
    assert doc["documentNamespace"] == "https://acme.example/spdx/new-fields-1"
    app, model = doc["packages"]
    assert app["filesAnalyzed"] is True  # it contains a file
    assert model["primaryPackagePurpose"] == "OTHER"
    assert model["comment"] == "sbomkit:scope=optional\nsbomkit:type=machine-learning-model"
    assert model["copyrightText"] == "Copyright 2026 ACME"
    assert (model["licenseDeclared"], model["licenseConcluded"]) == ("MIT", "Apache-2.0 OR MIT")
    assert model["externalRefs"][1:] == [
        {
            "referenceCategory": "SECURITY",
            "referenceType": "cpe23Type",
            "referenceLocator": "cpe:2.3:a:acme:tiny-model:0.1:*:*:*:*:*:*:*",
        },
        {
            "referenceCategory": "OTHER",
            "referenceType": "website",
            "referenceLocator": "https://acme.example/model",
            "comment": "home",
        },
    ]
    (readme,) = doc["files"]
    assert readme["fileName"] == "README.md"
    assert readme["licenseInfoInFiles"] == ["MIT"]
    ids = {p["name"]: p["SPDXID"] for p in doc["packages"]} | {"README.md": readme["SPDXID"]}
    assert [
        (r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
        for r in doc["relationships"]
    ] == [
        ("SPDXRef-DOCUMENT", "DESCRIBES", ids["app"]),
        (ids["app"], "DEPENDS_ON", ids["tiny-model"]),
        (ids["app"], "DEV_DEPENDENCY_OF", ids["tiny-model"]),
        (ids["app"], "CONTAINS", ids["README.md"]),
    ]
    for fmt, writer in WRITERS.items():
        data = writer.write(inv)
        validate(fmt, "2.3", data)
        again = get_reader(fmt).read(data, "doc")
        by_name = {c.name: c for c in again.components}
        assert by_name["tiny-model"].type is ComponentType.MACHINE_LEARNING_MODEL
        assert by_name["tiny-model"].licenses == model_licenses()
        assert by_name["README.md"].type is ComponentType.FILE


def model_licenses() -> tuple[License, ...]:
    return (License("MIT", True), License("Apache-2.0 OR MIT", True, concluded=True))


def test_fixture_round_trips_through_both_formats(tmp_path: Path) -> None:
    first = read(REPO / "tests/testdata/sbom-spdx2/mapping.spdx.json", "spdx-json")
    for fmt in WRITERS:
        assert comparable(round_trip(first, fmt)) == comparable(first)

"""read -> write (same encoding, spec 1.6) -> read gives the same inventory.

Compared: every component field (and ref), the dependency edges, and the metadata fields
the reader maps. Not compared, because the writer sets them anew: tools (sbomkit adds
itself), timestamp (normalized to seconds, UTC) and document_id (kept only when it is a
urn:uuid), spec. A component nested under more than one container can be nested under
only one of them: its other CONTAINS edges come back as DEPENDS_ON (said explicitly below).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from testkit import REPO, shared_data, validate_document

from sbomkit.formats.cyclonedx import CycloneDxJsonWriter, CycloneDxXmlWriter
from sbomkit.formats.cyclonedx_reader import CycloneDxJsonReader, CycloneDxXmlReader
from sbomkit.identity import make_component
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    ExternalRef,
    Inventory,
    License,
    Metadata,
)


def documents() -> list[Path]:
    root = shared_data("cyclonedx-bom-examples")
    found = [p for p in root.rglob("*") if p.suffix in (".json", ".xml")]
    found = [p for p in found if p.name != "bom.1.1.xml"]  # CycloneDX 1.1 is not read
    goldens = [*(REPO / "tests" / "goldens").glob("*/*.cdx*.json")]
    goldens += (REPO / "tests" / "goldens").glob("*/*.cdx*.xml")
    return sorted(found) + sorted(goldens)


def _id(path: Path) -> str:
    return "/".join(path.parts[-3:])


def roundtrip(inventory: Inventory, xml: bool) -> tuple[Inventory, bytes]:
    writer = CycloneDxXmlWriter() if xml else CycloneDxJsonWriter()
    reader = CycloneDxXmlReader() if xml else CycloneDxJsonReader()
    data = writer.write(inventory)
    return reader.read(data, "again"), data


def comparable(inventory: Inventory) -> dict[str, Any]:
    meta = inventory.metadata
    primary = meta.primary
    return {
        "components": {c.ref: c for c in inventory.components},
        "primary": (primary, primary.ref if primary else None),
        "metadata": (meta.authors, meta.lifecycle, meta.supplier, meta.data_license),
        "extra": dict(inventory.extra),
    }


def expected_edges(inventory: Inventory) -> set[Dependency]:
    containers = Counter(d.target for d in inventory.dependencies if d.kind == "CONTAINS")
    return {
        Dependency(d.source, d.target) if containers[d.target] > 1 else d
        for d in inventory.dependencies
    }


@pytest.mark.parametrize("path", documents(), ids=_id)
def test_read_write_read_is_lossless(path: Path) -> None:
    xml = path.suffix == ".xml"
    reader = CycloneDxXmlReader() if xml else CycloneDxJsonReader()
    first = reader.read(path.read_bytes(), path.name)
    again, _ = roundtrip(first, xml)
    assert again.diagnostics == ()
    assert comparable(again) == comparable(first)
    assert set(again.dependencies) == expected_edges(first)


def _with_new_fields() -> Inventory:
    box = Component(name="firmware-box", version="1", ecosystem="", ref="box")
    lib = make_component(
        "pypi",
        "requests",
        "2.31.0",
        type=ComponentType.SOURCE,
        cpes=("cpe:2.3:a:psf:requests:2.31.0:*:*:*:*:*:*:*", "cpe:/a:psf:requests:2.31.0"),
        copyright="Copyright 2019 Kenneth Reitz",
        licenses=(License("Apache-2.0", True), License("MIT OR Apache-2.0", True, True)),
        external_refs=(
            ExternalRef("issue-tracker", "https://github.com/psf/requests/issues", "bugs"),
        ),
        extra=(
            ("cyclonedx:publisher", '"PSF"'),
            ("cyclonedx-xml:publisher", "<publisher>PSF</publisher>"),
        ),
    )
    return Inventory(
        components=(box, lib),
        dependencies=(Dependency("box", lib.ref, "CONTAINS"),),
        metadata=Metadata(
            timestamp="2026-01-01T00:00:00Z",
            supplier="ACME",
            data_license="CC0-1.0",
            document_id="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        ),
        extra=(
            ("cyclonedx:services", '[{"name":"api"}]'),
            ("cyclonedx-xml:services", "<services><service><name>api</name></service></services>"),
        ),
    )


def _keep(extra: tuple[tuple[str, str], ...], lost: str) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in extra if not k.startswith(lost))


@pytest.mark.parametrize("xml", [False, True], ids=["json", "xml"])
def test_new_model_fields_survive_and_stay_valid(xml: bool, tmp_path: Path) -> None:
    original = _with_new_fields()
    again, data = roundtrip(original, xml)
    validate_document("cyclonedx-xml" if xml else "cyclonedx-json", "1.6", data, tmp_path)
    # Each writer puts back only its own encoding's extras; the other ones are lost.
    lost = "cyclonedx:" if xml else "cyclonedx-xml:"
    expected = replace(
        original,
        components=tuple(replace(c, extra=_keep(c.extra, lost)) for c in original.components),
        extra=_keep(original.extra, lost),
    )
    assert comparable(again) == comparable(expected)
    assert set(again.dependencies) == set(original.dependencies)
    assert again.metadata.document_id == "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    text = data.decode()
    assert ("<publisher>PSF</publisher>" in text) is xml
    assert ('"publisher": "PSF"' in text) is not xml


def test_concluded_licenses_are_properties_in_1_5(tmp_path: Path) -> None:
    original = _with_new_fields()
    data = CycloneDxJsonWriter("1.5").write(original)
    validate_document("cyclonedx-json", "1.5", data, tmp_path)
    again = CycloneDxJsonReader().read(data, "again")
    lib = {c.ref: c for c in again.components}["pkg:pypi/requests@2.31.0"]
    assert lib.licenses == (License("Apache-2.0", True), License("MIT OR Apache-2.0", True, True))
    assert b'"name": "sbomkit:concluded-license",\n' in data

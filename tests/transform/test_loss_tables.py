"""The loss tables agree with what the writers really write.

One probe inventory sets every field the tables know with a value found nowhere else; each
writer writes it, and the text shows whether a field came out as itself, in a weaker form,
or not at all. When a writer starts or stops writing something, a test here fails: update
``TABLES`` in sbomkit/transform/loss.py together with the writer.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from testkit import validate_document

from sbomkit.formats.registry import WRITERS, get_writer
from sbomkit.identity import make_component
from sbomkit.model import (
    ComponentType,
    Dependency,
    ExternalRef,
    Hash,
    Inventory,
    License,
    Location,
    Metadata,
    Scope,
)
from sbomkit.transform.loss import COMPONENT_FIELDS, METADATA_FIELDS, TABLES, Fate, capabilities

WRITER_SPECS = sorted((name, spec) for name, w in WRITERS.items() for spec in w.specs)
EXTRA_FORMATS = ("cyclonedx", "cyclonedx-xml", "spdx", "spdx3")

# field -> (present: regex found when the value is written in any form,
#           degraded: regex found only when it is written in a weaker form)
PROBES: dict[str, tuple[str, str]] = {
    "cpes": (r"cpe:2\.3:a:probe:cpe-probe", r"sbomkit:cpe"),
    "copyright": (r"Probe Copyright Holder", r"sbomkit:copyright"),
    "external_refs": (r"docs\.probe-external\.example", r"sbomkit:external-ref"),
    "found_by": (r"found-by-probe", r"found-by=found-by-probe"),
    "hashes.invalid": (r"not-hex-probe", r"sbomkit:hash"),
    "licenses.concluded": (
        r"Zlib",
        r"^(?!.*(acknowledgement\W{1,4}concluded|licenseConcluded\W{1,4}Zlib|hasConcludedLicense))",
    ),
    "locations": (r"probe/location\.lock", r"probe/location\.lock:77"),
    "properties": (r"property-probe-value", r"probe:property=property-probe-value"),
    "scope": (r"scope\W+(\w+\W+)?optional", r"sbomkit:scope\W+(\w+\W+)?optional"),
    "metadata.name": (r"probe-document-name", r"sbomkit:document-name"),
    "metadata.supplier": (r"Probe Metadata Supplier", r"sbomkit:supplier"),
    "metadata.lifecycle": (r"probe-lifecycle", r"sbomkit:lifecycle"),
    "metadata.data_license": (r"CC-BY-4\.0", r"sbomkit:data-license"),
}


def extra_probe(fmt: str, where: str) -> tuple[str, str]:
    """An extra entry as the reader of ``fmt`` keeps it: XML text or JSON text."""
    text = f"{where}-extra-probe-{fmt}-end"
    if fmt == "spdx":  # fields both SPDX 2 encodings have: package summary, document comment
        return ("spdx:summary" if where == "component" else "spdx:comment"), f'"{text}"'
    return f"{fmt}:probe", f"<probe>{text}</probe>" if fmt.endswith("xml") else f'"{text}"'


def probe_inventory() -> Inventory:
    primary = make_component("generic", "probe-product", "1", type=ComponentType.APPLICATION)
    other = make_component("npm", "probe-target", "1")
    probe = make_component(
        "npm",
        "probe",
        "1",
        licenses=(License("MIT", True), License("Zlib", True, concluded=True)),
        hashes=(Hash("SHA-256", "not-hex-probe"),),
        scope=Scope.OPTIONAL,
        locations=(Location("probe/location.lock", 77),),
        found_by=("found-by-probe",),
        properties=(("probe:property", "property-probe-value"),),
        cpes=("cpe:2.3:a:probe:cpe-probe:1:*:*:*:*:*:*:*",),
        copyright="Copyright 2026 Probe Copyright Holder",
        external_refs=(ExternalRef("documentation", "https://docs.probe-external.example/"),),
        extra=tuple(extra_probe(f, "component") for f in EXTRA_FORMATS),
    )
    return Inventory(
        components=(probe, other),
        dependencies=(Dependency(primary.ref, probe.ref), Dependency(probe.ref, other.ref)),
        metadata=Metadata(
            primary=primary,
            timestamp="2026-01-01T00:00:00Z",
            lifecycle="probe-lifecycle",
            name="probe-document-name",
            supplier="Probe Metadata Supplier",
            data_license="CC-BY-4.0",
        ),
        extra=tuple(extra_probe(f, "inventory") for f in EXTRA_FORMATS),
    )


def written(name: str, spec: str, inventory: Inventory) -> str:
    return get_writer(name, spec).write(inventory).decode("utf-8")


def observed(text: str, field: str) -> Fate | None | str:
    """None: written as itself; "weaker": in another form; Fate.DROPPED: not at all."""
    present, degraded = PROBES[field]
    if not re.search(present, text):
        return Fate.DROPPED
    return "weaker" if re.search(degraded, text, re.DOTALL | re.IGNORECASE) else None


def expected(fate: Fate | None) -> Fate | None | str:
    return fate if fate in (None, Fate.DROPPED) else "weaker"


def test_every_writer_and_spec_has_a_table() -> None:
    assert sorted(TABLES) == WRITER_SPECS


def test_every_table_field_has_a_probe() -> None:
    assert sorted(PROBES) == sorted({*COMPONENT_FIELDS, *METADATA_FIELDS})


@pytest.mark.parametrize(("name", "spec"), WRITER_SPECS, ids=[f"{n}-{s}" for n, s in WRITER_SPECS])
@pytest.mark.parametrize("field", sorted(PROBES))
def test_field_fate_matches_the_writer(name: str, spec: str, field: str) -> None:
    text = written(name, spec, probe_inventory())
    assert observed(text, field) == expected(capabilities(name, spec).fields.get(field))


@pytest.mark.parametrize(("name", "spec"), WRITER_SPECS, ids=[f"{n}-{s}" for n, s in WRITER_SPECS])
@pytest.mark.parametrize("fmt", EXTRA_FORMATS)
def test_extra_is_written_back_only_for_listed_formats(name: str, spec: str, fmt: str) -> None:
    text = written(name, spec, probe_inventory())
    listed = fmt in capabilities(name, spec).extra_formats
    assert (f"component-extra-probe-{fmt}-end" in text) == listed
    assert (f"inventory-extra-probe-{fmt}-end" in text) == listed


SPDX_KINDS = ("CONTAINS", "GENERATED_FROM", "DEV_DEPENDENCY_OF", "BUILD_TOOL_OF", "DEPENDS_ON")


@pytest.mark.parametrize("kind", SPDX_KINDS)
def test_spdx_relationship_kinds(kind: str) -> None:
    inv = probe_inventory()
    inv = replace(inv, dependencies=(replace(inv.dependencies[1], kind=kind),))
    doc = json.loads(written("spdx-json", "2.3", inv))
    kinds = {r["relationshipType"] for r in doc["relationships"]} - {"DESCRIBES"}
    caps = capabilities("spdx-json", "2.3")
    assert kinds == ({kind} if kind in caps.kinds else {"DEPENDS_ON"})
    assert capabilities("spdx-tv", "2.3").kinds == caps.kinds


@pytest.mark.parametrize("spec", ["1.5", "1.6"])
def test_cyclonedx_contains(spec: str) -> None:
    inv = probe_inventory()
    inv = replace(inv, dependencies=(replace(inv.dependencies[1], kind="CONTAINS"),))
    doc = json.loads(written("cyclonedx-json", spec, inv))
    nested = [c for c in doc["components"] if "components" in c]
    deps = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
    contains = "CONTAINS" in capabilities("cyclonedx-json", spec).kinds
    if contains:  # the one container nests its child
        assert [c["bom-ref"] for c in nested] == ["pkg:npm/probe@1"]
        assert deps["pkg:npm/probe@1"] == []
    else:
        assert (nested, deps["pkg:npm/probe@1"]) == ([], ["pkg:npm/probe-target@1"])
    assert capabilities("cyclonedx-xml", spec).kinds == capabilities("cyclonedx-json", spec).kinds


JSON_WRITERS = [("cyclonedx-json", "1.5"), ("cyclonedx-json", "1.6"), ("spdx-json", "2.3")]


@pytest.mark.parametrize(("name", "spec"), JSON_WRITERS, ids=[f"{n}-{s}" for n, s in JSON_WRITERS])
@pytest.mark.parametrize("ctype", list(ComponentType), ids=[t.value for t in ComponentType])
def test_component_type_is_expressible(
    tmp_path: Path, name: str, spec: str, ctype: ComponentType
) -> None:
    """A listed type comes out valid and spelled; a type kept in another form comes out valid
    with its name somewhere; any other makes no valid document."""
    comp = make_component("npm", "typed", "1", type=ctype)
    data = get_writer(name, spec).write(Inventory(components=(comp,)))
    spelled = ctype.value.upper().replace("-", "_") if name.startswith("spdx") else ctype.value
    try:
        validate_document(name, spec, data, tmp_path)
        valid = True
    except AssertionError:
        valid = False
    caps = capabilities(name, spec)
    if ctype in caps.types:
        assert valid and re.search(rf'"(type|primaryPackagePurpose)": "{spelled}"', data.decode())
    elif ctype in caps.other_types:
        assert valid and ctype.value in data.decode()
    else:
        assert not valid
    sibling = name.replace("-json", "-xml" if name.startswith("cyclonedx") else "-tv")
    assert capabilities(sibling, spec).types == caps.types
    assert capabilities(sibling, spec).other_types == caps.other_types

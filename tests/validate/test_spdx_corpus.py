"""SPDX examples from the spec, spdx-examples and spdx-tools against the official schemas."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import REPO, shared_data

from sbomkit.validate import validate_file


def _spdx2_examples() -> list[Path]:
    examples = shared_data("spdx-examples")
    found = [
        *examples.glob("software/*/spdx2.*/*.json"),
        *examples.glob("software/*/spdx2.*/*.spdx"),
        *examples.glob("software/*/content/*.spdx.json"),
        *examples.glob("presentations/*/*/*.json"),
        *examples.glob("presentations/*/*.spdx.json"),
    ]
    spec = shared_data("spdx-spec", "v2.3.1", "examples")
    found += [spec / n for n in ("SPDXJSONExample-v2.3.spdx.json", "SPDXYAMLExample-2.3.spdx.yaml")]
    found.append(spec / "SPDXTagExample-v2.3.spdx")
    tools = shared_data("spdx-tools-python", "tests", "spdx")
    found += [p for p in (tools / "data").iterdir() if p.suffix in (".json", ".yaml", ".spdx")]
    # The JSON writer's expected output uses the 2.3.1 schema's PACKAGE_MANAGER spelling,
    # which `schemas import` picks (the later revision) over the 2.3 tag's schema. (The
    # tag-value one is a template: its SPDXVersion is the word "spdxVersion".)
    found.append(tools / "writer" / "json" / "expected_results" / "expected.json")
    return sorted(found)


def _id(path: Path) -> str:
    return str(path.relative_to(REPO.parent / "shared" / "data"))


@pytest.mark.parametrize("path", _spdx2_examples(), ids=_id)
def test_spdx2_examples_validate(path: Path) -> None:
    result = validate_file(path)
    assert result.error is None, result.error
    assert [(p.pointer, p.message) for p in result.problems] == []
    assert result.spec in ("2.2", "2.3")


def test_spdx_tools_invalid_document_is_rejected() -> None:
    # trivy output claiming SPDX 2.2 without the fields 2.2 requires. spdx-tools' other
    # "invalid" data (tests/spdx/parser/rdf/data/invalid_documents) is RDF/XML, which we
    # do not read; those are semantically invalid, which no JSON schema could tell anyway.
    path = next(shared_data("spdx-tools-python", "tests", "spdx", "data", "invalid").iterdir())
    result = validate_file(path)
    assert (result.spec, result.total, len(result.problems), result.more) == (
        "2.2",
        1399,
        100,
        1299,
    )
    assert (result.problems[0].pointer, result.problems[0].message) == (
        "/packages/513",
        "'copyrightText' is a required property",
    )


# Every SPDX 3 JSON-LD document of the shared data (checked element by element).
SPDX3 = sorted(
    tuple(p.relative_to(shared_data()).parts)
    for p in shared_data("spdx-examples").rglob("*.json")
    if "spdx3" in p.parent.name or p.name.endswith(".spdx3.json")
)


@pytest.mark.parametrize("parts", SPDX3, ids=lambda p: p[-1])
def test_spdx3_examples_validate(parts: tuple[str, ...]) -> None:
    result = validate_file(shared_data(*parts))
    assert (result.fmt, result.spec, result.error) == ("spdx3-jsonld", "3.0.1", None)
    assert [(p.pointer, p.message) for p in result.problems] == []


def test_spdx3_invalid_elements_are_named(tmp_path: Path) -> None:
    import json

    doc = json.loads(shared_data(*SPDX3[0]).read_text(encoding="utf-8"))
    graph = doc["@graph"]
    package = next(i for i, e in enumerate(graph) if e.get("type") == "software_Package")
    graph[package]["software_packageVersion"] = 5
    graph.append({"type": "software_Pakage", "spdxId": "urn:x"})
    bad = tmp_path / "bad.spdx3.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    result = validate_file(bad, "bad.spdx3.json")
    assert [(p.pointer, p.message) for p in result.problems] == [
        # A property that fails its type is not "evaluated", which is how the 2020-12
        # schema words it; the message still names the field.
        (
            f"/@graph/{package}",
            "Unevaluated properties are not allowed ('creationInfo', 'name', 'originatedBy', "
            "'software_downloadLocation', 'software_packageVersion' were unexpected)",
        ),
        (f"/@graph/{package}/software_packageVersion", "5 is not of type 'string'"),
        (f"/@graph/{len(graph) - 1}/type", "unknown element type 'software_Pakage'"),
    ]

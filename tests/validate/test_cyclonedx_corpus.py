"""The official CycloneDX conformance files: valid-* pass, invalid-* fail at the right field."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import shared_data

from sbomkit.validate import validate_file

SPECS = ("1.2", "1.3", "1.4", "1.5", "1.6")


def _corpus(prefix: str) -> list[Path]:
    root = shared_data("cyclonedx-specification", "tools", "src", "test", "resources")
    return sorted(
        path
        for spec in SPECS
        for path in (root / spec).glob(f"{prefix}-*")
        if path.suffix in (".json", ".xml")
    )


def _id(path: Path) -> str:
    return path.name


@pytest.mark.parametrize("path", _corpus("valid"), ids=_id)
def test_valid_files_pass(path: Path) -> None:
    result = validate_file(path)
    assert result.error is None
    assert [p.text("en") for p in result.problems] == []
    assert result.valid


@pytest.mark.parametrize("path", _corpus("invalid"), ids=_id)
def test_invalid_files_fail_with_a_problem(path: Path) -> None:
    result = validate_file(path)
    assert result.error is None
    assert not result.valid
    assert result.problems
    assert all(p.text("en") for p in result.problems)


# file -> (JSON pointer of the first problem, words its message contains)
POINTERS = {
    "invalid-bomformat-1.6.json": ("/bomFormat", "'AnotherFormat' is not one of ['CycloneDX']"),
    "invalid-component-ref-1.6.json": ("/components/1/bom-ref", "'' should be non-empty"),
    "invalid-component-swid-1.6.json": ("/components/0/swid", "'tagId' is a required property"),
    "invalid-component-type-1.6.json": ("/components/0/type", "'foo' is not one of ['application'"),
    "invalid-dependency-1.6.json": ("/dependencies/0", "'ref' is a required property"),
    "invalid-empty-component-1.6.json": ("/components/0", "'name' is a required property"),
    "invalid-hash-alg-1.6.json": ("/components/0/hashes/0/alg", "'FOO' is not one of"),
    "invalid-hash-md5-1.6.json": ("/components/0/hashes/0/content", "'foo' does not match"),
    "invalid-license-encoding-1.6.json": (
        "/components/0/licenses/0/license/text/encoding",
        "'base85' is not one of ['base64']",
    ),
    "invalid-license-id-1.6.json": (
        "/components/0/licenses/0/license/id",
        "'Apache-2' is not one of",
    ),
    "invalid-metadata-timestamp-1.6.json": (
        "/metadata/timestamp",
        "'2020-04-13' is not a 'date-time'",
    ),
    "invalid-scope-1.6.json": ("/components/0/scope", "'foo' is not one of ['required'"),
    "invalid-serialnumber-1.6.json": ("/serialNumber", "does not match '^urn:uuid:"),
    "invalid-service-data-1.6.json": ("/services/0/data/0/flow", "'bar' is not one of ['inbound'"),
    "invalid-scope-1.2.json": ("/components/0/scope", "'foo' is not one of ['required'"),
}


@pytest.mark.parametrize(("name", "expected"), sorted(POINTERS.items()))
def test_invalid_json_names_the_field(name: str, expected: tuple[str, str]) -> None:
    spec = name.rsplit("-", 1)[1].removesuffix(".json")
    path = shared_data("cyclonedx-specification", "tools", "src", "test", "resources", spec, name)
    first = validate_file(path).problems[0]
    assert (first.pointer, first.line) == (expected[0], None)
    assert expected[1] in first.message


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        (
            "invalid-component-type-1.6.xml",
            4,
            "attribute 'type': [facet 'enumeration'] The value 'foo'",
        ),
        ("invalid-missing-component-type-1.6.xml", 4, "The attribute 'type' is required"),
        ("invalid-metadata-timestamp-1.6.xml", 4, "'2020-04-07' is not a valid value"),
    ],
)
def test_invalid_xml_names_line_and_field(name: str, line: int, words: str) -> None:
    path = shared_data("cyclonedx-specification", "tools", "src", "test", "resources", "1.6", name)
    first = validate_file(path).problems[0]
    assert (first.pointer, first.line) == (None, line)
    assert words in first.message


def test_wrong_namespace_is_a_version_without_schema() -> None:
    path = shared_data(
        "cyclonedx-specification",
        "tools",
        "src",
        "test",
        "resources",
        "1.6",
        "invalid-namespace-1.6.xml",
    )
    result = validate_file(path)
    assert (result.spec, [p.text("en") for p in result.problems]) == (
        "12",
        ["no schema for CycloneDX version 12; cannot validate it"],
    )


def test_a_format_only_fastjsonschema_checks_is_the_one_problem() -> None:
    """The OBOM example's one bad URL: jsonschema cannot see it, so the whole document is
    not run through jsonschema (it took 13 s) and the fastjsonschema error is the answer."""
    path = shared_data("cyclonedx-bom-examples", "OBOM", "Example-1-Standalone", "bom.json")
    result = validate_file(path)
    assert (result.spec, result.total) == ("1.4", 1)
    assert [(p.pointer, p.message) for p in result.problems] == [
        (
            "/components/278/licenses/0/license/url",
            "data.components[278].licenses[0].license.url must be iri-reference",
        )
    ]

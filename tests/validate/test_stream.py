"""Validating a streamed JSON SBOM, and reading it in the same pass (issue 4).

With streaming forced (SBOMKIT_STREAM_BYTES=0), validate_file gives every CycloneDX and
SPDX example exactly the result it gives when reading the file whole: the same problems
with the same JSON pointers, in the same order. load_and_validate gives what validate_file
and read_sbom give apart, either way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from testkit import corpus_json_files, data_id

from sbomkit.errors import SbomkitError
from sbomkit.formats.readers import read_sbom
from sbomkit.validate import load_and_validate, validate_file
from sbomkit.validate import schemas as schema_files
from sbomkit.validate.fastpath import compile_fast
from sbomkit.validate.jsonschema_check import JsonChecker
from sbomkit.validate.result import ValidationResult

WHOLE, STREAM = "999999999999", "0"


def _sboms() -> list[Path]:
    return [
        path
        for path in corpus_json_files()
        if b'"bomFormat"' in (head := path.read_bytes()[:65536]) or b'"spdxVersion"' in head
    ]


SBOMS = _sboms()


def _result(r: ValidationResult) -> tuple[Any, ...]:
    error = None if r.error is None else (type(r.error).__name__, r.error.args)
    return r.file, r.fmt, r.spec, r.problems, r.total, error


def _read(path: Path) -> Any:
    try:
        return read_sbom(path)
    except SbomkitError as e:
        return type(e).__name__, e.args


def _loaded(path: Path) -> tuple[Any, ...]:
    loaded = load_and_validate(path)
    error = None if loaded.error is None else (type(loaded.error).__name__, loaded.error.args)
    return _result(loaded.validation), loaded.inventory if error is None else error


def test_the_corpus_is_there() -> None:
    assert len(SBOMS) > 400


@pytest.mark.parametrize("path", SBOMS, ids=data_id)
def test_streamed_validation_and_reading_match_the_whole_file(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SBOMKIT_STREAM_BYTES", WHOLE)
    expected = _result(validate_file(path))
    inventory = _read(path)
    assert _loaded(path) == (expected, inventory)
    monkeypatch.setenv("SBOMKIT_STREAM_BYTES", STREAM)
    assert _result(validate_file(path)) == expected
    assert _loaded(path) == (expected, inventory)


def _big_bom(n: int) -> dict[str, Any]:
    components = [
        {"type": "library", "bom-ref": f"c{i}", "name": f"pkg{i}", "purl": f"pkg:npm/pkg{i}@1.0.0"}
        for i in range(n)
    ]
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": components,
        "dependencies": [{"ref": f"c{i}", "dependsOn": [f"c{(i + 1) % n}"]} for i in range(n)],
    }


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, str]]:
    found = []
    for mode in (WHOLE, STREAM):
        monkeypatch.setenv("SBOMKIT_STREAM_BYTES", mode)
        loaded = load_and_validate(path)
        assert _result(loaded.validation) == _result(validate_file(path))
        found.append([(p.pointer, p.message) for p in loaded.validation.problems])
    assert found[0] == found[1]
    return found[0]


def test_a_bad_component_deep_in_a_long_array_is_named_by_its_pointer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _big_bom(300)
    doc["components"][123]["purl"] = 5
    doc["dependencies"][250]["dependsOn"] = "c1"
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(doc))
    assert _both(path, monkeypatch) == [  # the best match first, then document order
        ("/dependencies/250/dependsOn", "'c1' is not of type 'array'"),
        ("/components/123/purl", "5 is not of type 'string'"),
    ]


def test_two_equal_components_fail_as_in_the_whole_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _big_bom(250)
    doc["components"][200] = doc["components"][7]
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(doc))
    [(pointer, message)] = _both(path, monkeypatch)
    # "[...] has non-unique elements", cut to its first 240 characters
    assert (pointer, message[:36], message[-3:]) == (
        "/components",
        "[{'type': 'library', 'bom-ref': 'c0'",
        "...",
    )


def test_a_valid_big_document_is_valid_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(_big_bom(250)))
    assert _both(path, monkeypatch) == []
    loaded = load_and_validate(path)
    assert loaded.validation.valid and loaded.inventory is not None
    assert len(loaded.inventory.components) == 250


def test_a_bad_top_level_fails_as_in_the_whole_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _big_bom(10) | {"serialNumber": "nope"}
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(doc))
    [(pointer, message)] = _both(path, monkeypatch)
    assert (pointer, message.split(" does not match ")[0]) == ("/serialNumber", "'nope'")


def test_a_reader_error_keeps_the_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(_big_bom(3) | {"specVersion": "9.9"}))
    for mode in (WHOLE, STREAM):
        monkeypatch.setenv("SBOMKIT_STREAM_BYTES", mode)
        loaded = load_and_validate(path)
        assert loaded.inventory is None and loaded.error is not None
        assert str(loaded.error) == (
            f"{path}: unsupported format version"
            " (specVersion '9.9'; supported: 1.2, 1.3, 1.4, 1.5, 1.6)"
        )
        assert [p.text("en") for p in loaded.validation.problems] == [
            "no schema for CycloneDX version 9.9; cannot validate it"
        ]


@pytest.mark.parametrize(
    ("root", "items"),
    [
        pytest.param({"allOf": [{"required": ["a"]}]}, {"type": "array", "items": {}}, id="allOf"),
        pytest.param({}, {"type": "array", "items": {}, "minItems": 1}, id="minItems"),
        pytest.param({}, {"type": "array", "items": [{}]}, id="tuple-items"),
    ],
)
def test_a_schema_that_checks_arrays_as_a_whole_is_not_streamed(
    root: dict[str, Any], items: dict[str, Any], tmp_path: Path
) -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"components": items},
    } | root
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema))
    assert JsonChecker(path).array_items("components") is None


def test_array_items_check_one_item_of_a_top_level_array(tmp_path: Path) -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["a"],
        "additionalProperties": False,
        "properties": {
            "a": {"type": "string"},
            "c": {"type": "array", "items": {"$ref": "#/definitions/c"}, "uniqueItems": True},
        },
        "definitions": {"c": {"type": "object", "required": ["name"]}},
    }
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema))
    items = JsonChecker(path).array_items("c")
    assert items is not None and items.unique
    assert (items.passes({"name": "x"}), items.passes({}), items.passes(3)) == (True, False, False)


def test_fast_messages_keep_their_words_without_the_schema_literals() -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"a": {"const": "x"}, "b": {"minimum": 3}, "c": {"enum": ["p", "q"]}},
    }
    check = compile_fast(schema, lambda uri: {})
    for doc, message in [
        ({"a": "y"}, "data.a must be same as const definition: x"),
        ({"b": 1}, "data.b must be bigger than or equal to 3"),
        ({"c": "r"}, "data.c must be one of ['p', 'q']"),
    ]:
        with pytest.raises(fastjsonschema.JsonSchemaValueException) as e:
            check(doc)
        assert (e.value.message, e.value.path) == (message, ["data", *doc])


def test_cyclonedx_schema_compiles_small() -> None:
    """The generated code without each subschema's literal: 0.7 MB, not 6.7 MB (250 MB to
    compile)."""
    from sbomkit.validate import fastpath

    sizes: list[int] = []
    generate = fastpath._generate

    def measured(*args: Any) -> str:
        code = generate(*args)
        sizes.append(len(code))
        return code

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fastpath, "_generate", measured)
        JsonChecker(schema_files.cyclonedx_resource("bom-1.6.SNAPSHOT.schema.json"))
    assert sizes and sizes[0] < 1_000_000

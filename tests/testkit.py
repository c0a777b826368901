"""Paths and helpers shared by tests (import as ``from testkit import ...``)."""

from __future__ import annotations

import contextlib
import json
import tempfile
from functools import cache
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from cyclonedx.validation.xml import XmlValidator
from hypothesis import strategies as st
from jsonschema import Draft7Validator
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from sbomkit.catalog.interface import Cataloger, CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Component

REPO = Path(__file__).resolve().parent.parent
TESTDATA = REPO / "tests" / "testdata"
SHARED_DATA = REPO.parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    """A path inside ../shared/data; fails the test (never skips) when it is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"test data missing: {path} (check out ../shared next to the repo)")
    return path


# The folders of ../shared/data that hold real and specification SBOMs.
SBOM_CORPORA = (
    ("cyclonedx-bom-examples",),
    ("cyclonedx-specification", "tools", "src", "test", "resources"),
    ("spdx-examples",),
    ("spdx-spec",),
    ("spdx-tools-python",),
)


def corpus_json_files() -> list[Path]:
    """Every .json file of the SBOM corpora, in a stable order."""
    return [p for parts in SBOM_CORPORA for p in sorted(shared_data(*parts).rglob("*.json"))]


def data_id(path: Path) -> str:
    """A test id: the path below ../shared/data."""
    return str(path.relative_to(shared_data()))


_CDX_VERSIONS = {"1.5": SchemaVersion.V1_5, "1.6": SchemaVersion.V1_6}


@cache
def _spdx_schema() -> Draft7Validator:
    path = shared_data("spdx-schemas", "2.3", "spdx-schema.json")
    if not path.is_file():
        pytest.fail(f"SPDX 2.3 JSON schema missing: {path}")
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def validate_document(fmt: str, spec: str, data: bytes, tmp: Path) -> None:
    """Fail with the validator's own words unless ``data`` is a valid ``fmt`` document."""
    text = data.decode("utf-8")
    if fmt == "cyclonedx-json":
        json_error = JsonStrictValidator(_CDX_VERSIONS[spec]).validate_str(text)
        assert json_error is None, f"CycloneDX {spec} JSON invalid: {json_error}"
    elif fmt == "cyclonedx-xml":
        xml_error = XmlValidator(_CDX_VERSIONS[spec]).validate_str(text)
        assert xml_error is None, f"CycloneDX {spec} XML invalid: {xml_error}"
    elif fmt == "spdx-json":
        errors = [e.message for e in _spdx_schema().iter_errors(json.loads(text))]
        assert errors == [], f"SPDX JSON schema: {errors}"
        _validate_spdx(tmp / "doc.spdx.json", data)
    elif fmt == "spdx-tv":
        _validate_spdx(tmp / "doc.spdx", data)
    else:
        pytest.fail(f"no validator for {fmt}")


def _validate_spdx(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    messages = validate_full_spdx_document(parse_file(str(path)))
    assert [m.validation_message for m in messages] == []


def by_ref(result: CatalogResult) -> dict[str, Component]:
    return {c.ref: c for c in result.components}


def edge_set(result: CatalogResult) -> set[tuple[str, str]]:
    return {(d.source, d.target) for d in result.dependencies}


def diagnostic_rows(result: CatalogResult) -> list[tuple[Msg, str, str]]:
    """(code, "file:line", detail) of each diagnostic, for exact assertions."""
    return [(d.code, str(d.location), d.detail) for d in result.diagnostics]


def json_values(
    keys: list[str], extra_scalars: tuple[str, ...] = (), text_size: int = 12
) -> st.SearchStrategy[object]:
    """Random JSON-shaped values whose mapping keys are mostly the format's own."""
    key = st.sampled_from(keys) | st.text(max_size=6)
    scalar = st.none() | st.booleans() | st.integers() | st.text(max_size=text_size)
    if extra_scalars:
        scalar = scalar | st.sampled_from(list(extra_scalars))
    return st.recursive(
        scalar,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(key, inner, max_size=4),
        max_leaves=25,
    )


def survives(
    cataloger: Cataloger, name: str, raw: bytes, siblings: dict[str, bytes] | None = None
) -> None:
    """Catalog ``raw`` written as ``name`` (with sibling files); only CatalogError may escape."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(raw)
        for sibling, data in (siblings or {}).items():
            (Path(d) / sibling).write_bytes(data)
        with contextlib.suppress(CatalogError):
            cataloger.catalog(Source(path, name))

"""Malformed input never crashes: only CatalogError may leave a cataloger.

Hypothesis feeds every registered cataloger random bytes and, more usefully, well-formed
JSON/TOML/YAML documents of random shape, which is where type confusion hides.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.registry import CATALOGERS, CatalogerSpec

FILE_SPECS = [s for s in CATALOGERS if s.files]
DIR_SPECS = [s for s in CATALOGERS if s.dirs]

_keys = st.sampled_from(
    [
        "name",
        "version",
        "packages",
        "package",
        "dependencies",
        "lockfileVersion",
        "default",
        "develop",
        "metadata",
        "files",
        "source",
        "node_modules/a",
        "",
        "requires",
        "dev",
        "integrity",
        "resolved",
        "importers",
        "snapshots",
        "workspaces",
        "groups",
        "sdist",
        "hashes",
        "lock-version",
        "__metadata",
        "a@^1.0.0",
        "/a/1.0.0",
        "a@1.0.0",
    ]
) | st.text(max_size=8)
_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=12)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=5),
    max_leaves=25,
)
_documents = st.dictionaries(_keys, _values, max_size=6)


def _toml_value(v: object) -> str:
    if v is None:
        return '""'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    assert isinstance(v, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"


def _serializations(doc: dict[str, object]) -> list[bytes]:
    toml = "\n".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in doc.items())
    pkgs = doc.get("package")
    if isinstance(pkgs, dict):  # also as an array of tables, the shape lockfiles use
        toml += "\n[[package]]\n" + "\n".join(
            f"{json.dumps(k)} = {_toml_value(v)}" for k, v in pkgs.items()
        )
    return [
        json.dumps(doc).encode(),
        toml.encode(),
        yaml.safe_dump(doc, allow_unicode=True).encode(),
        ("# yarn lockfile v1\n" + yaml.safe_dump(doc)).encode(),
    ]


def _run(spec: CatalogerSpec, path: Path) -> CatalogResult | None:
    try:
        return spec.load().catalog(Source(path, path.name))
    except CatalogError:
        return None


def _file_name(spec: CatalogerSpec) -> str:
    return spec.files[0].replace("*", "x").split("/")[-1]


@pytest.mark.parametrize("spec", FILE_SPECS, ids=lambda s: s.name)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_random_bytes(spec: CatalogerSpec, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / _file_name(spec)
        path.write_bytes(data)
        _run(spec, path)


@pytest.mark.parametrize("spec", FILE_SPECS, ids=lambda s: s.name)
@settings(max_examples=120, deadline=None)
@given(doc=_documents)
def test_random_structured_documents(spec: CatalogerSpec, doc: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / _file_name(spec)
        for raw in _serializations(doc):
            path.write_bytes(raw)
            _run(spec, path)


@pytest.mark.parametrize("spec", DIR_SPECS, ids=lambda s: s.name)
@settings(max_examples=60, deadline=None)
@given(meta=st.text(max_size=300), doc=_documents)
def test_random_installed_trees(spec: CatalogerSpec, meta: str, doc: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / spec.dirs[0]
        (root / "pkg-1.0.dist-info").mkdir(parents=True)
        (root / "pkg-1.0.dist-info" / "METADATA").write_text(meta, errors="surrogatepass")
        (root / "pkg").mkdir()
        (root / "pkg" / "package.json").write_text(json.dumps(doc))
        (root / "@s" / "p").mkdir(parents=True)
        (root / "@s" / "p" / "package.json").write_text(meta, errors="surrogatepass")
        _run(spec, root)

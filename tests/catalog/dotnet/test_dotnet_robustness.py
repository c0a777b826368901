"""Malformed .NET input never crashes: only CatalogError may leave a cataloger."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbomkit.catalog.dotnet.csproj import MsbuildProjectCataloger
from sbomkit.catalog.dotnet.deps_json import DotnetDepsCataloger
from sbomkit.catalog.dotnet.packages_config import NugetPackagesConfigCataloger
from sbomkit.catalog.dotnet.packages_lock import NugetPackagesLockCataloger
from sbomkit.catalog.interface import Cataloger, CatalogError, CatalogResult, Source

CATALOGERS: dict[str, Cataloger] = {
    "packages.lock.json": NugetPackagesLockCataloger(),
    "App.deps.json": DotnetDepsCataloger(),
    "packages.config": NugetPackagesConfigCataloger(),
    "App.csproj": MsbuildProjectCataloger(),
}
JSON_FILES = ("packages.lock.json", "App.deps.json")
XML_FILES = ("packages.config", "App.csproj")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_keys = st.sampled_from(
    [
        "version",
        "dependencies",
        "net8.0",
        "Dapper",
        "type",
        "resolved",
        "contentHash",
        "Project",
        "Direct",
        "runtimeTarget",
        "name",
        "targets",
        "libraries",
        "App/1.0.0",
        "Dapper/2.1.35",
        "sha512",
        "",
        "/",
    ]
) | st.text(max_size=8)
_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.just(1)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=5),
    max_leaves=30,
)
_tags = st.sampled_from(
    [
        "packages",
        "package",
        "Project",
        "PropertyGroup",
        "ItemGroup",
        "PackageReference",
        "PackageVersion",
        "ProjectReference",
        "Version",
        "PrivateAssets",
        "AssemblyName",
        "ManagePackageVersionsCentrally",
        "GlobalPackageReference",
    ]
)
_attr_names = st.sampled_from(
    ["id", "version", "Include", "Update", "Version", "VersionOverride", "PrivateAssets"]
)
_attr_values = st.sampled_from(["", "1.0", "[1.0]", "$(V)", "$(", "all", "true", "..\\x.csproj"])
_attr_values = _attr_values | st.text(max_size=6)


@st.composite
def _element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(_tags)
    attrs = draw(st.dictionaries(_attr_names, _attr_values, max_size=3))
    head = tag + "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    kids = draw(st.lists(_element(depth + 1), max_size=3)) if depth < 3 else []
    text = escape(draw(st.sampled_from(["", "true", "1.2.3", "$(V)", "$(Version)"])))
    return f"<{head}>{text}{''.join(kids)}</{tag}>"


def _run(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            result = CATALOGERS[name].catalog(Source(path, name))
        except CatalogError:
            return
        assert isinstance(result, CatalogResult)


@SETTINGS
@given(name=st.sampled_from(sorted(CATALOGERS)), data=st.binary(max_size=300))
def test_random_bytes(name: str, data: bytes) -> None:
    _run(name, data)


@SETTINGS
@given(name=st.sampled_from(JSON_FILES), doc=_json)
def test_random_json(name: str, doc: object) -> None:
    _run(name, json.dumps(doc).encode())


@SETTINGS
@given(name=st.sampled_from(XML_FILES), root=_element())
def test_random_xml(name: str, root: str) -> None:
    _run(name, root.encode())


@SETTINGS
@given(name=st.sampled_from(XML_FILES), text=st.text(max_size=120))
def test_random_text(name: str, text: str) -> None:
    _run(name, ("<packages>" + text).encode("utf-8", "surrogatepass"))


_objects = st.dictionaries(_keys, _json, max_size=5)


@SETTINGS
@given(version=st.sampled_from([1, 2]), frameworks=st.dictionaries(_keys, _objects, max_size=3))
def test_shaped_lock(version: int, frameworks: dict[str, object]) -> None:
    doc = {"version": version, "dependencies": frameworks}
    _run("packages.lock.json", json.dumps(doc).encode())


@SETTINGS
@given(target=_json, targets=_objects, libraries=_objects)
def test_shaped_deps(target: object, targets: dict[str, object], libraries: object) -> None:
    doc = {"runtimeTarget": {"name": target}, "targets": targets, "libraries": libraries}
    _run("App.deps.json", json.dumps(doc).encode())

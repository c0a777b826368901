"""vcpkg.json manifests, with vcpkg-configuration.json beside them (or embedded).

A manifest names its direct dependencies; versions are chosen by the registry baseline
when vcpkg runs, so only ``overrides`` pin one. A dependency without an override is kept
without a version, with its ``version>=`` constraint as a property and one UNPINNED
warning. ``host`` dependencies are build tools: dev scope. The purl table has no vcpkg
type, so components are ``pkg:generic/<port>@<version>`` with ``sbomkit:source`` =
``vcpkg``. The baseline commit and registry of each port are properties.
"""

from __future__ import annotations

import fnmatch
import json
import re
from typing import ClassVar, NamedTuple

from sbomkit.catalog.decode import as_bool, as_list, as_str, as_table, clip, load_json, sibling_rel
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, ComponentType, Dependency, Location, Scope

PROP_SOURCE = "sbomkit:source"
PROP_CONSTRAINT = "sbomkit:vcpkg-constraint"
PROP_FEATURES = "sbomkit:vcpkg-features"
PROP_PLATFORM = "sbomkit:vcpkg-platform"
PROP_PORT_VERSION = "sbomkit:vcpkg-port-version"
PROP_BASELINE = "sbomkit:vcpkg-baseline"
PROP_REGISTRY = "sbomkit:vcpkg-registry"

CONFIG_NAME = "vcpkg-configuration.json"
_VERSION_KEYS = ("version", "version-semver", "version-date", "version-string")
_PORT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MANIFEST_KEYS = ("name", "dependencies", "overrides", "builtin-baseline")


class _Dep(NamedTuple):
    name: str | None
    line: int | None
    constraint: str | None
    features: tuple[str, ...]
    host: bool
    platform: str | None
    bad: str | None = None  # neither a string nor an object: the JSON text


class _Registry(NamedTuple):
    location: str | None  # repository URL or path
    baseline: str | None
    packages: tuple[str, ...]  # names or patterns; empty for the default registry


class VcpkgManifestCataloger:
    name: ClassVar[str] = "vcpkg-manifest"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = load_json(source)
        if not isinstance(data, dict) or not any(k in data for k in _MANIFEST_KEYS):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "not a vcpkg manifest")
        raw_deps = data.get("dependencies", [])
        if not isinstance(raw_deps, list):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "'dependencies' is not an array")
        result = CatalogResult()
        default, registries = _configuration(source, data, result)
        overrides = _overrides(data.get("overrides"))
        result.project = _project(source, data)
        seen: dict[str, int | None] = {}
        for dep in _deps(text, raw_deps):
            if not _check(source, result, dep, seen):
                continue
            name = dep.name or ""
            registry = next((r for r in registries if _claims(r, name)), default)
            c = _component(source, result, dep, overrides.get(name), registry)
            if c is not None:
                result.components.append(c)
                if result.project is not None:
                    result.dependencies.append(Dependency(result.project.ref, c.ref))
        result.diagnostics.sort(key=lambda d: (d.location.path, d.location.line or 0))
        return result


def _version(t: dict[str, object]) -> str | None:
    return next((v for k in _VERSION_KEYS if (v := as_str(t.get(k)))), None)


def _project(source: Source, data: dict[str, object]) -> Component | None:
    name = as_str(data.get("name"))
    if name is None:
        return None
    try:
        return make_component(
            "generic",
            name,
            _version(data),
            type=ComponentType.APPLICATION,
            locations=(source.at(),),
            properties=((PROP_SOURCE, "vcpkg"),),
        )
    except IdentityError:
        return None


def _deps(text: str, raw: list[object]) -> list[_Dep]:
    pos = text.find('"dependencies"')
    out: list[_Dep] = []
    for item in raw:
        t = as_table(item)
        name = as_str(item) if isinstance(item, str) else as_str(t.get("name"))
        line = None
        if name is not None and pos >= 0 and (at := text.find(json.dumps(name), pos)) >= 0:
            line, pos = text.count("\n", 0, at) + 1, at + 1
        features = tuple(
            f
            for f in (
                as_str(x) or as_str(as_table(x).get("name")) for x in as_list(t.get("features"))
            )
            if f
        )
        out.append(
            _Dep(
                name=name,
                line=line,
                constraint=as_str(t.get("version>=")),
                features=features,
                host=as_bool(t.get("host")),
                platform=as_str(t.get("platform")),
                bad=None if isinstance(item, str | dict) else json.dumps(item),
            )
        )
    return out


def _check(source: Source, result: CatalogResult, dep: _Dep, seen: dict[str, int | None]) -> bool:
    where = source.at(dep.line)
    if dep.bad is not None:
        result.warn(Msg.INVALID_ENTRY, where, clip(dep.bad))
        return False
    if dep.name is None:
        result.warn(Msg.MISSING_NAME, where, "dependency without a name")
        return False
    if not _PORT.fullmatch(dep.name):
        result.warn(Msg.INVALID_ENTRY, where, f"{clip(dep.name)}: not a vcpkg port name")
        return False
    if dep.name in seen:
        result.warn(Msg.DUPLICATE_ENTRY, where, f"{dep.name}, first at line {seen[dep.name]}")
        return False
    seen[dep.name] = dep.line
    return True


def _overrides(value: object) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for item in as_list(value):
        t = as_table(item)
        name, version = as_str(t.get("name")), _version(t)
        port = t.get("port-version")
        if name and version:
            if "#" in version:  # "1.3#1": version and port version in one string
                version, _, port_text = version.partition("#")
                port = port_text or port
            ok = isinstance(port, int | str) and not isinstance(port, bool) and port
            port_version = str(port) if ok else None
            out.setdefault(name, (version, port_version))
    return out


def _component(
    source: Source,
    result: CatalogResult,
    dep: _Dep,
    pinned: tuple[str, str | None] | None,
    registry: _Registry,
) -> Component | None:
    name = dep.name or ""
    where = source.at(dep.line)
    props: list[tuple[str, str]] = [(PROP_SOURCE, "vcpkg")]
    version = None
    if pinned is not None:
        version, port = pinned
        if port:
            props.append((PROP_PORT_VERSION, port))
    else:
        rule = f" >={dep.constraint}" if dep.constraint else ""
        result.warn(Msg.UNPINNED, where, f"{name}{rule}; version chosen by the baseline")
    if dep.constraint:
        props.append((PROP_CONSTRAINT, f">={dep.constraint}"))
    if dep.features:
        props.append((PROP_FEATURES, ",".join(dep.features)))
    if dep.platform:
        props.append((PROP_PLATFORM, dep.platform))
    if registry.baseline:
        props.append((PROP_BASELINE, registry.baseline))
    if registry.location:
        props.append((PROP_REGISTRY, registry.location))
    try:
        return make_component(
            "generic",
            name,
            version,
            scope=Scope.DEV if dep.host else Scope.REQUIRED,
            direct=True,
            locations=(where,),
            properties=tuple(sorted(props)),
        )
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, where, clip(e.detail))
        return None


# --- configuration ------------------------------------------------------------------------


def _configuration(
    source: Source, data: dict[str, object], result: CatalogResult
) -> tuple[_Registry, list[_Registry]]:
    """The default registry and the named ones, from the embedded configuration or the
    sibling vcpkg-configuration.json (a broken sibling is a warning, not an error)."""
    config = data.get("vcpkg-configuration")
    if not isinstance(config, dict):
        config = _sibling_config(source, result)
    builtin = as_str(data.get("builtin-baseline"))
    default = as_table(config.get("default-registry"))
    default_registry = _Registry(
        as_str(default.get("repository")) or as_str(default.get("path")),
        as_str(default.get("baseline")) or builtin,
        (),
    )
    registries = [
        _Registry(
            as_str(t.get("repository")) or as_str(t.get("path")) or as_str(t.get("location")),
            as_str(t.get("baseline")),
            tuple(p for p in (as_str(x) for x in as_list(t.get("packages"))) if p),
        )
        for t in map(as_table, as_list(config.get("registries")))
    ]
    return default_registry, registries


def _sibling_config(source: Source, result: CatalogResult) -> dict[str, object]:
    path = source.path.with_name(CONFIG_NAME)
    if not path.is_file():
        return {}
    sibling = Source(path, sibling_rel(source, CONFIG_NAME))
    try:
        data, _ = load_json(sibling)
    except CatalogError as e:
        result.warn(Msg.INVALID_ENTRY, Location(sibling.rel), e.detail)
        return {}
    return data if isinstance(data, dict) else {}


def _claims(registry: _Registry, name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in registry.packages)

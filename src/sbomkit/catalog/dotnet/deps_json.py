"""``<App>.deps.json``, the dependency manifest the .NET SDK writes next to a build.

``libraries`` lists every package, project and assembly reference as ``"Name/Version"``
with its type and SHA-512; the runtime target (``runtimeTarget.name``, else the first
target) gives the edges. The project library named like the file is the result's project
and its dependencies are the direct ones; other projects are first-party components
(``sbomkit:source`` = ``project``), and other non-package types keep their type there.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from sbomkit.catalog.decode import JsonObject, Table, as_str, as_table
from sbomkit.catalog.decode import load_json_object as load_json
from sbomkit.catalog.dotnet._common import (
    PROJECT,
    PROP_SOURCE,
    Builder,
    canon,
    key_lines,
    project_component,
    require_object,
    sha512,
)
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Component

_SUFFIX = ".deps.json"


class DotnetDepsCataloger:
    name: ClassVar[str] = "dotnet-deps-json"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = load_json(source)
        libraries = require_object(data, "libraries", source)
        targets = require_object(data, "targets", source)
        target = _runtime_target(data, targets, source)
        lines = key_lines(text)  # targets come first: edges
        lib_lines = key_lines(text, after="libraries")
        b = Builder(source)
        app = canon(source.path.name.removesuffix(_SUFFIX))
        for key in libraries.duplicates if isinstance(libraries, JsonObject) else ():
            b.warn(Msg.DUPLICATE_ENTRY, lib_lines.get(key), key)
        comps: dict[str, Component] = {}
        project_key: str | None = None
        for key, raw in libraries.items():
            name, version = _split(key)
            t = as_table(raw)
            kind = as_str(t.get("type")) or "package"
            if kind == PROJECT and canon(name) == app and version and project_key is None:
                project = project_component(name, version, source.at(lib_lines.get(key)))
                if project is not None:
                    b.result.project, project_key = project, key
                    comps[canon(key)] = project
                continue
            c = _library(b, name, version, kind, t, lib_lines.get(key))
            if c is not None:
                comps.setdefault(canon(key), c)
        for key, raw in target.items():
            src = comps.get(canon(key))
            if src is None:
                continue
            for dep, ver in as_table(as_table(raw).get("dependencies")).items():
                c = comps.get(canon(f"{dep}/{ver}")) if isinstance(ver, str) else None
                if c is not None:
                    b.link_to(src.ref, c)
                else:
                    b.link(src.ref, dep, lines.get(key))
        _mark_direct(b, project_key)
        return b.finish()


def _runtime_target(data: Table, targets: Table, source: Source) -> Table:
    name = as_str(as_table(data.get("runtimeTarget")).get("name"))
    if name is None or name not in targets:
        name = next(iter(targets), None)
    if name is None:
        return {}
    target = targets[name]
    if not isinstance(target, dict):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f'"targets.{name}" is not an object')
    return target


def _split(key: str) -> tuple[str, str | None]:
    name, sep, version = key.rpartition("/")
    return (name.strip(), version.strip() or None) if sep else (key.strip(), None)


def _library(
    b: Builder, name: str, version: str | None, kind: str, t: Table, line: int | None
) -> Component | None:
    if not name:
        b.warn(Msg.MISSING_NAME, line, "library without a name")
        return None
    if version is None:
        b.warn(Msg.MISSING_VERSION, line, f"{name}; skipped")
        return None
    props = () if kind == "package" else ((PROP_SOURCE, kind),)
    return b.add(name, version, b.source.at(line), hashes=sha512(t.get("sha512")), properties=props)


def _mark_direct(b: Builder, project_key: str | None) -> None:
    """With a project, its edges name the direct dependencies; without one, unknown."""
    project = b.result.project
    if project_key is None or project is None:
        return
    direct = {d.target for d in b.result.dependencies if d.source == project.ref}
    b.result.components = [replace(c, direct=c.ref in direct) for c in b.result.components]

"""Project manifests next to a lockfile (pyproject.toml, package.json).

They name the project a lockfile belongs to and which dependencies are direct; the
lockfile catalogers use them to set ``CatalogResult.project`` and the ``direct`` flags.
A broken manifest only costs that information, never the lockfile's components.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sbomkit.catalog import _toml as toml
from sbomkit.identity import make_component, pypi_name
from sbomkit.model import Component, ComponentType, License, Location

MANIFEST_LIMIT = 16 * 1024 * 1024  # real manifests are kilobytes
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True, slots=True)
class Manifest:
    ecosystem: str
    name: str | None
    version: str | None
    path: str  # relative, for locations
    direct: frozenset[str] = field(default_factory=frozenset)  # canonical names, runtime
    dev: frozenset[str] = field(default_factory=frozenset)  # canonical names, dev/test only
    optional: frozenset[str] = field(default_factory=frozenset)
    license: str | None = None
    workspaces: tuple[str, ...] = ()

    def component(self) -> Component | None:
        if not self.name:
            return None
        lic = (License(self.license, False),) if self.license else ()
        return make_component(
            self.ecosystem,
            self.name,
            self.version,
            type=ComponentType.APPLICATION,
            licenses=lic,
            locations=(Location(self.path),),
        )

    def all_direct(self) -> frozenset[str]:
        return self.direct | self.dev | self.optional


def _load_toml(path: Path) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > MANIFEST_LIMIT:
            return None
        return toml.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        return None


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _req_names(reqs: object) -> frozenset[str]:
    out: set[str] = set()
    if isinstance(reqs, list):
        for r in reqs:
            m = _REQ_NAME.match(r) if isinstance(r, str) else None
            if m:
                out.add(pypi_name(m.group(1)))
    return frozenset(out)


def _table_names(table: object) -> frozenset[str]:
    if not isinstance(table, dict):
        return frozenset()
    return frozenset(pypi_name(k) for k in table if isinstance(k, str) and k.lower() != "python")


def read_pyproject(directory: Path, rel_dir: str) -> Manifest | None:
    """``[project]`` (PEP 621), ``[tool.poetry]`` and ``[dependency-groups]`` (PEP 735)."""
    data = _load_toml(directory / "pyproject.toml")
    if data is None:
        return None
    project = _table(data, "project")
    poetry = _table(_table(data, "tool"), "poetry")
    name = project.get("name") or poetry.get("name")
    version = project.get("version") or poetry.get("version")
    direct = _req_names(project.get("dependencies")) | _table_names(poetry.get("dependencies"))
    optional: set[str] = set()
    extras = project.get("optional-dependencies")
    if isinstance(extras, dict):
        for reqs in extras.values():
            optional |= _req_names(reqs)
    dev: set[str] = set(_table_names(poetry.get("dev-dependencies")))
    groups = poetry.get("group")
    if isinstance(groups, dict):
        for group in groups.values():
            if isinstance(group, dict):
                dev |= _table_names(group.get("dependencies"))
    dep_groups = data.get("dependency-groups")
    if isinstance(dep_groups, dict):
        for reqs in dep_groups.values():
            dev |= _req_names(reqs)
    lic = project.get("license") or poetry.get("license")
    return Manifest(
        ecosystem="pypi",
        name=name if isinstance(name, str) else None,
        version=version if isinstance(version, str) else None,
        path=_join(rel_dir, "pyproject.toml"),
        direct=direct,
        dev=frozenset(dev - direct),
        optional=frozenset(optional - direct),
        license=lic if isinstance(lic, str) else None,
    )


def read_package_json(directory: Path, rel_dir: str) -> Manifest | None:
    try:
        path = directory / "package.json"
        if path.stat().st_size > MANIFEST_LIMIT:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None

    def names(key: str) -> frozenset[str]:
        deps = data.get(key)
        return (
            frozenset(k for k in deps if isinstance(k, str))
            if isinstance(deps, dict)
            else frozenset()
        )

    ws = data.get("workspaces")
    if isinstance(ws, dict):  # yarn classic: {"packages": [...]}
        ws = ws.get("packages")
    name, version, lic = data.get("name"), data.get("version"), data.get("license")
    direct = names("dependencies")
    return Manifest(
        ecosystem="npm",
        name=name if isinstance(name, str) and name else None,
        version=version if isinstance(version, str) else None,
        path=_join(rel_dir, "package.json"),
        direct=direct,
        dev=names("devDependencies") - direct,
        optional=(names("optionalDependencies") | names("peerDependencies")) - direct,
        license=lic if isinstance(lic, str) else None,
        workspaces=tuple(w for w in ws if isinstance(w, str)) if isinstance(ws, list) else (),
    )


def _join(rel_dir: str, name: str) -> str:
    return f"{rel_dir}/{name}" if rel_dir else name

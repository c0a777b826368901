"""SDK-style MSBuild projects (``*.csproj``, ``*.fsproj``, ``*.vbproj``).

``PackageReference`` items (``Include`` with ``Version`` as attribute or child element;
``Update`` changes an item already included) are the project's direct dependencies. With
Central Package Management (``ManagePackageVersionsCentrally``) versions come from
``<PackageVersion>`` in the nearest ``Directory.Packages.props`` (this directory or up to
ten parents), unless the reference has ``VersionOverride``. ``$(Property)`` references are
expanded from ``<PropertyGroup>`` in the nearest ``Directory.Build.props``, then
``Directory.Packages.props``, then the project, in MSBuild's evaluation order; a version
left unresolved is kept as None with a warning. ``Condition`` is not evaluated: every
definition counts and the later one wins. ``PrivateAssets="all"`` (build-time tools and
analyzers that do not flow to consumers) and ``GlobalPackageReference`` are dev scope.
A ``ProjectReference`` to a project file that exists becomes a first-party component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import ClassVar

from sbomkit.catalog.decode import as_str
from sbomkit.catalog.dotnet._common import (
    PROJECT,
    PROP_SOURCE,
    Builder,
    Node,
    canon,
    load_xml,
    parse_xml,
    project_component,
    rel_of,
)
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Location, Scope

_MAX_UP = 10
_HELPER_LIMIT = 16 * 1024 * 1024  # real props files are kilobytes
_HELPERS = ("Directory.Build.props", "Directory.Packages.props")
_REF = re.compile(r"\$\(([^()]*)\)")
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")

Props = dict[str, str | None]  # lower-cased name -> expanded value, None if unresolved


@dataclass(slots=True)
class _Ref:
    name: str
    version: str | None  # as written, before expansion
    override: str | None
    dev: bool
    location: Location


class MsbuildProjectCataloger:
    name: ClassVar[str] = "msbuild-project"

    def catalog(self, source: Source) -> CatalogResult:
        root = load_xml(source, "Project")
        b = Builder(source)
        docs = [*_helpers(b, source), (root, source.rel)]
        props: Props = {"msbuildprojectname": source.path.stem}
        for doc, _ in docs:
            _read_properties(doc, props)
        central = (props.get("managepackageversionscentrally") or "").lower() == "true"
        versions = {
            canon(name): n.value("Version")
            for doc, _ in docs
            for n in doc.iter("PackageVersion")
            if (name := as_str(n.attrs.get("Include")))
        }
        name = props.get("assemblyname") or source.path.stem
        version = props.get("version")
        project = b.result.project = project_component(name, version, source.at(root.line))
        for ref in _references(b, docs):
            raw = ref.override if central and ref.override else ref.version
            if raw is None and central:
                raw = versions.get(canon(ref.name))
            c = b.add(
                ref.name,
                _version(b, ref, raw, props),
                ref.location,
                scope=Scope.DEV if ref.dev else Scope.REQUIRED,
                direct=True,
            )
            if c is not None and project is not None:
                b.link_to(project.ref, c)
        _project_references(b, source, root, props)
        return b.finish()


def _helpers(b: Builder, source: Source) -> list[tuple[Node, str]]:
    """The nearest Directory.Build.props and Directory.Packages.props that parse."""
    out: list[tuple[Node, str]] = []
    for name in _HELPERS:
        path = _find_up(source.path.parent, name)
        if path is None:
            continue
        rel = rel_of(source, path)
        try:
            node = parse_xml(Source(path, rel).read_bytes(_HELPER_LIMIT), rel)
        except CatalogError as e:
            b.warn(Msg.UNRESOLVED_INCLUDE, None, f"{rel}: {e.detail}")
            continue
        if node.tag == "Project":
            out.append((node, rel))
    return out


def _find_up(start: Path, name: str) -> Path | None:
    for d in [start, *start.parents][: _MAX_UP + 1]:
        try:
            if (d / name).is_file():
                return d / name
        except OSError:
            return None
    return None


def _read_properties(doc: Node, props: Props) -> None:
    for group in doc.iter("PropertyGroup"):
        for p in group.children:
            props[p.tag.lower()] = _expand(p.text.strip(), props)


def _expand(text: str, props: Props) -> str | None:
    """``$(Name)`` replaced by earlier definitions; None when one is unknown or a function."""
    missing = False

    def sub(m: re.Match[str]) -> str:
        nonlocal missing
        key = m.group(1).strip()
        value = props.get(key.lower()) if _PLAIN.fullmatch(key) else None
        if value is None:
            missing = True
            return ""
        return value

    out = _REF.sub(sub, text)
    return None if missing or "$(" in out else out


def _references(b: Builder, docs: list[tuple[Node, str]]) -> list[_Ref]:
    refs: dict[str, _Ref] = {}
    for doc, rel in docs:
        for tag in ("PackageReference", "GlobalPackageReference"):
            for n in doc.iter(tag):
                _reference(b, refs, n, Location(rel, n.line), tag != "PackageReference")
    return list(refs.values())


def _reference(b: Builder, refs: dict[str, _Ref], n: Node, at: Location, glob: bool) -> None:
    include, update = as_str(n.attrs.get("Include")), as_str(n.attrs.get("Update"))
    private = (n.value("PrivateAssets") or "").lower().split(";")
    dev = glob or "all" in (p.strip() for p in private)
    if include is None:
        old = refs.get(canon(update)) if update else None
        if old is not None:  # Update changes metadata of an item already included
            old.version = n.value("Version") or old.version
            old.override = n.value("VersionOverride") or old.override
            old.dev = dev or old.dev
        elif update is None:
            b.result.warn(Msg.MISSING_NAME, at, f"<{n.tag}> without Include")
        return
    for name in (s.strip() for s in include.split(";")):
        if canon(name) in refs:
            first = refs[canon(name)].location
            b.result.warn(Msg.DUPLICATE_ENTRY, at, f"{name}, first at {first}")
        elif name:
            refs[canon(name)] = _Ref(name, n.value("Version"), n.value("VersionOverride"), dev, at)


def _version(b: Builder, ref: _Ref, raw: str | None, props: Props) -> str | None:
    """The pinned version; ranges and floating versions are kept out (UNPINNED)."""
    value = _expand(raw, props) if raw is not None else None
    if not value:
        b.result.warn(Msg.MISSING_VERSION, ref.location, f"version of {ref.name} is not resolved")
        return None
    exact = re.fullmatch(r"\[\s*([^,\[\]()\s]+)\s*\]", value)
    if exact:
        return exact.group(1)
    if any(ch in value for ch in "[](),*"):
        b.result.warn(Msg.UNPINNED, ref.location, f"{ref.name} {value}")
        return None
    return value


def _project_references(b: Builder, source: Source, root: Node, props: Props) -> None:
    project = b.result.project
    for n in root.iter("ProjectReference"):
        include = _expand(as_str(n.attrs.get("Include")) or "", props)
        if not include or project is None:
            continue
        path = source.path.parent / PurePosixPath(include.replace("\\", "/"))
        try:
            exists = path.is_file()
        except (OSError, ValueError):
            exists = False
        if not exists:
            continue
        c = b.add(
            path.stem,
            None,
            source.at(n.line),
            direct=True,
            properties=((PROP_SOURCE, PROJECT),),
        )
        if c is not None:
            b.link_to(project.ref, c)

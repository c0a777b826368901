"""npm ``package-lock.json`` and ``npm-shrinkwrap.json``: lockfile versions 1, 2 and 3.

v2 and v3 are read from ``packages``, whose keys are install paths
(``node_modules/a/node_modules/b``); v1 (and versionless pre-npm-5 shrinkwraps) from the
nested ``dependencies`` tree, which is first turned into the same paths so one resolver
serves every version. Edges follow Node's lookup over those paths; a ``link: true`` entry
stands for the directory it points at (a workspace member or a linked folder).

Scope comes from the lockfile's own flags: ``dev`` -> dev, ``optional`` -> optional, and
``devOptional`` -> dev, because such a package is reached only through dev or optional
paths, never by a plain production dependency, so it does not ship on its own.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.javascript._npm_common import (
    ALIAS,
    BUNDLED,
    MAX_NESTING,
    PEER,
    SOURCE,
    TOO_DEEP,
    Components,
    KeyLines,
    as_str,
    dep_names,
    integrity_hashes,
    is_local_path,
    licenses_of,
    load_json_object,
    new_component,
    node_resolve,
    path_name,
    sorted_edges,
    source_kind,
)
from sbomkit.catalog.manifest import Manifest, read_package_json
from sbomkit.i18n import Msg
from sbomkit.model import Component, ComponentType, License, Scope

_VERSIONS = (1, 2, 3)


@dataclass(frozen=True, slots=True)
class _Entry:
    """One installed package: a ``packages`` value (v2/v3) or a v1 tree node, as a path."""

    path: str  # "" is the project; "node_modules/a/node_modules/b"; "packages/x"
    line: int | None
    name: str | None = None  # the real name when the path says otherwise (alias, workspace)
    version: str | None = None
    resolved: str | None = None
    kind: str | None = None  # "git" | "file" | "url" from resolved/version; None: registry
    integrity: str | None = None
    licenses: tuple[License, ...] = ()
    link: bool = False
    dev: bool = False
    optional: bool = False
    dev_optional: bool = False
    peer: bool = False
    bundled: bool = False
    needs: tuple[str, ...] = ()  # dependencies (+ devDependencies of local packages)
    wants: tuple[str, ...] = ()  # optional and peer dependencies: absence is fine
    workspaces: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Lock:
    version: int
    name: str | None
    project_version: str | None
    entries: dict[str, _Entry]
    root_known: bool  # the project's own dependency lists are known (direct flags)


@dataclass(slots=True)
class _State:
    source: Source
    result: CatalogResult
    lock: _Lock
    members: tuple[str, ...]  # workspace globs
    components: Components = field(default_factory=Components)
    refs: dict[str, str] = field(default_factory=dict)  # path -> component ref
    warned: set[str] = field(default_factory=set)


class PackageLockCataloger:
    name: ClassVar[str] = "npm-package-lock"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        data = load_json_object(source, text)
        result = CatalogResult()
        manifest = _LazyManifest(source)
        lock = _decode(source, data, text, result, manifest)
        _map(source, lock, result, manifest)
        return result


class _LazyManifest:
    """The package.json beside the lockfile, read only when the lock leaves a gap."""

    def __init__(self, source: Source) -> None:
        self._source = source
        self._read = False
        self._manifest: Manifest | None = None

    def get(self) -> Manifest | None:
        if not self._read:
            self._read = True
            rel_dir = posixpath.dirname(self._source.rel)
            self._manifest = read_package_json(self._source.path.parent, rel_dir)
        return self._manifest


# -- decoding: raw JSON -> _Lock ---------------------------------------------------------


def _decode(
    source: Source,
    data: dict[str, Any],
    text: str,
    result: CatalogResult,
    manifest: _LazyManifest,
) -> _Lock:
    version = data.get("lockfileVersion")
    packages, deps = data.get("packages"), data.get("dependencies")
    if version is None and isinstance(deps, dict):
        version = 1  # npm-shrinkwrap.json from npm < 5 has no lockfileVersion
    if version is None:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no 'lockfileVersion' field")
    if type(version) is not int or version not in _VERSIONS:
        raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, f"lockfileVersion {version!r}")
    name, project_version = as_str(data.get("name")), as_str(data.get("version"))
    if version >= 2 or isinstance(packages, dict):
        if not isinstance(packages, dict):
            raise CatalogError(
                Msg.WRONG_FORMAT, source.rel, "'packages' is missing or not an object"
            )
        entries = _decode_packages(source, packages, KeyLines(text, "packages"), result)
        root_known = "" in entries
    else:
        if deps is not None and not isinstance(deps, dict):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "'dependencies' is not an object")
        entries = _decode_tree(source, deps or {}, KeyLines(text, "dependencies"), result)
        root_known = False
    if not root_known:
        root = _root_from_manifest(manifest.get())
        root_known = root is not None
        entries[""] = root or _Entry("", None)
    return _Lock(version, name, project_version, entries, root_known)


def _decode_packages(
    source: Source,
    packages: dict[str, Any],
    lines: KeyLines,
    result: CatalogResult,
) -> dict[str, _Entry]:
    out: dict[str, _Entry] = {}
    for path, value in packages.items():
        line = lines.line(path)
        if not isinstance(value, dict):
            detail = f"packages[{path!r}] is {type(value).__name__}, not an object"
            result.warn(Msg.INVALID_ENTRY, source.at(line), detail)
        elif path.count("node_modules/") > MAX_NESTING:
            result.warn(Msg.INVALID_ENTRY, source.at(line), TOO_DEEP)
        else:
            out[path] = _entry(path, line, value)
    return out


def _entry(path: str, line: int | None, value: dict[str, Any]) -> _Entry:
    get = value.get  # one bound method: this runs once per package of every lockfile
    local = is_local_path(path)
    resolved = as_str(get("resolved"))
    needs = dep_names(get("dependencies"))
    if local:  # a project or workspace: its dev tools are installed too
        needs += dep_names(get("devDependencies"))
    workspaces = get("workspaces")
    if isinstance(workspaces, dict):  # yarn-style {"packages": [...]}
        workspaces = workspaces.get("packages")
    return _Entry(
        path=path,
        line=line,
        name=as_str(get("name")),
        version=as_str(get("version")),
        resolved=resolved,
        kind=source_kind(resolved),
        integrity=as_str(get("integrity")),
        licenses=licenses_of(get("license"), get("licenses")),
        link=get("link") is True,
        dev=get("dev") is True,
        optional=get("optional") is True,
        dev_optional=get("devOptional") is True,
        peer=get("peer") is True,
        bundled=get("inBundle") is True,
        needs=needs,
        wants=dep_names(get("optionalDependencies")) + dep_names(get("peerDependencies")),
        workspaces=tuple(w for w in workspaces if isinstance(w, str))
        if isinstance(workspaces, list)
        else (),
    )


def _decode_tree(
    source: Source,
    deps: dict[str, Any],
    lines: KeyLines,
    result: CatalogResult,
) -> dict[str, _Entry]:
    """v1's nested ``dependencies``, depth first in file order, as install paths."""
    out: dict[str, _Entry] = {}
    stack: list[tuple[str, Iterator[tuple[str, Any]]]] = [("", iter(deps.items()))]
    while stack:
        parent, items = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        name, value = item
        path = f"{parent}/node_modules/{name}" if parent else f"node_modules/{name}"
        line = lines.line(name, opens="{")
        if not isinstance(value, dict):
            detail = f"dependencies[{name!r}] is {type(value).__name__}, not an object"
            result.warn(Msg.INVALID_ENTRY, source.at(line), detail)
            continue
        out[path] = _tree_entry(path, line, value)
        nested = value.get("dependencies")
        if isinstance(nested, dict) and nested:
            if len(stack) >= MAX_NESTING:
                result.warn(Msg.INVALID_ENTRY, source.at(line), TOO_DEEP)
                continue
            stack.append((path, iter(nested.items())))
    return out


def _tree_entry(path: str, line: int | None, value: dict[str, Any]) -> _Entry:
    """A v1 node: ``version`` may be ``npm:real@1.0.0``, a git URL or a ``file:`` path."""
    version = as_str(value.get("version"))
    resolved = as_str(value.get("resolved"))
    name, kind = None, source_kind(resolved)
    if version is not None and version.startswith("npm:"):
        real, at, ver = version[4:].rpartition("@")
        name, version = (real, ver or None) if at and real else (version[4:], None)
    elif version is not None and (source_kind(version) or "://" in version):
        kind = source_kind(version) or "url"
        resolved, version = version, None
    return _Entry(
        path=path,
        line=line,
        name=name,
        version=version,
        resolved=resolved,
        kind=kind,
        integrity=as_str(value.get("integrity")),
        dev=value.get("dev") is True,
        optional=value.get("optional") is True,
        bundled=value.get("bundled") is True,
        needs=dep_names(value.get("requires")),
    )


def _root_from_manifest(manifest: Manifest | None) -> _Entry | None:
    if manifest is None:
        return None
    return _Entry(
        path="",
        line=None,
        name=manifest.name,
        version=manifest.version,
        needs=tuple(sorted(manifest.direct | manifest.dev)),
        wants=tuple(sorted(manifest.optional)),
        workspaces=manifest.workspaces,
    )


# -- mapping: _Lock -> components, project, edges ----------------------------------------


def _map(source: Source, lock: _Lock, result: CatalogResult, manifest: _LazyManifest) -> None:
    root = lock.entries[""]
    st = _State(source, result, lock, root.workspaces)
    result.project = _project(st, root, manifest)
    link_names = {
        e.resolved: path_name(e.path) for e in lock.entries.values() if e.link and e.resolved
    }
    for entry in lock.entries.values():
        if entry.path and not entry.link:
            _add(st, entry, entry.name or _implied_name(entry.path, link_names))
    for entry in lock.entries.values():
        if entry.link:
            _add_link(st, entry)
    _edges(st)


def _project(st: _State, root: _Entry, manifest: _LazyManifest) -> Component | None:
    name = root.name or st.lock.name
    version = root.version or st.lock.project_version
    if not name or not version:
        m = manifest.get()
        name = name or (m.name if m else None)
        version = version or (m.version if m else None)
    if not name:
        return None
    return new_component(
        st.result,
        st.source.at(root.line),
        name,
        version,
        type=ComponentType.APPLICATION,
        licenses=root.licenses,
    )


def _implied_name(path: str, link_names: dict[str, str]) -> str | None:
    """A path's package name: after its last ``node_modules/``, or the link that targets it."""
    if is_local_path(path):
        return link_names.get(path)
    return path_name(path) or None


def _add(st: _State, e: _Entry, name: str | None) -> None:
    where = st.source.at(e.line)
    if not name:
        st.result.warn(Msg.MISSING_NAME, where, e.path)
        return
    local = is_local_path(e.path)
    kind = e.kind
    if local:
        kind = "workspace" if _is_member(e.path, st.members) else "file"
    if e.version is None and kind is None:
        st.result.warn(Msg.MISSING_VERSION, where, name)
        return
    props: list[tuple[str, str]] = []
    installed_as = None if local else path_name(e.path)
    if installed_as and installed_as != name:
        props.append((ALIAS, installed_as))
    if kind:
        props.append((SOURCE, kind))
    if e.peer:
        props.append((PEER, "true"))
    if e.bundled:
        props.append((BUNDLED, "true"))
    c = new_component(
        st.result,
        where,
        name,
        e.version,
        scope=_scope(e),
        direct=False,
        hashes=integrity_hashes(e.integrity),
        licenses=e.licenses,
        source_url=e.resolved or (e.path if kind == "file" else None),
        properties=tuple(sorted(props)),
    )
    if c is not None:
        st.refs[e.path] = st.components.add(c)


def _add_link(st: _State, e: _Entry) -> None:
    """A link stands for its target; a link to a folder the lock does not list is a file dep."""
    if e.resolved in st.refs:
        st.refs[e.path] = st.refs[e.resolved]
        return
    if e.resolved in st.lock.entries:  # target present but unusable: already warned
        return
    name = path_name(e.path)
    c = new_component(
        st.result,
        st.source.at(e.line),
        name,
        e.version,
        source_url=e.resolved,
        direct=False,
        properties=((SOURCE, "file"),),
    )
    if c is not None:
        st.refs[e.path] = st.components.add(c)


def _scope(e: _Entry) -> Scope:
    if e.dev or e.dev_optional:
        return Scope.DEV
    return Scope.OPTIONAL if e.optional else Scope.REQUIRED


def _is_member(path: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(path, posixpath.normpath(g)) for g in globs)


def _edges(st: _State) -> None:
    entries = st.lock.entries
    project_ref = st.result.project.ref if st.result.project else None
    edges: set[tuple[str, str]] = set()
    direct: set[str] = set()
    for path, entry in entries.items():
        from_ref = project_ref if path == "" else st.refs.get(path)
        if entry.link or (from_ref is None and path != ""):
            continue
        for name, required in _deps(entry):
            key = node_resolve(entries, path, name)
            target = st.refs.get(key) if key is not None else None
            if target is None:
                if required and key is None and name not in st.warned:
                    st.warned.add(name)
                    st.result.warn(Msg.UNKNOWN_DEPENDENCY, st.source.at(entry.line), name)
                continue
            if path == "":
                direct.add(target)
            if from_ref is not None:
                edges.add((from_ref, target))
    for path, ref in st.refs.items():
        if is_local_path(path) and _is_member(path, st.members):
            direct.add(ref)
            if project_ref is not None:
                edges.add((project_ref, ref))
    st.components.set_direct(direct, st.lock.root_known or bool(direct))
    st.result.components = st.components.sorted()
    st.result.dependencies = sorted_edges(edges)


def _deps(e: _Entry) -> list[tuple[str, bool]]:
    return [(n, True) for n in e.needs] + [(n, False) for n in e.wants]

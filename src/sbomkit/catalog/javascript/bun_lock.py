"""bun's text lockfile ``bun.lock``: JSONC, ``lockfileVersion`` 0, 1 and 2.

``workspaces`` maps each workspace path to its package.json snapshot (``""`` is the
project); ``packages`` maps an install key to an array whose first item is
``name@resolution``::

    npm        ["name@1.0.0", registry-or-tarball-url, INFO, "sha512-..."]
    workspace  ["name@workspace:packages/x"]          (v0: [..., INFO])
    folder     ["name@file:path", INFO]     symlink  ["name@link:path", INFO]
    tarball    ["name@https://...tgz", INFO]           (path or URL)
    git        ["name@git+https://...#sha", INFO, "bun-tag"]   github  ["name@github:u/r#sha", ...]

A key is the package's place in the hoisted tree: ``"a/@s/b"`` is ``@s/b`` nested under
``a``, so a dependency is resolved by trying the longest key prefix first, as Node walks up
``node_modules``. A key naming another package than its entry (``"lodash4": ["lodash@..."]``)
is an alias. v2 has the same content as v1 (bun only added parse-time checks).

Scope is reachability from the workspaces: through ``devDependencies`` only -> dev, through
optional dependencies or optional peers only -> optional, else required.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.javascript._npm_common import (
    ALIAS,
    MAX_NESTING,
    SOURCE,
    TOO_DEEP,
    Components,
    KeyLines,
    as_str,
    dep_names,
    integrity_hashes,
    load_json_object,
    new_component,
    optional_peers,
    scopes_by_reach,
    sorted_edges,
    source_kind,
)
from sbomkit.catalog.manifest import read_package_json
from sbomkit.i18n import Msg
from sbomkit.model import Component, ComponentType, Scope

_VERSIONS = (0, 1, 2)
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)'  # an unterminated string runs to the end
_SPLIT_STRINGS = re.compile(f"({_STRING})")
_COMMA = re.compile(r",(?=\s*[\]}])")
_BLOCK_COMMENT = re.compile(rf"({_STRING})|/\*.*?(?:\*/|\Z)", re.DOTALL)
_LINE_COMMENT = re.compile(rf"({_STRING})|//[^\n]*")
_TRAILING_COMMA = re.compile(rf"({_STRING})|,(?=\s*[\]}}])")
_TARBALL_SUFFIXES = (".tgz", ".tar.gz", ".tar")


@dataclass(frozen=True, slots=True)
class _Deps:
    needs: tuple[str, ...] = ()  # dependencies
    peers: tuple[str, ...] = ()  # required peers: resolved, but their absence is not warned
    optional: tuple[str, ...] = ()  # optionalDependencies and optional peers
    dev: tuple[str, ...] = ()  # devDependencies (workspaces only)


@dataclass(frozen=True, slots=True)
class _Workspace:
    path: str
    name: str | None
    version: str | None
    deps: _Deps
    line: int | None


@dataclass(frozen=True, slots=True)
class _Package:
    key: str
    parts: tuple[str, ...]  # the key as package names: "a/@s/b" -> ("a", "@s/b")
    name: str
    kind: str | None  # "workspace" | "file" | "git" | "url" | "root"; None: registry
    version: str | None
    source_url: str | None
    integrity: str | None
    deps: _Deps
    line: int | None
    workspace: str = ""  # for a workspace member: its path, the key of its workspace entry


@dataclass(slots=True)
class _State:
    source: Source
    result: CatalogResult
    workspaces: dict[str, _Workspace]
    packages: dict[str, _Package]
    keys: set[str]  # every key of "packages", usable or not, for resolution
    components: Components = field(default_factory=Components)
    refs: dict[str, str] = field(default_factory=dict)  # package key -> ref
    warned: set[str] = field(default_factory=set)


class BunLockCataloger:
    name: ClassVar[str] = "bun-lock"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        data = load_json_object(source, strip_jsonc(text))
        result = CatalogResult()
        workspaces, packages = _decode(source, data, text, result)
        st = _State(source, result, workspaces, packages, set(data["packages"]))
        _map(st)
        return result


def strip_jsonc(text: str) -> str:
    """JSON from JSONC: comments and trailing commas go, strings and line numbers stay.

    bun writes trailing commas but no comments, so the usual case splits the text at its
    string literals (in C) and drops commas from the code between them; only a file with
    a ``/`` outside strings takes the slower, comment-aware path.
    """
    parts = _SPLIT_STRINGS.split(text)  # code, string, code, string, ..., code
    code = parts[0::2]
    if any("/" in p for p in code):
        return _strip_comments(text)
    parts[0::2] = [_COMMA.sub("", p) if "," in p else p for p in code]
    return "".join(parts)


def _strip_comments(text: str) -> str:
    if "/*" in text:
        text = _BLOCK_COMMENT.sub(lambda m: m.group(1) or "\n" * m.group(0).count("\n"), text)
    if "//" in text:
        text = _LINE_COMMENT.sub(r"\1", text)
    return _TRAILING_COMMA.sub(r"\1", text)


# -- decoding ----------------------------------------------------------------------------


def _decode(
    source: Source, data: dict[str, Any], text: str, result: CatalogResult
) -> tuple[dict[str, _Workspace], dict[str, _Package]]:
    version = data.get("lockfileVersion")
    if version is None:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no 'lockfileVersion' field")
    if type(version) is not int or version not in _VERSIONS:
        raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, f"lockfileVersion {version!r}")
    raw_ws, raw_pkgs = data.get("workspaces"), data.get("packages")
    if not isinstance(raw_ws, dict):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "'workspaces' is missing or not an object")
    if not isinstance(raw_pkgs, dict):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "'packages' is missing or not an object")
    workspaces: dict[str, _Workspace] = {}
    lines = KeyLines(text, "workspaces")
    for path, value in raw_ws.items():
        line = lines.line(path)
        if isinstance(value, dict):
            workspaces[path] = _workspace(path, value, line)
        else:
            detail = f"workspaces[{path!r}] is {type(value).__name__}, not an object"
            result.warn(Msg.INVALID_ENTRY, source.at(line), detail)
    packages: dict[str, _Package] = {}
    lines = KeyLines(text, "packages")
    for key, value in raw_pkgs.items():
        pkg = _package(source, key, value, lines.line(key, opens="[{"), result)
        if pkg is not None:
            packages[key] = pkg
    return workspaces, packages


def _deps(info: object, workspace: bool = False) -> _Deps:
    if not isinstance(info, dict):
        return _Deps()
    peers = dep_names(info.get("peerDependencies"))
    soft = optional_peers(info.get("peerDependenciesMeta"))
    listed = info.get("optionalPeers")
    if isinstance(listed, list):
        soft |= {p for p in listed if isinstance(p, str)}
    return _Deps(
        needs=dep_names(info.get("dependencies")),
        peers=tuple(p for p in peers if p not in soft),
        optional=dep_names(info.get("optionalDependencies")) + tuple(p for p in peers if p in soft),
        dev=dep_names(info.get("devDependencies")) if workspace else (),
    )


def _workspace(path: str, value: dict[str, Any], line: int | None) -> _Workspace:
    name, version = as_str(value.get("name")), as_str(value.get("version"))
    return _Workspace(path, name or None, version or None, _deps(value, workspace=True), line)


def _package(
    source: Source, key: str, value: object, line: int | None, result: CatalogResult
) -> _Package | None:
    where = source.at(line)
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        result.warn(
            Msg.INVALID_ENTRY, where, f'packages[{key!r}] is not a ["name@version", ...] array'
        )
        return None
    parts = _split_key(key)
    if len(parts) > MAX_NESTING:
        result.warn(Msg.INVALID_ENTRY, where, TOO_DEEP)
        return None
    name, spec = _split_ident(value[0])
    if not name:
        result.warn(Msg.MISSING_NAME, where, key)
        return None
    kind, version, url = _resolution(spec)
    if kind is None and not version:
        result.warn(Msg.MISSING_VERSION, where, name)
        return None
    rest = value[1:]
    info = next((v for v in rest if isinstance(v, dict)), None)
    integrity = None
    if kind is None:  # npm: [ident, registry-or-url, INFO, integrity]
        url = as_str(rest[0]) if rest else None
        integrity = as_str(rest[2]) if len(rest) > 2 else None
    elif kind in ("url", "file") and isinstance(rest[-1] if rest else None, str):
        integrity = rest[-1]
    return _Package(
        key=key,
        parts=parts,
        name=name,
        kind=kind,
        version=version,
        source_url=url or None,
        integrity=integrity,
        deps=_deps(info, workspace=kind == "workspace"),
        line=line,
        workspace=posixpath.normpath(spec[len("workspace:") :]) if kind == "workspace" else "",
    )


def _split_ident(ident: str) -> tuple[str, str]:
    """``"name@spec"`` -> (name, spec); ``"@s/n@1"`` keeps its scope; ``"@1"`` has no name."""
    if ident.startswith("@") and "/" not in ident:
        return "", ident[1:]
    at = ident.find("@", 1)
    return (ident, "") if at < 0 else (ident[:at], ident[at + 1 :])


def _resolution(spec: str) -> tuple[str | None, str | None, str | None]:
    """(kind, version, source URL) of the part after ``name@``."""
    if spec.startswith("workspace:"):
        return "workspace", None, None
    if spec.startswith("root:"):
        return "root", None, None
    kind = source_kind(spec)
    if kind is not None:
        return kind, None, spec
    if "://" in spec:
        return "url", None, spec
    if spec.endswith(_TARBALL_SUFFIXES):
        return "file", None, spec
    return None, spec or None, None


def _split_key(key: str) -> tuple[str, ...]:
    """``"a/@s/b/c"`` -> ``("a", "@s/b", "c")``: scoped names take two segments."""
    parts: list[str] = []
    segments = key.split("/")
    i = 0
    while i < len(segments):
        seg = segments[i]
        if seg.startswith("@") and i + 1 < len(segments):
            parts.append(f"{seg}/{segments[i + 1]}")
            i += 2
        else:
            parts.append(seg)
            i += 1
    return tuple(parts)


# -- mapping -----------------------------------------------------------------------------


def _map(st: _State) -> None:
    st.result.project = _project(st)
    members: dict[str, str] = {}  # workspace path -> package key
    for pkg in st.packages.values():
        ref = _component(st, pkg)
        if ref is None:
            continue
        st.refs[pkg.key] = ref
        if pkg.kind == "workspace":
            members[pkg.workspace] = pkg.key
    root = st.workspaces.get("")
    roots = _targets(st, (), root.deps, root.line) if root else []
    roots += [(st.refs[key], Scope.REQUIRED) for key in members.values()]
    graph: dict[str, list[tuple[str, Scope]]] = {}
    for pkg in st.packages.values():
        ref = st.refs.get(pkg.key)
        if ref is None:
            continue
        deps = pkg.deps
        if pkg.kind == "workspace":
            ws = st.workspaces.get(pkg.workspace)
            deps = ws.deps if ws is not None else deps
        graph.setdefault(ref, []).extend(_targets(st, pkg.parts, deps, pkg.line))
    st.components.settle(scopes_by_reach(roots, graph), {t for t, _ in roots}, True)
    edges = {(s, t) for s, targets in graph.items() for t, _ in targets}
    if st.result.project is not None:
        edges |= {(st.result.project.ref, t) for t, _ in roots}
    st.result.components = st.components.sorted()
    st.result.dependencies = sorted_edges(edges)


def _project(st: _State) -> Component | None:
    root = st.workspaces.get("")
    name, version = (root.name, root.version) if root else (None, None)
    if not name or not version:
        rel_dir = posixpath.dirname(st.source.rel)
        manifest = read_package_json(st.source.path.parent, rel_dir)
        name = name or (manifest.name if manifest else None)
        version = version or (manifest.version if manifest else None)
    if not name:
        return None
    where = st.source.at(root.line if root else None)
    return new_component(st.result, where, name, version, type=ComponentType.APPLICATION)


def _component(st: _State, pkg: _Package) -> str | None:
    if pkg.kind == "root":
        return None
    version = pkg.version
    if pkg.kind == "workspace":
        ws = st.workspaces.get(pkg.workspace)
        version = ws.version if ws is not None else None
    elif pkg.kind == "file" and pkg.source_url:
        version = _folder_version(st.source, pkg.source_url)
    props = [(SOURCE, pkg.kind)] if pkg.kind else []
    installed_as = pkg.parts[-1]
    if pkg.kind != "workspace" and installed_as != pkg.name:
        props.append((ALIAS, installed_as))
    c = new_component(
        st.result,
        st.source.at(pkg.line),
        pkg.name,
        version,
        hashes=integrity_hashes(pkg.integrity),
        source_url=pkg.source_url if pkg.kind != "workspace" else None,
        properties=tuple(sorted(props)),
    )
    return st.components.add(c) if c is not None else None


def _folder_version(source: Source, spec: str) -> str | None:
    """The version in a ``file:``/``link:`` folder's package.json, if inside the project."""
    folder = posixpath.normpath(spec.partition(":")[2] if spec[:5] in ("file:", "link:") else "")
    if folder in ("", ".") or folder.startswith(("../", "/")) or folder == "..":
        return None
    manifest = read_package_json(source.path.parent / folder, "")
    return manifest.version if manifest else None


def _targets(
    st: _State, parts: tuple[str, ...], deps: _Deps, line: int | None
) -> list[tuple[str, Scope]]:
    """Resolve ``deps`` from the key ``parts``; a missing required one is warned once."""
    out: list[tuple[str, Scope]] = []
    wanted = [(n, Scope.REQUIRED, True) for n in deps.needs]
    wanted += [(n, Scope.REQUIRED, False) for n in deps.peers]
    wanted += [(n, Scope.OPTIONAL, False) for n in deps.optional]
    wanted += [(n, Scope.DEV, True) for n in deps.dev]
    for name, kind, warn in wanted:
        key = _resolve(st.keys, parts, name)
        if key is None:
            if warn and name not in st.warned:
                st.warned.add(name)
                st.result.warn(Msg.UNKNOWN_DEPENDENCY, st.source.at(line), name)
            continue
        ref = st.refs.get(key)
        if ref is not None:
            out.append((ref, kind))
    return out


def _resolve(keys: set[str], parts: tuple[str, ...], name: str) -> str | None:
    for i in range(len(parts), -1, -1):
        key = "/".join((*parts[:i], name))
        if key in keys:
            return key
    return None

"""pnpm-lock.yaml, lockfile versions 5.x (pnpm 7), 6.x (pnpm 8) and 9.x (pnpm 9, 10).

Package keys by version: ``/name/1.2.3_peer@x`` (5), ``/name@1.2.3(peer@x)`` (6),
``name@1.2.3`` with peer-suffixed copies under ``snapshots:`` (9). ``importers:`` are the
project (``.``) and its workspace members. Versions 5 and 6 mark dev-only packages with
``dev: true``; 9 does not, so scope comes from reachability from the importers.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.javascript._npm_common import ALIAS, SOURCE, integrity_hashes
from sbomkit.catalog.javascript._spec import (
    LockGraph,
    Node,
    UnknownDeps,
    emit,
    is_valid_name,
    project_component,
    split_spec,
    workspace_relpath,
)
from sbomkit.catalog.manifest import read_package_json
from sbomkit.catalog.yaml_doc import as_map, load_yaml, str_map
from sbomkit.i18n import Msg
from sbomkit.model import Component, Scope

_MAJORS = (5, 6, 9)
_SECTIONS = ("importers", "packages", "snapshots")
_KINDS = (
    ("dependencies", Scope.REQUIRED),
    ("optionalDependencies", Scope.OPTIONAL),
    ("devDependencies", Scope.DEV),
)
_GIT_HOSTS = ("github.com/", "gitlab.com/", "bitbucket.org/")
_GIT_TARBALLS = ("https://codeload.github.com/", "https://gitlab.com/", "https://bitbucket.org/")


class PnpmLockCataloger:
    name: ClassVar[str] = "pnpm-lock"

    def catalog(self, source: Source) -> CatalogResult:
        result = CatalogResult()
        lock = _decode(source, source.read_text(), result)
        graph = LockGraph(direct_known=True)
        _packages(lock, graph, source, result)
        unknown = UnknownDeps(result)
        _package_edges(lock, graph, source, unknown)
        project = _importers(lock, graph, source, unknown)
        emit(graph, source, result, project)
        return result


# -- decode ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Importer:
    path: str
    line: int | None
    deps: list[tuple[str, str, Scope]]  # (name, reference, kind)


@dataclass(slots=True)
class _Package:
    """A ``packages:`` entry, or (v9) a ``snapshots:`` entry: the same fields, fewer set."""

    key: str
    line: int | None
    name: str | None = None  # stated only for non-registry packages
    version: str | None = None
    integrity: str | None = None
    tarball: str | None = None
    repo: str | None = None  # resolution {type: git, repo, commit}
    commit: str | None = None
    directory: str | None = None
    dev: str | None = None  # "true" | "false" | None (both)
    optional: bool = False
    patched: bool = False
    dependencies: dict[str, str] = field(default_factory=dict)
    optional_dependencies: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Lockfile:
    major: int
    importers: list[_Importer]
    packages: dict[str, _Package]
    snapshots: dict[str, _Package]  # v9 only
    patched: frozenset[str]  # patchedDependencies keys: "name@1.2.3" or "name"


def _decode(source: Source, text: str, result: CatalogResult) -> _Lockfile:
    doc = load_yaml(source, text, key_depth=2)
    root = doc.root
    major = _major(source, root.get("lockfileVersion"))
    for path, line in doc.duplicates:
        if len(path) == 2 and path[0] in _SECTIONS:
            result.warn(Msg.DUPLICATE_ENTRY, source.at(line), path[1])
    if "importers" in root:
        importers = [
            _importer(path, raw, doc.lines.get(("importers", path)))
            for path, raw in as_map(root["importers"]).items()
        ]
    else:  # one project, its dependency maps at the top level
        importers = [_importer(".", root, None)]

    def section(name: str) -> dict[str, _Package]:
        out: dict[str, _Package] = {}
        for key, raw in as_map(root.get(name)).items():
            line = doc.lines.get((name, key))
            if raw == "":  # `key:` with nothing after it
                raw = {}
            if isinstance(raw, dict):
                out[key] = _package(key, line, raw)
            else:
                result.warn(Msg.INVALID_ENTRY, source.at(line), f"{key}: not a mapping")
        return out

    patched = frozenset(as_map(root.get("patchedDependencies")))
    snapshots = section("snapshots") if major >= 9 else {}
    return _Lockfile(major, importers, section("packages"), snapshots, patched)


def _major(source: Source, value: object) -> int:
    if value is None:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no lockfileVersion: not a pnpm lockfile")
    head = value.partition(".")[0] if isinstance(value, str) else ""
    if head not in {str(m) for m in _MAJORS}:
        raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, f"lockfileVersion {value!r}")
    return int(head)


def _importer(path: str, raw: object, line: int | None) -> _Importer:
    table = as_map(raw)
    deps: list[tuple[str, str, Scope]] = []
    for section, kind in _KINDS:
        for name, spec in as_map(table.get(section)).items():
            # v5: `name: 1.2.3`; v6 and v9: `name: {specifier: ^1.2.0, version: 1.2.3}`
            ref = spec if isinstance(spec, str) else as_map(spec).get("version")
            if isinstance(ref, str) and ref and name:
                deps.append((name, ref, kind))
    return _Importer(path, line, deps)


def _package(key: str, line: int | None, raw: dict[str, object]) -> _Package:
    resolution = as_map(raw.get("resolution"))

    def text(table: dict[str, object], name: str) -> str | None:
        value = table.get(name)
        return value if isinstance(value, str) and value else None

    return _Package(
        key,
        line,
        name=text(raw, "name"),
        version=text(raw, "version"),
        integrity=text(resolution, "integrity"),
        tarball=text(resolution, "tarball"),
        repo=text(resolution, "repo"),
        commit=text(resolution, "commit"),
        directory=text(resolution, "directory"),
        dev=text(raw, "dev"),
        optional=raw.get("optional") == "true",
        patched=raw.get("patched") == "true",
        dependencies=str_map(raw.get("dependencies")),
        optional_dependencies=str_map(raw.get("optionalDependencies")),
    )


# -- keys -----------------------------------------------------------------------------------


def _strip_peers(version: str, major: int) -> str:
    """``1.2.3(react@18.2.0)`` -> ``1.2.3``; v5 also ``1.2.3_react@18.2.0`` -> ``1.2.3``."""
    cut = version.find("(")
    if major == 5:
        under = version.find("_")
        if under >= 0 and (cut < 0 or under < cut):
            cut = under
    return version if cut < 0 else version[:cut]


def _parse_key(key: str, major: int) -> tuple[str | None, str | None, bool]:
    """(name, version, registry form) from a package key; non-registry keys state neither."""
    if major >= 9:
        name, rest = split_spec(key)
        version = _strip_peers(rest, major)
        if ":" in version or "/" in version:  # file:..., https://..., link:...
            return name, None, False
        return name, version or None, True
    if not key.startswith("/"):  # github.com/u/r/sha, file:dir, @registry.x/...tgz
        return None, None, False
    body = key[1:]
    if major == 6:
        name, rest = split_spec(body)
    elif body.startswith("@"):  # /@scope/name/1.2.3
        scope, _, tail = body.partition("/")
        base, _, rest = tail.partition("/")
        name = f"{scope}/{base}" if base else scope
    else:
        name, _, rest = body.partition("/")
    return name or None, _strip_peers(rest, major) or None, True


def _candidates(name: str, ref: str, major: int) -> tuple[str, ...]:
    """Keys a dependency reference may point at: ``1.2.3`` under ``name``, or an alias/URL."""
    if major >= 9:
        return (f"{name}@{ref}", ref)
    if major == 6:
        return (f"/{name}@{ref}", ref)
    return (f"/{name}/{ref}", ref)


# -- map ------------------------------------------------------------------------------------


def _packages(lock: _Lockfile, graph: LockGraph, source: Source, result: CatalogResult) -> None:
    if lock.major < 9:
        for key, pkg in lock.packages.items():
            _add_node(lock, graph, source, result, key, pkg, pkg)
        return
    used: set[str] = set()
    for key, snap in lock.snapshots.items():
        base = key[: key.find("(")] if "(" in key else key
        meta = lock.packages.get(base)
        used.add(base)
        _add_node(lock, graph, source, result, key, meta or _Package(base, snap.line), snap)
    for key, meta in lock.packages.items():
        if key not in used:
            _add_node(lock, graph, source, result, key, meta, meta)


def _add_node(
    lock: _Lockfile,
    graph: LockGraph,
    source: Source,
    result: CatalogResult,
    key: str,
    meta: _Package,
    snap: _Package,
) -> None:
    """One node per key; ``meta`` carries name/version/resolution, ``snap`` the rest."""
    where = source.at(meta.line if meta.line is not None else snap.line)
    name, version, registry = _parse_key(key, lock.major)
    name, version = meta.name or name, meta.version or version
    if not name or (name[0] == "@" and "/" not in name):
        result.warn(Msg.MISSING_NAME, where, key)
        return
    if not is_valid_name(name):
        result.warn(Msg.INVALID_ENTRY, where, f"cannot read a package name from {key!r}")
        return
    if version is None and meta.directory is None and "file:" not in key:
        result.warn(Msg.MISSING_VERSION, where, name)
        return
    node = Node(name, version, where.line, hashes=integrity_hashes(meta.integrity))
    _source(node, key, meta, registry)
    if (
        meta.patched
        or snap.patched
        or "patch_hash=" in key
        or f"{name}@{version}" in lock.patched
        or name in lock.patched
    ):
        node.properties.add(("sbomkit:patched", "true"))
    if lock.major < 9:
        # dev: true -> dev only; false -> runtime only; absent -> both, so required.
        node.scope = (
            Scope.DEV if snap.dev == "true" else Scope.OPTIONAL if snap.optional else Scope.REQUIRED
        )
    graph.nodes[key] = node


def _source(node: Node, key: str, meta: _Package, registry: bool) -> None:
    """Git, local directory or plain URL: a ``sbomkit:source`` property and source_url."""
    if meta.repo is not None:
        node.properties.add((SOURCE, "git"))
        node.source_url = f"{meta.repo}#{meta.commit}" if meta.commit else meta.repo
    elif (
        meta.tarball is not None
        and not registry  # a registry may serve tarballs from gitlab.com too
        and (meta.tarball.startswith(_GIT_TARBALLS) or key.startswith(_GIT_HOSTS))
    ):
        node.properties.add((SOURCE, "git"))
        node.source_url = meta.tarball
    elif meta.directory is not None or "file:" in key:
        node.properties.add((SOURCE, "file"))
        node.source_url = f"file:{meta.directory}" if meta.directory else key[key.find("file:") :]
    elif meta.tarball is not None:
        node.source_url = meta.tarball
        if not registry:
            node.properties.add((SOURCE, "url"))


def _resolve(lock: _Lockfile, graph: LockGraph, name: str, ref: str) -> str | None:
    for cand in _candidates(name, ref, lock.major):
        if cand in graph.nodes:
            return cand
    return None


def _known(lock: _Lockfile, name: str, ref: str) -> bool:
    """Whether the file lists the target at all (it may have been skipped with a warning)."""
    table = lock.snapshots if lock.major >= 9 else lock.packages
    return any(c in table or c in lock.packages for c in _candidates(name, ref, lock.major))


def _link(graph: LockGraph, target: str, alias: str) -> None:
    node = graph.nodes[target]
    if node.name != alias and (SOURCE, "workspace") not in node.properties:
        node.properties.add((ALIAS, alias))


def _package_edges(lock: _Lockfile, graph: LockGraph, source: Source, unknown: UnknownDeps) -> None:
    table = lock.snapshots if lock.major >= 9 else lock.packages
    for key, pkg in table.items():
        node = graph.nodes.get(key)
        if node is None:
            continue
        for deps, kind in (
            (pkg.dependencies, Scope.REQUIRED),
            (pkg.optional_dependencies, Scope.OPTIONAL),
        ):
            for name, ref in deps.items():
                if ref.startswith("link:"):
                    continue  # a local directory outside the lockfile's packages
                target = _resolve(lock, graph, name, ref)
                if target is not None:
                    node.deps.append((target, kind))
                    _link(graph, target, name)
                elif not _known(lock, name, ref):
                    unknown(source.at(node.line), name, ref)


def _importers(
    lock: _Lockfile, graph: LockGraph, source: Source, unknown: UnknownDeps
) -> Component | None:
    """Roots from ``importers``: ``.`` is the project, every other one a workspace member."""
    lock_dir = source.path.parent
    rel_dir = posixpath.dirname(source.rel)
    linked: dict[str, str] = {}  # workspace path -> a name it is linked under
    for imp in lock.importers:
        for name, ref, _ in imp.deps:
            if ref.startswith("link:"):
                linked.setdefault(_norm(imp.path, ref[5:]), name)
    members: dict[str, str] = {}  # importer path -> node key
    for imp in lock.importers:
        path = _norm(".", imp.path)
        if path == ".":
            continue
        inside = workspace_relpath(".", path) is not None  # read no package.json outside
        m = read_package_json(lock_dir / path, posixpath.join(rel_dir, path)) if inside else None
        name = (m.name if m else None) or linked.get(path) or path.rpartition("/")[2] or path
        key = f"importer:{path}"
        version = m.version if m else None
        graph.nodes[key] = Node(name, version, imp.line, properties={(SOURCE, "workspace")})
        graph.roots.append((None, key, Scope.REQUIRED))
        members[path] = key
    for imp in lock.importers:
        owner = members.get(_norm(".", imp.path))
        for name, ref, kind in imp.deps:
            target = _importer_target(lock, graph, members, imp, name, ref)
            if target is None and not ref.startswith("link:") and not _known(lock, name, ref):
                unknown(source.at(imp.line), name, ref)
            elif target is not None and target != owner:
                graph.roots.append((owner, target, kind))
                _link(graph, target, name)
    return project_component(read_package_json(lock_dir, rel_dir))


def _norm(base: str, rel: str) -> str:
    """An importer or link path, relative to the lockfile's directory: ``packages/x``."""
    return posixpath.normpath(posixpath.join(base, rel))


def _importer_target(
    lock: _Lockfile,
    graph: LockGraph,
    members: dict[str, str],
    imp: _Importer,
    name: str,
    ref: str,
) -> str | None:
    if not ref.startswith("link:"):
        return _resolve(lock, graph, name, ref)
    path = _norm(imp.path, ref[5:])
    if path == ".":
        return None  # a member linking the project itself
    if path in members:
        return members[path]
    key = f"link:{path}"
    if key not in graph.nodes:
        if not is_valid_name(name):
            return None
        graph.nodes[key] = Node(
            name, None, imp.line, properties={(SOURCE, "link")}, source_url=f"link:{ref[5:]}"
        )
    return key

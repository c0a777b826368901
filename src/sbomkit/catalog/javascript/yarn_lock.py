"""yarn.lock: yarn classic (``# yarn lockfile v1``) and yarn berry (``__metadata``, YAML).

yarn.lock does not say which packages are dev-only, so the ``package.json`` beside it (and
for workspaces each member's) names the roots: ``dependencies`` are required,
``optionalDependencies`` optional, ``devDependencies`` dev, and every locked package takes
the strongest scope it is reachable with. Without a package.json scope is required and
``direct`` unknown.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote, unquote

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.javascript._npm_common import ALIAS, SOURCE, integrity_hashes
from sbomkit.catalog.javascript._spec import (
    LockGraph,
    Node,
    UnknownDeps,
    emit,
    has_protocol,
    is_valid_name,
    npm_alias,
    project_component,
    split_spec,
    workspace_relpath,
)
from sbomkit.catalog.manifest import Manifest, read_package_json
from sbomkit.catalog.yaml_doc import as_map, load_yaml, str_map
from sbomkit.i18n import Msg
from sbomkit.model import Component, Hash, Location, Scope

_CLASSIC_HEADER = re.compile(r"^# yarn lockfile v(\d+)[ \t]*\r?$", re.MULTILINE)
# yarn 2 wrote 4, yarn 3 6, yarn 4.0 8, yarn 4.x 10; all share one layout.
_BERRY_VERSIONS = frozenset(str(v) for v in range(3, 11))
_GIT_PREFIXES = ("git+", "git:", "git@", "ssh:", "github:", "gitlab:", "bitbucket:")
_LOCAL_PROTOCOLS = ("file:", "link:", "portal:")
_PLACEHOLDER_VERSION = "0.0.0-use.local"  # berry's version for workspaces and soft links
_MAX_WORKSPACES = 2000


class YarnLockCataloger:
    name: ClassVar[str] = "yarn-lock"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        if not text.strip():
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        result = CatalogResult()
        header = _CLASSIC_HEADER.search(text, 0, 4096)
        if header is not None:
            if header.group(1) != "1":
                detail = f"yarn lockfile v{header.group(1)}"
                raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, detail)
            graph, project = _classic(source, text, result)
        else:
            graph, project = _berry(source, text, result)
        emit(graph, source, result, project)
        return result


def _lock_dir(source: Source) -> tuple[Path, str]:
    return source.path.parent, posixpath.dirname(source.rel)


def _is_git(url: str) -> bool:
    return (
        url.startswith(_GIT_PREFIXES)
        or "#commit=" in url
        or ".git#" in url
        or url.endswith(".git")
        or "://codeload.github.com/" in url
    )


def _sha1_fragment(url: str) -> tuple[Hash, ...]:
    """yarn classic appends the tarball's SHA-1 to ``resolved``: ``...tgz#<40 hex>``."""
    frag = url.rpartition("#")[2]
    if len(frag) == 40 and all(c in "0123456789abcdef" for c in frag):
        return (Hash("SHA-1", frag),)
    return ()


# -- yarn classic: decode -------------------------------------------------------------------

_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_KEY_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^,\s"][^,]*')


@dataclass(slots=True)
class _ClassicEntry:
    line: int
    patterns: list[str]
    fields: dict[str, str] = field(default_factory=dict)  # version, resolved, integrity
    dependencies: dict[str, str] = field(default_factory=dict)
    optional: dict[str, str] = field(default_factory=dict)


def _unquote(s: str) -> str:
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        return s
    if "\\" not in s:
        return s[1:-1]
    try:
        value = json.loads(s)
    except ValueError:
        return s[1:-1]
    return value if isinstance(value, str) else s[1:-1]


def _pair(body: str) -> tuple[str, str]:
    """``key value`` where either may be a JSON string: ``"@babel/core" "^7.0.0"``."""
    m = _QUOTED.match(body) if body[0] == '"' else None
    if m is not None:
        key, rest = _unquote(m.group()), body[m.end() :]
    else:
        key, _, rest = body.partition(" ")
    return key, _unquote(rest.strip())


def _parse_classic(source: Source, text: str, result: CatalogResult) -> list[_ClassicEntry]:
    """The indented v1 format, one pass: entry keys at column 0, fields at 2, deps at 4."""
    entries: list[_ClassicEntry] = []
    entry: _ClassicEntry | None = None
    block: dict[str, str] | None = None
    for n, line in enumerate(text.split("\n"), 1):
        if not line or line[0] == "#":
            continue
        body = line.strip()
        if not body:
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            block = None
            if not body.endswith(":"):
                result.warn(Msg.INVALID_ENTRY, source.at(n), f"expected '<pattern>:', got {body!r}")
                entry = None
                continue
            keys = [_unquote(k.strip()) for k in _KEY_TOKEN.findall(body[:-1])]
            entry = _ClassicEntry(n, [k for k in keys if k])
            entries.append(entry)
        elif entry is None:
            continue
        elif indent <= 2:
            block = None
            if body.endswith(":"):
                section = _unquote(body[:-1])
                if section == "dependencies":
                    block = entry.dependencies
                elif section == "optionalDependencies":
                    block = entry.optional
            else:
                key, value = _pair(body)
                entry.fields.setdefault(key, value)
        elif block is not None:
            key, value = _pair(body)
            block.setdefault(key, value)
    return entries


# -- yarn classic: map ----------------------------------------------------------------------


def _classic(
    source: Source, text: str, result: CatalogResult
) -> tuple[LockGraph, Component | None]:
    entries = _parse_classic(source, text, result)
    graph = LockGraph()
    index: dict[str, str | None] = {}  # pattern -> node key; None: entry skipped
    kept: list[tuple[str, _ClassicEntry]] = []
    for e in entries:
        fresh = [p for p in e.patterns if p not in index]
        if len(fresh) < len(e.patterns):
            dup = next(p for p in e.patterns if p in index)
            result.warn(Msg.DUPLICATE_ENTRY, source.at(e.line), dup)
            if not fresh:
                continue
        node = _classic_node(e, source, result)
        key = fresh[0] if node is not None else None
        for p in fresh:
            index[p] = key
        if node is not None and key is not None:
            graph.nodes[key] = node
            kept.append((key, e))
    unknown = UnknownDeps(result)
    for key, e in kept:
        deps = graph.nodes[key].deps
        for table, kind in ((e.dependencies, Scope.REQUIRED), (e.optional, Scope.OPTIONAL)):
            for name, range_ in table.items():
                pattern = f"{name}@{range_}"
                if pattern not in index:
                    unknown(source.at(e.line), name, range_)
                elif (target := index[pattern]) is not None:
                    deps.append((target, kind))
    return graph, _classic_roots(graph, index, source, unknown)


def _classic_node(e: _ClassicEntry, source: Source, result: CatalogResult) -> Node | None:
    where = source.at(e.line)
    first = e.patterns[0] if e.patterns else ""
    name, range_ = split_spec(first)
    if not name or (name[0] == "@" and "/" not in name):
        result.warn(Msg.MISSING_NAME, where, first)
        return None
    real = npm_alias(range_) or name
    if not is_valid_name(real):
        result.warn(Msg.INVALID_ENTRY, where, f"cannot read a package name from {first!r}")
        return None
    version = e.fields.get("version")
    if not version:
        result.warn(Msg.MISSING_VERSION, where, real)
        return None
    resolved = e.fields.get("resolved") or None
    node = Node(real, version, e.line, hashes=integrity_hashes(e.fields.get("integrity")))
    for p in e.patterns:
        alias, alias_range = split_spec(p)
        if alias != real and npm_alias(alias_range) == real:
            node.properties.add((ALIAS, alias))
    if range_.startswith(_LOCAL_PROTOCOLS):
        node.properties.add((SOURCE, range_.partition(":")[0]))
        node.source_url = range_
        if range_.startswith("link:"):
            node.version = None  # yarn writes a placeholder "0.0.0" for links
    elif _is_git(range_) or (resolved is not None and _is_git(resolved)):
        node.properties.add((SOURCE, "git"))
        node.source_url = resolved or range_
    else:
        if range_.startswith(("http://", "https://")):
            node.properties.add((SOURCE, "url"))
        if resolved is not None:
            node.source_url = resolved.partition("#")[0]
            node.hashes = node.hashes or _sha1_fragment(resolved)
    return node


def _package_specs(directory: Path) -> dict[Scope, dict[str, str]]:
    """``{name: range}`` per kind from a package.json; yarn classic looks up ``name@range``."""
    try:
        data = json.loads((directory / "package.json").read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        Scope.REQUIRED: str_map(data.get("dependencies")),
        Scope.OPTIONAL: str_map(data.get("optionalDependencies")),
        Scope.DEV: str_map(data.get("devDependencies")),
    }


def _classic_roots(
    graph: LockGraph, index: dict[str, str | None], source: Source, unknown: UnknownDeps
) -> Component | None:
    lock_dir, rel_dir = _lock_dir(source)
    manifest = read_package_json(lock_dir, rel_dir)
    if manifest is None:
        return None
    graph.direct_known = True
    owners: list[tuple[str | None, Path, Manifest]] = [(None, lock_dir, manifest)]
    members: dict[str, str] = {}  # name -> node key
    for rel, member in _classic_members(lock_dir, rel_dir, manifest.workspaces):
        key = f"workspace:{rel}"
        name = member.name or rel.rpartition("/")[2]
        graph.nodes[key] = Node(
            name,
            member.version,
            None,
            properties={(SOURCE, "workspace")},
            where=Location(member.path),
        )
        graph.roots.append((None, key, Scope.REQUIRED))
        members.setdefault(name, key)
        owners.append((key, lock_dir / rel, member))
    for owner, directory, m in owners:
        for kind, table in _package_specs(directory).items():
            for name, range_ in table.items():
                target = index.get(f"{name}@{range_}", members.get(name))
                if target is None and f"{name}@{range_}" not in index:
                    unknown(Location(m.path), name, range_)
                elif target is not None and target != owner:
                    graph.roots.append((owner, target, kind))
    return project_component(manifest)


def _classic_members(
    lock_dir: Path, rel_dir: str, patterns: tuple[str, ...]
) -> list[tuple[str, Manifest]]:
    """Workspace members named by ``workspaces`` globs, as (path under lock_dir, manifest)."""
    found: dict[str, Manifest] = {}
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/")
        if not pattern or pattern.startswith(("/", "!")) or ".." in pattern.split("/"):
            continue
        try:
            dirs = sorted(lock_dir.glob(pattern))
        except (ValueError, OSError):
            continue
        for d in dirs:
            rel = d.relative_to(lock_dir).as_posix()
            if rel in found or rel == "." or "node_modules" in rel.split("/"):
                continue
            m = read_package_json(d, posixpath.join(rel_dir, rel))
            if m is not None:
                found[rel] = m
            if len(found) >= _MAX_WORKSPACES:
                return sorted(found.items())
    return sorted(found.items())


# -- yarn berry: decode ---------------------------------------------------------------------


@dataclass(slots=True)
class _BerryEntry:
    key: str
    line: int | None
    descriptors: list[str]
    version: str | None
    resolution: str | None
    dependencies: dict[str, str]
    optional: frozenset[str]  # dependenciesMeta: {name: {optional: true}}


def _decode_berry(source: Source, text: str, result: CatalogResult) -> list[_BerryEntry]:
    doc = load_yaml(source, text, key_depth=1)
    meta = doc.root.get("__metadata")
    if not isinstance(meta, dict):
        raise CatalogError(
            Msg.WRONG_FORMAT, source.rel, "neither '# yarn lockfile v1' nor '__metadata' found"
        )
    version = meta.get("version")
    if not isinstance(version, str) or version not in _BERRY_VERSIONS:
        raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, f"__metadata version {version!r}")
    for (dup,), dup_line in doc.duplicates:
        result.warn(Msg.DUPLICATE_ENTRY, source.at(dup_line), dup)
    entries: list[_BerryEntry] = []
    for key, raw in doc.root.items():
        if key == "__metadata":
            continue
        line = doc.lines.get((key,))
        if not isinstance(raw, dict):
            result.warn(Msg.INVALID_ENTRY, source.at(line), f"{key}: not a mapping")
            continue
        version = raw.get("version")
        resolution = raw.get("resolution")
        entries.append(
            _BerryEntry(
                key,
                line,
                [d.strip() for d in key.split(",") if d.strip()],
                version if isinstance(version, str) and version else None,
                resolution if isinstance(resolution, str) and resolution else None,
                str_map(raw.get("dependencies")),
                frozenset(
                    split_spec(k)[0]
                    for k, v in as_map(raw.get("dependenciesMeta")).items()
                    if as_map(v).get("optional") == "true"
                ),
            )
        )
    return entries


# -- yarn berry: map ------------------------------------------------------------------------


class _BerryIndex:
    """Descriptor -> node key. Soft links carry ``::locator=<parent>`` in their key."""

    def __init__(self) -> None:
        self.exact: dict[str, str | None] = {}  # None: the entry was skipped
        self.unbound: dict[str, str | None] = {}  # the same without ``::`` bindings

    def add(self, descriptor: str, key: str | None) -> None:
        self.exact[descriptor] = key
        self.unbound.setdefault(descriptor.partition("::")[0], key)

    def find(self, name: str, range_: str, parent: str) -> tuple[bool, str | None]:
        """(found, node key): a berry v4/v6 ``^1.0.0`` means ``npm:^1.0.0``."""
        d = f"{name}@{range_}"
        for cand in (d, f"{d}::locator={quote(parent, safe='', errors='surrogatepass')}"):
            if cand in self.exact:
                return True, self.exact[cand]
        if not has_protocol(range_) and f"{name}@npm:{range_}" in self.exact:
            return True, self.exact[f"{name}@npm:{range_}"]
        if d in self.unbound:
            return True, self.unbound[d]
        return False, None


def _berry(source: Source, text: str, result: CatalogResult) -> tuple[LockGraph, Component | None]:
    entries = _decode_berry(source, text, result)
    graph = LockGraph()
    index = _BerryIndex()
    workspaces: list[tuple[_BerryEntry, str]] = []  # (entry, path)
    kept: list[_BerryEntry] = []
    for e in entries:
        fresh = [d for d in e.descriptors if d not in index.exact]
        if len(fresh) < len(e.descriptors):
            dup = next(d for d in e.descriptors if d in index.exact)
            result.warn(Msg.DUPLICATE_ENTRY, source.at(e.line), dup)
            if not fresh:
                continue
        node, workspace = _berry_node(e, source, result)
        key = e.key if node is not None or workspace is not None else None
        for d in fresh:
            index.add(d, key)
            if "@patch:" in d and "builtin<" in d and key is not None:
                index.exact[_patch_base(d)] = key  # yarn patches every such descriptor
        if workspace is not None:
            workspaces.append((e, workspace))
        if node is not None:
            graph.nodes[e.key] = node
            if workspace is None:  # a workspace's dependencies are roots, not edges
                kept.append(e)
    unknown = UnknownDeps(result)
    for e in kept:
        for name, range_ in e.dependencies.items():
            found, target = index.find(name, range_, e.resolution or e.key)
            kind = Scope.OPTIONAL if name in e.optional else Scope.REQUIRED
            if not found:
                unknown(source.at(e.line), name, range_)
            elif target is not None:
                graph.nodes[e.key].deps.append((target, kind))
    return graph, _berry_workspaces(graph, index, workspaces, source, unknown)


def _patch_base(descriptor: str) -> str:
    """``ts@patch:ts@npm%3A^5#optional!builtin<compat/ts>`` -> ``ts@npm:^5``."""
    return unquote(descriptor.partition("@patch:")[2].partition("#")[0])


def _berry_node(
    e: _BerryEntry, source: Source, result: CatalogResult
) -> tuple[Node | None, str | None]:
    """The entry's node, and its path when it is a workspace (``name@workspace:path``)."""
    where = source.at(e.line)
    locator = e.resolution or (e.descriptors[0] if e.descriptors else "")
    name, reference = split_spec(locator)
    if not name or (name[0] == "@" and "/" not in name):
        result.warn(Msg.MISSING_NAME, where, e.key)
        return None, None
    if not is_valid_name(name):
        result.warn(Msg.INVALID_ENTRY, where, f"cannot read a package name from {locator!r}")
        return None, None
    if reference.startswith("workspace:"):
        path = reference[len("workspace:") :] or "."
        if path == ".":
            return None, path
        node = Node(name, None, e.line, properties={(SOURCE, "workspace")})
        return node, path
    if e.version is None:
        result.warn(Msg.MISSING_VERSION, where, name)
        return None, None
    version = None if e.version == _PLACEHOLDER_VERSION else e.version
    node = Node(name, version, e.line)
    for d in e.descriptors:
        alias = split_spec(d)[0]
        if alias != name:
            node.properties.add((ALIAS, alias))
    _berry_source(node, reference)
    return node, None


def _berry_source(node: Node, reference: str) -> None:
    """Where a berry locator's reference says the package comes from."""
    bare = reference.partition("::")[0]
    if reference.startswith("patch:"):
        node.properties.add(("sbomkit:patched", "true"))
    elif reference.startswith(_LOCAL_PROTOCOLS):
        node.properties.add((SOURCE, reference.partition(":")[0]))
        node.source_url = bare.partition("#")[0]
    elif _is_git(reference):
        node.properties.add((SOURCE, "git"))
        node.source_url = bare
    elif reference.startswith(("http://", "https://")):
        node.properties.add((SOURCE, "url"))
        node.source_url = bare


def _berry_workspaces(
    graph: LockGraph,
    index: _BerryIndex,
    workspaces: list[tuple[_BerryEntry, str]],
    source: Source,
    unknown: UnknownDeps,
) -> Component | None:
    """Roots from workspace entries; package.json files split them into runtime and dev."""
    lock_dir, rel_dir = _lock_dir(source)
    project: Component | None = None
    for e, path in workspaces:
        graph.direct_known = True
        rel = workspace_relpath(".", path)
        manifest = (
            read_package_json(
                lock_dir / rel, posixpath.join(rel_dir, rel) if rel != "." else rel_dir
            )
            if rel is not None
            else None
        )
        owner: str | None = None
        if path == ".":
            project = project_component(manifest) or _berry_project(e, source)
        else:
            owner = e.key
            graph.roots.append((None, owner, Scope.REQUIRED))
            node = graph.nodes[owner]
            if manifest is not None and manifest.name == node.name:
                node.version = manifest.version
        for name, range_ in e.dependencies.items():
            found, target = index.find(name, range_, e.resolution or e.key)
            if not found:
                unknown(source.at(e.line), name, range_)
            elif target is not None and target != owner:
                graph.roots.append((owner, target, _root_kind(name, manifest, e.optional)))
    return project


def _root_kind(name: str, manifest: Manifest | None, optional: frozenset[str]) -> Scope:
    """A workspace entry lists runtime, dev and optional dependencies together."""
    if name in optional:
        return Scope.OPTIONAL
    if manifest is None or name in manifest.direct:
        return Scope.REQUIRED
    if name in manifest.dev:
        return Scope.DEV
    return Scope.OPTIONAL if name in manifest.optional else Scope.REQUIRED


def _berry_project(e: _BerryEntry, source: Source) -> Component | None:
    """No usable package.json: the root workspace entry names the project."""
    name = split_spec(e.resolution or e.key)[0]
    c = project_component(Manifest("npm", name, None, source.rel))
    return None if c is None else replace(c, locations=(source.at(e.line),))

"""What yarn.lock and pnpm-lock.yaml share: npm specs, a safe YAML reader, graph output.

- npm dependency specs: ``name@range``, ``@scope/name@range``, ``alias@npm:real@1.0.0``.
- :func:`load_yaml`: libyaml's event stream (C) folded into plain dicts, lists and strings.
  Every scalar stays a string (``version: 1.10`` is "1.10", a package called ``yes`` is not
  True), the first of duplicate keys wins and is reported, entry keys keep their line, and
  nesting cannot crash or stall the process (libyaml's composer recurses in C and
  segfaults on ~50,000 nested ``[``; this builder is a loop that stops at MAX_DEPTH
  levels, before libyaml's scanner gets slow). It is also 2-5x faster than
  ``yaml.load(Loader=CSafeLoader)`` on real lockfiles.
- :class:`LockGraph`: lockfile entries as nodes, importer/workspace roots, and one
  function that turns them into components, edges, scopes and ``direct`` flags.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from sbomkit.catalog.interface import CatalogResult, Source
from sbomkit.catalog.javascript._npm_common import (
    Components,
    new_component,
    scopes_by_reach,
    sorted_edges,
)
from sbomkit.catalog.manifest import Manifest
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError
from sbomkit.model import Component, Hash, Location, Scope

_SCOPE_RANK = {Scope.REQUIRED: 0, Scope.OPTIONAL: 1, Scope.DEV: 2}
# A name npm could publish or a lockfile could carry: optional @scope/, no spaces, no
# further slashes. Unicode is allowed (old registries and private ones have it).
_NAME = re.compile(r"(?:@[^\s/@]+/)?[^\s/@][^\s/]*")
_PROTOCOL = re.compile(r"[a-z][a-z0-9+.-]*:")


# -- npm specs ------------------------------------------------------------------------------


def split_spec(spec: str) -> tuple[str, str]:
    """``name@range`` -> (name, range); a leading ``@`` belongs to the scope. No ``@``: no range."""
    at = spec.find("@", 1)
    return (spec, "") if at < 0 else (spec[:at], spec[at + 1 :])


def npm_alias(range_: str) -> str | None:
    """The real package name of ``npm:real@1.0.0`` (or ``npm:@s/real``); None if no alias."""
    if not range_.startswith("npm:"):
        return None
    real, version = split_spec(range_[4:])
    # `npm:^1.0.0` is a range (berry writes these), not an alias of a package called "^1.0.0"
    looks_named = bool(version) or real[:1] == "@" or real[:1].isalpha()
    return real if looks_named and is_valid_name(real) else None


def is_valid_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def has_protocol(range_: str) -> bool:
    """``npm:^1``, ``workspace:*``, ``https://...`` have one; ``^1.2.0`` and ``1.x`` do not."""
    return _PROTOCOL.match(range_) is not None


@dataclass(slots=True)
class Node:
    """One lockfile entry, already decoded: what becomes (part of) a component."""

    name: str
    version: str | None
    line: int | None
    hashes: tuple[Hash, ...] = ()
    source_url: str | None = None
    properties: set[tuple[str, str]] = field(default_factory=set)
    deps: list[tuple[str, Scope]] = field(default_factory=list)  # (node key, edge kind)
    scope: Scope | None = None  # as stated by the file (pnpm dev flags); None: by reach
    where: Location | None = None  # instead of the lockfile line (a workspace's package.json)


@dataclass(slots=True)
class LockGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    # (owner node key or None for the project, target node key, kind of dependency)
    roots: list[tuple[str | None, str, Scope]] = field(default_factory=list)
    # True when roots are known (manifest or importers); False leaves `direct` as None.
    direct_known: bool = False


def workspace_relpath(base: str, rel: str) -> str | None:
    """``packages/api`` + ``../shared`` -> ``packages/shared``; None if it leaves the root."""
    joined = posixpath.normpath(posixpath.join(base, rel))
    if joined.startswith(("/", "../")) or joined == "..":
        return None
    return joined


def emit(
    graph: LockGraph, source: Source, result: CatalogResult, project: Component | None
) -> None:
    """Components (one per name@version), edges, scopes and direct flags into ``result``.

    Entries are grouped by name@version first (pnpm has one per peer variant, berry one per
    patch and its base), so each component is made once with its final scope and flags.
    """
    groups: dict[tuple[str, str | None], list[str]] = {}
    for key, node in graph.nodes.items():
        groups.setdefault((node.name, node.version), []).append(key)
    edges_by_key = {k: n.deps for k, n in graph.nodes.items() if n.deps}
    reached = scopes_by_reach(((t, s) for _, t, s in graph.roots), edges_by_key)
    direct_keys = {t for _, t, _ in graph.roots}
    comps = Components()
    ref_of: dict[str, str] = {}
    for (name, version), keys in groups.items():
        nodes = [graph.nodes[k] for k in keys]
        first = nodes[0]
        c = new_component(
            result,
            first.where or source.at(first.line),
            name,
            version,
            scope=_group_scope(graph, keys, reached),
            direct=any(k in direct_keys for k in keys) if graph.direct_known else None,
            hashes=tuple(sorted({h for n in nodes for h in n.hashes})),
            source_url=next((n.source_url for n in nodes if n.source_url), None),
            properties=tuple(sorted({p for n in nodes for p in n.properties})),
        )
        if c is not None:
            ref = comps.add(c)
            for k in keys:
                ref_of[k] = ref
    edges: set[tuple[str, str]] = set()
    for key, deps in edges_by_key.items():
        src = ref_of.get(key)
        if src is not None:
            edges.update((src, ref_of[t]) for t, _ in deps if t in ref_of)
    for owner, target, _ in graph.roots:
        src = project.ref if owner is None and project is not None else ref_of.get(owner or "")
        if src is not None and target in ref_of:
            edges.add((src, ref_of[target]))
    result.components = comps.sorted()
    result.dependencies = sorted_edges(edges)
    result.project = project
    result.diagnostics.sort(key=lambda d: (d.location.path, d.location.line or 0))


def _group_scope(graph: LockGraph, keys: list[str], reached: dict[str, Scope]) -> Scope:
    """The strongest scope among a component's entries; a scope the file states (pnpm's dev
    flags) wins over reachability. Unreached entries (a patched package's unpatched base,
    stale leftovers) count only when no entry of the component is reached: then required.
    """
    best: Scope | None = None
    for key in keys:
        scope = graph.nodes[key].scope or reached.get(key)
        if scope is not None and (best is None or _SCOPE_RANK[scope] < _SCOPE_RANK[best]):
            best = scope
    return best or Scope.REQUIRED


def project_component(manifest: Manifest | None) -> Component | None:
    """The manifest's own component; None without a name or when the name is not a purl."""
    if manifest is None:
        return None
    try:
        return manifest.component()
    except IdentityError:
        return None


class UnknownDeps:
    """UNKNOWN_DEPENDENCY warnings, once per dependency name."""

    def __init__(self, result: CatalogResult) -> None:
        self._result = result
        self._seen: set[str] = set()

    def __call__(self, where: Location, name: str, range_: str) -> None:
        if name not in self._seen:
            self._seen.add(name)
            self._result.warn(Msg.UNKNOWN_DEPENDENCY, where, f"{name}@{range_}")

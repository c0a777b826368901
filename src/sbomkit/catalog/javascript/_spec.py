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
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
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

try:  # libyaml; the pure-Python parser is the fallback
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    CParser = None  # type: ignore[assignment,misc]

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


# -- YAML -----------------------------------------------------------------------------------


@dataclass(slots=True)
class YamlDoc:
    root: dict[str, object]
    # 1-based line of each key at depth <= key_depth, by its path: ("packages", "a@1.0.0").
    lines: dict[tuple[str, ...], int]
    # Later occurrences of a key already seen in the same mapping (depth <= key_depth).
    duplicates: list[tuple[tuple[str, ...], int]]


_NOKEY = object()
# Lockfiles nest five or six levels. libyaml's scanner does work proportional to the flow
# depth for every token, so 100,000 nested `[` take a minute; stop long before that.
MAX_DEPTH = 64


class _Frame:
    __slots__ = ("container", "key", "key_line", "path")

    def __init__(self, container: dict[str, object] | list[object], path: tuple[str, ...] | None):
        self.container = container
        self.path = path  # set when this mapping's keys are recorded
        self.key: object = _NOKEY
        self.key_line = 0


class _Bad(Exception):
    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line, self.what = line, what


def load_yaml(source: Source, text: str, key_depth: int) -> YamlDoc:
    """One YAML document whose top level is a mapping, or CatalogError(WRONG_FORMAT)."""
    if not text.strip():
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
    try:
        doc = _build(text, key_depth)
    except _Bad as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"{e.what} at line {e.line}") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"invalid YAML{where}: {problem}") from e
    if not isinstance(doc.root, dict):
        kind = "empty" if doc.root is _NOKEY else f"a {type(doc.root).__name__}"
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"top level is {kind}, not a mapping")
    return doc


def _event_source(text: str) -> tuple[Callable[[], Event | None], Callable[[], None]]:
    if CParser is not None:
        parser = CParser(text)
        return parser.get_event, parser.dispose
    events = yaml.parse(text, Loader=yaml.BaseLoader)
    return lambda: next(events, None), lambda: None


def _build(text: str, key_depth: int) -> YamlDoc:
    get, dispose = _event_source(text)
    stack: list[_Frame] = []
    anchors: dict[str, object] = {}
    lines: dict[tuple[str, ...], int] = {}
    dups: list[tuple[tuple[str, ...], int]] = []
    root: object = _NOKEY
    documents = 0
    value: object
    try:
        while (ev := get()) is not None:
            cls = type(ev)
            if cls is ScalarEvent:
                value = ev.value  # type: ignore[attr-defined]
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:  # libyaml slows down quadratically with depth
                    raise _Bad(_line(ev), f"nesting deeper than {MAX_DEPTH} levels")
                container: dict[str, object] | list[object] = {} if cls is MappingStartEvent else []
                stack.append(_Frame(container, _child_path(stack, key_depth, container)))
                if ev.anchor:  # type: ignore[attr-defined]
                    anchors[ev.anchor] = container  # type: ignore[attr-defined]
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                value = stack.pop().container
            elif cls is AliasEvent:
                if ev.anchor not in anchors:  # type: ignore[attr-defined]
                    raise _Bad(_line(ev), "unknown alias")
                value = anchors[ev.anchor]  # type: ignore[attr-defined]
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Bad(_line(ev), "more than one YAML document")
                continue
            else:
                continue
            if cls is ScalarEvent and ev.anchor:  # type: ignore[attr-defined]
                anchors[ev.anchor] = value  # type: ignore[attr-defined]
            if not stack:
                root = value
                continue
            _attach(stack[-1], value, ev, lines, dups)
    finally:
        dispose()
    return YamlDoc(root, lines, dups)  # type: ignore[arg-type]  # checked by load_yaml


def _line(ev: Event) -> int:
    mark = ev.start_mark
    return 0 if mark is None else mark.line + 1


def _child_path(
    stack: list[_Frame], key_depth: int, container: dict[str, object] | list[object]
) -> tuple[str, ...] | None:
    if type(container) is not dict or len(stack) >= key_depth:
        return None
    if not stack:
        return ()
    parent = stack[-1]
    if parent.path is None or not isinstance(parent.key, str):
        return None
    return (*parent.path, parent.key)


def _attach(
    top: _Frame,
    value: object,
    ev: Event,
    lines: dict[tuple[str, ...], int],
    dups: list[tuple[tuple[str, ...], int]],
) -> None:
    c = top.container
    if type(c) is list:
        c.append(value)
        return
    if top.key is _NOKEY:
        if type(value) is not str:
            raise _Bad(_line(ev), "mapping key is not a string")
        top.key = value
        if top.path is not None:
            top.key_line = _line(ev)
        return
    key = top.key
    top.key = _NOKEY
    assert type(c) is dict and type(key) is str
    if key not in c:
        c[key] = value
        if top.path is not None:
            lines[(*top.path, key)] = top.key_line
    elif top.path is not None:
        dups.append(((*top.path, key), top.key_line))


def as_map(value: object) -> dict[str, object]:
    """A mapping from the YAML reader (keys are always str), or {} for anything else."""
    return value if isinstance(value, dict) else {}


def str_map(value: object) -> dict[str, str]:
    """``{name: range}``; entries whose value is not a string are dropped."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str) and k}


# -- graph ----------------------------------------------------------------------------------


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

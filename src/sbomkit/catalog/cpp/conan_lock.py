"""conan.lock: Conan 1 graph locks (version 0.4) and Conan 2 flat locks (version 0.5).

Conan 1 writes ``graph_lock.nodes``: node ``"0"`` is the consumer (a conanfile, not a
package), every other node has ``ref`` (``name/version[@user/channel][#rrev]``) and its
``requires`` / ``build_requires`` node ids, which become edges. Conan 2 lists references
in ``requires``, ``build_requires`` and ``python_requires`` with no graph.

The purl follows the purl-spec conan type: ``pkg:conan/name@version`` with ``user`` and
``channel`` qualifiers when they are not ``_`` and ``rrev`` for the recipe revision. Build
requirements (and python_requires, recipe code) are build tooling: dev scope.
"""

from __future__ import annotations

import json
import re
from typing import ClassVar, NamedTuple

from sbomkit.catalog.decode import JsonObject, as_list, as_str, as_table, clip, load_json_object
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, Dependency, Scope

PROP_KIND = "sbomkit:conan-requires"
PROP_PREV = "sbomkit:conan-prev"
PROP_CONTEXT = "sbomkit:conan-context"

_V1, _V2 = ("0.4",), ("0.5",)
_REF = re.compile(
    r"(?P<name>[^/@#:%\s]+)(?:/(?P<version>[^/@#:%\s]+))?"
    r"(?:@(?P<user>[^/#:%\s]+)(?:/(?P<channel>[^#:%\s]+))?)?"
    r"(?:#(?P<rrev>[^%:#\s]+)(?:%[^:\s]*)?)?(?::\S*)?"
)
_NODE_KEY = re.compile(r'^\s*"([^"\\]+)"\s*:\s*\{', re.M)
_V2_LISTS = (
    ("requires", Scope.REQUIRED),
    ("build_requires", Scope.DEV),
    ("python_requires", Scope.DEV),
)


class _Ref(NamedTuple):
    name: str
    version: str | None
    qualifiers: dict[str, str]


class ConanLockCataloger:
    name: ClassVar[str] = "conan-lock"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = load_json_object(source)
        version = data.get("version")
        if not isinstance(version, str):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no lock version")
        if version not in _V1 + _V2:
            raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, f"lock version {version}")
        if version in _V1:
            nodes = as_table(data.get("graph_lock")).get("nodes")
            if not isinstance(nodes, dict):
                raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no graph_lock.nodes object")
            return _GraphLock(source, text, nodes).read()
        return _flat(source, text, data)


def parse_ref(text: str) -> _Ref | None:
    """``zlib/1.3@user/channel#rrev%ts:pkgid`` -> name, version, purl qualifiers."""
    m = _REF.fullmatch(text.strip())
    if m is None:
        return None
    quals = {k: v for k in ("user", "channel", "rrev") if (v := m.group(k)) and v != "_"}
    return _Ref(m.group("name"), m.group("version"), quals)


def _make(
    source: Source,
    result: CatalogResult,
    raw: str,
    line: int | None,
    scope: Scope,
    direct: bool | None = None,
    properties: tuple[tuple[str, str], ...] = (),
) -> Component | None:
    where = source.at(line)
    ref = parse_ref(raw)
    if ref is None:
        result.warn(Msg.INVALID_ENTRY, where, clip(raw))
        return None
    if ref.version is None:
        result.warn(Msg.MISSING_VERSION, where, f"{ref.name}; skipped")
        return None
    try:
        return make_component(
            "conan",
            ref.name,
            ref.version,
            qualifiers=ref.qualifiers,
            scope=scope,
            direct=direct,
            locations=(where,),
            properties=properties,
        )
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, where, clip(e.detail))
        return None


def _flat(source: Source, text: str, data: dict[str, object]) -> CatalogResult:
    """Conan 2: three flat lists, no edges and no direct flags."""
    result = CatalogResult()
    seen: dict[str, Component] = {}
    for key, scope in _V2_LISTS:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"'{key}' is not an array")
        firsts: dict[str, int | None] = {}
        for raw, line in zip(value, _item_lines(text, key, value), strict=True):
            if not isinstance(raw, str):
                result.warn(Msg.INVALID_ENTRY, source.at(line), clip(json.dumps(raw)))
                continue
            if raw in firsts:
                detail = f"{raw}, first at line {firsts[raw]}"
                result.warn(Msg.DUPLICATE_ENTRY, source.at(line), detail)
                continue
            firsts[raw] = line
            props = () if key == "requires" else ((PROP_KIND, key),)
            c = _make(source, result, raw, line, scope, properties=props)
            if c is not None and c.ref not in seen:  # host and build context alike: one
                seen[c.ref] = c
                result.components.append(c)
    result.diagnostics.sort(key=lambda d: d.location.line or 0)
    return result


def _item_lines(text: str, key: str, items: list[object]) -> list[int | None]:
    """Line of each string of the array ``key``, searched for in order."""
    pos = text.find(f'"{key}"')
    lines: list[int | None] = []
    for item in items:
        at = text.find(json.dumps(item), pos) if pos >= 0 and isinstance(item, str) else -1
        if at < 0:
            lines.append(None)
            continue
        lines.append(text.count("\n", 0, at) + 1)
        pos = at + 1
    return lines


class _GraphLock:
    """Conan 1: the node graph, with scopes derived from the consumer's requirements."""

    def __init__(self, source: Source, text: str, nodes: dict[str, object]) -> None:
        self.source = source
        self.nodes = {k: as_table(v) for k, v in nodes.items()}
        self.lines = _node_lines(text, nodes)
        self.result = CatalogResult()
        for dup in nodes.duplicates if isinstance(nodes, JsonObject) else ():
            self.result.warn(Msg.DUPLICATE_ENTRY, source.at(None), f"node {dup} listed twice")

    def read(self) -> CatalogResult:
        root = "0" if "0" in self.nodes and "ref" not in self.nodes["0"] else None
        scopes = self._scopes(root)
        direct = set(self._children(root)) if root is not None else set()
        comps: dict[str, Component] = {}
        by_ref: dict[str, Component] = {}
        for node_id, node in self.nodes.items():
            if node_id == root:
                continue
            c = self._component(node_id, node, scopes.get(node_id, Scope.REQUIRED), direct)
            if c is None:
                continue
            if c.ref in by_ref:  # the same package in host and build context
                comps[node_id] = by_ref[c.ref]
                continue
            comps[node_id] = by_ref[c.ref] = c
            self.result.components.append(c)
        self._edges(comps, root)
        self.result.diagnostics.sort(key=lambda d: d.location.line or 0)
        return self.result

    def _children(self, node_id: str | None, keys: tuple[str, ...] = ("requires",)) -> list[str]:
        node = self.nodes.get(node_id or "", {})
        ids = [as_str(i) for k in keys for i in as_list(node.get(k))]
        return [i for i in ids if i is not None]

    def _scopes(self, root: str | None) -> dict[str, Scope]:
        """Reached from the root through ``requires``: required; only through a build
        requirement (or in the build context): dev."""
        out: dict[str, Scope] = {}
        todo = self._children(root) if root is not None else list(self.nodes)
        while todo:
            node_id = todo.pop()
            if node_id not in out and node_id in self.nodes:
                out[node_id] = Scope.REQUIRED
                todo.extend(self._children(node_id))
        for node_id, node in self.nodes.items():
            if node_id not in out or node.get("context") == "build":
                out[node_id] = Scope.DEV
        return out

    def _component(
        self, node_id: str, node: dict[str, object], scope: Scope, direct: set[str]
    ) -> Component | None:
        line = self.lines.get(node_id)
        raw = as_str(node.get("ref")) or as_str(node.get("pref"))
        if raw is None:
            self.result.warn(Msg.MISSING_NAME, self.source.at(line), f"node {clip(node_id)}")
            return None
        props = [(PROP_PREV, p)] if (p := as_str(node.get("prev"))) else []
        if (context := as_str(node.get("context"))) and context != "host":
            props.append((PROP_CONTEXT, context))
        return _make(
            self.source,
            self.result,
            raw,
            line,
            scope,
            direct=node_id in direct if direct else None,
            properties=tuple(sorted(props)),
        )

    def _edges(self, comps: dict[str, Component], root: str | None) -> None:
        """Edges between packages; the consumer's requirements are only checked."""
        warned: set[str] = set()
        edges: set[Dependency] = set()
        sources = [(root, None)] if root is not None else []
        for node_id, c in [*sources, *comps.items()]:
            for child in self._children(node_id, ("requires", "build_requires")):
                target = comps.get(child)
                if c is not None and target is not None and target.ref != c.ref:
                    edge = Dependency(c.ref, target.ref)
                    if edge not in edges:
                        edges.add(edge)
                        self.result.dependencies.append(edge)
                elif child not in self.nodes and child not in warned:
                    warned.add(child)
                    detail = f"node {clip(child)}"
                    self.result.warn(
                        Msg.UNKNOWN_DEPENDENCY, self.source.at(self.lines.get(node_id)), detail
                    )


def _node_lines(text: str, nodes: dict[str, object]) -> dict[str, int]:
    start = text.find('"nodes"')
    out: dict[str, int] = {}
    if start < 0:
        return out
    for m in _NODE_KEY.finditer(text, start):
        if m.group(1) in nodes:
            out.setdefault(m.group(1), text.count("\n", 0, m.start()) + 1)
    return out

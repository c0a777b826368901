"""What the npm-family catalogers share: decoding guards, integrity, licenses, people,
Node's module resolution, scope by reachability and one-component-per-identity merging.

Nothing here reads files: it works on text and values the catalogers already hold.
:func:`load_json_object` is the one way text becomes a top-level object (or a
:class:`CatalogError`), and :class:`KeyLines` finds the line of each entry.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, Dependency, Hash, License, Location, Scope

# Property names: facts with no home in the model.
SOURCE = "sbomkit:source"  # "workspace" | "file" | "git" | "url"
ALIAS = "sbomkit:alias"  # the name a package is installed under when it differs
PEER = "sbomkit:peer"
BUNDLED = "sbomkit:bundled"

_SRI = {  # Subresource Integrity algorithm -> (CycloneDX name, digest bytes)
    "sha1": ("SHA-1", 20),
    "sha256": ("SHA-256", 32),
    "sha384": ("SHA-384", 48),
    "sha512": ("SHA-512", 64),
}
_GIT_PREFIXES = ("git+", "git:", "github:", "gitlab:", "bitbucket:", "gist:")
_FILE_PREFIXES = ("file:", "link:")
_SCOPE_RANK = {Scope.REQUIRED: 0, Scope.OPTIONAL: 1, Scope.DEV: 2}
# Real trees nest a handful of levels; resolving a path walks all of them, so a hostile
# file with thousand-level paths is cut off here rather than made quadratic.
MAX_NESTING = 100
TOO_DEEP = f"nested deeper than {MAX_NESTING} levels"


# -- decoding guards: every raw value is checked before it becomes a typed field ----------


def as_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def dep_names(value: object) -> tuple[str, ...]:
    """The names of a ``{"name": "range"}`` map; anything else has none."""
    if not isinstance(value, dict):
        return ()
    return tuple(k for k in value if isinstance(k, str) and k)


def optional_peers(meta: object) -> frozenset[str]:
    """Names marked ``{"optional": true}`` in ``peerDependenciesMeta``."""
    if not isinstance(meta, dict):
        return frozenset()
    return frozenset(
        k for k, v in meta.items() if isinstance(v, dict) and v.get("optional") is True
    )


def load_json_object(source: Source, text: str) -> dict[str, Any]:
    """Parse ``text`` as one JSON object or raise WRONG_FORMAT naming what is wrong."""
    if not text.strip():
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        detail = f"{e.msg}: line {e.lineno} column {e.colno}"
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, detail) from e
    except (ValueError, RecursionError) as e:  # e.g. a 5,000-digit number, 10,000 nested [
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"{type(e).__name__}: {e}") from e
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"top level is {kind}, not an object")
    return data


class KeyLines:
    """Line numbers of object keys that a file lists in order (npm and bun write them so).

    Each lookup searches forward from the previous hit, so a whole file costs one pass of
    ``str.find`` and ``str.count`` in C. A key that is not found (hand-escaped, reformatted)
    gets None and does not move the cursor; after a few such misses lookups stop, so a
    hostile file cannot make this quadratic.
    """

    _MAX_MISSES = 16

    def __init__(self, text: str, section: str | None = None) -> None:
        self._text = text
        self._pos = 0
        self._line = 1
        self._misses = 0
        if section is not None:
            self.line(section, opens="{")

    def line(self, key: str, opens: str = "") -> int | None:
        """The line of ``"key":`` whose value starts with one of ``opens`` (any if empty)."""
        if self._misses > self._MAX_MISSES:
            return None
        raw = json.dumps(key, ensure_ascii=False)
        escaped = json.dumps(key)  # the same key as \uXXXX escapes, as some writers emit
        for needle in (raw, escaped) if escaped != raw else (raw,):
            i = self._find(needle + ":", opens)
            if i >= 0:
                self._line += self._text.count("\n", self._pos, i)
                self._pos = i
                return self._line
        self._misses += 1
        return None

    def _find(self, needle: str, opens: str) -> int:
        text, start = self._text, self._pos
        while True:
            i = text.find(needle, start)
            if i < 0:
                return i
            after = text[i + len(needle) : i + len(needle) + 16].lstrip()[:1]
            if not opens or (after and after in opens):
                return i
            start = i + 1


# -- package facts -----------------------------------------------------------------------


def integrity_hashes(value: object) -> tuple[Hash, ...]:
    """``sha512-<base64>`` (space-separated, several allowed) -> hex digests; junk is dropped."""
    if not isinstance(value, str):
        return ()
    out: set[Hash] = set()
    for token in value.split():
        algo, sep, rest = token.partition("-")
        known = _SRI.get(algo.lower())
        if not sep or known is None:
            continue
        try:
            digest = base64.b64decode(rest.partition("?")[0], validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(digest) == known[1]:
            out.add(Hash(known[0], digest.hex()))
    return tuple(sorted(out))


def source_kind(resolved: str | None) -> str | None:
    """``git`` or ``file`` for a non-registry ``resolved``/spec; None for a registry tarball."""
    if not resolved:
        return None
    if resolved.startswith(_GIT_PREFIXES):
        return "git"
    if resolved.startswith(_FILE_PREFIXES):
        return "file"
    return None


def licenses_of(license_field: object, legacy: object = None) -> tuple[License, ...]:
    """``license`` as a string or ``{"type"}`` object, else the legacy ``licenses`` array."""
    first = _license_text(license_field)
    if first:
        return (License(first, False),)
    out: list[str] = []
    for value in [*_listed(license_field), *(legacy if isinstance(legacy, list) else [legacy])]:
        text = _license_text(value)
        if text and text not in out:
            out.append(text)
    return tuple(License(t, False) for t in out)


def _listed(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _license_text(value: object) -> str | None:
    text = value.get("type") if isinstance(value, dict) else value
    return text.strip() or None if isinstance(text, str) else None


def person(value: object) -> str | None:
    """``"Name <mail> (url)"`` as written, or ``{"name", "email"}`` as ``Name <mail>``."""
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, dict):
        return None
    name, email = as_str(value.get("name")), as_str(value.get("email"))
    if name and email:
        return f"{name} <{email}>"
    return name or email or None


def path_name(path: str) -> str:
    """The package name a ``node_modules`` path installs: ``a/node_modules/@s/b`` -> ``@s/b``."""
    idx = path.rfind("node_modules/")
    return path[idx + len("node_modules/") :] if idx >= 0 else path.rpartition("/")[2]


def is_local_path(path: str) -> bool:
    """A path outside every ``node_modules`` folder: the project, a workspace, a linked dir."""
    return "node_modules" not in path.split("/")


# -- resolution and graph ----------------------------------------------------------------


def node_resolve(keys: Mapping[str, object] | set[str], from_path: str, name: str) -> str | None:
    """Node's lookup: ``<dir>/node_modules/<name>`` from ``from_path`` up to the root.

    Paths are POSIX and relative to the project root (``""``); a directory that is itself
    called ``node_modules`` is skipped, exactly as ``require.resolve`` does.
    """
    d = from_path
    while True:
        if d.rpartition("/")[2] != "node_modules":
            cand = f"{d}/node_modules/{name}" if d else f"node_modules/{name}"
            if cand in keys:
                return cand
        if not d:
            return None
        d = d.rpartition("/")[0]


def scopes_by_reach(
    roots: Iterable[tuple[str, Scope]], edges: Mapping[str, list[tuple[str, Scope]]]
) -> dict[str, Scope]:
    """The strongest scope each node is reached with from ``roots``.

    A path is as weak as its weakest edge (required < optional < dev); a node takes its
    strongest path. Three breadth-first passes, one per scope, so O(3 * (V + E)).
    """
    roots = list(roots)
    best: dict[str, Scope] = {}
    for level in (Scope.REQUIRED, Scope.OPTIONAL, Scope.DEV):
        rank = _SCOPE_RANK[level]
        stack = [n for n, s in roots if _SCOPE_RANK[s] <= rank]
        stack.extend(best)
        seen = set(stack)
        for n in stack:
            best.setdefault(n, level)
        while stack:
            for target, kind in edges.get(stack.pop(), ()):
                if _SCOPE_RANK[kind] <= rank and target not in seen:
                    seen.add(target)
                    best.setdefault(target, level)
                    stack.append(target)
    return best


def new_component(
    result: CatalogResult, where: Location, name: str, version: str | None, **fields: Any
) -> Component | None:
    """:func:`make_component`, or an INVALID_ENTRY warning when the name cannot be a purl."""
    try:
        return make_component("npm", name, version, locations=(where,), **fields)
    except IdentityError as e:  # surrogates, names purl rejects
        result.warn(Msg.INVALID_ENTRY, where, e.detail)
        return None


class Components:
    """One component per identity (purl): later sightings merge into the first one.

    The first location is kept (a component has one location per file); scope becomes the
    strongest, ``direct`` true if any sighting is direct, properties and hashes the union.
    """

    def __init__(self) -> None:
        self._by_ref: dict[str, Component] = {}

    def add(self, c: Component) -> str:
        old = self._by_ref.get(c.ref)
        if old is None:
            self._by_ref[c.ref] = c
        elif old != c:
            self._by_ref[c.ref] = replace(
                old,
                scope=min(old.scope, c.scope, key=_SCOPE_RANK.__getitem__),
                direct=_or(old.direct, c.direct),
                hashes=tuple(sorted(set(old.hashes) | set(c.hashes))),
                licenses=old.licenses or c.licenses,
                properties=tuple(sorted(set(old.properties) | set(c.properties))),
                source_url=old.source_url or c.source_url,
            )
        return c.ref

    def get(self, ref: str) -> Component | None:
        return self._by_ref.get(ref)

    def settle(self, scopes: Mapping[str, Scope], direct_refs: set[str], known: bool) -> None:
        """:meth:`set_scope` and :meth:`set_direct` in one pass (one copy per component)."""
        for ref, c in self._by_ref.items():
            scope = scopes.get(ref, Scope.REQUIRED)
            flag = (ref in direct_refs) if known else None
            if c.scope is not scope or c.direct is not flag:
                self._by_ref[ref] = replace(c, scope=scope, direct=flag)

    def set_scope(self, scopes: Mapping[str, Scope]) -> None:
        for ref, c in self._by_ref.items():
            scope = scopes.get(ref, Scope.REQUIRED)
            if c.scope is not scope:
                self._by_ref[ref] = replace(c, scope=scope)

    def set_direct(self, direct_refs: set[str], known: bool) -> None:
        for ref, c in self._by_ref.items():
            flag = (ref in direct_refs) if known else None
            if c.direct is not flag:
                self._by_ref[ref] = replace(c, direct=flag)

    def sorted(self) -> list[Component]:
        return sorted(self._by_ref.values(), key=lambda c: c.ref)


def _or(a: bool | None, b: bool | None) -> bool | None:
    return None if a is None and b is None else bool(a or b)


def sorted_edges(edges: set[tuple[str, str]]) -> list[Dependency]:
    return [Dependency(s, t) for s, t in sorted(edges) if s != t]

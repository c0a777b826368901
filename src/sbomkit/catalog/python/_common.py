"""Shared plumbing for the Python lockfile catalogers.

Decoding helpers that never trust the shape of parsed input, the cheap line scan that
finds where each ``[[package]]`` starts, hash names, dependency-graph scope derivation and
:class:`Builder`, which turns decoded entries into components and edges with the same
duplicate and unknown-dependency rules for every format.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import PurePosixPath
from typing import NamedTuple, TypeVar

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from sbomkit.catalog.decode import Table, as_table, clip
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.manifest import Manifest, read_pyproject
from sbomkit.i18n import Msg
from sbomkit.identity import make_component, pypi_name
from sbomkit.model import Component, ComponentType, Dependency, Hash, Location, Scope

K = TypeVar("K", bound=Hashable)

# Property keys this package sets on components.
PROP_SOURCE = "sbomkit:source"
PROP_MARKER = "sbomkit:marker"
PROP_EXTRAS = "sbomkit:extras"
PROP_HASH_COUNT = "sbomkit:hash-count"

# Values of PROP_SOURCE. VCS other than git is reported as "vcs".
GIT, VCS, URL, PATH, EDITABLE = "git", "vcs", "url", "path", "editable"
VCS_KINDS = {"git": GIT, "hg": VCS, "svn": VCS, "bzr": VCS}

# hashlib / PEP 503 digest names -> (CycloneDX algorithm name, hex length).
_ALGORITHMS = {
    "md5": ("MD5", 32),
    "sha1": ("SHA-1", 40),
    "sha256": ("SHA-256", 64),
    "sha384": ("SHA-384", 96),
    "sha512": ("SHA-512", 128),
    "sha3_256": ("SHA3-256", 64),
    "sha3_384": ("SHA3-384", 96),
    "sha3_512": ("SHA3-512", 128),
}


# PEP 503 names, memoized: a lockfile names each package many times (edges, groups).
canon = lru_cache(maxsize=1 << 16)(pypi_name)


# --- decoding: every accessor tolerates any value -------------------------------------


def require_table(data: Table, key: str, source: Source) -> Table | None:
    """``data[key]`` when it is a table, None when absent; wrong type is wrong format."""
    value = data.get(key)
    if value is None or isinstance(value, dict):
        return value
    raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"'{key}' is not a table")


def require_list(data: Table, key: str, source: Source) -> list[object]:
    value = data.get(key, [])
    if isinstance(value, list):
        return value
    raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"'{key}' is not an array")


def check_major(source: Source, version: str | None, supported: Iterable[str]) -> None:
    """Refuse a lock format whose major version this code does not know."""
    if version is not None and version.partition(".")[0] not in supported:
        raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, f"lock version {version}")


# --- where entries start ----------------------------------------------------------------

_TOML_LINE = re.compile(r"^[ \t]*(\[\[?)[ \t]*([^\]\n]*?)[ \t]*\]|^[ \t]*name[ \t]*=", re.M)


def entry_lines(text: str, array: str, count: int) -> list[int | None]:
    """Line of ``name = ...`` in each ``[[array]]`` table (of its header when it has no
    name), in file order.

    One linear regex pass. When the scan does not find exactly ``count`` tables (inline
    arrays, odd layout) every line is None rather than a wrong one.
    """
    lines: list[int | None] = []
    expecting = False
    line, pos = 1, 0
    for m in _TOML_LINE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if m.group(1) is not None:
            expecting = m.group(1) == "[[" and m.group(2) == array
            if expecting:
                lines.append(line)
        elif expecting:
            lines[-1] = line
            expecting = False
    return lines if len(lines) == count else [None] * count


# --- hashes -----------------------------------------------------------------------------


def make_hash(algorithm: str, value: str) -> Hash | None:
    """A model hash from a digest name and hex value; None for unknown or malformed input."""
    known = _ALGORITHMS.get(algorithm.strip().lower().replace("-", "_"))
    value = value.strip().lower()
    if known is None or len(value) != known[1]:
        return None
    if value.strip("0123456789abcdef"):  # something other than hex digits is left
        return None
    return Hash(known[0], value)


def parse_hash(text: str) -> Hash | None:
    """``sha256:abc...`` (also ``sha256=abc...``, the URL-fragment form)."""
    sep = ":" if ":" in text else "="
    algorithm, _, value = text.partition(sep)
    return make_hash(algorithm, value) if value else None


def listed_hashes(values: Sequence[str]) -> tuple[tuple[Hash, ...], tuple[tuple[str, str], ...]]:
    """(hashes, properties) for a list of ``algo:hex`` strings: a lone hash names the one
    artifact; several (one per wheel) are only counted."""
    if len(values) == 1:
        h = parse_hash(values[0])
        return ((h,) if h else ()), ()
    return (), hash_count_prop(len(values))


def hash_table(value: object) -> tuple[Hash, ...]:
    """``{ sha256 = "..." }`` (PEP 751) -> hashes, strongest first."""
    out = [
        h
        for k, v in as_table(value).items()
        if isinstance(v, str) and (h := make_hash(k, v)) is not None
    ]
    return tuple(sorted(out))


# --- dependency names -------------------------------------------------------------------

# Name, extras and the rest of a PEP 508 string; liberal about the name's characters.
_REQ_HEAD = re.compile(r"\s*([^\s\[\](<>=!~;@,]+)\s*(?:\[([^\]]*)\])?([^;]*)(;?)")


class ReqHead(NamedTuple):
    name: str
    extras: tuple[str, ...]
    spec: str | None  # the version constraint, when it is one
    has_marker: bool


def requirement_head(text: str) -> ReqHead | None:
    """Name, extras and constraint of a PEP 508 string, without a full parse."""
    m = _REQ_HEAD.match(text)
    if m is None:
        return None
    extras = tuple(e.strip() for e in (m.group(2) or "").split(",") if e.strip())
    spec = m.group(3).strip().strip("()").strip()
    ok = bool(spec) and spec[0] in "<>=!~"
    return ReqHead(m.group(1), extras, spec if ok else None, bool(m.group(4)))


def version_matches(version: str | None, constraint: str | None) -> bool:
    """Whether ``version`` satisfies a PEP 440 constraint; unknown or invalid -> True."""
    if version is None or constraint is None or constraint.strip() in ("", "*"):
        return True
    try:
        return SpecifierSet(constraint).contains(version, prereleases=True)
    except InvalidSpecifier:
        return True


# --- scope from the graph ---------------------------------------------------------------


def derive_scopes(
    edges: Mapping[K, Sequence[K]], tiers: Sequence[tuple[Scope, Iterable[K]]]
) -> dict[K, Scope]:
    """Scope of every node reachable from the tiers' roots, strongest tier first.

    A node reached from the REQUIRED roots is required even if a dev root reaches it too;
    the walk of a weaker tier stops at nodes a stronger tier already claimed.
    """
    scopes: dict[K, Scope] = {}
    for scope, roots in tiers:
        stack = [r for r in roots if r not in scopes]
        for r in stack:
            scopes[r] = scope
        while stack:
            for nxt in edges.get(stack.pop(), ()):
                if nxt not in scopes:
                    scopes[nxt] = scope
                    stack.append(nxt)
    return scopes


def strongest(scopes: Iterable[Scope]) -> Scope:
    """The strongest of the given scopes (required > optional > dev); dev when none."""
    found = set(scopes)
    return next((s for s in (Scope.REQUIRED, Scope.OPTIONAL) if s in found), Scope.DEV)


# --- the project beside the lockfile ----------------------------------------------------


def sibling_manifest(source: Source) -> Manifest | None:
    """pyproject.toml in the lockfile's directory, if there is a readable one."""
    rel_dir = str(PurePosixPath(source.rel).parent)
    return read_pyproject(source.path.parent, "" if rel_dir == "." else rel_dir)


# --- building the result ----------------------------------------------------------------


class Builder:
    """Collects components and edges for one file, applying the shared rules.

    - the same name and version twice -> DUPLICATE_ENTRY, the first is kept;
    - an edge to a name the file does not list -> UNKNOWN_DEPENDENCY once per name, no edge;
    - ``direct`` comes from the given set of canonical names, None when unknown.
    """

    def __init__(self, source: Source, direct_names: frozenset[str] | None = None) -> None:
        self.source = source
        self.result = CatalogResult()
        self.direct_names = direct_names
        self._seen: dict[tuple[str, str | None], Location] = {}
        self._by_name: dict[str, list[Component]] = {}
        self._warned: set[str] = set()
        self._edges: set[Dependency] = set()

    def warn(self, code: Msg, line: int | None, detail: str = "") -> None:
        self.result.warn(code, self.source.at(line), detail)

    def finish(self) -> CatalogResult:
        """The result, diagnostics in file and line order (file-level ones first)."""
        self.result.diagnostics.sort(key=lambda d: (d.location.path, d.location.line or 0))
        return self.result

    def is_direct(self, name: str) -> bool | None:
        return None if self.direct_names is None else canon(name) in self.direct_names

    def add(
        self,
        name: str,
        version: str | None,
        location: Location,
        *,
        scope: Scope = Scope.REQUIRED,
        direct: bool | None = None,
        hashes: tuple[Hash, ...] = (),
        source_url: str | None = None,
        properties: tuple[tuple[str, str], ...] = (),
    ) -> Component | None:
        """A component, or None (with a warning) for a duplicate or an unusable name."""
        key = (canon(name), version)
        first = self._seen.get(key)
        if first is not None:
            where = f"line {first.line}" if first.path == location.path else str(first)
            detail = f"{name} {version or ''}".strip() + f", first at {where}"
            self.result.warn(Msg.DUPLICATE_ENTRY, location, detail)
            return None
        try:
            comp = make_component(
                "pypi",
                name,
                version,
                scope=scope,
                direct=direct,
                hashes=hashes,
                locations=(location,),
                source_url=source_url,
                properties=properties,
            )
        except (ValueError, TypeError) as e:  # packageurl refuses some names
            self.result.warn(Msg.INVALID_ENTRY, location, f"{clip(repr(name))}: {e}")
            return None
        self._seen[key] = location
        self._by_name.setdefault(key[0], []).append(comp)
        self.result.components.append(comp)
        return comp

    def find(self, name: str) -> list[Component]:
        return self._by_name.get(canon(name), [])

    def link_to(self, source_ref: str, targets: Iterable[Component]) -> None:
        for t in targets:
            if t.ref != source_ref:
                dep = Dependency(source_ref, t.ref)
                if dep not in self._edges:
                    self._edges.add(dep)
                    self.result.dependencies.append(dep)

    def link(
        self,
        source_ref: str,
        name: str,
        line: int | None,
        *,
        constraint: str | tuple[str, ...] | None = None,
        version: str | None = None,
        conditional: bool = False,
    ) -> None:
        """Edge to the package(s) called ``name``, narrowed by version or constraint.

        ``conditional`` (a marker or an extra the lock may not have resolved) skips the
        unknown-dependency warning.
        """
        found = self.find(name)
        if len(found) > 1:
            specs = (
                (constraint,) if constraint is None or isinstance(constraint, str) else constraint
            )
            narrowed = [
                c
                for c in found
                if (version is None or c.version == version)
                and any(version_matches(c.version, spec) for spec in specs)
            ]
            found = narrowed or found
        if found:
            self.link_to(source_ref, found)
        elif not conditional:
            self.unknown(name, line)

    def unknown(self, name: str, line: int | None) -> None:
        canonical = canon(name)
        if canonical not in self._warned:
            self._warned.add(canonical)
            self.warn(Msg.UNKNOWN_DEPENDENCY, line, name)

    def set_project(self, project: Component | None, direct: Iterable[str] = ()) -> None:
        """The project this file belongs to, with edges to its direct dependencies."""
        self.result.project = project
        if project is None:
            return
        for name in sorted(direct):
            self.link(project.ref, name, None)

    def missing_version(
        self, name: str, line: int | None, source_kind: str | None, source_url: str | None
    ) -> bool:
        """Warn about an entry without a version; True when it is kept (non-registry)."""
        if source_kind is None:
            self.warn(Msg.MISSING_VERSION, line, f"{name}; skipped")
            return False
        where = f" {source_url}" if source_url else ""
        self.warn(Msg.NON_REGISTRY_SOURCE, line, f"{name} from {source_kind}{where}; no version")
        return True


def link_project(b: Builder, manifest: Manifest) -> None:
    """The manifest's project, with edges to the direct names the file lists.

    For exports and requirements files, which may leave groups out on purpose, a direct
    name the file lacks is not a warning.
    """
    project = b.result.project = manifest.component()
    if project is not None:
        for name in sorted(manifest.all_direct()):
            b.link_to(project.ref, b.find(name))


def project_component(
    name: str, version: str | None, location: Location, manifest: Manifest | None
) -> Component | None:
    """The root project: the manifest's view (with its license) when it names the same
    package and version, else the lock's own entry."""
    if (
        manifest is not None
        and manifest.name
        and canon(manifest.name) == canon(name)
        and (version is None or manifest.version == version)
    ):
        return manifest.component()
    try:
        return make_component(
            "pypi", name, version, type=ComponentType.APPLICATION, locations=(location,)
        )
    except (ValueError, TypeError):
        return None


def source_props(
    kind: str | None, marker: str | None = None, extras: Sequence[str] = ()
) -> tuple[tuple[str, str], ...]:
    props: list[tuple[str, str]] = []
    if extras:
        props.append((PROP_EXTRAS, ",".join(extras)))
    if marker:
        props.append((PROP_MARKER, marker))
    if kind:
        props.append((PROP_SOURCE, kind))
    return tuple(props)


def hash_count_prop(count: int) -> tuple[tuple[str, str], ...]:
    return ((PROP_HASH_COUNT, str(count)),) if count else ()

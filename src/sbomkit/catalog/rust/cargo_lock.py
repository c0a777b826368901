"""Cargo.lock, every format cargo writes: v1 and v2 (no ``version`` key), v3 and v4.

v1 keeps checksums apart, in ``[metadata]`` keys ``"checksum <name> <version> (<source>)"``;
later versions put ``checksum`` on the package. A package without ``source`` is part of
the workspace: the one named by the ``[package]`` of the Cargo.toml beside the lock is the
project, the others are first-party components. The lock does not say which dependencies
are dev-only, so scope comes from the manifest: what only ``[dev-dependencies]`` reach is
dev, the rest required. Without a manifest scope is required and ``direct`` unknown.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from sbomkit.catalog import _toml as toml
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.rust._common import GIT, PATH, REGISTRY, Collector, as_str, source_props
from sbomkit.i18n import Msg
from sbomkit.model import Component, ComponentType, Hash, Scope

Table = dict[str, object]

SUPPORTED_VERSIONS = (3, 4)  # v1 and v2 have no version key
CRATES_IO = frozenset(
    {"registry+https://github.com/rust-lang/crates.io-index", "sparse+https://index.crates.io/"}
)
MANIFEST_LIMIT = 16 * 1024 * 1024
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
# "name", "name version" or "name version (source)": dependency entries and v1 metadata.
_ENTRY = re.compile(r"(\S+)(?: (\S+))?(?: \((.+)\))?")
_LINE = re.compile(r"^[ \t]*(\[\[?)[ \t]*([^\]\n]*?)[ \t]*\]|^[ \t]*name[ \t]*=", re.M)


class _Dep(NamedTuple):
    name: str
    version: str | None
    source: str | None
    text: str


class _Package(NamedTuple):
    name: str | None
    version: str | None
    source: str | None
    checksum: str | None
    deps: tuple[_Dep, ...]
    line: int | None


@dataclass(frozen=True, slots=True)
class _Manifest:
    """What the lock needs from Cargo.toml: the package name and dependency kinds."""

    name: str | None
    required: frozenset[str]  # [dependencies], [build-dependencies], target-specific too
    dev: frozenset[str]


class CargoLockCataloger:
    name: ClassVar[str] = "cargo-lock"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = _load(source)
        raw = data.get("package")
        if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
            what = "no [[package]] tables" if raw is None else "'package' is not an array of tables"
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, what)
        sums = _v1_checksums(data, source)
        lines = _entry_lines(text, len(raw))
        packages = [_package(t, ln, sums) for t, ln in zip(raw, lines, strict=True)]
        return _Lock(source, packages, _read_manifest(source)).build()


def _load(source: Source) -> tuple[Table, str]:
    text = source.read_text()
    if not text.strip():
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
    try:
        data = toml.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, str(e)) from e
    except RecursionError as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "nested too deeply") from e
    version = data.get("version")
    if version is not None:
        if not isinstance(version, int) or isinstance(version, bool):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "'version' is not an integer")
        if version not in SUPPORTED_VERSIONS:
            raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, f"Cargo.lock version {version}")
    return data, text


def _v1_checksums(data: Table, source: Source) -> dict[tuple[str, str, str | None], str]:
    meta = data.get("metadata", {})
    if not isinstance(meta, dict):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "'metadata' is not a table")
    out: dict[tuple[str, str, str | None], str] = {}
    for key, value in meta.items():
        m = _ENTRY.fullmatch(key.removeprefix("checksum "))
        if key.startswith("checksum ") and m and m.group(2) and isinstance(value, str):
            out[(m.group(1), m.group(2), m.group(3))] = value
    return out


def _entry_lines(text: str, count: int) -> list[int | None]:
    """Line of ``name = ...`` in each ``[[package]]`` table; all None if the scan is unsure."""
    lines: list[int | None] = []
    expecting = False
    line, pos = 1, 0
    for m in _LINE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if m.group(1) is not None:
            expecting = m.group(1) == "[[" and m.group(2) == "package"
            if expecting:
                lines.append(line)
        elif expecting:
            lines[-1] = line
            expecting = False
    return lines if len(lines) == count else [None] * count


def _package(t: Table, line: int | None, sums: dict[tuple[str, str, str | None], str]) -> _Package:
    name, version, src = as_str(t.get("name")), as_str(t.get("version")), as_str(t.get("source"))
    checksum = as_str(t.get("checksum"))
    if checksum is None and name and version:
        checksum = sums.get((name, version, src))
    deps = t.get("dependencies")
    entries = deps if isinstance(deps, list) else []
    return _Package(name, version, src, checksum, tuple(_dep(e) for e in entries), line)


def _dep(entry: object) -> _Dep:
    text = entry if isinstance(entry, str) else repr(entry)
    m = _ENTRY.fullmatch(text.strip())
    if m is None:
        return _Dep(text, None, None, text)
    return _Dep(m.group(1), m.group(2), m.group(3), text)


def _origin(src: str | None) -> tuple[str | None, str | None]:
    """(source kind property, source URL) of a package's ``source``."""
    if src is None:
        return PATH, None
    if src in CRATES_IO:
        return None, None
    scheme, plus, rest = src.partition("+")
    if scheme == "git" and plus:
        # git+https://github.com/o/r?rev=v1#<commit>  ->  git+https://github.com/o/r@<commit>
        base, _, commit = rest.partition("#")
        base = base.partition("?")[0]
        return GIT, f"git+{base}@{commit}" if commit else f"git+{base}"
    if scheme in ("registry", "sparse") and plus:
        return REGISTRY, rest
    return (scheme if plus else "unknown"), src


def _read_manifest(source: Source) -> _Manifest | None:
    """Cargo.toml beside the lock; a missing or broken one only costs scope and direct."""
    path = source.path.parent / "Cargo.toml"
    try:
        if not path.is_file() or path.stat().st_size > MANIFEST_LIMIT:
            return None
        data = toml.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        return None
    pkg = data.get("package")
    name = as_str(pkg.get("name")) if isinstance(pkg, dict) else None
    tables: list[object] = [data]
    targets = data.get("target")
    if isinstance(targets, dict):
        tables.extend(targets.values())
    required: set[str] = set()
    dev: set[str] = set()
    for t in tables:
        if isinstance(t, dict):
            required |= _dep_names(t.get("dependencies")) | _dep_names(t.get("build-dependencies"))
            dev |= _dep_names(t.get("dev-dependencies"))
    return _Manifest(name, frozenset(required), frozenset(dev - required))


def _dep_names(table: object) -> set[str]:
    """Package names of a dependency table; ``foo = { package = "bar" }`` is bar."""
    if not isinstance(table, dict):
        return set()
    out = set()
    for key, spec in table.items():
        renamed = as_str(spec.get("package")) if isinstance(spec, dict) else None
        out.add(renamed or key)
    return out


class _Lock:
    """Resolves dependency entries to packages, then scope, direct flags and edges."""

    def __init__(self, source: Source, packages: list[_Package], manifest: _Manifest | None):
        self.c = Collector(source)
        self.packages = packages
        self.manifest = manifest
        self.by_name: dict[str, list[int]] = {}
        for i, p in enumerate(packages):
            if p.name and p.version:
                self.by_name.setdefault(p.name, []).append(i)
        self.targets = [self._resolve(p) for p in packages]
        self.roots = self._roots()
        self.project = next(
            (i for i in self.roots if manifest and packages[i].name == manifest.name), None
        )

    def _resolve(self, p: _Package) -> list[int]:
        out: list[int] = []
        for d in p.deps:
            found = [
                j
                for j in self.by_name.get(d.name, [])
                if (d.version is None or self.packages[j].version == d.version)
                and (d.source is None or self.packages[j].source == d.source)
            ]
            if not found and p.name and p.version:
                detail = f"{p.name} {p.version} depends on {d.text!r}, not in the lock"
                self.c.unknown(d.name, p.line, detail)
            out.extend(found)
        return out

    def _roots(self) -> list[int]:
        """The packages whose dependencies are the project's: the manifest's package, or
        every workspace member when Cargo.toml is a virtual manifest."""
        if self.manifest is None:
            return []
        local = [
            i for i, p in enumerate(self.packages) if p.source is None and p.name and p.version
        ]
        if self.manifest.name is None:
            return local
        return [i for i in local if self.packages[i].name == self.manifest.name]

    def _direct(self) -> set[int]:
        if self.roots:
            return {j for i in self.roots for j in self.targets[i]}
        m = self.manifest
        names = (m.required | m.dev) if m else frozenset()
        return {j for n in names for j in self.by_name.get(n, [])}

    def _dev_only(self, direct: set[int]) -> set[int]:
        m = self.manifest
        if m is None:
            return set()
        dev_seeds = {j for j in direct if self.packages[j].name in m.dev}
        return self._reach(dev_seeds) - self._reach(direct - dev_seeds)

    def _reach(self, seeds: set[int]) -> set[int]:
        seen: set[int] = set()
        stack = list(seeds)
        while stack:
            i = stack.pop()
            if i not in seen:
                seen.add(i)
                stack.extend(self.targets[i])
        return seen

    def build(self) -> CatalogResult:
        direct = self._direct()
        dev = self._dev_only(direct)
        nodes: dict[int, Component] = {}
        for i, p in enumerate(self.packages):
            comp = self._component(i, p, i in dev, None if self.manifest is None else i in direct)
            if comp is None:
                continue
            nodes[i] = comp
            if i == self.project:
                self.c.result.project = comp
            else:
                self.c.result.components.append(comp)
        for i, comp in nodes.items():
            for j in self.targets[i]:
                if j in nodes:
                    self.c.link(comp, nodes[j])
        return self.c.finish()

    def _component(self, i: int, p: _Package, dev: bool, direct: bool | None) -> Component | None:
        if p.name is None:
            self.c.warn(Msg.MISSING_NAME, p.line, "[[package]] without a name")
            return None
        if p.version is None:
            self.c.warn(Msg.MISSING_VERSION, p.line, f"{p.name} has no version")
            return None
        if i == self.project:
            return self.c.make(p.name, p.version, p.source, p.line, type=ComponentType.APPLICATION)
        kind, url = _origin(p.source)
        return self.c.make(
            p.name,
            p.version,
            p.source,
            p.line,
            scope=Scope.DEV if dev else Scope.REQUIRED,
            direct=direct,
            hashes=self._hashes(p),
            source_url=url,
            properties=source_props(kind),
        )

    def _hashes(self, p: _Package) -> tuple[Hash, ...]:
        if p.checksum is None or p.checksum == "<none>":
            return ()
        if _HEX64.fullmatch(p.checksum) is None:
            detail = f"{p.name} {p.version}: checksum is not a SHA-256 hex digest"
            self.c.warn(Msg.INVALID_ENTRY, p.line, detail)
            return ()
        return (Hash("SHA-256", p.checksum.lower()),)

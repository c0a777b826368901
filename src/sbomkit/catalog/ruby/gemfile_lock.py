"""Gemfile.lock / gems.locked (Bundler 1.x-2.x): GEM, GIT and PATH specs, DEPENDENCIES.

Each source section lists resolved gems as 4-space ``name (version[-platform])`` lines and
their dependencies as 6-space ``name (requirement)`` lines. A gem locked for several
platforms appears once per platform; each is a component whose purl carries ``platform``.
DEPENDENCIES lists the Gemfile's gems (direct); ``name!`` pins one to a GIT or PATH source.
CHECKSUMS (Bundler 2.5+) gives SHA-256 digests. The lock has no groups: a Gemfile beside
it is scanned with regexes (never evaluated) for development/test groups, and gems reached
only from those are dev; without one every gem is required. A DEPENDENCIES entry without a
spec is not a warning: Bundler leaves out gems for other platforms (``tzinfo-data``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, Dependency, Hash, Scope

_SOURCES = ("GEM", "GIT", "PATH")
_HEADER = re.compile(r"[A-Z][A-Z ]*")
_ATTR = re.compile(r"  ([a-z_]+): ?(.*)")
_SPEC = re.compile(r"    ([A-Za-z0-9_.\-]+) \(([^()\s]+)\)")
_SPEC_NO_VERSION = re.compile(r"    ([A-Za-z0-9_.\-]+)")
_DEP = re.compile(r"      ([A-Za-z0-9_.\-]+)(?: \(([^()]*)\))?")
_DIRECT = re.compile(r"  ([A-Za-z0-9_.\-]+)(?: \(([^()]*)\))?(!)?")
_CHECKSUM = re.compile(r"  ([A-Za-z0-9_.\-]+) \(([^()\s]+)\)(?: (.*))?")
_SHA256 = re.compile(r"sha256=([0-9a-f]{64})")
# Bundler lists itself only under BUNDLED WITH, never as a spec.
_IMPLICIT = frozenset({"bundler"})
# Gemfile scanning: groups whose gems are not needed at run time.
_DEV_GROUPS = frozenset({"development", "test"})
_GEMFILE_LIMIT = 1 << 20
_GROUP_BLOCK = re.compile(r"\s*group\s*\(?(.*?)\)?\s+do(?:\s*\|.*\|)?\s*(?:#.*)?")
_BLOCK = re.compile(
    r"\s*(?:if|unless|case|begin|while|until)\b.*|.*\bdo(?:\s*\|[^|]*\|)?\s*(?:#.*)?"
)
_END = re.compile(r"\s*end\b.*")
_GEM = re.compile(r"""\s*gem\s*\(?\s*["']([^"']+)["'](.*)""")
_INLINE_GROUP = re.compile(r"""(?:\bgroups?:|:groups?\s*=>)\s*(\[[^\]]*\]|:\w+|["']\w+["'])""")
_SYMBOL = re.compile(r"""(?::|["'])(\w+)""")


@dataclass(slots=True)
class _Spec:
    name: str
    version: str
    platform: str | None
    line: int
    kind: str  # GEM, GIT or PATH
    attrs: dict[str, str]
    deps: list[tuple[str, int]] = field(default_factory=list)


@dataclass(slots=True)
class _Lock:
    specs: list[_Spec] = field(default_factory=list)
    direct: dict[str, int] | None = None  # name -> line
    checksums: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: list[tuple[Msg, int, str]] = field(default_factory=list)


class GemfileLockCataloger:
    name: ClassVar[str] = "ruby-gemfile-lock"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        if not text.strip():
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        lock = _parse(text.splitlines())
        if not lock.specs and lock.direct is None:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no GEM, GIT, PATH or DEPENDENCIES")
        result = CatalogResult()
        for code, line, detail in lock.problems:
            result.warn(code, source.at(line), detail)
        comps = _components(source, lock, result)
        _link(source, lock, comps, result)
        result.diagnostics.sort(key=lambda d: d.location.line or 0)
        return result


# --- parsing ----------------------------------------------------------------------------


def _parse(lines: list[str]) -> _Lock:
    lock = _Lock()
    section = ""
    attrs: dict[str, str] = {}
    spec: _Spec | None = None
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if not line.startswith(" "):
            section, attrs, spec = line.strip(), {}, None
            if section == "DEPENDENCIES":
                lock.direct = lock.direct or {}
            elif not _HEADER.fullmatch(section):
                lock.problems.append((Msg.INVALID_ENTRY, no, _clip(line)))
        elif section in _SOURCES:
            spec = _source_line(lock, section, attrs, spec, line, no)
        elif section == "DEPENDENCIES":
            _direct_line(lock, line, no)
        elif section == "CHECKSUMS":
            _checksum_line(lock, line)
    return lock


def _source_line(
    lock: _Lock, kind: str, attrs: dict[str, str], spec: _Spec | None, line: str, no: int
) -> _Spec | None:
    if (m := _DEP.fullmatch(line)) is not None:
        if spec is not None:
            spec.deps.append((m.group(1), no))
        return spec
    if (m := _SPEC.fullmatch(line)) is not None:
        version, _, platform = m.group(2).partition("-")
        new = _Spec(m.group(1), version, platform or None, no, kind, attrs)
        lock.specs.append(new)
        return new
    if (m := _SPEC_NO_VERSION.fullmatch(line)) is not None:
        lock.problems.append((Msg.MISSING_VERSION, no, f"{m.group(1)}; skipped"))
    elif (m := _ATTR.fullmatch(line)) is not None:
        attrs[m.group(1)] = m.group(2).strip()
    else:
        lock.problems.append((Msg.INVALID_ENTRY, no, _clip(line.strip())))
    return None


def _direct_line(lock: _Lock, line: str, no: int) -> None:
    m = _DIRECT.fullmatch(line)
    if m is None:
        lock.problems.append((Msg.INVALID_ENTRY, no, _clip(line.strip())))
    elif lock.direct is not None:
        lock.direct.setdefault(m.group(1), no)


def _checksum_line(lock: _Lock, line: str) -> None:
    m = _CHECKSUM.fullmatch(line)
    if m is not None and (digest := _SHA256.search(m.group(3) or "")) is not None:
        lock.checksums[(m.group(1), m.group(2))] = digest.group(1)


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- building ---------------------------------------------------------------------------


_Key = tuple[str, str, str | None]


def _components(source: Source, lock: _Lock, result: CatalogResult) -> dict[_Key, Component]:
    scopes = _scopes(source, lock)
    seen: dict[_Key, int] = {}
    out: dict[_Key, Component] = {}
    for s in lock.specs:
        first = seen.get((s.name, s.version, s.platform))
        if first is not None:
            detail = f"{s.name} {_full_version(s)}, first at line {first}"
            result.warn(Msg.DUPLICATE_ENTRY, source.at(s.line), detail)
            continue
        try:
            c = _component(source, lock, s, scopes.get(s.name, Scope.REQUIRED))
        except IdentityError as e:
            result.warn(Msg.INVALID_ENTRY, source.at(s.line), e.detail)
            continue
        seen[(s.name, s.version, s.platform)] = s.line
        out[(s.name, s.version, s.platform)] = c
        result.components.append(c)
    return out


def _full_version(s: _Spec) -> str:
    return f"{s.version}-{s.platform}" if s.platform else s.version


def _component(source: Source, lock: _Lock, s: _Spec, scope: Scope) -> Component:
    props: tuple[tuple[str, str], ...] = ()
    url: str | None = None
    remote = s.attrs.get("remote")
    if s.kind == "GIT":
        props = (("sbomkit:source", "git"),)
        revision = s.attrs.get("revision")
        url = f"{remote}@{revision}" if remote and revision else remote
    elif s.kind == "PATH":
        props, url = (("sbomkit:source", "path"),), remote
    digest = lock.checksums.get((s.name, _full_version(s)))
    return make_component(
        "gem",
        s.name,
        s.version,
        qualifiers={"platform": s.platform} if s.platform else None,
        scope=scope,
        direct=None if lock.direct is None else s.name in lock.direct,
        hashes=(Hash("SHA-256", digest),) if digest else (),
        locations=(source.at(s.line),),
        source_url=url,
        properties=props,
    )


def _link(source: Source, lock: _Lock, made: dict[_Key, Component], result: CatalogResult) -> None:
    comps: dict[str, list[Component]] = {}
    for (name, _, _), c in made.items():
        comps.setdefault(name, []).append(c)
    warned: set[str] = set()
    edges: set[Dependency] = set()

    def unknown(name: str, line: int) -> None:
        if name not in warned and name not in _IMPLICIT:
            warned.add(name)
            result.warn(Msg.UNKNOWN_DEPENDENCY, source.at(line), name)

    for s in lock.specs:
        src = made.get((s.name, s.version, s.platform))
        for dep, line in s.deps:
            if dep not in comps:
                unknown(dep, line)
            elif src is not None:
                edges.update(Dependency(src.ref, t.ref) for t in comps[dep] if t.ref != src.ref)
    result.dependencies.extend(sorted(edges))


def _scopes(source: Source, lock: _Lock) -> dict[str, Scope]:
    """Gem name -> scope by reachability from the Gemfile's groups; {} without a Gemfile."""
    dev = _dev_roots(_sibling(source.path, "Gemfile"))
    if dev is None or lock.direct is None:
        return {}
    edges: dict[str, set[str]] = {}
    for s in lock.specs:
        edges.setdefault(s.name, set()).update(d for d, _ in s.deps)
    scopes: dict[str, Scope] = {}
    required = [n for n in lock.direct if n not in dev]
    for scope, roots in ((Scope.REQUIRED, required), (Scope.DEV, sorted(dev))):
        stack = [r for r in roots if r not in scopes]
        scopes.update(dict.fromkeys(stack, scope))
        while stack:
            for nxt in edges.get(stack.pop(), ()):
                if nxt not in scopes:
                    scopes[nxt] = scope
                    stack.append(nxt)
    return scopes


def _sibling(path: Path, name: str) -> Path:
    """``Gemfile`` beside ``Gemfile.lock``; ``gems.rb`` beside ``gems.locked``."""
    return path.with_name("gems.rb" if path.name == "gems.locked" else name)


def _dev_roots(path: Path) -> frozenset[str] | None:
    """Gems the Gemfile puts only in development/test groups; None without a Gemfile."""
    try:
        with path.open("rb") as fh:
            text = fh.read(_GEMFILE_LIMIT).decode("utf-8", "replace")
    except OSError:
        return None
    stack: list[frozenset[str]] = []
    dev: set[str] = set()
    other: set[str] = set()
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        if (m := _GEM.fullmatch(line)) is not None:
            groups = set().union(*stack)
            if (inline := _INLINE_GROUP.search(m.group(2))) is not None:
                groups.update(_SYMBOL.findall(inline.group(1)))
            in_dev = bool(groups) and groups <= _DEV_GROUPS
            (dev if in_dev else other).add(m.group(1))
        if (m := _GROUP_BLOCK.fullmatch(line)) is not None:
            stack.append(frozenset(_SYMBOL.findall(m.group(1))))
        elif _BLOCK.fullmatch(line):
            stack.append(frozenset())
        elif _END.fullmatch(line) and stack:
            stack.pop()
    return frozenset(dev - other)

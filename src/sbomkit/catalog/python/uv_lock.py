"""uv.lock (version 1): packages, sources, artifacts and the full dependency graph.

The lock names its own project: the package whose source is ``{ editable = "." }`` or
``{ virtual = "." }``. Scope is derived from the graph: whatever the project's runtime
dependencies reach is required, what only its extras reach is optional, what only its
dependency groups reach is dev. Following a dependency with ``extra = [...]`` also follows
that package's ``[package.optional-dependencies]`` for those extras.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from sbomkit.catalog.decode import Table, as_list, as_str, as_table, load_toml, str_tuple
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.manifest import Manifest
from sbomkit.catalog.python._common import (
    EDITABLE,
    GIT,
    PATH,
    URL,
    Builder,
    canon,
    derive_scopes,
    entry_lines,
    parse_hash,
    project_component,
    require_list,
    sibling_manifest,
    source_props,
    strongest,
)
from sbomkit.i18n import Msg
from sbomkit.model import Component, Scope


class _DepRef(NamedTuple):
    name: str
    version: str | None  # set when several versions of the name are locked
    extras: tuple[str, ...]
    marker: str | None


class _Artifact(NamedTuple):
    url: str | None
    hash: str | None  # "sha256:<hex>", parsed only for the artifact that is kept


class _Package(NamedTuple):
    name: str | None
    version: str | None
    line: int | None
    source_kind: str | None  # registry, git, path, directory, editable, virtual, url
    source_value: str | None
    dependencies: tuple[_DepRef, ...]
    optional: dict[str, tuple[_DepRef, ...]]  # [package.optional-dependencies]
    dev: dict[str, tuple[_DepRef, ...]]  # [package.dev-dependencies]
    sdist: _Artifact | None
    wheels: tuple[_Artifact, ...]

    def all_deps(self) -> list[_DepRef]:
        out = list(self.dependencies)
        for group in (*self.optional.values(), *self.dev.values()):
            out.extend(group)
        return out


_KINDS = ("registry", "git", "path", "directory", "editable", "virtual", "url")
# uv source kind -> our source property; registry has none.
_SOURCE_PROP = {"git": GIT, "url": URL, "path": PATH, "directory": PATH, "editable": EDITABLE}
_LOCAL_ROOT = ("editable", "virtual", "directory")

# A graph node: (package index, extra) — extra None is the package itself.
_Node = tuple[int, str | None]


class UvLockCataloger:
    name: ClassVar[str] = "python-uv-lock"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = load_uv(source)
        # uv before 0.4 called the tables [[distribution]].
        array = "distribution" if "distribution" in data and "package" not in data else "package"
        raw = require_list(data, array, source)
        lines = entry_lines(text, array, len(raw))
        packages = [_package(as_table(p), ln) for p, ln in zip(raw, lines, strict=True)]
        members = frozenset(
            canon(m) for m in str_tuple(as_table(data.get("manifest")).get("members"))
        )
        return _Graph(source, packages, members, sibling_manifest(source)).build()


def load_uv(source: Source) -> tuple[Table, str]:
    data, text = load_toml(source)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no integer 'version' key")
    if version != 1:
        raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, f"uv.lock version {version}")
    return data, text


def _package(t: Table, line: int | None) -> _Package:
    src = as_table(t.get("source"))
    kind = next((k for k in _KINDS if k in src), None)
    sdist = t.get("sdist")
    return _Package(
        name=as_str(t.get("name")),
        version=as_str(t.get("version")),
        line=line,
        source_kind=kind,
        source_value=as_str(src.get(kind)) if kind else None,
        dependencies=_deps(t.get("dependencies")),
        optional=_groups(t.get("optional-dependencies")),
        dev=_groups(t.get("dev-dependencies")),
        sdist=_artifact(sdist) if isinstance(sdist, dict) else None,
        wheels=tuple(_artifact(w) for w in as_list(t.get("wheels")) if isinstance(w, dict)),
    )


def _deps(value: object) -> tuple[_DepRef, ...]:
    out = []
    for d in as_list(value):
        t = as_table(d)
        name = as_str(t.get("name"))
        if name:
            extra = t.get("extra")
            extras = str_tuple(extra) if extra else ()
            out.append(_DepRef(name, as_str(t.get("version")), extras, as_str(t.get("marker"))))
    return tuple(out)


def _groups(value: object) -> dict[str, tuple[_DepRef, ...]]:
    return {k: _deps(v) for k, v in as_table(value).items()}


def _artifact(t: Table) -> _Artifact:
    return _Artifact(as_str(t.get("url")), as_str(t.get("hash")))


class _Graph:
    """Resolves the lock's references to package indexes, then scopes and edges."""

    def __init__(
        self,
        source: Source,
        packages: list[_Package],
        members: frozenset[str],
        manifest: Manifest | None,
    ) -> None:
        self.source = source
        self.packages = packages
        self.manifest = manifest
        self.by_name: dict[str, list[int]] = {}
        self._targets: dict[_DepRef, list[int]] = {}
        for i, p in enumerate(packages):
            if p.name:
                self.by_name.setdefault(canon(p.name), []).append(i)
        self.root = next(
            (
                i
                for i, p in enumerate(packages)
                if p.name and p.source_kind in _LOCAL_ROOT and p.source_value == "."
            ),
            None,
        )
        self.members = [
            i
            for i, p in enumerate(packages)
            if p.name and canon(p.name) in members and i != self.root
        ]

    def targets(self, d: _DepRef) -> list[int]:
        """Indexes of the packages a reference means (memoized: most repeat)."""
        found = self._targets.get(d)
        if found is None:
            found = self.by_name.get(canon(d.name), [])
            if d.version is not None and len(found) > 1:
                found = [i for i in found if self.packages[i].version == d.version] or found
            self._targets[d] = found
        return found

    def tops(self) -> list[int]:
        """Packages whose dependencies count as the project's own."""
        if self.root is not None:
            return [self.root]
        return self.members

    def direct_names(self) -> frozenset[str] | None:
        if self.tops():
            return frozenset(
                canon(d.name) for i in self.tops() for d in self.packages[i].all_deps()
            )
        return self.manifest.all_direct() if self.manifest else None

    def scopes(self) -> dict[int, Scope]:
        edges: dict[_Node, list[_Node]] = {}
        for i, p in enumerate(self.packages):
            edges[(i, None)] = self._follow(p.dependencies)
            for extra, deps in p.optional.items():
                edges[(i, extra)] = [(i, None), *self._follow(deps)]
        tiers: list[tuple[Scope, list[_Node]]] = [(Scope.REQUIRED, []), (Scope.OPTIONAL, [])]
        tiers.append((Scope.DEV, []))
        for i in self.tops():
            p = self.packages[i]
            tiers[0][1].extend(self._follow(p.dependencies))
            tiers[1][1].extend(n for deps in p.optional.values() for n in self._follow(deps))
            tiers[2][1].extend(n for deps in p.dev.values() for n in self._follow(deps))
        tiers[0][1].extend((i, None) for i in self.members)
        by_package: dict[int, list[Scope]] = {}
        for (i, _), scope in derive_scopes(edges, tiers).items():
            by_package.setdefault(i, []).append(scope)
        return {i: strongest(found) for i, found in by_package.items()}

    def _follow(self, deps: tuple[_DepRef, ...]) -> list[_Node]:
        out: list[_Node] = []
        for d in deps:
            for j in self.targets(d):
                out.append((j, None))
                out.extend((j, e) for e in d.extras)
        return out

    def build(self) -> CatalogResult:
        b = Builder(self.source, self.direct_names())
        scopes = self.scopes()
        comps: dict[int, Component] = {}
        for i, p in enumerate(self.packages):
            if i == self.root:
                continue
            c = self._component(b, p, scopes.get(i, Scope.REQUIRED))
            if c is not None:
                comps[i] = c
        project = self._project()
        b.result.project = project
        nodes = dict(comps)
        if project is not None and self.root is not None:
            nodes[self.root] = project
        for i, p in enumerate(self.packages):
            src = nodes.get(i)
            if src is None:
                continue
            for d in p.all_deps():
                targets = self.targets(d)
                found = [nodes[j] for j in targets if j in nodes]
                if found:
                    b.link_to(src.ref, found)
                elif not targets and d.marker is None:
                    b.unknown(d.name, p.line)
        if self.root is None and project is not None and self.manifest is not None:
            for name in sorted(self.manifest.all_direct()):
                b.link_to(project.ref, b.find(name))
        return b.finish()

    def _project(self) -> Component | None:
        if self.root is None:
            return self.manifest.component() if self.manifest else None
        p = self.packages[self.root]
        return project_component(p.name or "", p.version, self.source.at(p.line), self.manifest)

    def _component(self, b: Builder, p: _Package, scope: Scope) -> Component | None:
        if p.name is None:
            b.warn(Msg.MISSING_NAME, p.line, "[[package]] without a name")
            return None
        kind = _SOURCE_PROP.get(p.source_kind or "")
        url = _source_url(p)
        if p.version is None and not b.missing_version(p.name, p.line, kind, url):
            return None
        # The sdist names the release; a lone wheel (no sdist) is the one artifact too.
        one = p.sdist or (p.wheels[0] if len(p.wheels) == 1 else None)
        one_hash = parse_hash(one.hash) if one and one.hash else None
        return b.add(
            p.name,
            p.version,
            b.source.at(p.line),
            scope=scope,
            direct=b.is_direct(p.name),
            hashes=(one_hash,) if one_hash else (),
            source_url=url,
            properties=source_props(kind),
        )


def _source_url(p: _Package) -> str | None:
    value = p.source_value
    if p.source_kind == "git" and value:
        # https://github.com/o/r?rev=v1#<commit>  ->  git+https://github.com/o/r@<commit>
        base, _, commit = value.partition("#")
        base = base.partition("?")[0]
        return f"git+{base}@{commit}" if commit else f"git+{base}"
    if p.source_kind == "registry":
        return p.sdist.url if p.sdist and p.sdist.url else None
    return value

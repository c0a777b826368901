"""Maven pom.xml: the project and its direct dependencies, resolved offline.

Versions come from the dependency itself, from <dependencyManagement> (this POM's and its
local parents'), and from ``${...}`` properties. Nothing is fetched: transitive
dependencies, parents outside the scanned tree and BOM imports (``<scope>import``) need a
repository, so a version they would supply stays unresolved (version None, a
``sbomkit:unresolved-version`` property and a warning). Only direct dependencies are
listed, each with an edge from the project; those declared in a local parent's
<dependencies> are inherited (Maven does the same) and located at this POM's <parent>.

Scopes: compile and runtime are required; provided and system are required with a
``sbomkit:maven-scope`` property; test is dev; <optional>true is optional. Dependencies of
<profiles> are optional (dev when test-scoped) with a ``sbomkit:maven-profile`` property,
since whether a profile is active is decided at build time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.java._pom_model import (
    Chain,
    Dep,
    Interpolator,
    PomSyntaxError,
    decode_pom,
    gav,
    load_chain,
    parse_xml,
    properties,
)
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, ComponentType, Dependency, Scope

UNRESOLVED = "sbomkit:unresolved-version"
MAVEN_SCOPE = "sbomkit:maven-scope"
PROFILE = "sbomkit:maven-profile"
PACKAGING = "sbomkit:maven-packaging"
INHERITED = "sbomkit:maven-inherited-from"

_Key = tuple[str, str, str, str]  # group, artifact, type, classifier


@dataclass(slots=True)
class _State:
    source: Source
    chain: Chain
    interp: Interpolator
    managed: dict[_Key, Dep]
    boms: list[str]
    result: CatalogResult = field(default_factory=CatalogResult)
    refs: set[str] = field(default_factory=set)

    def warn(self, code: Msg, line: int | None, detail: str) -> None:
        self.result.warn(code, self.source.at(line), detail)

    def text(self, raw: str | None) -> str | None:
        return None if raw is None else self.interp.resolve(raw)[0]


class PomCataloger:
    name: ClassVar[str] = "maven-pom"

    def catalog(self, source: Source) -> CatalogResult:
        data = source.read_bytes()
        if not data.strip():
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        try:
            root = parse_xml(data)
        except PomSyntaxError as e:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, str(e)) from e
        if root.tag != "project":
            raise CatalogError(
                Msg.WRONG_FORMAT, source.rel, f"root element is <{root.tag}>, not <project>"
            )
        chain = load_chain(source.path, decode_pom(root))
        st = _State(source, chain, Interpolator(properties(chain)), {}, [])
        if chain.missing is not None:
            ref = chain.poms[0].parent  # the scanned POM's own <parent>, even for a grandparent
            detail = f"parent {gav(chain.missing)} not in the tree"
            detail = f"{detail}; {chain.why}" if chain.why else detail
            st.warn(Msg.UNRESOLVED_INCLUDE, ref.line if ref else chain.poms[0].line, detail)
        _management(st)
        project = _project(st)
        seen: dict[_Key, int | None] = {}
        for dep in chain.poms[0].dependencies:
            _add(st, dep, None, seen)
        _inherited(st, seen)
        for profile, deps in chain.poms[0].profiles:
            seen_here: dict[_Key, int | None] = {}
            for dep in deps:
                _add(st, dep, profile, seen_here)
        st.result.project = project
        if project is not None:
            st.result.dependencies = [Dependency(project.ref, c.ref) for c in st.result.components]
        st.result.diagnostics.sort(key=lambda d: d.location.line or 0)
        return st.result


def _key(st: _State, dep: Dep) -> _Key:
    return (
        st.text(dep.group) or "",
        st.text(dep.artifact) or "",
        st.text(dep.type) or "jar",
        st.text(dep.classifier) or "",
    )


def _management(st: _State) -> None:
    """Managed entries of the local chain, nearest POM winning; BOM imports noted."""
    for pom in reversed(st.chain.poms):
        for dep in pom.managed:
            key = _key(st, dep)
            if st.text(dep.scope) == "import":
                st.boms.append(f"{key[0]}:{key[1]}:{st.text(dep.version) or '?'}")
            else:
                st.managed[key] = dep


def _project(st: _State) -> Component | None:
    pom = st.chain.poms[0]
    group = st.text(pom.group or (pom.parent.group if pom.parent else None))
    artifact = st.text(pom.artifact)
    if not group or not artifact or "${" in group + artifact:
        st.warn(
            Msg.MISSING_NAME,
            pom.line,
            f"project {group or '?'}:{artifact or '?'} has no usable coordinates",
        )
        return None
    raw = pom.version or (pom.parent.version if pom.parent else None)
    version, ok = st.interp.resolve(raw) if raw else ("", False)
    props = [(PACKAGING, st.text(pom.packaging) or "jar")]
    if not ok:
        name = f"{group}:{artifact}"
        detail = _why(st, name, raw) if raw else f"project {name} has no <version>"
        st.warn(Msg.MISSING_VERSION, pom.version_line or pom.line, detail)
        props.append((UNRESOLVED, raw or ""))
    return _make(
        st,
        f"{group}:{artifact}",
        version if ok else None,
        pom.line,
        ComponentType.APPLICATION,
        props,
        {},
    )


def _inherited(st: _State, seen: dict[_Key, int | None]) -> None:
    """Dependencies of local parents apply to this project too, unless it redeclares them.

    They are located at this POM's <parent> element and name the POM they come from.
    """
    poms = st.chain.poms
    for child, ancestor in zip(poms, poms[1:], strict=False):
        line = poms[0].parent.line if poms[0].parent else None
        for dep in ancestor.dependencies:
            if child.parent is not None and _key(st, dep) not in seen:
                _add(st, replace(dep, line=line), None, seen, gav(child.parent))


def _add(
    st: _State,
    dep: Dep,
    profile: str | None,
    seen: dict[_Key, int | None],
    inherited: str | None = None,
) -> None:
    key = _key(st, dep)
    group, artifact, kind, classifier = key
    if inherited is not None and (not artifact or not group or key in seen):
        return  # the parent's own scan reports its bad entries
    if not artifact:
        st.warn(Msg.MISSING_NAME, dep.line, f"<dependency> {group or '?'} without artifactId")
        return
    if not group or "${" in group + artifact:
        st.warn(
            Msg.INVALID_ENTRY,
            dep.line,
            f"{group or '?'}:{artifact}: groupId missing or not resolved",
        )
        return
    if key in seen:
        first = seen[key]
        st.warn(
            Msg.DUPLICATE_ENTRY, dep.line, f"{':'.join(k for k in key if k)}, first at line {first}"
        )
        return
    seen[key] = dep.line
    managed = st.managed.get(key)
    raw = dep.version or (managed.version if managed else None)
    scope_raw = st.text(dep.scope or (managed.scope if managed else None)) or "compile"
    scope, props = _scope(scope_raw, st.text(dep.optional) == "true", profile)
    if inherited is not None:
        props.append((INHERITED, inherited))
    version, ok = st.interp.resolve(raw) if raw else ("", False)
    if not ok:
        st.warn(Msg.MISSING_VERSION, dep.line, _why(st, f"{group}:{artifact}", raw))
        props.append((UNRESOLVED, raw or ""))
    quals = {"classifier": classifier} if classifier else {}
    if kind != "jar":
        quals["type"] = kind
    _make(st, f"{group}:{artifact}", version if ok else None, dep.line, None, props, quals, scope)


def _scope(scope: str, optional: bool, profile: str | None) -> tuple[Scope, list[tuple[str, str]]]:
    props = [] if scope in ("compile", "runtime", "test") else [(MAVEN_SCOPE, scope)]
    if profile is not None:
        props.append((PROFILE, profile))
    if scope == "test":
        return Scope.DEV, props
    return (Scope.OPTIONAL if optional or profile is not None else Scope.REQUIRED), props


def _why(st: _State, name: str, raw: str | None) -> str:
    parent = f"parent {gav(st.chain.missing)}" if st.chain.missing else None
    if raw is None:
        if st.boms:
            why = f"no <version>; it may come from imported BOM {', '.join(st.boms)}"
        elif parent:
            why = f"no <version>; it may be managed in {parent}"
        else:
            why = "no <version> and no dependencyManagement entry"
    else:
        names = st.interp.unresolved(st.interp.resolve(raw)[0]) or [raw]
        first = names[0]
        ref = f"${{{first}}}" if raw == f"${{{first}}}" else f"{raw}: ${{{first}}}"
        if first.startswith("env."):
            why = f"{ref} comes from the build environment"
        elif st.interp.known(first):
            why = f"{ref} is circular or nested too deeply"
        elif parent:
            why = f"{ref} may be defined in {parent}"
        else:
            why = f"{ref} is not defined"
    return f"version of {name} is not resolved without network ({why})"


def _make(
    st: _State,
    name: str,
    version: str | None,
    line: int | None,
    kind: ComponentType | None,
    props: list[tuple[str, str]],
    quals: dict[str, str],
    scope: Scope = Scope.REQUIRED,
) -> Component | None:
    try:
        comp = make_component(
            "maven",
            name,
            version,
            qualifiers=quals or None,
            type=kind or ComponentType.LIBRARY,
            scope=scope,
            direct=None if kind else True,
            locations=(st.source.at(line),),
            properties=tuple(sorted(props)),
        )
    except IdentityError as e:
        st.warn(Msg.INVALID_ENTRY, line, e.detail)
        return None
    if kind is None:
        if comp.ref in st.refs:  # a profile repeating a main dependency
            return None
        st.refs.add(comp.ref)
        st.result.components.append(comp)
    return comp

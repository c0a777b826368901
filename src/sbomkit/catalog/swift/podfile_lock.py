"""Podfile.lock: the pods CocoaPods installed, with their dependencies.

``PODS`` lists ``"Name (1.2.3)"`` or ``{"Name (1.2.3)": ["Dep (~> 1.0)", ...]}``;
``DEPENDENCIES`` the Podfile's own requirements (direct); ``SPEC REPOS`` where each pod's
spec came from; ``EXTERNAL SOURCES`` and ``CHECKOUT OPTIONS`` git and path pods;
``SPEC CHECKSUMS`` the SHA-1 of each podspec (not of the artifact, so a property only).

Subspecs (``Firebase/Core``) are collapsed into their pod, as CocoaPods installs a pod
once: ``pkg:cocoapods/Firebase@10.0.0`` with the property ``sbomkit:subspecs`` =
``Core,CoreOnly``. Their dependencies become the pod's edges; edges within a pod are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.yaml_doc import as_map, load_yaml
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, Dependency, Location

_ENTRY = re.compile(r"^\s*([^\s(]+)\s*(?:\((.*)\))?\s*$")
_POD_LINE = re.compile(r"^  - ")  # a PODS item; its dependencies are indented further
_SOURCE_KEYS = (":git", ":path", ":podspec", ":http")


@dataclass(slots=True)
class _Pod:
    name: str  # the pod, subspecs stripped
    version: str
    line: int | None
    subspecs: set[str] = field(default_factory=set)
    deps: list[str] = field(default_factory=list)  # pod names


def split_entry(text: str) -> tuple[str, str | None, str | None]:
    """``"Firebase/Core (10.0.0)"`` -> (``Firebase``, ``Core``, ``10.0.0``)."""
    m = _ENTRY.match(text)
    if m is None:
        return "", None, None
    pod, _, sub = m.group(1).partition("/")
    version = (m.group(2) or "").strip() or None
    return pod, sub or None, version


class PodfileLockCataloger:
    name: ClassVar[str] = "cocoapods-podfile-lock"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        doc = load_yaml(source, text, key_depth=1)
        raw = doc.root.get("PODS")
        if not isinstance(raw, list):
            what = "no PODS list" if raw is None else "PODS is not a list"
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, what)
        result = CatalogResult()
        pods = _pods(raw, _lines(text, doc.lines.get(("PODS",)), len(raw)), source, result)
        direct = _direct(doc.root.get("DEPENDENCIES"))
        comps: dict[str, Component] = {}
        for pod in pods.values():
            comp = _component(pod, doc.root, direct, source, result)
            if comp is not None:
                comps[pod.name] = comp
                result.components.append(comp)
        _edges(pods, comps, source, result)
        result.diagnostics.sort(key=lambda d: d.location.line or 0)
        return result


def _lines(text: str, start: int | None, count: int) -> list[int | None]:
    """Line of each PODS item: ``  - `` lines after the PODS key, up to the next section."""
    if start is None:
        return [None] * count
    lines = text.split("\n")
    out: list[int | None] = []
    for i in range(start, len(lines)):
        line = lines[i]
        if line and not line[0].isspace() and not line.startswith("-"):
            break
        if _POD_LINE.match(line):
            out.append(i + 1)
    return out if len(out) == count else [None] * count


def _pods(
    raw: list[object], lines: list[int | None], source: Source, result: CatalogResult
) -> dict[str, _Pod]:
    pods: dict[str, _Pod] = {}
    seen: dict[tuple[str, str | None], int | None] = {}
    for item, line in zip(raw, lines, strict=True):
        at = source.at(line)
        deps: list[object] = []
        if isinstance(item, dict) and len(item) == 1:
            head, value = next(iter(item.items()))
            deps = value if isinstance(value, list) else []
        elif isinstance(item, str):
            head = item
        else:
            result.warn(Msg.INVALID_ENTRY, at, "PODS item is neither a string nor a mapping")
            continue
        name, sub, version = split_entry(head)
        if not name:
            result.warn(Msg.MISSING_NAME, at, f"{head!r}")
            continue
        if version is None:
            result.warn(Msg.MISSING_VERSION, at, f"{head}; skipped")
            continue
        if (name, sub) in seen or (name in pods and pods[name].version != version):
            first = seen.get((name, sub), pods[name].line if name in pods else None)
            result.warn(Msg.DUPLICATE_ENTRY, at, f"{head}, first at line {first}")
            continue
        seen[(name, sub)] = line
        pod = pods.setdefault(name, _Pod(name, version, line))
        if sub:
            pod.subspecs.add(sub)
        for d in deps:
            dep = split_entry(d)[0] if isinstance(d, str) else ""
            if dep and dep not in pod.deps:
                pod.deps.append(dep)
    return pods


def _direct(raw: object) -> frozenset[str] | None:
    if not isinstance(raw, list):
        return None
    return frozenset(split_entry(d)[0] for d in raw if isinstance(d, str))


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _origin(name: str, root: dict[str, object]) -> tuple[str | None, list[tuple[str, str]]]:
    """(source_url, properties) from EXTERNAL SOURCES, CHECKOUT OPTIONS and SPEC REPOS."""
    props: list[tuple[str, str]] = []
    url: str | None = None
    external = as_map(as_map(root.get("EXTERNAL SOURCES")).get(name))
    for key in _SOURCE_KEYS:
        if value := _str(external.get(key)):
            props.append(("sbomkit:source", key[1:]))
            url = value
            break
    checkout = as_map(as_map(root.get("CHECKOUT OPTIONS")).get(name))
    git = _str(checkout.get(":git"))
    pin = next((v for k in (":commit", ":tag", ":branch") if (v := _str(checkout.get(k)))), None)
    if git:
        url = f"git+{git}@{pin}" if pin else f"git+{git}"
    for repo, names in as_map(root.get("SPEC REPOS")).items():
        if isinstance(names, list) and name in names:
            props.append(("sbomkit:spec-repo", repo))
            break
    if checksum := _str(as_map(root.get("SPEC CHECKSUMS")).get(name)):
        props.append(("sbomkit:podspec-sha1", checksum))
    return url, props


def _component(
    pod: _Pod,
    root: dict[str, object],
    direct: frozenset[str] | None,
    source: Source,
    result: CatalogResult,
) -> Component | None:
    at: Location = source.at(pod.line)
    url, props = _origin(pod.name, root)
    if pod.subspecs:
        props.append(("sbomkit:subspecs", ",".join(sorted(pod.subspecs))))
    try:
        return make_component(
            "cocoapods",
            pod.name,
            pod.version,
            direct=None if direct is None else pod.name in direct,
            locations=(at,),
            source_url=url,
            properties=tuple(sorted(props)),
        )
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, at, e.detail)
        return None


def _edges(
    pods: dict[str, _Pod], comps: dict[str, Component], source: Source, result: CatalogResult
) -> None:
    warned: set[str] = set()
    for pod in pods.values():
        src = comps.get(pod.name)
        if src is None:
            continue
        for name in pod.deps:
            target = comps.get(name)
            if target is None:
                if name not in pods and name not in warned:
                    warned.add(name)
                    result.warn(Msg.UNKNOWN_DEPENDENCY, source.at(pod.line), name)
                continue
            if target.ref != src.ref:
                result.dependencies.append(Dependency(src.ref, target.ref))

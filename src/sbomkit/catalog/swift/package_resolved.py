"""Package.resolved: the pins of a Swift Package Manager build, format versions 1 to 3.

v1: ``{"object": {"pins": [{"package", "repositoryURL", "state"}]}, "version": 1}``;
v2 and v3: ``{"pins": [{"identity", "kind", "location", "state"}], "version": 2|3}``.
``state`` holds ``version``, ``revision`` and, for branch pins, ``branch``.

The purl comes from the repository URL: ``https://github.com/apple/swift-nio.git`` ->
``pkg:swift/github.com/apple/swift-nio@2.62.0``. A branch or revision pin has no version;
the revision stands in and the branch is a property. Registry pins (identity
``scope.name``) become ``pkg:swift/scope/name``; local checkouts have no purl. The file has
no edges and does not say which pins are direct.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component

PROP_SOURCE = "sbomkit:source"
PROP_BRANCH = "sbomkit:swift-branch"
_SCP = re.compile(r"^[\w.-]+@([\w.-]+):(.*)$")  # git@github.com:owner/repo.git
_PINS = re.compile(r'"pins"\s*:\s*\[')
_SPACE = re.compile(r"[\s,]*")


@dataclass(frozen=True, slots=True)
class _Pin:
    identity: str | None
    kind: str  # remoteSourceControl, localSourceControl, registry
    location: str | None
    version: str | None
    revision: str | None
    branch: str | None
    line: int | None


class SwiftPackageResolvedCataloger:
    name: ClassVar[str] = "swift-package-resolved"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        pins = _decode(source, text)
        result = CatalogResult()
        seen: dict[str, int | None] = {}
        for pin in pins:
            comp = _component(pin, source, result)
            if comp is None:
                continue
            if comp.ref in seen:
                first = seen[comp.ref]
                result.warn(
                    Msg.DUPLICATE_ENTRY, source.at(pin.line), f"{comp.ref}, first at line {first}"
                )
                continue
            seen[comp.ref] = pin.line
            result.components.append(comp)
        return result


def _decode(source: Source, text: str) -> list[_Pin]:
    if not text.strip():
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
    try:
        data = json.loads(text)
    except RecursionError as e:  # the C scanner refuses deep nesting cleanly
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "nested too deeply") from e
    except ValueError as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"invalid JSON: {e}") from e
    if not isinstance(data, dict):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "top level is not an object")
    version = data.get("version")
    if "version" not in data or ("pins" not in data and "object" not in data):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no 'version' and 'pins'")
    if type(version) is not int or version not in (1, 2, 3):
        raise CatalogError(Msg.UNSUPPORTED_VERSION, source.rel, f"version {version!r}")
    holder = data.get("object") if version == 1 else data
    raw = holder.get("pins") if isinstance(holder, dict) else None
    if not isinstance(raw, list):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "'pins' is not an array")
    lines = _lines(text, len(raw))
    return [_pin(p, version, ln) for p, ln in zip(raw, lines, strict=True)]


def _lines(text: str, count: int) -> list[int | None]:
    """The line where each pin starts: the array is walked value by value."""
    decoder = json.JSONDecoder()
    starts: list[int | None] = []
    m = _PINS.search(text)
    pos = m.end() if m else len(text)
    line = text.count("\n", 0, pos) + 1
    try:
        while len(starts) < count:
            start = _SPACE.match(text, pos).end()  # type: ignore[union-attr]  # always matches
            line += text.count("\n", pos, start)
            starts.append(line)
            pos = decoder.raw_decode(text, start)[1]
            line += text.count("\n", start, pos)
    except ValueError:
        return [None] * count
    return starts


def _s(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _pin(raw: object, version: int, line: int | None) -> _Pin:
    p = raw if isinstance(raw, dict) else {}
    state = p.get("state")
    st = state if isinstance(state, dict) else {}
    name_key, url_key = ("package", "repositoryURL") if version == 1 else ("identity", "location")
    kind = "remoteSourceControl" if version == 1 else p.get("kind")
    return _Pin(
        identity=_s(p.get(name_key)),
        kind=_s(kind) or "remoteSourceControl",
        location=_s(p.get(url_key)),
        version=_s(st.get("version")),
        revision=_s(st.get("revision")),
        branch=_s(st.get("branch")),
        line=line,
    )


def repo_name(url: str) -> str | None:
    """``https://github.com/apple/swift-nio.git`` -> ``github.com/apple/swift-nio``."""
    url = url.strip()
    if m := _SCP.match(url):
        host, path = m.group(1), m.group(2)
    else:
        rest = url.split("://", 1)[1] if "://" in url else url
        host, _, path = rest.partition("/")
        host = host.rpartition("@")[2].split(":", 1)[0]
    path = path.split("?", 1)[0].split("#", 1)[0].strip("/")
    path = path.removesuffix(".git")
    if not host or not path:
        return None
    return f"{host.lower()}/{path}"


def _component(pin: _Pin, source: Source, result: CatalogResult) -> Component | None:
    at = source.at(pin.line)
    label = pin.identity or pin.location or "pin"
    if pin.identity is None and pin.location is None:
        result.warn(Msg.MISSING_NAME, at, "pin without identity or location")
        return None
    version = pin.version or pin.revision
    if version is None:
        result.warn(Msg.MISSING_VERSION, at, f"{label}; no version or revision")
        return None
    props: list[tuple[str, str]] = []
    if pin.branch:
        props.append((PROP_BRANCH, pin.branch))
    if pin.version and pin.revision:
        props.append(("sbomkit:revision", pin.revision))
    url = f"git+{pin.location}@{pin.revision}" if pin.location and pin.revision else pin.location
    if pin.kind == "localSourceControl":
        props.append((PROP_SOURCE, "path"))
        return Component(
            name=pin.identity or pin.location or "",
            version=version,
            ecosystem="swift",
            locations=(at,),
            source_url=pin.location,
            properties=tuple(sorted(props)),
        )
    if pin.kind == "registry":
        props.append((PROP_SOURCE, "registry"))
        name = (pin.identity or "").replace(".", "/", 1)
        url = pin.location
    elif pin.kind == "remoteSourceControl":
        name = repo_name(pin.location or "") or ""
    else:
        result.warn(Msg.INVALID_ENTRY, at, f"{label}: unknown kind {pin.kind!r}")
        return None
    if "/" not in name:
        result.warn(Msg.INVALID_ENTRY, at, f"{label}: no repository path in {pin.location!r}")
        return None
    try:
        return make_component(
            "swift",
            name,
            version,
            locations=(at,),
            source_url=url,
            properties=tuple(sorted(props)),
        )
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, at, e.detail)
        return None

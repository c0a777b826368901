"""One SPDX 2.x package or file (JSON shape) -> a Component; problems become diagnostics."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, TypeVar

import orjson

from sbomkit.formats._values import HASH_ALGORITHMS, valid_hashes
from sbomkit.formats.spdx2 import NOASSERTION, spdx_expression
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, component_from_purl
from sbomkit.model import (
    Component,
    ComponentType,
    Diagnostic,
    ExternalRef,
    Hash,
    License,
    Location,
    Scope,
    merge_components,
)

Json = dict[str, Any]
_T = TypeVar("_T")

KEYWORDS = frozenset((NOASSERTION, "NONE"))
_HASHES = {spdx: cdx for cdx, (spdx, _) in HASH_ALGORITHMS.items()}
_PURPOSES = {
    t.value.upper(): t
    for t in ComponentType
    if t.value.upper()
    in (
        *("APPLICATION", "FRAMEWORK", "LIBRARY", "CONTAINER", "OPERATING-SYSTEM", "DEVICE"),
        *("FIRMWARE", "SOURCE", "ARCHIVE", "FILE", "INSTALL", "OTHER"),
    )
}
_PACKAGE_KEYS = frozenset(
    (
        *("SPDXID", "name", "versionInfo", "supplier", "originator", "downloadLocation"),
        *("homepage", "checksums", "licenseConcluded", "licenseDeclared", "copyrightText"),
        *("description", "comment", "externalRefs", "primaryPackagePurpose", "hasFiles"),
        *("filesAnalyzed", "sourceInfo"),
    )
)
_FILE_KEYS = frozenset(
    (
        *("SPDXID", "fileName", "checksums", "licenseConcluded", "licenseInfoInFiles"),
        *("copyrightText", "comment"),
    )
)
# A trailing comment line ``sbomkit:scope=dev`` (key with a colon, no blanks): a property.
_PROPERTY = re.compile(r"^([^\s=]+:[^\s=]*)=(.*)$")
_ACTOR = re.compile(r"^\s*(Person|Organization|Tool)\s*:\s*(.*?)\s*(?:\(([^()]*)\))?\s*$")
_SOURCE_PREFIX = "source: "


@dataclass
class Found:
    components: dict[str, Component] = field(default_factory=dict)  # ref -> component
    refs: dict[str, str] = field(default_factory=dict)  # SPDXID -> ref
    contains: list[tuple[str, str, str]] = field(default_factory=list)  # hasFiles
    analyzed: dict[str, bool] = field(default_factory=dict)  # package SPDXID -> filesAnalyzed


def dump(value: object) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


class ElementReader:
    def __init__(self, rel: str, lines: dict[str, int]) -> None:
        self.rel = rel
        self.lines = lines
        self.diagnostics: list[Diagnostic] = []
        # One object for each license list met again: a big document repeats a few.
        self.shared: dict[Any, Any] = {}

    def share(self, value: _T) -> _T:
        found: _T = self.shared.setdefault(value, value)
        return found

    def warn(self, code: Msg, where: str, detail: str) -> None:
        element = "/".join(where.split("/")[:3])
        location = Location(self.rel, self.lines.get(element))
        self.diagnostics.append(Diagnostic(code, location, f"{where}: {detail}"))

    def text(self, obj: Json, key: str, where: str) -> str | None:
        """A string field; a number is taken as its text (YAML), anything else is reported."""
        value = obj.get(key)
        if value is None or type(value) is str:
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.warn(Msg.INVALID_ENTRY, f"{where}/{key}", f"expected a string, got {value!r:.60}")
        return None

    def package(self, p: Any, where: str, found: Found) -> None:
        if not isinstance(p, dict):
            self.warn(Msg.INVALID_ENTRY, where, f"expected an object, got {type(p).__name__}")
            return
        spdx_id, name = self._identity(p, where, "name", found)
        if spdx_id is None or name is None:
            return
        extra = {k: v for k, v in p.items() if k not in _PACKAGE_KEYS and v not in (None, [])}
        fields = self._common(p, where, extra)
        fields["version"] = self.text(p, "versionInfo", where)
        self._actors(p, where, fields)
        fields["source_url"] = self._source(p, where, extra)
        fields["homepage"] = self._keyword(p, "homepage", where, extra)
        fields["description"] = self.text(p, "description", where)
        if fields["description"] is None and "summary" in extra:
            fields["description"] = self.text(extra, "summary", where)
            del extra["summary"]
        fields["licenses"] = self._package_licenses(p, where, extra)
        fields["type"] = self._purpose(p, where, fields)
        purls = self._external_refs(p, where, fields)
        analyzed = p.get("filesAnalyzed", True)  # SPDX: true when left out
        if not isinstance(analyzed, bool):
            self.warn(Msg.INVALID_ENTRY, f"{where}/filesAnalyzed", f"not a boolean: {analyzed!r}")
            analyzed = True
        found.analyzed[spdx_id] = analyzed
        for i, file_id in enumerate(p.get("hasFiles") or []):
            found.contains.append((spdx_id, file_id, f"{where}/hasFiles/{i}"))
        self._add(found, spdx_id, name, purls, fields, extra, where)

    def file(self, f: Any, where: str, found: Found) -> None:
        if not isinstance(f, dict):
            self.warn(Msg.INVALID_ENTRY, where, f"expected an object, got {type(f).__name__}")
            return
        spdx_id, name = self._identity(f, where, "fileName", found)
        if spdx_id is None or name is None:
            return
        extra = {k: v for k, v in f.items() if k not in _FILE_KEYS and v not in (None, [])}
        fields = self._common(f, where, extra)
        licenses = self._license(f, "licenseConcluded", where, True, extra)
        infos = f.get("licenseInfoInFiles") or []
        if not isinstance(infos, list):
            self.warn(Msg.INVALID_ENTRY, f"{where}/licenseInfoInFiles", "expected a list")
            infos = []
        if any(i in KEYWORDS for i in infos):
            extra["licenseInfoInFiles"] = infos
        for i in infos:
            licenses += self._license({"v": i}, "v", where, False, {})
        fields["licenses"] = self.share(tuple(licenses))
        fields["type"] = ComponentType.FILE
        self._add(found, spdx_id, name, [], fields, extra, where)

    def _identity(
        self, obj: Json, where: str, name_key: str, found: Found
    ) -> tuple[str | None, str | None]:
        spdx_id = self.text(obj, "SPDXID", where)
        if not spdx_id:
            self.warn(Msg.INVALID_ENTRY, f"{where}/SPDXID", "element has no SPDXID")
            return None, None
        if spdx_id in found.refs:
            self.warn(Msg.DUPLICATE_ENTRY, f"{where}/SPDXID", f"{spdx_id} appears twice")
            return None, None
        name = self.text(obj, name_key, where)
        if not name:
            self.warn(Msg.MISSING_NAME, f"{where}/{name_key}", f"{spdx_id} has no {name_key}")
            return None, None
        return spdx_id, name

    def _common(self, obj: Json, where: str, extra: Json) -> dict[str, Any]:
        """Checksums, copyright and comment: what packages and files share."""
        fields: dict[str, Any] = {"hashes": self._hashes(obj, where, extra)}
        fields["copyright"] = self._keyword(obj, "copyrightText", where, extra)
        comment = self.text(obj, "comment", where)
        if comment:
            rest, props = _split_comment(comment)
            if rest:
                extra["comment"] = rest
            self._properties(props, fields)
        return fields

    def _properties(self, props: list[tuple[str, str]], fields: dict[str, Any]) -> None:
        found_by: set[str] = set()
        locations: set[Location] = set()
        keep: set[tuple[str, str]] = set()
        for key, value in props:
            if key == "sbomkit:scope" and value in Scope.__members__.values():
                fields["scope"] = Scope(value)
            elif key == "sbomkit:found-by":
                found_by.add(value)
            elif key == "sbomkit:location":
                path, _, line = value.rpartition(":")
                locations.add(Location(path, int(line)) if line.isdigit() else Location(value))
            elif key == "sbomkit:homepage":
                fields["homepage_note"] = value
            elif key == "sbomkit:type" and value in ComponentType.__members__.values():
                fields["type_note"] = ComponentType(value)
            else:
                keep.add((key, value))
        fields["found_by"] = tuple(sorted(found_by))
        fields["locations"] = tuple(sorted(locations))
        fields["properties"] = tuple(sorted(keep))

    def _keyword(self, obj: Json, key: str, where: str, extra: Json) -> str | None:
        """A text field: NONE is kept as an extra, NOASSERTION is nothing."""
        value = self.text(obj, key, where)
        if value == "NONE":
            extra[key] = value
        return None if value in KEYWORDS else value

    def _source(self, p: Json, where: str, extra: Json) -> str | None:
        url = self._keyword(p, "downloadLocation", where, extra)
        info = self.text(p, "sourceInfo", where)
        if info is None:
            return url
        head, _, last = info.rpartition("\n")
        if url is None and "downloadLocation" not in extra and last.startswith(_SOURCE_PREFIX):
            url, info = last[len(_SOURCE_PREFIX) :], head
        if info:
            extra["sourceInfo"] = info
        return url

    def _actors(self, p: Json, where: str, fields: dict[str, Any]) -> None:
        supplier = self.text(p, "supplier", where)
        originator = self.text(p, "originator", where)
        fields["supplier"] = actor(supplier, "Organization") if supplier else None
        fields["author"] = actor(originator, "Person") if originator else None

    def _hashes(self, obj: Json, where: str, extra: Json) -> tuple[Hash, ...]:
        checksums = obj.get("checksums")
        if not checksums:
            return ()
        if not isinstance(checksums, list):
            self.warn(Msg.INVALID_ENTRY, f"{where}/checksums", "expected a list")
            return ()
        mapped = [
            Hash(_HASHES.get(str(c.get("algorithm")), ""), str(c["checksumValue"]))
            if isinstance(c, dict) and isinstance(c.get("checksumValue"), str)
            else None
            for c in checksums
        ]
        hashes = valid_hashes(h for h in mapped if h is not None and h.algorithm)
        if len(hashes) < len(checksums):  # unknown algorithms and malformed digests
            good = {(h.algorithm, h.value) for h in hashes}
            extra["checksums"] = [
                c
                for c, h in zip(checksums, mapped, strict=True)
                if h is None or (h.algorithm, h.value.strip().lower()) not in good
            ]
        return tuple(hashes)

    def _license(
        self, obj: Json, key: str, where: str, concluded: bool, extra: Json
    ) -> list[License]:
        text = self._keyword(obj, key, where, extra)
        if text is None:
            return []
        expression = spdx_expression(text)
        if expression is None:
            self.warn(Msg.INVALID_ENTRY, f"{where}/{key}", f"not an SPDX expression: {text!r}")
            return [self.share(License(text, False, concluded))]
        return [self.share(License(expression[0], True, concluded))]

    def _package_licenses(self, p: Json, where: str, extra: Json) -> tuple[License, ...]:
        declared = self._license(p, "licenseDeclared", where, False, extra)
        return self.share(
            tuple(declared + self._license(p, "licenseConcluded", where, True, extra))
        )

    def _purpose(self, p: Json, where: str, fields: dict[str, Any]) -> ComponentType:
        note = fields.pop("type_note", None)
        purpose = self.text(p, "primaryPackagePurpose", where)
        if purpose is None:
            return ComponentType.LIBRARY
        kind = _PURPOSES.get(purpose.upper().replace("_", "-"))
        if kind is None:
            self.warn(Msg.INVALID_ENTRY, f"{where}/primaryPackagePurpose", f"unknown {purpose!r}")
            return ComponentType.LIBRARY
        return note if kind is ComponentType.OTHER and note is not None else kind

    def _external_refs(self, p: Json, where: str, fields: dict[str, Any]) -> list[str]:
        refs = p.get("externalRefs") or []
        purls: list[str] = []
        cpes: list[str] = []
        links: list[ExternalRef] = []
        for i, ref in enumerate(refs if isinstance(refs, list) else []):
            parts = [ref.get(k) for k in ("referenceCategory", "referenceType", "referenceLocator")]
            if not all(isinstance(x, str) for x in parts):
                self.warn(Msg.INVALID_ENTRY, f"{where}/externalRefs/{i}", "incomplete reference")
                continue
            category, kind, locator = parts
            if kind == "purl" and category.replace("_", "-") == "PACKAGE-MANAGER":
                purls.append(locator)
            elif kind in ("cpe22Type", "cpe23Type"):
                cpes.append(locator)
            else:
                comment = ref.get("comment")
                links.append(
                    ExternalRef(kind, locator, comment if isinstance(comment, str) else None)
                )
        fields["cpes"] = tuple(cpes)
        fields["external_refs"] = tuple(links)
        return purls

    def _add(
        self,
        found: Found,
        spdx_id: str,
        name: str,
        purls: list[str],
        fields: dict[str, Any],
        extra: Json,
        where: str,
    ) -> None:
        note = fields.pop("homepage_note", None)
        fields.pop("type_note", None)
        fields["homepage"] = fields.get("homepage") or note
        version = fields.pop("version", None)
        component = None
        spare: list[str] = []
        for purl in purls:
            if component is not None:
                spare.append(purl)
                continue
            try:
                component = component_from_purl(
                    purl, extra=_extra({**extra, "SPDXID": spdx_id}), **fields
                )
            except IdentityError:
                detail = f"{spdx_id}: bad purl {purl!r}"
                self.warn(Msg.INVALID_ENTRY, f"{where}/externalRefs", detail)
                spare.append(purl)
        if spare:
            props = set(fields.get("properties", ())) | {("sbomkit:purl", s) for s in spare}
            fields["properties"] = tuple(sorted(props))
            if component is not None:
                component = replace(component, properties=fields["properties"])
        if component is None:
            fields["extra"] = _extra(extra)
            component = Component(name=name, version=version, ecosystem="", ref=spdx_id, **fields)
        elif name != component.name or version != component.version:
            extra["SPDXID"] = spdx_id
            if name != component.name:
                extra["name"] = name
            if version is not None and version != component.version:
                extra["versionInfo"] = version
            component = replace(component, extra=_extra(extra))
        known = found.components.get(component.ref)
        if known is not None:
            self.warn(Msg.DUPLICATE_ENTRY, where, f"{spdx_id}: same purl as another package")
            component = merge_components(known, component)
        found.components[component.ref] = component
        found.refs[spdx_id] = component.ref


@lru_cache(maxsize=4096)  # a document names few suppliers, many times
def actor(text: str, default: str) -> str | None:
    """``Person: Jane (jane@x)`` -> ``Jane <jane@x>``; the kind prefix only if not default."""
    if text in KEYWORDS:
        return None
    m = _ACTOR.match(text)
    if m is None:
        return text.strip() or None
    name, email = m[2], m[3]
    if email is not None and "@" not in email and email.strip():
        name, email = f"{name} ({email})", None
    who = f"{name} <{email.strip()}>" if email and email.strip() else name
    return who if m[1] == default else f"{m[1]}: {who}"


def _extra(extra: Json) -> tuple[tuple[str, str], ...]:
    return tuple((_extra_key(k), dump(extra[k])) for k in sorted(extra))


@lru_cache(maxsize=256)  # one string per field name, not one per package
def _extra_key(name: str) -> str:
    return f"spdx:{name}"


def _split_comment(text: str) -> tuple[str, list[tuple[str, str]]]:
    lines = text.split("\n")
    props: list[tuple[str, str]] = []
    while lines and (m := _PROPERTY.match(lines[-1])):
        props.append((m[1], m[2]))
        lines.pop()
    return "\n".join(lines), props

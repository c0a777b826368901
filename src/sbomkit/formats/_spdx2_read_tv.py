"""SPDX 2.x tag-value -> the JSON-shaped document, with the line where each element starts.

A line that is not ``Tag: value`` or names an unknown tag is a diagnostic and is skipped;
an unterminated ``<text>`` swallows the rest of the file, so it is a FormatError.
Files that follow a package are contained in it (SPDX 2.3 §5.2.2): they go to its
``hasFiles``. Annotations go to the element their ``SPDXREF`` names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sbomkit.formats._spdx_tv import (
    ANNOTATION_TAGS,
    BOOL,
    CHECKSUMS,
    CREATION_TAGS,
    DOCREFS,
    DOCUMENT_TAGS,
    EXTREFS,
    FILE_TAGS,
    LICENSE_TAGS,
    LINES,
    PACKAGE_TAGS,
    RANGES,
    SNIPPET_TAGS,
    TEXTS,
    VCODE,
    Tags,
)
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.model import Diagnostic, Location

Json = dict[str, Any]

_LISTS = frozenset((LINES, TEXTS, CHECKSUMS, EXTREFS, DOCREFS, RANGES))
_VCODE = re.compile(r"^([0-9a-fA-F]+)\s*(?:\(\s*(?:excludes:\s*)?(.*?)\s*\))?$", re.IGNORECASE)


def _index(tags: Tags) -> dict[str, tuple[str, str]]:
    return {tag: (key, kind) for key, tag, kind in tags}


# element kind -> (JSON list it goes to, the tag that starts it, its tags)
_ELEMENTS: dict[str, tuple[str, str, dict[str, tuple[str, str]]]] = {
    "package": ("packages", "PackageName", _index(PACKAGE_TAGS)),
    "file": ("files", "FileName", _index(FILE_TAGS)),
    "snippet": ("snippets", "SnippetSPDXID", _index(SNIPPET_TAGS)),
    "license": ("hasExtractedLicensingInfos", "LicenseID", _index(LICENSE_TAGS)),
    "annotation": ("annotations", "Annotator", _index(ANNOTATION_TAGS)),
}
_STARTS = {start: kind for kind, (_, start, _) in _ELEMENTS.items()}
_DOCUMENT = _index(DOCUMENT_TAGS)
_CREATION = _index(CREATION_TAGS)


@dataclass
class TagValue:
    doc: Json = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # JSON pointer -> line number
    diagnostics: list[Diagnostic] = field(default_factory=list)


def parse_tag_value(text: str, rel: str) -> TagValue:
    parser = _Parser(rel)
    for number, tag, value in _tag_lines(text, rel, parser.out.diagnostics):
        parser.feed(number, tag, value)
    return parser.finish()


def _tag_lines(text: str, rel: str, diags: list[Diagnostic]) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    # Only \n ends a line: free text may hold \r, \f and other breaks Python also splits at.
    lines = text.split("\n")
    n = 0
    while n < len(lines):
        line, number = lines[n], n + 1
        n += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        tag, sep, raw = line.partition(":")
        tag = tag.strip()
        if not sep or not tag or " " in tag:
            detail = f"line {number}: not a 'Tag: value' line: {stripped[:60]!r}"
            diags.append(Diagnostic(Msg.INVALID_ENTRY, Location(rel, number), detail))
            continue
        value = raw.strip()
        if value.startswith("<text>"):
            body = raw.lstrip()[6:]
            while "</text>" not in body:
                if n >= len(lines):
                    detail = f"line {number}: <text> of {tag} is never closed by </text>"
                    raise FormatError(Msg.WRONG_FORMAT, rel, detail)
                body += "\n" + lines[n]
                n += 1
            value = body[: body.index("</text>")]
        out.append((number, tag, value))
    return out


class _Parser:
    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.out = TagValue()
        self.doc = self.out.doc
        self.kind = ""  # the element being read: a key of _ELEMENTS, or "" for the document
        self.element: Json = self.doc
        self.contained: list[tuple[Json, Json]] = []  # (package, file that follows it)

    def warn(self, number: int, detail: str) -> None:
        diag = Diagnostic(Msg.INVALID_ENTRY, Location(self.rel, number), f"line {number}: {detail}")
        self.out.diagnostics.append(diag)

    def feed(self, number: int, tag: str, value: str) -> None:
        if tag in _STARTS:
            self.start(number, _STARTS[tag])
        if tag == "Relationship":
            self.relationship(number, value)
        elif tag == "RelationshipComment":
            if rels := self.doc.get("relationships"):
                rels[-1]["comment"] = value
            else:
                self.warn(number, "RelationshipComment without a Relationship")
        elif tag == "ExternalRefComment":
            refs = self.element.get("externalRefs") if self.kind == "package" else None
            if refs:
                refs[-1]["comment"] = value
            else:
                self.warn(number, "ExternalRefComment without an ExternalRef")
        elif self.kind and tag in _ELEMENTS[self.kind][2]:
            self.set(self.element, _ELEMENTS[self.kind][2][tag], number, tag, value)
        elif tag in _CREATION:
            creation = self.doc.setdefault("creationInfo", {})
            self.set(creation, _CREATION[tag], number, tag, value)
        elif tag in _DOCUMENT and (tag != "SPDXID" or not self.kind):
            self.set(self.doc, _DOCUMENT[tag], number, tag, value)
        else:
            where = f" in a {self.kind}" if self.kind else ""
            self.warn(number, f"unknown tag {tag!r}{where}")

    def start(self, number: int, kind: str) -> None:
        key = _ELEMENTS[kind][0]
        items = self.doc.setdefault(key, [])
        self.out.lines[f"/{key}/{len(items)}"] = number
        self.kind, self.element = kind, {}
        items.append(self.element)
        if kind == "file" and self.doc.get("packages"):
            self.contained.append((self.doc["packages"][-1], self.element))

    def relationship(self, number: int, value: str) -> None:
        parts = value.split()
        rels = self.doc.setdefault("relationships", [])
        if len(parts) != 3:
            self.warn(number, f"a Relationship needs 3 parts, got {value!r}")
            return
        self.out.lines[f"/relationships/{len(rels)}"] = number
        keys = ("spdxElementId", "relationshipType", "relatedSpdxElement")
        rels.append(dict(zip(keys, parts, strict=True)))

    def set(self, obj: Json, spec: tuple[str, str], number: int, tag: str, value: str) -> None:
        key, kind = spec
        try:
            if kind == RANGES:
                parsed = _range(value, "offset" if tag == "SnippetByteRange" else "lineNumber")
            else:
                parsed = _value(kind, value)
        except ValueError as e:
            self.warn(number, f"{key}: {e}")
            return
        if kind in _LISTS:
            obj.setdefault(key, []).append(parsed)
        else:
            obj[key] = parsed

    def finish(self) -> TagValue:
        for package, file in self.contained:
            if isinstance(file.get("SPDXID"), str):
                package.setdefault("hasFiles", []).append(file["SPDXID"])
        for snippet in self.doc.get("snippets", ()):
            for r in snippet.get("ranges", ()):
                for pointer in r.values():
                    pointer["reference"] = snippet.get("snippetFromFile", "")
        self._attach_annotations()
        return self.out

    def _attach_annotations(self) -> None:
        notes = self.doc.pop("annotations", [])
        by_id: dict[str, Json] = {}
        for key in ("packages", "files", "snippets"):
            for element in self.doc.get(key, ()):
                if isinstance(element.get("SPDXID"), str):
                    by_id.setdefault(element["SPDXID"], element)
        for note in notes:
            target = by_id.get(note.pop("spdxElementId", ""), self.doc)
            target.setdefault("annotations", []).append(note)


def _value(kind: str, value: str) -> Any:
    if kind == BOOL:
        if value.lower() not in ("true", "false"):
            raise ValueError(f"expected true or false, got {value!r}")
        return value.lower() == "true"
    if kind == CHECKSUMS:
        algorithm, sep, digest = value.partition(":")
        if not sep:
            raise ValueError(f"expected 'ALGORITHM: value', got {value!r}")
        return {"algorithm": algorithm.strip(), "checksumValue": digest.strip()}
    if kind == EXTREFS:
        parts = value.split(None, 2)
        if len(parts) != 3:
            raise ValueError(f"expected 'category type locator', got {value!r}")
        keys = ("referenceCategory", "referenceType", "referenceLocator")
        return dict(zip(keys, parts, strict=True))
    if kind == DOCREFS:
        parts = value.split(None, 2)
        algorithm, sep, digest = parts[2].partition(":") if len(parts) == 3 else ("", "", "")
        if not sep:
            raise ValueError(f"expected 'DocumentRef-id uri SHA1: value', got {value!r}")
        checksum = {"algorithm": algorithm.strip(), "checksumValue": digest.strip()}
        return {"externalDocumentId": parts[0], "spdxDocument": parts[1], "checksum": checksum}
    if kind == VCODE:
        m = _VCODE.match(value)
        if m is None:
            raise ValueError(f"expected '<hex> (excludes: ...)', got {value!r}")
        code: Json = {"packageVerificationCodeValue": m[1]}
        if m[2]:
            code["packageVerificationCodeExcludedFiles"] = [f.strip() for f in m[2].split(",")]
        return code
    return value


def _range(value: str, unit: str) -> Json:
    start, sep, end = value.partition(":")
    if not (sep and start.strip().isdigit() and end.strip().isdigit()):
        raise ValueError(f"expected 'start:end', got {value!r}")
    return {"startPointer": {unit: int(start)}, "endPointer": {unit: int(end)}}

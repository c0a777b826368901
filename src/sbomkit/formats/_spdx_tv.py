"""SPDX 2.x tag-value <-> the JSON-shaped document: one tag table for the writer and reader.

The writer prints what :func:`spdx2.build_document` makes; the reader
(:mod:`._spdx2_read_tv`) parses tag-value into the same JSON shape, using the same tables.
Free text (descriptions, comments, license texts) always goes in ``<text>`` blocks; every
other value is one line (spdx-tools refuses ``<text>`` there), so a stray line break
becomes a space rather than a broken tag.

Files are printed before the packages: a file that follows a package in tag-value is
contained in it (SPDX 2.3 §5.2.2), and containment is written as explicit relationships.
Annotations of every element go to one section at the end, each naming its element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

Json = dict[str, Any]

# How a value is printed and parsed.
LINE = "line"  # one line
TEXT = "text"  # a <text> block, unless NOASSERTION / NONE
BOOL = "bool"
LINES = "lines"  # a list, one tag per item
TEXTS = "texts"  # a list of free texts
CHECKSUMS = "checksums"  # [{"algorithm", "checksumValue"}] as "SHA1: <hex>"
EXTREFS = "extrefs"  # "<category> <type> <locator>", then ExternalRefComment
VCODE = "vcode"  # "<hex> (excludes: a, b)"
DOCREFS = "docrefs"  # "<DocumentRef-x> <uri> SHA1: <hex>"
RANGES = "ranges"  # snippet byte / line ranges

Tags = tuple[tuple[str, str, str], ...]

DOCUMENT_TAGS: Tags = (
    ("spdxVersion", "SPDXVersion", LINE),
    ("dataLicense", "DataLicense", LINE),
    ("SPDXID", "SPDXID", LINE),
    ("name", "DocumentName", LINE),
    ("documentNamespace", "DocumentNamespace", LINE),
    ("comment", "DocumentComment", TEXT),
    ("externalDocumentRefs", "ExternalDocumentRef", DOCREFS),
)
CREATION_TAGS: Tags = (
    ("creators", "Creator", LINES),
    ("created", "Created", LINE),
    ("licenseListVersion", "LicenseListVersion", LINE),
    ("comment", "CreatorComment", TEXT),
)
# In the order the SPDX 2.3 specification lists package fields.
PACKAGE_TAGS: Tags = (
    ("name", "PackageName", LINE),
    ("SPDXID", "SPDXID", LINE),
    ("versionInfo", "PackageVersion", LINE),
    ("packageFileName", "PackageFileName", LINE),
    ("supplier", "PackageSupplier", LINE),
    ("originator", "PackageOriginator", LINE),
    ("downloadLocation", "PackageDownloadLocation", LINE),
    ("filesAnalyzed", "FilesAnalyzed", BOOL),
    ("packageVerificationCode", "PackageVerificationCode", VCODE),
    ("checksums", "PackageChecksum", CHECKSUMS),
    ("homepage", "PackageHomePage", LINE),
    ("sourceInfo", "PackageSourceInfo", TEXT),
    ("licenseConcluded", "PackageLicenseConcluded", LINE),
    ("licenseInfoFromFiles", "PackageLicenseInfoFromFiles", LINES),
    ("licenseDeclared", "PackageLicenseDeclared", LINE),
    ("licenseComments", "PackageLicenseComments", TEXT),
    ("copyrightText", "PackageCopyrightText", TEXT),
    ("summary", "PackageSummary", TEXT),
    ("description", "PackageDescription", TEXT),
    ("comment", "PackageComment", TEXT),
    ("externalRefs", "ExternalRef", EXTREFS),
    ("attributionTexts", "PackageAttributionText", TEXTS),
    ("primaryPackagePurpose", "PrimaryPackagePurpose", LINE),
    ("releaseDate", "ReleaseDate", LINE),
    ("builtDate", "BuiltDate", LINE),
    ("validUntilDate", "ValidUntilDate", LINE),
)
FILE_TAGS: Tags = (
    ("fileName", "FileName", LINE),
    ("SPDXID", "SPDXID", LINE),
    ("fileTypes", "FileType", LINES),
    ("checksums", "FileChecksum", CHECKSUMS),
    ("licenseConcluded", "LicenseConcluded", LINE),
    ("licenseInfoInFiles", "LicenseInfoInFile", LINES),
    ("licenseComments", "LicenseComments", TEXT),
    ("copyrightText", "FileCopyrightText", TEXT),
    ("comment", "FileComment", TEXT),
    ("noticeText", "FileNotice", TEXT),
    ("fileContributors", "FileContributor", LINES),
    ("attributionTexts", "FileAttributionText", TEXTS),
)
SNIPPET_TAGS: Tags = (
    ("SPDXID", "SnippetSPDXID", LINE),
    ("snippetFromFile", "SnippetFromFileSPDXID", LINE),
    ("ranges", "SnippetByteRange", RANGES),
    ("ranges", "SnippetLineRange", RANGES),
    ("licenseConcluded", "SnippetLicenseConcluded", LINE),
    ("licenseInfoInSnippets", "LicenseInfoInSnippet", LINES),
    ("licenseComments", "SnippetLicenseComments", TEXT),
    ("copyrightText", "SnippetCopyrightText", TEXT),
    ("comment", "SnippetComment", TEXT),
    ("name", "SnippetName", LINE),
    ("attributionTexts", "SnippetAttributionText", TEXTS),
)
LICENSE_TAGS: Tags = (
    ("licenseId", "LicenseID", LINE),
    ("extractedText", "ExtractedText", TEXT),
    ("name", "LicenseName", LINE),
    ("seeAlsos", "LicenseCrossReference", LINES),
    ("comment", "LicenseComment", TEXT),
)
ANNOTATION_TAGS: Tags = (
    ("annotator", "Annotator", LINE),
    ("annotationDate", "AnnotationDate", LINE),
    ("annotationType", "AnnotationType", LINE),
    ("spdxElementId", "SPDXREF", LINE),
    ("comment", "AnnotationComment", TEXT),
)

_NEWLINES = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
KEYWORDS = frozenset(("NOASSERTION", "NONE"))


def render_tag_value(doc: Json) -> bytes:
    out: list[str] = ["## Document Information", *_fields(doc, DOCUMENT_TAGS)]
    out += ["", "## Creation Information", *_fields(doc["creationInfo"], CREATION_TAGS)]
    for file in doc.get("files", ()):
        out += ["", "## File Information", *_fields(file, FILE_TAGS)]
    for package in doc["packages"]:
        out += ["", "## Package Information", *_fields(package, PACKAGE_TAGS)]
    for snippet in doc.get("snippets", ()):
        out += ["", "## Snippet Information", *_fields(snippet, SNIPPET_TAGS)]
    if infos := doc.get("hasExtractedLicensingInfos"):
        out += ["", "## License Information"]
        for n, info in enumerate(infos):
            out += [""] if n else []
            out += _fields(info, LICENSE_TAGS)
    if rels := doc["relationships"]:
        out += ["", "## Relationships"]
        for r in rels:
            out += _line("Relationship", _relationship(r))
            if "comment" in r:
                out += _line("RelationshipComment", r["comment"], TEXT)
    if notes := list(_annotations(doc)):
        out += ["", "## Annotations"]
        for note in notes:
            out += _fields(note, ANNOTATION_TAGS)
    return ("\n".join(out) + "\n").encode("utf-8", "replace")


def _annotations(doc: Json) -> Iterable[Json]:
    elements = [doc, *doc.get("files", ()), *doc["packages"], *doc.get("snippets", ())]
    for element in elements:
        for note in element.get("annotations", ()):
            yield {**note, "spdxElementId": element["SPDXID"]}


def _fields(obj: Json, tags: Tags) -> list[str]:
    lines: list[str] = []
    for key, tag, kind in tags:
        value = obj.get(key)
        if value is None:
            continue
        if kind == RANGES:
            lines += _ranges(value, tag)
        elif kind in (LINES, TEXTS, CHECKSUMS, EXTREFS, DOCREFS):
            for item in value:
                lines += _item(tag, kind, item)
        elif tag == "PrimaryPackagePurpose":
            lines += _line(tag, str(value).replace("_", "-"))
        else:
            lines += _line(tag, value, kind)
    return lines


def _item(tag: str, kind: str, item: Any) -> list[str]:
    if kind == CHECKSUMS:
        return _line(tag, f"{item['algorithm']}: {item['checksumValue']}")
    if kind == DOCREFS:
        check = item["checksum"]
        text = f"{item['externalDocumentId']} {item['spdxDocument']}"
        return _line(tag, f"{text} {check['algorithm']}: {check['checksumValue']}")
    if kind == EXTREFS:
        ref = f"{item['referenceCategory']} {item['referenceType']} {item['referenceLocator']}"
        lines = _line(tag, ref)
        if "comment" in item:
            lines += _line("ExternalRefComment", item["comment"], TEXT)
        return lines
    return _line(tag, item, TEXT if kind == TEXTS else LINE)


def _line(tag: str, value: Any, kind: str = LINE) -> list[str]:
    if kind == BOOL:
        return [f"{tag}: {'true' if value else 'false'}"]
    if kind == VCODE:
        excluded = value.get("packageVerificationCodeExcludedFiles") or []
        tail = f" (excludes: {', '.join(excluded)})" if excluded else ""
        value = f"{value['packageVerificationCodeValue']}{tail}"
    text = str(value)
    if kind == TEXT and text not in KEYWORDS:
        return [_text(tag, text)]
    return [f"{tag}: {_NEWLINES.sub(' ', text)}"]


def _ranges(ranges: list[Json], tag: str) -> list[str]:
    unit = "offset" if tag == "SnippetByteRange" else "lineNumber"
    return [
        f"{tag}: {r['startPointer'][unit]}:{r['endPointer'][unit]}"
        for r in ranges
        if unit in r["startPointer"]
    ]


def _relationship(rel: Json) -> str:
    return f"{rel['spdxElementId']} {rel['relationshipType']} {rel['relatedSpdxElement']}"


def _text(tag: str, value: str) -> str:
    """A ``<text>`` block; a literal ``</text>`` inside would end it early, so it is broken."""
    return f"{tag}: <text>{value.replace('</text>', '</ text>')}</text>"

"""SPDX 2.3 tag-value from the JSON-shaped document :func:`spdx2.build_document` makes.

Free text (descriptions, comments, license texts) always goes in ``<text>`` blocks; every
other value is one line, so a stray newline becomes a space rather than a broken tag.
"""

from __future__ import annotations

import re
from typing import Any

Json = dict[str, Any]

_NEWLINES = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")

# JSON package key -> tag, in the order the SPDX 2.3 specification lists package fields.
_PACKAGE_TAGS = (
    ("name", "PackageName"),
    ("SPDXID", "SPDXID"),
    ("versionInfo", "PackageVersion"),
    ("supplier", "PackageSupplier"),
    ("originator", "PackageOriginator"),
    ("downloadLocation", "PackageDownloadLocation"),
    ("filesAnalyzed", "FilesAnalyzed"),
    ("checksums", "PackageChecksum"),
    ("homepage", "PackageHomePage"),
    ("sourceInfo", "PackageSourceInfo"),
    ("licenseConcluded", "PackageLicenseConcluded"),
    ("licenseDeclared", "PackageLicenseDeclared"),
    ("copyrightText", "PackageCopyrightText"),
    ("description", "PackageDescription"),
    ("comment", "PackageComment"),
    ("externalRefs", "ExternalRef"),
    ("primaryPackagePurpose", "PrimaryPackagePurpose"),
)
_KEYWORDS = frozenset(("NOASSERTION", "NONE"))
_TEXT_TAGS = frozenset(
    ("PackageSourceInfo", "PackageCopyrightText", "PackageDescription", "PackageComment")
)


def render_tag_value(doc: Json) -> bytes:
    out: list[str] = ["## Document Information"]
    out += _tags(
        ("SPDXVersion", doc["spdxVersion"]),
        ("DataLicense", doc["dataLicense"]),
        ("SPDXID", doc["SPDXID"]),
        ("DocumentName", doc["name"]),
        ("DocumentNamespace", doc["documentNamespace"]),
    )
    out += ["", "## Creation Information"]
    out += _tags(*(("Creator", c) for c in doc["creationInfo"]["creators"]))
    out += _tags(("Created", doc["creationInfo"]["created"]))
    for package in doc["packages"]:
        out += ["", "## Package Information", *_package(package)]
    if infos := doc.get("hasExtractedLicensingInfos"):
        out += ["", "## License Information"]
        for n, info in enumerate(infos):
            out += [""] if n else []
            out += _tags(("LicenseID", info["licenseId"]))
            out += [_text("ExtractedText", info["extractedText"])]
            out += _tags(("LicenseName", info["name"]))
    if rels := doc["relationships"]:
        out += ["", "## Relationships"]
        out += _tags(*(("Relationship", _relationship(r)) for r in rels))
    return ("\n".join(out) + "\n").encode("utf-8", "replace")


def _package(package: Json) -> list[str]:
    lines: list[str] = []
    for key, tag in _PACKAGE_TAGS:
        value = package.get(key)
        if value is None:
            continue
        if key == "checksums":
            lines += _tags(*((tag, f"{c['algorithm']}: {c['checksumValue']}") for c in value))
        elif key == "externalRefs":
            lines += _tags(*((tag, _external_ref(r)) for r in value))
        elif key == "filesAnalyzed":
            lines += _tags((tag, "true" if value else "false"))
        elif tag in _TEXT_TAGS and value not in _KEYWORDS:
            lines.append(_text(tag, value))
        else:
            lines += _tags((tag, value))
    return lines


def _external_ref(ref: Json) -> str:
    return f"{ref['referenceCategory']} {ref['referenceType']} {ref['referenceLocator']}"


def _relationship(rel: Json) -> str:
    return f"{rel['spdxElementId']} {rel['relationshipType']} {rel['relatedSpdxElement']}"


def _tags(*pairs: tuple[str, object]) -> list[str]:
    return [f"{tag}: {_NEWLINES.sub(' ', str(value))}" for tag, value in pairs]


def _text(tag: str, value: str) -> str:
    """A ``<text>`` block; a literal ``</text>`` inside would end it early, so it is broken."""
    return f"{tag}: <text>{value.replace('</text>', '</ text>')}</text>"

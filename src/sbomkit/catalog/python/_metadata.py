"""An installed distribution's metadata files: core metadata and ``direct_url.json``.

Core metadata (``METADATA``, ``PKG-INFO``) is read as its RFC 822 header block only.

Versions 1.0 to 2.4 share one shape: ``Key: value`` lines, continuation lines that start
with whitespace, then a blank line and a free-text body. The body (the long description)
is never read: :func:`read_header_bytes` stops at the blank line, which keeps a scan of a
large environment cheap. Nothing here raises on odd content; only I/O raises ``OSError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sbomkit.model import Hash

# Old (1.0/1.1) metadata keeps the long description as a header, so the block can be long.
MAX_HEADER_BYTES = 4 * 1024 * 1024

# Placeholders old setuptools wrote for an absent field.
_ABSENT = frozenset({"", "UNKNOWN", "None"})

# The distribution name a requirement starts with (Requires-Dist, requires.txt). PEP 508
# names are ASCII; non-ASCII letters are accepted too, as they are in Name.
_REQ_NAME = re.compile(r"\s*([^\W_](?:[\w.-]*[^\W_])?)")

# Project-URL labels, normalized as PEP 753 says (lower case, no punctuation or space).
_HOMEPAGE_LABELS = ("homepage", "home", "website")
_SOURCE_LABELS = ("source", "sourcecode", "code", "repository", "github")


@dataclass(frozen=True, slots=True)
class CoreMetadata:
    """The fields sbomkit uses, with setuptools' ``UNKNOWN`` placeholders dropped."""

    name: str | None
    version: str | None
    summary: str | None
    author: str | None
    license: str | None
    license_expression: str | None
    license_classifiers: tuple[str, ...]
    homepage: str | None
    requires: tuple[str, ...]  # distribution names from Requires-Dist, as written


def read_header_bytes(fh: Iterable[bytes], limit: int = MAX_HEADER_BYTES) -> bytes:
    """The header block: bytes up to the first empty line (or ``limit``, or the end)."""
    lines: list[bytes] = []
    size = 0
    for line in fh:
        if line in (b"\n", b"\r\n", b"\r"):
            break
        lines.append(line)
        size += len(line)
        if size >= limit:
            break
    return b"".join(lines)


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without a BOM), else Latin-1; ``None`` for binary content."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_headers(text: str) -> dict[str, list[str]]:
    """Lower-cased header name -> every value, continuation lines joined with newlines."""
    fields: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in text.split("\n"):  # not splitlines(): U+0085 and friends are not breaks here
        line = line.rstrip("\r")
        if not line:
            break  # the blank line that ends the header block
        if line[0] in " \t":
            if current is not None:
                current.append(_unindent(line))
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or not key:
            current = None  # not a header line: ignored, and so are its continuations
            continue
        current = [value.strip()]
        fields.append((key.lower(), current))
    headers: dict[str, list[str]] = {}
    for key, lines in fields:
        headers.setdefault(key, []).append("\n".join(lines).strip())
    return headers


def _unindent(line: str) -> str:
    """Remove the folding indent: a tab, or up to eight spaces (setuptools uses eight)."""
    if line[0] == "\t":
        return line[1:].rstrip()
    indent = len(line) - len(line.lstrip(" "))
    return line[min(indent, 8) :].rstrip()


def parse_core_metadata(text: str) -> CoreMetadata:
    h = parse_headers(text)
    author = _person(_one(h, "author"), _one(h, "author-email")) or _person(
        _one(h, "maintainer"), _one(h, "maintainer-email")
    )
    return CoreMetadata(
        name=_one(h, "name"),
        version=_one(h, "version"),
        summary=_one(h, "summary"),
        author=author,
        license=_first(h, "license"),
        license_expression=_one(h, "license-expression"),
        license_classifiers=_license_classifiers(h.get("classifier", [])),
        homepage=_homepage(h),
        requires=tuple(n for n in map(requirement_name, h.get("requires-dist", [])) if n),
    )


def requirement_name(requirement: str) -> str | None:
    """The distribution name a PEP 508 requirement starts with, if it starts with one."""
    m = _REQ_NAME.match(requirement)
    return m.group(1) if m else None


def _first(h: dict[str, list[str]], key: str) -> str | None:
    for value in h.get(key, ()):
        if value.strip() not in _ABSENT:
            return value
    return None


def _one(h: dict[str, list[str]], key: str) -> str | None:
    """A single-line field: the first present value, whitespace collapsed."""
    value = _first(h, key)
    return " ".join(value.split()) if value else None


def _person(name: str | None, email: str | None) -> str | None:
    if name and email and "<" not in email:
        return f"{name} <{email}>"
    return email or name  # an email field with "<" already carries the name


def _license_classifiers(classifiers: list[str]) -> tuple[str, ...]:
    """``License :: OSI Approved :: MIT License`` -> ``MIT License``; bare groups dropped."""
    out: list[str] = []
    for classifier in classifiers:
        parts = [p.strip() for p in classifier.split("::")]
        if len(parts) < 2 or parts[0] != "License" or not parts[-1]:
            continue
        if parts[1:] == ["OSI Approved"] or parts[-1] in out:
            continue
        out.append(parts[-1])
    return tuple(out)


def _homepage(h: dict[str, list[str]]) -> str | None:
    home = _one(h, "home-page")
    if home:
        return home
    urls: dict[str, str] = {}
    for entry in h.get("project-url", ()):
        label, sep, url = entry.partition(",")
        url = url.strip()
        if sep and url:
            key = "".join(c for c in label if c.isalnum()).lower()
            urls.setdefault(key, url)
    for key in (*_HOMEPAGE_LABELS, *_SOURCE_LABELS):
        if key in urls:
            return urls[key]
    return None


# PEP 610 ``direct_url.json``: how a distribution was installed when not from an index.

# hashlib names (as PEP 610 writes them) -> CycloneDX algorithm names.
_ALGORITHMS = {
    "md5": "MD5",
    "sha1": "SHA-1",
    "sha256": "SHA-256",
    "sha384": "SHA-384",
    "sha512": "SHA-512",
    "sha3_256": "SHA3-256",
    "sha3_384": "SHA3-384",
    "sha3_512": "SHA3-512",
    "blake2b": "BLAKE2b-512",
}
_HEX = re.compile(r"[0-9a-fA-F]+")


@dataclass(frozen=True, slots=True)
class DirectUrl:
    kind: str  # "editable", "directory", "vcs" or "url"
    url: str  # credentials removed; VCS URLs as pip writes them: git+https://...@commit
    hashes: tuple[Hash, ...] = ()


def parse_direct_url(data: bytes) -> DirectUrl | str:
    """The install's origin, or a short English reason why the file is unusable."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as e:
        return f"not JSON: {type(e).__name__}"
    if not isinstance(doc, dict):
        return "not a JSON object"
    url = doc.get("url")
    if not isinstance(url, str) or not url.strip():
        return "no url"
    url = _without_credentials(url.strip())
    vcs, archive, directory = doc.get("vcs_info"), doc.get("archive_info"), doc.get("dir_info")
    if isinstance(vcs, dict):
        tool, commit = vcs.get("vcs"), vcs.get("commit_id")
        if isinstance(tool, str) and tool and not url.startswith(f"{tool}+"):
            url = f"{tool}+{url}"
        if isinstance(commit, str) and commit:
            url = f"{url}@{commit}"
        return DirectUrl("vcs", url)
    if isinstance(archive, dict):
        return DirectUrl("url", url, _archive_hashes(archive))
    if isinstance(directory, dict):
        return DirectUrl("editable" if directory.get("editable") is True else "directory", url)
    return "none of vcs_info, archive_info, dir_info"


def _without_credentials(url: str) -> str:
    """Drop ``user:password@`` (PEP 610 allows only a bare ``git@``); keep the rest as is."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    netloc, slash, path = rest.partition("/")
    userinfo, at, host = netloc.rpartition("@")
    if not at or userinfo == "git":
        return url
    return f"{scheme}://{host}{slash}{path}"


def _archive_hashes(archive: dict[str, object]) -> tuple[Hash, ...]:
    pairs: list[tuple[object, object]] = []
    hashes = archive.get("hashes")
    if isinstance(hashes, dict):
        pairs.extend(hashes.items())
    legacy = archive.get("hash")  # deprecated "<algorithm>=<hex>" form
    if isinstance(legacy, str):
        alg, _, value = legacy.partition("=")
        pairs.append((alg, value))
    out: set[Hash] = set()
    for key, digest in pairs:
        name = _ALGORITHMS.get(key.lower()) if isinstance(key, str) else None
        if name and isinstance(digest, str) and _HEX.fullmatch(digest):
            out.add(Hash(name, digest.lower()))
    return tuple(sorted(out))

"""Bounded reading of zip archives (JAR/WAR/EAR) and of the metadata files inside them.

Archives are untrusted: every read is capped (entries per archive, bytes per member,
bytes per scan) and names that would escape an extraction root are refused, although
nothing is ever extracted to disk.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

# What zipfile raises on corrupt, truncated or unsupported input.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,  # compression method zipfile lacks
    RuntimeError,  # encrypted member
    OSError,
    EOFError,
    zlib.error,
    struct.error,
    ValueError,
    KeyError,
    IndexError,
)
_UNSAFE = re.compile(r"(^|[/\\])\.\.([/\\]|$)|^[/\\]|^[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class Limits:
    max_entries: int = 100_000  # per archive; a large fat jar has ~30k
    max_member_bytes: int = 128 * 1024 * 1024  # one nested archive
    max_total_bytes: int = 512 * 1024 * 1024  # everything read from inside one input
    max_metadata_bytes: int = 1024 * 1024  # a pom.properties or MANIFEST.MF
    max_depth: int = 3  # archives inside archives inside archives


class LimitExceeded(Exception):
    """A member is larger than a limit allows; ``detail`` says which."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Budget:
    """Bytes still allowed to be decompressed for one input."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.left = limits.max_total_bytes

    def read(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
        """The member's bytes, never more than ``cap`` nor what the budget has left."""
        allowed = min(cap, self.left)
        if info.file_size > allowed:
            raise LimitExceeded(_over(info.file_size, cap, self.left))
        with zf.open(info) as fh:
            data = fh.read(allowed + 1)  # the header's size may lie
        if len(data) > allowed:
            raise LimitExceeded(_over(len(data), cap, self.left))
        self.left -= len(data)
        return data


def _over(size: int, cap: int, left: int) -> str:
    if size > cap:
        return f"larger than {cap} bytes"
    return f"read limit of {left} bytes left for this file reached"


def is_unsafe_name(name: str) -> bool:
    """An absolute path, a drive letter or a ``..`` segment."""
    return bool(_UNSAFE.search(name))


def decode(data: bytes) -> str:
    """UTF-8 when it is, else ISO-8859-1 (the properties format's own encoding)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_properties(text: str) -> dict[str, str]:
    """A Java ``.properties`` file: ``key=value``, ``key: value``, ``#``/``!`` comments,
    backslash continuation. Escapes other than continuation are kept as written."""
    out: dict[str, str] = {}
    pending = ""
    for raw in text.splitlines():
        line = pending + raw.lstrip() if pending else raw.lstrip()
        pending = ""
        if not line or line[0] in "#!":
            continue
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending = line[:-1]
            continue
        key, value = _split_property(line)
        out.setdefault(key, value)
    if pending:
        key, value = _split_property(pending)
        out.setdefault(key, value)
    return out


def _split_property(line: str) -> tuple[str, str]:
    match = re.search(r"\s*[=:]\s*|\s+", line)
    if match is None:
        return line, ""
    return line[: match.start()], line[match.end() :].strip()


def parse_manifest(text: str) -> dict[str, str]:
    """The main section of a JAR manifest: ``Name: value`` lines, continuation lines start
    with one space, the section ends at the first blank line; the first of a repeat wins."""
    logical: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            break
        if line.startswith(" ") and logical:
            logical[-1] += line[1:]
        else:
            logical.append(line)
    out: dict[str, str] = {}
    for line in logical:
        name, sep, value = line.partition(":")
        if sep and name.strip():
            out.setdefault(name.strip().lower(), value.strip())
    return out

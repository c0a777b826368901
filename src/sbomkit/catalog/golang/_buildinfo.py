"""The build information the Go linker embeds: header formats and the modinfo text.

Layout (see Go's debug/buildinfo): a 32-byte header at a 16-byte-aligned offset, starting
with ``\\xff Go buildinf:``, then the pointer size and a flags byte. With flag 0x2 (Go 1.18
and later) two varint-length-prefixed strings follow the header: the Go version and the
modinfo. Older linkers store two pointers to Go string headers instead, read here through
the ELF program headers. The modinfo is framed by 16-byte sentinels and holds
tab-separated ``path``, ``mod``, ``dep``, ``=>`` and ``build`` lines.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from typing import NamedTuple

from sbomkit.catalog.golang._exe import Image, Segment

HEADER = 32
MAX_STRING = 16 << 20  # a modinfo of 100k modules stays far below this
_INLINE = 0x2
_BIG_ENDIAN = 0x1


class BuildInfoError(Exception):
    """The header or its strings cannot be read; the message says why."""


class PointerFormatOnlyOnElf(BuildInfoError):
    """Pre-1.18 build info in a PE or Mach-O file."""


class Module(NamedTuple):
    path: str
    version: str
    sum: str
    replace: Module | None = None


@dataclass(slots=True)
class BuildInfo:
    go_version: str
    path: str | None = None
    main: Module | None = None
    deps: list[Module] = field(default_factory=list)
    settings: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # lines that could not be read


def read(img: Image, at: int, is_elf: bool) -> tuple[str, str]:
    """(Go version, modinfo text) from the header at file offset ``at``."""
    header = img.read(at, HEADER)
    if len(header) < HEADER:
        raise BuildInfoError("truncated Go build information header")
    ptr_size, flags = header[14], header[15]
    if flags & _INLINE:
        version, pos = _inline_string(img, at + HEADER)
        modinfo, _ = _inline_string(img, pos)
    elif not is_elf:
        raise PointerFormatOnlyOnElf("pre-Go 1.18 build information is read from ELF files only")
    elif ptr_size not in (4, 8):
        raise BuildInfoError(f"pointer size {ptr_size} in the build information header")
    else:
        fmt = (">" if flags & _BIG_ENDIAN else "<") + ("I" if ptr_size == 4 else "Q")
        segments = img.elf_segments()
        version = _pointer_string(img, segments, fmt, struct.unpack_from(fmt, header, 16)[0])
        modinfo = _pointer_string(
            img, segments, fmt, struct.unpack_from(fmt, header, 16 + ptr_size)[0]
        )
    return _text(version), _text(_unframe(modinfo))


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _unframe(mod: bytes) -> bytes:
    """Strip the 16-byte sentinels around the modinfo, as debug/buildinfo does."""
    if len(mod) >= 33 and mod[-17] == ord("\n"):
        return mod[16:-16]
    return b""


def _inline_string(img: Image, at: int) -> tuple[bytes, int]:
    head = img.read(at, 10)
    length, shift, used = 0, 0, 0
    for b in head:
        used += 1
        length |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            break
    else:
        raise BuildInfoError("truncated Go build information")
    if length > MAX_STRING:
        raise BuildInfoError(f"build information string of {length} bytes")
    data = img.read(at + used, length)
    if len(data) < length:
        raise BuildInfoError("truncated Go build information")
    return data, at + used + length


def _pointer_string(img: Image, segments: list[Segment], fmt: str, addr: int) -> bytes:
    size = struct.calcsize(fmt)
    header = _at_address(img, segments, addr, 2 * size)
    data_addr, length = struct.unpack(fmt[0] + fmt[1] * 2, header)
    if length > MAX_STRING:
        raise BuildInfoError(f"build information string of {length} bytes")
    return _at_address(img, segments, data_addr, length) if length else b""


def _at_address(img: Image, segments: list[Segment], addr: int, n: int) -> bytes:
    for s in segments:
        if s.vaddr <= addr and addr + n <= s.vaddr + s.filesz:
            data = img.read(s.offset + addr - s.vaddr, n)
            if len(data) == n:
                return data
    raise BuildInfoError(f"address {addr:#x} is outside the file")


def parse_modinfo(go_version: str, text: str) -> BuildInfo:
    """The modinfo lines; unreadable lines are collected in ``problems``."""
    info = BuildInfo(go_version)
    for line in text.split("\n"):
        verb, _, rest = line.partition("\t")
        if not line.strip():
            continue
        if verb == "path":
            info.path = rest
        elif verb == "mod" and (m := _module(rest)):
            info.main = m
        elif verb == "dep" and (m := _module(rest)):
            info.deps.append(m)
        elif verb == "=>" and info.deps and not info.deps[-1].replace and (m := _module(rest)):
            info.deps[-1] = info.deps[-1]._replace(replace=m)
        elif verb == "build" and (kv := _setting(rest)):
            info.settings.append(kv)
        else:
            info.problems.append(line)
    return info


def _module(rest: str) -> Module | None:
    parts = rest.split("\t")
    if len(parts) == 2:
        parts.append("")
    if len(parts) != 3 or not parts[0]:
        return None
    return Module(parts[0], parts[1], parts[2])


def _setting(rest: str) -> tuple[str, str] | None:
    """``key=value``; Go quotes a key or value holding spaces, tabs, quotes or ``=``."""
    try:
        if rest.startswith('"'):
            end = _quote_end(rest)
            key, rest = str(json.loads(rest[: end + 1])), rest[end + 1 :]
            if not rest.startswith("="):
                return None
            value = rest[1:]
        else:
            key, sep, value = rest.partition("=")
            if not sep:
                return None
        if value.startswith('"'):
            value = str(json.loads(value))
    except ValueError:
        return None
    return (key, value) if key else None


def _quote_end(s: str) -> int:
    j = 1
    while j < len(s) and s[j] != '"':
        j += 2 if s[j] == "\\" else 1
    if j >= len(s):
        raise ValueError("unterminated string")
    return j

"""Bounded random access to an executable: its format, the build info magic, ELF addresses.

Nothing here runs the file; every read is an explicit (offset, length) capped by the caller.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, NamedTuple

from sbomkit.catalog.executable import is_fat

MAGIC = b"\xff Go buildinf:"
SCAN_LIMIT = 64 << 20  # the Go linker puts build info near the start of the data
_CHUNK = 1 << 20  # a multiple of 16, so chunk offsets keep the magic's alignment
_MACHO = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")
_PT_LOAD = 1


def kind(head: bytes) -> str | None:
    """ "elf", "pe" or "macho" from the first bytes of a file, else None."""
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head.startswith(b"MZ"):
        return "pe"
    if head[:4] in _MACHO or is_fat(head):
        return "macho"  # a fat file's slices are scanned like one file: the magic is found
    return None


class Segment(NamedTuple):
    vaddr: int
    offset: int
    filesz: int


class Image:
    """An open executable of known size."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh = fh
        self.size = size

    def read(self, offset: int, n: int) -> bytes:
        """Up to ``n`` bytes at ``offset``; shorter at the end of the file."""
        if offset < 0 or n <= 0 or offset >= self.size:
            return b""
        self.fh.seek(offset)
        return self.fh.read(min(n, self.size - offset))

    def find_magic(self) -> int | None:
        """File offset of the 16-byte-aligned build info magic in the first 64 MiB."""
        limit = min(self.size, SCAN_LIMIT)
        for pos in range(0, limit, _CHUNK):
            chunk = self.read(pos, min(_CHUNK, limit - pos) + len(MAGIC) - 1)
            i = chunk.find(MAGIC)
            while i >= 0:
                if i % 16 == 0:
                    return pos + i
                i = chunk.find(MAGIC, i + 1)
        return None

    def elf_segments(self) -> list[Segment]:
        """The loadable segments from the ELF program headers (empty when unreadable)."""
        ident = self.read(0, 64)
        if len(ident) < 52 or ident[4] not in (1, 2) or ident[5] not in (1, 2):
            return []
        end = "<" if ident[5] == 1 else ">"
        if ident[4] == 2:
            if len(ident) < 64:
                return []
            phoff, (entsize, num) = (
                _u(end + "Q", ident, 0x20),
                struct.unpack_from(end + "HH", ident, 0x36),
            )
            layout, fields = end + "IIQQQQQQ", (2, 3, 5)
        else:
            phoff, (entsize, num) = (
                _u(end + "I", ident, 0x1C),
                struct.unpack_from(end + "HH", ident, 0x2A),
            )
            layout, fields = end + "IIIIIIII", (1, 2, 4)
        size = struct.calcsize(layout)
        if entsize < size:
            return []
        table = self.read(phoff, entsize * num)
        out = []
        for i in range(len(table) // entsize):
            ph = struct.unpack_from(layout, table, i * entsize)
            if ph[0] == _PT_LOAD:
                off, vaddr, filesz = (ph[k] for k in fields)
                out.append(Segment(vaddr, off, filesz))
        return out


def _u(fmt: str, data: bytes, at: int) -> int:
    value: int = struct.unpack_from(fmt, data, at)[0]
    return value

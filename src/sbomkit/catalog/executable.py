"""Universal ("fat") Mach-O files: a header listing one thin Mach-O slice per architecture.

macOS tools ship Go and Rust programs this way (``lipo``). The fat magic is also a Java
class file's magic; the word after it tells them apart: the number of architectures in a
fat file (a handful), the class file's version (45 and up) in a class file.
"""

from __future__ import annotations

import struct

FAT_MAGIC = (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf")  # 32-bit and 64-bit offsets
MAX_ARCHS = 20


def is_fat(head: bytes) -> bool:
    if head[:4] not in FAT_MAGIC or len(head) < 8:
        return False
    count: int = struct.unpack_from(">I", head, 4)[0]
    return 0 < count <= MAX_ARCHS


def fat_slices(data: bytes) -> list[tuple[int, int]]:
    """(offset, size) of each architecture's thin Mach-O, as the fat header lists them."""
    (count,) = struct.unpack_from(">I", data, 4)
    wide = data[:4] == FAT_MAGIC[1]
    layout, step = (">iiQQI4x", 32) if wide else (">iiIII", 20)
    out = []
    for k in range(min(count, MAX_ARCHS)):
        _, _, offset, size, _ = struct.unpack_from(layout, data, 8 + k * step)
        out.append((offset, size))
    return out

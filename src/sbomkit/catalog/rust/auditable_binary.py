"""Rust binaries built with cargo-auditable: the dependency list embedded in ``.dep-v0``.

The section (ELF, PE, Mach-O; in a fat Mach-O, the first slice that has it) holds
zlib-compressed JSON
``{"packages": [{"name", "version", "source", "kind", "dependencies", "root"}]}`` where
``dependencies`` are indexes into ``packages``. The ``root`` package is the binary's own
crate (the project); ``kind = "build"`` marks build-time-only crates. Decompression is
bounded, so a crafted section cannot expand without limit.
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import ClassVar, NamedTuple

from sbomkit.catalog.executable import fat_slices, is_fat
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.rust._common import GIT, PATH, REGISTRY, Collector, as_str, source_props
from sbomkit.i18n import Msg
from sbomkit.model import Component, ComponentType

SECTION = b".dep-v0"
MAX_JSON_BYTES = 64 * 1024 * 1024
PROP_KIND = "sbomkit:cargo-kind"
# cargo-auditable's source names -> our source property; crates.io has none.
_SOURCES = {"crates.io": None, "local": PATH, "git": GIT, "registry": REGISTRY}
_MACHO = {b"\xcf\xfa\xed\xfe": True, b"\xce\xfa\xed\xfe": False}  # little-endian: is 64-bit


class _Package(NamedTuple):
    pos: int
    name: str | None
    version: str | None
    source: str | None
    build: bool
    root: bool
    deps: tuple[object, ...]


class CargoAuditableCataloger:
    name: ClassVar[str] = "cargo-auditable-binary"

    @staticmethod
    def sniff(head: bytes) -> bool:
        """Whether a file starting with ``head`` is an executable format we can read."""
        return head.startswith((b"\x7fELF", b"MZ")) or head[:4] in _MACHO or is_fat(head)

    def catalog(self, source: Source) -> CatalogResult:
        data = source.read_bytes()
        if not data:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        if not self.sniff(data[:8]):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "not an ELF, PE or Mach-O binary")
        try:
            section = _find_section(data)
        except (struct.error, IndexError, ValueError, OverflowError) as e:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"malformed binary: {e}") from e
        if section is None:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no cargo-auditable dependency data")
        return _build(source, _packages(source, _decode(source, section)))


def _find_section(data: bytes) -> bytes | None:
    if data.startswith(b"\x7fELF"):
        return _elf(data)
    if data.startswith(b"MZ"):
        return _pe(data)
    if is_fat(data):
        for offset, size in fat_slices(data):
            thin = _slice(data, offset, size)
            found = _macho(thin, _MACHO[thin[:4]]) if thin[:4] in _MACHO else None
            if found is not None:
                return found
        return None
    return _macho(data, _MACHO[data[:4]])


def _slice(data: bytes, offset: int, size: int) -> bytes:
    if offset < 0 or size < 0 or offset + size > len(data):
        raise ValueError("section outside the file")
    return data[offset : offset + size]


def _elf(data: bytes) -> bytes | None:
    is64, order = data[4] == 2, "<" if data[5] == 1 else ">"
    if is64:
        shoff, shentsize, shnum, shstrndx = struct.unpack_from(order + "40xQ10xHHH", data)
        layout = order + "I4xQQQQ"  # name, flags, addr, offset, size
    else:
        shoff, shentsize, shnum, shstrndx = struct.unpack_from(order + "32xI10xHHH", data)
        layout = order + "I4xIIII"
    headers = [struct.unpack_from(layout, data, shoff + k * shentsize) for k in range(shnum)]
    if shstrndx >= len(headers):
        return None
    _, _, _, str_off, str_size = headers[shstrndx]
    names = _slice(data, str_off, str_size)
    for name_off, _, _, offset, size in headers:
        if names[name_off : name_off + len(SECTION) + 1] == SECTION + b"\0":
            return _slice(data, offset, size)
    return None


def _pe(data: bytes) -> bytes | None:
    (pe_off,) = struct.unpack_from("<I", data, 0x3C)
    if data[pe_off : pe_off + 4] != b"PE\0\0":
        raise ValueError("no PE signature")
    count, opt_size = struct.unpack_from("<2xH12xH", data, pe_off + 4)
    table = pe_off + 24 + opt_size
    for k in range(count):
        name, vsize, _, raw_size, raw_off = struct.unpack_from("<8sIIII", data, table + 40 * k)
        if name.rstrip(b"\0") == SECTION:
            return _slice(data, raw_off, min(vsize, raw_size) if vsize else raw_size)
    return None


def _macho(data: bytes, is64: bool) -> bytes | None:
    (ncmds,) = struct.unpack_from("<16xI", data)
    pos = 32 if is64 else 28
    segment, sect_size = (0x19, 80) if is64 else (0x1, 68)
    for _ in range(ncmds):
        cmd, cmdsize = struct.unpack_from("<II", data, pos)
        if cmd == segment:
            nsects = struct.unpack_from("<I", data, pos + (64 if is64 else 48))[0]
            first = pos + (72 if is64 else 56)
            for k in range(nsects):
                at = first + k * sect_size
                name = data[at : at + 16].rstrip(b"\0")
                size, offset = struct.unpack_from("<QI" if is64 else "<II", data, at + 40)
                if name == SECTION:
                    return _slice(data, offset, size)
        if cmdsize < 8:
            raise ValueError("bad Mach-O load command")
        pos += cmdsize
    return None


def _decode(source: Source, section: bytes) -> object:
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(section, MAX_JSON_BYTES + 1)
    except zlib.error as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f".dep-v0 is not zlib data: {e}") from e
    if len(raw) > MAX_JSON_BYTES:
        limit = f".dep-v0 expands beyond {MAX_JSON_BYTES} bytes"
        raise CatalogError(Msg.FILE_TOO_LARGE, source.rel, limit)
    if not inflater.eof:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, ".dep-v0 zlib data is truncated")
    try:
        return json.loads(raw)
    except RecursionError as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "nested too deeply") from e
    except ValueError as e:  # JSONDecodeError, UnicodeDecodeError, int digit limits
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f".dep-v0 JSON: {e}") from e


def _packages(source: Source, doc: object) -> list[_Package]:
    raw = doc.get("packages") if isinstance(doc, dict) else None
    if not isinstance(raw, list):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "'packages' is not an array")
    out = []
    for i, p in enumerate(raw):
        t = p if isinstance(p, dict) else {}
        deps = t.get("dependencies")
        out.append(
            _Package(
                i,
                as_str(t.get("name")),
                as_str(t.get("version")),
                as_str(t.get("source")),
                t.get("kind") == "build",
                t.get("root") is True,
                tuple(deps) if isinstance(deps, list) else (),
            )
        )
    return out


def _build(source: Source, packages: list[_Package]) -> CatalogResult:
    c = Collector(source)
    root = next((p for p in packages if p.root), None)
    direct = {_index(d, len(packages)) for d in root.deps} if root else set()
    nodes: dict[int, Component] = {}
    for p in packages:
        comp = _component(c, p, p is root, None if root is None else p.pos in direct)
        if comp is None:
            continue
        nodes[p.pos] = comp
        if p is root:
            c.result.project = comp
        else:
            c.result.components.append(comp)
    for p in packages:
        for d in p.deps:
            j = _index(d, len(packages))
            if j is None:
                detail = f"package #{p.pos} depends on index {d!r}, not in the list"
                c.unknown(repr(d), None, detail)
            elif p.pos in nodes and j in nodes:
                c.link(nodes[p.pos], nodes[j])
    return c.finish()


def _index(value: object, count: int) -> int | None:
    """A valid package index, or None."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < count:
        return value
    return None


def _component(c: Collector, p: _Package, is_root: bool, direct: bool | None) -> Component | None:
    if p.name is None:
        c.warn(Msg.MISSING_NAME, None, f"package #{p.pos} has no name")
        return None
    if p.version is None:
        c.warn(Msg.MISSING_VERSION, None, f"package #{p.pos} ({p.name}) has no version")
        return None
    if is_root:
        return c.make(p.name, p.version, p.source, None, type=ComponentType.APPLICATION)
    kind = _SOURCES.get(p.source, p.source) if p.source else None
    props = source_props(kind) + (((PROP_KIND, "build"),) if p.build else ())
    return c.make(p.name, p.version, p.source, None, direct=direct, properties=props)

"""cargo-auditable-binary: the ``.dep-v0`` section of ELF, PE and Mach-O binaries."""

from __future__ import annotations

import contextlib
import json
import struct
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.rust.auditable_binary import CargoAuditableCataloger
from sbomkit.i18n import Msg
from sbomkit.model import ComponentType

DATA = Path(__file__).resolve().parents[2] / "testdata"
C = "pkg:cargo/"
PATH = ("sbomkit:source", "path")
BUILD = ("sbomkit:cargo-kind", "build")


# --- minimal executables around a section, to test each container and bad payloads ----


def elf(payload: bytes, name: bytes = b".dep-v0") -> bytes:
    strtab = b"\0" + name + b"\0.shstrtab\0"
    str_off = 64 + len(payload)
    sh_off = str_off + len(strtab)
    ident = b"\x7fELF\x02\x01\x01" + bytes(9)
    head = ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0, 0, sh_off, 0, 64, 0, 0, 64, 3, 2)

    def sh(name_off: int, off: int, size: int) -> bytes:
        return struct.pack("<IIQQQQIIQQ", name_off, 1, 0, 0, off, size, 0, 0, 1, 0)

    table = bytes(64) + sh(1, 64, len(payload)) + sh(len(name) + 2, str_off, len(strtab))
    return head + payload + strtab + table


def pe(payload: bytes) -> bytes:
    head = b"MZ" + bytes(0x3A) + struct.pack("<I", 0x40)
    coff = b"PE\0\0" + struct.pack("<HHIIIHH", 0x8664, 1, 0, 0, 0, 0, 0)
    data_off = 0x40 + 24 + 40
    n = len(payload)
    section = struct.pack("<8sIIIIIIHHI", b".dep-v0", n, 0, n, data_off, 0, 0, 0, 0, 0)
    return head + coff + section + payload


def macho(payload: bytes) -> bytes:
    data_off = 32 + 72 + 80
    head = struct.pack("<IiiIIIII", 0xFEEDFACF, 0x1000007, 3, 2, 1, 152, 0, 0)
    seg = struct.pack("<II16sQQQQiiII", 0x19, 152, b"__DATA", 0, 0, 0, 0, 0, 0, 1, 0)
    sect = struct.pack(
        "<16s16sQQIIIIIIII", b".dep-v0", b"__DATA", 0, len(payload), data_off, 0, 0, 0, 0, 0, 0, 0
    )
    return head + seg + sect + payload


def fat(thin: bytes) -> bytes:
    """A universal binary: a slice without the section, then the one with it."""
    other = struct.pack("<IiiIIIII", 0xFEEDFACF, 0x100000C, 0, 2, 0, 0, 0, 0)  # no commands
    head = b"\xca\xfe\xba\xbe" + struct.pack(">I", 2)
    head += struct.pack(">iiIII", 0x100000C, 0, 0x100, len(other), 12)
    head += struct.pack(">iiIII", 0x1000007, 3, 0x200, len(thin), 12)
    return head + bytes(0x100 - len(head)) + other + bytes(0x100 - len(other)) + thin


def fat_macho(payload: bytes) -> bytes:
    return fat(macho(payload))


def deps(packages: list[dict[str, object]]) -> bytes:
    return zlib.compress(json.dumps({"packages": packages}).encode())


def scan(path: Path, rel: str) -> CatalogResult:
    return CargoAuditableCataloger().catalog(Source(path, rel))


def scan_bytes(tmp_path: Path, data: bytes) -> CatalogResult:
    (tmp_path / "bin").write_bytes(data)
    return scan(tmp_path / "bin", "bin")


def test_name_matches_registry() -> None:
    assert CargoAuditableCataloger.name == "cargo-auditable-binary"


# --- elf-real: built here by rustc 1.95 (release, stripped) from a path-only workspace ----
# app -> libone, libtwo; libtwo -> libone; build.rs uses buildhelper; testhelper is a
# dev-dependency and so not in the binary. cargo-auditable is neither in Debian nor
# reachable on crates.io here, so src/main.rs embeds the section exactly as it does:
# `#[link_section = ".dep-v0"] #[used] static AUDITABLE_VERSION_INFO: [u8; N]` holding
# the zlib-compressed JSON built from `cargo metadata --offline --format-version 1`.


def test_real_elf_binary() -> None:
    rel = "cargo-auditable/elf-real/app"
    r = scan(DATA / rel, rel)
    got = {ref: (c.direct, c.properties, c.type) for ref, c in comps(r).items()}
    lib = ComponentType.LIBRARY
    assert got == {
        f"{C}buildhelper@0.1.0": (True, (PATH, BUILD), lib),
        f"{C}libone@1.0.0": (True, (PATH,), lib),
        f"{C}libtwo@2.1.0": (True, (PATH,), lib),
    }
    assert r.project is not None
    assert (r.project.ref, r.project.type) == (f"{C}app@0.3.1", ComponentType.APPLICATION)
    assert [str(loc) for loc in r.project.locations] == [rel]
    assert edges(r) == {
        (f"{C}app@0.3.1", f"{C}buildhelper@0.1.0"),
        (f"{C}app@0.3.1", f"{C}libone@1.0.0"),
        (f"{C}app@0.3.1", f"{C}libtwo@2.1.0"),
        (f"{C}libtwo@2.1.0", f"{C}libone@1.0.0"),
    }
    assert r.diagnostics == []


@pytest.mark.parametrize(
    "wrap", [elf, pe, macho, fat_macho], ids=["elf", "pe", "macho", "fat-macho"]
)
def test_containers(tmp_path: Path, wrap: object) -> None:
    payload = deps(
        [
            {"name": "tool", "version": "2.0.0", "source": "local", "dependencies": [1, 2]},
            {"name": "serde", "version": "1.0.197", "source": "crates.io"},
            {"name": "regex", "version": "1.10.3", "source": "git", "kind": "runtime"},
        ]
    )
    assert callable(wrap)
    r = scan_bytes(tmp_path, wrap(payload))
    got = {ref: (c.direct, c.properties) for ref, c in comps(r).items()}
    assert got == {  # no root flag: no project, direct unknown
        f"{C}tool@2.0.0": (None, (PATH,)),
        f"{C}serde@1.0.197": (None, ()),
        f"{C}regex@1.10.3": (None, (("sbomkit:source", "git"),)),
    }
    assert r.project is None
    assert len(r.dependencies) == 2


def test_sniff() -> None:
    sniff = CargoAuditableCataloger.sniff
    assert [sniff(h) for h in (b"\x7fELF", b"MZ\x90\0", b"\xcf\xfa\xed\xfe", b"#!/b")] == [
        True,
        True,
        True,
        False,
    ]


def test_entry_problems(tmp_path: Path) -> None:
    payload = deps(
        [
            {
                "name": "app",
                "version": "1.0.0",
                "source": "local",
                "root": True,
                "dependencies": [1, 2, 3, 9, 9, "x"],
            },  # fmt: skip
            {"version": "1.0.0"},
            {"name": "nover"},
            {"name": "dup", "version": "1.0.0", "source": "crates.io"},
            {"name": "dup", "version": "1.0.0", "source": "crates.io"},
            {"name": "odd", "version": "0.1.0", "source": "sparse+https://x.example/"},
        ]
    )
    r = scan_bytes(tmp_path, elf(payload))
    assert diags(r) == [
        (Msg.MISSING_NAME, "bin", "package #1 has no name"),
        (Msg.MISSING_VERSION, "bin", "package #2 (nover) has no version"),
        (Msg.DUPLICATE_ENTRY, "bin", "dup 1.0.0"),
        (Msg.UNKNOWN_DEPENDENCY, "bin", "package #0 depends on index 9, not in the list"),
        (Msg.UNKNOWN_DEPENDENCY, "bin", "package #0 depends on index 'x', not in the list"),
    ]
    got = {ref: (c.direct, c.properties) for ref, c in comps(r).items()}
    assert got == {
        f"{C}dup@1.0.0": (True, ()),
        f"{C}odd@0.1.0": (False, (("sbomkit:source", "sparse+https://x.example/"),)),
    }


# --- unusable binaries -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "detail"),
    [
        pytest.param(b"", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param(b"hello", Msg.WRONG_FORMAT, "not an ELF, PE or Mach-O binary", id="text"),
        pytest.param(
            elf(b"x", b".text"), Msg.WRONG_FORMAT, "no cargo-auditable dependency data", id="none"
        ),
        pytest.param(
            elf(b"not zlib"),
            Msg.WRONG_FORMAT,
            ".dep-v0 is not zlib data: Error -3 while decompressing data: incorrect header check",
            id="not-zlib",
        ),
        pytest.param(
            elf(zlib.compress(b"{}")[:-3]),
            Msg.WRONG_FORMAT,
            ".dep-v0 zlib data is truncated",
            id="truncated",
        ),
        pytest.param(
            elf(zlib.compress(b"[1,")),
            Msg.WRONG_FORMAT,
            ".dep-v0 JSON: Expecting value: line 1 column 4 (char 3)",
            id="bad-json",
        ),
        pytest.param(
            elf(zlib.compress(b'{"packages": {}}')),
            Msg.WRONG_FORMAT,
            "'packages' is not an array",
            id="shape",
        ),
        pytest.param(
            elf(zlib.compress(b" " * (65 * 1024 * 1024), 9)),
            Msg.FILE_TOO_LARGE,
            ".dep-v0 expands beyond 67108864 bytes",
            id="zip-bomb",
        ),
        pytest.param(
            b"\x7fELF\x02\x01\x01" + bytes(20),
            Msg.WRONG_FORMAT,
            "malformed binary: unpack_from requires a buffer of at least 64 bytes for unpacking "
            "64 bytes at offset 0 (actual buffer size is 27)",
            id="truncated-elf",
        ),
        pytest.param(
            b"\x7fELF\x02\x01\x01"
            + bytes(33)
            + struct.pack("<QIHHHHHH", 2**64 - 1, 0, 64, 0, 0, 64, 1, 0),
            Msg.WRONG_FORMAT,
            "malformed binary: Python int too large to convert to C ssize_t",
            id="elf-offset-overflow",
        ),
    ],
)
def test_unusable(tmp_path: Path, data: bytes, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan_bytes(tmp_path, data)
    assert (info.value.code, info.value.path, info.value.detail) == (code, "bin", detail)


# --- nothing but CatalogError ever leaves catalog() -----------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 8) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.sampled_from(["name", "version", "source", "kind", "dependencies", "root"])
            | st.text(max_size=4),
            inner,
            max_size=6,
        )
    ),
    max_leaves=30,
)


def _quietly(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "bin").write_bytes(data)
        with contextlib.suppress(CatalogError):
            scan(Path(d) / "bin", "bin")


@settings(max_examples=150, deadline=None)
@given(
    magic=st.sampled_from([b"", b"\x7fELF", b"\x7fELF\x01\x02", b"MZ", b"\xcf\xfa\xed\xfe"]),
    data=st.binary(max_size=300),
)
def test_random_bytes_never_crash(magic: bytes, data: bytes) -> None:
    _quietly(magic + data)


@settings(max_examples=150, deadline=None)
@given(packages=st.lists(_json, max_size=5), wrap=st.sampled_from([elf, pe, macho]))
def test_random_documents_never_crash(packages: list[object], wrap: object) -> None:
    assert callable(wrap)
    _quietly(wrap(zlib.compress(json.dumps({"packages": packages}).encode())))


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400), cut=st.integers(0, 400))
def test_mangled_containers_never_crash(data: bytes, cut: int) -> None:
    for blob in (elf(data), pe(data), macho(data)):
        _quietly(blob[:cut] + data)

"""go-binary: the module list embedded in Go executables, read without running them."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.golang import binary
from sbomkit.catalog.golang._buildinfo import Module, parse_modinfo
from sbomkit.catalog.golang.binary import GoBinaryCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg

DATA = Path(__file__).resolve().parents[2] / "testdata"
G = "pkg:golang/"
MAGIC = b"\xff Go buildinf:"
# The 16-byte sentinels the go command puts around the modinfo string.
START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
END = bytes.fromhex("f932433186182072008242104116d8f2")


def scan(rel: str) -> CatalogResult:
    return GoBinaryCataloger().catalog(Source(DATA / rel, rel))


def scan_path(path: Path) -> CatalogResult:
    return GoBinaryCataloger().catalog(Source(path, path.name))


def error_of(path: Path, rel: str) -> tuple[Msg, str | None, str]:
    with pytest.raises(CatalogError) as info:
        GoBinaryCataloger().catalog(Source(path, rel))
    return info.value.code, info.value.path, info.value.detail


def test_name_matches_registry() -> None:
    assert GoBinaryCataloger.name == "go-binary"


# --- a real binary -----------------------------------------------------------------------
# go1.19.8 (Debian golang-go), linux/amd64: module example.com/hello requiring
# example.com/lib v1.2.3 (replace => ../lib) and example.com/util v0.4.1 (from a file://
# GOPROXY), built with go build -trimpath -ldflags="-s -w". go-version-m.txt beside it is
# the output of `go version -m hello`.


def _go_version_m() -> tuple[str, tuple[str, str], set[tuple[str, str, str]]]:
    """(go version, (main path, version), {(dep path, version, sum or replacement)})."""
    text = (DATA / "go-binary" / "hello" / "go-version-m.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    go = lines[0].split(": ", 1)[1]
    main = ("", "")
    deps: list[list[str]] = []
    for line in lines[1:]:
        fields = line.strip("\t").split("\t")
        if fields[0] == "mod":
            main = (fields[1], fields[2])
        elif fields[0] == "dep":
            deps.append([*fields[1:3], fields[3] if len(fields) > 3 else ""])
        elif fields[0] == "=>":
            deps[-1][2] = f"=> {fields[1]} {fields[2]}"
    return go, main, {(p, v, s) for p, v, s in deps}


def test_real_binary_matches_go_version_m() -> None:
    go, main, deps = _go_version_m()
    assert (go, main) == ("go1.19.8", ("example.com/hello", "(devel)"))
    assert deps == {
        ("example.com/lib", "v1.2.3", "=> ../lib (devel)"),
        ("example.com/util", "v0.4.1", "h1:KAfRfVbglbyds1FLhoyAZX+AU6kkVwtP4zUD9/pxNG8="),
    }
    r = scan("go-binary/hello/hello")
    assert r.project is not None and (r.project.name, r.project.version) == (main[0], None)
    libs = {(c.name, c.version) for c in r.components if c.name != "stdlib"}
    assert libs == {(p, v) for p, v, _ in deps}
    assert {c.version for c in r.components if c.name == "stdlib"} == {go}


def test_real_binary_exact() -> None:
    r = scan("go-binary/hello/hello")
    got = {ref: (c.direct, c.source_url, c.properties) for ref, c in comps(r).items()}
    assert got == {
        f"{G}example.com/lib@v1.2.3": (None, "../lib", (("sbomkit:source", "path"),)),
        f"{G}example.com/util@v0.4.1": (
            None,
            None,
            (("sbomkit:go-h1", "h1:KAfRfVbglbyds1FLhoyAZX+AU6kkVwtP4zUD9/pxNG8="),),
        ),
        f"{G}stdlib@go1.19.8": (True, None, ()),
    }
    assert r.project is not None
    assert (r.project.ref, r.project.properties) == (
        f"{G}example.com/hello",
        (
            ("sbomkit:go-build:-compiler", "gc"),
            ("sbomkit:go-build:-trimpath", "true"),
            ("sbomkit:go-build:CGO_ENABLED", "1"),
            ("sbomkit:go-build:GOAMD64", "v1"),
            ("sbomkit:go-build:GOARCH", "amd64"),
            ("sbomkit:go-build:GOOS", "linux"),
        ),
    )
    assert edges(r) == {(f"{G}example.com/hello", ref) for ref in got}
    assert [str(loc) for loc in r.project.locations] == ["go-binary/hello/hello"]
    assert r.diagnostics == []


# --- the pre-1.18 pointer format, in a synthetic ELF ----------------------------------


def pointer_elf(version: bytes, modinfo: bytes, *, big: bool = False, bits: int = 64) -> bytes:
    """An ELF whose one PT_LOAD segment maps the file at 0x400000, with old build info."""
    e = ">" if big else "<"
    ptr = "Q" if bits == 64 else "I"
    size = bits // 8
    base, at, headers, strings = 0x400000, 0x100, 0x140, 0x200
    mod = START + modinfo + END
    buf = bytearray(strings)
    buf[0:7] = b"\x7fELF" + bytes([2 if bits == 64 else 1, 2 if big else 1, 1])
    total = strings + len(version) + len(mod)
    if bits == 64:
        struct.pack_into(e + "Q", buf, 0x20, 64)
        struct.pack_into(e + "HH", buf, 0x36, 56, 1)
        struct.pack_into(e + "IIQQQQQQ", buf, 64, 1, 4, 0, base, base, total, total, 0x1000)
    else:
        struct.pack_into(e + "I", buf, 0x1C, 52)
        struct.pack_into(e + "HH", buf, 0x2A, 32, 1)
        struct.pack_into(e + "8I", buf, 52, 1, 0, base, base, total, total, 4, 0x1000)
    buf[at : at + 16] = MAGIC + bytes([size, 1 if big else 0])
    struct.pack_into(e + ptr * 2, buf, at + 16, base + headers, base + headers + 2 * size)
    struct.pack_into(e + ptr * 2, buf, headers, base + strings, len(version))
    struct.pack_into(e + ptr * 2, buf, headers + 2 * size, base + strings + len(version), len(mod))
    return bytes(buf) + version + mod


OLD_MODINFO = (
    b"path\texample.com/old/cmd\n"
    b"mod\texample.com/old\tv1.0.0\th1:main=\n"
    b"dep\tgithub.com/pkg/errors\tv0.9.1\th1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=\n"
    b"dep\tgolang.org/x/net\tv0.0.0-20190404232315-eb5bcb51f2a3\n"
    b"=>\tgithub.com/fork/net\tv0.1.0\th1:fork=\n"
)


@pytest.mark.parametrize(
    ("big", "bits"),
    [
        pytest.param(False, 64, id="le64"),
        pytest.param(True, 64, id="be64"),
        pytest.param(False, 32, id="le32"),
    ],
)
def test_pointer_format(tmp_path: Path, big: bool, bits: int) -> None:
    exe = tmp_path / "old"
    exe.write_bytes(pointer_elf(b"go1.16.4", OLD_MODINFO, big=big, bits=bits))
    r = scan_path(exe)
    got = {ref: c.properties for ref, c in comps(r).items()}
    assert got == {
        f"{G}github.com/pkg/errors@v0.9.1": (
            ("sbomkit:go-h1", "h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4="),
        ),
        f"{G}github.com/fork/net@v0.1.0": (
            ("sbomkit:go-h1", "h1:fork="),
            ("sbomkit:go-replaces", "golang.org/x/net@v0.0.0-20190404232315-eb5bcb51f2a3"),
        ),
        f"{G}stdlib@go1.16.4": (),
    }
    assert r.project is not None and r.project.ref == f"{G}example.com/old@v1.0.0"
    assert r.diagnostics == []


def test_pointer_format_outside_elf_is_unsupported(tmp_path: Path) -> None:
    exe = tmp_path / "old.exe"
    data = bytearray(pointer_elf(b"go1.16.4", OLD_MODINFO))
    data[0:4] = b"MZ\x90\x00"
    exe.write_bytes(bytes(data))
    assert error_of(exe, "old.exe") == (
        Msg.UNSUPPORTED_VERSION,
        "old.exe",
        "pre-Go 1.18 build information is read from ELF files only",
    )


def test_pointer_outside_the_file(tmp_path: Path) -> None:
    exe = tmp_path / "bad"
    data = bytearray(pointer_elf(b"go1.16.4", OLD_MODINFO))
    struct.pack_into("<Q", data, 0x100 + 16, 0x7FFF0000)
    exe.write_bytes(bytes(data))
    assert error_of(exe, "bad") == (
        Msg.WRONG_FORMAT,
        "bad",
        "address 0x7fff0000 is outside the file",
    )


# --- sad paths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "detail"),
    [
        # The first 4 KiB of the real binary: ELF header intact, build info cut off.
        pytest.param("go-binary/truncated/hello", "no Go build information", id="truncated"),
        # The 64-byte ELF header of /bin/true (coreutils, C): an executable without Go.
        pytest.param("go-binary/not-go/true", "no Go build information", id="elf-header-only"),
        pytest.param("go-binary/empty/hello", "empty file", id="empty"),
        pytest.param(
            "go-binary/not-exe/hello.sh", "not an ELF, PE or Mach-O executable", id="script"
        ),
    ],
)
def test_unusable_files(rel: str, detail: str) -> None:
    assert error_of(DATA / rel, rel) == (Msg.WRONG_FORMAT, rel, detail)


def test_modinfo_cut_short(tmp_path: Path) -> None:
    data = (DATA / "go-binary" / "hello" / "hello").read_bytes()
    at = data.index(MAGIC)
    cut = tmp_path / "cut"
    cut.write_bytes(data[: at + 48])  # header, version, the first bytes of the modinfo
    assert error_of(cut, "cut") == (Msg.WRONG_FORMAT, "cut", "truncated Go build information")


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(binary, "MAX_FILE_BYTES", 1024)
    rel = "go-binary/hello/hello"
    assert error_of(DATA / rel, rel) == (Msg.FILE_TOO_LARGE, rel, "limit 1024 bytes")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param(b"\x7fELF\x02\x01\x01", True, id="elf"),
        pytest.param(b"MZ\x90\x00", True, id="pe"),
        pytest.param(b"\xcf\xfa\xed\xfe", True, id="macho64-le"),
        pytest.param(b"\xfe\xed\xfa\xce", True, id="macho32-be"),
        pytest.param(b"\xca\xfe\xba\xbe", False, id="fat-or-java-class"),
        pytest.param(b"#!/bin/sh", False, id="script"),
        pytest.param(b"", False, id="empty"),
    ],
)
def test_sniff(head: bytes, expected: bool) -> None:
    assert GoBinaryCataloger.sniff(head) is expected


# --- modinfo lines -----------------------------------------------------------------------


def test_modinfo_quirks_become_warnings(tmp_path: Path) -> None:
    modinfo = (
        b"=>\t../orphan\t(devel)\t\n"  # a replacement with no dep before it
        b"mod\texample.com/m\tv0.0.0-20240101000000-abcdefabcdef+dirty\t\n"
        b"dep\texample.com/nover\t(devel)\t\n"
        b"dep\tonly-a-path\n"
        b'build\t"-ldflags=odd key"="-s -w"\n'
        b"build\t-tags=netgo\n"
        b"unknown\tline\n"
    )
    exe = tmp_path / "m"
    exe.write_bytes(pointer_elf(b"go1.16.4 X:boringcrypto", modinfo))
    r = scan_path(exe)
    assert diags(r) == [
        (Msg.INVALID_ENTRY, "m", "build info line '=>\\t../orphan\\t(devel)\\t'"),
        (Msg.INVALID_ENTRY, "m", "build info line 'dep\\tonly-a-path'"),
        (Msg.INVALID_ENTRY, "m", "build info line 'unknown\\tline'"),
        (Msg.MISSING_VERSION, "m", "example.com/nover: (devel), listed without a version"),
    ]
    assert r.project is not None
    assert (r.project.version, r.project.properties) == (
        "v0.0.0-20240101000000-abcdefabcdef+dirty",
        (("sbomkit:go-build:-ldflags=odd key", "-s -w"), ("sbomkit:go-build:-tags", "netgo")),
    )
    assert set(comps(r)) == {f"{G}example.com/nover", f"{G}stdlib@go1.16.4"}


# --- a main module built from a checkout ----------------------------------------------------
# kpt 1.0.0-beta.56 (Google Cloud SDK) records `mod ... (devel)` and sets its version with
# -ldflags; kubectl 1.28 (built in a go.work workspace) lists its staging repos as (devel).


@pytest.mark.parametrize(
    ("ldflags", "expected"),
    [
        pytest.param(
            "-s -w -X github.com/GoogleContainerTools/kpt/run.version=1.0.0-beta.56 "
            '-extldflags "-z noexecstack"',
            "v1.0.0-beta.56",
            id="kpt",
        ),
        pytest.param(
            "-X 'k8s.io/component-base/version.gitVersion=v1.28.4' -X main.commit=4cb5f07",
            "v1.28.4",
            id="quoted-gitVersion",
        ),
        pytest.param("-X=main.Version=2.1.0+meta", "v2.1.0+meta", id="equals-form"),
        pytest.param("-X main.version=dev -X main.commit=abc", None, id="not-a-version"),
        pytest.param("-X main.buildDate=2024.01.02", None, id="not-a-version-variable"),
        pytest.param("", None, id="none"),
    ],
)
def test_ldflags_version(ldflags: str, expected: str | None) -> None:
    assert binary.ldflags_version(ldflags) == expected


def test_devel_main_module_and_workspace_deps(tmp_path: Path) -> None:
    modinfo = (
        b"path\tk8s.io/kubernetes/cmd/kubectl\n"
        b"mod\tk8s.io/kubernetes\t(devel)\t\n"
        b"dep\tk8s.io/api\t(devel)\t\n"
        b"dep\tk8s.io/kubectl\t(devel)\t\n"
        b"=>\t../kubectl\t(devel)\t\n"
        b"dep\texample.com/forked\t(devel)\t\n"
        b"=>\texample.com/fork\tv1.2.0\th1:abc=\n"
        b'build\t-ldflags="-X k8s.io/component-base/version.gitVersion=v1.28.4"\n'
    )
    exe = tmp_path / "kubectl"
    exe.write_bytes(pointer_elf(b"go1.20.11", modinfo))
    r = scan_path(exe)
    assert r.project is not None
    assert (r.project.ref, dict(r.project.properties)["sbomkit:version-from"]) == (
        f"{G}k8s.io/kubernetes@v1.28.4",
        "-ldflags",
    )
    got = {ref: (c.source_url, c.properties) for ref, c in comps(r).items()}
    assert got == {
        f"{G}k8s.io/api": (None, ()),
        f"{G}k8s.io/kubectl": ("../kubectl", ()),
        f"{G}example.com/fork@v1.2.0": (
            None,
            (("sbomkit:go-h1", "h1:abc="), ("sbomkit:go-replaces", "example.com/forked")),
        ),
        f"{G}stdlib@go1.20.11": (None, ()),
    }
    assert diags(r) == [
        (Msg.MISSING_VERSION, "kubectl", "k8s.io/api: (devel), listed without a version"),
        (Msg.MISSING_VERSION, "kubectl", "k8s.io/kubectl: (devel), listed without a version"),
    ]


def test_parse_modinfo_without_main_module() -> None:
    info = parse_modinfo("go1.22.1", "path\tcommand-line-arguments\ndep\ta.b/c\tv1.0.0\t\n")
    assert (info.path, info.main, info.deps) == (
        "command-line-arguments",
        None,
        [Module("a.b/c", "v1.0.0", "")],
    )


# --- universal (fat) Mach-O ------------------------------------------------------------
# `lipo` output: a big-endian header listing slices; the build info is inside a slice.


def fat(*slices: bytes, wide: bool = False) -> bytes:
    step, offset = (32 if wide else 20), 0x1000
    head = bytearray(
        (b"\xca\xfe\xba\xbf" if wide else b"\xca\xfe\xba\xbe") + struct.pack(">I", len(slices))
    )
    body = b""
    for s in slices:
        entry = (
            struct.pack(">iiQQI4x", 0x1000007, 3, offset + len(body), len(s), 12)
            if wide
            else struct.pack(">iiIII", 0x1000007, 3, offset + len(body), len(s), 12)
        )
        head += entry
        body += s
    assert len(head) <= offset and step
    return bytes(head) + bytes(offset - len(head)) + body


@pytest.mark.parametrize("wide", [False, True], ids=["fat32", "fat64"])
def test_fat_macho(tmp_path: Path, wide: bool) -> None:
    thin = (DATA / "go-binary" / "hello" / "hello").read_bytes()
    exe = tmp_path / "hello-universal"
    exe.write_bytes(fat(b"\xcf\xfa\xed\xfe" + bytes(60), thin, wide=wide))
    assert GoBinaryCataloger.sniff(exe.read_bytes()[:8])
    r = scan_path(exe)
    assert r.project is not None
    assert r.project.ref == f"{G}example.com/hello"
    assert set(comps(r)) == set(comps(scan("go-binary/hello/hello")))


def test_java_class_is_not_fat(tmp_path: Path) -> None:
    cls = tmp_path / "Main.class"
    cls.write_bytes(b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + bytes(64))  # Java 8 class file
    assert not GoBinaryCataloger.sniff(cls.read_bytes()[:8])
    assert error_of(cls, "Main.class") == (
        Msg.WRONG_FORMAT,
        "Main.class",
        "not an ELF, PE or Mach-O executable",
    )

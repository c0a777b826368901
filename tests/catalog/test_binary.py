"""Executables found by content: Go and cargo-auditable binaries in one directory walk."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from testkit import TESTDATA

from sbomkit.catalog.binary import BinaryCataloger
from sbomkit.catalog.build import build_inventory
from sbomkit.catalog.interface import CatalogError, Source
from sbomkit.catalog.walker import walk


def _place(root: Path, src: Path, name: str, executable: bool = True) -> None:
    dst = root / name
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    dst.chmod(0o755 if executable else 0o644)


def test_binaries_are_claimed_by_their_first_bytes_not_their_names(tmp_path: Path) -> None:
    _place(tmp_path, TESTDATA / "go-binary" / "hello" / "hello", "bin/hello")
    _place(tmp_path, TESTDATA / "cargo-auditable" / "elf-real" / "app", "bin/app")
    _place(tmp_path, TESTDATA / "go-binary" / "not-go" / "true", "bin/true")
    _place(tmp_path, TESTDATA / "go-binary" / "not-exe" / "hello.sh", "bin/hello.sh")
    # Not executable and not named like a binary: never opened.
    _place(tmp_path, TESTDATA / "go-binary" / "hello" / "hello", "data/blob", executable=False)
    jobs = [(j.source.rel, j.spec.name) for j in walk(tmp_path).jobs]
    assert jobs == [("bin/app", "binary"), ("bin/hello", "binary"), ("bin/true", "binary")]


def test_binary_components_and_quiet_non_matches(tmp_path: Path) -> None:
    _place(tmp_path, TESTDATA / "go-binary" / "hello" / "hello", "bin/hello")
    _place(tmp_path, TESTDATA / "cargo-auditable" / "elf-real" / "app", "bin/app")
    _place(tmp_path, TESTDATA / "go-binary" / "not-go" / "true", "bin/true")
    inv = build_inventory(tmp_path)
    assert inv.diagnostics == ()  # a C binary carries no build info: not an error
    # Both binaries' own modules, and each binary's main package as an application.
    assert sorted(c.ref for c in inv.components) == [
        "pkg:cargo/app@0.3.1",
        "pkg:cargo/buildhelper@0.1.0",
        "pkg:cargo/libone@1.0.0",
        "pkg:cargo/libtwo@2.1.0",
        "pkg:golang/example.com/hello",
        "pkg:golang/example.com/lib@v1.2.3",
        "pkg:golang/example.com/util@v0.4.1",
        "pkg:golang/stdlib@go1.19.8",
    ]
    assert all(c.found_by == ("binary",) for c in inv.components)


@settings(max_examples=80, deadline=None)
@given(
    magic=st.sampled_from([b"\x7fELF", b"MZ", b"\xcf\xfa\xed\xfe"]),
    body=st.binary(max_size=2048),
)
def test_random_executables_raise_nothing_but_catalog_errors(magic: bytes, body: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x"
        path.write_bytes(magic + body)
        with contextlib.suppress(CatalogError):
            BinaryCataloger().catalog(Source(path, "x"))

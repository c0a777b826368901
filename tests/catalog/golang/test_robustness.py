"""Any input bytes: the Go catalogers return a result or raise CatalogError, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbomkit.catalog.golang.binary import GoBinaryCataloger
from sbomkit.catalog.golang.go_mod import GoModCataloger
from sbomkit.catalog.golang.go_sum import GoSumCataloger
from sbomkit.catalog.golang.vendor_modules import GoVendorCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source

DATA = Path(__file__).resolve().parents[2] / "testdata"
CATALOGERS = {
    "go.mod": GoModCataloger(),
    "go.sum": GoSumCataloger(),
    "modules.txt": GoVendorCataloger(),
    "hello": GoBinaryCataloger(),
}
MAGIC = b"\xff Go buildinf:"

_words = st.sampled_from(
    [
        "module",
        "go",
        "toolchain",
        "require",
        "replace",
        "exclude",
        "retract",
        "(",
        ")",
        "=>",
        "//",
        "// indirect",
        "#",
        "##",
        "## explicit",
        "explicit;",
        "example.com/a",
        "../dir",
        "v1.0.0",
        "v1.0.0/go.mod",
        "h1:abc=",
        '"quoted',
        '"a\\u00e9"',
        "`raw`",
        "\\",
        "\x00",
        "\ud800",
    ]
) | st.text(max_size=6)
_lines = st.lists(st.lists(_words, max_size=6).map(" ".join), max_size=12).map("\n".join)


def _run(name: str, data: bytes) -> CatalogResult | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            return CATALOGERS[name].catalog(Source(path, name))
        except CatalogError:
            return None


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", list(CATALOGERS))
@FUZZ
@given(data=st.binary(max_size=512))
def test_random_bytes(name: str, data: bytes) -> None:
    _run(name, data)


@pytest.mark.parametrize("name", ["go.mod", "go.sum", "modules.txt"])
@FUZZ
@given(text=_lines)
def test_random_lines(name: str, text: str) -> None:
    _run(name, text.encode("utf-8", errors="surrogatepass"))


_BINARY = (DATA / "go-binary" / "hello" / "hello").read_bytes()
_AT = _BINARY.index(MAGIC)
# The real binary's first 4 KiB (ELF headers) and its build info, stitched back together
# at the same 16-byte alignment, so mutations hit the parser instead of missing the magic.
_SMALL = _BINARY[:4096] + _BINARY[_AT : _AT + 512]


@FUZZ
@given(
    edits=st.lists(st.tuples(st.integers(0, len(_SMALL) - 1), st.integers(0, 255)), max_size=8),
    cut=st.integers(0, len(_SMALL)),
)
def test_mutated_binary(edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(_SMALL)
    for pos, value in edits:
        if not 4096 <= pos < 4096 + 14:  # keep the magic, mutate everything else
            data[pos] = value
    _run("hello", bytes(data[: max(cut, 4096 + 16)]))


def test_stitched_binary_still_reads() -> None:
    r = _run("hello", _SMALL)
    assert r is not None and {c.name for c in r.components} == {
        "example.com/lib",
        "example.com/util",
        "stdlib",
    }

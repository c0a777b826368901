"""haskell-cabal-freeze: constraints pins, flags, installed boot packages, setup scope."""

from __future__ import annotations

import contextlib
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags

from sbomkit.catalog.haskell.cabal_freeze import CabalFreezeCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
H = "pkg:hackage/"


def scan(case: str) -> CatalogResult:
    rel = f"cabal-freeze/{case}/cabal.project.freeze"
    return CabalFreezeCataloger().catalog(Source(DATA / rel, rel))


def test_name() -> None:
    assert CabalFreezeCataloger.name == "haskell-cabal-freeze"


def test_realistic() -> None:
    r = scan("realistic")
    # 53 pins, setup.Cabal pinned like any.Cabal (one component), plus rts (installed).
    assert len(r.components) == 53
    assert Counter(c.scope for c in r.components) == {Scope.REQUIRED: 53}
    assert r.dependencies == []
    f = "cabal-freeze/realistic/cabal.project.freeze"
    assert diags(r) == [
        (Msg.UNPINNED, f"{f}:51", "rts installed (GHC boot package); no version"),
    ]
    c = comps(r)
    assert c[f"{H}aeson@2.2.1.0"].properties == (("sbomkit:cabal-flags", "-cffi +ordered-keymap"),)
    assert [str(loc) for loc in c[f"{H}aeson@2.2.1.0"].locations] == [f"{f}:10"]
    assert c[f"{H}ghc-prim@0.10.0"].properties == (("sbomkit:ghc-boot", "true"),)
    assert c[f"{H}rts"].properties == (("sbomkit:ghc-boot", "true"),)
    assert c[f"{H}rts"].version is None
    assert c[f"{H}zlib@0.6.3.0"].properties == (
        ("sbomkit:cabal-flags", "-bundled-c-zlib -non-blocking-ffi -pkg-config"),
    )
    assert c[f"{H}Cabal@3.10.1.0"].scope is Scope.REQUIRED
    assert [str(loc) for loc in c[f"{H}Cabal@3.10.1.0"].locations] == [f"{f}:2", f"{f}:61"]
    assert f"{H}text@2.0.2" in c
    assert f"{H}JuicyPixels@3.3.8" in c


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "cabal-freeze/bad-entries/cabal.project.freeze"
    assert diags(r) == [
        (Msg.DUPLICATE_ENTRY, f"{f}:2", "text 2.0.2, first at line 1"),
        (Msg.UNPINNED, f"{f}:3", "mtl >=2.3"),
        (Msg.MISSING_VERSION, f"{f}:4", "vector; skipped"),
        (Msg.UNPINNED, f"{f}:5", "mystery installed (GHC boot package); no version"),
        (Msg.INVALID_ENTRY, f"{f}:6", "==1.0"),
    ]
    got = {ref: c.scope for ref, c in comps(r).items()}
    assert got == {
        f"{H}containers@0.6.7": Scope.REQUIRED,
        f"{H}hsc2hs@0.68.9": Scope.DEV,
        f"{H}mystery": Scope.REQUIRED,
        f"{H}text@2.0.2": Scope.REQUIRED,
    }


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-cabal", 'line 1: not a cabal field: {"constraints": ["a"]}', id="json"),
        pytest.param("no-constraints", "no constraints field", id="no-constraints"),
    ],
)
def test_unusable(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"cabal-freeze/{case}/cabal.project.freeze",
        detail,
    )


_piece = st.sampled_from(
    ["constraints:", " any.", "base", " ==", "1.0", ",", "\n", "  ", "+f", "-g", "installed", ":"]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=st.binary(max_size=300) | st.lists(_piece, max_size=40).map(lambda x: "".join(x).encode())
)
def test_never_crashes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "cabal.project.freeze"
        path.write_bytes(raw)
        with contextlib.suppress(CatalogError):
            CabalFreezeCataloger().catalog(Source(path, "cabal.project.freeze"))

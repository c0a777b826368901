"""r-renv-lock: CRAN, RSPM, GitHub and Bioconductor records, requirements as edges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges
from testkit import json_values, survives

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.r.renv_lock import RenvLockCataloger
from sbomkit.i18n import Msg

DATA = Path(__file__).resolve().parents[2] / "testdata"
C = "pkg:cran/"
F = "renv-lock/realistic/renv.lock"


def scan(case: str) -> CatalogResult:
    rel = f"renv-lock/{case}/renv.lock"
    return RenvLockCataloger().catalog(Source(DATA / rel, rel))


def test_name() -> None:
    assert RenvLockCataloger.name == "r-renv-lock"


def test_realistic_counts() -> None:
    r = scan("realistic")
    assert len(r.components) == 32
    assert len(r.dependencies) == 55
    assert r.diagnostics == []  # base packages (methods, stats, grid, ...) are not warned
    assert r.project is None
    assert all(c.direct is None for c in r.components)


@pytest.mark.parametrize(
    ("ref", "line", "props", "url"),
    [
        pytest.param(
            f"{C}ggplot2@3.5.0",
            90,
            (("sbomkit:renv-hash", "a6de13df9699efa523a2abf1dd4dce98"),),
            None,
            id="cran",
        ),
        pytest.param(
            f"{C}MASS@7.3-60.0.1",
            201,
            (
                ("sbomkit:r-repository", "RSPM"),
                ("sbomkit:renv-hash", "92a98553833f228927123f712bb23332"),
            ),
            None,
            id="rspm",
        ),
        pytest.param(
            f"{C}Biobase@2.62.0",
            19,
            (
                ("sbomkit:r-repository", "Bioconductor 3.18"),
                ("sbomkit:r-source", "Bioconductor"),
                ("sbomkit:renv-hash", "867393a9ea6b7a3042e6484536dfaa81"),
            ),
            None,
            id="bioconductor",
        ),
        pytest.param(
            f"{C}mypkg@0.0.0.9000",
            261,
            (
                ("sbomkit:r-source", "GitHub"),
                ("sbomkit:renv-hash", "dadfed97f85b857f10aefd9419419b8f"),
            ),
            "git+https://github.com/example/mypkg@3f1c2e9a8b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e",
            id="github",
        ),
    ],
)
def test_realistic_components(
    ref: str, line: int, props: tuple[tuple[str, str], ...], url: str | None
) -> None:
    c = comps(scan("realistic"))[ref]
    assert (c.properties, c.source_url, c.hashes) == (props, url, ())
    assert [str(loc) for loc in c.locations] == [f"{F}:{line}"]


def test_realistic_edges() -> None:
    assert {
        (f"{C}ggplot2@3.5.0", f"{C}scales@1.3.0"),
        (f"{C}ggplot2@3.5.0", f"{C}MASS@7.3-60.0.1"),
        (f"{C}scales@1.3.0", f"{C}R6@2.5.1"),
        (f"{C}mypkg@0.0.0.9000", f"{C}ggplot2@3.5.0"),
        (f"{C}Biobase@2.62.0", f"{C}BiocGenerics@0.48.1"),
        (f"{C}Matrix@1.6-5", f"{C}lattice@0.22-5"),
    } <= edges(scan("realistic"))


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "renv-lock/bad-entries/renv.lock"
    assert diags(r) == [
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:4", "ghost"),
        (Msg.MISSING_VERSION, f"{f}:11", "nover; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:22", "rlang, first at line 4"),
        (Msg.INVALID_ENTRY, f"{f}:26", "weird: not an object"),
    ]
    got = {ref: (c.properties, c.source_url) for ref, c in comps(r).items()}
    assert got == {
        f"{C}rlang@1.1.4": ((), None),
        f"{C}glue@1.8.0": ((("sbomkit:r-source", "Local"),), "~/src/glue"),
    }
    assert edges(r) == {(f"{C}glue@1.8.0", f"{C}rlang@1.1.4")}


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param(
            "not-json",
            "Expecting property name enclosed in double quotes: line 2 column 1 (char 28)",
            id="not-json",
        ),
        pytest.param("no-packages", "no Packages object", id="no-packages"),
        pytest.param("array-top", "top level is not an object", id="array"),
    ],
)
def test_unusable(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"renv-lock/{case}/renv.lock",
        detail,
    )


_KEYS = ["R", "Packages", "Package", "Version", "Source", "Requirements", "RemoteUrl", "Hash"]
_keys = st.sampled_from(_KEYS) | st.text(max_size=6)
_values = json_values(_KEYS)


def _no_crash(raw: bytes) -> None:
    survives(RenvLockCataloger(), "renv.lock", raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=300))
def test_random_bytes_never_crash(raw: bytes) -> None:
    _no_crash(raw)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.dictionaries(_keys, _values, max_size=4), packages=st.dictionaries(_keys, _values))
def test_random_documents_never_crash(doc: dict[str, object], packages: dict[str, object]) -> None:
    _no_crash(json.dumps(doc).encode())
    _no_crash(json.dumps({**doc, "Packages": packages}).encode())

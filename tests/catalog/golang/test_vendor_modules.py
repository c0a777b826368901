"""go-vendor: vendor/modules.txt module lines, ## explicit, replacements."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags

from sbomkit.catalog.golang.vendor_modules import GoVendorCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg

DATA = Path(__file__).resolve().parents[2] / "testdata"
G = "pkg:golang/"


def scan(case: str) -> CatalogResult:
    rel = f"go-vendor/{case}/modules.txt"
    return GoVendorCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert GoVendorCataloger.name == "go-vendor"


def test_real_modules_txt_written_by_go_mod_vendor() -> None:
    r = scan("hello")
    got = {
        ref: (c.direct, str(c.locations[0]), c.source_url, c.properties)
        for ref, c in comps(r).items()
    }
    f = "go-vendor/hello/modules.txt"
    assert got == {
        # "# example.com/lib v1.2.3 => ../lib"; the last line "# example.com/lib => ../lib"
        # restates the replacement for all versions and is not a module.
        f"{G}example.com/lib@v1.2.3": (True, f"{f}:1", "../lib", (("sbomkit:source", "path"),)),
        f"{G}example.com/util@v0.4.1": (True, f"{f}:4", None, ()),
    }
    assert (r.project, r.dependencies, r.diagnostics) == (None, [], [])


def test_bad_lines() -> None:
    r = scan("bad-lines")
    f = "go-vendor/bad-lines/modules.txt"
    assert {ref: (c.direct, c.properties) for ref, c in comps(r).items()} == {
        f"{G}github.com/google/uuid@v1.6.0": (True, ()),
        f"{G}github.com/new/fork@v1.0.1": (
            False,
            (("sbomkit:go-replaces", "github.com/old/fork@v1.0.0"),),
        ),
        f"{G}golang.org/x/sync@v0.7.0": (False, ()),
    }
    assert diags(r) == [
        (Msg.MISSING_VERSION, f"{f}:4", "github.com/nover: no version"),
        (Msg.INVALID_ENTRY, f"{f}:6", "github.com/bad/version: 'latest' is not a module version"),
        (Msg.INVALID_ENTRY, f"{f}:7", "malformed module line: github.com/three words here"),
        (Msg.INVALID_ENTRY, f"{f}:8", "unexpected line: #nospace"),
        (Msg.MISSING_VERSION, f"{f}:11", "golang.org/x/text: replacement module without a version"),
    ]


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("no-modules", "no '# module version' lines", id="packages-only"),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"go-vendor/{case}/modules.txt",
        detail,
    )

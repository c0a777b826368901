"""go-sum: module lines as a fallback source, go.mod-only lines skipped, h1 as a property."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags

from sbomkit.catalog.golang._common import semver_key
from sbomkit.catalog.golang.go_sum import GoSumCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg

DATA = Path(__file__).resolve().parents[2] / "testdata"
G = "pkg:golang/"
H1 = "sbomkit:go-h1"


def scan(case: str) -> CatalogResult:
    rel = f"go-sum/{case}/go.sum"
    return GoSumCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert GoSumCataloger.name == "go-sum"


def test_real_go_sum_written_by_go() -> None:
    r = scan("hello")
    (c,) = r.components
    assert (c.ref, c.direct, c.hashes, c.properties) == (
        f"{G}example.com/util@v0.4.1",
        None,  # go.sum also lists modules the build does not use
        (),  # the h1 dirhash is not a digest of any file
        ((H1, "h1:KAfRfVbglbyds1FLhoyAZX+AU6kkVwtP4zUD9/pxNG8="),),
    )
    assert [str(loc) for loc in c.locations] == ["go-sum/hello/go.sum:1"]
    assert (r.project, r.dependencies, r.diagnostics) == (None, [], [])


def test_bad_lines() -> None:
    r = scan("bad-lines")
    f = "go-sum/bad-lines/go.sum"
    assert {ref: c.properties for ref, c in comps(r).items()} == {
        f"{G}github.com/google/uuid@v1.6.0": (
            (H1, "h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0="),
        ),
        f"{G}golang.org/x/sync@v0.7.0": (),  # "h2:" is no hash the go command writes
    }
    assert diags(r) == [
        (Msg.DUPLICATE_ENTRY, f"{f}:3", "github.com/google/uuid v1.6.0, first at line 1"),
        (Msg.INVALID_ENTRY, f"{f}:4", "expected 'module version hash', got 2 fields"),
        (Msg.INVALID_ENTRY, f"{f}:5", "github.com/bad/version: 'latest' is not a module version"),
    ]


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),  # blank lines only
        pytest.param("garbage", "no 'module version hash' lines", id="garbage"),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"go-sum/{case}/go.sum",
        detail,
    )


@pytest.mark.parametrize(
    ("go_directive", "expected"),
    [("1.21", []), ("1.16", ["pkg:golang/rsc.io/sampler@v1.3.0"])],
    ids=["go.mod-complete", "go.mod-before-1.17"],
)
def test_go_sum_is_read_only_when_go_mod_is_incomplete(
    tmp_path: Path, go_directive: str, expected: list[str]
) -> None:
    (tmp_path / "go.mod").write_text(f"module x\n\ngo {go_directive}\n")
    (tmp_path / "go.sum").write_text(
        "rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=\n"
    )
    result = GoSumCataloger().catalog(Source(tmp_path / "go.sum", "go.sum"))
    assert [c.ref for c in result.components] == expected


# go-git 5.4 (go 1.13) keeps hashes of go-billy v5.2.0 (go.mod only), v5.3.0 and v5.3.1;
# minimal version selection builds with one version per module path, the highest.
def test_one_version_per_module_the_highest(tmp_path: Path) -> None:
    lines = [
        "github.com/go-git/go-billy/v5 v5.2.0/go.mod h1:a=",
        "github.com/go-git/go-billy/v5 v5.3.0 h1:b=",
        "github.com/go-git/go-billy/v5 v5.3.1 h1:c=",
        "golang.org/x/sys v0.0.0-20210502180810-71e4cd670f79 h1:d=",
        "golang.org/x/sys v0.0.0-20200116001909-b77594299b42 h1:e=",
        "example.com/m v1.0.0-rc.2 h1:f=",
        "example.com/m v1.0.0-rc.10 h1:g=",
        "example.com/n v2.0.0+incompatible h1:h=",
        "example.com/n v1.9.9 h1:i=",
    ]
    (tmp_path / "go.sum").write_text("\n".join(lines) + "\n")
    r = GoSumCataloger().catalog(Source(tmp_path / "go.sum", "go.sum"))
    got = {ref: dict(c.properties)["sbomkit:go-h1"] for ref, c in comps(r).items()}
    assert got == {
        "pkg:golang/github.com/go-git/go-billy/v5@v5.3.1": "h1:c=",
        "pkg:golang/golang.org/x/sys@v0.0.0-20210502180810-71e4cd670f79": "h1:d=",
        "pkg:golang/example.com/m@v1.0.0-rc.10": "h1:g=",
        "pkg:golang/example.com/n@v2.0.0%2Bincompatible": "h1:h=",
    }
    assert r.diagnostics == []


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ("v1.2.3", "v1.10.0"),
        ("v1.0.0-rc.1", "v1.0.0"),
        ("v1.0.0-alpha", "v1.0.0-alpha.1"),
        ("v1.0.0-alpha.beta", "v1.0.0-beta"),
        ("v1.0.0-2", "v1.0.0-alpha"),
        ("v0.0.0-20200116001909-b77594299b42", "v0.0.0-20210502180810-71e4cd670f79"),
        ("v0.0.0-20210502180810-71e4cd670f79", "v0.1.0"),
    ],
)
def test_semver_order(low: str, high: str) -> None:
    assert semver_key(low) < semver_key(high)
    assert semver_key(f"{low}+build") == semver_key(low)

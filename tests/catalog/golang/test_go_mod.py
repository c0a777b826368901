"""go-mod: go.mod requires, indirect markers, replacements, exclusions, toolchain, bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges
from testkit import shared_data

from sbomkit.catalog.golang.go_mod import GoModCataloger
from sbomkit.catalog.golang.go_sum import GoSumCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import ComponentType

DATA = Path(__file__).resolve().parents[2] / "testdata"
G = "pkg:golang/"


def scan(case: str) -> CatalogResult:
    rel = f"go-mod/{case}/go.mod"
    return GoModCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert GoModCataloger.name == "go-mod"


def test_realistic_components() -> None:
    r = scan("realistic")
    got = {
        ref: (c.direct, c.locations[0].line, c.source_url, c.properties)
        for ref, c in comps(r).items()
    }
    replaces = "sbomkit:go-replaces"
    assert got == {
        f"{G}github.com/google/uuid@v1.6.0": (True, 8, None, ()),
        f"{G}github.com/spf13/cobra@v1.8.0": (True, 11, None, ()),  # a comment, not "indirect"
        f"{G}github.com/quoted/path@v0.3.0": (True, 12, None, ()),
        f"{G}golang.org/x/sync@v0.7.0": (True, 13, None, ()),
        f"{G}github.com/docker/docker@v24.0.7%2Bincompatible": (True, 14, None, ()),
        f"{G}github.com/inconshreveable/mousetrap@v1.1.0": (False, 15, None, ()),
        f"{G}github.com/spf13/pflag@v1.0.5": (False, 16, None, ()),  # "indirect; ..."
        # replace golang.org/x/text => golang.org/x/text v0.15.0 (all versions)
        f"{G}golang.org/x/text@v0.15.0": (
            False,
            17,
            None,
            ((replaces, "golang.org/x/text@v0.14.0"),),
        ),
        f"{G}github.com/new/fork@v1.0.1": (
            True,
            18,
            None,
            ((replaces, "github.com/old/fork@v1.0.0"),),
        ),
        # => ../lib: the module keeps its identity, the directory is where it comes from
        f"{G}example.com/internal/lib@v0.0.0-00010101000000-000000000000": (
            True,
            19,
            "../lib",
            (("sbomkit:source", "path"),),
        ),
        f"{G}stdlib@go1.22.1": (True, 6, None, ()),  # toolchain go1.22.1
    }
    # github.com/excluded/mod v0.9.0 is excluded; retract and godebug are ignored.
    assert diags(r) == []


def test_realistic_project_and_edges() -> None:
    r = scan("realistic")
    assert r.project is not None
    assert (r.project.ref, r.project.type, r.project.version, r.project.properties) == (
        f"{G}github.com/acme/widget/v2",
        ComponentType.APPLICATION,
        None,
        (("sbomkit:go-directive", "1.22"),),
    )
    assert str(r.project.locations[0]) == "go-mod/realistic/go.mod:2"
    assert edges(r) == {(f"{G}github.com/acme/widget/v2", c.ref) for c in r.components}
    assert len(r.dependencies) == 11


def test_real_go_mod_written_by_go() -> None:
    """Written by go 1.19.8 (``go get``, then ``go build -mod=mod`` dropped ``// indirect``)."""
    r = scan("hello")
    got = {ref: (c.direct, c.source_url, c.properties) for ref, c in comps(r).items()}
    assert got == {
        f"{G}example.com/lib@v1.2.3": (True, "../lib", (("sbomkit:source", "path"),)),
        f"{G}example.com/util@v0.4.1": (True, None, ()),
    }
    assert r.project is not None and r.project.ref == f"{G}example.com/hello"
    assert diags(r) == []


def test_bad_lines_are_warnings() -> None:
    r = scan("bad-lines")
    f = "go-mod/bad-lines/go.mod"
    assert diags(r) == [
        (Msg.MISSING_VERSION, f"{f}:5", "github.com/nover: require without a version"),
        (
            Msg.INVALID_ENTRY,
            f"{f}:6",
            "malformed require line: github.com/too/many v1.0.0 extra",
        ),
        (Msg.INVALID_ENTRY, f"{f}:7", "github.com/bad/version: 'latest' is not a module version"),
        (Msg.INVALID_ENTRY, f"{f}:8", 'unterminated string: "github.com/unterminated v1.0.0'),
        (Msg.INVALID_ENTRY, f"{f}:9", "unknown directive 'frobnicate'"),
        # The require block is never closed, so the replace lines are read inside it.
        (
            Msg.INVALID_ENTRY,
            f"{f}:14",
            "malformed require line: replace github.com/ok/two => github.com/fork/two",
        ),
        (
            Msg.INVALID_ENTRY,
            f"{f}:15",
            "malformed require line: replace github.com/ok/one v1.0.0 github.com/fork/one v1.0.0",
        ),
        (Msg.INVALID_ENTRY, f"{f}:10", "require block is not closed"),
        (Msg.DUPLICATE_ENTRY, f"{f}:12", "github.com/ok/one v1.1.0, first at line 11"),
    ]
    assert set(comps(r)) == {
        f"{G}github.com/ok/one@v1.0.0",
        f"{G}github.com/ok/two@v2.0.0%2Bincompatible",
    }


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("no-module", "no module directive", id="no-module"),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"go-mod/{case}/go.mod",
        detail,
    )


# --- SPDX example 7 (the Go tutorial's hello module) ------------------------------------


def _spdx_names(doc: Path) -> set[tuple[str, str | None]]:
    data = json.loads(doc.read_text(encoding="utf-8"))
    return {(p["name"], p.get("versionInfo")) for p in data["packages"]}


def test_spdx_example7_go_mod_and_go_sum() -> None:
    root = shared_data("spdx-examples", "software", "example7")
    src = root / "content" / "src" / "hello"
    mod = GoModCataloger().catalog(Source(src / "go.mod", "hello/go.mod"))
    gosum = GoSumCataloger().catalog(Source(src / "go.sum", "hello/go.sum"))
    spdx = root / "spdx2.2"
    modules = _spdx_names(spdx / "example7-third-party-modules.spdx.json")
    main = _spdx_names(spdx / "example7-go-module.spdx.json")
    assert mod.project is not None
    assert {(mod.project.name, mod.project.version)} == main == {("example.com/hello", None)}
    # The SPDX document gives the third-party modules without versions.
    assert modules == {
        ("golang.org/x/text", None),
        ("rsc.io/quote", None),
        ("rsc.io/sampler", None),
    }
    from_mod = {c.name for c in mod.components}
    from_sum = {c.name for c in gosum.components}
    spdx_names = {name for name, _ in modules}
    # go 1.16 go.mod files list direct requirements only: x/text and sampler are quote's
    # dependencies, present in the build (and in go.sum) but not in go.mod.
    assert spdx_names - from_mod == {"golang.org/x/text", "rsc.io/sampler"}
    assert from_mod - spdx_names == set()
    assert from_sum == spdx_names
    assert {c.ref for c in mod.components} == {f"{G}rsc.io/quote@v1.5.2"}
    assert {c.ref for c in gosum.components} == {
        f"{G}golang.org/x/text@v0.0.0-20170915032832-14c0d48ead0c",
        f"{G}rsc.io/quote@v1.5.2",
        f"{G}rsc.io/sampler@v1.3.0",
    }

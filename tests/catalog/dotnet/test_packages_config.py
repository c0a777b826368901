"""nuget-packages-config: legacy packages.config, dev dependencies, XML safety."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.dotnet.packages_config import NugetPackagesConfigCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
N = "pkg:nuget/"


def scan(case: str) -> CatalogResult:
    rel = f"packages-config/{case}/packages.config"
    return NugetPackagesConfigCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert NugetPackagesConfigCataloger.name == "nuget-packages-config"


def test_legacy_app() -> None:
    r = scan("legacy-app")
    assert len(r.components) == 17
    assert r.diagnostics == []
    assert {c.direct for c in r.components} == {None}  # the file lists transitive ones too
    assert r.project is not None and r.project.ref == f"{N}LegacyShop.Web"
    assert len(edges(r)) == 17


@pytest.mark.parametrize(
    ("ref", "scope", "line"),
    [
        pytest.param(f"{N}Newtonsoft.Json@13.0.3", Scope.REQUIRED, 17, id="required"),
        pytest.param(f"{N}StyleCop.Analyzers@1.1.118", Scope.DEV, 18, id="dev"),
        pytest.param(f"{N}Antlr@3.5.0.2", Scope.REQUIRED, 3, id="four-part"),
    ],
)
def test_legacy_app_components(ref: str, scope: Scope, line: int) -> None:
    c = comps(scan("legacy-app"))[ref]
    assert (c.scope, c.properties) == (scope, (("sbomkit:nuget-framework", "net472"),))
    assert [str(loc) for loc in c.locations] == [
        f"packages-config/legacy-app/packages.config:{line}"
    ]


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "packages-config/bad-entries/packages.config"
    assert diags(r) == [
        (Msg.MISSING_NAME, f"{f}:3", "<package> without an id"),
        (Msg.MISSING_VERSION, f"{f}:4", "NoVersion; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:6", "dapper, first at line 5"),
    ]
    assert list(comps(r)) == [f"{N}Dapper@2.1.35"]
    assert comps(r)[f"{N}Dapper@2.1.35"].properties == ()


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-xml", "not well-formed (invalid token) (at line 1)", id="json"),
        pytest.param("wrong-root", "root element is <configuration>, not <packages>", id="root"),
        pytest.param("dtd", "DTDs and entities are not allowed: DTDForbidden", id="dtd"),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"packages-config/{case}/packages.config",
        detail,
    )

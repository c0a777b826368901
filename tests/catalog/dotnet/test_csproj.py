"""msbuild-project: PackageReference, Central Package Management, properties, projects."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.dotnet.csproj import MsbuildProjectCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
N = "pkg:nuget/"
CPM = "msbuild-project/cpm"
API = f"{CPM}/src/Shop.Api/Shop.Api.csproj"


def scan(rel: str) -> CatalogResult:
    rel = f"msbuild-project/{rel}"
    return MsbuildProjectCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert MsbuildProjectCataloger.name == "msbuild-project"


def test_central_package_management() -> None:
    r = scan("cpm/src/Shop.Api/Shop.Api.csproj")
    # AssemblyName from the project, Version from ../../Directory.Build.props
    assert r.project is not None and r.project.ref == f"{N}Contoso.Shop.Api@2.3.0"
    got = {ref: (c.scope, [str(loc) for loc in c.locations]) for ref, c in comps(r).items()}
    assert got == {
        f"{N}Microsoft.AspNetCore.Authentication.JwtBearer@8.0.10": (Scope.REQUIRED, [f"{API}:10"]),
        f"{N}Npgsql.EntityFrameworkCore.PostgreSQL@8.0.10": (Scope.REQUIRED, [f"{API}:11"]),
        f"{N}Serilog.AspNetCore@8.0.3": (Scope.REQUIRED, [f"{API}:12"]),
        f"{N}Swashbuckle.AspNetCore@6.8.1": (Scope.REQUIRED, [f"{API}:13"]),
        f"{N}Newtonsoft.Json@13.0.3": (Scope.REQUIRED, [f"{API}:14"]),  # VersionOverride
        f"{N}Polly": (Scope.REQUIRED, [f"{API}:15"]),
        # $(EfCoreVersion) -> $(AspNetCoreVersion); PrivateAssets=all as a child element
        f"{N}Microsoft.EntityFrameworkCore.Design@8.0.10": (Scope.DEV, [f"{API}:16"]),
        f"{N}StyleCop.Analyzers@1.2.0-beta.556": (Scope.DEV, [f"{CPM}/Directory.Build.props:8"]),
        f"{N}Nerdbank.GitVersioning@3.6.143": (Scope.DEV, [f"{CPM}/Directory.Packages.props:18"]),
        f"{N}Shop.Domain": (Scope.REQUIRED, [f"{API}:23"]),  # ../Missing/Missing.csproj: none
    }
    assert comps(r)[f"{N}Shop.Domain"].properties == (("sbomkit:source", "project"),)
    assert {c.direct for c in r.components} == {True}
    assert edges(r) == {(r.project.ref, ref) for ref in got}
    assert diags(r) == [(Msg.MISSING_VERSION, f"{API}:15", "version of Polly is not resolved")]


def test_plain_project_properties_update_and_ranges() -> None:
    r = scan("plain/Worker.fsproj")
    f = "msbuild-project/plain/Worker.fsproj"
    assert r.project is not None and r.project.ref == f"{N}Worker@0.9.1"
    assert set(comps(r)) == {
        f"{N}FSharp.Core@8.0.403",  # Update changes the version
        f"{N}Serilog@4.0.2",  # $(SerilogVersion)
        f"{N}Dapper@2.1.35",  # <Version>[2.1.35]</Version>
        f"{N}Azure.Storage.Blobs",
    }
    assert diags(r) == [(Msg.UNPINNED, f"{f}:16", "Azure.Storage.Blobs 12.*")]


def test_bad_entries() -> None:
    r = scan("bad-entries/App.csproj")
    f = "msbuild-project/bad-entries/App.csproj"
    assert diags(r) == [
        (Msg.MISSING_NAME, f"{f}:3", "<PackageReference> without Include"),
        (Msg.MISSING_VERSION, f"{f}:4", "version of NoVersion is not resolved"),
        (Msg.DUPLICATE_ENTRY, f"{f}:6", f"dapper, first at {f}:5"),
        (Msg.MISSING_VERSION, f"{f}:7", "version of Polly is not resolved"),  # a function
    ]
    assert set(comps(r)) == {f"{N}Dapper@2.1.35", f"{N}NoVersion", f"{N}Polly"}


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-xml", "syntax error (at line 1)", id="text"),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(f"{case}/App.csproj")
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"msbuild-project/{case}/App.csproj",
        detail,
    )


def test_broken_props_file_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "Directory.Packages.props").write_text("<Project><oops></Project>")
    (tmp_path / "a").mkdir()
    proj = tmp_path / "a" / "A.csproj"
    proj.write_text('<Project><ItemGroup><PackageReference Include="X" /></ItemGroup></Project>')
    r = MsbuildProjectCataloger().catalog(Source(proj, "a/A.csproj"))
    assert diags(r)[0] == (
        Msg.UNRESOLVED_INCLUDE,
        "a/A.csproj",
        "Directory.Packages.props: mismatched tag (at line 1)",
    )

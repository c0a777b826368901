"""nuget-packages-lock: packages.lock.json v1/v2, frameworks, projects, bad entries."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.dotnet.packages_lock import NugetPackagesLockCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Hash

DATA = Path(__file__).resolve().parents[2] / "testdata"
N = "pkg:nuget/"
FW = "sbomkit:nuget-framework"
BOTH = ((FW, "net6.0"), (FW, "net8.0"))


def scan(case: str) -> CatalogResult:
    rel = f"packages-lock/{case}/packages.lock.json"
    return NugetPackagesLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert NugetPackagesLockCataloger.name == "nuget-packages-lock"


def test_aspnet_app_counts() -> None:
    r = scan("aspnet-app")
    # 45 packages per framework plus one project; caching resolves differently per framework
    assert len(r.components) == 48
    assert Counter(c.direct for c in r.components) == {True: 11, False: 36, None: 1}
    assert len(r.dependencies) == 79  # 68 between packages, 11 from the project
    assert r.diagnostics == []
    assert r.project is not None and r.project.ref == f"{N}Shop.Api"
    assert [str(loc) for loc in r.project.locations] == ["packages-lock/aspnet-app/Shop.Api.csproj"]


def test_aspnet_app_component() -> None:
    c = comps(scan("aspnet-app"))[f"{N}Newtonsoft.Json@13.0.3"]
    assert (c.name, c.version, c.direct, c.properties) == ("Newtonsoft.Json", "13.0.3", True, BOTH)
    assert c.hashes == (
        Hash(
            "SHA-512",
            "77d14304dc4b6fe6d69e37e100b0b7af932fd977078bfe05677c57701437dbe4"
            "d78bb2b1c3046861a1dfdcbc703fb5afe930c832d5c8361a8ecdba973bdabc4f",
        ),
    )
    assert [str(loc) for loc in c.locations] == ["packages-lock/aspnet-app/packages.lock.json:200"]


@pytest.mark.parametrize(
    ("ref", "props"),
    [
        pytest.param(f"{N}Microsoft.Extensions.Caching.Memory@8.0.0", ((FW, "net8.0"),), id="8"),
        pytest.param(f"{N}Microsoft.Extensions.Caching.Memory@6.0.1", ((FW, "net6.0"),), id="6"),
        pytest.param(f"{N}System.Text.Json@8.0.5", ((FW, "net6.0"),), id="net6-only"),
        pytest.param(f"{N}shop.domain", (*BOTH, ("sbomkit:source", "project")), id="project"),
    ],
)
def test_frameworks(ref: str, props: tuple[tuple[str, str], ...]) -> None:
    assert comps(scan("aspnet-app"))[ref].properties == props


def test_edges_stay_within_a_framework() -> None:
    e = edges(scan("aspnet-app"))
    assert {
        (
            f"{N}Microsoft.EntityFrameworkCore@8.0.10",
            f"{N}Microsoft.Extensions.Caching.Memory@8.0.0",
        ),
        (
            f"{N}Microsoft.EntityFrameworkCore@8.0.10",
            f"{N}Microsoft.Extensions.Caching.Memory@6.0.1",
        ),
        (
            f"{N}Microsoft.Extensions.Caching.Memory@6.0.1",
            f"{N}Microsoft.Extensions.Primitives@8.0.0",
        ),
        # the lock spells it "Dependencyinjection": ids match case-insensitively
        (
            f"{N}FluentValidation.DependencyInjectionExtensions@11.10.0",
            f"{N}Microsoft.Extensions.DependencyInjection.Abstractions@8.0.1",
        ),
        (f"{N}shop.domain", f"{N}MediatR.Contracts@2.0.1"),
        (f"{N}Shop.Api", f"{N}Newtonsoft.Json@13.0.3"),
    } <= e
    assert (
        f"{N}Microsoft.Extensions.Caching.Memory@8.0.0",
        f"{N}Microsoft.Extensions.Caching.Abstractions@6.0.0",
    ) not in e


def test_v2_central_transitive_and_project() -> None:
    r = scan("v2-central")
    got = {ref: (c.direct, c.properties) for ref, c in comps(r).items()}
    assert got == {
        f"{N}Polly@8.4.2": (True, ((FW, "net8.0"),)),
        f"{N}Polly.Core@8.4.2": (False, ((FW, "net8.0"),)),
        f"{N}contoso.shared": (None, ((FW, "net8.0"), ("sbomkit:source", "project"))),
    }
    assert edges(r) == {
        (f"{N}Polly@8.4.2", f"{N}Polly.Core@8.4.2"),
        (f"{N}contoso.shared", f"{N}Polly.Core@8.4.2"),
    }
    assert r.project is None  # no project file beside it


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "packages-lock/bad-entries/packages.lock.json"
    assert diags(r) == [
        (Msg.DUPLICATE_ENTRY, f"{f}:5", "Dapper in net8.0, key repeated"),
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:5", "Ghost"),
        (Msg.MISSING_VERSION, f"{f}:15", "NoVersion; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:18", "dapper in net8.0, first at line 5"),
        (Msg.MISSING_NAME, f"{f}:26", "package without a name"),
    ]
    c = comps(r)[f"{N}Dapper@2.1.35"]
    assert (c.direct, c.hashes) == (True, ())  # contentHash is not base64
    assert len(r.components) == 1


@pytest.mark.parametrize(
    ("case", "code", "detail"),
    [
        pytest.param("empty", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param(
            "not-json", Msg.WRONG_FORMAT, "Expecting value: line 1 column 1 (char 0)", id="yaml"
        ),
        pytest.param(
            "no-dependencies", Msg.WRONG_FORMAT, '"dependencies" is not an object', id="shape"
        ),
        pytest.param("unsupported-version", Msg.UNSUPPORTED_VERSION, "lock version 3", id="v3"),
    ],
)
def test_unusable_files(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        code,
        f"packages-lock/{case}/packages.lock.json",
        detail,
    )

"""dotnet-deps-json: <App>.deps.json libraries, runtime target edges, the app project."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.dotnet.deps_json import DotnetDepsCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import ComponentType

DATA = Path(__file__).resolve().parents[2] / "testdata"
N = "pkg:nuget/"
APP = "Contoso.Cli"


def scan(case: str, app: str = "App") -> CatalogResult:
    rel = f"deps-json/{case}/{app}.deps.json"
    return DotnetDepsCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert DotnetDepsCataloger.name == "dotnet-deps-json"


def test_console_app() -> None:
    r = scan("console-app", APP)
    assert r.project is not None
    assert (r.project.ref, r.project.type) == (f"{N}Contoso.Cli@1.4.0", ComponentType.APPLICATION)
    assert len(r.components) == 15
    assert len(r.dependencies) == 23
    assert r.diagnostics == []
    direct = sorted(c.ref for c in r.components if c.direct)
    assert direct == [
        f"{N}CommandLineParser@2.9.1",
        f"{N}Contoso.Core@1.4.0",
        f"{N}Microsoft.Extensions.Hosting@8.0.1",
        f"{N}Spectre.Console@0.49.1",
        f"{N}YamlDotNet@16.1.3",
    ]


@pytest.mark.parametrize(
    ("ref", "props", "hashed", "line"),
    [
        pytest.param(f"{N}YamlDotNet@16.1.3", (), True, 198, id="package"),
        pytest.param(
            f"{N}Contoso.Core@1.4.0", (("sbomkit:source", "project"),), False, 205, id="project"
        ),
        pytest.param(
            f"{N}Legacy.Interop@1.0.0.0", (("sbomkit:source", "reference"),), False, 210, id="ref"
        ),
    ],
)
def test_console_app_libraries(
    ref: str, props: tuple[tuple[str, str], ...], hashed: bool, line: int
) -> None:
    c = comps(scan("console-app", APP))[ref]
    assert (c.properties, bool(c.hashes)) == (props, hashed)
    assert [str(loc) for loc in c.locations] == [
        f"deps-json/console-app/Contoso.Cli.deps.json:{line}"
    ]


def test_console_app_hash_and_edges() -> None:
    r = scan("console-app", APP)
    (h,) = comps(r)[f"{N}CommandLineParser@2.9.1"].hashes
    assert (h.algorithm, h.value[:16], len(h.value)) == ("SHA-512", "dc45f83098a0bf1f", 128)
    assert {
        (f"{N}Contoso.Cli@1.4.0", f"{N}Contoso.Core@1.4.0"),
        (f"{N}Contoso.Core@1.4.0", f"{N}Microsoft.Extensions.Logging.Abstractions@8.0.2"),
        (f"{N}Microsoft.Extensions.Hosting@8.0.1", f"{N}Microsoft.Extensions.Logging@8.0.1"),
    } <= edges(r)


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "deps-json/bad-entries/App.deps.json"
    assert diags(r) == [
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:7", "Ghost"),
        (Msg.MISSING_VERSION, f"{f}:29", "noversion; skipped"),
        (Msg.MISSING_NAME, f"{f}:32", "library without a name"),
        (Msg.DUPLICATE_ENTRY, f"{f}:35", "dapper 2.1.35, first at line 25"),
    ]
    assert r.project is not None and r.project.ref == f"{N}App@1.0.0"
    assert {ref: (c.direct, c.hashes) for ref, c in comps(r).items()} == {
        f"{N}Dapper@2.1.35": (True, ())  # "sha512-notbase64!" is no hash
    }
    assert edges(r) == {(f"{N}App@1.0.0", f"{N}Dapper@2.1.35")}


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-json", "Expecting value: line 1 column 1 (char 0)", id="xml"),
        pytest.param("no-libraries", '"libraries" is missing', id="shape"),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"deps-json/{case}/App.deps.json",
        detail,
    )

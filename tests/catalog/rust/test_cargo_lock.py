"""cargo-lock: Cargo.lock v1 to v4, scope from the Cargo.toml beside it."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges
from testkit import shared_data

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.rust.cargo_lock import CargoLockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import ComponentType, Hash, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
C = "pkg:cargo/"
PATH = (("sbomkit:source", "path"),)
SERDE_SHA = "3fb1c873e1b9b056a4dc4c0c198b24c3ffa059243875552b2bd0933b1aee4ce2"
ITOA_SHA = "b1a46d1a171d865aa5f83f92695765caa047a9b4cbae2cbf37dbd613a793fd4c"


def scan(case: str) -> CatalogResult:
    rel = f"cargo-lock/{case}/Cargo.lock"
    return CargoLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert CargoLockCataloger.name == "cargo-lock"


# --- workspace-real: written by cargo 1.95 (`cargo generate-lockfile --offline`) ------
# app -> libone, libtwo; libtwo -> libone; buildhelper is a build-dependency and
# testhelper a dev-dependency of app; all are path crates of one workspace.


def test_real_v4_workspace() -> None:
    r = scan("workspace-real")
    got = {
        ref: (c.scope, c.direct, c.properties, [str(loc) for loc in c.locations])
        for ref, c in comps(r).items()
    }
    lock = "cargo-lock/workspace-real/Cargo.lock"
    assert got == {
        f"{C}buildhelper@0.1.0": (Scope.REQUIRED, True, PATH, [f"{lock}:16"]),
        f"{C}libone@1.0.0": (Scope.REQUIRED, True, PATH, [f"{lock}:20"]),
        f"{C}libtwo@2.1.0": (Scope.REQUIRED, True, PATH, [f"{lock}:24"]),
        f"{C}testhelper@0.2.0": (Scope.DEV, True, PATH, [f"{lock}:31"]),
    }
    assert r.project is not None
    assert (r.project.ref, r.project.type) == (f"{C}app@0.3.1", ComponentType.APPLICATION)
    assert [str(loc) for loc in r.project.locations] == [f"{lock}:6"]
    assert edges(r) == {
        (f"{C}app@0.3.1", f"{C}buildhelper@0.1.0"),
        (f"{C}app@0.3.1", f"{C}libone@1.0.0"),
        (f"{C}app@0.3.1", f"{C}libtwo@2.1.0"),
        (f"{C}app@0.3.1", f"{C}testhelper@0.2.0"),
        (f"{C}libtwo@2.1.0", f"{C}libone@1.0.0"),
    }
    assert r.diagnostics == []


# --- older formats -------------------------------------------------------------------


def test_v1_checksums_from_metadata() -> None:
    r = scan("v1")
    got = {ref: (c.direct, c.properties, c.hashes) for ref, c in comps(r).items()}
    assert got == {
        f"{C}demo@0.1.0": (None, PATH, ()),  # no Cargo.toml: not known to be the project
        f"{C}itoa@1.0.10": (None, (), (Hash("SHA-256", ITOA_SHA),)),
        f"{C}serde@1.0.197": (None, (), (Hash("SHA-256", SERDE_SHA),)),
    }
    assert edges(r) == {
        (f"{C}demo@0.1.0", f"{C}itoa@1.0.10"),
        (f"{C}demo@0.1.0", f"{C}serde@1.0.197"),
    }
    assert r.project is None
    assert r.diagnostics == []


def test_v2_git_source() -> None:
    r = scan("v2")
    got = {ref: (c.properties, c.source_url, c.hashes) for ref, c in comps(r).items()}
    assert got == {
        f"{C}demo@0.1.0": (PATH, None, ()),
        f"{C}regex@1.10.3": (
            (("sbomkit:source", "git"),),
            "git+https://github.com/rust-lang/regex@b2a3f9b1c3a4d5e6f708192a3b4c5d6e7f809123",
            (),
        ),
        f"{C}serde@1.0.197": ((), None, (Hash("SHA-256", SERDE_SHA),)),
    }
    assert [str(c.locations[0]) for c in r.components] == [
        "cargo-lock/v2/Cargo.lock:4",
        "cargo-lock/v2/Cargo.lock:12",
        "cargo-lock/v2/Cargo.lock:17",
    ]
    assert all(c.scope is Scope.REQUIRED for c in r.components)


def test_v3_scopes_from_manifest() -> None:
    r = scan("v3-scopes")
    got = {ref: (c.scope, c.direct) for ref, c in comps(r).items()}
    assert got == {
        f"{C}cc@1.0.90": (Scope.REQUIRED, True),  # build-dependency
        f"{C}itoa@1.0.10": (Scope.REQUIRED, False),
        f"{C}libc@0.2.153": (Scope.REQUIRED, True),  # [target.'cfg(unix)'.dependencies]
        f"{C}proptest@1.4.0": (Scope.DEV, True),
        f"{C}rand@0.7.3": (Scope.DEV, False),  # only proptest needs this one
        f"{C}rand@0.8.5": (Scope.REQUIRED, True),  # both a dependency and a dev-dependency
        f"{C}serde_json@1.0.114": (Scope.REQUIRED, True),  # renamed: json = { package = ...}
    }
    c = comps(r)
    assert c[f"{C}libc@0.2.153"].properties == (("sbomkit:source", "registry"),)
    assert c[f"{C}libc@0.2.153"].source_url == "https://my-registry.example/index/"
    assert c[f"{C}cc@1.0.90"].properties == ()  # sparse crates.io is crates.io
    assert c[f"{C}itoa@1.0.10"].hashes == (Hash("SHA-256", ITOA_SHA),)  # lower-cased
    assert r.project is not None and r.project.ref == f"{C}scoped@0.4.0"
    assert (f"{C}proptest@1.4.0", f"{C}rand@0.7.3") in edges(r)
    assert (f"{C}scoped@0.4.0", f"{C}rand@0.7.3") not in edges(r)
    assert r.diagnostics == []


# --- spdx-examples software/example11: a real cargo v3 lock with its SPDX 2.3 SBOM ------


def test_spdx_example11_against_its_sbom() -> None:
    base = shared_data("spdx-examples", "software", "example11")
    lock = base / "content" / "src" / "Cargo.lock"
    r = CargoLockCataloger().catalog(Source(lock, "src/Cargo.lock"))
    ours = {(c.name, c.version) for c in r.components}
    doc = json.loads((base / "spdx2.3" / "sbom.spdx.json").read_text(encoding="utf-8"))
    theirs = {
        (p["name"], p["versionInfo"])
        for p in doc["packages"]
        if any(ref["referenceLocator"].startswith(C) for ref in p["externalRefs"])
    }
    assert len(ours) == 69 and len(r.dependencies) == 120 and r.diagnostics == []
    assert r.project is not None and r.project.ref == f"{C}hello-server@0.1.0"
    # The SBOM lists only the three direct dependencies, and hyper with the version
    # requirement from Cargo.toml ("0.14"), not the locked 0.14.20.
    assert theirs - ours == {("hyper", "0.14")}
    assert ("hyper", "0.14.20") in ours
    assert ours & theirs == {("tokio", "1.19.2"), ("pretty_env_logger", "0.4.0")}
    # Its "hello-server-src" package is the project itself, described by its source dir.
    assert {p["name"] for p in doc["packages"]} - {n for n, _ in theirs} == {"hello-server-src"}
    assert {c.name for c in r.components if c.direct} == {"hyper", "tokio", "pretty_env_logger"}


# --- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "code", "detail"),
    [
        pytest.param("empty", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param(
            "not-toml",
            Msg.WRONG_FORMAT,
            "Expected ']]' at the end of an array declaration (at line 2, column 10)",
            id="not-toml",
        ),
        pytest.param(
            "bad-structure", Msg.WRONG_FORMAT, "'package' is not an array of tables", id="shape"
        ),
        pytest.param(
            "unsupported-version",
            Msg.UNSUPPORTED_VERSION,
            "Cargo.lock version 5",
            id="version-5",
        ),
        pytest.param(
            "bad-version-type", Msg.WRONG_FORMAT, "'version' is not an integer", id="version-str"
        ),
    ],
)
def test_unusable_files(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        code,
        f"cargo-lock/{case}/Cargo.lock",
        detail,
    )


def test_no_packages_is_wrong_format(tmp_path: Path) -> None:
    (tmp_path / "Cargo.lock").write_text("version = 4\n")
    with pytest.raises(CatalogError, match=r"no \[\[package\]\] tables"):
        CargoLockCataloger().catalog(Source(tmp_path / "Cargo.lock", "Cargo.lock"))


def test_entry_problems() -> None:
    r = scan("entry-problems")
    f = "cargo-lock/entry-problems/Cargo.lock"
    assert sorted(comps(r)) == [f"{C}serde@1.0.197", f"{C}tail@1.0.0"]
    assert diags(r) == [
        (Msg.MISSING_NAME, f"{f}:3", "[[package]] without a name"),
        (Msg.MISSING_VERSION, f"{f}:8", "noversion has no version"),
        (
            Msg.UNKNOWN_DEPENDENCY,
            f"{f}:12",
            "serde 1.0.197 depends on 'serde_derive', not in the lock",
        ),
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:12", "serde 1.0.197 depends on 'ghost', not in the lock"),
        (Msg.INVALID_ENTRY, f"{f}:12", "serde 1.0.197: checksum is not a SHA-256 hex digest"),
        (Msg.DUPLICATE_ENTRY, f"{f}:23", "serde 1.0.197, first at line 12"),
    ]
    assert r.dependencies == []


def test_broken_manifest_only_costs_scope(tmp_path: Path) -> None:
    lock = (DATA / "cargo-lock" / "workspace-real" / "Cargo.lock").read_text()
    (tmp_path / "Cargo.lock").write_text(lock)
    (tmp_path / "Cargo.toml").write_text("[package\n")
    r = CargoLockCataloger().catalog(Source(tmp_path / "Cargo.lock", "Cargo.lock"))
    assert r.project is None and len(r.components) == 5
    assert {(c.scope, c.direct) for c in r.components} == {(Scope.REQUIRED, None)}


def test_virtual_workspace_members_are_roots(tmp_path: Path) -> None:
    lock = (DATA / "cargo-lock" / "workspace-real" / "Cargo.lock").read_text()
    (tmp_path / "Cargo.lock").write_text(lock)
    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = ["*"]\n')
    r = CargoLockCataloger().catalog(Source(tmp_path / "Cargo.lock", "Cargo.lock"))
    assert r.project is None
    assert {c.name: c.direct for c in r.components} == {
        "app": False,
        "buildhelper": True,
        "libone": True,
        "libtwo": True,
        "testhelper": True,
    }


# --- nothing but CatalogError ever leaves catalog() -----------------------------------

_keys = st.sampled_from(
    ["name", "version", "source", "checksum", "dependencies", "package", "metadata"]
) | st.text(max_size=6)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-2, 6)
    | st.sampled_from(["a", "a 1.0", "a 1.0 (x)", "registry+x", "git+https://h/r#c", "1.0"])
    | st.text(max_size=10)
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=5),
    max_leaves=20,
)


def _toml(v: object) -> str:
    if v is None:
        return '""'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    assert isinstance(v, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(x)}" for k, x in v.items()) + "}"


def _catalog_quietly(text: bytes, manifest: bytes | None = None) -> None:
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "Cargo.lock").write_bytes(text)
        if manifest is not None:
            (Path(d) / "Cargo.toml").write_bytes(manifest)
        with contextlib.suppress(CatalogError):
            CargoLockCataloger().catalog(Source(Path(d) / "Cargo.lock", "Cargo.lock"))


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    _catalog_quietly(data, data)


@settings(max_examples=100, deadline=None)
@given(
    top=st.dictionaries(_keys, _values, max_size=4),
    packages=st.lists(st.dictionaries(_keys, _values, max_size=6), max_size=4),
    manifest=st.dictionaries(_keys, _values, max_size=4),
)
def test_random_toml_documents_never_crash(
    top: dict[str, object], packages: list[dict[str, object]], manifest: dict[str, object]
) -> None:
    lines = [f"{json.dumps(k)} = {_toml(v)}" for k, v in top.items() if k != "package"]
    for p in packages:
        lines.append("[[package]]")
        lines.extend(f"{json.dumps(k)} = {_toml(v)}" for k, v in p.items())
    man = "\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in manifest.items())
    _catalog_quietly("\n".join(lines).encode(), man.encode())

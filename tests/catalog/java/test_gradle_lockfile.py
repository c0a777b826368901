"""gradle-lockfile: gradle.lockfile and buildscript-gradle.lockfile (Gradle dependency locking)."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.java.gradle_lockfile import GradleLockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
M = "pkg:maven/"
CONF = "sbomkit:gradle-configurations"
ALL4 = "compileClasspath,runtimeClasspath,testCompileClasspath,testRuntimeClasspath"


def scan(case: str, name: str = "gradle.lockfile") -> CatalogResult:
    rel = f"gradle-lockfile/{case}/{name}"
    return GradleLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert GradleLockCataloger.name == "gradle-lockfile"


def test_realistic_counts() -> None:
    r = scan("realistic")
    assert len(r.components) == 62
    assert Counter(c.scope for c in r.components) == {Scope.REQUIRED: 35, Scope.DEV: 27}
    assert {c.direct for c in r.components} == {None}
    assert r.dependencies == []
    assert r.diagnostics == []
    assert r.project is None


@pytest.mark.parametrize(
    ("ref", "scope", "line", "confs"),
    [
        pytest.param(
            f"{M}org.springframework/spring-core@6.1.4", Scope.REQUIRED, 58, ALL4, id="all"
        ),
        pytest.param(
            f"{M}org.postgresql/postgresql@42.6.1",
            Scope.REQUIRED,
            41,
            "runtimeClasspath,testRuntimeClasspath",
            id="runtime-only",
        ),
        pytest.param(
            f"{M}org.junit.jupiter/junit-jupiter-engine@5.10.2",
            Scope.DEV,
            31,
            "testRuntimeClasspath",
            id="test-only",
        ),
        pytest.param(
            f"{M}com.vaadin.external.google/android-json@0.0.20131108.vaadin1",
            Scope.DEV,
            13,
            "testCompileClasspath,testRuntimeClasspath",
            id="odd-version",
        ),
    ],
)
def test_realistic_components(ref: str, scope: Scope, line: int, confs: str) -> None:
    c = comps(scan("realistic"))[ref]
    assert (c.scope, c.direct, c.properties, c.hashes) == (scope, None, ((CONF, confs),), ())
    assert c.ecosystem == "maven"
    assert c.name == ref.removeprefix(M).split("@")[0].replace("/", ":")
    assert [str(loc) for loc in c.locations] == [
        f"gradle-lockfile/realistic/gradle.lockfile:{line}"
    ]


def test_buildscript_lockfile_is_build_tooling() -> None:
    r = scan("buildscript", "buildscript-gradle.lockfile")
    assert {ref: (c.scope, c.properties) for ref, c in comps(r).items()} == {
        f"{M}{name}": (
            Scope.DEV,
            (("sbomkit:gradle-buildscript", "true"), (CONF, "classpath")),
        )
        for name in (
            "io.spring.dependency-management/io.spring.dependency-management.gradle.plugin@1.1.4",
            "io.spring.gradle/dependency-management-plugin@1.1.4",
            "org.springframework.boot/spring-boot-buildpack-platform@3.2.3",
            "org.springframework.boot/spring-boot-gradle-plugin@3.2.3",
            "org.springframework.boot/spring-boot-loader-tools@3.2.3",
        )
    }
    assert r.diagnostics == []


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "gradle-lockfile/bad-entries/gradle.lockfile"
    assert diags(r) == [
        (Msg.INVALID_ENTRY, f"{f}:3", "not group:artifact:version=...: not a lockfile line"),
        (Msg.MISSING_VERSION, f"{f}:4", "com.example:nover; skipped"),
        (Msg.MISSING_VERSION, f"{f}:5", "com.example:onlytwo; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:6", "com.google.guava:guava 33.0.0-jre, first at line 2"),
        (Msg.INVALID_ENTRY, f"{f}:7", "not group:artifact:version=...: a:b:c:d=compileClasspath"),
        (
            Msg.INVALID_ENTRY,
            f"{f}:8",
            "not group:artifact:version=...: :noartifact:1.0=compileClasspath",
        ),
        (Msg.INVALID_ENTRY, f"{f}:9", "not group:artifact:version=...: org.example:noconf:2.0"),
    ]
    assert {c.ref: c.scope for c in r.components} == {
        f"{M}com.google.guava/guava@33.0.0-jre": Scope.REQUIRED,
        f"{M}org.example/test-only@1.0": Scope.DEV,
    }


@pytest.mark.parametrize("content", [b"", b"  \n\n"], ids=["empty", "blank"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "gradle.lockfile"
    path.write_bytes(content)
    with pytest.raises(CatalogError) as info:
        GradleLockCataloger().catalog(Source(path, "gradle.lockfile"))
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        "gradle.lockfile",
        "empty file",
    )


def test_fixture_empty_file() -> None:
    with pytest.raises(CatalogError, match=r"gradle.lockfile: .*\(empty file\)"):
        scan("empty")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gradle.lockfile"
    path.write_bytes(b"a:b:\xff=x\n")
    with pytest.raises(CatalogError) as info:
        GradleLockCataloger().catalog(Source(path, "gradle.lockfile"))
    assert info.value.code == Msg.WRONG_FORMAT


_line = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda g, a, v, c: f"{g}:{a}:{v}={c}",
        st.text(max_size=8),
        st.text(max_size=8),
        st.text(max_size=8),
        st.text(max_size=20),
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.binary(max_size=300), st.lists(_line, max_size=12).map("\n".join).map(str.encode))
)
def test_random_input_never_crashes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gradle.lockfile"
        path.write_bytes(data)
        try:
            r = GradleLockCataloger().catalog(Source(path, "gradle.lockfile"))
        except CatalogError:
            return
        assert all(c.purl is not None for c in r.components)

"""gradle-verification-metadata: gradle/verification-metadata.xml digests of main jars."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.java.gradle_verification import GradleVerificationCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Hash, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
M = "pkg:maven/"
SRC = ("sbomkit:source", "gradle-verification")


def scan(case: str) -> CatalogResult:
    rel = f"gradle-verification/{case}/gradle/verification-metadata.xml"
    return GradleVerificationCataloger().catalog(Source(DATA / rel, rel))


def digest(alg: str, artifact: str) -> str:
    """The fixture's digests are of the artifact name (the jars themselves are not here)."""
    return hashlib.new(alg, artifact.encode()).hexdigest()


def test_name_matches_registry() -> None:
    assert GradleVerificationCataloger.name == "gradle-verification-metadata"


def test_realistic_components() -> None:
    r = scan("realistic")
    got = comps(r)
    # jackson-bom and spring-boot-dependencies have only a .pom: not components.
    assert sorted(got) == [
        f"{M}ch.qos.logback/logback-classic@1.4.14",
        f"{M}com.fasterxml.jackson.core/jackson-databind@2.15.4",
        f"{M}io.micrometer/micrometer-observation@1.12.3",
        f"{M}org.apache.tomcat.embed/tomcat-embed-core@10.1.19",
        f"{M}org.slf4j/slf4j-api@2.0.12",
        f"{M}org.springframework.boot/spring-boot-gradle-plugin@3.2.3",
        f"{M}org.springframework.boot/spring-boot@3.2.3",
        f"{M}org.springframework/spring-core@6.1.4",
        f"{M}org.springframework/spring-web@6.1.4",
        f"{M}org.yaml/snakeyaml@2.2",
    ]
    assert {(c.scope, c.direct, c.properties) for c in r.components} == {
        (Scope.REQUIRED, None, (SRC,))
    }
    assert r.dependencies == []
    assert r.diagnostics == []


def test_only_main_jar_hashes() -> None:
    got = comps(scan("realistic"))
    core = got[f"{M}org.springframework/spring-core@6.1.4"]
    assert core.hashes == (
        Hash("SHA-1", "7f5b1f1666bd6b096a3e47acb2783db7cb35528f"),
        Hash("SHA-256", "22e04ccc8f6de1c7d46a91dcd3bbaa6a2c489e3143bb06abb8cc0e39bfde60c1"),
    )
    assert [str(loc) for loc in core.locations] == [
        "gradle-verification/realistic/gradle/verification-metadata.xml:56"
    ]
    # -sources.jar, .pom and .module digests are not the component's.
    slf4j = got[f"{M}org.slf4j/slf4j-api@2.0.12"]
    assert slf4j.hashes == (Hash("SHA-256", digest("sha256", "slf4j-api-2.0.12.jar")),)
    yaml = got[f"{M}org.yaml/snakeyaml@2.2"]
    assert yaml.hashes == (
        Hash("SHA-1", digest("sha1", "snakeyaml-2.2.jar")),
        Hash("SHA-256", digest("sha256", "snakeyaml-2.2.jar")),
        Hash("SHA-512", digest("sha512", "snakeyaml-2.2.jar")),  # not the also-trust value
    )


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "gradle-verification/bad-entries/gradle/verification-metadata.xml"
    assert diags(r) == [
        (Msg.MISSING_NAME, f"{f}:4", "<component> group='' name='nogroup'"),
        (Msg.MISSING_VERSION, f"{f}:7", "com.example:nover; skipped"),
        (Msg.INVALID_ENTRY, f"{f}:12", "sha256 'not-a-digest' is not a digest"),
        (Msg.DUPLICATE_ENTRY, f"{f}:16", "com.example:badhash 2.0, first at line 10"),
    ]
    assert {c.ref: c.hashes for c in r.components} == {
        f"{M}com.example/badhash@2.0": (Hash("SHA-1", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"),),
        f"{M}com.example/aar@1.1": (),
    }


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-xml", "not XML: <unknown>:1:0: syntax error", id="not-xml"),
        pytest.param(
            "wrong-root", "root element is <project>, not <verification-metadata>", id="wrong-root"
        ),
        pytest.param(
            "entities",
            "not XML: EntitiesForbidden(name='lol', system_id=None, public_id=None)",
            id="entities",
        ),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"gradle-verification/{case}/gradle/verification-metadata.xml",
        detail,
    )


_attr = st.text(max_size=6).map(lambda s: s.replace('"', "").replace("<", "").replace("&", ""))
_artifact = st.builds(
    lambda n, alg, v: f'<artifact name="{n}"><{alg} value="{v}"/></artifact>',
    _attr | st.just("a-1.jar"),
    st.sampled_from(["sha1", "sha256", "md5", "sha512", "pgp"]),
    _attr | st.just("a" * 40),
)
_component = st.builds(
    lambda g, n, v, arts: (
        f'<component group="{g}" name="{n}" version="{v}">{"".join(arts)}</component>'
    ),
    _attr,
    _attr | st.just("a"),
    _attr | st.just("1"),
    st.lists(_artifact, max_size=3),
)
_doc = st.lists(_component, max_size=5).map(
    lambda cs: (
        f"<verification-metadata><components>{''.join(cs)}</components></verification-metadata>"
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.binary(max_size=300), _doc.map(str.encode), st.text(max_size=200).map(str.encode))
)
def test_random_input_never_crashes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "verification-metadata.xml"
        path.write_bytes(data)
        try:
            GradleVerificationCataloger().catalog(Source(path, "verification-metadata.xml"))
        except CatalogError:
            return

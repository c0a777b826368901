"""java-archive: JAR/WAR/EAR fixtures built with javac and jar (see testdata/build.sh)."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.java._archive import Limits, parse_manifest, parse_properties
from sbomkit.catalog.java.jar import JarCataloger
from sbomkit.i18n import Msg
from sbomkit.model import ComponentType, Hash, License, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata" / "java-archive"
GREETER = "pkg:maven/com.example/greeter@1.0.0"
STRUTIL = "pkg:maven/org.example/strutil@2.3"
TOOLKIT = "pkg:maven/com.example/toolkit@3.0"
GSON = "pkg:maven/com.google.code.gson/gson@2.10.1"
WEBAPP = "pkg:maven/com.example/webapp@1.2"
GSON_POM = "META-INF/maven/com.google.code.gson/gson/pom.properties"


def scan(rel: str, limits: Limits | None = None) -> CatalogResult:
    return JarCataloger(limits).catalog(Source(DATA / rel, rel))


def scan_bytes(tmp: Path, data: bytes, name: str = "x-1.0.jar", **limits: int) -> CatalogResult:
    path = tmp / name
    path.write_bytes(data)
    return JarCataloger(Limits(**limits)).catalog(Source(path, name))


def hashes_of(data: bytes) -> tuple[Hash, ...]:
    return (
        Hash("SHA-1", hashlib.sha1(data).hexdigest()),
        Hash("SHA-256", hashlib.sha256(data).hexdigest()),
    )


def zip_bytes(entries: dict[str, bytes], *, stored: bool = False) -> bytes:
    buf = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def pom(group: str, artifact: str, version: str) -> bytes:
    return f"groupId={group}\nartifactId={artifact}\nversion={version}\n".encode()


def test_name_matches_registry() -> None:
    assert JarCataloger.name == "java-archive"


# --- real archives -----------------------------------------------------------------------


def test_library_jar() -> None:
    r = scan("greeter/greeter-1.0.0.jar")
    assert list(comps(r)) == [GREETER]
    c = r.components[0]
    assert c.hashes == hashes_of((DATA / "greeter/greeter-1.0.0.jar").read_bytes())
    assert c.hashes[1] == Hash(
        "SHA-256", "1bba8ed449f1f9c8b7ba79f1436d87ae8ec741816d853337a71be0d183a0f389"
    )
    assert c.hashes[0] == Hash("SHA-1", "e6d71edd0144425474ee2e56163e0c092e9ecdd2")
    assert (c.name, c.version, c.type, c.scope, c.direct) == (
        "com.example:greeter",
        "1.0.0",
        ComponentType.LIBRARY,
        Scope.REQUIRED,
        None,
    )
    assert (c.licenses, c.supplier) == ((License("Apache-2.0", False),), "Example Corp")
    assert [str(loc) for loc in c.locations] == ["greeter/greeter-1.0.0.jar"]
    assert (r.dependencies, r.diagnostics) == ([], [])


def test_fat_jar() -> None:
    rel = "fat/demo-0.0.1-SNAPSHOT.jar"
    r = scan(rel)
    demo = "pkg:maven/com.example/demo@0.0.1-SNAPSHOT"
    got = comps(r)
    assert {ref: [str(loc) for loc in c.locations] for ref, c in got.items()} == {
        demo: [rel],
        GREETER: [f"{rel}!/BOOT-INF/lib/greeter-1.0.0.jar"],
        STRUTIL: [f"{rel}!/BOOT-INF/lib/strutil-2.3.jar"],
    }
    assert edges(r) == {(demo, GREETER), (demo, STRUTIL)}
    assert got[demo].hashes == hashes_of((DATA / rel).read_bytes())
    # nested jars are hashed from their own bytes: the same jar as the standalone fixture
    assert got[GREETER].hashes == hashes_of((DATA / "greeter/greeter-1.0.0.jar").read_bytes())
    with zipfile.ZipFile(DATA / rel) as zf:
        assert got[STRUTIL].hashes == hashes_of(zf.read("BOOT-INF/lib/strutil-2.3.jar"))
    # no pom.properties: the file name and Bundle-SymbolicName "org.example.strutil" name it
    assert got[STRUTIL].licenses == (License("https://opensource.org/license/mit", False),)
    assert r.diagnostics == []


def test_war_with_shaded_jar() -> None:
    rel = "war/webapp-1.2.war"
    r = scan(rel)
    lib = f"{rel}!/WEB-INF/lib"
    got = comps(r)
    assert {ref: [str(loc) for loc in c.locations] for ref, c in got.items()} == {
        WEBAPP: [rel],
        GREETER: [f"{lib}/greeter-1.0.0.jar"],
        TOOLKIT: [f"{lib}/toolkit-3.0.jar"],
        GSON: [f"{lib}/toolkit-3.0.jar!/{GSON_POM}"],
    }
    assert got[WEBAPP].type is ComponentType.APPLICATION
    assert got[GSON].hashes == ()  # shaded classes: no artifact of its own to hash
    assert edges(r) == {(WEBAPP, GREETER), (WEBAPP, TOOLKIT), (TOOLKIT, GSON)}
    assert r.diagnostics == []


def test_ear_three_levels() -> None:
    rel = "ear/shop-1.0.ear"
    r = scan(rel)
    shop = "pkg:maven/shop@1.0"  # no pom.properties, no group: the file name only
    war = f"{rel}!/webapp-1.2.war"
    assert {ref: [str(loc) for loc in c.locations] for ref, c in comps(r).items()} == {
        shop: [rel],
        STRUTIL: [f"{rel}!/lib/strutil-2.3.jar"],
        WEBAPP: [war],
        GREETER: [f"{war}!/WEB-INF/lib/greeter-1.0.0.jar"],
        TOOLKIT: [f"{war}!/WEB-INF/lib/toolkit-3.0.jar"],
        GSON: [f"{war}!/WEB-INF/lib/toolkit-3.0.jar!/{GSON_POM}"],
    }
    assert edges(r) == {
        (shop, WEBAPP),
        (shop, STRUTIL),
        (WEBAPP, GREETER),
        (WEBAPP, TOOLKIT),
        (TOOLKIT, GSON),
    }
    assert r.diagnostics == []


# --- identity rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "entries", "own", "others"),
    [
        pytest.param(
            "toolkit-3.0.jar",
            {"a": pom("com.google.code.gson", "gson", "2.10.1"), "b": pom("x.y", "toolkit", "3.0")},
            "pkg:maven/x.y/toolkit@3.0",
            [GSON],
            id="name-and-version",
        ),
        pytest.param(
            "toolkit.jar",
            {"a": pom("com.google.code.gson", "gson", "2.10.1"), "b": pom("x.y", "toolkit", "9")},
            "pkg:maven/x.y/toolkit@9",
            [GSON],
            id="name-only",
        ),
        pytest.param(
            "renamed.jar",
            {"a": pom("com.google.code.gson", "gson", "2.10.1")},
            GSON,
            [],
            id="only-one",
        ),
        pytest.param(
            "bundle-7.jar",
            {"a": pom("com.google.code.gson", "gson", "2.10.1"), "b": pom("x.y", "z", "1")},
            "pkg:maven/bundle@7",
            [GSON, "pkg:maven/x.y/z@1"],
            id="none-matches",
        ),
    ],
)
def test_own_pom_properties(
    tmp_path: Path, file_name: str, entries: dict[str, bytes], own: str, others: list[str]
) -> None:
    poms = {f"META-INF/maven/g{k}/a{k}/pom.properties": v for k, v in entries.items()}
    r = scan_bytes(tmp_path, zip_bytes(poms), file_name)
    assert sorted(comps(r)) == sorted([own, *others])
    assert edges(r) == {(own, o) for o in others}
    assert comps(r)[own].hashes != ()


def test_manifest_vendor_id_and_unnamed(tmp_path: Path) -> None:
    mf = (
        b"Manifest-Version: 1.0\r\nImplementation-Vendor-Id: org.acme\r\n"
        b"Implementation-Vend\r\n or: Acme\r\n\r\nName: x\r\nBundle-License: no\r\n"
    )
    r = scan_bytes(tmp_path, zip_bytes({"META-INF/MANIFEST.MF": mf}), "lib-core-2.0-rc1.jar")
    c = comps(r)["pkg:maven/org.acme/lib-core@2.0-rc1"]
    assert (c.supplier, c.licenses) == ("Acme", ())
    r = scan_bytes(tmp_path, zip_bytes({"a.txt": b"x"}), "app.jar")
    assert (r.components, diags(r)) == (
        [],
        [
            (
                Msg.MISSING_VERSION,
                "app.jar",
                "app.jar: no pom.properties and no version in the file name; not a component",
            )
        ],
    )


# Debian's /usr/share/java/guice-servlet.jar (guice-servlet-4.2.3.jar links to it): no
# pom.properties, no version in the file name, Bundle-Version in the manifest.
@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        pytest.param(
            b"Bundle-SymbolicName: com.google.inject.servlet\r\nBundle-Version: 4.2.3\r\n",
            "pkg:maven/guice-servlet@4.2.3",
            id="bundle-version",
        ),
        pytest.param(
            b"Implementation-Version: 1.5\r\nBundle-Version: 9\r\n"
            b"Bundle-SymbolicName: org.acme.guice-servlet;singleton:=true\r\n",
            "pkg:maven/org.acme/guice-servlet@1.5",
            id="implementation-version-first",
        ),
        pytest.param(b"Specification-Version: 2.0\r\n", "pkg:maven/guice-servlet@2.0", id="spec"),
        pytest.param(b"Implementation-Version: ${project.version}\r\n", None, id="unset"),
        pytest.param(b"Created-By: Maven\r\n", None, id="no-version"),
    ],
)
def test_versionless_file_name_takes_manifest_version(
    tmp_path: Path, manifest: bytes, expected: str | None
) -> None:
    mf = b"Manifest-Version: 1.0\r\n" + manifest
    r = scan_bytes(tmp_path, zip_bytes({"META-INF/MANIFEST.MF": mf}), "guice-servlet.jar")
    assert list(comps(r)) == ([expected] if expected else [])
    assert [d[0] for d in diags(r)] == ([] if expected else [Msg.MISSING_VERSION])


# --- sad paths ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "detail"),
    [
        pytest.param(b"", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param(
            b"plugins { id 'java' }\n",
            Msg.WRONG_FORMAT,
            "not a zip archive: File is not a zip file",
            id="not-zip",
        ),
        pytest.param(
            zip_bytes({f"f{i}": b"" for i in range(6)}),
            Msg.FILE_TOO_LARGE,
            "more than 5 entries",
            id="too-many-entries",
        ),
    ],
)
def test_unusable_files(tmp_path: Path, data: bytes, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan_bytes(tmp_path, data, max_entries=5)
    assert (info.value.code, info.value.path, info.value.detail) == (code, "x-1.0.jar", detail)


def test_path_traversal_entries_are_skipped(tmp_path: Path) -> None:
    data = zip_bytes(
        {
            "../../evil/META-INF/maven/e/evil/pom.properties": pom("e", "evil", "1"),
            "/abs.jar": b"",
            "C:/win.jar": b"",
            "..\\back.jar": b"",
            "META-INF/maven/com.example/x/pom.properties": pom("com.example", "x", "1.0"),
        }
    )
    r = scan_bytes(tmp_path, data)
    assert list(comps(r)) == ["pkg:maven/com.example/x@1.0"]
    assert diags(r) == [
        (
            Msg.INVALID_ENTRY,
            "x-1.0.jar",
            "4 entries with unsafe names skipped,"
            " e.g. '../../evil/META-INF/maven/e/evil/pom.properties'",
        )
    ]


def test_nesting_deeper_than_three_is_not_read(tmp_path: Path) -> None:
    data = zip_bytes({"META-INF/maven/g/l5/pom.properties": pom("g", "l5", "5")})
    for level in (4, 3, 2, 1):
        data = zip_bytes({f"lib/l{level + 1}-{level + 1}.jar": data}, stored=level % 2 == 0)
    r = scan_bytes(tmp_path, data, "l1-1.jar")
    deep = "l1-1.jar!/lib/l2-2.jar!/lib/l3-3.jar!/lib/l4-4.jar"
    assert sorted(comps(r)) == [f"pkg:maven/l{i}@{i}" for i in range(1, 5)]
    assert diags(r) == [
        (Msg.INVALID_ENTRY, f"{deep}!/lib/l5-5.jar", "nested deeper than 3 archives; not read")
    ]
    assert [str(loc) for loc in comps(r)["pkg:maven/l4@4"].locations] == [deep]


def test_bad_pom_properties(tmp_path: Path) -> None:
    data = zip_bytes(
        {
            "META-INF/maven/a/a/pom.properties": b"\x00\xff\xfe garbage \x89PNG",
            "META-INF/maven/b/b/pom.properties": b"groupId=b\nartifactId=b\n",
            "META-INF/maven/c/c/pom.properties": pom("c", "c", "1"),
            "WEB-INF/lib/broken-1.jar": b"PK\x03\x04 not really",
        }
    )
    r = scan_bytes(tmp_path, data, "c-1.jar")
    assert list(comps(r)) == ["pkg:maven/c/c@1"]
    inner = "c-1.jar!/META-INF/maven"
    assert diags(r) == [
        (
            Msg.INVALID_ENTRY,
            f"{inner}/a/a/pom.properties",
            "pom.properties without groupId and artifactId",
        ),
        (Msg.MISSING_VERSION, f"{inner}/b/b/pom.properties", "b:b; skipped"),
        (
            Msg.INVALID_ENTRY,
            "c-1.jar!/WEB-INF/lib/broken-1.jar",
            "not a zip archive: File is not a zip file",
        ),
    ]


def test_read_limits(tmp_path: Path) -> None:
    noise = b"".join(hashlib.sha256(bytes([i])).digest() for i in range(100))  # incompressible
    big = zip_bytes({"META-INF/maven/g/big/pom.properties": pom("g", "big", "1"), "pad": noise})
    data = zip_bytes(
        {"lib/big-1.jar": big, "META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n" + b"X: y\n" * 100}
    )
    r = scan_bytes(tmp_path, data, max_member_bytes=1000, max_metadata_bytes=100)
    assert r.components[0].ref == "pkg:maven/x@1.0"
    assert diags(r) == [
        (Msg.INVALID_ENTRY, "x-1.0.jar!/META-INF/MANIFEST.MF", "larger than 100 bytes"),
        (Msg.INVALID_ENTRY, "x-1.0.jar!/lib/big-1.jar", "larger than 1000 bytes"),
    ]
    r = scan_bytes(tmp_path, data, max_total_bytes=1000)
    assert diags(r) == [
        (
            Msg.INVALID_ENTRY,
            "x-1.0.jar!/lib/big-1.jar",
            "read limit of 478 bytes left for this file reached",
        ),
    ]


def test_parsers() -> None:
    assert parse_properties("# c\n! c\n a = 1\nb:2\nc 3\nlong=x\\\n  y\nd\n") == {
        "a": "1",
        "b": "2",
        "c": "3",
        "long": "xy",
        "d": "",
    }
    assert parse_manifest("A: 1\nB: lo\n ng\n\nC: 3\n") == {"a": "1", "b": "long"}


# --- random input ------------------------------------------------------------------------

_names = st.sampled_from(
    [
        "META-INF/MANIFEST.MF",
        "META-INF/maven/g/a/pom.properties",
        "META-INF/maven/h/b/pom.properties",
        "WEB-INF/lib/a-1.jar",
        "BOOT-INF/lib/b.jar",
        "../x.jar",
        "a/",
    ]
) | st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=12,
)
_content = st.binary(max_size=80) | st.sampled_from(
    [
        b"groupId=g\nartifactId=a\nversion=1\n",
        b"groupId=\x00\nartifactId=:\nversion=\xff\n",
        b"Bundle-SymbolicName: g.a\nImplementation-Vendor-Id: \x01\n",
    ]
)
_zip = st.recursive(
    st.dictionaries(_names, _content, max_size=5).map(zip_bytes),
    lambda inner: st.dictionaries(_names, inner | _content, max_size=4).map(zip_bytes),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=200), _zip), st.sampled_from(["a-1.jar", "x.war", "1.ear"]))
def test_random_input_never_crashes(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            r = scan_bytes(Path(tmp), data, name)
        except CatalogError:
            return
        assert all(c.purl is not None for c in r.components)

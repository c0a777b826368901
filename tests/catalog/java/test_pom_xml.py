"""maven-pom: pom.xml projects, local parents, properties, management, profiles, bad input."""

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
from sbomkit.catalog.java.pom_xml import PomCataloger
from sbomkit.i18n import Msg
from sbomkit.model import ComponentType, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
M = "pkg:maven/"
NET = "is not resolved without network"
UNRESOLVED = "sbomkit:unresolved-version"
PROVIDED = (("sbomkit:maven-scope", "provided"),)


def scan(case: str) -> CatalogResult:
    rel = f"maven-pom/{case}/pom.xml"
    return PomCataloger().catalog(Source(DATA / rel, rel))


def rows(r: CatalogResult) -> dict[str, tuple[Scope, int | None, tuple[tuple[str, str], ...]]]:
    return {ref: (c.scope, c.locations[0].line, c.properties) for ref, c in comps(r).items()}


def test_name_matches_registry() -> None:
    assert PomCataloger.name == "maven-pom"


# --- realistic multi-module project: parent with management + BOM import, two modules ---


def test_realistic_parent() -> None:
    r = scan("realistic")
    p = r.project
    assert p is not None
    assert (p.ref, p.type, p.properties) == (
        f"{M}com.example.shop/shop-parent@1.4.0-SNAPSHOT",
        ComponentType.APPLICATION,
        (("sbomkit:maven-packaging", "pom"),),
    )
    # junit-jupiter takes version and test scope from the parent's own dependencyManagement.
    assert rows(r) == {f"{M}org.junit.jupiter/junit-jupiter@5.10.5": (Scope.DEV, 67, ())}
    assert edges(r) == {(p.ref, f"{M}org.junit.jupiter/junit-jupiter@5.10.5")}
    assert r.diagnostics == []


def test_realistic_api_module_inherits_from_parent() -> None:
    r = scan("realistic/shop-api")
    assert r.project is not None
    assert r.project.ref == f"{M}com.example.shop/shop-api@1.4.0-SNAPSHOT"  # groupId, version
    parent = (("sbomkit:maven-inherited-from", "com.example.shop:shop-parent:1.4.0-SNAPSHOT"),)
    assert rows(r) == {
        f"{M}com.fasterxml.jackson.core/jackson-databind@2.17.2": (Scope.REQUIRED, 17, ()),
        f"{M}jakarta.validation/jakarta.validation-api@3.0.2": (Scope.REQUIRED, 21, PROVIDED),
        # declared in the parent's <dependencies>: located at this POM's <parent>
        f"{M}org.junit.jupiter/junit-jupiter@5.10.5": (Scope.DEV, 7, parent),
    }
    assert all(c.direct for c in r.components)
    assert len(r.dependencies) == 3
    assert r.diagnostics == []


def test_realistic_service_module() -> None:
    r = scan("realistic/shop-service")
    assert r.project is not None
    assert r.project.ref == f"{M}com.example.shop/shop-service@1.4.0-SNAPSHOT"
    web = f"{M}org.springframework.boot/spring-boot-starter-web"
    assert rows(r) == {
        f"{M}com.example.shop/shop-api@1.4.0-SNAPSHOT": (Scope.REQUIRED, 23, ()),
        web: (Scope.REQUIRED, 27, ((UNRESOLVED, ""),)),
        f"{M}org.springframework.boot/spring-boot-starter-log4j2@3.3.5": (Scope.REQUIRED, 37, ()),
        f"{M}org.apache.logging.log4j/log4j-core@2.17.1": (Scope.REQUIRED, 42, ()),
        f"{M}com.github.ben-manes.caffeine/caffeine@3.1.8": (Scope.OPTIONAL, 46, ()),
        f"{M}org.postgresql/postgresql@42.7.4": (Scope.REQUIRED, 52, ()),
        # redeclared here, so not inherited from the parent
        f"{M}org.junit.jupiter/junit-jupiter@5.10.5": (Scope.DEV, 58, ()),
        f"{M}org.mockito/mockito-core@5.11.0": (Scope.DEV, 62, ()),
        f"{M}org.graalvm.sdk/graal-sdk@23.1.2": (
            Scope.OPTIONAL,
            74,
            (("sbomkit:maven-profile", "native"), ("sbomkit:maven-scope", "provided")),
        ),
        f"{M}com.h2database/h2@2.3.232": (Scope.OPTIONAL, 85, (("sbomkit:maven-profile", "h2"),)),
    }
    assert comps(r)[web].version is None
    assert edges(r) == {(r.project.ref, ref) for ref in comps(r)}
    assert diags(r) == [
        (
            Msg.MISSING_VERSION,
            "maven-pom/realistic/shop-service/pom.xml:27",
            "version of org.springframework.boot:spring-boot-starter-web " + NET + " (no "
            "<version>; it may come from imported BOM "
            "org.springframework.boot:spring-boot-dependencies:3.3.5)",
        )
    ]


# --- parents ----------------------------------------------------------------------------


def test_parent_outside_the_tree() -> None:
    r = scan("external-parent")
    parent = "parent org.springframework.boot:spring-boot-starter-parent:3.3.5"
    assert rows(r) == {
        f"{M}org.springframework.boot/spring-boot-starter-web": (
            Scope.REQUIRED,
            14,
            ((UNRESOLVED, ""),),
        ),
        f"{M}org.apache.logging.log4j/log4j-core": (
            Scope.REQUIRED,
            18,
            ((UNRESOLVED, "${log4j2.version}"),),
        ),
        # project.parent.version is known from the <parent> element itself
        f"{M}org.springframework.boot/spring-boot-starter-test@3.3.5": (Scope.DEV, 23, ()),
    }
    f = "maven-pom/external-parent/pom.xml"
    assert diags(r) == [
        (Msg.UNRESOLVED_INCLUDE, f"{f}:4", f"{parent} not in the tree"),
        (
            Msg.MISSING_VERSION,
            f"{f}:14",
            f"version of org.springframework.boot:spring-boot-starter-web {NET} "
            f"(no <version>; it may be managed in {parent})",
        ),
        (
            Msg.MISSING_VERSION,
            f"{f}:18",
            f"version of org.apache.logging.log4j:log4j-core {NET} "
            f"(${{log4j2.version}} may be defined in {parent})",
        ),
    ]


def test_relative_path_to_a_directory() -> None:
    r = scan("relative-path/app")
    assert r.project is not None and r.project.ref == f"{M}org.example.rp/rp-app@7"
    assert list(comps(r)) == [f"{M}com.google.guava/guava@33.3.1-jre"]
    assert r.diagnostics == []


def test_missing_grandparent_is_reported_at_the_parent_element() -> None:
    r = scan("grandparent-missing/child")
    f = "maven-pom/grandparent-missing/child/pom.xml"
    assert diags(r) == [
        (Msg.UNRESOLVED_INCLUDE, f"{f}:2", "parent org.apache:apache:33 not in the tree"),
        (
            Msg.MISSING_VERSION,
            f"{f}:9",
            f"version of commons-io:commons-io {NET} "
            "(${commons-io.version} may be defined in parent org.apache:apache:33)",
        ),
    ]


def test_parent_cycle_is_cut() -> None:
    r = scan("cycle/a")
    assert r.project is not None and r.project.ref == f"{M}org.example.cycle/a@1"
    assert diags(r) == [
        (
            Msg.UNRESOLVED_INCLUDE,
            "maven-pom/cycle/a/pom.xml:2",
            "parent org.example.cycle:a:1 not in the tree; the parents form a cycle",
        )
    ]


def _project(group: str, artifact: str, parent: str = "") -> str:
    return (
        f"<project>{parent}<groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
        "<version>1</version><properties><v>9</v></properties></project>"
    )


_PARENT = "<parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version>{}</parent>"


def test_parent_with_other_coordinates_is_not_used(tmp_path: Path) -> None:
    (tmp_path / "pom.xml").write_text(_project("g", "aggregator"))
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "pom.xml").write_text(_project("g", "m", _PARENT.format("")))
    r = PomCataloger().catalog(Source(tmp_path / "m" / "pom.xml", "m/pom.xml"))
    assert diags(r) == [
        (
            Msg.UNRESOLVED_INCLUDE,
            "m/pom.xml:1",
            "parent g:p:1 not in the tree; the POM at ../pom.xml is g:aggregator",
        )
    ]


@pytest.mark.parametrize(("depth", "found"), [(10, True), (11, False)])
def test_parent_at_most_ten_levels_up(tmp_path: Path, depth: int, found: bool) -> None:
    rel = "../" * depth + "pom.xml"
    (tmp_path / "pom.xml").write_text(_project("g", "p"))
    deep = tmp_path.joinpath(*"abcdefghijk"[:depth])
    deep.mkdir(parents=True)
    (deep / "pom.xml").write_text(
        _project("g", "m", _PARENT.format(f"<relativePath>{rel}</relativePath>"))
    )
    r = PomCataloger().catalog(Source(deep / "pom.xml", "pom.xml"))
    assert [d.detail for d in r.diagnostics] == ([] if found else ["parent g:p:1 not in the tree"])


# --- properties, qualifiers, scopes -----------------------------------------------------


def test_interpolation_and_qualifiers() -> None:
    r = scan("interpolation")  # no namespace at all
    assert r.project is not None
    assert r.project.ref == f"{M}org.example.props/props-demo@2.1.0-SNAPSHOT"  # CI-friendly
    system = ("sbomkit:maven-scope", "system")
    assert rows(r) == {
        f"{M}io.netty/netty-handler@4.1.114.Final": (Scope.REQUIRED, 16, ()),
        f"{M}org.example.props/props-core@2.1.0-SNAPSHOT": (Scope.REQUIRED, 21, ()),
        f"{M}io.netty/netty-tcnative-boringssl-static@2.0.69.Final?classifier=linux-x86_64": (
            Scope.REQUIRED,
            26,
            (),
        ),
        f"{M}org.example.props/props-bom@2.1.0-SNAPSHOT?type=pom": (Scope.REQUIRED, 32, ()),
        f"{M}com.example/looping": (Scope.REQUIRED, 38, ((UNRESOLVED, "${loop.a}"),)),
        f"{M}com.example/undefined": (Scope.REQUIRED, 43, ((UNRESOLVED, "${missing}"),)),
        f"{M}com.sun/tools": (Scope.REQUIRED, 48, (system, (UNRESOLVED, "${env.JDK_VERSION}"))),
        f"{M}javax.servlet/javax.servlet-api@4.0.1": (Scope.OPTIONAL, 55, PROVIDED),
    }
    f = "maven-pom/interpolation/pom.xml"
    assert diags(r) == [
        (
            Msg.MISSING_VERSION,
            f"{f}:38",
            f"version of com.example:looping {NET} (${{loop.a}} is circular or nested too deeply)",
        ),
        (
            Msg.MISSING_VERSION,
            f"{f}:43",
            f"version of com.example:undefined {NET} (${{missing}} is not defined)",
        ),
        (
            Msg.MISSING_VERSION,
            f"{f}:48",
            f"version of com.sun:tools {NET} "
            "(${env.JDK_VERSION} comes from the build environment)",
        ),
    ]


def test_property_fan_out_is_bounded(tmp_path: Path) -> None:
    props = "".join(f"<p{i}>{f'${{p{i + 1}}}' * 10}</p{i}>" for i in range(30))
    pom = (
        f"<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version>"
        f"<properties>{props}<p30>x</p30></properties><dependencies><dependency>"
        f"<groupId>g</groupId><artifactId>b</artifactId><version>${{p0}}</version>"
        f"</dependency></dependencies></project>"
    )
    (tmp_path / "pom.xml").write_text(pom)
    r = PomCataloger().catalog(Source(tmp_path / "pom.xml", "pom.xml"))
    assert [(c.ref, c.properties) for c in r.components] == [(f"{M}g/b", ((UNRESOLVED, "${p0}"),))]


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "maven-pom/bad-entries/pom.xml"
    assert diags(r) == [
        (Msg.MISSING_NAME, f"{f}:6", "<dependency> org.example without artifactId"),
        (Msg.INVALID_ENTRY, f"{f}:9", "?:no-group: groupId missing or not resolved"),
        (Msg.DUPLICATE_ENTRY, f"{f}:18", "org.slf4j:slf4j-api:jar, first at line 13"),
        (
            Msg.MISSING_VERSION,
            f"{f}:29",
            f"version of org.example:no-version {NET} "
            "(no <version> and no dependencyManagement entry)",
        ),
    ]
    assert list(comps(r)) == [
        f"{M}org.slf4j/slf4j-api@2.0.16",
        f"{M}org.slf4j/slf4j-api@2.0.16?classifier=sources",  # another classifier: no duplicate
        f"{M}org.example/no-version",
    ]


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-xml", "not XML: syntax error at line 1, column 0", id="not-xml"),
        pytest.param("dtd", "a DTD is not allowed", id="billion-laughs"),
        pytest.param("entity", "not XML: undefined entity at line 1, column 21", id="entity"),
        pytest.param("not-project", "root element is <settings>, not <project>", id="settings"),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"maven-pom/{case}/pom.xml",
        detail,
    )


# --- spdx-examples software/example8: the same project, SBOM made with Maven's resolver --


def test_spdx_example8_differs_only_by_what_needs_a_repository() -> None:
    base = shared_data("spdx-examples", "software", "example8")
    r = PomCataloger().catalog(Source(base / "content/examplemaven/pom.xml", "pom.xml"))
    assert r.project is not None and r.project.ref == f"{M}org.spdx/examplemaven@0.0.1"
    ours = {ref: (c.scope, c.version) for ref, c in comps(r).items()}
    assert ours == {
        f"{M}junit/junit@3.8.1": (Scope.DEV, "3.8.1"),
        f"{M}org.apache.logging.log4j/log4j-slf4j-impl@2.15.0": (Scope.REQUIRED, "2.15.0"),
    }
    assert r.diagnostics == []
    doc = json.loads((base / "spdx2.3/examplemaven-0.0.1.spdx.json").read_text("utf-8"))
    theirs = {p["name"]: p.get("versionInfo") for p in doc["packages"]}
    # The SPDX document names packages by their POM <name> and carries no purls, so the
    # two are matched by hand: "JUnit" is junit:junit (TEST_DEPENDENCY_OF there, DEV scope
    # here) and "Apache Log4j SLF4J Binding" is log4j-slf4j-impl, to which the SPDX
    # document gives no version where the POM states 2.15.0.
    same = {"examplemaven": "0.0.1", "JUnit": "3.8.1", "Apache Log4j SLF4J Binding": None}
    # The other three are transitive dependencies of log4j-slf4j-impl (slf4j-api,
    # log4j-api, log4j-core). Finding them needs that artifact's POM from a repository, so
    # an offline reading of pom.xml cannot list them; the SPDX document, made by the SPDX
    # Maven plugin with Maven's resolver, links them straight to the project.
    transitive = {"SLF4J API Module": None, "Apache Log4j API": None, "Apache Log4j Core": None}
    assert theirs == same | transitive


# --- malformed input never escapes as anything but CatalogError ----------------------------

_TAGS = st.sampled_from(
    [
        "project",
        "parent",
        "groupId",
        "artifactId",
        "version",
        "relativePath",
        "properties",
        "dependencyManagement",
        "dependencies",
        "dependency",
        "scope",
        "type",
        "classifier",
        "optional",
        "profiles",
        "profile",
        "id",
        "p:project",
    ]
)
_TEXT = st.sampled_from(
    ["", "x", "${x}", "${project.version}", "import", "pom", "true", "..", "../pom.xml", "/"]
) | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6)
_TREES = st.recursive(
    st.tuples(_TAGS, _TEXT).map(lambda t: f"<{t[0]}>{_escape(t[1])}</{t[0]}>"),
    lambda inner: st.tuples(_TAGS, st.lists(inner, max_size=4)).map(
        lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"
    ),
    max_leaves=30,
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _run(data: bytes, child: bool) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "m" / "pom.xml" if child else Path(d) / "pom.xml"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        if child:
            (Path(d) / "pom.xml").write_bytes(data)  # its own parent, maybe
        with contextlib.suppress(CatalogError):
            PomCataloger().catalog(Source(path, "pom.xml"))


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _run(data, False)


@settings(max_examples=200, deadline=None)
@given(body=st.lists(_TREES, max_size=4), child=st.booleans())
def test_random_small_trees(body: list[str], child: bool) -> None:
    _run(f"<project>{''.join(body)}</project>".encode(), child)

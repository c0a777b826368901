"""Merging supplier SBOMs: identity rules, ref renaming, root edges, provenance, conflicts."""

from __future__ import annotations

from sbomkit.i18n import Msg
from sbomkit.identity import make_component
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    Diagnostic,
    Hash,
    Inventory,
    License,
    Location,
    Metadata,
    Tool,
)
from sbomkit.transform.merge import Input, merge, root_component

ROOT = root_component("car-ecu", "5.0")
SHA = Hash("SHA-256", "ab" * 32)


def doc(*components: Component, deps: tuple[Dependency, ...] = (), **meta: object) -> Inventory:
    return Inventory(components=components, dependencies=deps, metadata=Metadata(**meta))  # type: ignore[arg-type]


def spdx_pkg(ref: str, name: str, version: str, **fields: object) -> Component:
    return Component(name=name, version=version, ecosystem="", ref=ref, **fields)  # type: ignore[arg-type]


def by_ref(inv: Inventory) -> dict[str, Component]:
    return {c.ref: c for c in inv.components}


def test_same_purl_is_one_component_with_both_provenances() -> None:
    a = doc(
        make_component("npm", "lodash", "4.17.21"),
        tools=(Tool("syft", "1.0"),),
        document_id="urn:uuid:aaaa",
    )
    b = doc(make_component("npm", "lodash", "4.17.21"), tools=(Tool("trivy", "0.50"),))
    merged = merge([Input(a, "a/bom.json"), Input(b, "b/bom.spdx.json")], ROOT)
    assert by_ref(merged) == {
        "pkg:npm/lodash@4.17.21": make_component(
            "npm",
            "lodash",
            "4.17.21",
            locations=(Location("a/bom.json"), Location("b/bom.spdx.json")),
            found_by=("syft", "trivy"),
            properties=(
                ("sbomkit:merged-by", "purl"),
                ("sbomkit:source-sbom", "b/bom.spdx.json"),
                ("sbomkit:source-sbom", "urn:uuid:aaaa"),
            ),
        )
    }


def test_different_qualifiers_are_different_components() -> None:
    a = doc(make_component("generic", "zlib", "1.3", qualifiers={"arch": "arm64"}, hashes=(SHA,)))
    b = doc(make_component("generic", "zlib", "1.3", qualifiers={"arch": "x86_64"}, hashes=(SHA,)))
    merged = merge([Input(a, "a.json"), Input(b, "b.json")], ROOT)
    assert sorted(by_ref(merged)) == [
        "pkg:generic/zlib@1.3?arch=arm64",
        "pkg:generic/zlib@1.3?arch=x86_64",
    ]


def test_common_hash_merges_a_purl_less_package_into_the_purl_one() -> None:
    a = doc(
        spdx_pkg("SPDXRef-app", "ecu-app", "5.0"),
        spdx_pkg("SPDXRef-openssl", "openssl", "3.0.13", hashes=(SHA, Hash("SHA-1", "1" * 40))),
        deps=(Dependency("SPDXRef-app", "SPDXRef-openssl"),),
    )
    b = doc(make_component("generic", "openssl", "3.0.13", hashes=(SHA,)))
    merged = merge([Input(a, "a.spdx.json"), Input(b, "b.cdx.json")], ROOT)
    openssl = by_ref(merged)["pkg:generic/openssl@3.0.13"]
    assert openssl.hashes == (Hash("SHA-1", "1" * 40), SHA)
    assert ("sbomkit:merged-by", "hash") in openssl.properties
    assert sorted(by_ref(merged)) == ["1/SPDXRef-app", "pkg:generic/openssl@3.0.13"]
    assert ("1/SPDXRef-app", "pkg:generic/openssl@3.0.13") in {
        (d.source, d.target) for d in merged.dependencies
    }


def test_name_and_version_merge_only_without_hashes() -> None:
    a = doc(spdx_pkg("SPDXRef-a", "busybox", "1.36"), spdx_pkg("SPDXRef-b", "musl", "1.2"))
    b = doc(
        spdx_pkg("SPDXRef-x", "busybox", "1.36"),
        spdx_pkg("SPDXRef-y", "musl", "1.2", hashes=(SHA,)),
    )
    merged = merge([Input(a, "a.spdx"), Input(b, "b.spdx")], ROOT)
    refs = by_ref(merged)
    assert sorted(refs) == ["1/SPDXRef-a", "1/SPDXRef-b", "2/SPDXRef-y"]
    assert ("sbomkit:merged-by", "name-version") in refs["1/SPDXRef-a"].properties
    assert not any(p[0] == "sbomkit:merged-by" for p in refs["2/SPDXRef-y"].properties)


def test_two_purls_never_merge_by_hash() -> None:
    a = doc(make_component("npm", "left-pad", "1.3.0", hashes=(SHA,)))
    b = doc(make_component("npm", "left-pad-fork", "1.3.0", hashes=(SHA,)))
    merged = merge([Input(a, "a.json"), Input(b, "b.json")], ROOT)
    assert len(merged.components) == 2


def test_spdxids_of_two_inputs_do_not_collide() -> None:
    a = doc(
        spdx_pkg("SPDXRef-Package-1", "brake-fw", "2.0", hashes=(SHA,)),
        spdx_pkg("SPDXRef-Package-2", "can-lib", "1.0", hashes=(Hash("SHA-256", "01" * 32),)),
        deps=(Dependency("SPDXRef-Package-1", "SPDXRef-Package-2"),),
    )
    b = doc(
        spdx_pkg("SPDXRef-Package-1", "infotainment", "7.1", hashes=(Hash("SHA-256", "02" * 32),)),
        spdx_pkg("SPDXRef-Package-2", "qt", "6.5", hashes=(Hash("SHA-256", "03" * 32),)),
        deps=(Dependency("SPDXRef-Package-1", "SPDXRef-Package-2"),),
    )
    merged = merge([Input(a, "brake.spdx.json"), Input(b, "head-unit.spdx.json")], ROOT)
    names = {ref: c.name for ref, c in by_ref(merged).items()}
    assert names == {
        "1/SPDXRef-Package-1": "brake-fw",
        "1/SPDXRef-Package-2": "can-lib",
        "2/SPDXRef-Package-1": "infotainment",
        "2/SPDXRef-Package-2": "qt",
    }
    assert [(d.source, d.target) for d in merged.dependencies] == [
        ("1/SPDXRef-Package-1", "1/SPDXRef-Package-2"),
        ("2/SPDXRef-Package-1", "2/SPDXRef-Package-2"),
        ("pkg:generic/car-ecu@5.0", "1/SPDXRef-Package-1"),
        ("pkg:generic/car-ecu@5.0", "2/SPDXRef-Package-1"),
    ]


def test_root_depends_on_primaries_or_top_level_components() -> None:
    app = make_component("npm", "head-unit-ui", "3.0.0", type=ComponentType.APPLICATION)
    react = make_component("npm", "react", "18.3.1")
    with_primary = doc(react, deps=(Dependency(app.ref, react.ref),), primary=app)
    lib = make_component("cargo", "can-bus", "0.4.0")
    serde = make_component("cargo", "serde", "1.0.200")
    tool = make_component("cargo", "build-helper", "0.1.0")
    without = doc(lib, serde, tool, deps=(Dependency(lib.ref, serde.ref),))
    merged = merge([Input(with_primary, "ui.json"), Input(without, "can.json")], ROOT)
    assert merged.metadata.primary == ROOT
    assert ROOT.type is ComponentType.APPLICATION
    assert sorted((d.source, d.target, d.kind) for d in merged.dependencies) == [
        ("pkg:cargo/can-bus@0.4.0", "pkg:cargo/serde@1.0.200", "DEPENDS_ON"),
        ("pkg:generic/car-ecu@5.0", "pkg:cargo/build-helper@0.1.0", "DEPENDS_ON"),
        ("pkg:generic/car-ecu@5.0", "pkg:cargo/can-bus@0.4.0", "DEPENDS_ON"),
        ("pkg:generic/car-ecu@5.0", "pkg:npm/head-unit-ui@3.0.0", "DEPENDS_ON"),
        ("pkg:npm/head-unit-ui@3.0.0", "pkg:npm/react@18.3.1", "DEPENDS_ON"),
    ]
    assert "pkg:npm/head-unit-ui@3.0.0" in by_ref(merged)


def test_edge_kinds_are_kept() -> None:
    fw = make_component("generic", "fw", "1")
    src = make_component("generic", "fw-src", "1", type=ComponentType.SOURCE)
    a = doc(fw, src, deps=(Dependency(fw.ref, src.ref, "GENERATED_FROM"),))
    merged = merge([Input(a, "a.json")], ROOT)
    assert Dependency(fw.ref, src.ref, "GENERATED_FROM") in merged.dependencies


def test_conflicting_facts_keep_the_first_and_are_reported() -> None:
    a = doc(
        make_component(
            "maven", "org.acme:core", "2.0", licenses=(License("MIT", True),), supplier="ACME"
        )
    )
    b = doc(
        make_component(
            "maven",
            "org.acme:core",
            "2.0",
            licenses=(License("Apache-2.0", True),),
            supplier="ACME GmbH",
        )
    )
    merged = merge([Input(a, "a.json"), Input(b, "b.json")], ROOT)
    (core,) = merged.components
    assert (core.licenses, core.supplier) == ((License("MIT", True),), "ACME")
    ref = "pkg:maven/org.acme/core@2.0"
    assert merged.diagnostics == (
        Diagnostic(
            Msg.MERGE_CONFLICT,
            Location("b.json"),
            f"{ref}: licenses 'MIT' kept, 'Apache-2.0' ignored",
        ),
        Diagnostic(
            Msg.MERGE_CONFLICT,
            Location("b.json"),
            f"{ref}: supplier 'ACME' kept, 'ACME GmbH' ignored",
        ),
    )


def test_input_diagnostics_tools_and_extras_are_carried() -> None:
    warn = Diagnostic(Msg.MISSING_VERSION, Location("a.json"), "x")
    a = Inventory(
        components=(),
        metadata=Metadata(tools=(Tool("syft", "1.0"),), authors=("Jane",)),
        diagnostics=(warn,),
        extra=(("cyclonedx:services", "[]"),),
    )
    b = Inventory(
        components=(),
        metadata=Metadata(tools=(Tool("syft", "1.0"), Tool("trivy", "0.5"))),
        extra=(("cyclonedx:services", "[]"), ("spdx:snippets", "[]")),
    )
    merged = merge([Input(a, "a.json"), Input(b, "b.json")], ROOT)
    assert merged.diagnostics == (warn,)
    assert merged.metadata.tools == (Tool("syft", "1.0"), Tool("trivy", "0.5"))
    assert merged.metadata.authors == ("Jane",)
    assert merged.extra == (("cyclonedx:services", "[]"), ("spdx:snippets", "[]"))

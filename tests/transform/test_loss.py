"""Loss reports for hand-built inventories: what each target cannot express, exactly."""

from __future__ import annotations

import pytest

from sbomkit.formats.interface import FormatError
from sbomkit.identity import make_component
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    ExternalRef,
    Hash,
    Inventory,
    License,
    Location,
    Metadata,
    Scope,
)
from sbomkit.transform.loss import Fate, Loss, capabilities, find_losses, loss_document, loss_rows

SHA256 = "a" * 64


def from_cyclonedx() -> Inventory:
    """What a CycloneDX reader makes: pedigree and XML leftovers, nesting, CycloneDX types."""
    app = make_component("npm", "shop", "1.0.0", type=ComponentType.APPLICATION)
    driver = make_component(
        "generic",
        "nic-driver",
        "2.1",
        type=ComponentType.DEVICE_DRIVER,
        cpes=("cpe:2.3:a:acme:nic-driver:2.1:*:*:*:*:*:*:*",),
        extra=(("cyclonedx:pedigree", '{"notes":"patched"}'),),
    )
    lodash = make_component(
        "npm",
        "lodash",
        "4.17.21",
        licenses=(License("MIT", True), License("MIT", True, concluded=True)),
        properties=(("cdx:npm:package:bundled", "true"),),
        scope=Scope.OPTIONAL,
        extra=(("cyclonedx:pedigree", '{"ancestors":[]}'), ("cyclonedx-xml:@mime-type", "x")),
    )
    return Inventory(
        components=(driver, lodash),
        dependencies=(
            Dependency(app.ref, driver.ref, "CONTAINS"),
            Dependency(app.ref, lodash.ref),
        ),
        metadata=Metadata(primary=app, lifecycle="build", spec="cyclonedx-1.6"),
        extra=(("cyclonedx:services", "[]"), ("cyclonedx:compositions", "[]")),
    )


def from_spdx() -> Inventory:
    """What an SPDX 2 reader makes: snippets, GENERATED_FROM, SOURCE packages, copyright."""
    src = Component(
        name="zlib-src",
        version="1.3",
        ecosystem="",
        type=ComponentType.SOURCE,
        copyright="Copyright (C) 1995-2023 Jean-loup Gailly and Mark Adler",
        licenses=(License("Zlib", True, concluded=True),),
        ref="SPDXRef-zlib-src",
    )
    lib = make_component(
        "conan",
        "zlib",
        "1.3",
        hashes=(Hash("SHA-256", SHA256), Hash("SHA-256", "not-hex")),
        external_refs=(ExternalRef("advisories", "https://zlib.net/advisories"),),
        locations=(Location("conan.lock"),),
        found_by=("conan-lock",),
        extra=(("spdx:annotations", "[]"),),
    )
    return Inventory(
        components=(src, lib),
        dependencies=(
            Dependency(lib.ref, src.ref, "GENERATED_FROM"),
            Dependency(lib.ref, "SPDXRef-gone"),
        ),
        metadata=Metadata(name="zlib-build", data_license="CC0-1.0", supplier="Zlib Org"),
        extra=(("spdx:snippets", "[]"),),
    )


def test_cyclonedx_to_spdx() -> None:
    got = find_losses(from_cyclonedx(), capabilities("spdx-json", "2.3"))
    lodash, driver = "pkg:npm/lodash@4.17.21", "pkg:generic/nic-driver@2.1"
    assert got == [
        Loss("component.extra[cyclonedx-xml:@mime-type]", Fate.DROPPED, 1, (lodash,)),
        Loss("component.extra[cyclonedx:pedigree]", Fate.DROPPED, 2, (driver, lodash)),
        Loss("component.properties", Fate.COMMENT, 1, (lodash,)),
        Loss("component.scope", Fate.COMMENT, 1, (lodash,)),
        Loss("component.type=device-driver", Fate.COMMENT, 1, (driver,)),
        Loss("inventory.extra[cyclonedx:compositions]", Fate.DROPPED, 1, ()),
        Loss("inventory.extra[cyclonedx:services]", Fate.DROPPED, 1, ()),
        Loss("metadata.lifecycle", Fate.DROPPED, 1, ("build",)),
    ]


def test_cyclonedx_json_keeps_all_but_xml_leftovers() -> None:
    got = find_losses(from_cyclonedx(), capabilities("cyclonedx-json", "1.6"))
    assert got == [
        Loss(
            "component.extra[cyclonedx-xml:@mime-type]",
            Fate.DROPPED,
            1,
            ("pkg:npm/lodash@4.17.21",),
        ),
    ]


def test_spdx_to_cyclonedx_16() -> None:
    got = find_losses(from_spdx(), capabilities("cyclonedx-json", "1.6"))
    zlib = "pkg:conan/zlib@1.3"
    assert got == [
        Loss("component.extra[spdx:annotations]", Fate.DROPPED, 1, (zlib,)),
        Loss("component.hashes.invalid", Fate.DROPPED, 1, (zlib,)),
        Loss("component.type=source", Fate.PROPERTY, 1, ("SPDXRef-zlib-src",)),
        Loss(
            "dependency.kind=GENERATED_FROM", Fate.DEPENDS_ON, 1, (f"{zlib} -> SPDXRef-zlib-src",)
        ),
        Loss("dependency.unknown-ref", Fate.DROPPED, 1, (f"{zlib} -> SPDXRef-gone",)),
        Loss("inventory.extra[spdx:snippets]", Fate.DROPPED, 1, ()),
        Loss("metadata.name", Fate.DROPPED, 1, ("zlib-build",)),
    ]


def test_spdx_to_cyclonedx_15_also_loses_concluded_and_location_fields() -> None:
    got = find_losses(from_spdx(), capabilities("cyclonedx-xml", "1.5"))
    assert [(x.what, x.fate) for x in got] == [
        ("component.extra[spdx:annotations]", Fate.DROPPED),
        ("component.hashes.invalid", Fate.DROPPED),
        ("component.licenses.concluded", Fate.PROPERTY),
        ("component.locations", Fate.PROPERTY),
        ("component.type=source", Fate.PROPERTY),
        ("dependency.kind=GENERATED_FROM", Fate.DEPENDS_ON),
        ("dependency.unknown-ref", Fate.DROPPED),
        ("inventory.extra[spdx:snippets]", Fate.DROPPED),
        ("metadata.name", Fate.DROPPED),
    ]


def test_cyclonedx_16_only_type_is_lost_in_15() -> None:
    crypto = make_component("generic", "aes", "1", type=ComponentType.CRYPTOGRAPHIC_ASSET)
    inv = Inventory(components=(crypto,))
    assert find_losses(inv, capabilities("cyclonedx-json", "1.6")) == []
    assert find_losses(inv, capabilities("cyclonedx-json", "1.5")) == [
        Loss("component.type=cryptographic-asset", Fate.DROPPED, 1, ("pkg:generic/aes@1",))
    ]


def test_examples_are_capped_at_three_sorted() -> None:
    comps = tuple(make_component("npm", f"p{i}", "1", properties=(("k", "v"),)) for i in range(5))
    (loss,) = find_losses(Inventory(components=comps), capabilities("spdx-tv", "2.3"))
    assert (loss.count, loss.examples) == (5, ("pkg:npm/p0@1", "pkg:npm/p1@1", "pkg:npm/p2@1"))


def test_loss_document_and_rows_in_japanese() -> None:
    losses = [Loss("component.scope", Fate.COMMENT, 2, ("pkg:npm/a@1", "pkg:npm/b@1"))]
    assert loss_document("spdx-json", "2.3", losses) == {
        "schema": "sbomkit-loss/1",
        "target": "spdx-json",
        "spec": "2.3",
        "losses": [
            {
                "what": "component.scope",
                "fate": "comment",
                "count": 2,
                "examples": ["pkg:npm/a@1", "pkg:npm/b@1"],
            }
        ],
    }
    assert loss_rows(losses, "ja") == [
        ("component.scope", "コメント文として出力", "2", "pkg:npm/a@1, pkg:npm/b@1")
    ]
    assert loss_rows(losses, "en")[0][1] == "written as comment text"


def test_writer_without_a_table_is_an_error() -> None:
    with pytest.raises(FormatError, match=r"no loss table for spdx-json 9\.9 in sbomkit"):
        capabilities("spdx-json", "9.9")

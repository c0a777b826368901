"""SPDX 2.3 mapping: exact values, read back through spdx-tools where it matters."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spdx_tools.spdx.model.actor import Actor
from spdx_tools.spdx.model.document import Document
from spdx_tools.spdx.model.relationship import RelationshipType
from spdx_tools.spdx.parser.parse_anything import parse_file

from sbomkit.formats.spdx2 import Spdx2JsonWriter, Spdx2TagValueWriter, spdx_ids
from sbomkit.model import Component, Dependency, Inventory, License, Metadata, Scope

Validate = Callable[[str, str, bytes], None]
ID = re.compile(r"^SPDXRef-[A-Za-z0-9.-]+$")


def doc(inventory: Inventory) -> dict[str, Any]:
    return json.loads(Spdx2JsonWriter().write(inventory))  # type: ignore[no-any-return]


def packages(d: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"] + "@" + p.get("versionInfo", ""): p for p in d["packages"]}


def parsed(tmp_path: Path, inventory: Inventory, fmt: str) -> Document:
    writer = Spdx2JsonWriter() if fmt == "json" else Spdx2TagValueWriter()
    path = tmp_path / f"doc{writer.extension}"
    path.write_bytes(writer.write(inventory))
    return parse_file(str(path))


def test_document_fields(mixed: Inventory, epoch: str) -> None:
    d = doc(mixed)
    assert d["spdxVersion"] == "SPDX-2.3"
    assert d["name"] == "acme-webapp"
    assert re.fullmatch(
        r"https://sbomkit\.invalid/spdxdocs/acme-webapp-[0-9a-f-]{36}", d["documentNamespace"]
    )
    assert d["creationInfo"] == {
        "created": "2026-01-01T00:00:00Z",
        "creators": [
            "Tool: sbomkit-0.1.0",
            "Person: Jane Doe (jane@acme.example)",
            "Organization: ACME Corp",
        ],
    }


@pytest.mark.parametrize("fmt", ["json", "tv"])
def test_read_back_by_spdx_tools(mixed: Inventory, tmp_path: Path, fmt: str) -> None:
    document = parsed(tmp_path, mixed, fmt)
    assert len(document.packages) == 15  # 14 components and the primary
    kinds = [r.relationship_type for r in document.relationships]
    assert kinds.count(RelationshipType.DESCRIBES) == 1
    assert kinds.count(RelationshipType.DEPENDS_ON) == 14  # the dangling edge is left out
    by_name = {(p.name, p.version): p for p in document.packages}
    babel = by_name["@babel/core", "7.24.0"]
    assert [(r.reference_type, r.locator) for r in babel.external_references] == [
        ("purl", "pkg:npm/%40babel/core@7.24.0")
    ]
    assert [c.algorithm.name for c in babel.checksums] == ["SHA512"]
    urllib3 = by_name["urllib3", "2.2.1"]
    assert [c.algorithm.name for c in urllib3.checksums] == ["SHA1", "SHA256"]
    assert isinstance(urllib3.supplier, Actor)
    assert urllib3.supplier.to_serialized_string() == "Organization: urllib3 maintainers"
    requests = by_name["requests", "2.31.0"]
    assert isinstance(requests.originator, Actor)
    assert requests.originator.to_serialized_string() == "Person: Kenneth Reitz"
    assert str(by_name["jszip", "3.10.1"].license_declared) == "MIT OR GPL-3.0-or-later"
    refs = {e.license_id: e.extracted_text for e in document.extracted_licensing_info}
    assert refs["LicenseRef-Proprietary-see-LICENSE.txt"] == "Proprietary – see LICENSE.txt"
    assert str(refs["LicenseRef-ACME-Source-Available-License-v1"]).startswith("ACME Source-")
    assert by_name["ünïcode-pkg", "1.0.0"].description == "Ein Paket mit Ümlauten — 日本語の説明"


def test_package_fields(mixed: Inventory) -> None:
    pkgs = packages(doc(mixed))
    legacy = pkgs["legacy-lib@1.0.0"]
    assert legacy["licenseDeclared"] == "MIT AND LicenseRef-ACME-Source-Available-License-v1"
    assert legacy["licenseConcluded"] == "NOASSERTION"
    assert pkgs["gitdep@1.0.0"]["licenseDeclared"] == "NOASSERTION"
    assert pkgs["gitdep@1.0.0"]["downloadLocation"] == "NOASSERTION"
    assert pkgs["gitdep@1.0.0"]["sourceInfo"] == "source: git+ssh://git@github.com:acme/gitdep.git"
    mylib = pkgs["mylib@0.4.0"]
    assert mylib["downloadLocation"] == "git+https://github.com/acme/mylib.git@5f2c1e3"
    assert mylib["comment"].splitlines() == [
        "sbomkit:scope=required",
        "sbomkit:found-by=python-poetry-lock",
        "sbomkit:location=poetry.lock:250",
        "sbomkit:source=vcs",
    ]
    assert "sbomkit:scope=dev" in pkgs["pytest@8.1.1"]["comment"].splitlines()
    assert "sbomkit:scope=optional" in pkgs["PySocks@1.7.1"]["comment"].splitlines()
    helper = pkgs["vendored-helper@"]
    assert "versionInfo" not in helper
    assert "externalRefs" not in helper
    assert helper["supplier"] == "NOASSERTION"
    assert all(p["filesAnalyzed"] is False for p in pkgs.values())
    purposes = {p["primaryPackagePurpose"] for p in pkgs.values()}
    assert purposes == {"APPLICATION", "LIBRARY"}


def test_spdx_ids_are_safe_stable_and_unique(mixed: Inventory) -> None:
    d = doc(mixed)
    ids = [p["SPDXID"] for p in d["packages"]]
    assert len(ids) == len(set(ids))
    assert all(ID.match(i) for i in ids)
    pkgs = packages(d)
    assert pkgs["ünïcode-pkg@1.0.0"]["SPDXID"].startswith("SPDXRef-Package-unicode-pkg-")
    assert pkgs["@babel/core@7.24.0"]["SPDXID"].startswith("SPDXRef-Package-babel-core-")
    # The id of a ref does not depend on what else is in the document.
    alone = spdx_ids([c for c in mixed.components if c.name == "@babel/core"])
    assert alone == {"pkg:npm/%40babel/core@7.24.0": pkgs["@babel/core@7.24.0"]["SPDXID"]}


def test_names_with_no_ascii_get_a_hash_only_id(validate: Validate) -> None:
    inv = Inventory(components=(Component("日本語", "1.0", "npm"),))
    (package,) = doc(inv)["packages"]
    assert re.fullmatch(r"SPDXRef-Package-[0-9a-f]{10}", package["SPDXID"])
    validate("spdx-json", "2.3", Spdx2JsonWriter().write(inv))


def test_relationships(mixed: Inventory) -> None:
    d = doc(mixed)
    ids = {p["name"] + "@" + p.get("versionInfo", ""): p["SPDXID"] for p in d["packages"]}
    rels = {
        (r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
        for r in d["relationships"]
    }
    assert ("SPDXRef-DOCUMENT", "DESCRIBES", ids["acme-webapp@2.3.0"]) in rels
    assert (ids["requests@2.31.0"], "DEPENDS_ON", ids["urllib3@2.2.1"]) in rels
    assert (ids["@babel/core@7.24.0"], "DEPENDS_ON", ids["string-width@4.2.3"]) in rels
    assert {kind for _, kind, _ in rels} == {"DESCRIBES", "DEPENDS_ON"}


def test_without_primary_the_roots_are_described(validate: Validate) -> None:
    a, b, c = (Component(n, "1", "npm") for n in "abc")
    inv = Inventory(components=(a, b, c), dependencies=(Dependency(a.ref, b.ref),))
    d = doc(inv)
    described = [
        r["relatedSpdxElement"] for r in d["relationships"] if r["relationshipType"] == "DESCRIBES"
    ]
    names = {p["SPDXID"]: p["name"] for p in d["packages"]}
    assert sorted(names[i] for i in described) == ["a", "c"]
    assert d["name"] == "sbom"
    validate("spdx-json", "2.3", Spdx2JsonWriter().write(inv))
    validate("spdx-tv", "2.3", Spdx2TagValueWriter().write(inv))


def test_license_refs_never_collide(validate: Validate) -> None:
    one = Component("one", "1", "npm", licenses=(License("Custom License", False),))
    two = Component("two", "1", "npm", licenses=(License("Custom-License", False),))
    broken = Component("three", "1", "npm", licenses=(License("MIT OR", True),))
    inv = Inventory(components=(one, two, broken), metadata=Metadata(primary=None))
    d = doc(inv)
    declared = {p["name"]: p["licenseDeclared"] for p in d["packages"]}
    assert declared["one"] != declared["two"]
    assert declared["one"].startswith("LicenseRef-Custom-License-")
    assert declared["three"] == "LicenseRef-MIT-OR"  # not a valid expression: kept as text
    infos = {i["licenseId"]: i["extractedText"] for i in d["hasExtractedLicensingInfos"]}
    assert infos[declared["one"]] == "Custom License"
    assert infos[declared["two"]] == "Custom-License"
    validate("spdx-json", "2.3", Spdx2JsonWriter().write(inv))
    validate("spdx-tv", "2.3", Spdx2TagValueWriter().write(inv))


def test_tag_value_survives_awkward_text(validate: Validate, tmp_path: Path) -> None:
    c = Component(
        "awkward\nname",
        "1.0",
        "npm",
        scope=Scope.DEV,
        description="line one\nline two </text> # not a comment\nPackageName: fake",
        supplier="ACME: the company",
    )
    inv = Inventory(components=(c,))
    data = Spdx2TagValueWriter().write(inv)
    validate("spdx-tv", "2.3", data)
    (package,) = parsed(tmp_path, inv, "tv").packages
    assert package.name == "awkward name"
    assert package.description is not None
    assert "PackageName: fake" in package.description


def test_namespace_is_shared_and_reproducible(mixed: Inventory, epoch: str) -> None:
    json_ns = doc(mixed)["documentNamespace"]
    tv = Spdx2TagValueWriter().write(mixed).decode("utf-8")
    assert f"DocumentNamespace: {json_ns}\n" in tv
    assert doc(mixed)["documentNamespace"] == json_ns


def test_namespace_is_random_without_source_date_epoch(mixed: Inventory, no_epoch: None) -> None:
    assert doc(mixed)["documentNamespace"] != doc(mixed)["documentNamespace"]


@pytest.mark.parametrize("writer", [Spdx2JsonWriter(), Spdx2TagValueWriter()], ids=["json", "tv"])
def test_diagnostics_are_not_written(mixed: Inventory, writer: Spdx2JsonWriter) -> None:
    assert b"DIAGNOSTIC-MARK" not in writer.write(mixed)

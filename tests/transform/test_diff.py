"""Diffing inventories: each kind of change, version order, the JSON document."""

from __future__ import annotations

import pytest

from sbomkit.identity import make_component
from sbomkit.model import Component, Hash, Inventory, License, Metadata
from sbomkit.transform.diff import (
    Diff,
    Entry,
    FactChange,
    VersionChange,
    compare_versions,
    diff,
    diff_document,
    identity,
    table_rows,
)

MIT, APACHE = License("MIT", True), License("Apache-2.0", True)
H1, H2 = Hash("SHA-256", "aa" * 32), Hash("SHA-256", "bb" * 32)


def inv(*components: Component) -> Inventory:
    return Inventory(components=components)


@pytest.mark.parametrize(
    ("component", "expected"),
    [
        pytest.param(
            make_component("npm", "@babel/core", "7.24.0"), "pkg:npm/%40babel/core", id="npm"
        ),
        pytest.param(
            make_component("generic", "zlib", "1.3", qualifiers={"arch": "arm64"}),
            "pkg:generic/zlib?arch=arm64",
            id="qualifiers-kept",
        ),
        pytest.param(make_component("npm", "x", None), "pkg:npm/x", id="no-version"),
        pytest.param(Component("busybox", "1.36", "", ref="SPDXRef-bb"), ":busybox", id="no-purl"),
    ],
)
def test_identity(component: Component, expected: str) -> None:
    assert identity(component) == expected


@pytest.mark.parametrize(
    ("eco", "old", "new", "order"),
    [
        ("pypi", "1.0", "1.0.0", 0),
        ("pypi", "2.0rc1", "2.0", -1),
        ("pypi", "1.10", "1.9", 1),
        ("pypi", "not a version", "1.0", None),
        ("npm", "1.9.0", "1.10.0", -1),
        ("npm", "2.0.0", "1.99.99", 1),
        ("npm", "1.0.0", "1.0.0.1", -1),
        ("npm", "1.0.0", "1.0.0-beta", None),
        ("deb", "1.2.3-1ubuntu1", "1.2.3-1ubuntu2", -1),
        ("golang", "v1.2.0", "v1.3.0", -1),
        ("generic", "abc123", "1.0", None),
        ("maven", "1.0-alpha", "1.0-beta", -1),
    ],
)
def test_compare_versions(eco: str, old: str, new: str, order: int | None) -> None:
    assert compare_versions(eco, old, new) == order


def test_added_and_removed() -> None:
    old = inv(make_component("npm", "a", "1"))
    new = inv(make_component("npm", "b", "1"))
    assert diff(old, new) == Diff(
        added=(Entry("pkg:npm/b", "b", "1"),), removed=(Entry("pkg:npm/a", "a", "1"),)
    )


@pytest.mark.parametrize(
    ("eco", "old", "new", "change"),
    [
        ("pypi", "2.31.0", "2.32.3", "upgraded"),
        ("pypi", "2.32.3", "2.31.0", "downgraded"),
        ("npm", "1.0.0-beta", "1.0.0", "changed"),
    ],
)
def test_version_change(eco: str, old: str, new: str, change: str) -> None:
    result = diff(inv(make_component(eco, "pkg", old)), inv(make_component(eco, "pkg", new)))
    assert result == Diff(versions=(VersionChange(f"pkg:{eco}/pkg", "pkg", old, new, change),))


def test_several_versions_pair_in_order_and_extras_are_added() -> None:
    old = inv(*(make_component("npm", "sw", v) for v in ("4.2.3", "5.1.2")))
    new = inv(*(make_component("npm", "sw", v) for v in ("4.2.3", "5.1.3", "6.0.0")))
    assert diff(old, new) == Diff(
        added=(Entry("pkg:npm/sw", "sw", "6.0.0"),),
        versions=(VersionChange("pkg:npm/sw", "sw", "5.1.2", "5.1.3", "upgraded"),),
    )


def test_license_supplier_and_hash_changes() -> None:
    old = inv(make_component("cargo", "serde", "1.0", licenses=(MIT,), supplier="A", hashes=(H1,)))
    new = inv(
        make_component("cargo", "serde", "1.0", licenses=(MIT, APACHE), supplier="B", hashes=(H2,))
    )
    assert diff(old, new) == Diff(
        licenses=(FactChange("pkg:cargo/serde", "serde", "1.0", ("MIT",), ("Apache-2.0", "MIT")),),
        suppliers=(FactChange("pkg:cargo/serde", "serde", "1.0", ("A",), ("B",)),),
        hashes=(
            FactChange(
                "pkg:cargo/serde",
                "serde",
                "1.0",
                (f"SHA-256:{'aa' * 32}",),
                (f"SHA-256:{'bb' * 32}",),
            ),
        ),
    )


def test_hashes_of_a_new_version_are_not_a_change() -> None:
    old = inv(make_component("cargo", "serde", "1.0", hashes=(H1,)))
    new = inv(make_component("cargo", "serde", "1.1", hashes=(H2,)))
    assert diff(old, new).summary() == {
        "added": 0,
        "removed": 0,
        "upgraded": 1,
        "downgraded": 0,
        "changed": 0,
        "licenses": 0,
        "suppliers": 0,
        "hashes": 0,
    }


def test_primary_component_is_compared_too() -> None:
    old = Inventory((), metadata=Metadata(primary=make_component("pypi", "app", "1.0")))
    new = Inventory((), metadata=Metadata(primary=make_component("pypi", "app", "1.1")))
    assert diff(old, new).versions == (
        VersionChange("pkg:pypi/app", "app", "1.0", "1.1", "upgraded"),
    )


def test_no_change_is_empty() -> None:
    same = inv(make_component("npm", "a", "1", licenses=(MIT,)))
    assert diff(same, same).empty


def test_json_document() -> None:
    old = inv(make_component("npm", "a", "1"), make_component("npm", "c", "1", supplier="X"))
    new = inv(make_component("npm", "b", "1"), make_component("npm", "c", "2"))
    assert diff_document(diff(old, new), "old.json", "new.json") == {
        "schema": "sbomkit-diff/1",
        "old": "old.json",
        "new": "new.json",
        "summary": {
            "added": 1,
            "removed": 1,
            "upgraded": 1,
            "downgraded": 0,
            "changed": 0,
            "licenses": 0,
            "suppliers": 1,
            "hashes": 0,
        },
        "added": [{"identity": "pkg:npm/b", "name": "b", "version": "1"}],
        "removed": [{"identity": "pkg:npm/a", "name": "a", "version": "1"}],
        "versions": [
            {"identity": "pkg:npm/c", "name": "c", "old": "1", "new": "2", "change": "upgraded"}
        ],
        "licenses": [],
        "suppliers": [
            {"identity": "pkg:npm/c", "name": "c", "version": "2", "old": "X", "new": None}
        ],
        "hashes": [],
    }


def test_table_rows_in_japanese() -> None:
    old = inv(make_component("npm", "a", "1"), make_component("npm", "c", "2"))
    new = inv(make_component("npm", "c", "1", licenses=(MIT,)))
    assert table_rows(diff(old, new), "ja") == [
        ("削除", "pkg:npm/a", "1", ""),
        ("ダウングレード", "pkg:npm/c", "2", "1"),
        ("ライセンス変更", "pkg:npm/c@1", "", "MIT"),
    ]

"""npm package-lock.json / npm-shrinkwrap.json: lockfile versions 1, 2 and 3.

The realistic-v1/v2/v3 fixtures are real lockfiles npm wrote for one package.json of 45
real dependencies (npm 11 for v2/v3, npm 6 for v1, `--package-lock-only`); the others are
small hand-written files, one per scenario.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import TESTDATA
from testkit import by_ref as comps
from testkit import diagnostic_rows as warnings
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.javascript._npm_common import (
    KeyLines,
    integrity_hashes,
    licenses_of,
    node_resolve,
    person,
    scopes_by_reach,
)
from sbomkit.catalog.javascript.package_lock import PackageLockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Hash, License, Location, Scope

DATA = TESTDATA / "package-lock"
SHA512_EMPTY = (
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
)
SHA1_EMPTY = "da39a3ee5e6b4b0d3255bfef95601890afd80709"


def run(case: str, name: str = "package-lock.json") -> CatalogResult:
    return PackageLockCataloger().catalog(Source(DATA / case / name, name))


def summary(result: CatalogResult) -> dict[str, tuple[object, ...]]:
    """ref -> (scope, direct, line, properties) for compact exact assertions."""
    return {
        c.ref: (c.scope.value, c.direct, c.locations[0].line, c.properties)
        for c in result.components
    }


# -- whole-file errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "code", "detail"),
    [
        ("empty", Msg.WRONG_FORMAT, "empty file"),
        (
            "not-json",
            Msg.WRONG_FORMAT,
            "Expecting property name enclosed in double quotes: line 8 column 1",
        ),
        ("not-object", Msg.WRONG_FORMAT, "top level is list, not an object"),
        ("no-lockfile-version", Msg.WRONG_FORMAT, "no 'lockfileVersion' field"),
        ("unsupported-version", Msg.UNSUPPORTED_VERSION, "lockfileVersion 4"),
        ("v3-no-packages", Msg.WRONG_FORMAT, "'packages' is missing or not an object"),
        ("v1-dependencies-not-object", Msg.WRONG_FORMAT, "'dependencies' is not an object"),
    ],
    ids=lambda v: v if isinstance(v, str) and " " not in v else "",
)
def test_unusable_file_is_an_error(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError, match=re.escape(detail)) as err:
        run(case)
    assert (err.value.code, err.value.path, err.value.detail) == (code, "package-lock.json", detail)


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ('{"lockfileVersion": "3", "packages": {}}', "lockfileVersion '3'"),
        ('{"lockfileVersion": true, "packages": {}}', "lockfileVersion True"),
        ('{"lockfileVersion": 0, "dependencies": {}}', "lockfileVersion 0"),
    ],
    ids=["string", "bool", "zero"],
)
def test_lockfile_version_must_be_1_2_or_3(tmp_path: Path, text: str, detail: str) -> None:
    path = tmp_path / "package-lock.json"
    path.write_text(text)
    with pytest.raises(CatalogError, match=re.escape(detail)) as err:
        PackageLockCataloger().catalog(Source(path, "package-lock.json"))
    assert err.value.code is Msg.UNSUPPORTED_VERSION


def test_not_utf8_is_wrong_format(tmp_path: Path) -> None:
    path = tmp_path / "package-lock.json"
    path.write_bytes(b'{"name": "\xff"}')
    with pytest.raises(CatalogError, match="not UTF-8") as err:
        PackageLockCataloger().catalog(Source(path, "package-lock.json"))
    assert err.value.code is Msg.WRONG_FORMAT


# -- real lockfiles ----------------------------------------------------------------------


def _unique_ids(case: str) -> set[tuple[str, str]]:
    """name@version pairs as an independent reader sees them (what `node -e` counted)."""
    data = json.loads((DATA / case / "package-lock.json").read_text())
    out: set[tuple[str, str]] = set()
    if "packages" in data:
        for key, entry in data["packages"].items():
            if key and not entry.get("link"):
                out.add((entry.get("name") or key.split("node_modules/")[-1], entry["version"]))
        return out
    stack = [data["dependencies"]]
    while stack:
        for key, entry in stack.pop().items():
            name, version = key, entry["version"]
            if version.startswith("npm:"):
                name, _, version = version[4:].rpartition("@")
            out.add((name, version))
            stack.append(entry.get("dependencies", {}))
    return out


@pytest.mark.parametrize(
    ("case", "n_edges", "scopes"),
    [
        ("realistic-v1", 1053, {"dev": 302, "required": 244, "optional": 2}),
        ("realistic-v2", 1083, {"dev": 301, "required": 245, "optional": 2}),
        ("realistic-v3", 1083, {"dev": 301, "required": 245, "optional": 2}),
    ],
)
def test_realistic_lockfile(case: str, n_edges: int, scopes: dict[str, int]) -> None:
    result = run(case)
    assert len(result.components) == 548 == len(_unique_ids(case))
    assert {(c.name, c.version) for c in result.components} == _unique_ids(case)
    assert len(result.dependencies) == n_edges
    assert Counter(c.scope.value for c in result.components) == scopes
    assert sum(1 for c in result.components if c.direct) == 40
    assert result.diagnostics == []
    assert result.project is not None
    assert result.project.ref == "pkg:npm/realistic-app@1.4.0"
    by_ref = comps(result)
    express = by_ref["pkg:npm/express@4.22.3"]
    assert (express.scope, express.direct) == (Scope.REQUIRED, True)
    assert express.source_url == "https://registry.npmjs.org/express/-/express-4.22.3.tgz"
    assert express.hashes[0].value.startswith("05d72ce3edea9695")
    assert by_ref["pkg:npm/typescript@5.9.3"].scope is Scope.DEV
    assert by_ref["pkg:npm/webpack@5.112.2"].scope is Scope.DEV
    assert by_ref["pkg:npm/fsevents@2.3.3"].scope is Scope.OPTIONAL
    assert by_ref["pkg:npm/%40babel/core@7.29.13"].direct is True
    assert by_ref["pkg:npm/lodash@4.17.21"].properties == (("sbomkit:alias", "lodash4"),)
    assert by_ref["pkg:npm/lodash@4.18.1"].properties == ()
    root = result.project.ref
    assert {(root, "pkg:npm/express@4.22.3"), (root, "pkg:npm/lodash@4.17.21")} <= edges(result)
    assert ("pkg:npm/express@4.22.3", "pkg:npm/debug@2.6.9") in edges(result)
    assert ("pkg:npm/express@4.22.3", "pkg:npm/body-parser@1.20.9") in edges(result)


@pytest.mark.parametrize("case", ["realistic-v1", "realistic-v2", "realistic-v3"])
def test_realistic_lines_point_at_entry_keys(case: str) -> None:
    lines = (DATA / case / "package-lock.json").read_text().splitlines()
    for c in run(case).components:
        line = c.locations[0].line
        assert line is not None
        assert re.fullmatch(r'\s*"[^"]+": \{', lines[line - 1]), (c.ref, lines[line - 1])
        key = lines[line - 1].strip()[1:-4]
        installed_as = dict(c.properties).get("sbomkit:alias", c.name)
        assert key.endswith(c.name) or key.endswith(installed_as), (c.ref, key)


def test_v2_reads_packages_and_matches_v3() -> None:
    v2, v3 = run("realistic-v2"), run("realistic-v3")
    assert summary(v2) == summary(v3)
    assert edges(v2) == edges(v3)


# -- scenarios ---------------------------------------------------------------------------


def test_workspaces_are_components_linked_from_the_project() -> None:
    result = run("v3-workspaces")
    assert result.project is not None and result.project.ref == "pkg:npm/ws-root@0.0.1"
    ws = (("sbomkit:source", "workspace"),)
    assert summary(result) == {
        "pkg:npm/%40acme/app@1.0.0": ("required", True, 64, ws),
        "pkg:npm/%40acme/util@2.0.0": ("required", True, 76, ws),
        "pkg:npm/is-number@6.0.0": ("dev", False, 48, ()),
        "pkg:npm/is-number@7.0.0": ("dev", True, 25, ()),
        "pkg:npm/is-odd@3.0.1": ("dev", False, 35, ()),
        "pkg:npm/ms@2.0.0": ("required", False, 84, ()),
        "pkg:npm/ms@2.1.3": ("required", False, 58, ()),
    }
    assert edges(result) == {
        ("pkg:npm/ws-root@0.0.1", "pkg:npm/%40acme/app@1.0.0"),
        ("pkg:npm/ws-root@0.0.1", "pkg:npm/%40acme/util@2.0.0"),
        ("pkg:npm/ws-root@0.0.1", "pkg:npm/is-number@7.0.0"),
        ("pkg:npm/%40acme/app@1.0.0", "pkg:npm/%40acme/util@2.0.0"),  # through the link
        ("pkg:npm/%40acme/app@1.0.0", "pkg:npm/ms@2.1.3"),
        ("pkg:npm/%40acme/app@1.0.0", "pkg:npm/is-odd@3.0.1"),  # a workspace's dev dep
        ("pkg:npm/%40acme/util@2.0.0", "pkg:npm/ms@2.0.0"),  # its own nested copy
        ("pkg:npm/is-odd@3.0.1", "pkg:npm/is-number@6.0.0"),
    }
    app = comps(result)["pkg:npm/%40acme/app@1.0.0"]
    assert (app.name, app.licenses, app.source_url) == ("@acme/app", (License("MIT", False),), None)
    assert result.diagnostics == []


def test_aliases_name_the_real_package() -> None:
    result = run("v3-aliases")
    assert summary(result) == {
        "pkg:npm/%40babel/core@7.29.13": (
            "required",
            True,
            17,
            (("sbomkit:alias", "babel-core-7"),),
        ),
        "pkg:npm/js-tokens@4.0.0": ("required", False, 46, ()),
        # node_modules/lodash and node_modules/lodash4 are one name@version: one component
        "pkg:npm/lodash@4.17.21": ("required", True, 24, (("sbomkit:alias", "lodash4"),)),
        "pkg:npm/loose-envify@1.4.0": ("required", False, 37, ()),
        "pkg:npm/react@18.3.1": ("required", True, 52, (("sbomkit:alias", "my-react"),)),
    }
    babel = comps(result)["pkg:npm/%40babel/core@7.29.13"]
    assert babel.name == "@babel/core"
    assert ("pkg:npm/react@18.3.1", "pkg:npm/loose-envify@1.4.0") in edges(result)
    assert result.diagnostics == []


def test_git_file_and_link_sources() -> None:
    result = run("v3-sources")
    by_ref = comps(result)
    got = {
        ref: (c.version, dict(c.properties).get("sbomkit:source"), c.source_url)
        for ref, c in by_ref.items()
    }
    assert got == {
        "pkg:npm/ghost": (None, "file", "libs/ghost"),  # a link whose folder is not listed
        "pkg:npm/gitdep@1.2.0": (
            "1.2.0",
            "git",
            "git+ssh://git@github.com/acme/gitdep.git#0123456789abcdef0123456789abcdef01234567",
        ),
        "pkg:npm/localdep@3.0.0": ("3.0.0", "file", "../localdep"),
        "pkg:npm/ms@2.1.3": ("2.1.3", None, "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz"),
        "pkg:npm/tardep@0.1.0": ("0.1.0", "file", "file:vendor/tardep-0.1.0.tgz"),
    }
    assert by_ref["pkg:npm/tardep@0.1.0"].hashes == (
        Hash("SHA-1", SHA1_EMPTY),
        Hash("SHA-512", SHA512_EMPTY),
    )
    assert by_ref["pkg:npm/localdep@3.0.0"].locations == (Location("package-lock.json", 18),)
    assert ("pkg:npm/localdep@3.0.0", "pkg:npm/ms@2.1.3") in edges(result)
    assert all(c.direct for c in result.components)
    assert result.diagnostics == []


def test_dev_optional_peer_and_bundle_flags() -> None:
    result = run("v3-flags")
    assert summary(result) == {
        "pkg:npm/ansi-styles@4.3.0": ("required", False, 34, (("sbomkit:bundled", "true"),)),
        "pkg:npm/chalk@4.1.2": ("required", True, 24, ()),
        "pkg:npm/fsevents@2.3.3": ("optional", True, 41, ()),
        "pkg:npm/has-flag@4.0.0": ("dev", False, 55, ()),  # devOptional counts as dev
        "pkg:npm/is-number@7.0.0": ("dev", True, 62, ()),
        "pkg:npm/react@18.3.1": ("required", True, 69, (("sbomkit:peer", "true"),)),
        "pkg:npm/supports-color@7.2.0": ("required", False, 84, ()),
    }
    assert result.project is not None
    assert result.project.licenses == (License("Apache-2.0", False),)
    assert result.diagnostics == []  # react-dom is an optional peer: its absence is fine


def test_nested_versions_resolve_like_node() -> None:
    result = run("v3-nested")
    assert summary(result) == {
        "pkg:npm/debug@2.6.9": ("required", False, 41, ()),  # first of two paths
        "pkg:npm/debug@4.4.3": ("required", True, 16, ()),
        "pkg:npm/express@4.22.3": ("required", True, 31, ()),
        "pkg:npm/ms@2.0.0": ("required", False, 50, ()),
        "pkg:npm/ms@2.1.3": ("required", False, 25, ()),
        "pkg:npm/send@0.19.2": ("required", True, 56, ()),
    }
    assert comps(result)["pkg:npm/debug@2.6.9"].locations == (Location("package-lock.json", 41),)
    assert edges(result) == {
        ("pkg:npm/nested-demo@1.0.0", "pkg:npm/debug@4.4.3"),
        ("pkg:npm/nested-demo@1.0.0", "pkg:npm/express@4.22.3"),
        ("pkg:npm/nested-demo@1.0.0", "pkg:npm/send@0.19.2"),
        ("pkg:npm/debug@4.4.3", "pkg:npm/ms@2.1.3"),  # its own nested copy
        ("pkg:npm/express@4.22.3", "pkg:npm/debug@2.6.9"),
        ("pkg:npm/express@4.22.3", "pkg:npm/send@0.19.2"),  # walks up to the top level
        ("pkg:npm/debug@2.6.9", "pkg:npm/ms@2.0.0"),
        ("pkg:npm/send@0.19.2", "pkg:npm/debug@2.6.9"),
        ("pkg:npm/send@0.19.2", "pkg:npm/ms@2.1.3"),
    }


@pytest.mark.parametrize(
    ("case", "expected_warnings", "refs"),
    [
        (
            "v3-missing-version",
            [(Msg.MISSING_VERSION, "package-lock.json:21", "nover")],
            {"pkg:npm/ms@2.1.3"},
        ),
        (
            "v3-missing-name",
            [
                (Msg.MISSING_NAME, "package-lock.json:11", "libs/orphan"),
                (Msg.MISSING_NAME, "package-lock.json:14", "node_modules/"),
            ],
            {"pkg:npm/ms@2.1.3"},
        ),
        (
            "v3-invalid-entry",
            [
                (
                    Msg.INVALID_ENTRY,
                    "package-lock.json:13",
                    "packages['node_modules/as-list'] is list, not an object",
                ),
                (
                    Msg.INVALID_ENTRY,
                    "package-lock.json:16",
                    "packages['node_modules/as-string'] is str, not an object",
                ),
                (Msg.MISSING_VERSION, "package-lock.json:32", "typed-version"),
            ],
            {"pkg:npm/confused@3.1.0", "pkg:npm/ms@2.1.3"},
        ),
        (
            "v3-unknown-dependency",
            [
                (Msg.UNKNOWN_DEPENDENCY, "package-lock.json:7", "left-out"),  # once per name
                (Msg.UNKNOWN_DEPENDENCY, "package-lock.json:21", "also-left-out"),
            ],
            {"pkg:npm/ms@2.1.3"},
        ),
        (
            "v3-unicode",
            [
                (
                    Msg.INVALID_ENTRY,
                    "package-lock.json:21",
                    "'bad\\ud800name': 'utf-8' codec can't encode character '\\ud800' "
                    "in position 3: surrogates not allowed",
                )
            ],
            {
                "pkg:npm/%40z%C3%BCrich/stra%C3%9Fe@1.0.0",
                "pkg:npm/%E6%97%A5%E6%9C%AC%E8%AA%9E@2.0.0-%C3%9F.1",
            },
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_bad_entries_are_warnings(
    case: str, expected_warnings: list[tuple[Msg, str, str]], refs: set[str]
) -> None:
    result = run(case)
    assert warnings(result) == expected_warnings
    assert set(comps(result)) == refs


def test_type_confused_fields_are_ignored() -> None:
    confused = comps(run("v3-invalid-entry"))["pkg:npm/confused@3.1.0"]
    assert (confused.scope, confused.hashes, confused.source_url) == (Scope.REQUIRED, (), None)
    assert confused.licenses == (License("MIT", False),)  # {"type": "MIT"}


def test_unicode_names_are_kept() -> None:
    result = run("v3-unicode")
    names = {c.name for c in result.components}
    assert names == {"@Zürich/straße", "日本語"}
    assert result.project is not None and result.project.name == "ユニコード-app"
    # the key is written as \\u escapes in the file and still gets its line
    assert comps(result)["pkg:npm/%E6%97%A5%E6%9C%AC%E8%AA%9E@2.0.0-%C3%9F.1"].locations == (
        Location("package-lock.json", 24),
    )


def test_v1_tree() -> None:
    result = run("v1-tree")
    git = (("sbomkit:source", "git"),)
    assert summary(result) == {
        "pkg:npm/debug@2.6.9": ("required", True, 7, ()),
        "pkg:npm/fsevents@2.3.3": ("optional", True, 15, ()),
        "pkg:npm/gitdep": ("required", True, 21, git),
        "pkg:npm/is-number@7.0.0": ("dev", True, 29, ()),
        "pkg:npm/localdep": ("required", True, 35, (("sbomkit:source", "file"),)),
        "pkg:npm/lodash@4.17.21": ("required", True, 38, (("sbomkit:alias", "lodash4"),)),
        "pkg:npm/ms@2.0.0": ("required", False, 43, ()),
        "pkg:npm/ms@2.1.3": ("required", False, 61, ()),
        "pkg:npm/send@0.19.2": ("required", True, 51, ()),
        "pkg:npm/tarball-url": ("required", True, 72, (("sbomkit:source", "url"),)),
        "pkg:npm/tiny-bundled@1.0.0": ("required", False, 66, (("sbomkit:bundled", "true"),)),
    }
    by_ref = comps(result)
    assert by_ref["pkg:npm/gitdep"].source_url == (
        "git+https://github.com/acme/gitdep.git#0123456789abcdef0123456789abcdef01234567"
    )
    assert by_ref["pkg:npm/localdep"].source_url == "file:../localdep"
    assert by_ref["pkg:npm/tarball-url"].hashes == (Hash("SHA-512", SHA512_EMPTY),)
    assert {
        ("pkg:npm/send@0.19.2", "pkg:npm/ms@2.1.3"),  # nested copy wins
        ("pkg:npm/send@0.19.2", "pkg:npm/debug@2.6.9"),  # walks up
        ("pkg:npm/debug@2.6.9", "pkg:npm/ms@2.0.0"),
        ("pkg:npm/gitdep", "pkg:npm/ms@2.0.0"),
        ("pkg:npm/legacy-app@3.2.1", "pkg:npm/is-number@7.0.0"),
    } <= edges(result)
    assert len(result.dependencies) == 13
    assert warnings(result) == [
        (Msg.MISSING_VERSION, "package-lock.json:48", "mystery"),
        (Msg.UNKNOWN_DEPENDENCY, "package-lock.json:21", "phantom"),
    ]


@pytest.mark.parametrize(
    ("case", "name", "project", "expected_edges"),
    [
        (
            "v1-no-manifest",
            "package-lock.json",
            "pkg:npm/lonely-lock@0.9.0",
            {("pkg:npm/debug@2.6.9", "pkg:npm/ms@2.0.0")},
        ),
        # npm < 5 wrote no "requires": nesting alone does not say who needs what
        ("shrinkwrap-npm4", "npm-shrinkwrap.json", "pkg:npm/old-service@1.0.0", set()),
    ],
    ids=["v1-no-manifest", "shrinkwrap-npm4"],
)
def test_v1_without_manifest_does_not_know_direct(
    case: str, name: str, project: str, expected_edges: set[tuple[str, str]]
) -> None:
    result = run(case, name)
    assert result.project is not None and result.project.ref == project
    assert {c.ref: c.direct for c in result.components} == {
        "pkg:npm/debug@2.6.9": None,
        "pkg:npm/ms@2.0.0": None,
    }
    assert comps(result)["pkg:npm/ms@2.0.0"].locations == (
        Location(name, 10 if "shrink" in case else 15),
    )
    assert edges(result) == expected_edges
    assert result.diagnostics == []


def test_project_from_package_json_when_the_lock_has_no_name() -> None:
    result = run("v3-root-from-manifest")
    assert result.project is not None
    assert (result.project.name, result.project.ref) == (
        "@Acme/from-manifest",
        "pkg:npm/%40acme/from-manifest@5.0.0",
    )
    assert edges(result) == {("pkg:npm/%40acme/from-manifest@5.0.0", "pkg:npm/ms@2.1.3")}


@pytest.mark.parametrize("layout", ["v3", "v1"])
def test_absurd_nesting_is_cut_off(tmp_path: Path, layout: str) -> None:
    """Resolution walks every level of a path: a thousand-level path must not hang."""
    if layout == "v3":
        deep = "/".join(["node_modules/a"] * 101)
        doc: dict[str, object] = {
            "lockfileVersion": 3,
            "packages": {"node_modules/a": {"version": "1.0.0"}, deep: {"version": "2.0.0"}},
        }
    else:
        tree: dict[str, object] = {"version": "2.0.0"}
        for _ in range(101):
            tree = {"version": "1.0.0", "dependencies": {"a": tree}}
        doc = {"lockfileVersion": 1, "dependencies": {"a": tree}}
    path = tmp_path / "package-lock.json"
    path.write_text(json.dumps(doc))
    result = PackageLockCataloger().catalog(Source(path, "package-lock.json"))
    assert [c.ref for c in result.components] == ["pkg:npm/a@1.0.0"]
    assert [(d.code, d.detail) for d in result.diagnostics] == [
        (Msg.INVALID_ENTRY, "nested deeper than 100 levels")
    ]


# -- shared helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
            (Hash("SHA-512", SHA512_EMPTY),),
        ),
        ("sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=", (Hash("SHA-1", SHA1_EMPTY),)),
        ("SHA1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=?opt", (Hash("SHA-1", SHA1_EMPTY),)),
        (
            "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk= md5-1B2M2Y8AsgTpgAmY7PhCfg==",
            (Hash("SHA-1", SHA1_EMPTY),),
        ),
        ("sha256-AAAA", ()),  # wrong digest length
        ("sha512-not base64!", ()),
        ("2jmj7l5rSw0yVb/vlWAYkK/YBwk=", ()),
        (None, ()),
        (["sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk="], ()),
    ],
    ids=["sha512", "sha1", "options", "unknown-algo", "short", "junk", "no-algo", "none", "list"],
)
def test_integrity(value: object, expected: tuple[Hash, ...]) -> None:
    assert integrity_hashes(value) == expected


@pytest.mark.parametrize(
    ("license_field", "legacy", "expected"),
    [
        ("MIT", None, ("MIT",)),
        ("(MIT OR Apache-2.0)", [{"type": "ISC"}], ("(MIT OR Apache-2.0)",)),
        ({"type": "BSD-3-Clause", "url": "x"}, None, ("BSD-3-Clause",)),
        (None, [{"type": "MIT"}, "GPL-2.0", {"type": "MIT"}, 7], ("MIT", "GPL-2.0")),
        ([{"type": "MIT"}], None, ("MIT",)),
        ("  ", None, ()),
        (5, {"type": "Apache-2.0"}, ("Apache-2.0",)),
    ],
)
def test_licenses(license_field: object, legacy: object, expected: tuple[str, ...]) -> None:
    assert licenses_of(license_field, legacy) == tuple(License(v, False) for v in expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jane <jane@example.com> (https://x)", "Jane <jane@example.com> (https://x)"),
        ({"name": "Jane", "email": "jane@example.com"}, "Jane <jane@example.com>"),
        ({"email": "jane@example.com"}, "jane@example.com"),
        ({"name": 3}, None),
        ("", None),
        (["Jane"], None),
    ],
)
def test_person(value: object, expected: str | None) -> None:
    assert person(value) == expected


@pytest.mark.parametrize(
    ("from_path", "name", "expected"),
    [
        ("", "a", "node_modules/a"),
        ("node_modules/b", "a", "node_modules/b/node_modules/a"),
        ("node_modules/b/node_modules/c", "a", "node_modules/b/node_modules/a"),
        ("node_modules/@s/n", "@t/x", "node_modules/@t/x"),
        ("packages/app", "a", "packages/app/node_modules/a"),
        ("packages/lib", "a", "node_modules/a"),
        ("node_modules/b", "zzz", None),
    ],
)
def test_node_resolution(from_path: str, name: str, expected: str | None) -> None:
    keys = {
        "node_modules/a",
        "node_modules/b",
        "node_modules/b/node_modules/a",
        "node_modules/b/node_modules/c",
        "node_modules/@t/x",
        "packages/app/node_modules/a",
    }
    assert node_resolve(keys, from_path, name) == expected


def test_scope_is_the_strongest_path() -> None:
    graph = {
        "app": [("lib", Scope.REQUIRED), ("opt", Scope.OPTIONAL)],
        "opt": [("shared", Scope.REQUIRED)],
        "tool": [("shared", Scope.REQUIRED), ("lib", Scope.REQUIRED), ("extra", Scope.OPTIONAL)],
    }
    roots = [("app", Scope.REQUIRED), ("tool", Scope.DEV)]
    assert scopes_by_reach(roots, graph) == {
        "app": Scope.REQUIRED,
        "lib": Scope.REQUIRED,
        "opt": Scope.OPTIONAL,
        "shared": Scope.OPTIONAL,
        "tool": Scope.DEV,
        "extra": Scope.DEV,
    }


def test_key_lines_search_forward_and_give_up_on_misses() -> None:
    text = '{\n  "packages": {\n    "a": {},\n    "b": [\n    ],\n    "c": 1\n  }\n}\n'
    lines = KeyLines(text, "packages")
    assert [lines.line("a"), lines.line("missing"), lines.line("b"), lines.line("c")] == [
        3,
        None,
        4,
        6,
    ]
    assert lines.line("a") is None  # never backwards
    many = KeyLines(text)
    assert [many.line(f"x{i}") for i in range(20)] == [None] * 20
    assert many.line("a") is None  # out of patience: a hostile file stays linear


# -- fuzzing: only CatalogError may escape -------------------------------------------------

_scalar = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
_names = st.sampled_from(["a", "b", "@s/c", "", "node_modules", "npm:a@1.0.0"]) | st.text(
    max_size=5
)
_deps = st.dictionaries(_names, _scalar, max_size=3) | _scalar
_entry = st.fixed_dictionaries(
    {},
    optional={
        "name": _names | _scalar,
        "version": st.sampled_from(["1.0.0", "npm:a@2", "git+x", "file:y"]) | _scalar,
        "resolved": st.sampled_from(["packages/a", "../x", "git+ssh://h/r.git#1", ""]) | _scalar,
        "integrity": st.sampled_from(["sha512-AAAA", "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk="]),
        "link": st.booleans() | _scalar,
        "dev": st.booleans(),
        "optional": st.booleans(),
        "devOptional": st.booleans(),
        "peer": st.booleans(),
        "license": _scalar | st.dictionaries(st.just("type"), _scalar),
        "dependencies": _deps,
        "requires": _deps,
        "optionalDependencies": _deps,
        "peerDependencies": _deps,
        "workspaces": st.lists(_names | _scalar, max_size=2) | _scalar,
    },
)
_paths = st.sampled_from(
    ["", "node_modules/a", "node_modules/a/node_modules/b", "packages/a", "node_modules/@s/c"]
) | st.text(max_size=12)
_lock = st.fixed_dictionaries(
    {"lockfileVersion": st.sampled_from([1, 2, 3])},
    optional={
        "name": _scalar,
        "packages": st.dictionaries(_paths, _entry | _scalar, max_size=6) | _scalar,
        "dependencies": st.recursive(
            st.dictionaries(_names, _entry, max_size=3),
            lambda inner: st.dictionaries(
                _names, _entry.map(lambda e: e) | st.fixed_dictionaries({"dependencies": inner})
            ),
            max_leaves=8,
        )
        | _scalar,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_lock, indent=st.sampled_from([None, 2]))
def test_fuzz_lockfile_shapes(doc: dict[str, object], indent: int | None) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "package-lock.json"
        path.write_text(json.dumps(doc, indent=indent), errors="surrogatepass")
        try:
            result = PackageLockCataloger().catalog(Source(path, "package-lock.json"))
        except CatalogError:
            return
        refs = {c.ref for c in result.components}
        if result.project is not None:
            refs.add(result.project.ref)
        assert {d.source for d in result.dependencies} <= refs
        assert {d.target for d in result.dependencies} <= refs

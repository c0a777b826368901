"""yarn-lock: yarn classic (v1) and berry (metadata 4, 6, 8, 10) lockfiles.

The realistic-*, *-workspaces, classic-alias-url, berry-patch-alias and berry-v4/v6/v8
fixtures were written by the real tools (yarn 1.22.22, @yarnpkg/cli-dist 2.4.3, 3.8.x,
4.0.2 and 4.18.1) from the package.json beside them. Their component counts were checked
independently with yarn's own parsers (@yarnpkg/lockfile, @yarnpkg/parsers' parseSyml)
by counting distinct name@version pairs. Git, unicode and sad-path fixtures are written
by hand in the tools' exact format.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as by_purl
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.javascript._spec import npm_alias, split_spec
from sbomkit.catalog.javascript.yarn_lock import YarnLockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Hash, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata" / "yarn-lock"
WS = ("sbomkit:source", "workspace")


def scan(case: str) -> CatalogResult:
    return YarnLockCataloger().catalog(Source(DATA / case / "yarn.lock", f"{case}/yarn.lock"))


# --- whole-file totals ------------------------------------------------------------------


TOTALS = [
    # case, components, edges, scopes, direct count, project
    (
        "realistic-classic",
        453,
        897,
        {"required": 200, "dev": 251, "optional": 2},
        39,
        "pkg:npm/realistic-app@1.4.0",
    ),
    (
        "realistic-berry",
        470,
        920,
        {"required": 200, "dev": 249, "optional": 21},
        39,
        "pkg:npm/realistic-app@1.4.0",
    ),
    (
        "classic-workspaces",
        104,
        178,
        {"required": 78, "dev": 25, "optional": 1},
        12,
        "pkg:npm/ws-root@2.0.0",
    ),
    (
        "berry-workspaces",
        107,
        181,
        {"required": 81, "dev": 25, "optional": 1},
        13,
        "pkg:npm/ws-root@2.0.0",
    ),
    ("classic-alias-url", 8, 10, {"required": 8}, 5, "pkg:npm/edge-app@0.1.0"),
    ("berry-patch-alias", 8, 10, {"required": 8}, 5, "pkg:npm/edge-app@0.1.0"),
    ("berry-v4", 15, 17, {"required": 14, "dev": 1}, 3, "pkg:npm/ver-app@1.0.0"),
    ("berry-v6", 15, 17, {"required": 14, "dev": 1}, 3, "pkg:npm/ver-app@1.0.0"),
    ("berry-v8", 15, 17, {"required": 14, "dev": 1}, 3, "pkg:npm/ver-app@1.0.0"),
]


@pytest.mark.parametrize(
    ("case", "components", "n_edges", "scopes", "direct", "project"),
    TOTALS,
    ids=[t[0] for t in TOTALS],
)
def test_totals(
    case: str, components: int, n_edges: int, scopes: dict[str, int], direct: int, project: str
) -> None:
    result = scan(case)
    assert len(result.components) == components
    assert len(result.dependencies) == n_edges
    assert dict(Counter(c.scope.value for c in result.components)) == scopes
    assert sum(1 for c in result.components if c.direct) == direct
    assert result.project is not None and result.project.ref == project
    assert result.diagnostics == []
    assert {c.ecosystem for c in result.components} == {"npm"}


# --- chosen components ------------------------------------------------------------------

P = ("sbomkit:patched", "true")

ROWS = [
    # case, purl, scope, direct, location, properties, source_url
    (
        "realistic-classic",
        "pkg:npm/%40babel/core@7.29.13",
        Scope.REQUIRED,
        True,
        "realistic-classic/yarn.lock:19",
        (),
        "https://registry.yarnpkg.com/@babel/core/-/core-7.29.13.tgz",
    ),
    (
        "realistic-classic",
        "pkg:npm/jest@29.7.0",
        Scope.DEV,
        True,
        "realistic-classic/yarn.lock:2320",
        (),
        "https://registry.yarnpkg.com/jest/-/jest-29.7.0.tgz",
    ),
    (
        "realistic-classic",
        "pkg:npm/lodash@4.17.21",
        Scope.REQUIRED,
        True,
        "realistic-classic/yarn.lock:2380",
        (("sbomkit:alias", "lodash4"),),
        "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz",
    ),
    (
        "realistic-classic",
        "pkg:npm/lodash@4.18.1",
        Scope.REQUIRED,
        True,
        "realistic-classic/yarn.lock:2385",
        (),
        "https://registry.yarnpkg.com/lodash/-/lodash-4.18.1.tgz",
    ),
    (
        "realistic-classic",
        "pkg:npm/bufferutil@4.1.0",
        Scope.OPTIONAL,
        True,
        "realistic-classic/yarn.lock:1092",
        (),
        "https://registry.yarnpkg.com/bufferutil/-/bufferutil-4.1.0.tgz",
    ),
    (  # only through bufferutil, an optional dependency
        "realistic-classic",
        "pkg:npm/node-gyp-build@4.8.4",
        Scope.OPTIONAL,
        False,
        "realistic-classic/yarn.lock:2536",
        (),
        "https://registry.yarnpkg.com/node-gyp-build/-/node-gyp-build-4.8.4.tgz",
    ),
    (  # an optional dependency of jest-haste-map, itself dev only
        "realistic-classic",
        "pkg:npm/fsevents@2.3.3",
        Scope.DEV,
        False,
        "realistic-classic/yarn.lock:1635",
        (),
        "https://registry.yarnpkg.com/fsevents/-/fsevents-2.3.3.tgz",
    ),
    (
        "realistic-classic",
        "pkg:npm/string-width@4.2.3",
        Scope.REQUIRED,
        False,
        "realistic-classic/yarn.lock:3065",
        (("sbomkit:alias", "string-width-cjs"),),
        "https://registry.yarnpkg.com/string-width/-/string-width-4.2.3.tgz",
    ),
    (  # yarn's builtin compat patch; the unpatched base entry merges into it
        "realistic-berry",
        "pkg:npm/typescript@5.9.3",
        Scope.DEV,
        True,
        "realistic-berry/yarn.lock:4424",
        (P,),
        None,
    ),
    (
        "realistic-berry",
        "pkg:npm/lodash@4.17.21",
        Scope.REQUIRED,
        True,
        "realistic-berry/yarn.lock:3175",
        (("sbomkit:alias", "lodash4"),),
        None,
    ),
    (
        "realistic-berry",
        "pkg:npm/resolve@1.22.14",
        Scope.REQUIRED,
        False,
        "realistic-berry/yarn.lock:3931",
        (P,),
        None,
    ),
    (
        "classic-workspaces",
        "pkg:npm/%40acme/api@0.3.0",
        Scope.REQUIRED,
        True,
        "classic-workspaces/packages/api/package.json",
        (WS,),
        None,
    ),
    (  # dev dependency of the @acme/api member
        "classic-workspaces",
        "pkg:npm/supertest@6.3.4",
        Scope.DEV,
        True,
        "classic-workspaces/yarn.lock:666",
        (),
        "https://registry.yarnpkg.com/supertest/-/supertest-6.3.4.tgz",
    ),
    (
        "classic-workspaces",
        "pkg:npm/linked-lib",
        Scope.REQUIRED,
        True,
        "classic-workspaces/yarn.lock:417",
        (("sbomkit:source", "link"),),
        "link:./linked-lib",
    ),
    (
        "classic-workspaces",
        "pkg:npm/local-lib@1.0.0",
        Scope.REQUIRED,
        True,
        "classic-workspaces/yarn.lock:421",
        (("sbomkit:source", "file"),),
        "file:./local-lib",
    ),
    (
        "classic-workspaces",
        "pkg:npm/is-positive@3.1.0",
        Scope.REQUIRED,
        True,
        "classic-workspaces/yarn.lock:408",
        (("sbomkit:source", "url"),),
        "https://registry.npmjs.org/is-positive/-/is-positive-3.1.0.tgz",
    ),
    (
        "classic-workspaces",
        "pkg:npm/is-number@7.0.0",
        Scope.OPTIONAL,
        True,
        "classic-workspaces/yarn.lock:403",
        (),
        "https://registry.yarnpkg.com/is-number/-/is-number-7.0.0.tgz",
    ),
    (
        "berry-workspaces",
        "pkg:npm/%40acme/shared@0.1.0",
        Scope.REQUIRED,
        True,
        "berry-workspaces/yarn.lock:18",
        (WS,),
        None,
    ),
    (
        "berry-workspaces",
        "pkg:npm/supertest@6.3.4",
        Scope.DEV,
        True,
        "berry-workspaces/yarn.lock:909",
        (),
        None,
    ),
    (
        "berry-workspaces",
        "pkg:npm/portal-lib",
        Scope.REQUIRED,
        True,
        "berry-workspaces/yarn.lock:716",
        (("sbomkit:source", "portal"),),
        "portal:./portal-lib",
    ),
    (
        "berry-workspaces",
        "pkg:npm/linked-lib",
        Scope.REQUIRED,
        True,
        "berry-workspaces/yarn.lock:572",
        (("sbomkit:source", "link"),),
        "link:./linked-lib",
    ),
    (
        "berry-workspaces",
        "pkg:npm/local-lib@1.0.0",
        Scope.REQUIRED,
        True,
        "berry-workspaces/yarn.lock:578",
        (("sbomkit:source", "file"),),
        "file:./local-lib",
    ),
    (  # optionalDependencies: dependenciesMeta {optional: true} on the root workspace
        "berry-workspaces",
        "pkg:npm/is-number@7.0.0",
        Scope.OPTIONAL,
        True,
        "berry-workspaces/yarn.lock:542",
        (),
        None,
    ),
    (
        "classic-alias-url",
        "pkg:npm/%40types/ms@0.7.34",
        Scope.REQUIRED,
        True,
        "classic-alias-url/yarn.lock:5",
        (("sbomkit:alias", "@scoped/alias"),),
        "https://registry.yarnpkg.com/@types/ms/-/ms-0.7.34.tgz",
    ),
    (
        "classic-alias-url",
        "pkg:npm/is-positive@3.1.0",
        Scope.REQUIRED,
        True,
        "classic-alias-url/yarn.lock:10",
        (("sbomkit:source", "url"),),
        "https://registry.yarnpkg.com/is-positive/-/is-positive-3.1.0.tgz",
    ),
    (  # a user patch: patch:left-pad@npm%3A1.3.0#./patches/...
        "berry-patch-alias",
        "pkg:npm/left-pad@1.3.0",
        Scope.REQUIRED,
        True,
        "berry-patch-alias/yarn.lock:41",
        (P,),
        None,
    ),
    (
        "berry-patch-alias",
        "pkg:npm/react@18.2.0",
        Scope.REQUIRED,
        True,
        "berry-patch-alias/yarn.lock:66",
        (("sbomkit:alias", "my-react"),),
        None,
    ),
    (
        "classic-git",
        "pkg:npm/is-positive@3.1.0",
        Scope.REQUIRED,
        False,
        "classic-git/yarn.lock:5",
        (("sbomkit:source", "git"),),
        "git+https://github.com/kevva/is-positive.git#97edff6f525f192a3f83cea1944765f769ae2678",
    ),
    (
        "classic-git",
        "pkg:npm/left-pad@1.3.0",
        Scope.REQUIRED,
        True,
        "classic-git/yarn.lock:9",
        (("sbomkit:source", "git"),),
        "https://codeload.github.com/stevemao/left-pad/tar.gz/4ff9b1d8d4a27bcb28a2d9d5cf0e7fb8d3e8d421",
    ),
    (
        "berry-git",
        "pkg:npm/left-pad@1.3.0",
        Scope.REQUIRED,
        True,
        "berry-git/yarn.lock:23",
        (("sbomkit:source", "git"),),
        "https://github.com/stevemao/left-pad.git#commit=4ff9b1d8d4a27bcb28a2d9d5cf0e7fb8d3e8d421",
    ),
    (
        "berry-v4",
        "pkg:npm/%40babel/code-frame@7.22.13",
        Scope.REQUIRED,
        True,
        "berry-v4/yarn.lock:8",
        (),
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "purl", "scope", "direct", "location", "properties", "source_url"),
    ROWS,
    ids=[f"{r[0]}:{r[1]}" for r in ROWS],
)
def test_component(
    case: str,
    purl: str,
    scope: Scope,
    direct: bool,
    location: str,
    properties: tuple[tuple[str, str], ...],
    source_url: str | None,
) -> None:
    c = by_purl(scan(case))[purl]
    assert (c.scope, c.direct, [str(loc) for loc in c.locations]) == (scope, direct, [location])
    assert (c.properties, c.source_url) == (properties, source_url)


HASHES = [
    (  # integrity wins over the #sha1 fragment of `resolved`
        "realistic-classic",
        "pkg:npm/lodash@4.17.21",
        (
            Hash(
                "SHA-512",
                "bf690311ee7b95e713ba568322e3533f2dd1cb880b189e99d4edef13592b81764daec43e2c54c61d5c558dc5cfb35ecb85b65519e74026ff17675b6f8f916f4a",
            ),
        ),
    ),
    (  # no integrity line: the #sha1 fragment of `resolved`
        "classic-alias-url",
        "pkg:npm/is-positive@3.1.0",
        (Hash("SHA-1", "857db584a1ba5d1cb2980527fc3b6c435d37b0fd"),),
    ),
    # berry's checksum is of yarn's cache zip, not the package tarball: no hash
    ("realistic-berry", "pkg:npm/lodash@4.17.21", ()),
    ("classic-git", "pkg:npm/is-positive@3.1.0", ()),  # the fragment is a commit
]


@pytest.mark.parametrize(("case", "purl", "hashes"), HASHES, ids=[f"{h[0]}:{h[1]}" for h in HASHES])
def test_hashes(case: str, purl: str, hashes: tuple[Hash, ...]) -> None:
    assert by_purl(scan(case))[purl].hashes == hashes


EDGES = [
    ("realistic-classic", "pkg:npm/realistic-app@1.4.0", "pkg:npm/lodash@4.17.21"),
    ("realistic-classic", "pkg:npm/realistic-app@1.4.0", "pkg:npm/jest@29.7.0"),
    ("realistic-classic", "pkg:npm/express@4.22.3", "pkg:npm/body-parser@1.20.9"),
    ("realistic-classic", "pkg:npm/debug@2.6.9", "pkg:npm/ms@2.0.0"),
    ("realistic-berry", "pkg:npm/debug@2.6.9", "pkg:npm/ms@2.0.0"),
    ("realistic-berry", "pkg:npm/bufferutil@4.1.0", "pkg:npm/node-gyp-build@4.8.4"),
    ("classic-workspaces", "pkg:npm/ws-root@2.0.0", "pkg:npm/%40acme/api@0.3.0"),
    ("classic-workspaces", "pkg:npm/%40acme/api@0.3.0", "pkg:npm/%40acme/shared@0.1.0"),
    ("classic-workspaces", "pkg:npm/%40acme/shared@0.1.0", "pkg:npm/ms@2.1.3"),
    ("classic-workspaces", "pkg:npm/local-lib@1.0.0", "pkg:npm/left-pad@1.3.0"),
    ("berry-workspaces", "pkg:npm/ws-root@2.0.0", "pkg:npm/%40acme/shared@0.1.0"),
    ("berry-workspaces", "pkg:npm/%40acme/api@0.3.0", "pkg:npm/%40acme/shared@0.1.0"),
    ("berry-workspaces", "pkg:npm/%40acme/api@0.3.0", "pkg:npm/supertest@6.3.4"),
    ("berry-workspaces", "pkg:npm/portal-lib", "pkg:npm/is-odd@3.0.1"),
    ("berry-workspaces", "pkg:npm/ws-root@2.0.0", "pkg:npm/linked-lib"),
    ("berry-patch-alias", "pkg:npm/edge-app@0.1.0", "pkg:npm/left-pad@1.3.0"),
    ("berry-patch-alias", "pkg:npm/edge-app@0.1.0", "pkg:npm/%40types/ms@0.7.34"),
    ("berry-git", "pkg:npm/left-pad@1.3.0", "pkg:npm/is-positive@3.1.0"),
    ("berry-v4", "pkg:npm/%40babel/code-frame@7.22.13", "pkg:npm/chalk@2.4.2"),
]


@pytest.mark.parametrize(("case", "source", "target"), EDGES, ids=[f"{e[0]}:{e[2]}" for e in EDGES])
def test_edge(case: str, source: str, target: str) -> None:
    assert (source, target) in edges(scan(case))


def test_dev_only_package_has_no_runtime_edge_from_project() -> None:
    result = scan("realistic-classic")
    assert ("pkg:npm/realistic-app@1.4.0", "pkg:npm/jest-cli@29.7.0") not in edges(result)
    assert ("pkg:npm/jest@29.7.0", "pkg:npm/jest-cli@29.7.0") in edges(result)


def test_member_dev_dependency_is_an_edge_from_the_member_not_the_project() -> None:
    got = edges(scan("classic-workspaces"))
    assert ("pkg:npm/%40acme/api@0.3.0", "pkg:npm/supertest@6.3.4") in got
    assert ("pkg:npm/ws-root@2.0.0", "pkg:npm/supertest@6.3.4") not in got


# --- npm specs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("lodash@^4.17.21", ("lodash", "^4.17.21")),
        ("@babel/core@^7.0.0", ("@babel/core", "^7.0.0")),
        ("lodash4@npm:lodash@4.17.21", ("lodash4", "npm:lodash@4.17.21")),
        ("@scope/name", ("@scope/name", "")),
        ("left-pad", ("left-pad", "")),
    ],
)
def test_split_spec(spec: str, expected: tuple[str, str]) -> None:
    assert split_spec(spec) == expected


@pytest.mark.parametrize(
    ("range_", "real"),
    [
        ("npm:lodash@4.17.21", "lodash"),
        ("npm:@types/ms@0.7.34", "@types/ms"),
        ("npm:7zip-bin@5.0.0", "7zip-bin"),
        ("npm:^1.0.0", None),  # berry's npm protocol, not an alias
        ("npm:1.2.3", None),
        ("^4.17.21", None),
        ("npm:", None),
    ],
)
def test_npm_alias(range_: str, real: str | None) -> None:
    assert npm_alias(range_) == real


# --- without package.json ---------------------------------------------------------------


def test_classic_without_manifest_has_unknown_direct_and_required_scope() -> None:
    result = scan("classic-no-manifest")
    assert result.project is None
    assert [(str(c.purl), c.scope, c.direct) for c in result.components] == [
        ("pkg:npm/debug@4.4.3", Scope.REQUIRED, None),
        ("pkg:npm/ms@2.1.3", Scope.REQUIRED, None),
    ]
    assert edges(result) == {("pkg:npm/debug@4.4.3", "pkg:npm/ms@2.1.3")}
    assert result.diagnostics == []


def test_berry_without_manifest_names_project_from_root_workspace() -> None:
    result = scan("berry-no-manifest")
    assert result.project is not None
    assert (result.project.ref, [str(x) for x in result.project.locations]) == (
        "pkg:npm/no-manifest",
        ["berry-no-manifest/yarn.lock:31"],
    )
    # the workspace entry names direct dependencies; only package.json could say "dev"
    assert [(str(c.purl), c.scope, c.direct) for c in result.components] == [
        ("pkg:npm/debug@4.4.3", Scope.REQUIRED, True),
        ("pkg:npm/left-pad@1.3.0", Scope.REQUIRED, True),
        ("pkg:npm/ms@2.1.3", Scope.REQUIRED, False),
    ]
    assert ("pkg:npm/no-manifest", "pkg:npm/left-pad@1.3.0") in edges(result)


@pytest.mark.parametrize("case", ["classic-unicode", "berry-unicode"])
def test_unicode_names_are_kept(case: str) -> None:
    result = scan(case)
    assert [(c.name, c.version, c.direct) for c in result.components] == [
        ("@scöpe/naïve", "1.0.0", True),
        ("日本語-パッケージ", "2.0.0", False),
    ]
    assert result.project is not None and result.project.name == "ünïcode-app"
    assert len(result.dependencies) == 2
    assert result.diagnostics == []


# --- sad paths --------------------------------------------------------------------------

ERRORS = [
    ("empty", Msg.WRONG_FORMAT, "empty file"),
    ("wrong-format", Msg.WRONG_FORMAT, "neither '# yarn lockfile v1' nor '__metadata' found"),
    ("invalid-yaml", Msg.WRONG_FORMAT, "invalid YAML at line 12: found unexpected end of stream"),
    ("classic-unsupported", Msg.UNSUPPORTED_VERSION, "yarn lockfile v2"),
    ("berry-unsupported", Msg.UNSUPPORTED_VERSION, "__metadata version '2'"),
]


@pytest.mark.parametrize(("case", "code", "detail"), ERRORS, ids=[e[0] for e in ERRORS])
def test_unusable_file(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError, match="yarn.lock") as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        code,
        f"{case}/yarn.lock",
        detail,
    )


WARNINGS = [
    (
        "classic-missing-version",
        [(Msg.MISSING_VERSION, "classic-missing-version/yarn.lock:12", "ms")],
        ["pkg:npm/debug@4.4.3"],
    ),
    (
        "berry-missing-version",
        [(Msg.MISSING_VERSION, "berry-missing-version/yarn.lock:20", "ms")],
        ["pkg:npm/debug@4.4.3"],
    ),
    (  # the second `ms@^2.1.3` is dropped; ms@2.0.0 still has a fresh pattern
        "classic-duplicates",
        [(Msg.DUPLICATE_ENTRY, "classic-duplicates/yarn.lock:10", "ms@^2.1.3")],
        ["pkg:npm/ms@2.0.0", "pkg:npm/ms@2.1.3"],
    ),
    (  # a repeated descriptor, then a repeated YAML key; the first entry wins both times
        "berry-duplicates",
        [
            (Msg.DUPLICATE_ENTRY, "berry-duplicates/yarn.lock:15", "ms@npm:^2.1.3"),
            (Msg.DUPLICATE_ENTRY, "berry-duplicates/yarn.lock:22", "ms@npm:2.1.3, ms@npm:^2.1.3"),
        ],
        ["pkg:npm/ms@2.1.3"],
    ),
    (
        "classic-bad-keys",
        [
            (Msg.MISSING_NAME, "classic-bad-keys/yarn.lock:5", "@^1.0.0"),
            (Msg.MISSING_NAME, "classic-bad-keys/yarn.lock:8", "@scope@1.0.0"),
            (
                Msg.INVALID_ENTRY,
                "classic-bad-keys/yarn.lock:11",
                "cannot read a package name from 'bad/name@1.0.0'",
            ),
            (
                Msg.INVALID_ENTRY,
                "classic-bad-keys/yarn.lock:14",
                "expected '<pattern>:', got 'this line is not an entry'",
            ),
        ],
        ["pkg:npm/ms@2.1.3"],
    ),
    (
        "berry-bad-keys",
        [
            (Msg.MISSING_NAME, "berry-bad-keys/yarn.lock:8", "@npm:^1.0.0"),
            (
                Msg.INVALID_ENTRY,
                "berry-bad-keys/yarn.lock:14",
                "cannot read a package name from 'bad name@npm:1.0.0'",
            ),
            (
                Msg.INVALID_ENTRY,
                "berry-bad-keys/yarn.lock:20",
                "just-a-string@npm:1.0.0: not a mapping",
            ),
        ],
        ["pkg:npm/ms@2.1.3"],
    ),
    (  # ms is missing twice but reported once
        "classic-unknown-dependency",
        [
            (Msg.UNKNOWN_DEPENDENCY, "classic-unknown-dependency/yarn.lock:5", "ms@^2.1.3"),
            (Msg.UNKNOWN_DEPENDENCY, "classic-unknown-dependency/yarn.lock:12", "debug@2.6.9"),
        ],
        ["pkg:npm/debug@4.4.3", "pkg:npm/send@0.19.2"],
    ),
]


@pytest.mark.parametrize(("case", "expected", "purls"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_bad_entries_warn_and_the_rest_is_used(
    case: str, expected: list[tuple[Msg, str, str]], purls: list[str]
) -> None:
    result = scan(case)
    assert diags(result) == expected
    assert [str(c.purl) for c in result.components] == purls


def test_duplicate_pattern_keeps_the_first_entry() -> None:
    result = scan("classic-duplicates")
    assert [(str(c.purl), str(c.locations[0])) for c in result.components] == [
        ("pkg:npm/ms@2.0.0", "classic-duplicates/yarn.lock:15"),
        ("pkg:npm/ms@2.1.3", "classic-duplicates/yarn.lock:5"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "a: " + "[" * 100_000,
        "__metadata:\n  version: 8\nx: " + "{a: " * 50_000 + "}" * 50_000,
        "- " * 100_000 + "a",
    ],
    ids=["deep-list", "deep-unclosed", "deep-entry", "deep-block"],
)
def test_deep_nesting_is_refused_quickly_never_a_crash(tmp_path: Path, text: str) -> None:
    """libyaml's composer segfaults at ~50,000 levels and its scanner takes a minute."""
    path = tmp_path / "yarn.lock"
    path.write_text(text)
    start = time.perf_counter()
    with pytest.raises(CatalogError) as info:
        YarnLockCataloger().catalog(Source(path, "yarn.lock"))
    assert time.perf_counter() - start < 1.0
    line = 3 if text.startswith("__metadata") else 1
    assert (info.value.code, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"nesting deeper than 64 levels at line {line}",
    )


# --- robustness: real lockfiles with random damage never raise anything else -----------

_SEEDS = ["classic-workspaces", "berry-workspaces", "berry-patch-alias", "classic-alias-url"]
_NOISE = st.sampled_from(list(" \n:@/\"'#,-{}[]\\\t") + ["npm:", "patch:", "é", "  ", "\ud800"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_lockfiles_raise_only_catalog_error(data: st.DataObject) -> None:
    case = data.draw(st.sampled_from(_SEEDS))
    lines = (DATA / case / "yarn.lock").read_text().split("\n")
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.integers(0, 3))
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[data.draw(st.integers(0, len(lines) - 1))])
        elif op == 2:
            j = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + data.draw(_NOISE) + lines[i][j + 1 :]
        else:
            lines[i] = " " * data.draw(st.integers(0, 6)) + lines[i].lstrip()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "yarn.lock"
        path.write_text("\n".join(lines), errors="surrogatepass")
        with contextlib.suppress(CatalogError):
            YarnLockCataloger().catalog(Source(path, "yarn.lock"))

"""pnpm-lock: lockfile versions 5.4 (pnpm 7), 6.0 (pnpm 8) and 9.0 (pnpm 9).

realistic-v*, workspaces-v* and patch-alias-v* were written by pnpm 7.33.7, 8.15.9 and
9.15.9 (``pnpm install --lockfile-only --ignore-scripts``) from the package.json files
beside them; their component counts were checked independently with js-yaml in node by
counting distinct name@version pairs of ``packages:`` (and package-to-package edges of
``snapshots:``). git-v6 and git-v9 (GitHub is out of reach from the build machine),
unicode and the sad paths are written by hand in pnpm's exact format.
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
from sbomkit.catalog.javascript.pnpm_lock import PnpmLockCataloger
from sbomkit.catalog.yaml_doc import load_yaml
from sbomkit.i18n import Msg
from sbomkit.model import Hash, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata" / "pnpm-lock"
WS = ("sbomkit:source", "workspace")


def scan(case: str) -> CatalogResult:
    return PnpmLockCataloger().catalog(
        Source(DATA / case / "pnpm-lock.yaml", f"{case}/pnpm-lock.yaml")
    )


# --- whole-file totals ------------------------------------------------------------------

APP, WSR, EDGE = "pkg:npm/realistic-app@1.4.0", "pkg:npm/ws-root@2.0.0", "pkg:npm/edge-app@0.1.0"
TOTALS = [
    # case, components, edges, scopes, direct count, project
    ("realistic-v9", 451, 928, {"required": 200, "dev": 245, "optional": 6}, 39, APP),
    # 6.0 and 5.4 state scope with dev flags: ws's auto-installed peer bufferutil is not
    # marked optional there, while 9.0's reachability sees it only through optional edges
    ("realistic-v6", 451, 927, {"required": 206, "dev": 245}, 39, APP),
    ("realistic-v5", 451, 927, {"required": 204, "dev": 247}, 39, APP),
    ("workspaces-v9", 104, 178, {"required": 78, "dev": 25, "optional": 1}, 12, WSR),
    ("workspaces-v6", 104, 178, {"required": 78, "dev": 25, "optional": 1}, 12, WSR),
    ("workspaces-v5", 104, 178, {"required": 78, "dev": 25, "optional": 1}, 12, WSR),
    ("patch-alias-v9", 8, 11, {"required": 8}, 5, EDGE),
    ("patch-alias-v6", 9, 12, {"required": 9}, 5, EDGE),  # react-dom's peer took react 18.3.1
    ("patch-alias-v5", 8, 11, {"required": 8}, 5, EDGE),
    ("git-v9", 2, 3, {"required": 2}, 2, "pkg:npm/git-app@0.0.1"),
    ("git-v6", 2, 3, {"required": 2}, 2, "pkg:npm/git-app@0.0.1"),
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


@pytest.mark.parametrize("case", ["realistic-v9", "realistic-v6", "realistic-v5"])
def test_peer_suffixes_are_stripped_and_variants_merged(case: str) -> None:
    result = scan(case)
    versions = [c.version or "" for c in result.components]
    assert [v for v in versions if "(" in v or "_" in v] == []
    assert len({str(c.purl) for c in result.components}) == len(result.components)


# --- chosen components ------------------------------------------------------------------

ROWS = [
    # case, purl, scope, direct, location, properties, source_url
    ("realistic-v9", "pkg:npm/lodash@4.17.21", Scope.REQUIRED, True, 1331,
     (("sbomkit:alias", "lodash4"),), None),
    ("realistic-v6", "pkg:npm/lodash@4.17.21", Scope.REQUIRED, True, 2566,
     (("sbomkit:alias", "lodash4"),), None),
    ("realistic-v5", "pkg:npm/lodash@4.17.21", Scope.REQUIRED, True, 2538,
     (("sbomkit:alias", "lodash4"),), None),
    ("realistic-v9", "pkg:npm/typescript@5.9.3", Scope.DEV, True, 1823, (), None),
    ("realistic-v6", "pkg:npm/typescript@5.9.3", Scope.DEV, True, 3355, (), None),
    ("realistic-v5", "pkg:npm/typescript@5.9.3", Scope.DEV, True, 3327, (), None),
    ("realistic-v9", "pkg:npm/bufferutil@4.1.0", Scope.OPTIONAL, True, 661, (), None),
    ("realistic-v9", "pkg:npm/fsevents@2.3.3", Scope.DEV, False, 980, (), None),
    # 5.4 key `/@emotion/react/11.14.0_ldrqq4ddkzwykih5vpyejmhynu` (hashed peer suffix)
    ("realistic-v5", "pkg:npm/%40emotion/react@11.14.0", Scope.REQUIRED, True, 435, (), None),
    # 6.0 key `/react-dom@18.3.1(react@18.3.1)`
    ("realistic-v6", "pkg:npm/react-dom@18.3.1", Scope.REQUIRED, True, 2968, (), None),
    ("realistic-v9", "pkg:npm/%40babel/helper-module-transforms@7.29.14", Scope.REQUIRED, False,
     161, (), None),
    ("workspaces-v9", "pkg:npm/%40acme/api@0.3.0", Scope.REQUIRED, True, 35, (WS,), None),
    ("workspaces-v6", "pkg:npm/%40acme/shared@0.1.0", Scope.REQUIRED, True, 48, (WS,), None),
    ("workspaces-v5", "pkg:npm/%40acme/api@0.3.0", Scope.REQUIRED, True, 25, (WS,), None),
    ("workspaces-v9", "pkg:npm/supertest@6.3.4", Scope.DEV, True, 410, (), None),
    ("workspaces-v9", "pkg:npm/is-number@7.0.0", Scope.OPTIONAL, True, 266, (), None),
    ("workspaces-v9", "pkg:npm/linked-lib", Scope.REQUIRED, True, 9,
     (("sbomkit:source", "link"),), "link:linked-lib"),
    ("workspaces-v9", "pkg:npm/local-lib", Scope.REQUIRED, True, 277,
     (("sbomkit:source", "file"),), "file:local-lib"),
    ("workspaces-v6", "pkg:npm/local-lib", Scope.REQUIRED, True, 737,
     (("sbomkit:source", "file"),), "file:local-lib"),
    ("workspaces-v5", "pkg:npm/local-lib@1.0.0", Scope.REQUIRED, True, 725,
     (("sbomkit:source", "file"),), "file:local-lib"),
    ("patch-alias-v9", "pkg:npm/left-pad@1.3.0", Scope.REQUIRED, True, 45,
     (("sbomkit:patched", "true"),), None),
    ("patch-alias-v6", "pkg:npm/left-pad@1.3.0", Scope.REQUIRED, True, 39,
     (("sbomkit:patched", "true"),), None),
    ("patch-alias-v5", "pkg:npm/left-pad@1.3.0", Scope.REQUIRED, True, 32,
     (("sbomkit:patched", "true"),), None),
    ("patch-alias-v9", "pkg:npm/%40types/ms@0.7.34", Scope.REQUIRED, True, 34,
     (("sbomkit:alias", "@scoped/alias"),), None),
    ("patch-alias-v5", "pkg:npm/react@18.2.0", Scope.REQUIRED, True, 54,
     (("sbomkit:alias", "my-react"),), None),
    ("patch-alias-v9", "pkg:npm/is-positive@3.1.0", Scope.REQUIRED, True, 37,
     (("sbomkit:source", "url"),),
     "https://registry.yarnpkg.com/is-positive/-/is-positive-3.1.0.tgz"),
    ("patch-alias-v6", "pkg:npm/is-positive@3.1.0", Scope.REQUIRED, True, 81,
     (("sbomkit:source", "url"),),
     "https://registry.yarnpkg.com/is-positive/-/is-positive-3.1.0.tgz"),
    ("git-v9", "pkg:npm/is-positive@3.1.0", Scope.REQUIRED, True, 20,
     (("sbomkit:source", "git"),),
     "https://codeload.github.com/kevva/is-positive/tar.gz/97edff6f525f192a3f83cea1944765f769ae2678"),
    ("git-v9", "pkg:npm/left-pad@1.3.0", Scope.REQUIRED, True, 25,
     (("sbomkit:source", "git"),),
     "git@github.com:stevemao/left-pad.git#4ff9b1d8d4a27bcb28a2d9d5cf0e7fb8d3e8d421"),
    ("git-v6", "pkg:npm/left-pad@1.3.0", Scope.REQUIRED, True, 17,
     (("sbomkit:source", "git"),),
     "git@github.com:stevemao/left-pad.git#4ff9b1d8d4a27bcb28a2d9d5cf0e7fb8d3e8d421"),
    ("git-v6", "pkg:npm/is-positive@3.1.0", Scope.REQUIRED, True, 25,
     (("sbomkit:source", "git"),),
     "https://codeload.github.com/kevva/is-positive/tar.gz/97edff6f525f192a3f83cea1944765f769ae2678"),
    ("unicode", "pkg:npm/%40sc%C3%B6pe/na%C3%AFve@1.0.0", Scope.REQUIRED, True, 17, (),
     "https://registry.example.com/@scöpe/naïve/-/naïve-1.0.0.tgz"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "purl", "scope", "direct", "line", "properties", "source_url"),
    ROWS,
    ids=[f"{r[0]}:{r[1]}" for r in ROWS],
)
def test_component(
    case: str,
    purl: str,
    scope: Scope,
    direct: bool,
    line: int,
    properties: tuple[tuple[str, str], ...],
    source_url: str | None,
) -> None:
    c = by_purl(scan(case))[purl]
    assert (c.scope, c.direct, [str(loc) for loc in c.locations]) == (
        scope,
        direct,
        [f"{case}/pnpm-lock.yaml:{line}"],
    )
    assert (c.properties, c.source_url) == (properties, source_url)


LODASH_SHA512 = (
    "bf690311ee7b95e713ba568322e3533f2dd1cb880b189e99d4edef13592b81764daec43e2c54c61d5c558dc5cf"
    "b35ecb85b65519e74026ff17675b6f8f916f4a"
)


@pytest.mark.parametrize("case", ["realistic-v9", "realistic-v6", "realistic-v5"])
def test_integrity_becomes_a_hex_hash(case: str) -> None:
    assert by_purl(scan(case))["pkg:npm/lodash@4.17.21"].hashes == (Hash("SHA-512", LODASH_SHA512),)


EDGES = [
    ("realistic-v9", APP, "pkg:npm/lodash@4.17.21"),
    ("realistic-v9", APP, "pkg:npm/jest@29.7.0"),
    ("realistic-v9", "pkg:npm/react-dom@18.3.1", "pkg:npm/react@18.3.1"),
    ("realistic-v6", "pkg:npm/react-dom@18.3.1", "pkg:npm/react@18.3.1"),
    ("realistic-v5", "pkg:npm/react-dom@18.3.1", "pkg:npm/react@18.3.1"),
    ("realistic-v5", "pkg:npm/%40babel/core@7.29.13",
     "pkg:npm/%40babel/helper-module-transforms@7.29.14"),
    ("realistic-v9", "pkg:npm/bufferutil@4.1.0", "pkg:npm/node-gyp-build@4.8.4"),
    ("workspaces-v9", WSR, "pkg:npm/%40acme/api@0.3.0"),
    ("workspaces-v9", WSR, "pkg:npm/%40acme/shared@0.1.0"),
    ("workspaces-v9", "pkg:npm/%40acme/api@0.3.0", "pkg:npm/%40acme/shared@0.1.0"),
    ("workspaces-v9", "pkg:npm/%40acme/api@0.3.0", "pkg:npm/supertest@6.3.4"),
    ("workspaces-v5", "pkg:npm/%40acme/shared@0.1.0", "pkg:npm/ms@2.1.3"),
    ("workspaces-v6", WSR, "pkg:npm/linked-lib"),
    ("workspaces-v9", "pkg:npm/local-lib", "pkg:npm/left-pad@1.3.0"),
    ("patch-alias-v9", EDGE, "pkg:npm/react@18.2.0"),
    ("git-v9", "pkg:npm/left-pad@1.3.0", "pkg:npm/is-positive@3.1.0"),
    ("git-v6", "pkg:npm/left-pad@1.3.0", "pkg:npm/is-positive@3.1.0"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "source", "target"), EDGES, ids=[f"{e[0]}:{e[2]}" for e in EDGES])
def test_edge(case: str, source: str, target: str) -> None:
    assert (source, target) in edges(scan(case))


def test_member_dev_dependency_is_an_edge_from_the_member_not_the_project() -> None:
    got = edges(scan("workspaces-v9"))
    assert ("pkg:npm/%40acme/api@0.3.0", "pkg:npm/supertest@6.3.4") in got
    assert (WSR, "pkg:npm/supertest@6.3.4") not in got


def test_without_package_json_there_is_no_project_but_direct_is_known() -> None:
    result = scan("no-manifest-v9")
    assert result.project is None
    assert [(str(c.purl), c.direct) for c in result.components] == [
        ("pkg:npm/%40types/ms@0.7.34", True),
        ("pkg:npm/is-positive@3.1.0", True),
        ("pkg:npm/js-tokens@4.0.0", False),
        ("pkg:npm/left-pad@1.3.0", True),
        ("pkg:npm/loose-envify@1.4.0", False),
        ("pkg:npm/react-dom@18.2.0", True),
        ("pkg:npm/react@18.2.0", True),
        ("pkg:npm/scheduler@0.23.2", False),
    ]
    assert len(result.dependencies) == 6  # package edges only: no project to start from


def test_unicode_names_are_kept() -> None:
    result = scan("unicode")
    assert [(c.name, c.version, c.direct) for c in result.components] == [
        ("@scöpe/naïve", "1.0.0", True),
        ("日本語-パッケージ", "2.0.0", False),
    ]
    assert len(result.dependencies) == 2
    assert result.diagnostics == []


# --- sad paths --------------------------------------------------------------------------

ERRORS = [
    ("empty", Msg.WRONG_FORMAT, "empty file"),
    ("invalid-yaml", Msg.WRONG_FORMAT, "invalid YAML at line 9: did not find expected key"),
    ("wrong-format", Msg.WRONG_FORMAT, "no lockfileVersion: not a pnpm lockfile"),
    ("unsupported-version", Msg.UNSUPPORTED_VERSION, "lockfileVersion '3.9'"),
]


@pytest.mark.parametrize(("case", "code", "detail"), ERRORS, ids=[e[0] for e in ERRORS])
def test_unusable_file(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError, match="pnpm-lock.yaml") as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        code,
        f"{case}/pnpm-lock.yaml",
        detail,
    )


WARNINGS = [
    (  # `/ms` has no version part; a tarball entry states a name but no version
        "missing-version",
        [
            (Msg.UNKNOWN_DEPENDENCY, "missing-version/pnpm-lock.yaml:17", "ms@2.1.3"),
            (Msg.MISSING_VERSION, "missing-version/pnpm-lock.yaml:29", "ms"),
            (Msg.MISSING_VERSION, "missing-version/pnpm-lock.yaml:33", "is-positive"),
        ],
        ["pkg:npm/debug@4.4.3"],
    ),
    (
        "duplicates",
        [(Msg.DUPLICATE_ENTRY, "duplicates/pnpm-lock.yaml:20", "ms@2.1.3")],
        ["pkg:npm/ms@2.1.3"],
    ),
    (
        "bad-keys",
        [
            (Msg.MISSING_NAME, "bad-keys/pnpm-lock.yaml:17", "@1.0.0"),
            (
                Msg.INVALID_ENTRY,
                "bad-keys/pnpm-lock.yaml:20",
                "cannot read a package name from 'bad name@1.0.0'",
            ),
            (Msg.MISSING_VERSION, "bad-keys/pnpm-lock.yaml:23", "no-version"),
            (Msg.INVALID_ENTRY, "bad-keys/pnpm-lock.yaml:26", "not-a-mapping@1.0.0: not a mapping"),
        ],
        ["pkg:npm/ms@2.1.3"],
    ),
    (  # ms is missing twice (debug, send) but reported once; left-pad from the importer
        "unknown-dependency",
        [
            (Msg.UNKNOWN_DEPENDENCY, "unknown-dependency/pnpm-lock.yaml:9", "left-pad@1.3.0"),
            (Msg.UNKNOWN_DEPENDENCY, "unknown-dependency/pnpm-lock.yaml:20", "ms@2.1.3"),
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


def test_duplicate_key_keeps_the_first_entry() -> None:
    (ms,) = scan("duplicates").components
    assert str(ms.locations[0]) == "duplicates/pnpm-lock.yaml:17"
    assert [h.value[:16] for h in ms.hashes] == ["e85973b9b4cb646d"]  # first entry's digest


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("[" * 100_000 + "]" * 100_000, "nesting deeper than 64 levels at line 1"),
        ("lockfileVersion: '9.0'\nx: " + "[" * 60 + "]" * 60, None),
        ("lockfileVersion: '9.0'\nx: " + "[" * 100_000, "nesting deeper than 64 levels at line 2"),
        ("[[]]", "top level is a list, not a mapping"),
        ("a: 1\n---\nb: 2\n", "more than one YAML document at line 2"),
        ("a: &x 1\nb: *y\n", "unknown alias at line 2"),
        ("? [a, b]\n: 1\n", "mapping key is not a string at line 1"),
        ("lockfileVersion: {a: 1}\n", "lockfileVersion {'a': '1'}"),
    ],
    ids=[
        "deep-list",
        "nested-60",
        "deep-value",
        "top-list",
        "two-documents",
        "unknown-alias",
        "complex-key",
        "odd-version",
    ],
)
def test_odd_yaml_is_an_error_never_a_crash(tmp_path: Path, text: str, detail: str | None) -> None:
    path = tmp_path / "pnpm-lock.yaml"
    path.write_text(text)
    if detail is None:
        assert PnpmLockCataloger().catalog(Source(path, "pnpm-lock.yaml")).components == []
        return
    with pytest.raises(CatalogError) as info:
        PnpmLockCataloger().catalog(Source(path, "pnpm-lock.yaml"))
    assert info.value.detail == detail


def test_yaml_scalars_stay_strings() -> None:
    """``yes``, ``null``, ``1.10`` and dates are package names and versions, not booleans."""
    text = "a:\n  yes: 1.10\n  null: 2001-12-14\n  'q': ~\nb: [on, 0x1F]\n"
    doc = load_yaml(Source(Path("x"), "x"), text, key_depth=2)
    assert doc.root == {"a": {"yes": "1.10", "null": "2001-12-14", "q": "~"}, "b": ["on", "0x1F"]}
    assert doc.lines == {("a",): 1, ("a", "yes"): 2, ("a", "null"): 3, ("a", "q"): 4, ("b",): 5}


# --- speed ------------------------------------------------------------------------------


def _synthetic_v9(n: int) -> str:
    out = ["lockfileVersion: '9.0'", "", "importers:", "", "  .:", "    dependencies:"]
    out += [
        f"      pkg-{i}:\n        specifier: ^1.0.0\n        version: 1.0.{i}" for i in range(50)
    ]
    out += ["", "packages:", ""]
    out += [
        f"  pkg-{i}@1.0.{i}:\n    resolution: {{integrity: sha512-{'A' * 86}==}}\n"
        f"    engines: {{node: '>=14'}}\n"
        for i in range(n)
    ]
    out += ["snapshots:", ""]
    for i in range(n):
        deps = "".join(f"      pkg-{j}: 1.0.{j}\n" for j in range(i + 1, min(i + 4, n)))
        out.append(
            f"  pkg-{i}@1.0.{i}:\n    dependencies:\n{deps}"
            if deps
            else f"  pkg-{i}@1.0.{i}: {{}}\n"
        )
    return "\n".join(out)


def test_two_thousand_packages_parse_well_under_a_second(tmp_path: Path) -> None:
    path = tmp_path / "pnpm-lock.yaml"
    path.write_text(_synthetic_v9(2000))
    source = Source(path, "pnpm-lock.yaml")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        result = PnpmLockCataloger().catalog(source)
        best = min(best, time.perf_counter() - start)
    assert len(result.components) == 2000
    assert len(result.dependencies) == 3 * 2000 - 6  # no package.json: no project edges
    assert sum(1 for c in result.components if c.direct) == 50
    assert best < 1.0, f"{best:.3f}s"


# --- robustness: real lockfiles with random damage never raise anything else -----------

_SEEDS = ["workspaces-v9", "workspaces-v6", "workspaces-v5", "patch-alias-v9", "git-v6"]
_NOISE = st.sampled_from(list(" \n:@/'\"#,-{}[]()_\\\t&*!|>?%") + ["link:", "file:", "é", "  "])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_lockfiles_raise_only_catalog_error(data: st.DataObject) -> None:
    case = data.draw(st.sampled_from(_SEEDS))
    lines = (DATA / case / "pnpm-lock.yaml").read_text().split("\n")
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
        path = Path(d) / "pnpm-lock.yaml"
        path.write_text("\n".join(lines))
        with contextlib.suppress(CatalogError):
            PnpmLockCataloger().catalog(Source(path, "pnpm-lock.yaml"))


def test_pure_python_yaml_fallback_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = scan("workspaces-v9")
    monkeypatch.setattr("sbomkit.catalog.yaml_doc.CParser", None)
    slow = scan("workspaces-v9")
    assert (slow.components, slow.dependencies, slow.diagnostics) == (
        fast.components,
        fast.dependencies,
        fast.diagnostics,
    )

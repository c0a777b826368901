"""bun.lock (text, JSONC), lockfileVersion 0, 1 and 2.

``realistic-v2`` is what `bun install --lockfile-only` (bun 1.4.5, from npm's `bun`
package) wrote for a workspace project with 16 real dependencies; ``realistic-v1`` is the
same file stamped version 1, which is exactly what bun writes for v1 (v2 only added
parse-time checks). Its production set was checked against `bun install --production`.
The other fixtures are hand-written, one per scenario.
"""

from __future__ import annotations

import json
import re
import tempfile
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
from sbomkit.catalog.javascript.bun_lock import BunLockCataloger, _strip_comments, strip_jsonc
from sbomkit.i18n import Msg
from sbomkit.model import Hash, Location, Scope

DATA = TESTDATA / "bun-lock"


def run(case: str) -> CatalogResult:
    return BunLockCataloger().catalog(Source(DATA / case / "bun.lock", "bun.lock"))


def summary(result: CatalogResult) -> dict[str, tuple[object, ...]]:
    return {
        c.ref: (c.scope.value, c.direct, c.locations[0].line, c.properties)
        for c in result.components
    }


@pytest.mark.parametrize(
    ("case", "code", "detail"),
    [
        ("empty", Msg.WRONG_FORMAT, "empty file"),
        ("not-json", Msg.WRONG_FORMAT, "Expecting ',' delimiter: line 10 column 1"),
        ("not-object", Msg.WRONG_FORMAT, "top level is list, not an object"),
        ("no-lockfile-version", Msg.WRONG_FORMAT, "no 'lockfileVersion' field"),
        ("unsupported-version", Msg.UNSUPPORTED_VERSION, "lockfileVersion 3"),
        ("no-packages", Msg.WRONG_FORMAT, "'packages' is missing or not an object"),
        ("no-workspaces", Msg.WRONG_FORMAT, "'workspaces' is missing or not an object"),
    ],
    ids=lambda v: v if isinstance(v, str) and " " not in v else "",
)
def test_unusable_file_is_an_error(case: str, code: Msg, detail: str) -> None:
    with pytest.raises(CatalogError, match=re.escape(detail)) as err:
        run(case)
    assert (err.value.code, err.value.path, err.value.detail) == (code, "bun.lock", detail)


# -- real lockfile -----------------------------------------------------------------------


def _unique_idents(case: str) -> int:
    """Distinct "name@resolution" first items, as `node -e` counted them (232)."""
    text = strip_jsonc((DATA / case / "bun.lock").read_text())
    packages = json.loads(text)["packages"]
    return len({v[0] for v in packages.values() if "@root:" not in v[0]})


@pytest.mark.parametrize("case", ["realistic-v1", "realistic-v2"])
def test_realistic_lockfile(case: str) -> None:
    result = run(case)
    assert len(result.components) == 232 == _unique_idents(case)
    assert len(result.dependencies) == 365
    assert result.diagnostics == []
    assert Counter(c.scope.value for c in result.components) == {
        "required": 134,
        "dev": 97,
        "optional": 1,
    }
    assert result.project is not None
    assert (result.project.ref, result.project.locations) == (
        "pkg:npm/bun-realistic@0.3.0",  # the version comes from package.json beside it
        (Location("bun.lock", 5),),
    )
    ws = (("sbomkit:source", "workspace"),)
    got = summary(result)
    assert got["pkg:npm/%40acme/ui@0.1.0"] == ("required", True, 49, ws)
    assert got["pkg:npm/%40acme/util@0.2.0"] == ("required", True, 51, ws)
    assert got["pkg:npm/lodash@4.17.21"] == ("required", True, 333, (("sbomkit:alias", "lodash4"),))
    assert got["pkg:npm/debug@2.6.9"] == ("required", False, 499, ())  # "@acme/ui/debug"
    assert got["pkg:npm/vitest@1.6.1"] == ("dev", False, 489, ())  # a workspace's dev dep
    assert got["pkg:npm/typescript@5.9.3"] == ("dev", True, 471, ())
    assert got["pkg:npm/fsevents@2.3.3"] == ("optional", True, 279, ())
    local = comps(result)["pkg:npm/localdep@1.0.0"]  # version read from localdep/package.json
    assert (local.source_url, local.properties) == ("file:localdep", (("sbomkit:source", "file"),))
    assert {
        ("pkg:npm/%40acme/ui@0.1.0", "pkg:npm/%40acme/util@0.2.0"),
        ("pkg:npm/%40acme/ui@0.1.0", "pkg:npm/debug@2.6.9"),
        ("pkg:npm/%40acme/ui@0.1.0", "pkg:npm/vitest@1.6.1"),
        ("pkg:npm/%40acme/util@0.2.0", "pkg:npm/semver@6.3.2"),
        ("pkg:npm/localdep@1.0.0", "pkg:npm/ms@2.1.3"),
        ("pkg:npm/bun-realistic@0.3.0", "pkg:npm/%40acme/ui@0.1.0"),
        ("pkg:npm/bun-realistic@0.3.0", "pkg:npm/express@4.22.3"),
    } <= edges(result)
    ms = comps(result)["pkg:npm/ms@2.1.3"]
    assert ms.hashes[0].algorithm == "SHA-512"
    assert ms.hashes[0].value.startswith("e85973b9b4cb646d")


def test_realistic_lines_point_at_package_keys() -> None:
    lines = (DATA / "realistic-v2" / "bun.lock").read_text().splitlines()
    for c in run("realistic-v2").components:
        line = c.locations[0].line
        assert line is not None
        assert re.match(r'\s*"[^"]+": \[', lines[line - 1]), (c.ref, lines[line - 1])


# -- scenarios ---------------------------------------------------------------------------


def test_v0_workspace_entries_carry_info() -> None:
    result = run("v0-workspaces")
    ws = (("sbomkit:source", "workspace"),)
    assert summary(result) == {
        "pkg:npm/%40mono/api@0.4.0": ("required", True, 24, ws),
        "pkg:npm/%40mono/shared@0.1.0": ("required", True, 26, ws),
        "pkg:npm/ms@2.1.3": ("required", False, 28, ()),
        "pkg:npm/typescript@5.9.3": ("dev", True, 30, ()),
    }
    assert edges(result) == {
        ("pkg:npm/v0-mono", "pkg:npm/%40mono/api@0.4.0"),
        ("pkg:npm/v0-mono", "pkg:npm/%40mono/shared@0.1.0"),
        ("pkg:npm/v0-mono", "pkg:npm/typescript@5.9.3"),
        ("pkg:npm/%40mono/api@0.4.0", "pkg:npm/%40mono/shared@0.1.0"),
        ("pkg:npm/%40mono/api@0.4.0", "pkg:npm/ms@2.1.3"),
    }


def test_jsonc_comments_and_trailing_commas() -> None:
    result = run("jsonc")
    assert summary(result) == {
        "pkg:npm/left-pad": ("required", True, 19, (("sbomkit:source", "url"),)),
        "pkg:npm/ms@2.1.3": ("required", True, 21, ()),
    }
    assert comps(result)["pkg:npm/left-pad"].source_url == (
        "https://example.com//left-pad/-/left-pad-1.3.0.tgz"  # "//" in a string stays
    )
    assert result.project is not None and result.project.ref == "pkg:npm/jsonc-demo"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,}', '{"a": 1}'),
        ("[1, 2, ]", "[1, 2 ]"),
        ('{"u": "http://x/*y*/", // c\n"v": 2}', '{"u": "http://x/*y*/", \n"v": 2}'),
        ('{/* a\nb */"k": "\\"//"}', '{\n"k": "\\"//"}'),
        ('{"k": "unterminated /* ,}', '{"k": "unterminated /* ,}'),
        ("/* never closed", ""),
    ],
    ids=[
        "object-comma",
        "array-comma",
        "line-comment",
        "block-comment",
        "open-string",
        "open-comment",
    ],
)
def test_strip_jsonc(text: str, expected: str) -> None:
    assert strip_jsonc(text) == expected
    assert _strip_comments(text) == expected  # the fast path and the careful one agree


def test_strip_jsonc_fast_path_matches_careful_path_on_real_file() -> None:
    text = (DATA / "realistic-v2" / "bun.lock").read_text()
    assert strip_jsonc(text) == _strip_comments(text)


def test_non_registry_sources() -> None:
    result = run("sources")
    got = {
        c.ref: (c.version, dict(c.properties).get("sbomkit:source"), c.source_url, len(c.hashes))
        for c in result.components
    }
    assert got == {
        "pkg:npm/from-git": (
            None,
            "git",
            "git+https://github.com/acme/from-git.git#1111111111111111111111111111111111111111",
            0,  # the third item of a git entry is bun's tag, not an integrity
        ),
        "pkg:npm/from-github": (None, "git", "github:acme/from-github#2222222", 0),
        "pkg:npm/linked": (None, "file", "link:linked", 0),
        "pkg:npm/local-dir": (None, "file", "file:vendor/local-dir", 0),
        "pkg:npm/local-tgz": (None, "file", "vendor/local-tgz-1.0.0.tgz", 0),
        "pkg:npm/ms@2.1.3": ("2.1.3", None, None, 1),
        "pkg:npm/remote-tgz": (None, "url", "https://cdn.example.com/remote-tgz-2.0.0.tgz", 1),
        "pkg:npm/scoped-private@3.0.1": (
            "3.0.1",
            None,
            "https://npm.internal.example/scoped-private/-/scoped-private-3.0.1.tgz",
            1,
        ),
    }
    assert ("pkg:npm/from-git", "pkg:npm/ms@2.1.3") in edges(result)
    assert ("pkg:npm/local-dir", "pkg:npm/ms@2.1.3") in edges(result)
    assert result.project is not None and result.project.ref == "pkg:npm/sources-demo@0.2.0"
    assert result.diagnostics == []  # the "root:" entry is the project, not a package


def test_aliases_name_the_real_package() -> None:
    result = run("aliases")
    assert summary(result) == {
        "pkg:npm/%40babel/core@7.29.13": (
            "required",
            True,
            15,
            (("sbomkit:alias", "babel-core-7"),),
        ),
        "pkg:npm/js-tokens@4.0.0": ("required", False, 17, ()),
        "pkg:npm/lodash@4.17.21": ("required", True, 19, (("sbomkit:alias", "lodash4"),)),
        "pkg:npm/loose-envify@1.4.0": ("required", False, 23, ()),
        "pkg:npm/react@18.3.1": ("required", True, 25, (("sbomkit:alias", "my-react"),)),
    }
    assert comps(result)["pkg:npm/%40babel/core@7.29.13"].name == "@babel/core"
    assert ("pkg:npm/react@18.3.1", "pkg:npm/loose-envify@1.4.0") in edges(result)
    assert result.diagnostics == []


def test_nested_keys_resolve_like_node() -> None:
    result = run("nested")
    assert summary(result) == {
        "pkg:npm/%40babel/core@7.29.13": ("required", True, 15, ()),
        "pkg:npm/debug@2.6.9": ("required", False, 29, ()),  # express/debug, then send/debug
        "pkg:npm/debug@4.4.3": ("required", True, 17, ()),
        "pkg:npm/express@4.22.3": ("required", True, 19, ()),
        "pkg:npm/ms@2.0.0": ("required", False, 33, ()),
        "pkg:npm/ms@2.1.3": ("required", False, 21, ()),
        "pkg:npm/semver@6.3.2": ("required", False, 27, ()),
        "pkg:npm/semver@7.8.6": ("required", True, 23, ()),
        "pkg:npm/send@0.19.2": ("required", False, 25, ()),
    }
    assert edges(result) == {
        ("pkg:npm/nested-demo", "pkg:npm/%40babel/core@7.29.13"),
        ("pkg:npm/nested-demo", "pkg:npm/debug@4.4.3"),
        ("pkg:npm/nested-demo", "pkg:npm/express@4.22.3"),
        ("pkg:npm/nested-demo", "pkg:npm/semver@7.8.6"),
        ("pkg:npm/%40babel/core@7.29.13", "pkg:npm/debug@4.4.3"),  # walks up to the root
        ("pkg:npm/%40babel/core@7.29.13", "pkg:npm/semver@6.3.2"),  # "@babel/core/semver"
        ("pkg:npm/debug@4.4.3", "pkg:npm/ms@2.1.3"),
        ("pkg:npm/express@4.22.3", "pkg:npm/debug@2.6.9"),
        ("pkg:npm/express@4.22.3", "pkg:npm/send@0.19.2"),
        ("pkg:npm/debug@2.6.9", "pkg:npm/ms@2.0.0"),
        ("pkg:npm/send@0.19.2", "pkg:npm/debug@2.6.9"),
        ("pkg:npm/send@0.19.2", "pkg:npm/ms@2.1.3"),
    }


def test_scope_by_reachability() -> None:
    result = run("scopes")
    assert {c.name: (c.scope, c.direct) for c in result.components} == {
        "ansi-styles": (Scope.REQUIRED, False),
        "chalk": (Scope.REQUIRED, True),
        "color-convert": (Scope.REQUIRED, False),
        "color-name": (Scope.REQUIRED, False),
        "fsevents": (Scope.OPTIONAL, True),
        "has-flag": (Scope.REQUIRED, False),
        "is-number": (Scope.DEV, False),
        "jest-lite": (Scope.DEV, True),
        "js-tokens": (Scope.REQUIRED, False),
        "left-pad": (Scope.DEV, False),  # optional under a dev tool: dev
        "loose-envify": (Scope.REQUIRED, False),
        "react": (Scope.REQUIRED, True),  # the project's peer
        "supports-color": (Scope.REQUIRED, True),  # dev of the project, runtime of chalk
    }
    assert result.diagnostics == []  # missing peers (react-dom, optional ts-node) are fine


@pytest.mark.parametrize(
    ("case", "expected_warnings", "refs"),
    [
        (
            "unknown-dependency",
            [
                (Msg.UNKNOWN_DEPENDENCY, "bun.lock:4", "left-out"),  # once, at the first user
                (Msg.UNKNOWN_DEPENDENCY, "bun.lock:16", "also-left-out"),
            ],
            {"pkg:npm/ms@2.1.3"},
        ),
        (
            "bad-entries",
            [
                (
                    Msg.INVALID_ENTRY,
                    "bun.lock:11",
                    "workspaces['packages/odd'] is str, not an object",
                ),
                (
                    Msg.INVALID_ENTRY,
                    "bun.lock:14",
                    "packages['as-object'] is not a [\"name@version\", ...] array",
                ),
                (
                    Msg.INVALID_ENTRY,
                    "bun.lock:16",
                    "packages['empty-list'] is not a [\"name@version\", ...] array",
                ),
                (
                    Msg.INVALID_ENTRY,
                    "bun.lock:18",
                    "packages['first-not-string'] is not a [\"name@version\", ...] array",
                ),
                (Msg.MISSING_NAME, "bun.lock:22", "noname"),
                (Msg.MISSING_VERSION, "bun.lock:24", "nover"),
                (Msg.MISSING_VERSION, "bun.lock:26", "no-at"),
            ],
            {"pkg:npm/ms@2.1.3"},
        ),
        (
            "unicode",
            [
                (
                    Msg.INVALID_ENTRY,
                    "bun.lock:18",
                    "'bad\\ud800': 'utf-8' codec can't encode character '\\ud800' "
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


def test_type_confused_entry_keeps_what_it_can() -> None:
    ms = comps(run("bad-entries"))["pkg:npm/ms@2.1.3"]  # ["ms@2.1.3", "", "not info", 12345]
    assert (ms.hashes, ms.source_url) == ((), None)


def test_absurd_nesting_is_cut_off(tmp_path: Path) -> None:
    deep = "/".join(["a"] * 101)
    doc = {
        "lockfileVersion": 1,
        "workspaces": {"": {"name": "deep"}},
        "packages": {"a": ["a@1.0.0", "", {}], deep: ["a@2.0.0", "", {}]},
    }
    path = tmp_path / "bun.lock"
    path.write_text(json.dumps(doc, indent=2))
    result = BunLockCataloger().catalog(Source(path, "bun.lock"))
    assert [c.ref for c in result.components] == ["pkg:npm/a@1.0.0"]
    assert warnings(result) == [(Msg.INVALID_ENTRY, "bun.lock:14", "nested deeper than 100 levels")]


def test_unicode_names_are_kept() -> None:
    result = run("unicode")
    assert {c.name for c in result.components} == {"@Zürich/straße", "日本語"}
    assert result.project is not None and result.project.name == "ユニコード-app"


def test_hash_from_integrity() -> None:
    ms = comps(run("jsonc"))["pkg:npm/ms@2.1.3"]
    assert ms.hashes == (
        Hash(
            "SHA-512",
            "e85973b9b4cb646dc9d9afcd542025784863ceae68c601f268253dc985ef70bb"
            "2fa1568726afece715c8ebf5d73fab73ed1f7100eb479d23bfb57b45dd645394",
        ),
    )


# -- fuzzing: only CatalogError may escape -------------------------------------------------

_scalar = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
_idents = st.sampled_from(
    [
        "a@1.0.0",
        "@s/b@2.0.0",
        "c@workspace:packages/c",
        "d@file:x",
        "e@github:u/r#1",
        "f@",
        "@",
        "g@root:",
        "h@https://x/y.tgz",
        "i@link:../i",
    ]
) | st.text(max_size=8)
_info = st.dictionaries(
    st.sampled_from(
        [
            "dependencies",
            "optionalDependencies",
            "peerDependencies",
            "devDependencies",
            "optionalPeers",
            "peerDependenciesMeta",
            "bin",
        ]
    ),
    st.dictionaries(
        st.sampled_from(["a", "@s/b", "c", "x"]) | st.text(max_size=3), _scalar, max_size=3
    )
    | st.lists(_scalar, max_size=2)
    | _scalar,
    max_size=3,
)
_entry = st.lists(_idents | _info | _scalar, max_size=5) | _info | _scalar
_keys = st.sampled_from(["a", "@s/b", "c", "a/x", "@s/b/a", "c/@s/b", ""]) | st.text(max_size=6)
_lock = st.fixed_dictionaries(
    {"lockfileVersion": st.sampled_from([0, 1, 2])},
    optional={
        "workspaces": st.dictionaries(
            st.sampled_from(["", "packages/c"]) | st.text(max_size=4),
            _info | st.fixed_dictionaries({"name": _scalar, "version": _scalar}) | _scalar,
            max_size=3,
        ),
        "packages": st.dictionaries(_keys, _entry, max_size=6) | _scalar,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_lock, indent=st.sampled_from([None, 2]), comma=st.booleans())
def test_fuzz_lockfile_shapes(doc: dict[str, object], indent: int | None, comma: bool) -> None:
    text = json.dumps(doc, indent=indent)
    if comma:
        text = text.replace("}", ",}").replace("]", ",]").replace("{,}", "{}").replace("[,]", "[]")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bun.lock"
        path.write_text("// fuzzed\n" + text, errors="surrogatepass")
        try:
            result = BunLockCataloger().catalog(Source(path, "bun.lock"))
        except CatalogError:
            return
        refs = {c.ref for c in result.components}
        if result.project is not None:
            refs.add(result.project.ref)
        assert {(d.source in refs, d.target in refs) for d in result.dependencies} <= {(True, True)}

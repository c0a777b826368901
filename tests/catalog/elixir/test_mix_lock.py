"""elixir-mix-lock: hex and git entries, checksums, dependency edges, the literal parser."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.elixir.mix_lock import MixLockCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Hash, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
P = "pkg:hex/"


def scan(case: str) -> CatalogResult:
    rel = f"mix-lock/{case}/mix.lock"
    return MixLockCataloger().catalog(Source(DATA / rel, rel))


def scan_text(text: str) -> CatalogResult:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "mix.lock"
        path.write_text(text, encoding="utf-8")
        return MixLockCataloger().catalog(Source(path, "mix.lock"))


def test_name_matches_registry() -> None:
    assert MixLockCataloger.name == "elixir-mix-lock"


def test_realistic_counts() -> None:
    r = scan("realistic")
    assert len(r.components) == 33
    assert len(r.dependencies) == 59
    assert r.diagnostics == []
    assert all(c.scope is Scope.REQUIRED and c.direct is None for c in r.components)
    assert r.project is None


def test_realistic_phoenix() -> None:
    r = scan("realistic")
    c = comps(r)[f"{P}phoenix@1.7.11"]
    assert [str(loc) for loc in c.locations] == ["mix-lock/realistic/mix.lock:20"]
    assert c.hashes == (
        Hash("SHA-256", "6c04f04a931bdff8d74d8d9ae1555e4eaccae0b64b9e8534b6b3fcd085350495"),
    )
    out = {t for s, t in edges(r) if s == c.ref}
    assert out == {
        f"{P}castore@1.0.7",
        f"{P}jason@1.4.1",  # optional: true, present in the lock -> still an edge
        f"{P}phoenix_pubsub@2.1.3",
        f"{P}phoenix_template@1.0.4",
        f"{P}plug@1.15.3",
        f"{P}plug_crypto@2.1.0",
        f"{P}telemetry@1.2.1",
        f"{P}websock_adapter@0.5.6",
    }  # phoenix_view and plug_cowboy are optional and absent: no edge, no warning


def test_realistic_git() -> None:
    c = comps(scan("realistic"))[f"{P}heroicons"]
    assert c.version is None and c.hashes == ()
    assert c.source_url == (
        "git+https://github.com/tailwindlabs/heroicons.git@88ab3a0d790e6a47404cba02800a6b25d2afae50"
    )
    assert c.properties == (("sbomkit:git-ref", "tag:v2.1.1"), ("sbomkit:source", "git"))


def test_bad_entries() -> None:
    r = scan("bad-entries")
    assert sorted(comps(r)) == [f"{P}jason@1.4.1", f"{P}legacy@0.1.0", f"{P}other_pkg@2.0.0"]
    other = comps(r)[f"{P}other_pkg@2.0.0"]
    assert other.hashes == ()  # "deadbeef" is not a SHA-256
    assert other.properties == (("sbomkit:app-name", "other"), ("sbomkit:hex-repo", "myorg"))
    assert r.dependencies == []
    f = "mix-lock/bad-entries/mix.lock"
    assert diags(r) == [
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:2", "decimal (from jason)"),
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:2", "ghost (from jason)"),
        (Msg.MISSING_VERSION, f"{f}:3", "noversion; skipped"),
        (Msg.INVALID_ENTRY, f"{f}:4", "weird: not a lock tuple"),
        (Msg.DUPLICATE_ENTRY, f"{f}:5", "jason; first at line 2"),
        (Msg.INVALID_ENTRY, f"{f}:8", "local: unsupported source :path"),
    ]


def test_arrow_keys_escapes_and_comments() -> None:
    r = scan_text(
        '# comment\n%{"a\\"b" => {:hex, :"odd", "1.0.0", "x", [:mix], [], "hexpm", "y"},\n'
        '  "plug" => {:hex, :plug, "1.0.0", "x", [:mix], [{:odd, nil, [optional: false]}]}}\n'
    )
    assert sorted(comps(r)) == [f"{P}odd@1.0.0", f"{P}plug@1.0.0"]
    assert diags(r) == [(Msg.UNKNOWN_DEPENDENCY, "mix.lock:3", "odd (from plug)")]


@pytest.mark.parametrize(
    ("case", "match"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-elixir", r"unexpected '\(' at line 2", id="code"),
    ],
)
def test_wrong_format(case: str, match: str) -> None:
    with pytest.raises(CatalogError, match=match) as e:
        scan(case)
    assert e.value.code is Msg.WRONG_FORMAT


@pytest.mark.parametrize(
    ("text", "match"),
    [
        pytest.param("%{" * 100, "nesting deeper than 64 levels", id="deep"),
        pytest.param('%{"a": 1} x', "text after the map", id="trailing"),
        pytest.param(
            '%{"a": {:hex, :a, "1"', "expected ',', found 'end of file' at line 1", id="cut"
        ),
        pytest.param("%{a: 1 ; }", "unexpected ';'", id="junk"),
    ],
)
def test_parse_errors(text: str, match: str) -> None:
    with pytest.raises(CatalogError, match=match):
        scan_text(text)


def _run(text: str) -> None:
    try:
        r = scan_text(text)
    except CatalogError:
        return
    for c in r.components:
        assert c.ecosystem == "hex" and c.purl is not None
    for dep in r.dependencies:
        assert dep.source != dep.target


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_ATOM = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True)
_STR = st.text(max_size=8).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"')
_TERM = st.recursive(
    st.one_of(_ATOM.map(lambda a: ":" + a), _STR, st.integers().map(str), st.just("nil")),
    lambda kids: st.one_of(
        st.lists(kids, max_size=8).map(lambda xs: "{" + ", ".join(xs) + "}"),
        st.lists(kids, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
    ),
    max_leaves=25,
)


@_SETTINGS
@given(st.text(max_size=300))
def test_random_text_never_crashes(text: str) -> None:
    _run(text)


@_SETTINGS
@given(st.dictionaries(_STR, _TERM, max_size=5))
def test_random_literals_never_crash(entries: dict[str, str]) -> None:
    _run("%{" + ",\n".join(f"{k}: {v}" for k, v in entries.items()) + "}")


@_SETTINGS
@given(
    st.lists(
        st.tuples(_ATOM, st.sampled_from(['"1.0.0"', "nil", "1"]), st.lists(_ATOM, max_size=3)),
        max_size=5,
    )
)
def test_random_hex_graphs_never_crash(rows: list[tuple[str, str, list[str]]]) -> None:
    body = ",\n".join(
        f'"{n}": {{:hex, :{n}, {v}, "c", [:mix], ['
        + ", ".join(f'{{:{d}, "~> 1.0", [optional: false]}}' for d in deps)
        + "]}"
        for n, v, deps in rows
    )
    _run("%{" + body + "}")

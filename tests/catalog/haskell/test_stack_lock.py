"""haskell-stack-lock: hackage (cabal revision digests), git and archive entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import json_values, survives

from sbomkit.catalog.haskell.stack_lock import StackLockCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg

DATA = Path(__file__).resolve().parents[2] / "testdata"
H = "pkg:hackage/"


def scan(case: str) -> CatalogResult:
    rel = f"stack-lock/{case}/stack.yaml.lock"
    return StackLockCataloger().catalog(Source(DATA / rel, rel))


def test_name() -> None:
    assert StackLockCataloger.name == "haskell-stack-lock"


def test_realistic() -> None:
    r = scan("realistic")
    f = "stack-lock/realistic/stack.yaml.lock"
    got = {
        ref: (c.properties, c.source_url, c.hashes, [str(loc) for loc in c.locations])
        for ref, c in comps(r).items()
    }
    assert got == {
        f"{H}acme-missiles@0.3": (
            (
                (
                    "sbomkit:cabal-revision-sha256",
                    "2ba66a092a32593880a87fb00f3213762d7bca65a687d45965778deb8694c5d1",
                ),
            ),
            None,
            (),
            [f"{f}:7"],
        ),
        f"{H}servant@0.20.1": (
            (
                (
                    "sbomkit:cabal-revision-sha256",
                    "8a1bb6e5bbe5a0c1d9e6f4f3c9d5b0a6c7e3f2a1b4d8c9e0f1a2b3c4d5e6f708",
                ),
            ),
            None,
            (),
            [f"{f}:14"],
        ),
        f"{H}text-rope@0.2": ((), None, (), [f"{f}:21"]),
        f"{H}lsp-types@2.1.1.0": (
            (("sbomkit:source", "git"), ("sbomkit:subdir", "lsp-types")),
            "git+https://github.com/haskell/lsp.git@6e6e9dbb0bd23ae3cd4c4be2b7e61a1b7d8c3f01",
            (),
            [f"{f}:28"],
        ),
        f"{H}my-archive@0.1": (
            (("sbomkit:source", "url"),),
            "https://example.com/my-archive-0.1.tar.gz",
            (),
            [f"{f}:41"],
        ),
    }
    assert r.diagnostics == []
    assert r.dependencies == []


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "stack-lock/bad-entries/stack.yaml.lock"
    assert diags(r) == [
        (Msg.DUPLICATE_ENTRY, f"{f}:6", "aeson 2.2.1.0, first at line 2"),
        (Msg.MISSING_NAME, f"{f}:8", "hackage package not a package"),
        (
            Msg.MISSING_NAME,
            f"{f}:10",
            "git package git+https://github.com/example/nameless.git@abc123",
        ),
        (Msg.NON_REGISTRY_SOURCE, f"{f}:13", "tool from git; no version"),
        (Msg.INVALID_ENTRY, f"{f}:20", "'just a string'"),
    ]
    assert sorted(comps(r)) == [f"{H}aeson@2.2.1.0", f"{H}tool"]


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param(
            "not-yaml",
            "invalid YAML at line 3: did not find expected ',' or '}'",
            id="not-yaml",
        ),
        pytest.param("list-top", "top level is a list, not a mapping", id="list"),
        pytest.param("no-packages", "no packages or snapshots", id="no-packages"),
    ],
)
def test_unusable(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"stack-lock/{case}/stack.yaml.lock",
        detail,
    )


_KEYS = ["packages", "snapshots", "original", "completed", "hackage", "git", "commit", "name"]
_keys = st.sampled_from(_KEYS) | st.text(max_size=6)
_values = json_values(_KEYS, text_size=20)


def _no_crash(raw: bytes) -> None:
    survives(StackLockCataloger(), "stack.yaml.lock", raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=300))
def test_random_bytes_never_crash(raw: bytes) -> None:
    _no_crash(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.dictionaries(_keys, _values, max_size=4))
def test_random_documents_never_crash(doc: dict[str, object]) -> None:
    _no_crash(yaml.safe_dump(doc).encode())
    _no_crash(json.dumps(doc).encode())

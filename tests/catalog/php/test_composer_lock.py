"""php-composer-lock: packages/packages-dev, provide/replace, composer.json, bad input."""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.php.composer_lock import ComposerLockCataloger
from sbomkit.i18n import Msg
from sbomkit.model import ComponentType, Hash, License, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
C = "pkg:composer/"


def scan(case: str) -> CatalogResult:
    rel = f"composer-lock/{case}/composer.lock"
    return ComposerLockCataloger().catalog(Source(DATA / rel, rel))


def test_name_matches_registry() -> None:
    assert ComposerLockCataloger.name == "php-composer-lock"


# --- realistic: a Laravel 11 app with a path package and a VCS-only package -------------


def test_realistic_counts() -> None:
    r = scan("realistic")
    assert len(r.components) == 55
    assert Counter(c.scope for c in r.components) == {Scope.REQUIRED: 49, Scope.DEV: 6}
    # composer.json: 3 of 4 require (php is a platform package) + 4 require-dev
    assert sum(1 for c in r.components if c.direct) == 7
    # 68 package requires that resolve (platform ones skipped) + 7 from the project
    assert len(r.dependencies) == 75
    assert r.diagnostics == []
    p = r.project
    assert p is not None
    assert (p.ref, p.type, p.licenses, [str(loc) for loc in p.locations]) == (
        f"{C}acme/shop",
        ComponentType.APPLICATION,
        (License("MIT", True),),
        ["composer-lock/realistic/composer.json"],
    )


def test_realistic_laravel_framework() -> None:
    c = comps(scan("realistic"))[f"{C}laravel/framework@v11.0.0"]
    assert (c.name, c.version, c.scope, c.direct, c.author, c.homepage) == (
        "laravel/framework",
        "v11.0.0",  # kept as written, "v" included
        Scope.REQUIRED,
        True,
        "Laravel",
        "https://github.com/laravel/framework",
    )
    assert c.source_url == (
        "https://api.github.com/repos/laravel/framework/zipball/"
        "b8f654ce675bcca0f9ead47d8147c00fa8e091b1"
    )
    assert (c.licenses, c.hashes, c.properties) == ((License("MIT", True),), (), ())
    assert [str(loc) for loc in c.locations] == ["composer-lock/realistic/composer.lock:405"]


@pytest.mark.parametrize(
    ("ref", "scope", "direct", "line", "url", "props", "licenses"),
    [
        pytest.param(
            f"{C}acme/billing@dev-main",
            Scope.REQUIRED,
            True,
            10,
            "packages/billing",
            (("sbomkit:source", "path"),),
            (License("proprietary", False),),
            id="path-proprietary",
        ),
        pytest.param(
            f"{C}acme/legacy-sdk@dev-master",
            Scope.REQUIRED,
            True,
            30,
            "git@github.com:acme/legacy-sdk.git@9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
            (("sbomkit:source", "git"),),
            (License("MIT", True),),
            id="vcs-only",
        ),
        pytest.param(
            f"{C}nette/utils@v4.0.4",
            Scope.REQUIRED,
            False,
            773,
            "https://api.github.com/repos/nette/utils/zipball/"
            "d7743faedfcf676d9951ccd37690a13f48a9ca8e",
            (),
            (
                License("BSD-3-Clause", True),
                License("GPL-2.0-only", True),
                License("GPL-3.0-only", True),
            ),
            id="three-licenses",
        ),
        pytest.param(
            f"{C}phpunit/phpunit@11.0.3",
            Scope.DEV,
            True,
            1783,
            "https://api.github.com/repos/phpunit/phpunit/zipball/"
            "9f76826b2f80a5dbd5ca18e998a9f553d1201b5e",
            (),
            (License("BSD-3-Clause", True),),
            id="dev",
        ),
    ],
)
def test_realistic_components(
    ref: str,
    scope: Scope,
    direct: bool,
    line: int,
    url: str,
    props: tuple[tuple[str, str], ...],
    licenses: tuple[License, ...],
) -> None:
    c = comps(scan("realistic"))[ref]
    assert (c.scope, c.direct, c.source_url, c.properties, c.licenses) == (
        scope,
        direct,
        url,
        props,
        licenses,
    )
    assert [str(loc) for loc in c.locations] == [f"composer-lock/realistic/composer.lock:{line}"]


def test_realistic_hash_and_edges() -> None:
    r = scan("realistic")
    assert comps(r)[f"{C}psr/log@3.0.0"].hashes == (
        Hash("SHA-1", "fe5ea303b0887d5caefd3d431c3e61ad47037001"),
    )
    assert {
        (f"{C}laravel/framework@v11.0.0", f"{C}monolog/monolog@3.5.0"),
        (f"{C}laravel/framework@v11.0.0", f"{C}symfony/console@v7.0.4"),
        # illuminate/collections is replaced by laravel/framework
        (f"{C}laravel/prompts@v0.1.16", f"{C}laravel/framework@v11.0.0"),
        (f"{C}acme/billing@dev-main", f"{C}laravel/framework@v11.0.0"),
        (f"{C}acme/shop", f"{C}acme/billing@dev-main"),
        (f"{C}acme/shop", f"{C}phpunit/phpunit@11.0.3"),
    } <= edges(r)
    assert not any("/php@" in t or "/ext-" in t for _, t in edges(r))


# --- scenarios --------------------------------------------------------------------------


def test_bad_entries() -> None:
    r = scan("bad-entries")
    f = "composer-lock/bad-entries/composer.lock"
    assert diags(r) == [
        (Msg.MISSING_NAME, f, "package without a name"),
        (Msg.MISSING_VERSION, f"{f}:8", "acme/nover; skipped"),
        (Msg.DUPLICATE_ENTRY, f"{f}:17", "PSR/Log 3.0.0, first at line 12"),
        (Msg.UNKNOWN_DEPENDENCY, f"{f}:21", "ghost/missing"),  # once for three requirers
    ]
    got = {ref: (c.scope, c.direct) for ref, c in comps(r).items()}
    assert got == {
        f"{C}psr/log@3.0.0": (Scope.REQUIRED, None),  # no composer.json: direct unknown
        f"{C}acme/app-kit@v2.1.0": (Scope.REQUIRED, None),
        f"{C}acme/other@1.0.0": (Scope.REQUIRED, None),
        f"{C}acme/impl@1.0.0": (Scope.REQUIRED, None),
        f"{C}phpunit/phpunit@11.0.3": (Scope.DEV, None),
    }
    kit = comps(r)[f"{C}acme/app-kit@v2.1.0"]
    # a string license is one license; non-strings are dropped; an expression is text
    assert kit.licenses == (
        License("MIT", True),
        License("(GPL-2.0-only or GPL-3.0-or-later)", False),
        License("proprietary", False),
    )
    assert (kit.author, kit.hashes) == ("Ada", ())  # "NOT-A-SHA1" is not a digest
    assert comps(r)[f"{C}psr/log@3.0.0"].licenses == (License("MIT", True),)
    assert edges(r) == {
        (f"{C}acme/app-kit@v2.1.0", f"{C}psr/log@3.0.0"),
        (f"{C}acme/other@1.0.0", f"{C}acme/impl@1.0.0"),  # via "provide"
        (f"{C}phpunit/phpunit@11.0.3", f"{C}acme/impl@1.0.0"),
    }
    assert r.project is None


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        pytest.param("empty", "empty file", id="empty"),
        pytest.param("not-json", "Expecting value: line 1 column 1 (char 0)", id="yaml"),
        pytest.param("not-object", "not a JSON object", id="array"),
        pytest.param("no-packages", "no packages or packages-dev", id="composer-json"),
        pytest.param("packages-not-list", "packages is not a list", id="packages-object"),
    ],
)
def test_unusable_files(case: str, detail: str) -> None:
    with pytest.raises(CatalogError) as info:
        scan(case)
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        f"composer-lock/{case}/composer.lock",
        detail,
    )


def test_unreadable_composer_json_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "composer.lock").write_text('{"packages": [{"name": "a/b", "version": "1"}]}')
    (tmp_path / "composer.json").write_text("{nope")
    r = ComposerLockCataloger().catalog(Source(tmp_path / "composer.lock", "app/composer.lock"))
    assert diags(r) == [
        (
            Msg.INVALID_ENTRY,
            "app/composer.json",
            "unreadable: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)",
        )
    ]
    assert [(c.ref, c.direct) for c in r.components] == [(f"{C}a/b@1", None)]


# --- nothing but CatalogError leaves catalog() ------------------------------------------

_scalar = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
_keys = st.sampled_from(
    ["name", "version", "require", "provide", "replace", "license", "authors", "dist", "source"]
    + ["shasum", "url", "type", "reference", "php", "ext-x", "a/b", "path", "git"]
) | st.text(max_size=6)
_value = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=5),
    max_leaves=20,
)
_doc = st.fixed_dictionaries(
    {},
    optional={
        "packages": st.lists(st.dictionaries(_keys, _value, max_size=6), max_size=5) | _value,
        "packages-dev": st.lists(st.dictionaries(_keys, _value, max_size=6), max_size=3),
    },
)


def _survives(lock: bytes, manifest: bytes | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "composer.lock"
        path.write_bytes(lock)
        if manifest is not None:
            (Path(tmp) / "composer.json").write_bytes(manifest)
        with contextlib.suppress(CatalogError):
            ComposerLockCataloger().catalog(Source(path, "composer.lock"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    _survives(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_doc, st.none() | st.dictionaries(_keys, _value, max_size=5) | _value)
def test_random_documents_never_crash(doc: dict[str, object], manifest: object) -> None:
    raw = None if manifest is None else json.dumps(manifest).encode()
    _survives(json.dumps(doc).encode(), raw)

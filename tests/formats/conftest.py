"""Inventories built by hand, and validators for every format the writers produce.

Validation uses the official schemas: CycloneDX's as shipped in cyclonedx-python-lib, SPDX's
JSON schema from ../shared/data plus spdx-tools' own parser and validator.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from testkit import shared_data, validate_document

from sbomkit.i18n import Msg
from sbomkit.identity import make_component
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    Diagnostic,
    Hash,
    Inventory,
    License,
    Location,
    Metadata,
    Scope,
    Tool,
)

Validate = Callable[[str, str, bytes], None]


def shared_data_dir() -> Path:
    """../shared/data; a missing checkout fails the test, it never skips."""
    return shared_data()


def _digest(alg: str, seed: str) -> Hash:
    fn = {"SHA-256": hashlib.sha256, "SHA-512": hashlib.sha512, "SHA-1": hashlib.sha1}[alg]
    return Hash(alg, fn(seed.encode()).hexdigest())


MIT = License("MIT", True)
CUSTOM_TEXT = (
    "ACME Source-Available License v1\n\n"
    "Permission is granted to use this software inside ACME products only."
)


def mixed_inventory() -> Inventory:
    """A polyglot project: pypi and npm, scoped, aliased, git, dev, optional, odd cases."""
    primary = make_component(
        "npm",
        "acme-webapp",
        "2.3.0",
        type=ComponentType.APPLICATION,
        supplier="ACME Corp",
        author="Jane Doe <jane@acme.example>",
        licenses=(License("Apache-2.0", True),),
        found_by=("npm-package-lock",),
        locations=(Location("package-lock.json", 1),),
    )
    py = ("python-poetry-lock",)
    js = ("npm-package-lock",)
    components = (
        make_component(
            "pypi",
            "requests",
            "2.31.0",
            author="Kenneth Reitz",
            description="Python HTTP for Humans.",
            licenses=(License("Apache-2.0", True),),
            hashes=(_digest("SHA-256", "requests-2.31.0"),),
            direct=True,
            found_by=py,
            locations=(Location("poetry.lock", 120),),
            source_url="https://files.pythonhosted.org/packages/requests-2.31.0-py3-none-any.whl",
            homepage="https://requests.readthedocs.io",
        ),
        make_component(
            "pypi",
            "urllib3",
            "2.2.1",
            supplier="urllib3 maintainers",
            licenses=(MIT,),
            hashes=(_digest("SHA-256", "urllib3-2.2.1"), _digest("SHA-1", "urllib3-2.2.1")),
            found_by=py,
            locations=(Location("poetry.lock", 300),),
        ),
        make_component(
            "pypi",
            "PySocks",
            "1.7.1",
            scope=Scope.OPTIONAL,
            licenses=(License("BSD-3-Clause", True),),
            found_by=py,
            locations=(Location("poetry.lock", 210),),
        ),
        make_component(
            "pypi",
            "pytest",
            "8.1.1",
            scope=Scope.DEV,
            direct=True,
            licenses=(MIT,),
            found_by=py,
            locations=(Location("poetry.lock", 180),),
        ),
        make_component(
            "pypi",
            "ünïcode-pkg",
            "1.0.0",
            description="Ein Paket mit Ümlauten — 日本語の説明",
            licenses=(License("Proprietary – see LICENSE.txt", False),),
            found_by=py,
            locations=(Location("poetry.lock", 400),),
        ),
        make_component(
            "pypi",
            "mylib",
            "0.4.0",
            source_url="git+https://github.com/acme/mylib.git@5f2c1e3",
            properties=(("sbomkit:source", "vcs"),),
            found_by=py,
            locations=(Location("poetry.lock", 250),),
        ),
        Component(
            name="vendored-helper",
            version=None,
            ecosystem="pypi",
            found_by=("python-requirements",),
            locations=(Location("vendor/requirements.txt", 3),),
        ),
        make_component(
            "npm",
            "@babel/core",
            "7.24.0",
            licenses=(MIT,),
            hashes=(_digest("SHA-512", "@babel/core-7.24.0"),),
            direct=True,
            found_by=js,
            locations=(Location("package-lock.json", 40),),
            source_url="https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz",
        ),
        make_component(
            "npm",
            "@types/node",
            "20.11.30",
            scope=Scope.DEV,
            licenses=(MIT,),
            found_by=js,
            locations=(Location("package-lock.json", 90),),
        ),
        make_component(
            "npm",
            "string-width",
            "5.1.2",
            licenses=(MIT,),
            found_by=js,
            locations=(Location("package-lock.json", 700),),
        ),
        make_component(  # "string-width-cjs": "npm:string-width@4.2.3"
            "npm",
            "string-width",
            "4.2.3",
            licenses=(MIT,),
            properties=(("sbomkit:npm-alias", "string-width-cjs"),),
            found_by=js,
            locations=(Location("package-lock.json", 720),),
        ),
        make_component(
            "npm",
            "jszip",
            "3.10.1",
            licenses=(License("(MIT OR GPL-3.0-or-later)", True),),
            found_by=js,
            locations=(Location("package-lock.json", 500),),
        ),
        make_component(
            "npm",
            "legacy-lib",
            "1.0.0",
            licenses=(MIT, License(CUSTOM_TEXT, False)),
            found_by=js,
            locations=(Location("package-lock.json", 600),),
        ),
        make_component(
            "npm",
            "gitdep",
            "1.0.0",
            source_url="git+ssh://git@github.com:acme/gitdep.git",
            found_by=js,
            locations=(Location("package-lock.json", 650),),
        ),
    )
    ref = {(c.name, c.version): c.ref for c in components}
    edges = [
        (primary.ref, ref["@babel/core", "7.24.0"]),
        (primary.ref, ref["@types/node", "20.11.30"]),
        (primary.ref, ref["string-width", "5.1.2"]),
        (primary.ref, ref["jszip", "3.10.1"]),
        (primary.ref, ref["legacy-lib", "1.0.0"]),
        (primary.ref, ref["gitdep", "1.0.0"]),
        (primary.ref, ref["requests", "2.31.0"]),
        (primary.ref, ref["pytest", "8.1.1"]),
        (primary.ref, ref["mylib", "0.4.0"]),
        (primary.ref, ref["ünïcode-pkg", "1.0.0"]),
        (primary.ref, ref["vendored-helper", None]),
        (ref["requests", "2.31.0"], ref["urllib3", "2.2.1"]),
        (ref["requests", "2.31.0"], ref["PySocks", "1.7.1"]),
        (ref["@babel/core", "7.24.0"], ref["string-width", "4.2.3"]),
        (ref["requests", "2.31.0"], "pkg:pypi/not-in-the-inventory@1.0"),  # dangling
    ]
    return Inventory(
        components=components,
        dependencies=tuple(sorted(Dependency(s, t) for s, t in edges)),
        metadata=Metadata(
            primary=primary,
            tools=(Tool("sbomkit", "0.1.0", "sbomkit project"),),
            timestamp="2026-01-01T00:00:00Z",
            authors=("Jane Doe <jane@acme.example>", "Organization: ACME Corp"),
            lifecycle="pre-build",
        ),
        diagnostics=(
            Diagnostic(Msg.UNPINNED, Location("requirements.txt", 7), "flask>=2 DIAGNOSTIC-MARK"),
        ),
    )


def empty_inventory() -> Inventory:
    """Nothing found: only the project itself, named after the directory."""
    primary = Component(
        name="empty-project",
        version=None,
        ecosystem="",
        type=ComponentType.APPLICATION,
        ref="root:empty-project",
    )
    return Inventory(
        components=(),
        metadata=Metadata(
            primary=primary,
            tools=(Tool("sbomkit", "0.1.0", "sbomkit project"),),
            timestamp="2026-01-01T00:00:00Z",
            lifecycle="pre-build",
        ),
    )


CASES: dict[str, Callable[[], Inventory]] = {"mixed": mixed_inventory, "empty": empty_inventory}


@pytest.fixture
def mixed() -> Inventory:
    return mixed_inventory()


@pytest.fixture
def empty() -> Inventory:
    return empty_inventory()


@pytest.fixture
def no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def validate(tmp_path: Path) -> Validate:
    def run(fmt: str, spec: str, data: bytes) -> None:
        validate_document(fmt, spec, data, tmp_path)

    return run


@pytest.fixture
def cases() -> dict[str, Callable[[], Inventory]]:
    return CASES

"""Shared by the Go catalogers: module versions, replacements and safe components."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from sbomkit.catalog.interface import CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, ComponentType

ECOSYSTEM = "golang"
PROP_SOURCE = "sbomkit:source"  # "path": a local directory replaces the module
PROP_REPLACES = "sbomkit:go-replaces"  # "old/path@v1.0.0" when another module replaces it
PROP_H1 = "sbomkit:go-h1"  # the go.sum dirhash: of the module's file tree, not of a file
STDLIB = "stdlib"  # Syft's name for the Go standard library, versioned "go1.22.1"

# Canonical module versions (semver with a "v"), pseudo-versions and +incompatible included.
_VERSION = re.compile(r"v\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")


def is_version(text: str) -> bool:
    return _VERSION.fullmatch(text) is not None


def semver_key(version: str) -> tuple[tuple[int, int, int], int, tuple[tuple[int, int | str], ...]]:
    """Sort key of a module version (SemVer 2 precedence; build metadata is ignored)."""
    core, _, pre = version.removeprefix("v").partition("+")[0].partition("-")
    nums = [int(x) if x.isdigit() else 0 for x in core.split(".")[:3]]
    major, minor, patch = (*nums, 0, 0, 0)[:3]
    ids = tuple((0, int(x)) if x.isdigit() else (1, x) for x in pre.split(".")) if pre else ()
    return (major, minor, patch), 0 if pre else 1, ids


def is_local_path(text: str) -> bool:
    """A replacement target that is a directory: ``./x``, ``../x``, ``/x`` or ``C:\\x``."""
    return (
        text.startswith(("./", "../", "/", ".\\", "..\\"))
        or text in (".", "..")
        or (len(text) > 2 and text[1] == ":" and text[2] in "/\\")
    )


class Replacement(NamedTuple):
    path: str
    version: str | None  # None for a local directory


class Resolved(NamedTuple):
    """What a required module becomes once its replacement is applied."""

    name: str
    version: str
    source_url: str | None
    properties: tuple[tuple[str, str], ...]


def resolve(path: str, version: str, repl: Replacement | None) -> Resolved:
    """A local directory keeps the module's identity; another module takes its place."""
    if repl is None:
        return Resolved(path, version, None, ())
    if repl.version is None:
        return Resolved(path, version, repl.path, ((PROP_SOURCE, "path"),))
    replaced = f"{path}@{version}" if version else path
    return Resolved(repl.path, repl.version, None, ((PROP_REPLACES, replaced),))


def component(
    result: CatalogResult,
    source: Source,
    name: str,
    version: str | None,
    line: int | None,
    **fields: Any,
) -> Component | None:
    """A golang component, or an INVALID_ENTRY warning when no purl can carry the name."""
    try:
        return make_component(ECOSYSTEM, name, version, locations=(source.at(line),), **fields)
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, source.at(line), e.detail)
        return None


def stdlib(result: CatalogResult, source: Source, go: str, line: int | None) -> Component | None:
    """The standard library at a Go release: ``go1.22.1`` (a leading ``go`` is added)."""
    version = go if go.startswith("go") else f"go{go}"
    return component(result, source, STDLIB, version, line, direct=True)


def application(
    result: CatalogResult,
    source: Source,
    name: str,
    version: str | None,
    line: int | None,
    **fields: Any,
) -> Component | None:
    return component(result, source, name, version, line, type=ComponentType.APPLICATION, **fields)

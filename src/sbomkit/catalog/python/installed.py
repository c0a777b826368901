"""Installed Python distributions: one ``site-packages`` or ``dist-packages`` directory.

Reads ``*.dist-info`` (PEP 376/627), ``*.egg-info`` (directory or single file) and ``*.egg``
(directory or zip) metadata. Only the core-metadata header block and a few small files are
read (``REQUESTED``, ``INSTALLER``, ``direct_url.json``, ``RECORD`` line count, an egg's
``requires.txt``), so an environment of hundreds of packages is read in milliseconds.
Every problem with one distribution becomes a warning; the rest of the directory is used.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.python._metadata import (
    CoreMetadata,
    DirectUrl,
    decode,
    parse_core_metadata,
    parse_direct_url,
    read_header_bytes,
    requirement_name,
)
from sbomkit.i18n import Msg
from sbomkit.identity import make_component, pypi_name
from sbomkit.model import Component, Dependency, License, Location

_SUFFIXES = (".dist-info", ".egg-info", ".egg")
_SMALL_FILE_BYTES = 1024 * 1024  # INSTALLER, direct_url.json, requires.txt
_MAX_RECORD_BYTES = 64 * 1024 * 1024
# SPDX expression syntax, checked cheaply: ids and operators alternate, parentheses balance.
_SPDX_TOKEN = re.compile(r"[()]|[^\s()]+")
_SPDX_ID = re.compile(r"[A-Za-z0-9.+:-]+")
_SPDX_OPERATORS = frozenset({"AND", "OR", "WITH"})


@dataclass(frozen=True, slots=True)
class _Extras:
    """What an install leaves next to the metadata, besides the metadata itself."""

    requested: bool = False
    installer: str | None = None
    direct_url: DirectUrl | None = None
    record_files: int | None = None
    requires: tuple[str, ...] = ()  # an egg's requires.txt, as distribution names


@dataclass(frozen=True, slots=True)
class _Dist:
    component: Component
    requires: tuple[str, ...]
    requested: bool


class InstalledCataloger:
    name: ClassVar[str] = "python-installed"

    def catalog(self, source: Source) -> CatalogResult:
        result = CatalogResult()
        dists: list[_Dist] = []
        for entry, is_dir in _entries(source):
            dist = _read_guarded(source, entry, is_dir, result)
            if dist is not None:
                dists.append(dist)
        _assemble(dists, result)
        return result


def _entries(source: Source) -> list[tuple[str, bool]]:
    if not source.path.is_dir():
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "not a directory")
    try:
        with os.scandir(source.path) as it:
            return sorted((e.name, e.is_dir()) for e in it if e.name.endswith(_SUFFIXES))
    except OSError as e:
        raise CatalogError(Msg.FILE_UNREADABLE, source.rel, e.strerror or str(e)) from e


def _read_guarded(source: Source, entry: str, is_dir: bool, result: CatalogResult) -> _Dist | None:
    try:
        return _read(source, entry, is_dir, result)
    except Exception as e:  # hostile metadata must cost one entry, never the whole scan
        where = Location(_join(source.rel, entry))
        result.warn(Msg.INVALID_ENTRY, where, f"{type(e).__name__}: {e}")
        return None


def _read(source: Source, entry: str, is_dir: bool, result: CatalogResult) -> _Dist | None:
    path = source.path / entry
    if entry.endswith(".dist-info"):
        if not is_dir:
            result.warn(Msg.INVALID_ENTRY, Location(_join(source.rel, entry)), "not a directory")
            return None
        return _read_info_dir(source, entry, path, "METADATA", result)
    if entry.endswith(".egg-info"):
        if is_dir:
            return _read_info_dir(source, entry, path, "PKG-INFO", result)
        return _read_metadata(source, entry, path, _Extras(), result)
    if is_dir:  # an unzipped .egg
        return _read_info_dir(source, f"{entry}/EGG-INFO", path / "EGG-INFO", "PKG-INFO", result)
    return _read_zipped_egg(source, entry, path, result)


def _read_info_dir(
    source: Source, rel: str, path: Path, meta_name: str, result: CatalogResult
) -> _Dist | None:
    """A ``.dist-info``, ``.egg-info`` or ``EGG-INFO`` directory."""
    try:
        with os.scandir(path) as it:
            files = {e.name: Path(e.path) for e in it if e.is_file()}
    except OSError as e:
        result.warn(Msg.INVALID_ENTRY, Location(_join(source.rel, rel)), e.strerror or str(e))
        return None
    extras = _Extras(
        requested="REQUESTED" in files,
        installer=_installer(files.get("INSTALLER")),
        direct_url=_direct_url(source, rel, files.get("direct_url.json"), result),
        record_files=_count_lines(files.get("RECORD")),
        requires=_requires_txt(_read_small(files.get("requires.txt"))),
    )
    return _read_metadata(source, f"{rel}/{meta_name}", path / meta_name, extras, result)


def _read_metadata(
    source: Source, rel: str, path: Path, extras: _Extras, result: CatalogResult
) -> _Dist | None:
    where = Location(_join(source.rel, rel))
    if not path.is_file():
        result.warn(Msg.INVALID_ENTRY, where, "file not found")
        return None
    try:
        with path.open("rb") as fh:
            header = read_header_bytes(fh)
    except OSError as e:
        result.warn(Msg.INVALID_ENTRY, where, e.strerror or str(e))
        return None
    return _build(header, where, extras, result)


def _read_zipped_egg(source: Source, entry: str, path: Path, result: CatalogResult) -> _Dist | None:
    where = Location(_join(source.rel, entry, "EGG-INFO/PKG-INFO"))
    if not path.is_file():  # a socket or FIFO: never open it
        result.warn(Msg.INVALID_ENTRY, Location(_join(source.rel, entry)), "not a regular file")
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            with zf.open("EGG-INFO/PKG-INFO") as fh:
                header = read_header_bytes(fh)
            requires = _zip_member(zf, "EGG-INFO/requires.txt")
    except (OSError, KeyError, zipfile.BadZipFile) as e:
        result.warn(Msg.INVALID_ENTRY, where, f"{type(e).__name__}: {e}")
        return None
    return _build(header, where, _Extras(requires=_requires_txt(requires)), result)


def _zip_member(zf: zipfile.ZipFile, name: str) -> bytes | None:
    if name not in zf.namelist():
        return None
    with zf.open(name) as fh:
        return _bounded(fh)


def _build(header: bytes, where: Location, extras: _Extras, result: CatalogResult) -> _Dist | None:
    text = decode(header)
    if text is None:
        result.warn(Msg.INVALID_ENTRY, where, "binary content, not core metadata")
        return None
    meta = parse_core_metadata(text)
    if meta.name is None:
        result.warn(Msg.MISSING_NAME, where)
        return None
    if meta.version is None:
        result.warn(Msg.MISSING_VERSION, where, meta.name)
        return None
    component = make_component(
        "pypi",
        meta.name,
        meta.version,
        author=meta.author,
        description=meta.summary,
        licenses=_licenses(meta),
        homepage=meta.homepage,
        locations=(where,),
        source_url=extras.direct_url.url if extras.direct_url else None,
        hashes=extras.direct_url.hashes if extras.direct_url else (),
        properties=_properties(extras),
    )
    return _Dist(component, meta.requires + extras.requires, extras.requested)


def _licenses(meta: CoreMetadata) -> tuple[License, ...]:
    """License-Expression alone when present (PEP 639); else License text and classifiers."""
    if meta.license_expression:
        expr = meta.license_expression
        return (License(expr, _is_spdx_expression(expr)),)
    out = [License(meta.license, False)] if meta.license else []
    out.extend(License(c, False) for c in meta.license_classifiers if c != meta.license)
    return tuple(out)


def _is_spdx_expression(expr: str) -> bool:
    """Shape only (``MIT OR (Apache-2.0 WITH x)``); whether ids exist is checked later."""
    want_id, depth = True, 0
    for token in _SPDX_TOKEN.findall(expr):
        operator = token.upper() in _SPDX_OPERATORS
        if token == "(" and want_id:
            depth += 1
        elif token == ")" and not want_id and depth > 0:
            depth -= 1
        elif operator and not want_id:
            want_id = True
        elif want_id and not operator and _SPDX_ID.fullmatch(token):
            want_id = False
        else:
            return False
    return depth == 0 and not want_id


def _properties(extras: _Extras) -> tuple[tuple[str, str], ...]:
    props: list[tuple[str, str]] = []
    if extras.installer:
        props.append(("sbomkit:installer", extras.installer))
    if extras.record_files is not None:
        props.append(("sbomkit:record-files", str(extras.record_files)))
    if extras.direct_url:
        props.append(("sbomkit:source", extras.direct_url.kind))
    return tuple(sorted(props))


def _assemble(dists: list[_Dist], result: CatalogResult) -> None:
    """Direct flags, duplicate checks and the dependency edges among installed packages."""
    any_requested = any(d.requested for d in dists)
    by_name: dict[str, list[_Dist]] = {}
    for d in dists:
        if any_requested:
            d = replace(d, component=replace(d.component, direct=d.requested))
        c = d.component
        same = by_name.setdefault(pypi_name(c.name), [])
        if same and _duplicate(c, [s.component for s in same], result):
            continue
        same.append(d)
        result.components.append(c)
    edges: set[Dependency] = set()
    for group in by_name.values():
        for d in group:
            for req in d.requires:
                for target in by_name.get(pypi_name(req), ()):
                    if target.component.ref != d.component.ref:
                        edges.add(Dependency(d.component.ref, target.component.ref))
    result.dependencies.extend(sorted(edges))


def _duplicate(c: Component, installed: list[Component], result: CatalogResult) -> bool:
    """Warn about a second install of one name; True when it repeats a version (skip it)."""
    name, where = pypi_name(c.name), c.locations[0]
    for other in installed:
        if other.version == c.version:
            result.warn(
                Msg.DUPLICATE_ENTRY, where, f"{name} {c.version} also at {other.locations[0]}"
            )
            return True
    first = installed[0]
    detail = (
        f"{name} {c.version} installed next to {first.version} at {first.locations[0]}; both kept"
    )
    result.warn(Msg.DUPLICATE_ENTRY, where, detail)
    return False


def _direct_url(
    source: Source, rel: str, path: Path | None, result: CatalogResult
) -> DirectUrl | None:
    data = _read_small(path)
    if data is None:
        return None
    parsed = parse_direct_url(data)
    if isinstance(parsed, str):
        where = Location(_join(source.rel, rel, "direct_url.json"))
        result.warn(Msg.INVALID_ENTRY, where, parsed)
        return None
    return parsed


def _installer(path: Path | None) -> str | None:
    data = _read_small(path)
    if not data:
        return None
    first = data.decode("utf-8", "replace").strip().split("\n", 1)[0]
    return "".join(ch for ch in first if ch.isprintable()).strip()[:100] or None


def _requires_txt(data: bytes | None) -> tuple[str, ...]:
    """Names from setuptools' requires.txt; ``[extra]`` and ``[:marker]`` sections included."""
    if not data:
        return ()
    names = []
    for line in data.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line and line[0] not in "#[":
            name = requirement_name(line)
            if name:
                names.append(name)
    return tuple(names)


def _count_lines(path: Path | None) -> int | None:
    """Entries in a RECORD file, without keeping it in memory; None if absent or huge."""
    if path is None:
        return None
    count, size, last = 0, 0, b"\n"
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1024 * 1024):
                count += chunk.count(b"\n")
                size += len(chunk)
                last = chunk[-1:]
                if size > _MAX_RECORD_BYTES:
                    return None
    except OSError:
        return None
    return count + (last != b"\n")


def _read_small(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            return _bounded(fh)
    except OSError:
        return None


def _bounded(fh: IO[bytes]) -> bytes | None:
    data = fh.read(_SMALL_FILE_BYTES + 1)
    return None if len(data) > _SMALL_FILE_BYTES else data


def _join(*parts: str) -> str:
    return "/".join(p for p in parts if p)

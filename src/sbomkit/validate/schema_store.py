"""Filling the SPDX schema folder: from files at hand (import) or the official URLs (update).

A file is taken only when its content says which schema it is (``$id`` and ``title`` for
2.x, the JSON-LD context for 3.0.1, which has neither), whatever it is called. Each is
written to a temporary name and renamed, so a reader never sees half a schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from sbomkit.download import download
from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg
from sbomkit.validate.schemas import SPDX_BY_VERSION, SPDX_SCHEMAS, SpdxSchema

MAX_SCHEMA_BYTES = 16 * 1024 * 1024
_VERSION_IN_PATH = re.compile(r"v?(\d+(?:\.\d+)+)")
_IDS = {
    ("http://spdx.org/rdf/terms", "SPDX 2.2"): "2.2",
    ("http://spdx.org/rdf/terms/2.3", "SPDX 2.3"): "2.3",
}
_CONTEXTS = {"https://spdx.org/rdf/3.0.1/spdx-context.jsonld": "3.0.1"}


@dataclass(frozen=True, slots=True)
class Installed:
    entry: SpdxSchema
    source: str


def identify(doc: object) -> str | None:
    """The SPDX version a schema document is for, or None when it is not one we know."""
    if not isinstance(doc, dict):
        return None
    by_id = _IDS.get((str(doc.get("$id", "")).rstrip("#"), str(doc.get("title", ""))))
    if by_id:
        return by_id
    context = doc.get("properties", {}).get("@context", {})
    return _CONTEXTS.get(context.get("const", "")) if isinstance(context, dict) else None


def import_dir(source: Path, dest: Path) -> list[Installed]:
    """Copy every recognised schema under ``source``; of two for one version, the later
    revision by the version in its path (``2.3.1/`` over ``2.3/``) wins."""
    best: dict[str, tuple[tuple[int, ...], str, bytes]] = {}
    for path, data, version in _candidates(source):
        rank = (_path_version(path), str(path))
        if version not in best or rank > best[version][:2]:
            best[version] = (*rank, data)
    if not best:
        raise SbomkitError(Msg.SCHEMA_NONE_FOUND, str(source))
    for version, (_, _, data) in best.items():
        _install(dest, SPDX_BY_VERSION[version], data)
    return [Installed(SPDX_BY_VERSION[v], best[v][1]) for v in sorted(best)]


def update(dest: Path, base_url: str | None = None) -> list[Installed]:
    """Download each official schema; ``base_url`` replaces scheme and host (a mirror)."""
    done = []
    for entry in SPDX_SCHEMAS:
        url = _mirrored(entry.url, base_url)
        data = download(url, MAX_SCHEMA_BYTES)
        if identify(_json(data)) != entry.version:
            raise SbomkitError(
                Msg.DOWNLOAD_FAILED, url, f"not the SPDX {entry.version} JSON schema"
            )
        _install(dest, entry, data)
        done.append(Installed(entry, url))
    return done


def status(dest: Path) -> list[tuple[SpdxSchema, bool]]:
    return [(entry, (dest / entry.file).is_file()) for entry in SPDX_SCHEMAS]


def _candidates(source: Path) -> Iterator[tuple[Path, bytes, str]]:
    if not source.is_dir():
        raise SbomkitError(Msg.PATH_NOT_FOUND, str(source))
    for path in sorted(source.rglob("*.json")):
        if not path.is_file() or path.stat().st_size > MAX_SCHEMA_BYTES:
            continue
        data = path.read_bytes()
        version = identify(_json(data))
        if version:
            yield path, data, version


def _json(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return None


def _path_version(path: Path) -> tuple[int, ...]:
    found = [m.group(1) for part in path.parts if (m := _VERSION_IN_PATH.fullmatch(part))]
    return tuple(int(n) for n in found[-1].split(".")) if found else ()


def _mirrored(url: str, base_url: str | None) -> str:
    return f"{base_url.rstrip('/')}{urlsplit(url).path}" if base_url else url


def _install(dest: Path, entry: SpdxSchema, data: bytes) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    tmp = dest / f".{entry.file}.tmp"
    tmp.write_bytes(data)
    tmp.replace(dest / entry.file)

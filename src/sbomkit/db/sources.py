"""Where OSV records come from: an ``all.zip`` archive, a folder tree or one JSON file.

Each source yields ``(entry name, bytes or error text)``; an entry that cannot be read is
one bad record, a source that cannot be opened at all is a DbError naming the file.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sbomkit.db.interface import DbError
from sbomkit.i18n import Msg

# Largest single record read, bytes. OSV's biggest records (Linux kernel, Ubuntu) are a
# few hundred KiB; a member claiming more is a broken or hostile archive.
MAX_RECORD_BYTES = 32 * 1024 * 1024

Entry = tuple[str, bytes | str]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One input of an import run."""

    path: Path  # the file or folder read
    name: str  # shown to the user
    location: str  # the source's identity in the store: resolved path or URL
    kind: str  # zip, folder, file, url
    etag: str | None = None
    last_modified: str | None = None


def spec_for_path(path: Path) -> SourceSpec:
    resolved = path.resolve()
    if not resolved.exists():
        raise DbError(Msg.PATH_NOT_FOUND, str(path))
    if resolved.is_dir():
        kind = "folder"
    elif resolved.suffix.lower() == ".json":
        kind = "file"
    else:
        kind = "zip"
    return SourceSpec(resolved, path.name or str(path), str(resolved), kind)


def entries(spec: SourceSpec) -> Iterator[Entry]:
    if spec.kind == "folder":
        return _folder(spec.path)
    if spec.kind == "file":
        return iter([(spec.path.name, _read_file(spec.path, spec.name))])
    return _zip(spec)


def _zip(spec: SourceSpec) -> Iterator[Entry]:
    try:
        archive = zipfile.ZipFile(spec.path)
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise DbError(Msg.DB_BAD_ARCHIVE, spec.name, str(e)) from e
    except OSError as e:
        raise DbError(Msg.FILE_UNREADABLE, spec.name, e.strerror or str(e)) from e
    return _members(archive)


def _members(archive: zipfile.ZipFile) -> Iterator[Entry]:
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.endswith(".json"):
                continue
            if info.file_size > MAX_RECORD_BYTES:
                yield info.filename, f"entry is {info.file_size} bytes, limit {MAX_RECORD_BYTES}"
                continue
            try:
                with archive.open(info) as f:
                    yield info.filename, f.read(MAX_RECORD_BYTES + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
                yield info.filename, f"cannot read archive entry: {e}"


def _folder(root: Path) -> Iterator[Entry]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        found.extend(Path(folder, f) for f in sorted(files) if f.endswith(".json"))
    for path in found:
        rel = path.relative_to(root).as_posix()
        yield rel, _read_file(path, rel)


def _read_file(path: Path, rel: str) -> bytes | str:
    try:
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES:
            return f"file is {size} bytes, limit {MAX_RECORD_BYTES}"
        return path.read_bytes()
    except OSError as e:
        return f"cannot read file: {e.strerror or e}"

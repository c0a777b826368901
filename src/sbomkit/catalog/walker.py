"""Find the inputs catalogers claim under a root directory.

Skips VCS and cache folders, honours ``--exclude`` globs, and never follows a symbolic link
to a place outside the root (a link inside the root is followed once).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sbomkit.catalog.interface import Source
from sbomkit.catalog.registry import CATALOGERS, CatalogerSpec
from sbomkit.i18n import Msg
from sbomkit.model import Diagnostic, Location

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "CVS",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".cache",
        ".gradle",
        ".idea",
        ".vscode",
        ".yarn",
        ".pnpm-store",
        ".npm",
        ".eggs",
    }
)


@dataclass(frozen=True, slots=True)
class Job:
    spec: CatalogerSpec
    source: Source


@dataclass(slots=True)
class Walk:
    jobs: list[Job]
    diagnostics: list[Diagnostic]


def _excluded(rel: str, name: str, excludes: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g) for g in excludes)


def walk(
    root: Path, excludes: Sequence[str] = (), specs: Sequence[CatalogerSpec] = CATALOGERS
) -> Walk:
    """All (cataloger, source) pairs under ``root``, in a stable order."""
    root = root.resolve()
    out = Walk([], [])
    if root.is_file():
        _claim_file(root.parent, root.name, root.name, specs, out)
        return out
    seen: set[tuple[int, int]] = set()
    for rel_dir, path in _dirs(root, excludes, specs, seen, out):
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if _excluded(rel, entry.name, excludes) or not entry.is_file():
                continue
            if _escapes(entry, str(root), rel, out):
                continue
            _claim_file(Path(path), entry.name, rel, specs, out)
    out.jobs.sort(key=lambda j: (j.source.rel, j.spec.name))
    return out


def _claim_file(
    parent: Path, name: str, rel: str, specs: Sequence[CatalogerSpec], out: Walk
) -> None:
    claimed = False
    for spec in specs:
        if spec.claims_file(parent.name, name):
            out.jobs.append(Job(spec, Source(parent / name, rel)))
            claimed = True
    if not claimed and _may_be_executable(parent / name):
        head = _head(parent / name)
        for spec in specs:
            if spec.magic and head.startswith(spec.magic):
                out.jobs.append(Job(spec, Source(parent / name, rel)))


_EXE_SUFFIXES = (".exe", ".dll", ".so", ".dylib")


def _may_be_executable(path: Path) -> bool:
    """Only files marked executable (or named like one) are opened to sniff: reading the
    first bytes of every file in a large tree would cost more than the rest of the walk."""
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_size >= 64 and (bool(st.st_mode & 0o111) or path.name.endswith(_EXE_SUFFIXES))


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(4)
    except OSError:
        return b""


def _dirs(
    root: Path,
    excludes: Sequence[str],
    specs: Sequence[CatalogerSpec],
    seen: set[tuple[int, int]],
    out: Walk,
) -> Iterator[tuple[str, str]]:
    """Directories to list, depth first; claims whole directories (site-packages) on the way."""
    stack: list[tuple[str, str]] = [("", str(root))]
    root_str = str(root)
    while stack:
        rel_dir, path = stack.pop()
        try:
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:  # a link loop or a second link to one place
            continue
        seen.add((st.st_dev, st.st_ino))
        yield rel_dir, path
        children: list[tuple[str, str]] = []
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.name in SKIP_DIRS or not entry.is_dir():
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if _excluded(rel, entry.name, excludes):
                continue
            if _escapes(entry, root_str, rel, out):
                continue
            claimed = [s for s in specs if s.claims_dir(entry.name)]
            for spec in claimed:
                out.jobs.append(Job(spec, Source(Path(entry.path), rel)))
            if not claimed:
                children.append((rel, entry.path))
        stack.extend(sorted(children, reverse=True))


def _escapes(entry: os.DirEntry[str], root: str, rel: str, out: Walk) -> bool:
    """True (and a warning) for a symbolic link that leads outside the root."""
    if not entry.is_symlink():
        return False
    real = os.path.realpath(entry.path)
    if real == root or real.startswith(root + os.sep):
        return False
    out.diagnostics.append(Diagnostic(Msg.SYMLINK_OUTSIDE_ROOT, Location(rel), real))
    return True

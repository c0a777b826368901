"""License files of a component: find them, read them safely, detect what they hold.

Only per-package folders are searched (a dist-info, node_modules/<name>, a folder with the
package's own manifest, the scan root for the primary component), so the project's LICENSE
is never attributed to a dependency that a root lockfile merely names.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from sbomkit.i18n import Msg
from sbomkit.licenses.detect import HIGH, Detection, detect_text
from sbomkit.model import Component, Diagnostic, Location

MAX_BYTES = 1024 * 1024  # a license file larger than this is read up to here
_NAME = re.compile(
    r"^(?:un)?licen[cs]e|^copying|^notice|^copyright|^mit-licen[cs]e|\.licen[cs]e$", re.IGNORECASE
)
# Data and code beside license files ("licenses/MIT.json" of a license-list package).
_NOT_TEXT = re.compile(r"\.(?:json|[cm]?js|ts|py|map|ya?ml|xml|toml|sh)$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^\s*(?:copyright\s*(?:\(c\)|©)?|\(c\)|©)\s*\S.*$", re.IGNORECASE)
# Manifests that describe exactly the package in their folder.
_OWN_MANIFEST = {"METADATA", "PKG-INFO", "package.json", "Cargo.toml", "composer.json", "pom.xml"}


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str  # relative to the scan root
    text: str
    detection: Detection
    copyrights: tuple[str, ...]


def package_dirs(c: Component, is_primary: bool = False) -> list[str]:
    """Folders (relative to the scan root) that belong to ``c`` alone."""
    dirs = {""} if is_primary else set()
    for loc in c.locations:
        folder, name = posixpath.split(loc.path)
        if name not in _OWN_MANIFEST:
            continue
        leaf = posixpath.basename(folder).lower()
        plain = c.name.lower().split("/")[-1]
        if leaf.endswith((".dist-info", ".egg-info")) or leaf == plain or is_primary:
            dirs.add(folder)
    return sorted(dirs)


def license_files(root: Path, folder: str) -> list[str]:
    base = root / folder
    found: list[str] = []
    for sub in ("", "licenses", "LICENSES"):  # PEP 639 puts them in dist-info/licenses/
        here = base / sub
        if not here.is_dir() or here.is_symlink():
            continue
        found.extend(
            posixpath.join(folder, sub, e.name).lstrip("/")
            for e in sorted(here.iterdir())
            if e.is_file()
            and not e.is_symlink()
            and _NAME.search(e.name)
            and not _NOT_TEXT.search(e.name)
        )
    return found


def read_license(path: Path, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """The text of a license file, or None when it is not text; problems as diagnostics."""
    notes: list[Diagnostic] = []
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        return None, [Diagnostic(Msg.FILE_UNREADABLE, Location(rel), e.strerror or str(e))]
    if len(data) > MAX_BYTES:
        data = data[:MAX_BYTES]
        notes.append(Diagnostic(Msg.LICENSE_FILE_TOO_LARGE, Location(rel), f"{MAX_BYTES} bytes"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), notes
    if b"\x00" in data[:8192]:
        return None, [*notes, Diagnostic(Msg.LICENSE_FILE_BINARY, Location(rel))]
    try:
        return data.decode("utf-8-sig"), notes
    except UnicodeDecodeError as e:
        where = f"byte {e.start}"
        notes.append(Diagnostic(Msg.LICENSE_FILE_NOT_UTF8, Location(rel), where))
        return data.decode("latin-1"), notes


def copyrights(text: str) -> tuple[str, ...]:
    lines = (line.strip() for line in text.splitlines()[:2000])
    found = [line[:300] for line in lines if _COPYRIGHT.match(line) and len(line) > 12]
    return tuple(dict.fromkeys(found))


def scan_component(
    root: Path, c: Component, is_primary: bool = False
) -> tuple[list[FileResult], list[Diagnostic]]:
    results: list[FileResult] = []
    notes: list[Diagnostic] = []
    for folder in package_dirs(c, is_primary):
        for rel in license_files(root, folder):
            text, problems = read_license(root / rel, rel)
            notes.extend(problems)
            if text is None:
                continue
            detection = detect_text(text)
            if not detection.matches and not posixpath.basename(rel).upper().startswith("NOTICE"):
                notes.append(Diagnostic(Msg.LICENSE_NOT_DETECTED, Location(rel), c.ref))
            results.append(FileResult(rel, text, detection, copyrights(text)))
    return results, notes


def certain(results: list[FileResult]) -> list[FileResult]:
    return [r for r in results if r.detection.matches and r.detection.confidence >= HIGH]

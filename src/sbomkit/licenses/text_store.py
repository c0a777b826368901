"""The license-text folder: SPDX list texts installed by ``sbomkit license-texts``.

They are third-party data, so they are not in sbomkit's source: the user installs them
(``update`` from the npm registry, ``import`` offline). Detection looks in
``$SBOMKIT_LICENSE_TEXTS`` when it is set; else in ``$XDG_DATA_HOME/sbomkit/license-texts``
(``~/.local/share/...``) and then ``<venv>/share/sbomkit/license-texts`` (where ``make``
puts them), whichever holds an installation first.

A folder holds ``texts/<SPDX id>.txt`` for every license of the package and
``manifest.json``: where the texts came from, and which of them detection uses (chosen by
:mod:`sbomkit.licenses.text_select` against the installed licensedcode-data). An install is
written beside the folder and renamed into place, so a failed one leaves the previous
texts as they were.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import orjson

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg
from sbomkit.licenses.text_fetch import PACKAGE, SPDX_ID, Package

ENV = "SBOMKIT_LICENSE_TEXTS"
MANIFEST = "manifest.json"
TEXTS = "texts"
FORMAT = 1  # manifest layout version


@dataclass(frozen=True, slots=True)
class Installed:
    folder: Path
    version: str  # of the spdx-license-list package
    origin: str  # URL or path it was installed from
    integrity: str
    texts: int  # how many license texts the folder holds
    detection: tuple[str, ...]  # the ids whose texts detection uses
    licensedcode: str  # licensedcode-data version the choice was made against


def user_folder() -> Path:
    """Where ``update`` and ``import`` install by default: ``$SBOMKIT_LICENSE_TEXTS``, else
    ``<XDG_DATA_HOME or ~/.local/share>/sbomkit/license-texts``."""
    explicit = os.environ.get(ENV)
    if explicit:
        return Path(explicit)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "sbomkit" / "license-texts"


def venv_folder() -> Path:
    return Path(sys.prefix) / "share" / "sbomkit" / "license-texts"


def searched() -> list[Path]:
    """The folders detection looks in, in order (only the explicit one when it is set)."""
    if os.environ.get(ENV):
        return [user_folder()]
    return [user_folder(), venv_folder()]


def find() -> Installed | None:
    """The first installation among :func:`searched`, or None."""
    return next((found for f in searched() if (found := read(f)) is not None), None)


def read(folder: Path) -> Installed | None:
    """The installation in ``folder``; None when there is none or its manifest is unusable."""
    try:
        data = orjson.loads((folder / MANIFEST).read_bytes())
        return Installed(
            folder,
            str(data["version"]),
            str(data["origin"]),
            str(data["integrity"]),
            int(data["texts"]),
            tuple(i for i in data["detection"] if isinstance(i, str) and SPDX_ID.fullmatch(i)),
            str(data["licensedcode"]),
        )
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


def load(installed: Installed) -> dict[str, str]:
    """The texts detection uses, by SPDX id; one that went missing is left out."""
    out = {}
    for spdx_id in installed.detection:
        try:
            out[spdx_id] = (installed.folder / TEXTS / f"{spdx_id}.txt").read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return out


def install(dest: Path, package: Package) -> Installed:
    """Write ``package`` to ``dest``, replacing what is there only once all is written."""
    from sbomkit.licenses.text_select import select

    check_replaceable(dest)
    chosen = tuple(select(package.texts))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
    try:
        (tmp / TEXTS).mkdir()
        for spdx_id, text in package.texts.items():
            (tmp / TEXTS / f"{spdx_id}.txt").write_text(text, encoding="utf-8")
        manifest = {
            "format": FORMAT,
            "package": PACKAGE,
            "version": package.version,
            "origin": package.origin,
            "integrity": package.integrity,
            "texts": len(package.texts),
            "detection": list(chosen),
            "licensedcode": licensedcode_version(),
        }
        (tmp / MANIFEST).write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        _swap(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    found = read(dest)
    assert found is not None
    return found


def check_replaceable(dest: Path) -> None:
    """Never replace a folder that is not ours (a mistyped --dest of $HOME)."""
    if dest.is_dir() and any(dest.iterdir()) and not (dest / MANIFEST).is_file():
        raise SbomkitError(Msg.LIC_TEXTS_NOT_OURS, str(dest))
    if dest.exists() and not dest.is_dir():
        raise SbomkitError(Msg.LIC_TEXTS_NOT_OURS, str(dest))


def _swap(new: Path, dest: Path) -> None:
    """Two renames: a reader sees the old folder, the new one, or (for that instant) none,
    never a half-written one."""
    if not dest.exists():
        new.rename(dest)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    old.rmdir()
    dest.rename(old)
    try:
        new.rename(dest)
    except OSError:
        old.rename(dest)
        raise
    shutil.rmtree(old, ignore_errors=True)


def licensedcode_version() -> str:
    try:
        return metadata.version("licensedcode-data")
    except metadata.PackageNotFoundError:
        return ""

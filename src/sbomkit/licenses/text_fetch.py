"""The SPDX list license texts as npm's ``spdx-license-list`` package (CC0-1.0) holds them.

``latest`` reads the package metadata from a registry (``dist-tags.latest``, then that
version's ``dist.tarball`` and ``dist.integrity``); ``download`` fetches the tarball and
checks its sha512 before reading it; ``read_path`` takes the same tarball, or the unpacked package,
from disk. The tarball is read in memory, member by member with size limits: nothing is
extracted, so no member name can reach outside a folder.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from sbomkit import download as http
from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg

PACKAGE = "spdx-license-list"
REGISTRY = "https://registry.npmjs.org"
TEXTS_MEMBER = "spdx-full.json"  # {id: {name, url, osiApproved, licenseText}}
MAX_METADATA = 16 * 1024 * 1024
MAX_TARBALL = 32 * 1024 * 1024
MAX_MEMBER = 32 * 1024 * 1024
MAX_UNPACKED = 256 * 1024 * 1024  # a gzip bomb stops here, not at the end of the disk
# An SPDX license id (idstring in the SPDX spec): it also becomes a file name.
SPDX_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")


@dataclass(frozen=True, slots=True)
class Package:
    version: str
    texts: dict[str, str]  # SPDX id -> license text
    origin: str  # the URL or path it was read from
    integrity: str = ""  # the registry's dist.integrity, when downloaded


def download(url: str, integrity: str) -> Package:
    """The tarball at ``url``, read once its sha512 matches ``integrity``."""
    data = http.download(url, MAX_TARBALL)
    verify(data, integrity, url)
    package = read_tgz(data, url)
    return Package(package.version, package.texts, url, integrity)


def latest(registry: str = REGISTRY) -> tuple[str, str, str]:
    """(version, tarball URL, integrity) of the latest release the registry names."""
    url = f"{registry.rstrip('/')}/{quote(PACKAGE)}"
    meta = _json(http.download(url, MAX_METADATA), url)
    try:
        version = meta["dist-tags"]["latest"]
        dist = meta["versions"][version]["dist"]
        tarball, integrity = dist["tarball"], dist["integrity"]
    except (KeyError, TypeError) as e:
        raise _bad(url, f"no {e} in the package metadata") from e
    if not all(isinstance(v, str) for v in (version, tarball, integrity)):
        raise _bad(url, "dist-tags.latest, dist.tarball and dist.integrity must be strings")
    return version, tarball, integrity


def verify(data: bytes, integrity: str, where: str) -> None:
    """``integrity`` is a Subresource Integrity value; its sha512 must match ``data``."""
    wanted = [v.removeprefix("sha512-") for v in integrity.split() if v.startswith("sha512-")]
    if not wanted:
        raise SbomkitError(Msg.LIC_TEXTS_INTEGRITY, where, f"no sha512 in {integrity!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual not in wanted:
        raise SbomkitError(Msg.LIC_TEXTS_INTEGRITY, where, f"sha512-{actual}")


def read_path(path: Path) -> Package:
    """The package from its tarball (``.tgz``), its unpacked folder, or a folder holding it
    (``package/`` as a tarball unpacks, ``node_modules/spdx-license-list``)."""
    if path.is_file():
        if path.stat().st_size > MAX_TARBALL:
            raise _bad(str(path), f"larger than {MAX_TARBALL} bytes")
        return read_tgz(path.read_bytes(), str(path))
    for folder in (path, path / "package", path / "node_modules" / PACKAGE, path / PACKAGE):
        if (folder / "package.json").is_file() and (folder / TEXTS_MEMBER).is_file():
            return _package(
                _read_bounded(folder / "package.json"),
                _read_bounded(folder / TEXTS_MEMBER),
                str(folder),
            )
    if not path.exists():
        raise SbomkitError(Msg.PATH_NOT_FOUND, str(path))
    raise _bad(str(path), f"no package.json and {TEXTS_MEMBER} of {PACKAGE}")


def read_tgz(data: bytes, where: str) -> Package:
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar:
                if member.offset_data > MAX_UNPACKED:
                    raise _bad(where, f"unpacks to more than {MAX_UNPACKED} bytes")
                # npm packs into package/; a few old tarballs use another top folder.
                name = member.name.partition("/")[2]
                if member.isfile() and name in ("package.json", TEXTS_MEMBER):
                    if member.size > MAX_MEMBER:
                        raise _bad(where, f"{member.name} is larger than {MAX_MEMBER} bytes")
                    extracted = tar.extractfile(member)
                    members[name] = extracted.read() if extracted else b""
    except (tarfile.TarError, OSError, EOFError) as e:  # gzip errors are OSErrors
        raise _bad(where, f"not a gzip-compressed tar file: {e}") from e
    if set(members) != {"package.json", TEXTS_MEMBER}:
        raise _bad(where, f"no package/package.json and package/{TEXTS_MEMBER}")
    return _package(members["package.json"], members[TEXTS_MEMBER], where)


def _package(manifest: bytes, texts: bytes, where: str) -> Package:
    meta = _json(manifest, where)
    if not isinstance(meta, dict) or meta.get("name") != PACKAGE:
        raise _bad(where, f"package.json does not name {PACKAGE}")
    listing = _json(texts, where)
    if not isinstance(listing, dict):
        raise _bad(where, f"{TEXTS_MEMBER} is not an object")
    out = {
        spdx_id: entry["licenseText"]
        for spdx_id, entry in listing.items()
        if SPDX_ID.fullmatch(spdx_id)
        and isinstance(entry, dict)
        and isinstance(entry.get("licenseText"), str)
    }
    if not out:
        raise _bad(where, f"{TEXTS_MEMBER} holds no license texts")
    return Package(str(meta.get("version", "")), out, where)


def _read_bounded(path: Path) -> bytes:
    with path.open("rb") as f:
        data = f.read(MAX_MEMBER + 1)
    if len(data) > MAX_MEMBER:
        raise _bad(str(path), f"larger than {MAX_MEMBER} bytes")
    return data


def _json(data: bytes, where: str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as e:
        raise _bad(where, f"not JSON: {e}") from e


def _bad(where: str, detail: str) -> SbomkitError:
    return SbomkitError(Msg.LIC_TEXTS_BAD_PACKAGE, where, detail)

"""An uploaded SBOM: format detection, schema validation, reading, limits.

The same readers and validators as the CLI; a problem becomes an ApiError naming it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sbomkit.errors import SbomkitError
from sbomkit.formats.readers import detect, get_reader
from sbomkit.i18n import Msg
from sbomkit.model import Inventory
from sbomkit.server.config import Settings
from sbomkit.server.errors import ApiError
from sbomkit.validate import _utf8
from sbomkit.validate.documents import CHECKS
from sbomkit.validate.result import Found, Problem
from sbomkit.validate.schemas import SchemaMissingError

# Our own "no schema for this version" notes do not make a document invalid.
_NOT_FATAL = {Msg.NO_SCHEMA}


@dataclass(frozen=True, slots=True)
class Upload:
    data: bytes
    fmt: str
    spec: str | None
    sha256: str
    inventory: Inventory


def check_size(size: int, settings: Settings) -> None:
    if size > settings.max_upload_bytes:
        raise ApiError(413, Msg.SRV_TOO_LARGE, size=size, limit=settings.max_upload_bytes)


def parse_upload(data: bytes, name: str, settings: Settings) -> Upload:
    check_size(len(data), settings)
    try:
        text = _utf8(data)
        fmt = detect(text, name)
        spec, found = _validate(fmt, text, name)
        if found is not None:
            bad = [p for p in found.problems if p.code not in _NOT_FATAL]
            if bad:
                details = [_where(p) + p.text("en") for p in bad]
                raise ApiError(422, Msg.SRV_INVALID_SBOM, details=details)
        inventory = get_reader(fmt).read(text, name)
    except SbomkitError as e:
        raise ApiError(422, Msg.SRV_INVALID_SBOM, details=[e.render("en")]) from e
    if len(inventory.components) > settings.max_components:
        raise ApiError(
            422,
            Msg.SRV_TOO_MANY_COMPONENTS,
            count=len(inventory.components),
            limit=settings.max_components,
        )
    return Upload(data, fmt, spec, hashlib.sha256(data).hexdigest(), inventory)


def _validate(fmt: str, text: bytes, name: str) -> tuple[str | None, Found | None]:
    """The schema check of the document's declared version; skipped (the reader still
    checks the structure) when that schema is not installed, as SPDX's are not by default."""
    if fmt not in CHECKS:
        return None, None
    try:
        return CHECKS[fmt](text, name)
    except SchemaMissingError:
        return None, None


def _where(p: Problem) -> str:
    line = "" if p.line is None else f" line {p.line}"
    return f"{p.pointer or ''}{line}: "

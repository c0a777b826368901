"""Schema validation of SBOM files against the official schema of their declared version.

``validate_file(path)`` never raises for a bad document: a file that cannot be read or
parsed comes back with ``error`` set, a schema violation as ``problems``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from sbomkit.errors import SbomkitError
from sbomkit.formats._safe import read_bounded
from sbomkit.formats.readers import detect
from sbomkit.i18n import Msg
from sbomkit.validate.documents import CHECKS, FAMILY
from sbomkit.validate.result import MAX_PROBLEMS, Problem, ValidationResult

__all__ = ["FAMILY", "MAX_PROBLEMS", "Problem", "ValidationResult", "validate_file"]


def validate_file(path: Path, rel: str | None = None) -> ValidationResult:
    shown = rel or str(path)
    fmt: str | None = None
    try:
        data = _utf8(read_bounded(path, shown))
        fmt = detect(data, shown)
        check = CHECKS.get(fmt)
        if check is None:
            raise SbomkitError(Msg.UNSUPPORTED_VERSION, shown, f"{fmt} is not validated yet")
        spec, found = check(data, shown)
    except SbomkitError as e:
        return ValidationResult(shown, fmt, error=e)
    return ValidationResult(shown, fmt, spec, found.problems, found.total)


def _utf8(data: bytes) -> bytes:
    """UTF-16 with a byte-order mark (as some SPDX tools write) and UTF-8 with one, as
    plain UTF-8; undecodable UTF-16 is left for the format check to reject."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return data
    return data.removeprefix(codecs.BOM_UTF8)

"""Validating an SBOM file, and reading it too, from one parse of it.

``validate_file(path)`` checks a file against the schema of its declared version;
``load_and_validate(path)`` also reads it into an inventory, parsing it once for both.
Neither raises for a bad document: what could not be read is in ``error``, a schema
violation in the problems.

A CycloneDX or SPDX JSON document of 8 MiB or more (``formats._json_stream``) is read
as a stream: the top level, then each component, package or relationship, checked
(``stream.StreamCheck``) and mapped as it comes and then dropped. A document that fails
the check is checked again whole, so its problems read exactly as a small one's.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from sbomkit.errors import SbomkitError
from sbomkit.formats._json_stream import JsonStream, Unstreamable
from sbomkit.formats._safe import json_document, read_bounded
from sbomkit.formats.readers import big_json, detect, get_json_reader, get_reader
from sbomkit.i18n import Msg
from sbomkit.model import Inventory
from sbomkit.validate.documents import CHECKS, JSON_SCHEMAS, check_whole
from sbomkit.validate.result import Found, ValidationResult
from sbomkit.validate.stream import StreamCheck

_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)


@dataclass(frozen=True, slots=True)
class Loaded:
    validation: ValidationResult
    inventory: Inventory | None = None
    error: SbomkitError | None = None  # why there is no inventory


def validate_file(path: Path, rel: str | None = None) -> ValidationResult:
    shown = rel or str(path)
    try:
        big = big_json(path, shown)
    except SbomkitError as e:
        return ValidationResult(shown, error=e)
    if big is not None:
        fmt, stream = big
        try:
            check = _StreamValidation(fmt, stream, shown)
            for key in sorted(stream.streamed) if check.check else ():
                for _ in stream.items(key):
                    pass
            return check.result(path)
        except Unstreamable:
            pass
    return _validate_whole(path, shown)


def load_and_validate(path: Path, rel: str | None = None) -> Loaded:
    """The file's schema validation and its inventory (or why there is none)."""
    shown = rel or str(path)
    try:
        big = big_json(path, shown)
    except SbomkitError as e:
        return Loaded(ValidationResult(shown, error=e), None, e)
    if big is not None:
        try:
            return _load_stream(path, shown, *big)
        except Unstreamable:
            pass
    return _load_whole(path, shown)


class _StreamValidation:
    def __init__(self, fmt: str, stream: JsonStream, shown: str) -> None:
        self.fmt, self.shown = fmt, shown
        self.spec: str | None = None
        self.known: ValidationResult | None = None  # decided by the top level alone
        self.check: StreamCheck | None = None
        try:
            self.spec, schema = JSON_SCHEMAS[fmt](stream.top)
        except SbomkitError as e:
            self.known = ValidationResult(shown, fmt, error=e)
            return
        if isinstance(schema, Found):
            self.known = ValidationResult(shown, fmt, self.spec, schema.problems, schema.total)
        else:
            self.check = StreamCheck(schema, stream)

    def result(self, path: Path) -> ValidationResult:
        """Once the stream has been read: the verdict, or the whole document's check."""
        if self.known is not None:
            return self.known
        found = self.check.found() if self.check else None
        if found is None:
            return _validate_whole(path, self.shown)
        return ValidationResult(self.shown, self.fmt, self.spec, found.problems, found.total)


def _load_stream(path: Path, shown: str, fmt: str, stream: JsonStream) -> Loaded:
    validation = _StreamValidation(fmt, stream, shown)
    try:
        inventory = get_json_reader(fmt).read_stream(stream, shown)
    except SbomkitError as e:
        return Loaded(validation.result(path), None, e)
    return Loaded(validation.result(path), inventory)


def _load_whole(path: Path, shown: str) -> Loaded:
    try:
        data = read_bounded(path, shown)
        fmt = None if data.startswith(_BOMS) else detect(data, shown)
    except SbomkitError as e:
        return Loaded(ValidationResult(shown, error=e), None, e)
    if fmt not in JSON_SCHEMAS:  # two parses: the validators' and the reader's differ
        validation = _validate_data(data, shown)
        try:
            return Loaded(validation, get_reader(fmt or detect(data, shown)).read(data, shown))
        except SbomkitError as e:
            return Loaded(validation, None, e)
    try:
        doc = json_document(data, shown)
    except SbomkitError as e:
        return Loaded(ValidationResult(shown, fmt, error=e), None, e)
    del data
    try:
        spec, found = check_whole(fmt, doc)
        validation = ValidationResult(shown, fmt, spec, found.problems, found.total)
    except SbomkitError as e:
        validation = ValidationResult(shown, fmt, error=e)
    try:
        return Loaded(validation, get_json_reader(fmt).read_document(doc, shown))
    except SbomkitError as e:
        return Loaded(validation, None, e)


def _validate_whole(path: Path, shown: str) -> ValidationResult:
    try:
        data = read_bounded(path, shown)
    except SbomkitError as e:
        return ValidationResult(shown, error=e)
    return _validate_data(data, shown)


def _validate_data(data: bytes, shown: str) -> ValidationResult:
    fmt: str | None = None
    try:
        data = _utf8(data)
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

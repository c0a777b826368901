"""The cataloger contract, its result type and its base error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg
from sbomkit.model import Component, Dependency, Diagnostic, Location

# Lockfiles of 100k packages stay well under this; anything bigger is not one of ours.
MAX_FILE_BYTES = 256 * 1024 * 1024


class CatalogError(SbomkitError):
    """A whole file cannot be used: unreadable, too large, or not the expected format."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input for one cataloger: a file (or, for installed trees, a directory)."""

    path: Path  # absolute
    rel: str  # as shown to the user: relative to the scan root, POSIX separators

    def at(self, line: int | None = None) -> Location:
        return Location(self.rel, line)

    def read_bytes(self, limit: int = MAX_FILE_BYTES) -> bytes:
        try:
            with self.path.open("rb") as fh:
                data = fh.read(limit + 1)
        except OSError as e:
            raise CatalogError(Msg.FILE_UNREADABLE, self.rel, e.strerror or str(e)) from e
        if len(data) > limit:
            raise CatalogError(Msg.FILE_TOO_LARGE, self.rel, f"limit {limit} bytes")
        return data

    def read_text(self, limit: int = MAX_FILE_BYTES) -> str:
        data = self.read_bytes(limit)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise CatalogError(Msg.WRONG_FORMAT, self.rel, f"not UTF-8: {e.reason}") from e


@dataclass(slots=True)
class CatalogResult:
    components: list[Component] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The package this file belongs to (root of its graph), e.g. package.json's name.
    project: Component | None = None

    def warn(self, code: Msg, location: Location, detail: str = "") -> None:
        self.diagnostics.append(Diagnostic(code, location, detail))


class Cataloger(Protocol):
    """Reads one source. Bad entries become warnings; only a wrong file raises CatalogError."""

    name: ClassVar[str]

    def catalog(self, source: Source) -> CatalogResult: ...

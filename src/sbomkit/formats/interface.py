"""The writer contract and the output stage's base error."""

from __future__ import annotations

from typing import Protocol

from sbomkit.errors import SbomkitError
from sbomkit.model import Inventory


class FormatError(SbomkitError):
    """An inventory cannot be written in the chosen format."""


class Writer(Protocol):
    """Turns an inventory into the bytes of one SBOM document.

    ``write`` is pure apart from two environment facts: ``SOURCE_DATE_EPOCH`` (when set,
    serial numbers and namespaces are derived from the content, so two runs are identical)
    and the clock (only when the inventory carries no timestamp).
    """

    @property
    def name(self) -> str:
        """The registry key, e.g. ``cyclonedx-json``."""
        ...

    @property
    def media_type(self) -> str: ...

    @property
    def extension(self) -> str:
        """The conventional file suffix, e.g. ``.cdx.json``."""
        ...

    @property
    def spec(self) -> str:
        """The specification version this writer produces, e.g. ``1.6``."""
        ...

    @property
    def specs(self) -> tuple[str, ...]:
        """Every specification version this format can produce, the default first."""
        ...

    def for_spec(self, spec: str) -> Writer:
        """A writer of the same format for another version in :attr:`specs`."""
        ...

    def write(self, inventory: Inventory) -> bytes: ...

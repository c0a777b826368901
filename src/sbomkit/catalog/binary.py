"""Executables: the Go build info or cargo-auditable data a binary carries, if any.

One cataloger for every ELF/PE/Mach-O file the walker sniffs, so a binary is opened by
each reader in turn and a binary that carries neither (a C program, a script runtime) is
quietly not a source of components rather than an error.
"""

from __future__ import annotations

from typing import ClassVar

from sbomkit.catalog.golang.binary import GoBinaryCataloger
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.rust.auditable_binary import CargoAuditableCataloger
from sbomkit.i18n import Msg

_NOT_OURS = (Msg.WRONG_FORMAT, Msg.UNSUPPORTED_VERSION)


class BinaryCataloger:
    name: ClassVar[str] = "binary"

    def __init__(self) -> None:
        self.readers = (GoBinaryCataloger(), CargoAuditableCataloger())

    def catalog(self, source: Source) -> CatalogResult:
        merged = CatalogResult()
        for reader in self.readers:
            try:
                found = reader.catalog(source)
            except CatalogError as e:
                if e.code in _NOT_OURS:
                    continue
                raise
            merged.components += found.components
            merged.dependencies += found.dependencies
            merged.diagnostics += found.diagnostics
            merged.project = merged.project or found.project
        return merged

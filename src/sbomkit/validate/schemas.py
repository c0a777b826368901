"""Where each official schema lives: CycloneDX in cyclonedx-python-lib, SPDX in a folder.

CycloneDX schemas ship as package data of cyclonedx-python-lib. SPDX publishes its schemas
under a licence we do not redistribute, so they sit in a schema folder the user fills with
``sbomkit schemas import`` or ``sbomkit schemas update``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg, render

Json = dict[str, Any]

CDX_PACKAGE = "cyclonedx.schema._res"
CYCLONEDX_SPECS = ("1.2", "1.3", "1.4", "1.5", "1.6")
# 1.2 and 1.3 have a loose schema (extra properties allowed) and a strict one; the
# CycloneDX conformance suite is run against the strict one, and 1.4+ are strict anyway.
_CDX_JSON = {s: f"bom-{s}-strict.SNAPSHOT.schema.json" for s in ("1.2", "1.3")} | {
    s: f"bom-{s}.SNAPSHOT.schema.json" for s in ("1.4", "1.5", "1.6")
}


@dataclass(frozen=True, slots=True)
class SpdxSchema:
    version: str
    file: str  # name in the schema folder
    url: str  # official download location


SPDX_SCHEMAS = (
    SpdxSchema(
        "2.2",
        "spdx-schema-2.2.json",
        "https://raw.githubusercontent.com/spdx/spdx-spec/v2.2.2/schemas/spdx-schema.json",
    ),
    SpdxSchema(
        "2.3",
        "spdx-schema-2.3.json",
        "https://raw.githubusercontent.com/spdx/spdx-spec/v2.3/schemas/spdx-schema.json",
    ),
    SpdxSchema(
        "3.0.1",
        "spdx-json-schema-3.0.1.json",
        "https://spdx.org/schema/3.0.1/spdx-json-schema.json",
    ),
)
SPDX_BY_VERSION = {s.version: s for s in SPDX_SCHEMAS}


class SchemaMissingError(SbomkitError):
    """An SPDX schema the document needs is not in the schema folder."""

    def __init__(self, file: str, folder: str) -> None:
        self.file = file
        self.folder = folder
        super().__init__(Msg.SCHEMA_MISSING)

    def render(self, lang: str) -> str:
        return render(Msg.SCHEMA_MISSING, lang, file=self.file, dir=self.folder)


def schema_dir() -> Path:
    """``$SBOMKIT_SCHEMA_DIR``, else ``<XDG_DATA_HOME or ~/.local/share>/sbomkit/schemas``."""
    explicit = os.environ.get("SBOMKIT_SCHEMA_DIR")
    if explicit:
        return Path(explicit)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "sbomkit" / "schemas"


def cyclonedx_resource(name: str) -> Path:
    """A schema file of cyclonedx-python-lib; the package is installed as plain files."""
    return Path(str(files(CDX_PACKAGE).joinpath(name)))


def cyclonedx_json_name(spec: str) -> str | None:
    return _CDX_JSON.get(spec)


def cyclonedx_xsd(spec: str) -> Path | None:
    return cyclonedx_resource(f"bom-{spec}.SNAPSHOT.xsd") if spec in CYCLONEDX_SPECS else None


def spdx_schema_path(version: str) -> Path:
    """The installed SPDX schema; SchemaMissingError naming the file and how to install it."""
    entry = SPDX_BY_VERSION[version]
    folder = schema_dir()
    path = folder / entry.file
    if not path.is_file():
        raise SchemaMissingError(entry.file, str(folder))
    return path

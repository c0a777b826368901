"""Scan output formats by name; ``--format`` choices come from here.

A writer's module is imported when its format is first asked for: a scan writes one
format, and the others' modules (CSAF, SARIF, CycloneDX, OpenVEX) are startup time
it does not need.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

from sbomkit.match.findings import ScanResult

Writer = Callable[[ScanResult], bytes]

TABLE = "table"
# Format name -> "module:function".
_TARGETS: dict[str, str] = {
    "json": "sbomkit.scanreport.json_out:write_json",
    "sarif": "sbomkit.scanreport.sarif:write_sarif",
    "cyclonedx-vdr": "sbomkit.scanreport.cyclonedx:write_vdr",
    "cyclonedx-vex": "sbomkit.scanreport.cyclonedx:write_vex",
    "openvex": "sbomkit.scanreport.openvex:write_openvex",
    "csaf-vex": "sbomkit.scanreport.csaf:write_csaf_vex",
}


class _Writers(Mapping[str, Writer]):
    """Format name -> writer, each imported on first use."""

    def __getitem__(self, name: str) -> Writer:
        module, _, attr = _TARGETS[name].partition(":")
        writer: Writer = getattr(importlib.import_module(module), attr)
        return writer

    def __iter__(self) -> Iterator[str]:
        return iter(_TARGETS)

    def __len__(self) -> int:
        return len(_TARGETS)


WRITERS: Mapping[str, Writer] = _Writers()
FORMATS = (TABLE, *WRITERS)

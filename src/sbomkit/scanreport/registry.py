"""Scan output formats by name; ``--format`` choices come from here."""

from __future__ import annotations

from collections.abc import Callable

from sbomkit.match.findings import ScanResult
from sbomkit.scanreport.cyclonedx import write_vdr, write_vex
from sbomkit.scanreport.json_out import write_json
from sbomkit.scanreport.openvex import write_openvex
from sbomkit.scanreport.sarif import write_sarif

TABLE = "table"
WRITERS: dict[str, Callable[[ScanResult], bytes]] = {
    "json": write_json,
    "sarif": write_sarif,
    "cyclonedx-vdr": write_vdr,
    "cyclonedx-vex": write_vex,
    "openvex": write_openvex,
}
FORMATS = (TABLE, *WRITERS)

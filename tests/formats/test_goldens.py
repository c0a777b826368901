"""One golden file per case, format and spec version; validated and compared byte for byte.

Regenerate with ``UPDATE_GOLDENS=1 pytest tests/formats``, then review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from sbomkit.formats.registry import get_writer
from sbomkit.model import Inventory

GOLDENS = Path(__file__).resolve().parent.parent / "goldens"
OUTPUTS = (
    ("cyclonedx-json", "1.6", "bom.cdx16.json"),
    ("cyclonedx-json", "1.5", "bom.cdx15.json"),
    ("cyclonedx-xml", "1.6", "bom.cdx16.xml"),
    ("cyclonedx-xml", "1.5", "bom.cdx15.xml"),
    ("spdx-json", "2.3", "bom.spdx.json"),
    ("spdx-tv", "2.3", "bom.spdx"),
)
PARAMS = [
    pytest.param(case, fmt, spec, name, id=f"{case}/{name}")
    for case in ("mixed", "empty")
    for fmt, spec, name in OUTPUTS
]


@pytest.mark.parametrize(("case", "fmt", "spec", "name"), PARAMS)
def test_golden(
    case: str,
    fmt: str,
    spec: str,
    name: str,
    epoch: str,
    cases: dict[str, Callable[[], Inventory]],
    validate: Callable[[str, str, bytes], None],
) -> None:
    fresh = get_writer(fmt, spec).write(cases[case]())
    golden = GOLDENS / case / name
    if os.environ.get("UPDATE_GOLDENS") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(fresh)
    assert golden.is_file(), f"{golden} missing; run with UPDATE_GOLDENS=1 and review it"
    expected = golden.read_bytes()
    validate(fmt, spec, expected)
    validate(fmt, spec, fresh)
    assert fresh.decode("utf-8") == expected.decode("utf-8")

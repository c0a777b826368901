"""Every document our writers produce (tests/goldens) is valid against the official schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import REPO

from sbomkit.validate import validate_file

GOLDENS = sorted(p for p in (REPO / "tests" / "goldens").rglob("bom.*") if p.is_file())


def test_there_are_goldens_of_every_format() -> None:
    assert {p.name.split(".", 1)[1] for p in GOLDENS} >= {
        "cdx16.json",
        "cdx15.json",
        "cdx16.xml",
        "cdx15.xml",
        "spdx.json",
        "spdx",
    }


@pytest.mark.parametrize("path", GOLDENS, ids=lambda p: str(p.relative_to(REPO / "tests")))
def test_golden_is_valid(path: Path) -> None:
    result = validate_file(path)
    assert result.error is None, result.error
    assert [(p.pointer, p.line, p.message) for p in result.problems] == []
    assert result.valid

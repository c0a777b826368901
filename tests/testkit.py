"""Paths and helpers shared by tests (import as ``from testkit import ...``)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TESTDATA = REPO / "tests" / "testdata"
SHARED_DATA = REPO.parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    """A path inside ../shared/data; fails the test (never skips) when it is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"test data missing: {path} (check out ../shared next to the repo)")
    return path

"""Shared test helpers. Data from ../shared/data must be there: a missing folder fails."""

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


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> str:
    """Fix timestamps and serials so output is byte-identical across runs."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return "2026-01-01T00:00:00Z"

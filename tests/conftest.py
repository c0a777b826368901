"""Fixtures for every test; plain helpers live in testkit.py."""

from __future__ import annotations

import pytest


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> str:
    """Fix timestamps and serials so output is byte-identical across runs."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return "2026-01-01T00:00:00Z"

"""Fixtures for every test; plain helpers live in testkit.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# No per-example deadline anywhere (a loaded 2-core CI machine is slow, not wrong). In CI
# the examples are derived from the test name, so a run can be repeated exactly; local
# runs keep exploring new inputs.
settings.register_profile("sbomkit", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "sbomkit")


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> str:
    """Fix timestamps and serials so output is byte-identical across runs."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return "2026-01-01T00:00:00Z"

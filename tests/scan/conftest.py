"""The scan CLI tests use the matcher tests' fixture store, built with a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from match.conftest import build_store  # tests/ is on sys.path (pyproject pythonpath)

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


@pytest.fixture(scope="session")
def scan_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build_store(tmp_path_factory.mktemp("scandb"))

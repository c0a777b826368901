"""An SPDX schema folder filled the way a user fills it: `sbomkit schemas import`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from testkit import shared_data

from sbomkit.cli.schemas_cmd import schemas


@pytest.fixture(scope="session")
def schema_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spdx-schemas")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SBOMKIT_SCHEMA_DIR", str(folder))
        result = CliRunner().invoke(schemas, ["import", str(shared_data("spdx-schemas"))])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(autouse=True)
def _spdx_schemas(schema_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SBOMKIT_SCHEMA_DIR", str(schema_folder))
    yield

"""Damaged real lockfiles: only CatalogError may leave a Python cataloger.

The generic fuzz test feeds random documents; here Hypothesis cuts and splices the real
fixtures, so the parsers meet almost-right structure: a string where a table was, a
table cut short, a duplicated entry, a key renamed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbomkit.catalog.interface import Cataloger, CatalogError, Source
from sbomkit.catalog.python.pdm_lock import PdmLockCataloger
from sbomkit.catalog.python.pipfile_lock import PipfileLockCataloger
from sbomkit.catalog.python.poetry_lock import PoetryLockCataloger
from sbomkit.catalog.python.pylock_toml import PylockCataloger
from sbomkit.catalog.python.requirements_txt import RequirementsCataloger
from sbomkit.catalog.python.uv_lock import UvLockCataloger

DATA = Path(__file__).resolve().parents[2] / "testdata"

CASES = [
    pytest.param(UvLockCataloger(), "uv-lock/sources/uv.lock", id="uv-sources"),
    pytest.param(UvLockCataloger(), "uv-lock/extras-scope/uv.lock", id="uv-extras"),
    pytest.param(PoetryLockCataloger(), "poetry-lock/v1-category/poetry.lock", id="poetry-v1"),
    pytest.param(PoetryLockCataloger(), "poetry-lock/multi-version/poetry.lock", id="poetry-v2"),
    pytest.param(PdmLockCataloger(), "pdm-lock/extras-groups/pdm.lock", id="pdm"),
    pytest.param(PipfileLockCataloger(), "pipfile-lock/sources/Pipfile.lock", id="pipfile"),
    pytest.param(PylockCataloger(), "pylock-toml/groups-markers/pylock.toml", id="pylock"),
    pytest.param(PylockCataloger(), "pylock-toml/sources/pylock.toml", id="pylock-sources"),
    pytest.param(RequirementsCataloger(), "requirements-txt/sources/requirements.txt", id="req"),
    pytest.param(RequirementsCataloger(), "requirements-txt/basic/requirements.txt", id="req-2"),
]

# Fragments that turn one shape into another in TOML, JSON and requirement syntax.
_SPLICES = st.sampled_from(
    [
        "",
        '"x"',
        "1",
        "true",
        "[]",
        "{}",
        "[[package]]\n",
        "[[packages]]\n",
        'name = ""\n',
        'version = ""\n',
        "name = 5\n",
        "\n[package.dependencies]\nx = 3\n",
        'source = "git"\n',
        "null",
        '{"version": 1}',
        "-r .\n",
        "-e\n",
        "\\\n",
        "--hash=sha256:\n",
        "x @ \n",
        "\x00",
        "é",
        "[",
        "{",
    ]
)


@pytest.mark.parametrize(("cataloger", "rel"), CASES)
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_spliced_fixture_never_crashes(cataloger: Cataloger, rel: str, data: st.DataObject) -> None:
    text = (DATA / rel).read_text(encoding="utf-8")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 200)))
    damaged = text[:start] + data.draw(_SPLICES) + text[end:]
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / Path(rel).name
        path.write_text(damaged, encoding="utf-8")
        try:
            result = cataloger.catalog(Source(path, path.name))
        except CatalogError:
            return
    for c in result.components:
        assert c.ecosystem == "pypi" and c.purl is not None and c.ref
    for dep in result.dependencies:
        assert dep.source != dep.target

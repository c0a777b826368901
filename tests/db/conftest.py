"""Helpers for the advisory store tests: build zips from fixture folders and real data."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from testkit import TESTDATA, shared_data

from sbomkit.db.importer import import_sources
from sbomkit.db.interface import ImportReport
from sbomkit.db.sources import spec_for_path
from sbomkit.db.store import AdvisoryStore

DATA = TESTDATA / "db"


class Kit:
    """Helpers for the tests of this folder (test modules cannot import each other)."""

    data = DATA

    @staticmethod
    def zip_folder(folder: Path, dest: Path) -> Path:
        return zip_folder(folder, dest)

    @staticmethod
    def real_records(archive: str, ids: Iterable[str], dest: Path) -> Path:
        return real_records(archive, ids, dest)

    @staticmethod
    def run_import(store: AdvisoryStore, *paths: Path) -> ImportReport:
        return run_import(store, *paths)


@pytest.fixture
def kit() -> type[Kit]:
    return Kit


def zip_folder(folder: Path, dest: Path) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.glob("*.json")):
            z.write(f, f.name)
    return dest


def real_records(archive: str, ids: Iterable[str], dest: Path) -> Path:
    """A zip of some records of a shared OSV archive, e.g. real_records("osv/PyPI.zip", ...)."""
    with zipfile.ZipFile(shared_data(*archive.split("/"))) as src, zipfile.ZipFile(dest, "w") as z:
        for i in ids:
            z.writestr(f"{i}.json", src.read(f"{i}.json"))
    return dest


def run_import(store: AdvisoryStore, *paths: Path) -> ImportReport:
    return import_sources(store, [spec_for_path(p) for p in paths])


@pytest.fixture
def store(tmp_path: Path) -> Iterable[AdvisoryStore]:
    with AdvisoryStore.open(tmp_path / "advisories.db", create=True) as s:
        yield s

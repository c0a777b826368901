"""A fixture advisory store: our own OSV records plus a few real ones, and a KEV entry."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from testkit import TESTDATA, shared_data

from sbomkit.db.importer import import_sources
from sbomkit.db.kev import import_kev
from sbomkit.db.sources import spec_for_path
from sbomkit.db.store import AdvisoryStore

DATA = TESTDATA / "match"
# Real records: (archive, id) from ../shared/data/osv.
REAL = (
    ("PyPI.zip", "PYSEC-2021-142"),  # pyyaml, CVE-2020-14343, explicit versions list
    ("crates.io.zip", "RUSTSEC-2022-0013"),  # regex, CVSS v3 vector, SEMVER 0.0.0-0
    ("Go.zip", "GO-2024-2687"),  # golang.org/x/net, CVE + GHSA aliases
)


def build_store(dest: Path) -> Path:
    """The fixture database file (built through the import API, as `db import` does)."""
    real = dest / "real.zip"
    with zipfile.ZipFile(real, "w") as z:
        for archive, rid in REAL:
            with zipfile.ZipFile(shared_data("osv", archive)) as src:
                z.writestr(f"{rid}.json", src.read(f"{rid}.json"))
    path = dest / "advisories.db"
    with AdvisoryStore.open(path, create=True) as store:
        report = import_sources(store, [spec_for_path(DATA / "advisories"), spec_for_path(real)])
        assert report.errors == [] and all(s.bad == 0 for s in report.sources)
        import_kev(store, DATA / "kev.json")
    return path


@pytest.fixture(scope="session")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("matchdb"))


@pytest.fixture
def store(db_file: Path) -> Iterator[AdvisoryStore]:
    with AdvisoryStore.open(db_file) as s:
        yield s

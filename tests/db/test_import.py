"""Import: counts, idempotence, the change log, rollback and bad input."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from testkit import REPO, TESTDATA, shared_data

from sbomkit.db.importer import import_sources
from sbomkit.db.interface import ImportReport
from sbomkit.db.sources import Entry, SourceSpec, entries, spec_for_path
from sbomkit.db.store import AdvisoryStore
from sbomkit.i18n import Msg

DATA = TESTDATA / "db"


def run_import(store: AdvisoryStore, *paths: Path) -> ImportReport:
    return import_sources(store, [spec_for_path(p) for p in paths])


def counts(report_source: object) -> tuple[int, ...]:
    s = report_source
    return (s.records, s.new, s.changed, s.withdrawn, s.unchanged, s.bad)  # type: ignore[attr-defined]


def test_folder_import_counts_per_ecosystem(store: AdvisoryStore) -> None:
    report = run_import(store, DATA / "basic")
    assert [counts(s) for s in report.sources] == [(4, 4, 0, 0, 0, 0)]
    status = store.status()
    assert status.per_ecosystem == {"Debian": 2, "Go": 1, "PyPI": 1}
    assert (status.advisories, status.withdrawn) == (4, 0)
    assert store.changes(report.run_id) == [
        ("DEB-T-1", "new"), ("DEB-T-2", "new"), ("GO-T-1", "new"), ("PYSEC-T-1", "new")
    ]  # fmt: skip


def test_real_zips_count_per_ecosystem(store: AdvisoryStore) -> None:
    report = run_import(store, shared_data("osv", "CRAN.zip"), shared_data("osv", "GHC.zip"))
    assert [(s.name, s.records, s.bad) for s in report.sources] == [
        ("CRAN.zip", 14, 0),
        ("GHC.zip", 3, 0),
    ]
    assert store.status().per_ecosystem == {"CRAN": 14, "GHC": 3}


def test_same_zip_twice_changes_nothing(store: AdvisoryStore, tmp_path: Path, kit: Any) -> None:
    archive = kit.zip_folder(DATA / "basic", tmp_path / "basic.zip")
    run_import(store, archive)
    again = run_import(store, archive)
    assert [counts(s) for s in again.sources] == [(4, 0, 0, 0, 4, 0)]
    assert store.changes(again.run_id) == []
    assert store.conn.execute("SELECT count(*) FROM affected").fetchone() == (5,)


def test_newer_record_is_changed_then_withdrawn(store: AdvisoryStore) -> None:
    run_import(store, DATA / "basic")
    changed = run_import(store, DATA / "changed")
    assert store.changes(changed.run_id) == [("PYSEC-T-1", "changed")]
    # the old package and the new one: re-analysis must look at both
    touched = store.conn.execute(
        "SELECT base_ecosystem, canonical_name FROM change_package WHERE run_id = ? ORDER BY 2",
        (changed.run_id,),
    ).fetchall()
    assert touched == [("PyPI", "foo-bar"), ("PyPI", "foo-bar-core")]
    assert store.candidates("PyPI", ["foo-bar"]) == {}
    withdrawn = run_import(store, DATA / "withdrawn")
    assert store.changes(withdrawn.run_id) == [("PYSEC-T-1", "withdrawn")]
    [entry] = store.candidates("PyPI", ["Foo.Bar.Core"])["Foo.Bar.Core"]
    assert entry.withdrawn == "2024-07-01T00:00:00Z"


def test_older_record_does_not_replace_newer(store: AdvisoryStore) -> None:
    run_import(store, DATA / "changed")
    older = run_import(store, DATA / "basic")
    assert store.changes(older.run_id) == [
        ("DEB-T-1", "new"),
        ("DEB-T-2", "new"),
        ("GO-T-1", "new"),
    ]
    assert [counts(s) for s in older.sources] == [(4, 3, 0, 0, 1, 0)]
    summary = store.conn.execute("SELECT summary FROM advisory WHERE id = 'PYSEC-T-1'")
    assert summary.fetchone() == ("Request smuggling in Foo_Bar (fix corrected)",)


def test_exception_inside_the_run_rolls_everything_back(store: AdvisoryStore) -> None:
    run_import(store, DATA / "basic")

    def failing(spec: SourceSpec) -> Iterator[Entry]:
        yield from entries(spec)
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        import_sources(store, [spec_for_path(DATA / "changed")], read=failing)
    row = store.conn.execute("SELECT summary FROM advisory WHERE id = 'PYSEC-T-1'").fetchone()
    assert row == ("Request smuggling in Foo_Bar",)
    assert store.conn.execute("SELECT count(*) FROM import_run").fetchone() == (1,)
    assert store.conn.execute("SELECT count(*) FROM change_log").fetchone() == (4,)


_KILLED = """
import sys, time
from pathlib import Path
from sbomkit.db.importer import import_sources
from sbomkit.db.sources import entries, spec_for_path
from sbomkit.db.store import AdvisoryStore

def slow(spec):
    for n, item in enumerate(entries(spec)):
        if n == 3000:  # past the first batch write
            print("midway", flush=True)
            time.sleep(60)
        yield item

store = AdvisoryStore.open(Path(sys.argv[1]))
import_sources(store, [spec_for_path(Path(sys.argv[2]))], read=slow)
"""


def test_killed_import_leaves_the_previous_database(tmp_path: Path) -> None:
    path = tmp_path / "advisories.db"
    with AdvisoryStore.open(path, create=True) as store:
        run_import(store, DATA / "basic")
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED, str(path), str(shared_data("osv", "Bitnami.zip"))],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "midway\n"
    child.kill()
    child.wait()
    with AdvisoryStore.open(path) as store:
        status = store.status()
        assert (status.advisories, status.per_ecosystem) == (4, {"Debian": 2, "Go": 1, "PyPI": 1})
        assert store.conn.execute("SELECT count(*) FROM import_run").fetchone() == (1,)


def test_bad_records_are_reported_and_the_rest_kept(store: AdvisoryStore) -> None:
    report = run_import(store, DATA / "bad")
    [source] = report.sources
    assert counts(source) == (1, 1, 0, 0, 0, 4)
    got = [(p.code, str(p.location), p.detail) for p in source.problems]
    assert got == [
        (Msg.DB_BAD_RECORD, "bad/no-modified.json", "NOMOD-1: 'modified' missing or not a string"),
        (
            Msg.DB_BAD_RECORD,
            "bad/not-json.json",
            "invalid JSON: unexpected end of data: line 1 column 32 (char 31)",
        ),
        (Msg.DB_BAD_RECORD, "bad/package.json", "not an OSV record: no 'id' string"),
        (Msg.DB_UNKNOWN_ECOSYSTEM, "bad/unknown-ecosystem.json", "UNK-1: Plan9Ports"),
        (Msg.DB_BAD_RECORD, "bad/wrong-types.json", "TYPES-1: 'aliases' must be a list of strings"),
    ]
    assert store.status().per_ecosystem == {"Plan9Ports": 1}


def test_real_record_with_ranges_object_is_reported(
    store: AdvisoryStore, tmp_path: Path, kit: Any
) -> None:
    archive = kit.real_records("osv/Debian.zip", ["ELA-669-1"], tmp_path / "Debian.zip")
    [source] = run_import(store, archive).sources
    assert [(str(p.location), p.detail) for p in source.problems] == [
        ("Debian.zip/ELA-669-1.json", "ELA-669-1: affected[0].ranges must be a list, not an object")
    ]


def test_corrupt_zip_is_an_error_naming_it_and_others_import(store: AdvisoryStore) -> None:
    report = run_import(store, DATA / "corrupt.zip", DATA / "basic")
    assert [str(e) for e in report.errors] == [
        "corrupt.zip: not a readable zip archive (File is not a zip file)"
    ]
    assert [s.name for s in report.sources] == ["basic"]
    assert store.status().advisories == 4

"""The matcher's read API: candidates() for a batch of names, kev(), schema checks."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from testkit import shared_data

from sbomkit.db.interface import DbError, Event, Range, SeverityVector
from sbomkit.db.kev import import_kev
from sbomkit.db.store import AdvisoryStore


@pytest.fixture
def filled(store: AdvisoryStore, tmp_path: Path, kit: Any) -> AdvisoryStore:
    kit.run_import(
        store,
        kit.data / "basic",
        kit.real_records("osv/PyPI.zip", ["PYSEC-2023-209"], tmp_path / "PyPI.zip"),
        kit.real_records("osv/AlmaLinux.zip", ["ALBA-2019:0973"], tmp_path / "AlmaLinux.zip"),
    )
    return store


def test_pypi_batch_with_normalized_names(filled: AdvisoryStore) -> None:
    found = filled.candidates("PyPI", ["Foo.Bar", "foo-bar", "JSON_Logic", "requests"])
    assert sorted(found) == ["Foo.Bar", "JSON_Logic", "foo-bar"]
    assert found["Foo.Bar"] == found["foo-bar"]
    [entry] = found["foo-bar"]
    assert entry.advisory_id == "PYSEC-T-1"
    assert entry.aliases == ("CVE-2099-0001", "GHSA-aaaa-bbbb-cccc")
    assert (entry.name, entry.ecosystem, entry.purl) == ("Foo_Bar", "PyPI", "pkg:pypi/foo-bar")
    assert entry.ranges == (
        Range("ECOSYSTEM", (Event("introduced", "0"), Event("fixed", "1.2.3"))),
    )
    assert entry.versions == ("1.0", "1.2.2")
    assert entry.severities == (
        SeverityVector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
    )
    assert (entry.database_severity, entry.withdrawn) == ("HIGH", None)
    [real] = found["JSON_Logic"]
    assert (real.advisory_id, real.aliases, real.versions) == (
        "PYSEC-2023-209",
        ("CVE-2021-4329",),
        ("0.6.2", "0.6.3", "0.7.0a0"),
    )
    assert [r.type for r in real.ranges] == ["GIT", "ECOSYSTEM"]
    assert real.ranges[0].repo == "https://github.com/jwadhams/json-logic-js"


@pytest.mark.parametrize(
    ("ecosystem", "expected"),
    [
        pytest.param("Debian:12", [("DEB-T-1", "Debian:12"), ("DEB-T-2", "Debian")], id="deb12"),
        pytest.param("Debian:11", [("DEB-T-1", "Debian:11"), ("DEB-T-2", "Debian")], id="deb11"),
        pytest.param(
            "Debian",
            [("DEB-T-1", "Debian:12"), ("DEB-T-1", "Debian:11"), ("DEB-T-2", "Debian")],
            id="any-release",
        ),
        pytest.param("debian:10", [("DEB-T-2", "Debian")], id="case-and-other-release"),
    ],
)
def test_ecosystem_suffix(
    filled: AdvisoryStore, ecosystem: str, expected: list[tuple[str, str]]
) -> None:
    found = filled.candidates(ecosystem, ["openssl"])
    assert [(e.advisory_id, e.ecosystem) for e in found["openssl"]] == expected


def test_real_almalinux_suffix_and_case_sensitive_go(filled: AdvisoryStore) -> None:
    alma = filled.candidates("AlmaLinux:8", ["oci-systemd-hook"])["oci-systemd-hook"]
    assert {e.advisory_id for e in alma} == {"ALBA-2019:0973"}
    assert filled.candidates("AlmaLinux:9", ["oci-systemd-hook"]) == {}
    assert filled.candidates("Go", ["github.com/foo/bar"]) == {}
    [go] = filled.candidates("Go", ["github.com/Foo/Bar"])["github.com/Foo/Bar"]
    assert (go.advisory_id, go.database_severity) == ("GO-T-1", "MODERATE")


def test_kev_lookup_and_atomic_replacement(store: AdvisoryStore, kit: Any) -> None:
    count, version, released, problems = import_kev(store, kit.data / "kev" / "kev.json")
    assert (count, version, released) == (2, "2099.01.01", "2099-01-01T12:00:00.000Z")
    assert [(str(p.location), p.detail) for p in problems] == [
        (f"{kit.data / 'kev' / 'kev.json'}: vulnerabilities[2]", "no 'cveID' string")
    ]
    assert store.kev(["CVE-2099-0001", "CVE-2000-0001"]) == {"CVE-2099-0001"}
    row = store.conn.execute("SELECT * FROM kev WHERE cve_id = 'CVE-2099-0001'").fetchone()
    assert row == (
        "CVE-2099-0001",
        "Foo",
        "Bar",
        "Foo Bar RCE",
        "2099-01-01",
        "2099-01-22",
        "Known",
    )
    count, *_ = import_kev(store, shared_data("kev", "known_exploited_vulnerabilities.json"))
    assert count == 1404
    assert store.kev(["CVE-2099-0001", "CVE-2021-44228"]) == {"CVE-2021-44228"}


def test_missing_database_is_named(tmp_path: Path) -> None:
    with pytest.raises(DbError, match=r"nowhere\.db: no advisory database here"):
        AdvisoryStore.open(tmp_path / "nowhere.db")


def test_database_from_a_newer_sbomkit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "advisories.db"
    AdvisoryStore.open(path, create=True).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_version VALUES (99, 'later')")
    conn.close()
    with pytest.raises(DbError, match=r"newer sbomkit.*\(schema 99, this sbomkit knows 1\)"):
        AdvisoryStore.open(path)


def test_summary_falls_back_to_the_first_line_of_details(
    store: AdvisoryStore, tmp_path: Path, kit: Any
) -> None:
    # PYSEC-2021-142 (PyYAML, CVE-2020-14343) has details but no summary.
    zipped = kit.real_records("osv/PyPI.zip", ["PYSEC-2021-142"], tmp_path / "PyPI.zip")
    kit.run_import(store, zipped)
    [entry] = store.candidates("PyPI", ["pyyaml"])["pyyaml"]
    with zipfile.ZipFile(zipped) as z:
        details = json.loads(z.read("PYSEC-2021-142.json"))["details"]
    assert entry.summary == details.split("\n")[0].rstrip()[:200]
    assert (entry.summary or "").startswith("A vulnerability was discovered in the PyYAML library")


@pytest.mark.parametrize(
    ("archive", "record", "ecosystem", "name", "rating"),
    [
        # Errata carry their rating only as the summary's first word.
        pytest.param(
            "osv/AlmaLinux.zip", "ALSA-2019:0975", "AlmaLinux:8", "oci-systemd-hook",
            "Important", id="almalinux-erratum-summary",
        ),
        pytest.param(
            "osv-harvested/Rocky Linux.zip", "RLSA-2023:3220", "Rocky Linux:8", "firefox",
            "Important", id="rocky-erratum-summary",
        ),
        # A bug-fix erratum rates nothing ("ALBA-2019:0973: ... bug fix update").
        pytest.param(
            "osv/AlmaLinux.zip", "ALBA-2019:0973", "AlmaLinux:8", "oci-systemd-hook", None,
            id="almalinux-bugfix-none",
        ),
        # GHSA keeps its word in the record's database_specific, not in affected[].
        pytest.param(
            "osv-harvested/Maven.zip", "GHSA-2x83-r56g-cv47", "Maven",
            "org.apache.httpcomponents:httpclient", "HIGH", id="ghsa-record-level",
        ),
    ],
)  # fmt: skip
def test_database_rating_fallbacks(
    store: AdvisoryStore,
    tmp_path: Path,
    kit: Any,
    archive: str,
    record: str,
    ecosystem: str,
    name: str,
    rating: str | None,
) -> None:
    kit.run_import(store, kit.real_records(archive, [record], tmp_path / "records.zip"))
    entries = store.candidates(ecosystem, [name])[name]
    assert [e.database_severity for e in entries if e.advisory_id == record] == [rating] * len(
        entries
    )

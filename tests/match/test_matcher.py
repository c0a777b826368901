"""Table-driven matcher tests over the fixture store: exact ids, severity, fix, provenance."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from testkit import shared_data

from sbomkit.db.importer import import_sources
from sbomkit.db.sources import spec_for_path
from sbomkit.db.store import AdvisoryStore
from sbomkit.i18n import Msg
from sbomkit.identity import component_from_purl
from sbomkit.match.findings import Level
from sbomkit.match.matcher import Matcher, primary_id
from sbomkit.model import Component

# purl -> [(primary id, ids, level, score, finding fix, matched provenance per match)]
CASES = {
    "pypi-introduced-0-and-alias-group": (
        "pkg:pypi/demo-lib@1.1.0",
        [
            (
                "CVE-2099-0001",
                ("CVE-2099-0001", "GHSA-aaaa-bbbb-cccc", "PYSEC-TEST-2", "TEST-PY-1"),
                Level.CRITICAL,
                9.8,
                "1.2.0",  # 1.1.5 fixes PYSEC-TEST-2 but not TEST-PY-1
                (
                    "PYSEC-TEST-2: range 0: introduced 1.0, fixed 1.1.5",
                    "TEST-PY-1: range 0: introduced 0, fixed 1.2.0",
                ),
            )
        ],
    ),
    "pypi-name-normalized-one-record": (
        "pkg:pypi/Demo_Lib@0.9",
        [
            (
                "CVE-2099-0001",
                ("CVE-2099-0001", "GHSA-aaaa-bbbb-cccc", "TEST-PY-1"),
                Level.CRITICAL,
                9.8,
                "1.2.0",
                ("TEST-PY-1: range 0: introduced 0, fixed 1.2.0",),
            )
        ],
    ),
    "pypi-second-of-two-ranges": (
        "pkg:pypi/demo-lib@2.1.0",
        [
            (
                "TEST-PY-3",
                ("TEST-PY-3",),
                Level.MEDIUM,
                None,
                "2.1.1",
                ("TEST-PY-3: range 0: introduced 2.1, fixed 2.1.1",),
            )
        ],
    ),
    "pypi-between-ranges": ("pkg:pypi/demo-lib@2.0.5", []),
    "pypi-fixed-version-not-affected": ("pkg:pypi/demo-lib@1.2.0", []),
    "pypi-last-affected-included": (
        "pkg:pypi/old-lib@3.0.0",
        [
            (
                "CVE-2099-0004",
                ("CVE-2099-0004", "TEST-PY-4"),
                Level.MEDIUM,
                6.9,  # CVSS v4 base score of VC:L alone (the cvss library, FIRST's tables)
                None,
                ("TEST-PY-4: range 0: introduced 0, last_affected 3.0.0",),
            )
        ],
    ),
    "pypi-last-affected-above": ("pkg:pypi/old-lib@3.0.1", []),
    "pypi-prerelease-before-fix": (
        "pkg:pypi/pre-lib@4.0.0rc1",
        [
            (
                "TEST-PY-6",
                ("TEST-PY-6",),
                Level.MEDIUM,
                5.0,
                "4.0.0rc2",
                ("TEST-PY-6: range 0: introduced 0, fixed 4.0.0rc2",),
            )
        ],
    ),
    "pypi-final-after-prerelease-fix": ("pkg:pypi/pre-lib@4.0.0", []),
    "debian-epoch-affected": (
        "pkg:deb/debian/openssl@1%3A3.0.11-1~deb12u1?distro=debian-12",
        [
            (
                "CVE-2099-0100",
                ("CVE-2099-0100", "TEST-DEB-1"),
                Level.UNKNOWN,
                None,
                "1:3.0.11-1~deb12u2",
                ("TEST-DEB-1: range 0: introduced 0, fixed 1:3.0.11-1~deb12u2",),
            )
        ],
    ),
    "debian-without-epoch-is-lower": (
        # 3.0.99 has epoch 0: below every 1:... version, so still affected.
        "pkg:deb/debian/openssl@3.0.99-1?distro=bookworm",
        [
            (
                "CVE-2099-0100",
                ("CVE-2099-0100", "TEST-DEB-1"),
                Level.UNKNOWN,
                None,
                "1:3.0.11-1~deb12u2",
                ("TEST-DEB-1: range 0: introduced 0, fixed 1:3.0.11-1~deb12u2",),
            )
        ],
    ),
    "debian-other-release-not-considered": (
        "pkg:deb/debian/openssl@1.1.1w-0+deb11u1?distro=debian-11",
        [],
    ),
    "almalinux-rpm-epoch": (
        "pkg:rpm/almalinux/curl@1%3A7.76.1-26.el9_3.1?distro=almalinux-9.3",
        [
            (
                "CVE-2099-0300",
                ("CVE-2099-0300", "TEST-ALMA-1"),
                Level.UNKNOWN,
                None,
                "1:7.76.1-26.el9_3.2",
                ("TEST-ALMA-1: range 0: introduced 0, fixed 1:7.76.1-26.el9_3.2",),
            )
        ],
    ),
    "go-pseudo-version-before-fix": (
        "pkg:golang/example.com/mod@v0.0.0-20220101000000-123456789abc",
        [
            (
                "TEST-GO-1",
                ("TEST-GO-1",),
                Level.UNKNOWN,
                None,
                "0.0.0-20230601000000-abcdefabcdef",
                ("TEST-GO-1: range 0: introduced 0, fixed 0.0.0-20230601000000-abcdefabcdef",),
            )
        ],
    ),
    "go-pseudo-version-after-fix": (
        "pkg:golang/example.com/mod@v0.0.0-20240101000000-123456789abc",
        [],
    ),
    "maven-release-candidate-before-release": (
        "pkg:maven/org.example/lib@2.0.0-RC1",
        [
            (
                "GHSA-mmmm-vvvv-nnnn",
                ("GHSA-mmmm-vvvv-nnnn", "TEST-MVN-1"),
                Level.HIGH,
                None,
                "2.0.0",
                ("TEST-MVN-1: range 0: introduced 0, fixed 2.0.0",),
            )
        ],
    ),
    "maven-final-qualifier-equals-release": ("pkg:maven/org.example/lib@2.0.0.Final", []),
    "npm-scoped-name-case": (
        "pkg:npm/%40scope/pkg@1.4.1",
        [
            (
                "CVE-2099-0200",
                ("CVE-2099-0200", "TEST-NPM-1"),
                Level.UNKNOWN,
                None,
                "1.4.2",
                ("TEST-NPM-1: range 0: introduced 1.0.0, fixed 1.4.2",),
            )
        ],
    ),
    "real-pypi-versions-list": (
        "pkg:pypi/pyyaml@5.3.1",
        [
            (
                "CVE-2020-14343",
                ("CVE-2020-14343", "GHSA-8q59-q68h-6hv4", "PYSEC-2021-142"),
                Level.UNKNOWN,
                None,
                "5.4",
                ("PYSEC-2021-142: listed in versions: 5.3.1",),
            )
        ],
    ),
    "real-crates-cvss": (
        "pkg:cargo/regex@1.5.4",
        [
            (
                "CVE-2022-24713",
                ("CVE-2022-24713", "GHSA-m5pq-gvj9-9vr8", "RUSTSEC-2022-0013"),
                Level.HIGH,
                7.5,
                "1.5.5",
                ("RUSTSEC-2022-0013: range 0: introduced 0.0.0-0, fixed 1.5.5",),
            )
        ],
    ),
    "real-go-module": (
        "pkg:golang/golang.org/x/net@v0.22.0",
        [
            (
                "CVE-2023-45288",
                ("CVE-2023-45288", "GHSA-4v7x-pqxf-cx7m", "GO-2024-2687"),
                Level.UNKNOWN,
                None,
                "0.23.0",
                ("GO-2024-2687: range 0: introduced 0, fixed 0.23.0",),
            )
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES), ids=sorted(CASES))
def test_findings(store: AdvisoryStore, case: str) -> None:
    purl, expected = CASES[case]
    matcher = Matcher(store)
    findings = matcher.match([component_from_purl(purl)])
    got = [
        (
            f.primary_id,
            f.ids,
            f.rating.level,
            f.rating.score,
            f.fix,
            tuple(f"{m.advisory_id}: {m.matched}" for m in f.matches),
        )
        for f in findings
    ]
    assert got == expected
    assert matcher.problems == []
    assert matcher.matched == 1


def test_provenance_of_a_match(store: AdvisoryStore) -> None:
    (f,) = Matcher(store).match([component_from_purl("pkg:pypi/demo-lib@2.1.0")])
    (m,) = f.matches
    assert (m.ecosystem, m.package, m.range_type, m.events, m.listed, m.fix) == (
        "PyPI",
        "demo-lib",
        "ECOSYSTEM",
        ("introduced 2.1", "fixed 2.1.1"),
        None,
        "2.1.1",
    )
    assert f.rating.method == "database" and f.rating.source == "TEST-PY-3"


def test_kev_flag(store: AdvisoryStore) -> None:
    found = Matcher(store).match(
        [component_from_purl("pkg:pypi/demo-lib@1.0"), component_from_purl("pkg:pypi/old-lib@1")]
    )
    assert [(f.primary_id, f.kev) for f in found] == [
        ("CVE-2099-0001", True),
        ("CVE-2099-0004", False),
    ]


def test_withdrawn_and_git_only_never_match(store: AdvisoryStore) -> None:
    matcher = Matcher(store)
    findings = matcher.match([component_from_purl("pkg:pypi/demo-lib@5.0")])
    assert findings == []
    assert matcher.notes == ["pkg:pypi/demo-lib@5.0: TEST-GIT-1: GIT-only ranges skipped"]


def test_components_that_cannot_be_matched_are_reported(store: AdvisoryStore) -> None:
    components = [
        Component(name="mystery", version="1.0", ecosystem="unknown"),
        Component(name="demo-lib", version=None, ecosystem="pypi"),
        component_from_purl("pkg:generic/thing@1.0"),
        component_from_purl("pkg:cocoapods/Alamofire@5.0"),
        component_from_purl("pkg:pypi/demo-lib@not*a*version"),
        component_from_purl("pkg:swift/github.com/apple/swift-nio@2.0.0"),
        component_from_purl("pkg:pypi/demo-lib@1.1.0"),
    ]
    matcher = Matcher(store)
    findings = matcher.match(components)
    assert [f.primary_id for f in findings] == ["CVE-2099-0001"]
    assert [(d.code, str(d.location), d.detail) for d in matcher.problems] == [
        (Msg.SCAN_NO_IDENTITY, "unknown:mystery@1.0", "mystery@1.0"),
        (Msg.SCAN_NO_VERSION, "pypi:demo-lib@", "demo-lib"),
        (Msg.SCAN_NO_IDENTITY, "pkg:generic/thing@1.0", "thing@1.0"),
        (Msg.SCAN_NO_IDENTITY, "pkg:cocoapods/Alamofire@5.0", "Alamofire@5.0"),
        (Msg.SCAN_NO_SCHEME, "pkg:swift/github.com/apple/swift-nio@2.0.0", "SwiftURL"),
        (
            Msg.SCAN_BAD_VERSION,
            "pkg:pypi/demo-lib@not%2Aa%2Aversion",
            "'not*a*version': not a PEP 440 version",
        ),
    ]
    assert matcher.matched == 2


@pytest.mark.parametrize(
    ("ids", "records", "expected"),
    [
        (("CVE-1", "GHSA-x", "PYSEC-1"), ("PYSEC-1",), "CVE-1"),
        (("GHSA-x", "PYSEC-1"), ("PYSEC-1",), "GHSA-x"),
        (("GO-2024-1", "RUSTSEC-1"), ("RUSTSEC-1",), "RUSTSEC-1"),
    ],
    ids=["cve-first", "ghsa-second", "own-record-last"],
)
def test_primary_id(ids: tuple[str, ...], records: tuple[str, ...], expected: str) -> None:
    assert primary_id(ids, records) == expected


def test_rating_words_where_records_have_no_vector(tmp_path: Path) -> None:
    # ALSA-2019:0975 has no severity field; its rating is the summary's first word
    # ("Important: container-tools:rhel8 security and bug fix update"). GHSA-2x83-r56g-cv47
    # has only its record-level database_specific.severity ("HIGH").
    zipped = tmp_path / "real.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        for folder, archive, rid in (
            ("osv", "AlmaLinux.zip", "ALSA-2019:0975"),
            ("osv-harvested", "Maven.zip", "GHSA-2x83-r56g-cv47"),
        ):
            with zipfile.ZipFile(shared_data(folder, archive)) as src:
                z.writestr(f"{rid}.json", src.read(f"{rid}.json"))
    with AdvisoryStore.open(tmp_path / "advisories.db", create=True) as store:
        import_sources(store, [spec_for_path(zipped)])
        found = Matcher(store).match(
            [
                component_from_purl(
                    "pkg:rpm/almalinux/oci-systemd-hook@1%3A0.1.14-1.el8?distro=almalinux-8"
                ),
                component_from_purl("pkg:maven/org.apache.httpcomponents/httpclient@4.2.2"),
            ]
        )
    assert [(f.primary_id, f.rating.level, f.rating.method, f.rating.source) for f in found] == [
        ("ALSA-2019:0975", Level.HIGH, "database", "ALSA-2019:0975"),
        ("CVE-2012-6153", Level.HIGH, "database", "GHSA-2x83-r56g-cv47"),
    ]

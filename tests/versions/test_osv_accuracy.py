"""Accuracy over the real OSV data in ../shared/data/osv, one test per zip.

Each listed version must lie in its entry's ranges, each ``fixed`` version must be not
affected and each ``last_affected`` version affected. Every disagreement must be one of
the data defects below (record id -> why the record itself is inconsistent); the test
fails on any new disagreement and on any listed defect that no longer shows up.
"""

from __future__ import annotations

import pytest
from testkit import shared_data

from sbomkit.versions.accuracy import check_zip

_LEGACY = "lists pre-PEP 440 versions that pip cannot order"
_EMPTY_RANGE = "range 'introduced 3.1.1, fixed 3.1.1' is empty, yet 3.1.1 and later are listed"
_DRUPAL_BRANCH = (
    "a branch is closed with 'fixed' at the next minor's first release, which another range "
    "of the same entry marks affected"
)
_POINT_RANGE = (
    "the version is both 'fixed' in one range and 'introduced'/'last_affected' in another"
)

EXPECTED_DEFECTS: dict[str, dict[str, str]] = {
    "AlmaLinux.zip": {},
    "Bitnami.zip": {
        "BIT-mastodon-2026-47777": "event 'nightly.2026-03-10.0' is not a version",
        "BIT-powershell-2020-0951": _POINT_RANGE,
        "BIT-solr-2026-44825": _POINT_RANGE,
    },
    "CRAN.zip": {},
    "Debian.zip": {"ELA-669-1": "affected[].ranges is an object, not a list"},
    "GHC.zip": {},
    "GIT.zip": {},
    "Go.zip": {},
    "Hackage.zip": {},
    "Julia.zip": {},
    "OSS-Fuzz.zip": {},
    "Packagist.zip": {
        "DRUPAL-CONTRIB-2024-044": _DRUPAL_BRANCH,
        "DRUPAL-CORE-2026-005": _DRUPAL_BRANCH,
        "DRUPAL-CORE-2026-006": _DRUPAL_BRANCH,
        "DRUPAL-CORE-2026-007": _DRUPAL_BRANCH,
        "DRUPAL-CORE-2026-008": _DRUPAL_BRANCH,
        "DRUPAL-CORE-2026-009": _DRUPAL_BRANCH,
        "DRUPAL-CORE-2026-010": _DRUPAL_BRANCH,
        "DRUPAL-CORE-2026-011": _DRUPAL_BRANCH,
        "DRUPAL-CORE-2026-012": _DRUPAL_BRANCH,
    },
    "PyPI.zip": {
        "PYSEC-2006-1": _LEGACY + " (2.0.0-final)",
        "PYSEC-2008-3": _LEGACY + " (2.0.0-final)",
        "PYSEC-2008-8": _LEGACY + " (0.1-bulbasaur, ...)",
        "PYSEC-2015-24": _LEGACY + " (0.7.1.fix1, 0.7.4.svn.r2010)",
        "PYSEC-2015-25": _LEGACY + " (0.7.1.fix1, 0.7.4.svn.r2010)",
        "PYSEC-2017-103": _LEGACY + " (1.0beta6.1)",
        "PYSEC-2017-41": _LEGACY + " (a3)",
        "PYSEC-2017-46": _LEGACY + " (0.7.1.fix1, 0.7.4.svn.r2010)",
        "PYSEC-2017-47": _LEGACY + " (0.7.1.fix1, 0.7.4.svn.r2010)",
        "PYSEC-2018-100": _LEGACY + " (0.3m1, ...)",
        "PYSEC-2018-114": _LEGACY + " (0.3.1-p1, 0.4.0-p1)",
        "PYSEC-2018-115": _LEGACY + " (0.3.1-p1, 0.4.0-p1)",
        "PYSEC-2018-19": _LEGACY + " (0.1-bulbasaur, ...)",
        "PYSEC-2019-102": _LEGACY + " (timestamps such as 2013-01-21T20:33:09+0100)",
        "PYSEC-2019-106": _LEGACY + " (2.0.1rc2-git)",
        "PYSEC-2019-125": "event 'fixed: 2019-09-12' is a date, not a PEP 440 version",
        "PYSEC-2019-126": _LEGACY + " (a3)",
        "PYSEC-2019-6": _LEGACY + " (0.7.10p1, ...)",
        "PYSEC-2020-341": _LEGACY + " ('-class.-jw.util.version.Version-')",
        "PYSEC-2021-114": "2.11.6 is listed as affected and also named 'fixed'",
        "PYSEC-2021-121": _LEGACY + " (trunk)",
        "PYSEC-2021-338": _LEGACY + " (4.11-final, 5.0-final)",
        "PYSEC-2021-356": _LEGACY + " (2.0.1rc2-git)",
        "PYSEC-2021-371": "event 'fixed: 0.2.0-n653' is not a PEP 440 version",
        "PYSEC-2021-859": _LEGACY + " (2.0.1rc2-git)",
        "PYSEC-2022-12": _LEGACY + " (0.7.1.fix1, 0.7.4.svn.r2010)",
        "PYSEC-2022-166": _LEGACY + " (0.1-bulbasaur, ...)",
        "PYSEC-2022-236": _EMPTY_RANGE,
        "PYSEC-2022-288": _LEGACY + " (0.3.2d, ...)",
        "PYSEC-2022-5": _LEGACY + " (2.0.1rc2-git)",
        "PYSEC-2023-17": _LEGACY + " (0.7.1.fix1, 0.7.4.svn.r2010)",
        "PYSEC-2023-177": "23.9.0 and 23.9.0.post1 are listed, but 23.9.0 is the 'fixed' version",
        "PYSEC-2023-22": _LEGACY + " (3.0.0b3-)",
        "PYSEC-2023-61": "lists pre-releases (3.2a1, 4.2rc1) that sort below 'introduced'",
        "PYSEC-2023-72": _EMPTY_RANGE,
    },
    "crates.io.zip": {},
    "npm.zip": {},
}


# (versions checked, skipped) per zip: guards against a change that quietly checks less.
EXPECTED_COUNTS = {
    "AlmaLinux.zip": (69160, 0),
    "Bitnami.zip": (19805, 0),
    "CRAN.zip": (157, 0),
    "Debian.zip": (2509, 0),
    "GHC.zip": (7, 0),
    "GIT.zip": (0, 0),  # no versions, GIT ranges only
    "Go.zip": (5309, 0),
    "Hackage.zip": (33, 0),
    "Julia.zip": (1918, 0),
    "OSS-Fuzz.zip": (0, 36607),  # GIT ranges and git-tag version lists only
    "Packagist.zip": (809, 0),
    "PyPI.zip": (145764, 48),
    "crates.io.zip": (1000, 0),
    "npm.zip": (166, 0),
}


def test_every_zip_has_an_expected_defect_list() -> None:
    zips = sorted(p.name for p in shared_data("osv").glob("*.zip"))
    assert zips == sorted(EXPECTED_DEFECTS) == sorted(EXPECTED_COUNTS)


@pytest.mark.parametrize("zip_name", sorted(EXPECTED_DEFECTS))
def test_osv_zip_agrees_except_known_defects(zip_name: str) -> None:
    row, mismatches = check_zip(shared_data("osv", zip_name))
    assert row.records > 0
    assert (row.checked, row.skipped) == EXPECTED_COUNTS[zip_name]
    assert sorted({m.record for m in mismatches}) == sorted(EXPECTED_DEFECTS[zip_name])
    assert row.agreed + row.defects == row.checked

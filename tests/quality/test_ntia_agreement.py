"""sbomkit's ntia profile against ntia-conformance-checker on every SPDX 2.x JSON example.

Both tools judge the same file: the checker through its own Python API, sbomkit through
``read_sbom``. They must agree on overall conformance and on each minimum element, except
where :data:`EXPECTED_DISAGREEMENTS` says otherwise and why. The SPDX 2 reader
(sbomkit.formats.spdx2_reader) must be installed for this module to run.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from ntia_conformance_checker.ntia_checker import NTIAChecker
from testkit import SHARED_DATA, shared_data

from sbomkit.formats.readers import read_sbom
from sbomkit.formats.spdx2_reader import Spdx2JsonReader  # noqa: F401  (fail loudly if absent)
from sbomkit.quality.registry import check

# The checker's table rows, in its order, and the sbomkit rule for each element.
ELEMENTS = {
    "name": ("All component names provided?", "ntia.name"),
    "version": ("All component versions provided?", "ntia.version"),
    "identifier": ("All component identifiers provided?", "ntia.identifier"),
    "supplier": ("All component suppliers provided?", "ntia.supplier"),
    "author": ("SBOM author name provided?", "ntia.author"),
    "timestamp": ("SBOM creation timestamp provided?", "ntia.timestamp"),
    "dependency": ("Dependency relationships provided?", "ntia.dependency"),
}

# Why the two tools may differ, one reason per cause.
SPDXID = (
    "the checker takes the SPDXID, which every package has, as the 'other unique identifier'; "
    "sbomkit asks for an identifier that works outside the document (purl, CPE, SWID), as "
    "the NTIA report's examples do, and some packages here have none"
)
SPDXID_ONLY = (
    f"{SPDXID}; it is the only element missing, so the checker calls the document "
    "conformant and sbomkit does not"
)
REVERSE_EDGES = (
    "the checker evaluates only packages reachable from the DESCRIBES roots along forward "
    "relationship types (DEPENDS_ON, CONTAINS, ...); this document states its graph with "
    "DEPENDENCY_OF and CONTAINED_BY, so the checker skips 6 of its 7 packages, which lack "
    "versions and suppliers; sbomkit checks every package"
)
FLOATING = (
    "the checker skips packages that no relationship connects to the described package "
    "(SPDXRef-fromDoap-0 and -1 here) and SPDXRef-fromDoap-1 has no version; sbomkit "
    "checks every package"
)

_EX = "spdx-examples/software"
_ACME = "spdx-examples/presentations/SBOMS-SPDX-Now-and-Future/ACME-v2.3.spdx.json"
# (file relative to ../shared/data, element or "overall") -> reason. The checker says yes,
# sbomkit says no, in every case.
EXPECTED_DISAGREEMENTS: dict[tuple[str, str], str] = {
    (_ACME, "identifier"): SPDXID,
    (f"{_EX}/example10/spdx2.3/hello-source.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example12/spdx2.2/hello-dist.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example12/spdx2.2/hello-dist.spdx.json", "overall"): SPDXID_ONLY,
    (f"{_EX}/example12/spdx2.2/hello-src.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example12/spdx2.2/hello-src.spdx.json", "overall"): SPDXID_ONLY,
    (f"{_EX}/example14/content/examplemaven-0.0.1.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example14/spdx2.3/examplemaven-0.0.1-enriched.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example7/spdx2.2/example7-bin.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example7/spdx2.2/example7-go-module.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example7/spdx2.2/example7-golang.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example7/spdx2.2/example7-third-party-modules.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example8/spdx2.3/examplemaven-0.0.1.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example9/spdx2.2/appbomination.spdx.json", "identifier"): SPDXID,
    (f"{_EX}/example9/spdx2.2/appbomination.spdx.json", "version"): REVERSE_EDGES,
    (f"{_EX}/example9/spdx2.2/appbomination.spdx.json", "supplier"): REVERSE_EDGES,
    ("spdx-spec/v2.3.1/examples/SPDXJSONExample-v2.3.spdx.json", "identifier"): SPDXID,
    ("spdx-spec/v2.3.1/examples/SPDXJSONExample-v2.3.spdx.json", "version"): FLOATING,
}  # fmt: skip


def spdx2_json_files() -> list[str]:
    """Every JSON document under the two folders whose top level has ``spdxVersion``."""
    found = []
    for folder in ("spdx-examples", "spdx-spec"):
        for path in sorted(shared_data(folder).rglob("*.json")):
            try:
                doc = json.loads(path.read_bytes())
            except ValueError:
                continue
            if isinstance(doc, dict) and "spdxVersion" in doc:
                found.append(path.relative_to(SHARED_DATA).as_posix())
    return found


FILES = spdx2_json_files()


def test_the_examples_are_there() -> None:
    assert len(FILES) == 19
    assert {f for f, _ in EXPECTED_DISAGREEMENTS} <= set(FILES)


def checker_verdicts(path: Path) -> dict[str, bool]:
    logging.disable(logging.CRITICAL)  # the checker logs floating packages as warnings
    try:
        checker = NTIAChecker(str(path))
    finally:
        logging.disable(logging.NOTSET)
    table = dict(checker.table_elements)
    got = {element: table[label] for element, (label, _) in ELEMENTS.items()}
    return {**got, "overall": checker.compliant}


def sbomkit_verdicts(path: Path) -> dict[str, bool]:
    (result,) = check(read_sbom(path), ("ntia",))
    by_id = {r.rule.id: r.failed == 0 for r in result.results}
    got = {element: by_id[rule] for element, (_, rule) in ELEMENTS.items()}
    return {**got, "overall": result.passed}


@pytest.mark.parametrize("rel", FILES)
def test_agrees_with_ntia_conformance_checker(rel: str) -> None:
    path = SHARED_DATA / rel
    theirs, ours = checker_verdicts(path), sbomkit_verdicts(path)
    differ = {e: (theirs[e], ours[e]) for e in theirs if theirs[e] != ours[e]}
    expected = {e: (True, False) for f, e in EXPECTED_DISAGREEMENTS if f == rel}
    assert differ == expected

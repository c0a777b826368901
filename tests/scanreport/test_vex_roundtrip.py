"""Write each VEX format, read it back with ``load_vex``, apply it to the same findings
without their decisions: every status and justification comes back (in the format's words).

Untriaged findings come back ``under_investigation`` (every writer says so); ignored ones
come back untouched (an ignore is not a VEX claim, so no writer states it).
"""

from __future__ import annotations

import pytest
from scanreport.vexcases import CASES, Case, triaged, untriaged

from sbomkit.match.findings import Status
from sbomkit.match.vex_in import apply_vex, load_vex
from sbomkit.scanreport.registry import WRITERS

EPOCH = "1767225600"
_BACK = {Status.ACTIVE: Status.UNDER_INVESTIGATION, Status.IGNORED: Status.ACTIVE}
FORMATS = {"csaf-vex": "csaf", "cyclonedx-vex": "cyclonedx", "openvex": "openvex"}


def _expected(case: Case, fmt: str) -> tuple[Status, str | None]:
    if case.status is Status.FALSE_POSITIVE and fmt != "cyclonedx-vex":
        # Only CycloneDX has a word for a wrong match; the others say not affected.
        return Status.NOT_AFFECTED, getattr(case, FORMATS[fmt])
    return _BACK.get(case.status, case.status), getattr(case, FORMATS[fmt])


def _params() -> list[object]:
    return [pytest.param(fmt, case, id=f"{fmt}-{case.name}") for fmt in FORMATS for case in CASES]


@pytest.fixture(scope="module")
def read_back(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    """format -> component name -> (status, justification) after the round trip."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = triaged()
        out: dict[str, dict[str, object]] = {}
        for fmt in FORMATS:
            path = tmp_path_factory.mktemp("vex") / f"{fmt}.json"
            path.write_bytes(WRITERS[fmt](result))
            findings = apply_vex(untriaged(result), load_vex(path))
            out[fmt] = {
                f.component.name: (f.status, f.decision.justification if f.decision else None)
                for f in findings
            }
    return out


@pytest.mark.parametrize(("fmt", "case"), _params())
def test_status_and_justification_survive(
    read_back: dict[str, dict[str, object]], fmt: str, case: Case
) -> None:
    assert read_back[fmt][case.package] == _expected(case, fmt)


def test_every_status_is_covered() -> None:
    assert {c.status for c in CASES} == set(Status)

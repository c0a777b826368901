"""Fix advice over entries written here: the lowest fixed version that fixes them all."""

from __future__ import annotations

import pytest

from sbomkit.match.fixes import _highest, common_fix
from sbomkit.versions import scheme_for
from sbomkit.versions.osv_affected import Affected, Event, Range


def _entry(*events: tuple[str, str]) -> Affected:
    return Affected("PyPI", "pkg", (Range("ECOSYSTEM", tuple(Event(*e) for e in events)),))


@pytest.mark.parametrize(
    ("versions", "highest"),
    [
        (["1.0", "2.0", "1.5"], "2.0"),
        (["2.0", "2.0.0"], "2.0.0"),  # equal versions: the last given, as a stable sort has it
        (["2.0.0", "2.0"], "2.0"),
        (["not a version", "1.0"], "1.0"),
        (["not a version"], None),
        ([], None),
    ],
)
def test_highest(versions: list[str], highest: str | None) -> None:
    assert _highest(versions, scheme_for("PyPI")) == highest


def test_common_fix_takes_the_highest_own_fix_when_it_fixes_all() -> None:
    a = _entry(("introduced", "0"), ("fixed", "1.2"))
    b = _entry(("introduced", "0"), ("fixed", "1.4"))
    assert common_fix([a, b], "1.0", ["1.2", "1.4"]) == "1.4"


def test_common_fix_none_when_one_entry_has_no_fix() -> None:
    a = _entry(("introduced", "0"), ("fixed", "1.2"))
    b = _entry(("introduced", "0"))
    assert common_fix([a, b], "1.0", ["1.2", None]) is None

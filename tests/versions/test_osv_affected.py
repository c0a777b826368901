"""OSV ``affected[]`` evaluation on records written for these tests (tests/testdata/versions)."""

from __future__ import annotations

import re
from collections.abc import Callable

import orjson
import pytest
from testkit import TESTDATA

from sbomkit.versions import VersionError, scheme_for
from sbomkit.versions.osv_affected import (
    Affected,
    Event,
    Outcome,
    ShapeError,
    _introduced_fixed,
    _listed_keys,
    _Plan,
    _sorted_plan,
    affected_from_json,
    evaluate,
    fixed_versions,
    is_affected,
    lowest_fix,
)

A, N, U = Outcome.AFFECTED, Outcome.NOT_AFFECTED, Outcome.UNKNOWN
GIT_NOTE = "range 0: GIT range skipped (commit ranges need the repository)"


def _entry(fixture: str, index: int = 0) -> Affected:
    record = orjson.loads((TESTDATA / "versions" / fixture).read_bytes())
    return affected_from_json(record["affected"][index])


# (fixture, affected index, version, outcome, explanation)
CASES = [
    ("pypi-introduced-zero.json", 0, "0.0.1a1", A, "range 0: introduced 0, fixed 2.4.1"),
    ("pypi-introduced-zero.json", 0, "2.4.1rc1", A, "range 0: introduced 0, fixed 2.4.1"),
    ("pypi-introduced-zero.json", 0, "2.4.1", N, "range 0: introduced 0, fixed 2.4.1"),
    ("pypi-introduced-zero.json", 0, "2.4.0", A, "listed in versions: 2.4.0"),
    ("pypi-introduced-zero.json", 0, "2.4.0.0", A, "listed in versions: 2.4.0"),
    ("pypi-multiple-ranges.json", 0, "0.9", N, "range 0: introduced 1.0"),
    ("pypi-multiple-ranges.json", 0, "1.0", A, "range 0: introduced 1.0, fixed 1.0.2"),
    ("pypi-multiple-ranges.json", 0, "1.0.2", N, "range 0: introduced 1.0, fixed 1.0.2"),
    ("pypi-multiple-ranges.json", 0, "2.0", N, "range 0: introduced 1.0, fixed 1.0.2"),
    ("pypi-multiple-ranges.json", 0, "3.2.4", A, "range 0: introduced 3.0.0, fixed 3.2.5"),
    ("pypi-multiple-ranges.json", 0, "3.2.5", N, "range 0: introduced 3.0.0, fixed 3.2.5"),
    ("pypi-multiple-ranges.json", 0, "5.1", A, "range 1: introduced 5.0, last_affected 5.1"),
    ("pypi-multiple-ranges.json", 0, "5.1.post1", N, "range 0: introduced 3.0.0, fixed 3.2.5"),
    ("pypi-unsorted-events.json", 0, "1.0.1", A, "range 0: introduced 1.0, fixed 1.0.2"),
    ("pypi-unsorted-events.json", 0, "3.1", A, "range 0: introduced 3.0.0, fixed 3.2.5"),
    ("pypi-unsorted-events.json", 0, "2.0", N, "range 0: introduced 1.0, fixed 1.0.2"),
    ("npm-last-affected.json", 0, "2.1.214", A, "range 0: introduced 0, last_affected 2.1.214"),
    ("npm-last-affected.json", 0, "v2.1.214", A, "range 0: introduced 0, last_affected 2.1.214"),
    (
        "npm-last-affected.json",
        0,
        "2.1.215-rc.1",
        N,
        "range 0: introduced 0, last_affected 2.1.214",
    ),
    ("semver-limit.json", 0, "1.9.9", A, "range 0: introduced 1.0.0"),
    ("semver-limit.json", 0, "2.0.0", N, "range 0: limit 2.0.0"),
    ("semver-limit.json", 0, "3.1.0", A, "range 1: introduced 3.0.0"),
    (
        "go-pseudo-incompatible.json",
        0,
        "v0.0.0-20191109021931-daa7c04131f5",
        A,
        "range 0: introduced 0, fixed 1.2.4",
    ),
    (
        "go-pseudo-incompatible.json",
        0,
        "v1.2.4-0.20191109021931-daa7c04131f5",
        A,
        "range 0: introduced 0, fixed 1.2.4",
    ),
    ("go-pseudo-incompatible.json", 0, "v1.2.4", N, "range 0: introduced 0, fixed 1.2.4"),
    (
        "go-pseudo-incompatible.json",
        1,
        "v2.2.0+incompatible",
        A,
        "range 0: introduced 2.0.0+incompatible, fixed 2.3.0+incompatible",
    ),
    (
        "go-pseudo-incompatible.json",
        1,
        "v2.3.0+incompatible",
        N,
        "range 0: introduced 2.0.0+incompatible, fixed 2.3.0+incompatible",
    ),
    ("maven-qualifiers.json", 0, "1.0-beta-3", A, "range 0: introduced 1.0-alpha-1, fixed 1.0-rc2"),
    ("maven-qualifiers.json", 0, "1.0-CR1", A, "range 0: introduced 1.0-alpha-1, fixed 1.0-rc2"),
    ("maven-qualifiers.json", 0, "1.0", N, "range 0: introduced 1.0-alpha-1, fixed 1.0-rc2"),
    (
        "maven-qualifiers.json",
        0,
        "2.0-SNAPSHOT",
        N,
        "range 0: introduced 1.0-alpha-1, fixed 1.0-rc2",
    ),
    ("maven-qualifiers.json", 0, "2.0.0", A, "range 0: introduced 2.0, fixed 2.0.1"),
    ("maven-qualifiers.json", 0, "2.0-sp1", A, "range 0: introduced 2.0, fixed 2.0.1"),
    ("debian-tilde-epoch.json", 0, "1:2.30-4", N, "range 0: introduced 0, fixed 1:2.30-4~deb12u1"),
    (
        "debian-tilde-epoch.json",
        0,
        "1:2.30-4~deb11u1",
        A,
        "range 0: introduced 0, fixed 1:2.30-4~deb12u1",
    ),
    ("debian-tilde-epoch.json", 0, "2.40-1", A, "range 0: introduced 0, fixed 1:2.30-4~deb12u1"),
    (
        "almalinux-caret-epoch.json",
        0,
        "2:1.0-1.el9",
        A,
        "range 0: introduced 0, fixed 2:1.0^git5-1.el9",
    ),
    (
        "almalinux-caret-epoch.json",
        0,
        "2:1.0^git4-3.el9",
        A,
        "range 0: introduced 0, fixed 2:1.0^git5-1.el9",
    ),
    (
        "almalinux-caret-epoch.json",
        0,
        "2:1.0.1-1.el9",
        N,
        "range 0: introduced 0, fixed 2:1.0^git5-1.el9",
    ),
    (
        "almalinux-caret-epoch.json",
        0,
        "1:9.0-1.el9",
        A,
        "range 0: introduced 0, fixed 2:1.0^git5-1.el9",
    ),
    ("alpine-suffixes.json", 0, "1.2.3-r5", A, "range 0: introduced 0, fixed 1.2.3_p1-r0"),
    ("alpine-suffixes.json", 0, "1.2.3_rc1-r0", A, "range 0: introduced 0, fixed 1.2.3_p1-r0"),
    ("alpine-suffixes.json", 0, "1.2.3_p1-r0", N, "range 0: introduced 0, fixed 1.2.3_p1-r0"),
    ("alpine-suffixes.json", 0, "1.2.4-r0", N, "range 0: introduced 0, fixed 1.2.3_p1-r0"),
    ("rubygems-prerelease.json", 0, "2.0.0.alpha", N, "range 0: introduced 2.0.0.beta1"),
    ("rubygems-prerelease.json", 0, "2.0.0.rc1", A, "range 0: introduced 2.0.0.beta1, fixed 2.0.1"),
    ("rubygems-prerelease.json", 0, "2.0.1", N, "range 0: introduced 2.0.0.beta1, fixed 2.0.1"),
    ("packagist-stability.json", 0, "1.0.0-alpha2", N, "range 0: introduced 1.0.0-beta1"),
    (
        "packagist-stability.json",
        0,
        "v1.0.0-RC1",
        A,
        "range 0: introduced 1.0.0-beta1, fixed v1.0.3",
    ),
    ("packagist-stability.json", 0, "1.0.3.0", N, "range 0: introduced 1.0.0-beta1, fixed v1.0.3"),
    ("nuget-four-part.json", 0, "4.0.0.0", A, "range 0: introduced 4.0.0, fixed 4.0.0.1"),
    ("nuget-four-part.json", 0, "4.0.0.1", N, "range 0: introduced 4.0.0, fixed 4.0.0.1"),
    ("git-only.json", 0, "v1.1", A, "listed in versions: v1.1"),
    ("git-only.json", 0, "v1.2", N, GIT_NOTE),
    ("unparseable-event.json", 0, "9.1", A, "range 1: introduced 9.0"),
    (
        "unparseable-event.json",
        0,
        "1.0",
        U,
        "range 0: 'not-a-version' is not a valid PyPI version (not a PEP 440 version)",
    ),
    (
        "unparseable-event.json",
        0,
        "0.3m1",
        U,
        "range 0: '0.3m1' is not a valid PyPI version (not a PEP 440 version); "
        "range 1: '0.3m1' is not a valid PyPI version (not a PEP 440 version)",
    ),
    ("unknown-ecosystem.json", 0, "0.5", U, "range 0: no version order for ECOSYSTEM in OSS-Fuzz"),
]


@pytest.mark.parametrize(
    ("fixture", "index", "version", "outcome", "explanation"),
    CASES,
    ids=[f"{c[0].removesuffix('.json')}[{c[1]}]:{c[2]}" for c in CASES],
)
def test_evaluate(
    fixture: str, index: int, version: str, outcome: Outcome, explanation: str
) -> None:
    entry = _entry(fixture, index)
    verdict = evaluate(entry, version)
    assert (verdict.outcome, verdict.explain()) == (outcome, explanation)
    assert is_affected(entry, version) is (outcome is A)  # the same answer, without provenance


def test_git_range_note_accompanies_a_listed_version() -> None:
    verdict = evaluate(_entry("git-only.json"), "v1.2")
    assert verdict.notes == (GIT_NOTE,)
    assert verdict.range_index is None


def test_ranges_alone_ignore_the_versions_list() -> None:
    verdict = evaluate(_entry("pypi-introduced-zero.json"), "2.4.0", use_versions=False)
    assert (verdict.outcome, verdict.range_index) == (A, 0)
    assert [str(e) for e in verdict.events] == ["introduced 0", "fixed 2.4.1"]


@pytest.mark.parametrize(
    ("fixture", "version", "fixes"),
    [
        ("pypi-multiple-ranges.json", "1.0.1", ("1.0.2", "3.2.5")),
        ("pypi-multiple-ranges.json", "3.1", ("3.2.5",)),
        ("pypi-multiple-ranges.json", "5.0", ()),  # last_affected names no fix
        ("pypi-introduced-zero.json", "1.0", ("2.4.1",)),
        ("debian-tilde-epoch.json", "2.40-1", ("1:2.30-4~deb12u1",)),
        ("unparseable-event.json", "1.0", ()),
    ],
)
def test_fixed_versions(fixture: str, version: str, fixes: tuple[str, ...]) -> None:
    entry = _entry(fixture)
    assert fixed_versions(entry, version) == fixes
    assert lowest_fix(entry, version) == (fixes[0] if fixes else None)


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("ranges-not-a-list.json", "affected[].ranges: expected a list"),
        (
            "event-two-fields.json",
            "affected[].ranges[0].events: each event must have exactly one field",
        ),
    ],
)
def test_malformed_entry(fixture: str, message: str) -> None:
    record = orjson.loads((TESTDATA / "versions" / fixture).read_bytes())
    with pytest.raises(ShapeError, match=f"^{re.escape(message)}$"):
        affected_from_json(record["affected"][0])


@pytest.mark.parametrize(
    ("ecosystem", "introduced", "fixed"),
    [
        ("PyPI", "0", "2.4.1"),
        ("PyPI", "1.0", "2.0"),
        ("PyPI", "2.0", "1.0"),  # a fix below the introduction: still sorted by version
        ("PyPI", "1.0", "1.0.0"),  # equal: introduced first
        ("AlmaLinux", "0", "1:2.3-4.el9_2"),
        ("Go", "v1.2.0", "v1.2.1-0.20230101000000-abcdefabcdef"),
        ("PyPI", "0", "not a version"),
        ("PyPI", "bad", "worse"),  # the error names the introduced version, as before
    ],
)
def test_introduced_fixed_plan_is_the_sorted_plan(
    ecosystem: str, introduced: str, fixed: str
) -> None:
    """The shortcut for two-event ranges builds exactly what the general walk builds."""
    scheme = scheme_for(ecosystem)
    assert scheme is not None
    events = (Event("introduced", introduced), Event("fixed", fixed))

    assert _outcome(lambda: _introduced_fixed(scheme, *events)) == _outcome(
        lambda: _sorted_plan(scheme, events)
    )


def _outcome(build: Callable[[], object]) -> object:
    try:
        return build()
    except VersionError as e:
        return str(e)


LISTED = ("1.0", "v2.0.0", "2.0", "3.0rc1", "03.1", "4", "not-a-version", "4.0.0")


@pytest.mark.parametrize(
    ("version", "found"),
    [
        ("1.0", "1.0"),  # as text
        ("1", "1.0"),
        ("1.0.0", "1.0"),
        ("2", "v2.0.0"),  # the first listed of equal versions
        ("3.0rc1", "3.0rc1"),
        ("3.0", None),  # a pre-release is not the release
        ("3.1", "03.1"),
        ("4.0", "4"),
        ("5", None),
        ("not a version", None),
    ],
)
def test_listed_finds_equal_versions(version: str, found: str | None) -> None:
    """Looking a version up by canonical text answers as keying the whole list does."""
    plan = _Plan("PyPI", (), LISTED)
    assert plan.listed(version) == found
    scheme = scheme_for("PyPI")
    assert scheme is not None
    try:
        by_key = _listed_keys(scheme, LISTED).get(scheme.key(version))
    except VersionError:
        by_key = None
    assert by_key == found

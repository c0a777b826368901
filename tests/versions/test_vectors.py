"""Upstream version-comparison vectors (univers, vers-spec, rpm's and apk-tools' own tables)."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from testkit import shared_data

from sbomkit.versions.apk import ApkVersion
from sbomkit.versions.dpkg import DpkgVersion
from sbomkit.versions.interface import VersionScheme
from sbomkit.versions.maven import MavenVersion
from sbomkit.versions.rpm import rpmvercmp_key
from sbomkit.versions.semver import NuGetVersion

# input_scheme of the vector files -> our scheme.
IMPLEMENTED: dict[str, type[VersionScheme]] = {
    "apk": ApkVersion,
    "deb": DpkgVersion,
    "maven": MavenVersion,
    "nuget": NuGetVersion,
}
# Schemes in the vector files that no OSV ecosystem uses, so sbomkit has no class for them.
NOT_IMPLEMENTED = {
    "alpm": "Arch Linux has no OSV ecosystem",
    "conan": "ConanCenter advisories are not in the OSV data sbomkit imports",
    "datetime": "vers-only scheme, no OSV ecosystem",
    "gentoo": "Gentoo has no OSV ecosystem",
    "lexicographic": "vers-only scheme, no OSV ecosystem",
    "openssl": "OpenSSL advisories use GIT ranges in OSV",
}
# (file name, index in its list) -> why the vector is expected to fail.
XFAIL: dict[tuple[str, int], str] = {}


def _vector_files() -> list[Path]:
    return (
        sorted(shared_data("univers", "tests", "data", "schema").glob("*_version_cmp.json"))
        + [shared_data("univers", "tests", "data", "schema", "deb_version_python_pkg_test.json")]
        + sorted(shared_data("vers-spec", "tests").glob("*_version_cmp_test.json"))
        + [shared_data("vers-spec", "tests", "lexicographic-test.json")]
    )


def _cases(path: Path) -> list[dict[str, object]]:
    data = orjson.loads(path.read_bytes())
    return list(data["tests"] if isinstance(data, dict) else data)


def _params() -> list[object]:
    out = []
    for path in _vector_files():
        for i, case in enumerate(_cases(path)):
            scheme = case["input"]["input_scheme"]  # type: ignore[index]
            if scheme in NOT_IMPLEMENTED:
                continue
            reason = XFAIL.get((path.name, i))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            out.append(
                pytest.param(
                    scheme, case, id=f"{path.parent.parent.name}/{path.name}:{i}", marks=marks
                )
            )
    return out


def test_every_scheme_in_the_vectors_is_implemented_or_listed() -> None:
    schemes = {c["input"]["input_scheme"] for p in _vector_files() for c in _cases(p)}  # type: ignore[index]
    assert schemes == set(IMPLEMENTED) | set(NOT_IMPLEMENTED)


@pytest.mark.parametrize(("scheme", "case"), _params())
def test_version_vector(scheme: str, case: dict[str, object]) -> None:
    key = IMPLEMENTED[scheme].key
    versions: list[str] = case["input"]["versions"]  # type: ignore[index]
    if case["test_type"] == "equality":
        assert (key(versions[0]) == key(versions[1])) is case["expected_output"]
    else:
        # Compare keys: some files print the expected order in normalized spelling
        # (NuGet lower-cases labels), which is the same version, not a different order.
        expected: list[str] = case["expected_output"]  # type: ignore[assignment]
        assert [key(v) for v in sorted(versions, key=key)] == [key(v) for v in expected]


def _rpm_vectors() -> list[tuple[str, str, int]]:
    text = shared_data("univers", "tests", "data", "rpmvercmp.at").read_text(encoding="utf-8")
    found = re.findall(r"^RPMVERCMP\(([^,]*), ([^,]*), (-?\d)\)$", text, flags=re.M)
    return [(a, b, int(r)) for a, b, r in found]


def test_rpm_vector_count() -> None:
    assert len(_rpm_vectors()) == 91


@pytest.mark.parametrize(("a", "b", "expected"), _rpm_vectors())
def test_rpmvercmp_vector(a: str, b: str, expected: int) -> None:
    ka, kb = rpmvercmp_key(a), rpmvercmp_key(b)
    assert (ka > kb) - (ka < kb) == expected


def _apk_vectors() -> list[tuple[str, str, str]]:
    lines = shared_data("univers", "tests", "data", "alpine_test.txt").read_text().splitlines()
    return [tuple(line.split()) for line in lines if line.strip()]  # type: ignore[misc]


def test_apk_vector_count() -> None:
    assert len(_apk_vectors()) == 716


@pytest.mark.parametrize(("a", "op", "b"), _apk_vectors())
def test_apk_vector(a: str, op: str, b: str) -> None:
    ka, kb = ApkVersion.key(a), ApkVersion.key(b)
    assert {"<": ka < kb, "=": ka == kb, ">": ka > kb}[op]

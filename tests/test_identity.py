import json

import pytest
from testkit import shared_data

from sbomkit.identity import ECOSYSTEMS, make_component, pypi_name, split_npm_name


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Django_Package", "django-package"),
        ("zope.interface", "zope-interface"),
        ("A__b--C..d", "a-b-c-d"),
        ("requests", "requests"),
    ],
)
def test_pypi_name_is_pep503(raw: str, canonical: str) -> None:
    assert pypi_name(raw) == canonical


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("@Babel/Core", ("@babel", "Core")), ("lodash", (None, "lodash")), ("@x", (None, "@x"))],
)
def test_split_npm_name_lowercases_scope_only(raw: str, expected: tuple[str | None, str]) -> None:
    assert split_npm_name(raw) == expected


def test_make_component_builds_canonical_purl_and_ref() -> None:
    c = make_component("npm", "@Angular/animation", "12.3.1")
    assert c.purl is not None
    assert c.ref == "pkg:npm/%40angular/animation@12.3.1"
    assert c.name == "@Angular/animation"  # the name as written stays for display


# packageurl-python 0.17 leaves "/" and ":" unencoded in qualifier values; the purl-spec
# vectors expect %2F/%3A. Catalogers set no URL-valued qualifiers, so refs are unaffected.
QUALIFIER_ENCODING = "packageurl-python does not percent-encode '/' in qualifier values"


def _xfail_reason(given: dict[str, object]) -> str | None:
    quals = given.get("qualifiers") or {}
    assert isinstance(quals, dict)
    return QUALIFIER_ENCODING if any("/" in str(v) for v in quals.values()) else None


def _build_vectors() -> list[object]:
    out: list[object] = []
    for eco in ECOSYSTEMS.values():
        path = shared_data("purl-spec", "tests", "types", f"{eco.purl_type}-test.json")
        for i, t in enumerate(json.loads(path.read_text())["tests"]):
            if t["test_type"] != "build":
                continue
            given = t["input"]
            reason = _xfail_reason(given)
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            args = (given, t.get("expected_output"), t["expected_failure"])
            out.append(pytest.param(*args, id=f"{eco.key}-{i}", marks=marks))
    return out


@pytest.mark.parametrize(("given", "expected", "fails"), _build_vectors())
def test_purl_spec_build_vectors(given: dict[str, str], expected: str | None, fails: bool) -> None:
    """purl-spec 'build' tests for every purl type we build, through our own builder."""
    eco = next(e for e in ECOSYSTEMS.values() if e.purl_type == given["type"])
    name = eco.full_name(given.get("namespace"), given["name"] or "")
    args = (name, given.get("version"), given.get("qualifiers"), given.get("subpath"))
    if fails:
        with pytest.raises(ValueError):
            eco.purl(*args).to_string()  # type: ignore[arg-type]
        return
    assert eco.purl(*args).to_string() == expected  # type: ignore[arg-type]


def test_percent_escapes_are_upper_case_everywhere_in_the_ref() -> None:
    c = make_component("npm", "@scöpe/naïve", "1.0.0")
    assert c.ref == "pkg:npm/%40sc%C3%B6pe/na%C3%AFve@1.0.0"
    assert c.purl_string == c.ref


def _canonical_vectors() -> list[str]:
    """Every canonical purl of the purl-spec test suites (tests/spec and tests/types)."""
    out: set[str] = set()
    for path in shared_data("purl-spec/tests").rglob("*.json"):
        for case in json.loads(path.read_text()).get("tests", []):
            expected = case.get("expected_output")
            if isinstance(expected, str) and expected.startswith("pkg:"):
                out.add(expected)
    return sorted(out)


def test_component_from_purl_fast_path_equals_packageurl() -> None:
    """The hand split of plain purls gives exactly what PackageURL.from_string gives."""
    from packageurl import PackageURL

    from sbomkit.identity import _plain_purl

    vectors = _canonical_vectors()
    taken = 0
    for purl in vectors:
        plain = _plain_purl(purl)
        if plain is None:
            continue
        taken += 1
        slow = PackageURL.from_string(purl)
        assert (tuple(plain), plain.to_string()) == (tuple(slow), purl), purl
    assert (len(vectors), taken) == (156, 75)


@pytest.mark.parametrize(
    ("purl", "plain"),
    [
        ("pkg:rpm/almalinux/curl@7.76.1-26.el9?arch=x86_64&distro=almalinux-9", True),
        ("pkg:rpm/almalinux/curl@7.76.1?distro=almalinux-9&arch=x86_64", False),  # order
        ("pkg:deb/debian/curl@7.88.1?arch=amd64&arch=i386", False),  # a key twice
        ("pkg:rpm/almalinux/curl@7.76.1?Arch=x86_64", False),  # key case
        ("pkg:rpm/almalinux/curl@7.76.1?arch=", False),  # empty value, dropped
        ("pkg:deb/debian/curl@7.88.1?arch=amd%2064", False),  # escaped value
    ],
    ids=["canonical", "unsorted", "repeated", "upper-key", "empty", "escaped"],
)
def test_fast_path_takes_only_canonical_qualifiers(purl: str, plain: bool) -> None:
    from packageurl import PackageURL

    from sbomkit.identity import _plain_purl

    fast = _plain_purl(purl)
    assert (fast is not None) == plain
    if fast is not None:
        assert tuple(fast) == tuple(PackageURL.from_string(purl))


def test_component_from_purl_names_like_catalogers() -> None:
    from sbomkit.identity import component_from_purl

    got = [
        (c.ecosystem, c.name, c.version, c.ref)
        for c in map(
            component_from_purl,
            [
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1",
                "pkg:npm/%40babel/core@7.24.0",
                "pkg:pypi/Django_Rest@3.0",
                "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64",
                "pkg:golang/github.com/a/b/v2@v2.0.0",
            ],
        )
    ]
    assert got == [
        (
            "maven",
            "org.apache.logging.log4j:log4j-core",
            "2.17.1",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1",
        ),
        ("npm", "@babel/core", "7.24.0", "pkg:npm/%40babel/core@7.24.0"),
        ("pypi", "django-rest", "3.0", "pkg:pypi/django-rest@3.0"),
        (
            "deb",
            "debian/curl",
            "7.88.1-10+deb12u5",
            "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64",
        ),
        ("golang", "github.com/a/b/v2", "v2.0.0", "pkg:golang/github.com/a/b/v2@v2.0.0"),
    ]

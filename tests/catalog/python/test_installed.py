"""python-installed: dist-info / egg-info metadata in a site-packages directory."""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packageurl import PackageURL
from testkit import diagnostic_rows as diags

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.python._metadata import (
    DirectUrl,
    decode,
    parse_core_metadata,
    parse_direct_url,
    parse_headers,
    read_header_bytes,
    requirement_name,
)
from sbomkit.catalog.python.installed import InstalledCataloger, _is_spdx_expression
from sbomkit.i18n import Msg
from sbomkit.identity import make_component
from sbomkit.model import Component, Dependency, Diagnostic, Hash, License, Location, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata" / "python-installed"


def scan(case: str) -> CatalogResult:
    return InstalledCataloger().catalog(
        Source(DATA / case / "site-packages", f"{case}/site-packages")
    )


def by_name(result: CatalogResult) -> dict[str, Component]:
    return {c.name: c for c in result.components}


def edges(result: CatalogResult) -> set[tuple[str, str]]:
    """Edges as (source purl name, target purl name), easier to read than refs."""
    names = {c.ref: c.purl.name for c in result.components if c.purl is not None}
    return {(names[d.source], names[d.target]) for d in result.dependencies}


# --- a real environment: pip install requests flask pandas attrs ... (metadata files only) ---

REALISTIC = "realistic/site-packages"


def test_realistic_environment_totals() -> None:
    result = scan("realistic")
    assert len(result.components) == 33
    assert len(result.dependencies) == 38
    assert result.diagnostics == []
    assert result.project is None
    assert {c.scope for c in result.components} == {Scope.REQUIRED}
    assert {c.found_by for c in result.components} == {()}
    assert {c.supplier for c in result.components} == {None}


REALISTIC_ROWS: list[tuple[str, str, tuple[License, ...], str, str, bool]] = [
    (
        "requests",
        "2.34.2",
        (License("Apache-2.0", False), License("Apache Software License", False)),
        "Kenneth Reitz <me@kennethreitz.org>",
        "https://github.com/psf/requests",
        True,
    ),
    (
        "Flask",
        "3.1.3",
        (License("BSD-3-Clause", True),),
        "Pallets <contact@palletsprojects.com>",  # Maintainer-email only
        "https://github.com/pallets/flask/",
        True,
    ),
    (
        "pandas",
        "3.1.1",
        (License("BSD-3-Clause", True),),
        "The Pandas Development Team <pandas-dev@python.org>",  # "Author-Email"
        "https://pandas.pydata.org",
        True,
    ),
    (
        "numpy",
        "2.4.6",
        (License("BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0", True),),
        "Travis E. Oliphant et al.",
        "https://numpy.org",
        False,
    ),
    (
        "attrs",
        "26.1.0",
        (License("MIT", True),),
        "Hynek Schlawack <hs@ox.cx>",
        "https://github.com/python-attrs/attrs",
        True,
    ),
    (
        "httpcore",  # License-Expression wins over the BSD classifier
        "1.0.9",
        (License("BSD-3-Clause", True),),
        "Tom Christie <tom@tomchristie.com>",
        "https://www.encode.io/httpcore/",
        False,
    ),
    (
        "certifi",
        "2026.10.18",
        (License("MPL-2.0", False), License("Mozilla Public License 2.0 (MPL 2.0)", False)),
        "Kenneth Reitz <me@kennethreitz.com>",
        "https://github.com/certifi/python-certifi",
        True,
    ),
    (
        "Jinja2",  # classifier only
        "3.1.6",
        (License("BSD License", False),),
        "Pallets <contact@palletsprojects.com>",
        "https://github.com/pallets/jinja/",
        True,
    ),
    (
        "urllib3",  # no homepage: Project-URL "Code" is the fallback
        "2.8.0",
        (License("MIT", True),),
        "Andrey Petrov <andrey.petrov@shazow.net>",
        "https://github.com/urllib3/urllib3",
        True,
    ),
    (
        "tzdata",
        "2026.6",
        (License("Apache-2.0", False),),
        "Python Software Foundation <datetime-sig@python.org>",
        "https://github.com/python/tzdata",
        False,
    ),
]


@pytest.mark.parametrize(
    ("name", "version", "licenses", "author", "homepage", "direct"),
    REALISTIC_ROWS,
    ids=[row[0] for row in REALISTIC_ROWS],
)
def test_realistic_components(
    name: str,
    version: str,
    licenses: tuple[License, ...],
    author: str,
    homepage: str,
    direct: bool,
) -> None:
    c = by_name(scan("realistic"))[name]
    assert c.version == version
    assert c.licenses == licenses
    assert c.author == author
    assert c.homepage == homepage
    assert c.direct is direct
    assert c.locations == (Location(f"{REALISTIC}/{_dist_info(name, version)}/METADATA"),)
    assert c.hashes == ()
    assert c.source_url is None


def _dist_info(name: str, version: str) -> str:
    folder = name.lower().replace("-", "_")
    return f"{folder}-{version}.dist-info"


def test_realistic_summary_and_properties() -> None:
    found = by_name(scan("realistic"))
    assert found["requests"].description == "Python HTTP for Humans."
    assert str(found["requests"].purl) == "pkg:pypi/requests@2.34.2"
    assert found["Flask"].ref == "pkg:pypi/flask@3.1.3"
    assert found["requests"].properties == (("sbomkit:installer", "pip"),)
    assert found["six"].properties == (
        ("sbomkit:installer", "pip"),
        ("sbomkit:record-files", "9"),
    )
    assert found["PySocks"].properties == (
        ("sbomkit:installer", "pip"),
        ("sbomkit:record-files", "10"),
    )


@pytest.mark.parametrize(
    ("edge", "present"),
    [
        (("requests", "urllib3"), True),
        (("requests", "charset-normalizer"), True),  # charset_normalizer<4,>=2
        (("requests", "pysocks"), True),  # extra == "socks", installed
        (("requests", "chardet"), False),  # extra, not installed
        (("flask", "werkzeug"), True),
        (("flask", "markupsafe"), True),
        (("pandas", "numpy"), True),
        (("pandas", "tzdata"), True),  # sys_platform == "win32": kept, target installed
        (("pandas", "pytz"), True),  # extra == "timezone"
        (("pandas", "pandas"), False),  # pandas[pyarrow]; extra == "parquet": no self edge
        (("jinja2", "markupsafe"), True),
        (("urllib3", "pysocks"), True),
        (("flask", "importlib-metadata"), False),  # not installed
    ],
    ids=lambda v: "->".join(v) if isinstance(v, tuple) else str(v),
)
def test_realistic_edges(edge: tuple[str, str], present: bool) -> None:
    assert (edge in edges(scan("realistic"))) is present


# --- older layouts ---


def test_egg_layouts() -> None:
    result = scan("egg-info")
    sp = "egg-info/site-packages"
    assert [(c.name, c.version, str(c.locations[0])) for c in result.components] == [
        ("egg-dir", "2.0", f"{sp}/egg_dir-2.0-py3.11.egg/EGG-INFO/PKG-INFO"),
        ("legacy-pkg", "1.2.0", f"{sp}/legacy_pkg-1.2.0-py3.11.egg-info/PKG-INFO"),
        ("simple_file", "0.3", f"{sp}/simple_file-0.3-py3.11.egg-info"),
        ("zipped-egg", "1.5", f"{sp}/zipped_egg-1.5-py3.11.egg/EGG-INFO/PKG-INFO"),
    ]
    assert diags(result) == [
        (
            Msg.INVALID_ENTRY,
            f"{sp}/broken_zip-0.1-py3.11.egg/EGG-INFO/PKG-INFO",
            "BadZipFile: File is not a zip file",
        )
    ]
    assert edges(result) == {
        ("legacy-pkg", "simple-file"),  # requires.txt
        ("legacy-pkg", "egg-dir"),  # requires.txt [extra]
        ("egg-dir", "zipped-egg"),
        ("zipped-egg", "simple-file"),
    }


@pytest.mark.parametrize(
    ("name", "field", "expected"),
    [
        ("legacy-pkg", "author", "Ada Lovelace <ada@example.org>"),
        ("legacy-pkg", "homepage", "https://example.org/legacy"),
        ("legacy-pkg", "description", "An old setuptools package"),
        # "License: UNKNOWN" and the bare "OSI Approved" group are dropped
        ("legacy-pkg", "licenses", (License("BSD License", False),)),
        ("simple_file", "author", None),  # UNKNOWN placeholders
        ("simple_file", "licenses", (License("MIT", False),)),
        ("egg-dir", "author", "Grace Hopper"),
        ("egg-dir", "licenses", (License("Apache License 2.0", False),)),
        ("zipped-egg", "author", "Zip Person <zip@example.org>"),
        ("zipped-egg", "direct", None),  # no REQUESTED anywhere in this env
        ("zipped-egg", "properties", ()),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_egg_fields(name: str, field: str, expected: object) -> None:
    assert getattr(by_name(scan("egg-info"))[name], field) == expected


# --- PEP 610 direct_url.json ---


def test_editable_install() -> None:
    result = scan("editable")
    sp = "editable/site-packages"
    app, requests = result.components
    assert app == Component(
        name="myapp",
        version="0.1.0",
        ecosystem="pypi",
        purl=app.purl,
        description="The project under development",
        direct=True,
        locations=(Location(f"{sp}/myapp-0.1.0.dist-info/METADATA"),),
        source_url="file:///home/dev/myapp",
        properties=(
            ("sbomkit:installer", "uv"),
            ("sbomkit:record-files", "3"),  # last line has no newline
            ("sbomkit:source", "editable"),
        ),
    )
    assert app.ref == "pkg:pypi/myapp@0.1.0"
    assert (requests.name, requests.direct, requests.source_url) == ("requests", False, None)
    assert result.dependencies == [Dependency(app.ref, requests.ref)]
    assert result.diagnostics == []


@pytest.mark.parametrize(
    ("name", "source_url", "kind", "hashes"),
    [
        (
            "from_git",  # credentials removed
            "git+https://git.example.org/team/from_git.git@0123456789abcdef0123456789abcdef01234567",
            "vcs",
            (),
        ),
        ("from_ssh", "git+ssh://git@github.com/team/from_ssh.git@89abcdef", "vcs", ()),
        (
            "from_archive",  # legacy "hash" deduplicated; unknown algorithm, non-hex dropped
            "https://files.example.org/from_archive-2.0-py3-none-any.whl",
            "url",
            (Hash("SHA-256", "aaaa0000"), Hash("SHA-512", "bbbb1111")),
        ),
        ("from_dir", "file:///srv/build/from_dir", "directory", ()),
        ("bad_json", None, None, ()),
        ("no_info", None, None, ()),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_direct_url_kinds(
    name: str, source_url: str | None, kind: str | None, hashes: tuple[Hash, ...]
) -> None:
    c = by_name(scan("direct-url"))[name]
    assert c.source_url == source_url
    assert c.properties == ((("sbomkit:source", kind),) if kind else ())
    assert c.hashes == hashes


def test_direct_url_warnings() -> None:
    sp = "direct-url/site-packages"
    assert diags(scan("direct-url")) == [
        (
            Msg.INVALID_ENTRY,
            f"{sp}/bad_json-4.0.dist-info/direct_url.json",
            "not JSON: JSONDecodeError",
        ),
        (
            Msg.INVALID_ENTRY,
            f"{sp}/no_info-5.0.dist-info/direct_url.json",
            "none of vcs_info, archive_info, dir_info",
        ),
    ]


# --- licenses, people, URLs ---


@pytest.mark.parametrize(
    ("name", "licenses"),
    [
        # License-Expression alone; the classifier and the body's "License:" are ignored
        ("spdx-pkg", (License("Apache-2.0 OR MIT", True),)),
        ("paren-pkg", (License("(MIT OR Apache-2.0) AND LicenseRef-Proprietary", True),)),
        ("prose-pkg", (License("see the LICENSE file, thanks!", False),)),
        ("unbalanced-pkg", (License("(MIT OR Apache-2.0", False),)),
        (
            "multiline-pkg",
            (
                License(
                    "Copyright (c) 2020 Someone\n\nPermission is hereby granted, free of charge,"
                    "\nto any person obtaining a copy.",
                    False,
                ),
                License("MIT License", False),  # the repeated classifier counts once
            ),
        ),
        ("same-pkg", (License("MIT License", False), License("Public Domain", False))),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_licenses(name: str, licenses: tuple[License, ...]) -> None:
    result = scan("metadata-2.4")
    assert by_name(result)[name].licenses == licenses
    assert result.diagnostics == []


@pytest.mark.parametrize(
    ("name", "author", "homepage", "description"),
    [
        # CRLF line endings; Home-page wins over Project-URL Homepage
        ("both-fields", "Jane Doe <jane@example.org>", "https://both.example.org", None),
        # Author-Email already names people; "Home-Page" label normalizes to homepage
        (
            "email-only",
            "Jane Doe <jane@example.org>, Bob <bob@example.org>",
            "https://email-only.example.org",
            None,
        ),
        # Author UNKNOWN: maintainer instead; Repository URL as the homepage fallback
        ("maintainer-only", "Max Maint <max@example.org>", "https://git.example.org/m", None),
        ("no-people", None, None, "Folded summary line"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_people_and_urls(
    name: str, author: str | None, homepage: str | None, description: str | None
) -> None:
    c = by_name(scan("people"))[name]
    assert (c.author, c.homepage, c.description) == (author, homepage, description)


# --- encodings and names ---


def test_latin_1_and_bom() -> None:
    result = scan("latin-1")
    found = by_name(result)
    assert (found["cafe"].author, found["cafe"].description) == ("José Müller", "Café crème")
    assert found["cafe"].properties == (("sbomkit:installer", "pip\N{REPLACEMENT CHARACTER}"),)
    assert found["bom"].author == "Zoë"
    assert result.diagnostics == []


def test_unicode_name() -> None:
    result = scan("unicode-name")
    sp = "unicode-name/site-packages"
    assert [(c.name, c.purl, str(c.locations[0])) for c in result.components] == [
        ("café", PackageURL("pypi", None, "café", "2.0"), f"{sp}/café-2.0.dist-info/METADATA"),
        ("Pâté", PackageURL("pypi", None, "pâté", "1.0"), f"{sp}/pâté-1.0.dist-info/METADATA"),
    ]
    pate = result.components[1]
    assert (pate.author, pate.description) == ("山田 太郎", "日本語の説明")
    assert result.dependencies == [Dependency(pate.ref, result.components[0].ref)]


# --- bad input ---

MISSING_NAME = "missing-name/site-packages"
MISSING_VERSION = "missing-version/site-packages"
DUPLICATES = "duplicate-versions/site-packages"
BAD = "bad-entries/site-packages"


@pytest.mark.parametrize(
    ("case", "kept", "expected"),
    [
        (
            "missing-name",
            ["good"],
            [
                (Msg.MISSING_NAME, f"{MISSING_NAME}/blank_name-1.0.dist-info/METADATA", ""),
                # "Name:" in the body is not a header
                (Msg.MISSING_NAME, f"{MISSING_NAME}/body_name-1.0.dist-info/METADATA", ""),
                (Msg.MISSING_NAME, f"{MISSING_NAME}/nameless-1.0.dist-info/METADATA", ""),
                (Msg.MISSING_NAME, f"{MISSING_NAME}/placeholder-1.0.dist-info/METADATA", ""),
            ],
        ),
        (
            "missing-version",
            ["good"],
            [
                (
                    Msg.MISSING_VERSION,
                    f"{MISSING_VERSION}/empty_version-1.0.dist-info/METADATA",
                    "empty-version",
                ),
                (
                    Msg.MISSING_VERSION,
                    f"{MISSING_VERSION}/versionless.dist-info/METADATA",
                    "versionless",
                ),
            ],
        ),
        (
            "duplicate-versions",
            ["Dup.Pkg", "dup-pkg", "user"],
            [
                (
                    Msg.DUPLICATE_ENTRY,
                    f"{DUPLICATES}/dup_pkg-1.0.dist-info/METADATA",
                    f"dup-pkg 1.0 installed next to 2.0 at {DUPLICATES}/Dup.Pkg-2.0.dist-info"
                    "/METADATA; both kept",
                ),
                (
                    Msg.DUPLICATE_ENTRY,
                    f"{DUPLICATES}/dup_pkg-2.0.dist-info/METADATA",
                    f"dup-pkg 2.0 also at {DUPLICATES}/Dup.Pkg-2.0.dist-info/METADATA",
                ),
            ],
        ),
        (
            "bad-entries",
            ["good"],
            [
                (
                    Msg.INVALID_ENTRY,
                    f"{BAD}/binary-1.0.dist-info/METADATA",
                    "binary content, not core metadata",
                ),
                (Msg.MISSING_NAME, f"{BAD}/junk-1.0.dist-info/METADATA", ""),
                (Msg.INVALID_ENTRY, f"{BAD}/no_metadata-1.0.dist-info/METADATA", "file not found"),
                (Msg.INVALID_ENTRY, f"{BAD}/stray.dist-info", "not a directory"),
            ],
        ),
        ("empty", [], []),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_entries_are_warnings(
    case: str, kept: list[str], expected: list[tuple[Msg, str, str]]
) -> None:
    result = scan(case)
    assert [c.name for c in result.components] == kept
    assert diags(result) == expected


def test_duplicate_versions_keep_both_and_both_edges() -> None:
    result = scan("duplicate-versions")
    assert [c.ref for c in result.components] == [
        "pkg:pypi/dup-pkg@2.0",
        "pkg:pypi/dup-pkg@1.0",
        "pkg:pypi/user@1.0",
    ]
    assert result.dependencies == [
        Dependency("pkg:pypi/user@1.0", "pkg:pypi/dup-pkg@1.0"),
        Dependency("pkg:pypi/user@1.0", "pkg:pypi/dup-pkg@2.0"),
    ]


@pytest.mark.parametrize(
    "path",
    [DATA / "not-a-directory" / "site-packages", DATA / "no-such-case" / "site-packages"],
    ids=["file", "missing"],
)
def test_not_a_directory_is_an_error(path: Path) -> None:
    with pytest.raises(CatalogError, match="not a file of the expected format") as info:
        InstalledCataloger().catalog(Source(path, "x/site-packages"))
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        "x/site-packages",
        "not a directory",
    )


def test_unreadable_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "METADATA" and self.parent.name.startswith("cafe"):
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny)
    result = scan("latin-1")
    assert [c.name for c in result.components] == ["bom"]
    assert diags(result) == [
        (
            Msg.INVALID_ENTRY,
            "latin-1/site-packages/cafe-1.0.dist-info/METADATA",
            "Permission denied",
        )
    ]


def test_unexpected_failure_costs_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    def fragile(ecosystem: str, name: str, version: str | None, **kw: Any) -> Component:
        if name == "bom":
            raise ValueError("boom")
        return make_component(ecosystem, name, version, **kw)

    monkeypatch.setattr("sbomkit.catalog.python.installed.make_component", fragile)
    result = scan("latin-1")
    assert [c.name for c in result.components] == ["cafe"]
    assert diags(result) == [
        (Msg.INVALID_ENTRY, "latin-1/site-packages/bom-1.0.dist-info", "ValueError: boom")
    ]


def test_special_files_are_never_opened(tmp_path: Path) -> None:
    root = tmp_path / "site-packages"
    (root / "fifo-1.0.dist-info").mkdir(parents=True)
    os.mkfifo(root / "fifo-1.0.dist-info" / "METADATA")
    os.mkfifo(root / "fifo-1.0.dist-info" / "RECORD")
    os.mkfifo(root / "pipe-1.0.egg")
    os.mkfifo(root / "pipe-1.0.egg-info")
    result = InstalledCataloger().catalog(Source(root, "sp"))
    assert result.components == []
    assert diags(result) == [
        (Msg.INVALID_ENTRY, "sp/fifo-1.0.dist-info/METADATA", "file not found"),
        (Msg.INVALID_ENTRY, "sp/pipe-1.0.egg", "not a regular file"),
        (Msg.INVALID_ENTRY, "sp/pipe-1.0.egg-info", "file not found"),
    ]


def test_same_result_twice() -> None:
    assert scan("realistic") == scan("realistic")


def test_empty_rel_gives_paths_inside_the_directory() -> None:
    result = InstalledCataloger().catalog(Source(DATA / "editable" / "site-packages", ""))
    assert result.components[0].locations == (Location("myapp-0.1.0.dist-info/METADATA"),)


# --- the core-metadata parser ---


def _stop_after_blank(lines: list[bytes]) -> Iterator[bytes]:
    yield from lines
    raise AssertionError("read past the header block")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([b"Name: a\n", b"Version: 1\n", b"\n"], b"Name: a\nVersion: 1\n"),
        ([b"Name: a\r\n", b"\r\n"], b"Name: a\r\n"),
        ([b"\n"], b""),
    ],
    ids=["lf", "crlf", "no-headers"],
)
def test_read_header_bytes_stops_at_the_blank_line(lines: list[bytes], expected: bytes) -> None:
    assert read_header_bytes(_stop_after_blank(lines)) == expected


def test_read_header_bytes_limit_and_eof() -> None:
    assert read_header_bytes(io.BytesIO(b"Name: a\nVersion: 1")) == b"Name: a\nVersion: 1"
    assert read_header_bytes(io.BytesIO(b"A: 1\nB: 2\nC: 3\n"), limit=6) == b"A: 1\nB: 2\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Zoë".encode(), "Zoë"),
        (b"\xef\xbb\xbfName: a", "Name: a"),
        ("José".encode("latin-1"), "José"),
        (b"Name: a\x00", None),
    ],
    ids=["utf-8", "bom", "latin-1", "binary"],
)
def test_decode(data: bytes, expected: str | None) -> None:
    assert decode(data) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Name: a\nNAME: b", {"name": ["a", "b"]}),
        (
            "License: line one\n        line two\n\tline three",
            {"license": ["line one\nline two\nline three"]},
        ),
        ("Summary: x\n\nVersion: 2", {"summary": ["x"]}),  # blank line ends the block
        ("garbage\n  continued\nName: a", {"name": ["a"]}),
        ("  orphan continuation\n: no key\nName:a:b", {"name": ["a:b"]}),
        ("Summary: a\x85b", {"summary": ["a\x85b"]}),  # NEL is not a line break here
    ],
    ids=["repeat", "folding", "blank-line", "junk", "orphans", "nel"],
)
def test_parse_headers(text: str, expected: dict[str, list[str]]) -> None:
    assert parse_headers(text) == expected


def test_parse_core_metadata_requires() -> None:
    meta = parse_core_metadata(
        "Name: a\nRequires-Dist: B (>=1)\nRequires-Dist: c[x]; extra == 'y'\n"
        "Requires-Dist: ;bad\nRequires-Dist: d @ https://x/d.whl"
    )
    assert meta.requires == ("B", "c", "d")


@pytest.mark.parametrize(
    ("requirement", "name"),
    [
        ("requests[socks]>=2; extra == 'x'", "requests"),
        ("zope.interface", "zope.interface"),
        ("foo_bar (>=1.0)", "foo_bar"),
        ("Café>=1", "Café"),
        ("_private", None),
        ("", None),
    ],
)
def test_requirement_name(requirement: str, name: str | None) -> None:
    assert requirement_name(requirement) == name


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("MIT", True),
        ("(MIT OR Apache-2.0) AND LicenseRef-Proprietary", True),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", True),
        ("DocumentRef-a:LicenseRef-b", True),
        ("mit or apache-2.0", True),  # case is the normalizer's business
        ("((MIT))", True),
        ("see LICENSE file", False),
        ("(MIT", False),
        ("MIT)", False),
        ("MIT OR", False),
        ("AND", False),
        ("()", False),
        ("MIT (Apache-2.0)", False),
        ("", False),
    ],
)
def test_spdx_expression_shape(expr: str, expected: bool) -> None:
    assert _is_spdx_expression(expr) is expected


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (b"[]", "not a JSON object"),
        (b'{"dir_info": {}}', "no url"),
        (b'{"url": "  ", "dir_info": {}}', "no url"),
        (b"[" * 100_000, "not JSON: RecursionError"),
        (b"\xff", "not JSON: UnicodeDecodeError"),
        (b'{"url": "u", "dir_info": []}', "none of vcs_info, archive_info, dir_info"),
        (
            b'{"url": "https://tok@h.example/x", "vcs_info": {"vcs": "hg"}}',
            DirectUrl("vcs", "hg+https://h.example/x"),
        ),
        (
            b'{"url": "git+https://h.example/x", "vcs_info": {"vcs": "git", "commit_id": 5}}',
            DirectUrl("vcs", "git+https://h.example/x"),
        ),
        (
            b'{"url": "file:///w", "dir_info": {"editable": "yes"}}',
            DirectUrl("directory", "file:///w"),
        ),
        (
            b'{"url": "https://x/a.whl", "archive_info": {"hashes": {"SHA256": "AB"}}}',
            DirectUrl("url", "https://x/a.whl", (Hash("SHA-256", "ab"),)),
        ),
    ],
    ids=[
        "list",
        "no-url",
        "blank-url",
        "deep",
        "not-utf8",
        "no-info",
        "vcs-token",
        "vcs-prefixed",
        "editable-not-bool",
        "hash-case",
    ],
)
def test_parse_direct_url(doc: bytes, expected: DirectUrl | str) -> None:
    assert parse_direct_url(doc) == expected


# --- robustness and speed ---

_header_lines = st.lists(
    st.sampled_from(
        [
            "Name: x",
            "Name:",
            "Version: 1",
            "Version: UNKNOWN",
            "License: MIT",
            "License-Expression: (",
            "Classifier: License ::",
            "Classifier: License :: ::",
            "Requires-Dist: x",
            "Requires-Dist: ",
            "Project-URL: ,",
            "Author-email: <",
            "        ",
            "\t|",
            "",
        ]
    )
    | st.text(max_size=40),
    max_size=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=_header_lines, raw=st.binary(max_size=200), direct=st.binary(max_size=80))
def test_hostile_metadata_never_raises(lines: list[str], raw: bytes, direct: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "site-packages"
        for i, content in enumerate(["\n".join(lines).encode("utf-8", "surrogatepass"), raw]):
            info = root / f"p{i}-1.dist-info"
            info.mkdir(parents=True)
            (info / "METADATA").write_bytes(content)
            (info / "direct_url.json").write_bytes(direct)
            (info / "INSTALLER").write_bytes(raw)
            (info / "RECORD").write_bytes(raw)
        (root / "z-1.egg").write_bytes(raw)
        (root / "y-1.egg-info").write_bytes(raw)
        result = InstalledCataloger().catalog(Source(root, "site-packages"))
    for c in result.components:
        assert c.name and c.version
    assert all(isinstance(d, Diagnostic) for d in result.diagnostics)


def test_five_hundred_packages_quickly(tmp_path: Path) -> None:
    root = tmp_path / "site-packages"
    body = "Name: from-the-body\n" + "long description line\n" * 20_000  # ~450 kB each
    for i in range(500):
        info = root / f"pkg{i}-1.0.dist-info"
        info.mkdir(parents=True)
        deps = "".join(f"Requires-Dist: pkg{j}>=1\n" for j in range(i + 1, min(i + 4, 500)))
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: pkg{i}\nVersion: 1.0\n{deps}\n{body}"
        )
        (info / "RECORD").write_text("".join(f"pkg{i}/m{k}.py,sha256=x,1\n" for k in range(50)))
        (info / "INSTALLER").write_text("pip\n")
        (info / "REQUESTED").write_text("")
    start = time.perf_counter()
    result = InstalledCataloger().catalog(Source(root, "site-packages"))
    elapsed = time.perf_counter() - start
    assert len(result.components) == 500
    assert len(result.dependencies) == 3 * 497 + 2 + 1
    assert result.diagnostics == []
    assert elapsed < 2.0, f"500 packages took {elapsed:.2f}s"

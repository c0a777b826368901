"""python-requirements: pip requirement files, includes, constraints and annotations."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import by_ref as comps
from testkit import diagnostic_rows as diags
from testkit import edge_set as edges

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.python.requirements_txt import RequirementsCataloger
from sbomkit.i18n import Msg
from sbomkit.model import Component, Hash, Scope

DATA = Path(__file__).resolve().parents[2] / "testdata"
P = "pkg:pypi/"


def scan(case: str, name: str = "requirements.txt") -> CatalogResult:
    rel = f"requirements-txt/{case}/{name}"
    return RequirementsCataloger().catalog(Source(DATA / rel, rel))


def where(c: Component) -> list[str]:
    return [str(loc) for loc in c.locations]


def test_name_matches_registry() -> None:
    assert RequirementsCataloger.name == "python-requirements"


# --- realistic: pip-compile --generate-hashes, 7 direct requirements ------------------


def test_realistic_counts() -> None:
    r = scan("realistic")
    assert len(r.components) == 40
    assert {c.scope for c in r.components} == {Scope.REQUIRED}
    # "# via -r requirements.in" marks the direct ones.
    assert sorted(c.name for c in r.components if c.direct) == [
        "boto3",
        "celery",
        "django",
        "fastapi",
        "pandas",
        "requests",
        "sqlalchemy",
    ]
    assert len(r.dependencies) == 54  # one per "# via <package>" line
    assert r.diagnostics == []
    assert r.project is None


@pytest.mark.parametrize(
    ("ref", "direct", "line"),
    [
        pytest.param(f"{P}django@5.2.19", True, 245, id="direct"),
        pytest.param(f"{P}sqlparse@0.6.1", False, 655, id="transitive"),
        pytest.param(f"{P}requests@2.34.2", True, 569, id="extras-stripped"),
    ],
)
def test_realistic_components(ref: str, direct: bool, line: int) -> None:
    c = comps(scan("realistic"))[ref]
    assert (c.direct, c.hashes, c.properties) == (direct, (), (("sbomkit:hash-count", "2"),))
    assert where(c) == [f"requirements-txt/realistic/requirements.txt:{line}"]


def test_realistic_edges_from_via_annotations() -> None:
    assert {
        (f"{P}django@5.2.19", f"{P}asgiref@3.13.0"),
        (f"{P}django@5.2.19", f"{P}sqlparse@0.6.1"),
        (f"{P}boto3@1.44.5", f"{P}botocore@1.44.5"),
        (f"{P}s3transfer@0.19.3", f"{P}botocore@1.44.5"),  # the multi-line "# via" form
    } <= edges(scan("realistic"))


# --- scenarios --------------------------------------------------------------------------


def test_basic_syntax() -> None:
    r = scan("basic")
    f = "requirements-txt/basic/requirements.txt"
    got = {c.ref: (c.hashes, c.properties, where(c)) for c in r.components}
    assert got == {
        f"{P}django@5.1.2": ((), (), [f"{f}:8"]),
        f"{P}requests@2.32.3": (
            (),
            (("sbomkit:extras", "security,socks"), ("sbomkit:marker", 'python_version >= "3.8"')),
            [f"{f}:9"],
        ),
        f"{P}legacy-thing@1.0-custom": ((), (), [f"{f}:10"]),
        f"{P}hashed@1.0.0": (
            (Hash("SHA-256", "70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6"),),
            (),
            [f"{f}:11"],
        ),
        f"{P}multi-hash@2.0": ((), (("sbomkit:hash-count", "2"),), [f"{f}:12"]),
        f"{P}continued@3.0": ((), (), [f"{f}:15"]),
        f"{P}numpy@1.26.4": ((), (("sbomkit:marker", 'python_version < "3.10"'),), [f"{f}:17"]),
        f"{P}numpy@2.1.0": ((), (("sbomkit:marker", 'python_version >= "3.10"'),), [f"{f}:18"]),
        f"{P}spaced@0.5": ((), (), [f"{f}:25"]),
    }
    assert {c.direct for c in r.components} == {None}  # no annotations, no manifest
    assert diags(r) == [
        (Msg.UNPINNED, f"{f}:19", "ranged <2,>=1.0"),
        (Msg.UNPINNED, f"{f}:20", "bare no version specifier"),
        (Msg.UNPINNED, f"{f}:21", "wild ==1.*"),
        (
            Msg.INVALID_ENTRY,
            f"{f}:22",
            "this is not a requirement: "
            "Expected semicolon (after name with no version specifier) or end",
        ),
        (
            Msg.INVALID_ENTRY,
            f"{f}:23",
            "ünïcode==1.0: Expected package name at the start of dependency specifier",
        ),
        (Msg.DUPLICATE_ENTRY, f"{f}:24", "Django 5.1.2, first at line 8"),
    ]


def test_includes_constraints_and_cycles() -> None:
    r = scan("includes")
    d = "requirements-txt/includes"
    got = {c.ref: where(c) for c in r.components}
    assert got == {
        f"{P}six@1.16.0": [f"{d}/base.txt:1"],  # read once although included twice
        f"{P}pytest@8.3.3": [f"{d}/sub/dev.txt:1"],
        f"{P}flask@3.0.3": [f"{d}/requirements.txt:6"],  # version from constraints/pins.txt
        f"{P}celery@5.4.0": [f"{d}/requirements.txt:7"],  # from a nested constraints file
    }
    assert diags(r) == [
        (Msg.UNRESOLVED_INCLUDE, f"{d}/requirements.txt:4", "missing.txt"),
        (
            Msg.UNRESOLVED_INCLUDE,
            f"{d}/requirements.txt:5",
            "https://example.com/remote-requirements.txt: remote, not fetched",
        ),
    ]


def test_non_registry_sources() -> None:
    r = scan("sources")
    f = "requirements-txt/sources/requirements.txt"
    got = {c.ref: (c.properties, c.source_url, c.hashes) for c in r.components}
    assert got == {
        f"{P}mylib": ((("sbomkit:source", "editable"),), "./libs/mylib#egg=mylib", ()),
        f"{P}flask": (
            (("sbomkit:source", "editable"),),
            "git+https://github.com/pallets/flask.git@3.0.3#egg=flask",
            (),
        ),
        f"{P}pkg-a@1.2.0": (
            (("sbomkit:source", "url"),),
            "https://example.com/dist/pkg_a-1.2.0-py3-none-any.whl",
            (),
        ),
        f"{P}pkg-b": ((("sbomkit:source", "git"),), "git+https://github.com/org/pkg-b.git@v2", ()),
        f"{P}pkg-c@0.9": (
            (("sbomkit:source", "url"),),
            "https://example.com/dist/pkg_c-0.9.tar.gz",
            (),
        ),
        f"{P}pkg-d@4.0": (
            (("sbomkit:source", "path"),),
            "./dist/pkg_d-4.0-py3-none-any.whl",
            (),
        ),
        f"{P}pkg-e@5.0": (
            (("sbomkit:source", "path"),),
            "file:///opt/wheels/pkg_e-5.0.tar.gz"
            "#sha256=2f3b5d7f9a1c3e5f7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e",
            (Hash("SHA-256", "2f3b5d7f9a1c3e5f7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e"),),
        ),
        f"{P}pkg-f": (
            (("sbomkit:marker", 'python_version >= "3.10"'), ("sbomkit:source", "git")),
            "git+https://github.com/org/pkg-f.git@main#egg=pkg-f",
            (),
        ),
    }
    assert diags(r) == [
        (Msg.MISSING_NAME, f"{f}:1", ".: no #egg= name"),
        (
            Msg.NON_REGISTRY_SOURCE,
            f"{f}:2",
            "mylib from editable ./libs/mylib#egg=mylib; no version",
        ),
        (
            Msg.NON_REGISTRY_SOURCE,
            f"{f}:3",
            "flask from editable git+https://github.com/pallets/flask.git@3.0.3#egg=flask;"
            " no version",
        ),
        (Msg.MISSING_NAME, f"{f}:4", "git+https://github.com/org/nameless.git: no #egg= name"),
        (
            Msg.NON_REGISTRY_SOURCE,
            f"{f}:6",
            "pkg-b from git git+https://github.com/org/pkg-b.git@v2; no version",
        ),
        (
            Msg.NON_REGISTRY_SOURCE,
            f"{f}:10",
            "pkg-f from git git+https://github.com/org/pkg-f.git@main#egg=pkg-f; no version",
        ),
        (Msg.MISSING_NAME, f"{f}:11", "./local/dir: no #egg= name"),
    ]


def test_editable_project_directories() -> None:
    r = scan("editable-project")
    # "-e ." is the project beside the file, not a component; a sub-project is named by
    # its own pyproject.toml.
    got = {c.ref: (c.direct, c.properties, c.source_url) for c in r.components}
    assert got == {
        f"{P}plug@0.7.1": (
            True,
            (("sbomkit:extras", "cli"), ("sbomkit:source", "editable")),
            "./plugins/plug",
        ),
        f"{P}attrs@24.2.0": (True, (), None),
    }
    assert r.diagnostics == []
    assert r.project is not None and r.project.ref == f"{P}host-app@2.0.0"
    assert edges(r) == {
        (f"{P}host-app@2.0.0", f"{P}attrs@24.2.0"),
        (f"{P}host-app@2.0.0", f"{P}plug@0.7.1"),
    }


def test_manifest_gives_direct_flags() -> None:
    r = scan("with-manifest", "requirements-dev.txt")
    assert {c.name: c.direct for c in r.components} == {
        "click": True,
        "pytest": True,
        "iniconfig": False,
    }
    # "rich" is in pyproject.toml but not in this file: no edge, and no warning either.
    assert edges(r) == {
        (f"{P}req-project@0.4.0", f"{P}click@8.1.7"),
        (f"{P}req-project@0.4.0", f"{P}pytest@8.3.3"),
    }
    assert r.diagnostics == []


def test_line_style_annotations() -> None:
    r = scan("annotated-line")
    assert {c.name for c in r.components if c.direct} == {"httpx"}
    assert edges(r) == {
        (f"{P}httpx@0.27.2", f"{P}anyio@4.6.2"),
        (f"{P}httpcore@1.0.6", f"{P}certifi@2024.8.30"),
        (f"{P}httpx@0.27.2", f"{P}certifi@2024.8.30"),
        (f"{P}httpcore@1.0.6", f"{P}h11@0.14.0"),
        (f"{P}httpx@0.27.2", f"{P}httpcore@1.0.6"),
        (f"{P}anyio@4.6.2", f"{P}idna@3.10"),
        (f"{P}httpx@0.27.2", f"{P}idna@3.10"),
        (f"{P}anyio@4.6.2", f"{P}sniffio@1.3.1"),
        (f"{P}httpx@0.27.2", f"{P}sniffio@1.3.1"),
    }


def test_empty_file_is_a_valid_requirements_file() -> None:
    r = scan("empty")
    assert (r.components, r.dependencies, r.diagnostics, r.project) == ([], [], [], None)


def test_not_utf8() -> None:
    with pytest.raises(CatalogError) as info:
        scan("not-utf8")
    assert (info.value.code, info.value.path, info.value.detail) == (
        Msg.WRONG_FORMAT,
        "requirements-txt/not-utf8/requirements.txt",
        "not UTF-8: invalid start byte",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("six==1.16.0\n", [("six", "1.16.0")], id="plain"),
        pytest.param("-r\n", [], id="include-without-file"),
        pytest.param("-e\n", [], id="editable-without-path"),
        pytest.param('-r "unbalanced\n', [], id="bad-quoting"),
        pytest.param("-rmore.txt\n", [], id="short-option-glued"),
        pytest.param("six==1.0 \\", [("six", "1.0")], id="continuation-at-eof"),
        pytest.param(
            "six==1.0 \\\n# comment\nattrs==2\n",
            [("six", "1.0"), ("attrs", "2")],
            id="comment-ends-continuation",
        ),
        pytest.param("a==1 --hash sha256:" + "0" * 64 + "\n", [("a", "1")], id="hash-separate"),
        pytest.param("x @ https://h/x.tar.gz\n", [("x", None)], id="named-url-no-version"),
    ],
)
def test_small_inputs(tmp_path: Path, text: str, expected: list[tuple[str, str | None]]) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(text, encoding="utf-8")
    r = RequirementsCataloger().catalog(Source(path, "requirements.txt"))
    assert [(c.name, c.version) for c in r.components] == expected


@pytest.mark.parametrize(
    ("text", "code", "detail"),
    [
        pytest.param("-r\n", Msg.INVALID_ENTRY, "-r needs a value", id="include-without-file"),
        pytest.param(
            '-r "unbalanced\n',
            Msg.INVALID_ENTRY,
            '-r "unbalanced: No closing quotation',
            id="bad-quoting",
        ),
        pytest.param("-rmore.txt\n", Msg.UNRESOLVED_INCLUDE, "more.txt", id="glued-option"),
        pytest.param(
            "-r " + "a" * 5000 + "\n",
            Msg.UNRESOLVED_INCLUDE,
            "a" * 197 + "...",
            id="include-name-too-long",
        ),
        pytest.param(
            "-e ./" + "d" * 5000 + "\n",
            Msg.MISSING_NAME,
            "./" + "d" * 195 + "...: no #egg= name",
            id="editable-name-too-long",
        ),
        pytest.param(
            "x @ https://h/x.tar.gz\n",
            Msg.NON_REGISTRY_SOURCE,
            "x from url https://h/x.tar.gz; no version",
            id="named-url",
        ),
    ],
)
def test_small_input_warnings(tmp_path: Path, text: str, code: Msg, detail: str) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(text, encoding="utf-8")
    r = RequirementsCataloger().catalog(Source(path, "requirements.txt"))
    assert diags(r) == [(code, "requirements.txt:1", detail)]


def test_include_outside_the_scan_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("leaked==1.0\nnot a requirement line\n")
    scan_dir = tmp_path / "project"
    scan_dir.mkdir()
    (scan_dir / "requirements.txt").write_text("-r ../secret.txt\nsix==1.16.0\n")
    r = RequirementsCataloger().catalog(Source(scan_dir / "requirements.txt", "requirements.txt"))
    assert [c.name for c in r.components] == ["six"]
    assert diags(r) == [
        (Msg.UNRESOLVED_INCLUDE, "requirements.txt:1", "../secret.txt: outside the scan")
    ]


def test_include_depth_is_bounded(tmp_path: Path) -> None:
    for i in range(40):
        (tmp_path / f"r{i}.txt").write_text(f"-r r{i + 1}.txt\npkg{i}==1.0\n")
    (tmp_path / "r40.txt").write_text("last==1.0\n")
    r = RequirementsCataloger().catalog(Source(tmp_path / "r0.txt", "r0.txt"))
    assert len(r.components) == 33  # r0 .. r32
    assert diags(r) == [(Msg.UNRESOLVED_INCLUDE, "r32.txt:1", "r33.txt: includes nest too deep")]


def test_deeply_nested_marker_is_an_invalid_entry(tmp_path: Path) -> None:
    text = "a==1; " + "(" * 5000 + 'python_version < "3"' + ")" * 5000
    (tmp_path / "requirements.txt").write_text(text + "\nsix==1.16.0\n")
    r = RequirementsCataloger().catalog(Source(tmp_path / "requirements.txt", "requirements.txt"))
    assert [c.name for c in r.components] == ["six"]
    assert diags(r) == [
        (Msg.INVALID_ENTRY, "requirements.txt:1", f"{text[:197]}...: nested too deeply")
    ]

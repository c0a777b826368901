"""Reading SPDX 2.2 / 2.3 JSON, YAML and tag-value: upstream documents, exact mapping, sad paths."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from testkit import REPO, shared_data

from sbomkit.formats.interface import FormatError
from sbomkit.formats.readers import Reader, get_reader
from sbomkit.i18n import Msg
from sbomkit.model import (
    ComponentType,
    Dependency,
    ExternalRef,
    Hash,
    Inventory,
    License,
    Location,
    Scope,
    Tool,
)

DATA = REPO / "tests" / "testdata" / "sbom-spdx2"
_TV_VERSION = re.compile(r"^\s*SPDXVersion\s*:", re.MULTILINE)
# What SOURCE.md of spdx-tools-python calls invalid, and the writer's expected outputs,
# whose values are placeholders ("SPDXVersion: spdxVersion").
INVALID = (
    "spdx-tools-python/tests/spdx/data/invalid/spdx-trivy-vmware_log-intelligence-fluentd-"
    "sha256_086af034f561f343f633be9d9f9e95f65ae6c61b8ddb2c6755ef5bb25b40f53a.json",
    "spdx-tools-python/tests/spdx/writer/tagvalue/expected_results/expected_tag_value.spdx",
)


def _text(path: Path) -> str:
    data = path.read_bytes()
    return data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig")


def _reader_name(path: Path) -> str | None:
    """The reader for an SPDX 2.x document, found by content; None for anything else."""
    if path.suffix not in (".json", ".yaml", ".yml", ".spdx"):
        return None
    text = _text(path)
    if path.suffix == ".spdx":
        return "spdx-tv" if _TV_VERSION.search(text) else None
    try:
        doc = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        return None
    return (
        ("spdx-json" if path.suffix == ".json" else "spdx-yaml")
        if (isinstance(doc, dict) and "spdxVersion" in doc)
        else None
    )


def corpus() -> list[tuple[str, str]]:
    """(path under shared/data, reader) of every SPDX 2.x JSON, YAML and tag-value document."""
    root = shared_data()
    paths = [
        path
        for folder in ("spdx-spec", "spdx-examples", "spdx-tools-python/tests")
        for path in sorted(shared_data(folder).rglob("*"))
        if path.is_file()
    ]
    named = [(path.relative_to(root).as_posix(), _reader_name(path)) for path in paths]
    return [(rel, name) for rel, name in named if name]


CORPUS = corpus()
VALID = [(p, r) for p, r in CORPUS if p not in INVALID]


def package_count(path: Path, reader: str) -> int:
    text = _text(path)
    if reader == "spdx-tv":
        return len(re.findall(r"^\s*PackageName\s*:", text, re.MULTILINE))
    doc = json.loads(text) if reader == "spdx-json" else yaml.safe_load(text)
    return len(doc.get("packages") or [])


def file_count(path: Path, reader: str) -> int:
    text = _text(path)
    if reader == "spdx-tv":
        return len(re.findall(r"^\s*FileName\s*:", text, re.MULTILINE))
    doc = json.loads(text) if reader == "spdx-json" else yaml.safe_load(text)
    return len(doc.get("files") or [])


def read(path: Path, reader: str) -> Inventory:
    r: Reader = get_reader(reader)
    return r.read(path.read_bytes(), path.name)


def test_corpus_is_complete() -> None:
    names = {p.rsplit("/", 1)[-1] for p, _ in CORPUS}
    assert len(VALID) == 46
    assert {r for _, r in VALID} == {"spdx-json", "spdx-yaml", "spdx-tv"}
    utf16 = {"SPDXJSONExample-UTF-16.spdx.json", "SPDXYAMLExample-UTF-16.spdx.yaml"}
    assert utf16 | {"SPDXTagExample-UTF-16.spdx"} <= names
    assert all(p in dict(CORPUS) for p in INVALID)


@pytest.mark.parametrize(("rel", "reader"), VALID, ids=[p for p, _ in VALID])
def test_valid_documents_read(rel: str, reader: str) -> None:
    path = shared_data(rel)
    inv = read(path, reader)
    elements = len(inv.components) + (inv.metadata.primary is not None)
    assert elements == package_count(path, reader) + file_count(path, reader)
    assert inv.metadata.spec in ("spdx-2.2", "spdx-2.3")
    assert [d for d in inv.diagnostics if d.code is not Msg.INVALID_ENTRY] == []


def test_spec_example_all_encodings_agree() -> None:
    examples = shared_data("spdx-spec", "v2.3.1", "examples")
    inventories = [
        read(examples / "SPDXJSONExample-v2.3.spdx.json", "spdx-json"),
        read(examples / "SPDXYAMLExample-2.3.spdx.yaml", "spdx-yaml"),
        read(examples / "SPDXTagExample-v2.3.spdx", "spdx-tv"),
    ]
    first = inventories[0]
    assert first.metadata.name == "SPDX-Tools-v2.0"
    assert first.metadata.document_id == (
        "http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301"
    )
    assert first.metadata.tools == (Tool("LicenseFind", "1.0"),)
    assert first.metadata.authors == ("Organization: ExampleCodeInspect", "Jane Doe")
    assert len(first.components) == 9
    assert first.metadata.primary is None  # it DESCRIBES a file and a package
    json_doc, yaml_doc, tv_doc = ({c.ref: c for c in i.components} for i in inventories)
    assert yaml_doc == json_doc
    # The tag-value example names the OTHER external ref's type without its namespace.
    package = tv_doc.pop("SPDXRef-Package")
    assert package.external_refs == (
        ExternalRef(
            "LocationRef-acmeforge",
            "acmecorp/acmenator/4.1.3-alpha",
            "This is the external ref for Acme",
        ),
    )
    expected = json_doc.pop("SPDXRef-Package")
    assert replace(package, external_refs=expected.external_refs) == expected
    assert tv_doc == json_doc
    assert inventories[1].dependencies == inventories[2].dependencies == first.dependencies


def test_utf16_documents_match_utf8() -> None:
    data = shared_data("spdx-tools-python", "tests", "spdx", "data")
    for utf16, utf8, reader in (
        ("SPDXJSONExample-UTF-16.spdx.json", "SPDXJSONExample-v2.2.spdx.json", "spdx-json"),
        ("SPDXYAMLExample-UTF-16.spdx.yaml", "SPDXYAMLExample-v2.2.spdx.yaml", "spdx-yaml"),
    ):
        assert read(data / utf16, reader).components == read(data / utf8, reader).components
    # The UTF-16 tag-value file also has CRLF line ends, which free text keeps.
    tv16 = read(data / "SPDXTagExample-UTF-16.spdx", "spdx-tv")
    tv8 = read(data / "SPDXTagExample-v2.2.spdx", "spdx-tv")
    assert [(c.ref, c.name, c.version, c.licenses, c.hashes) for c in tv16.components] == [
        (c.ref, c.name, c.version, c.licenses, c.hashes) for c in tv8.components
    ]
    assert tv16.dependencies == tv8.dependencies


def test_invalid_trivy_document_is_diagnosed() -> None:
    inv = read(shared_data(INVALID[0]), "spdx-json")
    assert len(inv.components) == 605  # 606 packages; the container image is the primary
    assert inv.metadata.primary is None  # DESCRIBE is no relationship type
    details = [d.detail for d in inv.diagnostics]
    assert "/relationships/0: unknown relationshipType 'DESCRIBE'" in details
    assert (
        "/packages/3/licenseDeclared: not an SPDX expression: 'LGPL-2.1, GPL-2.0, GPL-3.0'"
        in details
    )


def test_writer_expectation_with_placeholders_is_refused() -> None:
    path = shared_data(INVALID[1])
    with pytest.raises(FormatError) as e:
        read(path, "spdx-tv")
    assert str(e.value) == (
        "expected_tag_value.spdx: unsupported format version "
        "(spdxVersion 'spdxVersion': only SPDX-2.2 and SPDX-2.3 are read)"
    )


def test_mapping() -> None:
    inv = read(DATA / "mapping.spdx.json", "spdx-json")
    meta = inv.metadata
    assert (meta.spec, meta.name, meta.document_id, meta.data_license, meta.timestamp) == (
        "spdx-2.2",
        "mapping-example",
        "https://example.com/spdx/mapping-example-1",
        "CC0-1.0",
        "2026-02-03T04:05:06Z",
    )
    assert meta.tools == (Tool("example-scanner", "2.1.0"),)
    assert meta.authors == ("Jane Doe <jane@example.com>", "Organization: ACME Corp")
    app = meta.primary
    assert app is not None
    assert (app.name, app.version, app.ecosystem, app.ref, app.type) == (
        "app",
        "1.0.0",
        "",
        "SPDXRef-app",
        ComponentType.APPLICATION,
    )
    assert app.source_url == "git+https://github.com/acme/app.git@v1.0.0"
    assert app.licenses == (License("Apache-2.0", True, False),)
    by_ref = {c.ref: c for c in inv.components}
    assert sorted(by_ref) == ["SPDXRef-os", "SPDXRef-readme", "pkg:npm/lodash@4.17.21"]
    lodash = by_ref["pkg:npm/lodash@4.17.21"]
    assert (lodash.name, lodash.version, lodash.ecosystem) == ("lodash", "4.17.21", "npm")
    assert lodash.supplier == "Person: John Dalton <jd@lodash.example>"
    assert lodash.author == "Organization: OpenJS Foundation"
    assert lodash.description == "Lodash modular utilities."
    assert lodash.homepage == "https://lodash.com"
    assert lodash.copyright == "Copyright OpenJS Foundation"
    assert lodash.licenses == (License("MIT", True, False),)
    assert lodash.hashes == (
        Hash("SHA-1", "679591c564c3bffaae8454cf0b3df370c3d6911c"),
        Hash("SHA-256", "6a8d7e0df6e0df6e0df6e0df6e0df6e0df6e0df6e0df6e0df6e0df6e0df6e0df"),
    )
    assert lodash.cpes == ("cpe:2.3:a:lodash:lodash:4.17.21:*:*:*:*:node.js:*:*",)
    assert lodash.external_refs == (
        ExternalRef("advisory", "https://nvd.nist.gov/vuln/detail/CVE-2021-23337", "fixed here"),
    )
    assert (lodash.scope, lodash.found_by) == (Scope.DEV, ("npm-package-lock",))
    assert lodash.properties == (("sbomkit:purl", "pkg:npm/lodash-es@4.17.21"),)
    assert dict(lodash.extra) == {
        "spdx:SPDXID": '"SPDXRef-lodash"',
        "spdx:name": '"lodash-renamed"',
        "spdx:annotations": '[{"annotationDate":"2026-02-03T04:05:06Z","annotationType":'
        '"REVIEW","annotator":"Person: Jane Doe","comment":"Checked."}]',
        "spdx:attributionTexts": '["Thanks to the lodash team."]',
        "spdx:checksums": '[{"algorithm":"ADLER32","checksumValue":"0a1b2c3d"}]',
        "spdx:comment": '"Seen in the lockfile."',
        "spdx:licenseConcluded": '"NONE"',
    }
    os_ = by_ref["SPDXRef-os"]
    assert os_.type is ComponentType.OPERATING_SYSTEM
    assert os_.source_url is None
    # The LicenseRef the document defines is the free text it stands for (its short
    # extractedText), the rest of the AND stays an SPDX expression.
    assert os_.licenses == (License("Extra terms.", False), License("GPL-2.0-or-later", True))
    assert dict(os_.extra) == {
        "spdx:downloadLocation": '"NONE"',
        "spdx:licenseInfoFromFiles": '["GPL-2.0-only"]',
        "spdx:packageVerificationCode": '{"packageVerificationCodeValue":'
        '"d6a770ba38583ed4bb4525bd96e50461655d2758"}',
    }
    readme = by_ref["SPDXRef-readme"]
    assert (readme.name, readme.type, readme.version) == ("./README.md", ComponentType.FILE, None)
    assert readme.licenses == (License("MIT", True, True), License("MIT", True, False))
    assert readme.hashes == (Hash("SHA-1", "d6a770ba38583ed4bb4525bd96e50461655d2758"),)
    assert inv.dependencies == (
        Dependency("SPDXRef-app", "SPDXRef-app", "DEPENDS_ON"),
        Dependency("SPDXRef-app", "SPDXRef-os", "DEV_DEPENDENCY_OF"),
        Dependency("SPDXRef-app", "pkg:npm/lodash@4.17.21", "DEPENDS_ON"),
        Dependency("SPDXRef-os", "SPDXRef-readme", "CONTAINS"),
    )
    extra = dict(inv.extra)
    assert sorted(extra) == [
        "spdx:comment",
        "spdx:creationInfo",
        "spdx:externalDocumentRefs",
        "spdx:hasExtractedLicensingInfos",
        "spdx:relationships-external",
        "spdx:snippets",
    ]
    assert json.loads(extra["spdx:relationships-external"]) == [
        {
            "relatedSpdxElement": "DocumentRef-base:SPDXRef-app",
            "relationshipType": "VARIANT_OF",
            "spdxElementId": "SPDXRef-app",
        },
        {
            "relatedSpdxElement": "NONE",
            "relationshipType": "DEPENDS_ON",
            "spdxElementId": "SPDXRef-os",
        },
        {
            "relatedSpdxElement": "SPDXRef-app",
            "relationshipType": "OTHER",
            "spdxElementId": "SPDXRef-snippet",
        },
    ]
    assert extra["spdx:creationInfo"] == '{"licenseListVersion":"3.22"}'
    assert inv.diagnostics == ()


def test_several_described_packages_stay_components() -> None:
    inv = read(DATA / "several-described.spdx.json", "spdx-json")
    assert inv.metadata.primary is None
    assert [c.ref for c in inv.components] == ["SPDXRef-a", "SPDXRef-b", "SPDXRef-c"]
    assert inv.dependencies == (
        Dependency("SPDXRef-DOCUMENT", "SPDXRef-a", "DESCRIBES"),
        Dependency("SPDXRef-DOCUMENT", "SPDXRef-b", "DESCRIBES"),
        Dependency("SPDXRef-a", "SPDXRef-c", "DEPENDS_ON"),
    )


@pytest.mark.parametrize(
    ("name", "reader", "message"),
    [
        (
            "not-json.spdx.json",
            "spdx-json",
            "not-json.spdx.json: not a file of the expected format (invalid JSON: "
            "invalid literal, expected 'true': line 1 column 1 (char 0))",
        ),
        (
            "not-yaml.spdx.yaml",
            "spdx-yaml",
            "not-yaml.spdx.yaml: not a file of the expected format "
            "(invalid YAML: line 3, column 1: did not find expected ',' or ']')",
        ),
        (
            "top-level-list.spdx.json",
            "spdx-json",
            "top-level-list.spdx.json: not a file of the expected format "
            "(top level is a list, not an object)",
        ),
        (
            "missing-version.spdx.json",
            "spdx-json",
            "missing-version.spdx.json: not a file of the expected format (spdxVersion is missing)",
        ),
        (
            "spdx-1.2.spdx.json",
            "spdx-json",
            "spdx-1.2.spdx.json: unsupported format version "
            "(spdxVersion 'SPDX-1.2': only SPDX-2.2 and SPDX-2.3 are read)",
        ),
        (
            "spdx-3.0.spdx.json",
            "spdx-json",
            "spdx-3.0.spdx.json: unsupported format version "
            "(spdxVersion 'SPDX-3.0': only SPDX-2.2 and SPDX-2.3 are read)",
        ),
        (
            "packages-not-list.spdx.json",
            "spdx-json",
            "packages-not-list.spdx.json: not a file of the expected format "
            "(/packages: expected a list, got an object)",
        ),
        (
            "yaml-alias.spdx.yaml",
            "spdx-yaml",
            "yaml-alias.spdx.yaml: not a file of the expected format "
            "(YAML anchors and aliases are not allowed in an SBOM)",
        ),
        (
            "unterminated-text.spdx",
            "spdx-tv",
            "unterminated-text.spdx: not a file of the expected format "
            "(line 12: <text> of PackageComment is never closed by </text>)",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and v.endswith(("json", "yaml", "spdx")) else "",
)
def test_unusable_documents(name: str, reader: str, message: str) -> None:
    with pytest.raises(FormatError) as e:
        read(DATA / name, reader)
    assert str(e.value) == message


def diagnostics(inv: Inventory) -> list[tuple[Msg, Location, str]]:
    return [(d.code, d.location, d.detail) for d in inv.diagnostics]


def test_entry_problems_are_diagnostics() -> None:
    inv = read(DATA / "package-without-spdxid.spdx.json", "spdx-json")
    assert inv.metadata.primary is not None and inv.metadata.primary.name == "ok"
    assert inv.components == ()
    where = Location("package-without-spdxid.spdx.json")
    assert diagnostics(inv) == [
        (Msg.INVALID_ENTRY, where, "/packages/1/SPDXID: element has no SPDXID"),
        (Msg.MISSING_NAME, where, "/packages/2/name: SPDXRef-noname has no name"),
        (
            Msg.INVALID_ENTRY,
            where,
            "/packages/3/name: expected a string, got ['not', 'a', 'string']",
        ),
        (Msg.MISSING_NAME, where, "/packages/3/name: SPDXRef-badtypes has no name"),
        (Msg.INVALID_ENTRY, where, "/packages/4: expected an object, got str"),
    ]


def test_bad_purl_keeps_the_package() -> None:
    inv = read(DATA / "bad-purl.spdx.json", "spdx-json")
    (c,) = inv.components
    assert (c.name, c.version, c.purl, c.ref) == ("left-pad", "1.3.0", None, "SPDXRef-left-pad")
    assert c.properties == (("sbomkit:purl", "npm/left-pad@1.3.0"),)
    assert diagnostics(inv) == [
        (
            Msg.INVALID_ENTRY,
            Location("bad-purl.spdx.json"),
            "/packages/0/externalRefs: SPDXRef-left-pad: bad purl 'npm/left-pad@1.3.0'",
        )
    ]


def test_relationship_to_unknown_element() -> None:
    inv = read(DATA / "unknown-element.spdx.json", "spdx-json")
    assert inv.dependencies == ()
    assert diagnostics(inv) == [
        (
            Msg.UNKNOWN_DEPENDENCY,
            Location("unknown-element.spdx.json"),
            "/relationships/1: SPDXRef-app DEPENDS_ON SPDXRef-ghost: "
            "SPDXRef-ghost is not an element of this document",
        )
    ]


def test_tag_value_line_without_colon() -> None:
    inv = read(DATA / "line-without-colon.spdx", "spdx-tv")
    app = inv.metadata.primary
    assert app is not None and (app.name, app.version) == ("app", "1.0")
    assert diagnostics(inv) == [
        (
            Msg.INVALID_ENTRY,
            Location("line-without-colon.spdx", 11),
            "line 11: not a 'Tag: value' line: 'this line has no colon'",
        )
    ]


def test_tag_value_entry_problem_names_its_line(tmp_path: Path) -> None:
    text = (DATA / "line-without-colon.spdx").read_text().replace("this line has no colon\n", "")
    text = text.replace("PackageName: app", "PackageName: app\n\nPackageName: second")
    inv = get_reader("spdx-tv").read(text.encode(), "doc.spdx")
    assert diagnostics(inv) == [
        (Msg.INVALID_ENTRY, Location("doc.spdx", 9), "/packages/0/SPDXID: element has no SPDXID")
    ]

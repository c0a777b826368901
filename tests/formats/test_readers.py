"""Format detection and read_sbom: the one entry point for every SBOM we did not write."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import shared_data

from sbomkit.formats.interface import FormatError
from sbomkit.formats.readers import READERS, detect, read_sbom
from sbomkit.i18n import Msg


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b'{"bomFormat": "CycloneDX", "specVersion": "1.6"}', "cyclonedx-json", id="cdx"
        ),
        pytest.param(b'\xef\xbb\xbf  {"specVersion": "1.4"}', "cyclonedx-json", id="cdx-no-format"),
        pytest.param(b'{"spdxVersion": "SPDX-2.3"}', "spdx-json", id="spdx-json"),
        pytest.param(b'{"SPDXID": "SPDXRef-DOCUMENT"}', "spdx-json", id="spdx-json-id-first"),
        pytest.param(
            b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}',
            "spdx3-jsonld",
            id="spdx3",
        ),
        pytest.param(
            b'<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>',
            "cyclonedx-xml",
            id="cdx-xml",
        ),
        pytest.param(b"# c\nSPDXVersion: SPDX-2.3\n", "spdx-tv", id="tag-value"),
        pytest.param(b"spdxVersion: SPDX-2.2\nSPDXID: SPDXRef-DOCUMENT\n", "spdx-yaml", id="yaml"),
        pytest.param('{"spdxVersion": "SPDX-2.3"}'.encode("utf-16"), "spdx-json", id="utf-16-bom"),
    ],
)
def test_detect(data: bytes, expected: str) -> None:
    assert detect(data, "f") == expected
    assert expected in READERS


@pytest.mark.parametrize(
    ("data", "code", "detail"),
    [
        pytest.param(b"  \n", Msg.WRONG_FORMAT, "empty file", id="empty"),
        pytest.param(
            b'{"name": "x"}',
            Msg.WRONG_FORMAT,
            "JSON, but neither CycloneDX (bomFormat) nor SPDX (spdxVersion)",
            id="other-json",
        ),
        pytest.param(
            b"<rdf:RDF xmlns:spdx='http://spdx.org/rdf/terms#'/>",
            Msg.UNSUPPORTED_VERSION,
            "SPDX RDF/XML is not read",
            id="spdx-rdf",
        ),
        pytest.param(
            b"<project/>", Msg.WRONG_FORMAT, "XML, but not in the CycloneDX namespace", id="pom"
        ),
        pytest.param(
            b"bomFormat: CycloneDX\n",
            Msg.UNSUPPORTED_VERSION,
            "CycloneDX has no YAML encoding",
            id="cdx-yaml",
        ),
        pytest.param(
            b"name = 'x'\n",
            Msg.WRONG_FORMAT,
            "not CycloneDX (JSON, XML) or SPDX (JSON, YAML, tag-value, 3.0 JSON-LD)",
            id="toml",
        ),
    ],
)
def test_detect_refuses(data: bytes, code: Msg, detail: str) -> None:
    with pytest.raises(FormatError) as info:
        detect(data, "in.sbom")
    assert (info.value.code, info.value.path, info.value.detail) == (code, "in.sbom", detail)


def test_read_sbom_bounds_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b'{"bomFormat": "CycloneDX", "specVersion": "1.6"}' + b" " * 100)
    monkeypatch.setenv("SBOMKIT_MAX_SBOM_BYTES", "64")
    with pytest.raises(FormatError) as info:
        read_sbom(big, "big.json")
    assert (info.value.code, info.value.detail) == (Msg.FILE_TOO_LARGE, "148 bytes, limit 64")
    with pytest.raises(FormatError) as info:
        read_sbom(tmp_path / "missing.json", "missing.json")
    assert (info.value.code, info.value.path) == (Msg.PATH_NOT_FOUND, "missing.json")
    with pytest.raises(FormatError) as info:
        read_sbom(tmp_path, "dir")
    assert (info.value.code, info.value.detail) == (
        Msg.WRONG_FORMAT,
        "a directory, not an SBOM file",
    )


def test_read_sbom_utf16_spdx() -> None:
    path = shared_data("spdx-tools-python/tests/spdx/data/SPDXJSONExample-UTF-16.spdx.json")
    twin = shared_data("spdx-tools-python/tests/spdx/data/SPDXJSONExample-v2.2.spdx.json")
    inv = read_sbom(path)
    assert (inv.metadata.spec, len(inv.components)) == ("spdx-2.2", len(read_sbom(twin).components))

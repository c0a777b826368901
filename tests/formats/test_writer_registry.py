"""The writer registry: names, spec versions, and the usage errors the CLI shows."""

from __future__ import annotations

import pytest

from sbomkit.errors import UsageError
from sbomkit.formats.cyclonedx import CycloneDxJsonWriter, CycloneDxXmlWriter
from sbomkit.formats.registry import CYCLONEDX_SPECS, WRITERS, get_writer
from sbomkit.formats.spdx2 import Spdx2JsonWriter, Spdx2TagValueWriter
from sbomkit.i18n import Msg


def test_writer_names() -> None:
    assert sorted(WRITERS) == [
        "cyclonedx-json",
        "cyclonedx-xml",
        "spdx-json",
        "spdx-tv",
        "spdx3-json",
    ]
    assert all(w.name == key for key, w in WRITERS.items())
    assert CYCLONEDX_SPECS == ("1.5", "1.6")


@pytest.mark.parametrize(
    ("name", "spec", "cls", "expected_spec"),
    [
        pytest.param("cyclonedx-json", None, CycloneDxJsonWriter, "1.6", id="cdx-json-default"),
        pytest.param("cyclonedx-json", "1.5", CycloneDxJsonWriter, "1.5", id="cdx-json-1.5"),
        pytest.param("cyclonedx-xml", "1.6", CycloneDxXmlWriter, "1.6", id="cdx-xml-1.6"),
        pytest.param("cyclonedx-xml", "1.5", CycloneDxXmlWriter, "1.5", id="cdx-xml-1.5"),
        pytest.param("spdx-json", None, Spdx2JsonWriter, "2.3", id="spdx-json"),
        pytest.param("spdx-tv", "2.3", Spdx2TagValueWriter, "2.3", id="spdx-tv-2.3"),
    ],
)
def test_get_writer(name: str, spec: str | None, cls: type, expected_spec: str) -> None:
    writer = get_writer(name, spec)
    assert isinstance(writer, cls)
    assert writer.spec == expected_spec
    assert writer.name == name


@pytest.mark.parametrize(
    ("name", "spec", "detail"),
    [
        pytest.param("cyclonedx", None, "unknown format 'cyclonedx'", id="unknown-name"),
        pytest.param("cyclonedx-json", "1.4", "cannot write spec version 1.4", id="old-cdx"),
        pytest.param("cyclonedx-xml", "2.3", "cannot write spec version 2.3", id="spdx-spec"),
        pytest.param("spdx-json", "1.6", "spdx-json cannot write spec version 1.6", id="cdx-spec"),
    ],
)
def test_get_writer_refuses(name: str, spec: str | None, detail: str) -> None:
    with pytest.raises(UsageError, match=f"^invalid option \\(.*{detail}") as info:
        get_writer(name, spec)
    assert info.value.code is Msg.BAD_OPTION


@pytest.mark.parametrize(
    ("name", "media_type", "extension"),
    [
        ("cyclonedx-json", "application/vnd.cyclonedx+json; version=1.6", ".cdx.json"),
        ("cyclonedx-xml", "application/vnd.cyclonedx+xml; version=1.6", ".cdx.xml"),
        ("spdx-json", "application/spdx+json", ".spdx.json"),
        ("spdx-tv", "text/spdx", ".spdx"),
        ("spdx3-json", "application/spdx+json", ".spdx3.json"),
    ],
)
def test_media_types_and_extensions(name: str, media_type: str, extension: str) -> None:
    writer = WRITERS[name]
    assert (writer.media_type, writer.extension) == (media_type, extension)

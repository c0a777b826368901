"""Big JSON SBOMs read as a stream give exactly what reading them whole gives (issue 4).

Every CycloneDX and SPDX JSON example is read both ways, with streaming forced
(SBOMKIT_STREAM_BYTES=0): the same inventory, diagnostics in the same order, or the same
error. Documents the stream cannot read as orjson would go the whole way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from testkit import corpus_json_files, data_id, shared_data

from sbomkit.errors import SbomkitError
from sbomkit.formats._json_stream import JsonStream, Unstreamable, open_stream
from sbomkit.formats.readers import JSON_READERS, detect, get_json_reader, read_sbom
from sbomkit.i18n import Msg
from sbomkit.model import Inventory


def _json_sboms() -> list[Path]:
    found = []
    for path in corpus_json_files():
        try:
            name = detect(path.read_bytes()[:65536], "f")
        except SbomkitError:
            continue
        if name in JSON_READERS:
            found.append(path)
    return found


SBOMS = _json_sboms()


def _outcome(read: Any) -> Inventory | tuple[str, tuple[Any, ...]]:
    try:
        inventory: Inventory = read()
    except SbomkitError as e:
        return type(e).__name__, e.args
    return inventory


def test_the_corpus_is_there() -> None:
    assert len(SBOMS) > 400
    assert {detect(p.read_bytes()[:65536], "f") for p in SBOMS} == set(JSON_READERS)


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


@pytest.mark.parametrize("path", SBOMS, ids=data_id)
def test_stream_reads_what_the_whole_file_gives(path: Path) -> None:
    data = path.read_bytes()
    reader = get_json_reader(detect(data[:65536], "f"))
    whole = _outcome(lambda: reader.read(data, "doc.json"))
    if data.startswith(_BOMS):  # read_sbom reads these whole: the readers decode them
        with pytest.raises(Unstreamable, match="invalid char"):
            open_stream(path, "doc.json", reader.long_arrays)
        return
    stream = open_stream(path, "doc.json", reader.long_arrays)
    assert _outcome(lambda: reader.read_stream(stream, "doc.json")) == whole
    assert stream.finished == stream.streamed or not isinstance(whole, Inventory)


def test_read_sbom_streams_from_the_threshold(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = shared_data("cyclonedx-bom-examples", "SBOM", "keycloak-10.0.2", "bom.json")
    monkeypatch.setenv("SBOMKIT_STREAM_BYTES", str(path.stat().st_size + 1))
    whole = read_sbom(path)
    streamed: list[str] = []
    original = JsonStream.items

    def spy(self: JsonStream, key: str) -> Iterator[Any]:
        streamed.append(key)
        return original(self, key)

    monkeypatch.setattr(JsonStream, "items", spy)
    assert read_sbom(path) == whole and streamed == []
    monkeypatch.setenv("SBOMKIT_STREAM_BYTES", str(path.stat().st_size))
    assert read_sbom(path) == whole
    assert streamed == ["components", "dependencies"]


def _reordered(doc: dict[str, Any], first: list[str]) -> dict[str, Any]:
    return {k: doc[k] for k in first if k in doc} | {k: v for k, v in doc.items() if k not in first}


@pytest.mark.parametrize(
    ("parts", "first"),
    [
        pytest.param(
            ("cyclonedx-bom-examples", "SBOM", "keycloak-10.0.2", "bom.json"),
            ["dependencies", "components", "metadata", "specVersion", "bomFormat"],
            id="cyclonedx-arrays-before-header",
        ),
        pytest.param(
            ("spdx-spec", "v2.3.1", "examples", "SPDXJSONExample-v2.3.spdx.json"),
            ["relationships", "snippets", "files", "packages", "SPDXID", "spdxVersion"],
            id="spdx-relationships-first",
        ),
    ],
)
def test_any_key_order_reads_the_same(
    parts: tuple[str, ...], first: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = json.loads(shared_data(*parts).read_bytes())
    path = tmp_path / "reordered.json"
    path.write_text(json.dumps(_reordered(doc, first), indent=1))
    fmt = detect(shared_data(*parts).read_bytes(), "f")  # the header may be past 64 KiB now
    monkeypatch.setenv("SBOMKIT_STREAM_BYTES", "999999999999")
    whole = read_sbom(path, fmt=fmt)
    monkeypatch.setenv("SBOMKIT_STREAM_BYTES", "0")
    assert read_sbom(path, fmt=fmt) == whole


_CDX = '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [%s]}'


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param(_CDX % '{"name": "\\ud800"}', "an escaped lone surrogate", id="lone-high"),
        pytest.param(_CDX % '{"name": "\\udc00x"}', "lone surrogate|decode", id="lone-low"),
        pytest.param(_CDX % '{"version": 99999999999999999999}', "integer overflow", id="big-int"),
        pytest.param(_CDX % ("[" * 1030 + "]" * 1030), "nested too deeply", id="deep"),
        pytest.param(
            '{"bomFormat": "CycloneDX", "components": [], "components": []}',
            "components appears twice",
            id="array-twice",
        ),
        pytest.param("[]", "the top level is not an object", id="top-level-array"),
        pytest.param(_CDX % "{}" + " x", "trailing garbage", id="trailing"),
        pytest.param(_CDX % "{,}", "parse error", id="invalid"),
    ],
)
def test_what_the_stream_cannot_read_exactly_goes_whole(
    text: str, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bom.json"
    path.write_text(text)
    with pytest.raises(Unstreamable, match=reason):
        open_stream(path, "bom.json", ("components",))
    monkeypatch.setenv("SBOMKIT_STREAM_BYTES", "0")
    streamed = _outcome(lambda: read_sbom(path, "bom.json"))
    monkeypatch.setenv("SBOMKIT_STREAM_BYTES", "999999999999")
    assert streamed == _outcome(lambda: read_sbom(path, "bom.json"))


def test_a_surrogate_pair_split_between_chunks_is_no_lone_surrogate(tmp_path: Path) -> None:
    head = '{"bomFormat": "CycloneDX", "specVersion": "1.6", "x": "'
    for offset in range(1, 12):  # the pair \\ud83d\\ude00 cut after each of its bytes
        pad = "a" * (65536 - len(head) - offset)
        path = tmp_path / f"pair{offset}.json"
        path.write_text(head + pad + '\\ud83d\\ude00", "components": []}')
        assert open_stream(path, "f", ("components",)).top["x"].endswith("\U0001f600")


def test_a_lone_surrogate_at_the_end_of_a_chunk_is_seen(tmp_path: Path) -> None:
    head = '{"bomFormat": "CycloneDX", "x": "'
    path = tmp_path / "lone.json"
    path.write_text(head + "a" * (65536 - len(head) - 3) + '\\ud83d", "components": []}')
    with pytest.raises(Unstreamable, match="lone surrogate"):
        open_stream(path, "f", ("components",))


def test_streamed_arrays_are_left_empty_at_the_top_level(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_text(_CDX % '{"name": "a"}, 3' + "")
    stream = open_stream(path, "bom.json", ("components", "dependencies"))
    assert stream.top == {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}
    assert stream.streamed == {"components"}
    assert list(stream.items("components")) == [{"name": "a"}, 3]
    assert list(stream.items("dependencies")) == []
    assert stream.finished == {"components"}


def test_a_file_changed_while_read_goes_whole(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_text(_CDX % '{"name": "a"}')
    stream = open_stream(path, "bom.json", ("components",))
    path.write_text(_CDX % '{"name": "a"}, {"name": "b"}')
    with pytest.raises(Unstreamable, match="changed"):
        list(stream.items("components"))


def test_missing_file_is_the_usual_error(tmp_path: Path) -> None:
    with pytest.raises(SbomkitError, match="^none.json: no such file or directory$") as e:
        open_stream(tmp_path / "none.json", "none.json", ("components",))
    assert e.value.code is Msg.PATH_NOT_FOUND


def test_spdx_relationship_without_a_key_is_a_diagnostic(tmp_path: Path) -> None:
    doc = {
        "spdxVersion": "SPDX-2.3",
        "SPDXID": "SPDXRef-DOCUMENT",
        "packages": [{"SPDXID": "SPDXRef-a", "name": "a"}],
        "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES"}],
    }
    path = tmp_path / "doc.spdx.json"
    path.write_text(json.dumps(doc))
    diagnostics = read_sbom(path, "doc.spdx.json").diagnostics
    assert [(d.code, d.detail) for d in diagnostics] == [
        (
            Msg.INVALID_ENTRY,
            "/relationships/0: needs spdxElementId, relationshipType and relatedSpdxElement"
            " as strings",
        )
    ]

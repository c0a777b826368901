"""The three outputs: JSON asserted whole, HTML parsed, the table, English and Japanese."""

from __future__ import annotations

from collections.abc import Sequence
from html.parser import HTMLParser

import orjson

from sbomkit.identity import make_component
from sbomkit.model import Component, Dependency, Inventory, Metadata
from sbomkit.quality import report
from sbomkit.quality.engine import ProfileResult
from sbomkit.quality.registry import check

APP = make_component("generic", "acme-app", "1.0.0", supplier="ACME")
# A name that is markup: the HTML must show it, never run it.
ODD = Component(name="<b>lib</b>", version="1.0", ecosystem="npm")
SMALL = Inventory(
    components=(ODD,),
    dependencies=(Dependency(APP.ref, ODD.ref),),
    metadata=Metadata(
        primary=APP, timestamp="2024-05-01T12:00:00Z", authors=("Jane",), spec="cyclonedx-1.6"
    ),
)


def small(*profiles: str) -> tuple[ProfileResult, ...]:
    return check(SMALL, profiles or ("ntia",))


def _rule(rid: str, element: str, field: str, passed: int, failures: Sequence[object]) -> object:
    title = {
        "ntia.supplier": "Component supplier",
        "ntia.name": "Component name",
        "ntia.version": "Component version",
        "ntia.identifier": "Unique identifier (purl, CPE or SWID)",
        "ntia.dependency": (
            "Dependency relationship (the document names the component it describes)"
        ),
        "ntia.author": "Author of the SBOM data",
        "ntia.timestamp": "Timestamp of the SBOM",
    }[rid]
    return {
        "id": rid,
        "title": title,
        "clause": f'NTIA Minimum Elements (2021), "Data Fields": {element}',
        "level": "required",
        "field": field,
        "passed": passed,
        "failed": len(failures),
        "failures": failures,
    }


def test_json_output_exactly() -> None:
    data = report.to_json("small.cdx.json", small(), "en")
    assert data.endswith(b"}\n")
    missing = [{"component": "npm:<b>lib</b>@1.0", "code": "q-why-missing", "why": "not stated"}]
    assert orjson.loads(data) == {
        "file": "small.cdx.json",
        "passed": False,
        "profiles": [
            {
                "profile": "ntia",
                "score": 8.6,
                "passed": False,
                "rules": [
                    _rule("ntia.supplier", "Supplier Name", "component.supplier", 1, missing),
                    _rule("ntia.name", "Component Name", "component.name", 2, []),
                    _rule("ntia.version", "Version of the Component", "component.version", 2, []),
                    _rule(
                        "ntia.identifier",
                        "Other Unique Identifiers",
                        "component.purl|cpes|swid",
                        1,
                        missing,
                    ),
                    _rule(
                        "ntia.dependency",
                        "Dependency Relationship",
                        "metadata.primary|dependencies[DESCRIBES]",
                        1,
                        [],
                    ),
                    _rule("ntia.author", "Author of SBOM Data", "metadata.authors|tools", 1, []),
                    _rule("ntia.timestamp", "Timestamp", "metadata.timestamp", 1, []),
                ],
            }
        ],
    }


def test_json_document_failure_has_no_component_and_japanese_reason() -> None:
    inv = Inventory(components=(APP,), metadata=Metadata(timestamp="yesterday"))
    doc = orjson.loads(report.to_json("x", check(inv, ("ntia",)), "ja"))
    rules = {r["id"]: r for r in doc["profiles"][0]["rules"]}
    assert rules["ntia.timestamp"]["failures"] == [
        {
            "component": None,
            "code": "q-why-bad-timestamp",
            "why": "日時として正しくありません (yesterday)",
        }
    ]
    assert rules["ntia.timestamp"]["title"] == "SBOM のタイムスタンプ"
    assert rules["ntia.timestamp"]["level"] == "required"  # keys and codes stay English


class Cells(HTMLParser):
    """Rows of every table by ``tr`` id, the ``html`` lang, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.rows: dict[str, list[str]] = {}
        self.tags: list[str] = []
        self.headers: list[str] = []
        self._row: str | None = None
        self._cell: list[str] | None = None
        self._in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "tr" and a.get("id"):
            self._row = a["id"]
            self.rows[self._row or ""] = []
        elif tag == "td" and self._row:
            self._cell = []
        elif tag == "th":
            self._in_th = True
            self.headers.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row and self._cell is not None:
            self.rows[self._row].append(" ".join(t for t in self._cell if t))
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "th":
            self._in_th = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data.strip())
        elif self._in_th:
            self.headers[-1] += data


def parse(page: str) -> Cells:
    p = Cells()
    p.feed(page)
    p.close()
    return p


def test_html_rows_and_escaping() -> None:
    page = report.to_html("a&b <x>.json", small(), "en", 5)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    p = parse(page)
    assert p.lang == "en"
    assert "b" not in p.tags and "x" not in p.tags  # the markup in names stayed text
    assert "<title>SBOM quality: a&amp;b &lt;x&gt;.json</title>" in page
    assert p.headers == ["Rule", "Source", "Level", "Passed", "Failed", "Failing"]
    assert p.rows["ntia.supplier"] == [
        "ntia.supplier Component supplier",
        'NTIA Minimum Elements (2021), "Data Fields": Supplier Name',
        "required",
        "1",
        "1",
        "npm:<b>lib</b>@1.0: not stated",
    ]
    assert p.rows["ntia.timestamp"] == [
        "ntia.timestamp Timestamp of the SBOM",
        'NTIA Minimum Elements (2021), "Data Fields": Timestamp',
        "required",
        "1",
        "0",
        "",
    ]
    assert list(p.rows) == [r.rule.id for r in small()[0].results]
    assert '<tr id="ntia.supplier" class="fail-required">' in page


def test_html_in_japanese_lists_at_most_n_failures() -> None:
    many = Inventory(
        components=tuple(Component(name=f"c{i}", version="1", ecosystem="npm") for i in range(4))
    )
    p = parse(report.to_html("m.json", check(many, ("ntia",)), "ja", 2))
    assert p.lang == "ja"
    assert p.headers == ["ルール", "出典", "レベル", "合格", "不合格", "不合格の対象"]
    assert p.rows["ntia.supplier"][2:] == [
        "必須",
        "0",
        "4",
        "npm:c0@1: 記載がありません npm:c1@1: 記載がありません ほか 2 件",
    ]


def test_table_groups_by_rule_and_cuts_long_lists() -> None:
    many = Inventory(
        components=tuple(Component(name=f"c{i}", version="1", ecosystem="npm") for i in range(7))
    )
    text = report.to_table("m.json", check(many, ("ntia",)), "en", 3)
    assert text.startswith("SBOM quality: m.json\n")
    assert "Profile ntia: score 2.9/10 (5 required rule(s) fail)" in text
    assert "npm:c0@1: not stated" in text and "npm:c2@1: not stated" in text
    assert "npm:c3@1" not in text
    assert "and 4 more" in text


def test_table_in_japanese_does_not_read_markup_from_input() -> None:
    text = report.to_table("s.json", small("ntia", "meti"), "ja", 5)
    assert "プロファイル ntia: スコア 8.6/10 (必須ルール 2 件が不合格です)" in text
    assert "プロファイル meti: " in text
    assert "npm:<b>lib</b>@1.0: 記載がありません" in text
    assert "[b]" not in text

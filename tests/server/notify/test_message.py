from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sbomkit.match.findings import Level
from sbomkit.server.notify import Event, render
from sbomkit.server.notify.message import EventKind

LOG4J_REF = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
TITLE = "shop 1.2.0: new critical vulnerability GHSA-jfh8-c2jp-5v3q in log4j-core 2.14.1"
URL = "https://sbomkit.example/projects/7/findings/42"


def test_webhook_body_carries_every_field(log4j: Event) -> None:
    r = render([log4j], "webhook", "en")
    assert (r.event, r.title, r.count, r.html) == ("new_finding", TITLE, 1, "")
    assert json.loads(r.body) == {
        "event": "new_finding",
        "id": f"new_finding:7:CVE-2021-44228:{LOG4J_REF}",
        "occurred_at": "2026-01-02T03:04:05Z",
        "text": TITLE,
        "url": URL,
        "lang": "en",
        "project": {"id": 7, "name": "shop", "version": "1.2.0"},
        "finding": {
            "id": 42,
            "component": {"ref": LOG4J_REF, "name": "log4j-core", "version": "2.14.1"},
            "vulnerability": "GHSA-jfh8-c2jp-5v3q",
            "aliases": ["CVE-2021-44228"],
            "severity": "critical",
            "score": 10.0,
            "kev": True,
            "fix": "2.15.0",
            "summary": "Remote code injection in Log4j",
        },
        "analysis": None,
    }


def test_slack_payload(log4j: Event) -> None:
    r = render([replace(log4j, summary="a <b> & c")], "slack", "en")

    def field(label: str, value: str) -> dict[str, str]:
        return {"type": "mrkdwn", "text": f"*{label}*\n{value}"}

    assert json.loads(r.body) == {
        "text": TITLE,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{TITLE}*"}},
            {
                "type": "section",
                "fields": [
                    field("Project", "shop 1.2.0"),
                    field("Component", "log4j-core 2.14.1"),
                    field("Vulnerability", "GHSA-jfh8-c2jp-5v3q"),
                    field("Also known as", "CVE-2021-44228"),
                    field("Severity", "critical (10.0), known exploited (CISA KEV)"),
                    field("Fixed in", "2.15.0"),
                    field("Summary", "a &lt;b&gt; &amp; c"),  # Slack's escaping
                ],
            },
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"<{URL}|Open in sbomkit>"}],
            },
        ],
    }


def test_teams_payload_is_an_adaptive_card_in_a_message(log4j: Event) -> None:
    r = render([replace(log4j, kev=False, score=None, fix=None, url=None)], "teams", "en")
    assert json.loads(r.body) == {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "msteams": {"width": "Full"},
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": TITLE,
                            "wrap": True,
                            "size": "Medium",
                            "weight": "Bolder",
                        },
                        {
                            "type": "FactSet",
                            "facts": [
                                {"title": "Project", "value": "shop 1.2.0"},
                                {"title": "Component", "value": "log4j-core 2.14.1"},
                                {"title": "Vulnerability", "value": "GHSA-jfh8-c2jp-5v3q"},
                                {"title": "Also known as", "value": "CVE-2021-44228"},
                                {"title": "Severity", "value": "critical"},
                                {"title": "Fixed in", "value": "no fixed version known"},
                                {"title": "Summary", "value": "Remote code injection in Log4j"},
                            ],
                        },
                    ],
                },
            }
        ],
    }


def test_email_in_japanese(log4j: Event) -> None:
    r = render([log4j], "email", "ja")
    title = "shop 1.2.0: log4j-core 2.14.1 に新しい脆弱性 GHSA-jfh8-c2jp-5v3q (深刻度 緊急)"
    assert r.title == title
    assert r.body == b""
    assert r.text == (
        f"{title}\n\n"
        "プロジェクト: shop 1.2.0\n"
        "コンポーネント: log4j-core 2.14.1\n"
        "脆弱性: GHSA-jfh8-c2jp-5v3q\n"
        "別名: CVE-2021-44228\n"
        "深刻度: 緊急 (10.0)、悪用を確認済み (CISA KEV)\n"
        "修正バージョン: 2.15.0\n"
        "概要: Remote code injection in Log4j\n\n"
        f"sbomkit で開く: {URL}\n"
    )
    assert r.html.startswith(f'<html lang="ja"><body>\n<h2>{title}</h2>\n<table>')
    assert (
        '<tr><th align="left">深刻度</th><td>緊急 (10.0)、悪用を確認済み (CISA KEV)</td></tr>'
        in r.html
    )
    assert f'<p><a href="{URL}">sbomkit で開く</a></p>' in r.html


def test_html_is_escaped(log4j: Event) -> None:
    r = render([replace(log4j, summary="<script>x</script>")], "email", "en")
    assert "<td>&lt;script&gt;x&lt;/script&gt;</td>" in r.html


@pytest.mark.parametrize(
    ("kind", "lang", "title"),
    [
        ("finding_resolved", "en",
         "shop 1.2.0: GHSA-jfh8-c2jp-5v3q in log4j-core 2.14.1 is resolved"),
        ("finding_resolved", "ja",
         "shop 1.2.0: log4j-core 2.14.1 の GHSA-jfh8-c2jp-5v3q は解消しました"),
        ("state_changed", "en", "shop 1.2.0: GHSA-jfh8-c2jp-5v3q in log4j-core 2.14.1 changed "
         "from under investigation to not affected"),
        ("state_changed", "ja", "shop 1.2.0: log4j-core 2.14.1 の GHSA-jfh8-c2jp-5v3q の分析状態を"
         "「調査中」から「影響なし」に変更しました"),
    ],
    ids=["resolved-en", "resolved-ja", "state-en", "state-ja"],
)  # fmt: skip
def test_titles(log4j: Event, kind: EventKind, lang: str, title: str) -> None:
    e = replace(log4j, kind=kind, old_state="under_investigation", new_state="not_affected")
    assert render([e], "email", lang).title == title


def test_state_change_facts_and_webhook_analysis(log4j: Event) -> None:
    e = replace(
        log4j,
        kind="state_changed",
        old_state=None,
        new_state="false_positive",
        changed_by="alice",
        comment="JndiLookup class removed from the jar",
        summary=None,
    )
    r = render([e], "email", "en")
    assert r.text.splitlines()[2:10] == [
        "Project: shop 1.2.0",
        "Component: log4j-core 2.14.1",
        "Vulnerability: GHSA-jfh8-c2jp-5v3q",
        "Also known as: CVE-2021-44228",
        "Severity: critical (10.0), known exploited (CISA KEV)",
        "Fixed in: 2.15.0",
        "Analysis: not set → false positive",
        "Changed by: alice",
    ]
    doc = json.loads(render([e], "webhook", "en").body)
    assert doc["event"] == "state_changed"
    assert doc["analysis"] == {
        "previous": None,
        "state": "false_positive",
        "by": "alice",
        "comment": "JndiLookup class removed from the jar",
    }


def test_unknown_state_is_shown_as_is(log4j: Event) -> None:
    e = replace(log4j, kind="state_changed", old_state="affected", new_state="exploitable")
    assert render([e], "email", "en").title.endswith("changed from affected to exploitable")


def test_key_is_the_same_whichever_alias_leads(log4j: Event) -> None:
    cve = replace(log4j, vuln_id="CVE-2021-44228", aliases=("GHSA-jfh8-c2jp-5v3q",))
    both = replace(log4j, aliases=("CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q"))
    assert cve.key == log4j.key == both.key
    assert render([cve], "slack", "en").key == render([log4j], "slack", "en").key
    assert replace(log4j, project_id=8).key != log4j.key
    assert replace(log4j, kind="finding_resolved").key != log4j.key


def test_state_change_key_includes_new_state_and_time(log4j: Event) -> None:
    e = replace(log4j, kind="state_changed", new_state="affected")
    assert e.key == f"state_changed:7:CVE-2021-44228:{LOG4J_REF}:affected:2026-01-02T03:04:05+00:00"
    assert replace(e, new_state="fixed").key != e.key


def _event(
    project: str, component: str, severity: Level, score: float | None, **kw: object
) -> Event:
    e = Event(
        kind="new_finding",
        project_id={"shop": 1, "billing": 2, "tools": 3}[project],
        project_name=project,
        project_version="1.0",
        component_ref=f"pkg:pypi/{component}@1.0",
        component_name=component,
        component_version="1.0",
        vuln_id=f"PYSEC-2024-{component}",
        severity=severity,
        score=score,
        occurred_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    return replace(e, **kw)  # type: ignore[arg-type]


DIGEST = [
    _event("shop", "jinja2", Level.MEDIUM, 5.4),
    _event("tools", "pyyaml", Level.LOW, None),
    _event("billing", "urllib3", Level.HIGH, 7.5),
    _event("shop", "requests", Level.HIGH, 8.1),
    _event("billing", "idna", Level.HIGH, 7.5, kev=True),
    _event("shop", "certifi", Level.UNKNOWN, None, kind="finding_resolved"),
]


def test_digest_groups_by_project_most_severe_first() -> None:
    r = render(DIGEST, "email", "en")
    assert (r.event, r.count) == ("digest", 6)
    assert r.text == (
        "sbomkit digest: 6 notification(s) for 3 project(s)\n\n"
        "billing 1.0\n"
        "  - new, high: PYSEC-2024-idna in idna 1.0 [KEV]\n"
        "  - new, high: PYSEC-2024-urllib3 in urllib3 1.0\n\n"
        "shop 1.0\n"
        "  - new, high: PYSEC-2024-requests in requests 1.0\n"
        "  - new, medium: PYSEC-2024-jinja2 in jinja2 1.0\n"
        "  - resolved: PYSEC-2024-certifi in certifi 1.0\n\n"
        "tools 1.0\n"
        "  - new, low: PYSEC-2024-pyyaml in pyyaml 1.0\n"
    )
    doc = json.loads(render(DIGEST, "webhook", "en").body)
    assert (doc["event"], doc["count"], doc["text"]) == ("digest", 6, r.title)
    assert [(p["project"]["name"], [e["finding"]["component"]["name"] for e in p["events"]])
            for p in doc["projects"]] == [
        ("billing", ["idna", "urllib3"]),  # high and known exploited comes first
        ("shop", ["requests", "jinja2", "certifi"]),
        ("tools", ["pyyaml"]),
    ]  # fmt: skip


def test_digest_in_japanese() -> None:
    r = render(DIGEST[:2], "teams", "ja")
    body = json.loads(r.body)["attachments"][0]["content"]["body"]
    assert [b["text"] for b in body] == [
        "sbomkit ダイジェスト: 2 件のプロジェクトに 2 件の通知",
        "shop 1.0",
        "- 新規 (警告): jinja2 1.0 の PYSEC-2024-jinja2",
        "tools 1.0",
        "- 新規 (注意): pyyaml 1.0 の PYSEC-2024-pyyaml",
    ]


def test_one_event_can_be_a_digest(log4j: Event) -> None:
    r = render([log4j], "webhook", "en", digest=True)
    assert r.event == "digest"
    assert r.title == "sbomkit digest: 1 notification(s) for 1 project(s)"


def test_slack_digest_stays_within_slack_limits() -> None:
    many = [_event("shop", f"pkg{i:03}", Level.HIGH, 7.0) for i in range(150)]
    other = [replace(_event("tools", "x", Level.LOW, None), project_id=100 + i) for i in range(30)]
    blocks = json.loads(render(many + other, "slack", "en").body)["blocks"]
    assert len(blocks) == 22  # title, 20 projects, "and N more"
    shop = blocks[1]["text"]["text"]
    assert len(shop) <= 3000
    assert shop.startswith("*shop 1.0*\n• new, high: PYSEC-2024-pkg000 in pkg000 1.0\n")
    kept = shop.count("\n• ")
    assert shop.endswith(f"\nand {150 - kept} more")
    assert blocks[-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "and 11 more"}],
    }


def test_render_needs_an_event() -> None:
    with pytest.raises(ValueError, match=r"^render\(\) needs at least one event$"):
        render([], "webhook", "en")

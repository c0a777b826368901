from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from sbomkit import __version__
from sbomkit.server.notify import ChannelConfig, Event, deliver, render, verify_signature
from sbomkit.server.notify.webpost import retry_after

if TYPE_CHECKING:
    from conftest import Receiver  # tests/server/notify/conftest.py

SECRET = "whsec_3f9a"
NOW = 1767225600


def host(receiver: Receiver) -> str:
    return receiver.url.split("/")[2]


def test_webhook_is_posted_signed(receiver: Receiver, log4j: Event) -> None:
    channel = ChannelConfig(
        "webhook", url=receiver.url, secret=SECRET, headers=(("Authorization", "Bearer t0k"),)
    )
    rendered = render([log4j], "webhook", "en")
    result = deliver(channel, rendered, delivery_id="outbox-17")
    assert result.ok and result.status == 200 and result.error == "" and not result.retryable
    [got] = receiver.requests
    assert got.path == "/hook/secret-path"
    assert got.body == rendered.body
    assert json.loads(got.body)["finding"]["vulnerability"] == "GHSA-jfh8-c2jp-5v3q"
    h = got.headers
    assert h["content-type"] == "application/json"
    assert h["user-agent"] == f"sbomkit/{__version__}"
    assert h["authorization"] == "Bearer t0k"
    assert h["x-sbomkit-event"] == "new_finding"
    assert h["x-sbomkit-delivery"] == "outbox-17"
    assert abs(int(h["x-sbomkit-timestamp"]) - time.time()) < 600
    assert h["x-sbomkit-signature"].startswith("sha256=")
    assert verify_signature(SECRET, got.body, h["x-sbomkit-timestamp"], h["x-sbomkit-signature"])
    tampered = got.body.replace(b"critical", b"low")
    assert not verify_signature(
        SECRET, tampered, h["x-sbomkit-timestamp"], h["x-sbomkit-signature"]
    )


def test_retry_sends_the_same_bytes_and_signature(receiver: Receiver, log4j: Event) -> None:
    channel = ChannelConfig("webhook", url=receiver.url, secret=SECRET)
    receiver.answer(503, b"maintenance")
    rendered = render([log4j], "webhook", "en")
    first = deliver(channel, rendered, timestamp=NOW)
    second = deliver(channel, render([log4j], "webhook", "en"), timestamp=NOW)
    assert (first.ok, first.retryable, second.ok) == (False, True, True)
    a, b = receiver.requests
    assert a.body == b.body
    assert a.headers["x-sbomkit-signature"] == b.headers["x-sbomkit-signature"]
    assert a.headers["x-sbomkit-delivery"] == b.headers["x-sbomkit-delivery"] == rendered.key


def test_unsigned_webhook_without_secret(receiver: Receiver, log4j: Event) -> None:
    deliver(ChannelConfig("webhook", url=receiver.url), render([log4j], "webhook", "en"))
    [got] = receiver.requests
    assert "x-sbomkit-signature" not in got.headers
    assert got.headers["x-sbomkit-event"] == "new_finding"


@pytest.mark.parametrize("kind", ["slack", "teams"])
def test_chat_webhooks_get_their_payload_and_no_signature(
    receiver: Receiver, log4j: Event, kind: str
) -> None:
    rendered = render([log4j], kind, "ja")  # type: ignore[arg-type]
    result = deliver(ChannelConfig(kind, url=receiver.url, secret=SECRET), rendered)  # type: ignore[arg-type]
    assert result.ok
    [got] = receiver.requests
    assert got.body == rendered.body
    assert not [k for k in got.headers if k.startswith("x-sbomkit")]
    text = json.dumps(json.loads(got.body), ensure_ascii=False)
    assert "shop 1.2.0: log4j-core 2.14.1 に新しい脆弱性 GHSA-jfh8-c2jp-5v3q (深刻度 緊急)" in text


def test_server_error_is_retryable(receiver: Receiver, log4j: Event) -> None:
    receiver.answer(500, b"boom\n  stack trace")
    result = deliver(ChannelConfig("slack", url=receiver.url), render([log4j], "slack", "en"))
    assert (result.ok, result.status, result.retryable, result.retry_after) == (
        False,
        500,
        True,
        None,
    )
    assert result.error == (
        f"{host(receiver)}: the receiver answered HTTP 500; the delivery will be retried "
        "(boom stack trace)"
    )


def test_throttling_honours_retry_after(receiver: Receiver, log4j: Event) -> None:
    receiver.answer(429, Retry_After="30")
    result = deliver(ChannelConfig("teams", url=receiver.url), render([log4j], "teams", "en"))
    assert (result.ok, result.status, result.retryable, result.retry_after) == (
        False,
        429,
        True,
        30.0,
    )
    assert "secret-path" not in result.error  # the URL's path may hold the secret


def test_client_error_is_permanent_and_in_japanese(receiver: Receiver, log4j: Event) -> None:
    receiver.answer(404, b"no_service")
    rendered = render([log4j], "slack", "en")
    result = deliver(ChannelConfig("slack", url=receiver.url), rendered, lang="ja")
    assert (result.ok, result.status, result.retryable) == (False, 404, False)
    assert result.error == (
        f"{host(receiver)}: 受信側が HTTP 404 でメッセージを拒否しました。"
        "チャネルの URL と設定を確認してください (no_service)"
    )


def test_redirect_is_not_followed(receiver: Receiver, log4j: Event) -> None:
    receiver.answer(301, Location="http://127.0.0.1:1/elsewhere")
    result = deliver(ChannelConfig("slack", url=receiver.url), render([log4j], "slack", "en"))
    assert (result.ok, result.status, result.retryable) == (False, 301, False)
    assert len(receiver.requests) == 1


def test_refused_connection_is_retryable_and_names_the_host(closed_port: int, log4j: Event) -> None:
    url = f"http://127.0.0.1:{closed_port}/services/T000/B000/XXXX"
    result = deliver(ChannelConfig("slack", url=url), render([log4j], "slack", "en"))
    assert (result.ok, result.status, result.retryable) == (False, None, True)
    assert result.error.startswith(
        f"127.0.0.1:{closed_port}: cannot connect; the delivery will be retried ("
    )
    assert "refused" in result.error.lower()
    assert "XXXX" not in result.error


def test_silent_receiver_times_out(silent_port: int, log4j: Event) -> None:
    channel = ChannelConfig("webhook", url=f"http://127.0.0.1:{silent_port}/", timeout=0.2)
    result = deliver(channel, render([log4j], "webhook", "en"))
    assert (result.ok, result.retryable) == (False, True)
    assert result.error == (
        f"127.0.0.1:{silent_port}: no answer within 0.2 s; the delivery will be retried"
    )


@pytest.mark.parametrize(
    "url",
    ["", "hooks.slack.com/services/x", "ftp://example.com/x", "http:///nohost", "http://h:99999/"],
    ids=["empty", "no-scheme", "ftp", "no-host", "bad-port"],
)
def test_bad_url_is_a_permanent_failure(url: str, log4j: Event) -> None:
    result = deliver(ChannelConfig("webhook", url=url), render([log4j], "webhook", "en"))
    assert (result.ok, result.status, result.retryable) == (False, None, False)
    assert result.error == "the channel URL must start with http:// or https:// and name a host"


def test_header_that_cannot_be_sent_is_permanent(receiver: Receiver, log4j: Event) -> None:
    channel = ChannelConfig("webhook", url=receiver.url, headers=(("X-Team", "製品セキュリティ"),))
    result = deliver(channel, render([log4j], "webhook", "en"))
    assert (result.ok, result.retryable) == (False, False)
    assert result.error.startswith(
        f"{host(receiver)}: the channel's extra headers must be plain ASCII text ("
    )
    assert receiver.requests == []


def test_a_shared_client_is_reused(receiver: Receiver, log4j: Event) -> None:
    channel = ChannelConfig("slack", url=receiver.url)
    with httpx.Client() as client:
        results = [deliver(channel, render([log4j], "slack", "en"), client=client) for _ in "ab"]
        assert not client.is_closed
    assert [r.ok for r in results] == [True, True]
    assert len(receiver.requests) == 2


def test_message_must_match_the_channel_kind(log4j: Event) -> None:
    with pytest.raises(ValueError, match=r"^message rendered for slack, channel is teams$"):
        deliver(ChannelConfig("teams", url="http://x/"), render([log4j], "slack", "en"))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Thu, 01 Jan 2026 00:01:00 GMT", 60.0),
        ("Wed, 31 Dec 2025 23:00:00 GMT", 0.0),  # already past
        ("soon", None),
    ],
)
def test_retry_after_header(header: str | None, expected: float | None) -> None:
    assert retry_after(header, now=NOW) == expected

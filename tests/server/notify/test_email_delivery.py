from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import TYPE_CHECKING

import pytest

from sbomkit.server.notify import ChannelConfig, Event, MailConfig, deliver, render

if TYPE_CHECKING:
    from conftest import Cert, Mailbox  # tests/server/notify/conftest.py

NOW = 1767225600  # 2026-01-01T00:00:00Z
JA_TITLE = "shop 1.2.0: log4j-core 2.14.1 に新しい脆弱性 GHSA-jfh8-c2jp-5v3q (深刻度 緊急)"


def channel(box: Mailbox, **kw: object) -> ChannelConfig:
    mail = MailConfig(
        host=box.host,
        port=box.port,
        sender="sbomkit@psirt.example",
        recipients=("alice@psirt.example", "bob@psirt.example"),
        security="none",
    )
    ca_file = kw.pop("ca_file", None)
    return ChannelConfig("email", mail=_replace(mail, **kw), ca_file=ca_file)  # type: ignore[arg-type]


def _replace(mail: MailConfig, **kw: object) -> MailConfig:
    from dataclasses import replace

    return replace(mail, **kw)  # type: ignore[arg-type]


def parse(raw: bytes) -> EmailMessage:
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_mail_in_japanese_with_text_and_html(smtp_server: Mailbox, log4j: Event) -> None:
    rendered = render([log4j], "email", "ja")
    result = deliver(channel(smtp_server), rendered, delivery_id="outbox-17", timestamp=NOW)
    assert (result.ok, result.status, result.error) == (True, 250, "")
    [(sender, rcpts, raw)] = smtp_server.messages
    assert sender == "sbomkit@psirt.example"
    assert rcpts == ["alice@psirt.example", "bob@psirt.example"]
    msg = parse(raw)
    assert msg["Subject"] == JA_TITLE
    assert msg["From"] == "sbomkit@psirt.example"
    assert msg["To"] == "alice@psirt.example, bob@psirt.example"
    assert b"\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\n" in raw
    assert msg["Message-ID"] == "<outbox-17@psirt.example>"
    assert msg["X-Sbomkit-Event"] == "new_finding"
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content() == rendered.text
    assert html.get_content() == rendered.html
    assert "深刻度: 緊急 (10.0)、悪用を確認済み (CISA KEV)\n" in text.get_content()


def test_starttls_and_login(starttls_server: Mailbox, certificate: Cert, log4j: Event) -> None:
    ch = channel(
        starttls_server,
        security="starttls",
        username="alice",
        password="s3cret",
        ca_file=str(certificate.cert),
    )
    result = deliver(ch, render([log4j], "email", "en"))
    assert (result.ok, result.error) == (True, "")
    assert starttls_server.logins == [(b"alice", b"s3cret")]
    assert parse(starttls_server.messages[0][2])["Subject"] == (
        "shop 1.2.0: new critical vulnerability GHSA-jfh8-c2jp-5v3q in log4j-core 2.14.1"
    )


def test_wrong_password_is_permanent(
    starttls_server: Mailbox, certificate: Cert, log4j: Event
) -> None:
    ch = channel(
        starttls_server,
        security="starttls",
        username="alice",
        password="wrong",
        ca_file=str(certificate.cert),
    )
    result = deliver(ch, render([log4j], "email", "en"))
    assert (result.ok, result.status, result.retryable) == (False, 535, False)
    assert result.error == (
        f"127.0.0.1:{starttls_server.port}: the mail server rejected the user name or password "
        "(535 5.7.8 Authentication credentials invalid)"
    )
    assert starttls_server.messages == []


def test_untrusted_certificate_is_retryable(starttls_server: Mailbox, log4j: Event) -> None:
    result = deliver(channel(starttls_server, security="starttls"), render([log4j], "email", "en"))
    assert (result.ok, result.retryable) == (False, True)
    assert result.error.startswith(
        f"127.0.0.1:{starttls_server.port}: cannot connect; the delivery will be retried "
        "([SSL: CERTIFICATE_VERIFY_FAILED]"
    )


def test_server_without_starttls_is_a_setting_to_fix(smtp_server: Mailbox, log4j: Event) -> None:
    result = deliver(channel(smtp_server, security="starttls"), render([log4j], "email", "en"))
    assert (result.ok, result.retryable) == (False, False)
    assert result.error == (
        f"127.0.0.1:{smtp_server.port}: the mail server refused the message; check the sender "
        "and recipient addresses (STARTTLS extension not supported by server.)"
    )


@pytest.mark.parametrize(
    ("reply", "ok", "retryable", "status", "message"),
    [
        ("550 5.1.1 no such user", False, False, 550,
         "the mail server refused the message; check the sender and recipient addresses"),
        ("451 4.3.0 try later", False, True, 451,
         "the mail server deferred the message; the delivery will be retried"),
    ],
    ids=["rejected", "deferred"],
)  # fmt: skip
def test_refused_recipient(
    smtp_server: Mailbox,
    log4j: Event,
    reply: str,
    ok: bool,
    retryable: bool,
    status: int,
    message: str,
) -> None:
    smtp_server.rcpt_reply = reply
    ch = channel(smtp_server, recipients=("nobody@psirt.example",))
    result = deliver(ch, render([log4j], "email", "en"))
    assert (result.ok, result.retryable, result.status) == (ok, retryable, status)
    assert result.error == f"127.0.0.1:{smtp_server.port}: {message} ({reply})"


def test_some_recipients_refused_is_delivered_with_a_warning(
    smtp_server: Mailbox, log4j: Event
) -> None:
    smtp_server.rcpt_reply = "550 5.1.1 no such user"
    ch = channel(smtp_server, recipients=("alice@psirt.example", "nobody@psirt.example"))
    result = deliver(ch, render([log4j], "email", "en"))
    assert (result.ok, result.retryable) == (True, False)  # a retry would mail alice twice
    assert result.error.endswith("(nobody@psirt.example: 550 5.1.1 no such user)")
    assert [rcpts for _, rcpts, _ in smtp_server.messages] == [["alice@psirt.example"]]


def test_mail_server_down_is_retryable(closed_port: int, log4j: Event) -> None:
    mail = MailConfig("127.0.0.1", "s@x.example", ("a@x.example",), port=closed_port)
    result = deliver(ChannelConfig("email", mail=mail), render([log4j], "email", "en"))
    assert (result.ok, result.retryable) == (False, True)
    assert result.error.startswith(
        f"127.0.0.1:{closed_port}: cannot connect; the delivery will be retried ("
    )
    assert "refused" in result.error.lower()


@pytest.mark.parametrize(
    "mail",
    [None, MailConfig("127.0.0.1", "s@x.example", ()), MailConfig("", "s@x.example", ("a@x",))],
    ids=["no-config", "no-recipients", "no-host"],
)
def test_incomplete_mail_settings(mail: MailConfig | None, log4j: Event) -> None:
    result = deliver(ChannelConfig("email", mail=mail), render([log4j], "email", "ja"), lang="ja")
    assert (result.ok, result.retryable) == (False, False)
    assert result.error == "メールチャネルにはメールサーバー、送信者、1 件以上の宛先が必要です"


def test_digest_mail(smtp_server: Mailbox, log4j: Event) -> None:
    from dataclasses import replace

    other = replace(log4j, project_id=8, project_name="billing", project_version="3.0")
    deliver(channel(smtp_server), render([log4j, other], "email", "en"), timestamp=NOW)
    msg = parse(smtp_server.messages[0][2])
    assert msg["Subject"] == "sbomkit digest: 2 notification(s) for 2 project(s)"
    assert msg["X-Sbomkit-Event"] == "digest"

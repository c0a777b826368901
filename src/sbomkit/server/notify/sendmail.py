"""Send a rendered message as e-mail over SMTP: plain text with an HTML alternative.

SMTP reply codes decide retries the way mail servers mean them: 4xx is "try again later",
5xx is "no". A failed login or a missing extension (STARTTLS, AUTH) is a setting to fix,
not something a retry cures.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from sbomkit.i18n import Msg, render
from sbomkit.server.notify.message import Rendered
from sbomkit.server.notify.result import DeliveryResult, failed
from sbomkit.server.notify.settings import MailConfig


def send(
    mail: MailConfig | None,
    rendered: Rendered,
    *,
    delivery_id: str,
    timestamp: int,
    timeout: float,
    ca_file: str | None,
    lang: str,
) -> DeliveryResult:
    if mail is None or not (mail.host and mail.sender and mail.recipients):
        return failed(render(Msg.NTF_NO_RECIPIENTS, lang), retryable=False)
    where = f"{mail.host}:{mail.port}"
    try:
        refused = _transmit(mail, message(mail, rendered, delivery_id, timestamp), timeout, ca_file)
    except smtplib.SMTPAuthenticationError as e:
        return failed(
            render(Msg.NTF_SMTP_LOGIN, lang, where=where, detail=_reply(e)),
            retryable=False,
            status=e.smtp_code,
        )
    except smtplib.SMTPResponseException as e:
        return _refused(where, e.smtp_code, _reply(e), lang)
    except smtplib.SMTPRecipientsRefused as e:
        code, text = min(e.recipients.values())  # a 4xx anywhere: retry the message
        return _refused(where, code, _reply_text(code, text), lang)
    except smtplib.SMTPNotSupportedError as e:
        return failed(
            render(Msg.NTF_SMTP_REFUSED, lang, where=where, detail=str(e)), retryable=False
        )
    except TimeoutError:
        return failed(render(Msg.NTF_TIMEOUT, lang, where=where, seconds=timeout), retryable=True)
    except (smtplib.SMTPException, OSError) as e:
        detail = str(e) or type(e).__name__
        return failed(
            render(Msg.NTF_CONNECT_FAILED, lang, where=where, detail=detail), retryable=True
        )
    if refused:  # delivered to the others; a retry would send them a second copy
        code, text = min(refused.values())
        error = render(
            Msg.NTF_SMTP_REFUSED,
            lang,
            where=where,
            detail=f"{', '.join(sorted(refused))}: {_reply_text(code, text)}",
        )
        return DeliveryResult(ok=True, status=250, error=error)
    return DeliveryResult(ok=True, status=250)


def message(mail: MailConfig, rendered: Rendered, delivery_id: str, timestamp: int) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = rendered.title
    msg["From"] = mail.sender
    msg["To"] = ", ".join(mail.recipients)
    msg["Date"] = formatdate(timestamp, usegmt=True)
    domain = mail.sender.rpartition("@")[2] or "sbomkit.invalid"
    msg["Message-ID"] = f"<{delivery_id}@{domain}>"
    msg["X-Sbomkit-Event"] = rendered.event
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    return msg


def _transmit(
    mail: MailConfig, msg: EmailMessage, timeout: float, ca_file: str | None
) -> dict[str, tuple[int, bytes]]:
    smtp: smtplib.SMTP
    if mail.security == "tls":
        context = ssl.create_default_context(cafile=ca_file)
        smtp = smtplib.SMTP_SSL(mail.host, mail.port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(mail.host, mail.port, timeout=timeout)
    with smtp:
        if mail.security == "starttls":
            smtp.starttls(context=ssl.create_default_context(cafile=ca_file))
        if mail.username:
            smtp.login(mail.username, mail.password or "")
        return smtp.send_message(msg, mail.sender, list(mail.recipients))


def _refused(where: str, code: int, detail: str, lang: str) -> DeliveryResult:
    retry = 400 <= code < 500
    error = render(
        Msg.NTF_SMTP_RETRY if retry else Msg.NTF_SMTP_REFUSED, lang, where=where, detail=detail
    )
    return failed(error, retryable=retry, status=code)


def _reply(e: smtplib.SMTPResponseException) -> str:
    return _reply_text(e.smtp_code, e.smtp_error)


def _reply_text(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"

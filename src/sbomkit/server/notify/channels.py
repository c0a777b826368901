"""Where a rendered message goes, and what happened when it was sent.

``deliver()`` never raises for a delivery problem: a receiver that is down, slow, throttling
or refusing comes back as a :class:`DeliveryResult` the outbox can store and act on
(``retryable`` -> try again, honouring ``retry_after``; otherwise give up and show ``error``).
"""

from __future__ import annotations

import time

import httpx

from sbomkit import __version__
from sbomkit.i18n import Msg, render
from sbomkit.server.notify import destination, sendmail, webpost
from sbomkit.server.notify.message import Rendered
from sbomkit.server.notify.result import DeliveryResult, failed
from sbomkit.server.notify.settings import ChannelConfig, MailConfig
from sbomkit.server.notify.signing import sign

USER_AGENT = f"sbomkit/{__version__}"

__all__ = ["ChannelConfig", "DeliveryResult", "MailConfig", "deliver"]


def deliver(
    channel: ChannelConfig,
    rendered: Rendered,
    *,
    delivery_id: str | None = None,
    timestamp: int | None = None,
    client: httpx.Client | None = None,
    lang: str = "en",
) -> DeliveryResult:
    """Send ``rendered`` through ``channel``.

    ``delivery_id`` (default: the message key) is sent as ``X-Sbomkit-Delivery`` and in the
    e-mail Message-ID; keep it the same across retries so receivers can drop duplicates.
    ``client`` lets a worker reuse one connection pool; ``lang`` is the language of ``error``.
    """
    if rendered.channel_kind != channel.kind:
        raise ValueError(f"message rendered for {rendered.channel_kind}, channel is {channel.kind}")
    delivery_id = delivery_id or rendered.key
    timestamp = int(time.time()) if timestamp is None else timestamp
    if channel.kind == "email":
        return sendmail.send(
            channel.mail,
            rendered,
            delivery_id=delivery_id,
            timestamp=timestamp,
            timeout=channel.timeout,
            ca_file=channel.ca_file,
            lang=lang,
        )
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if channel.kind == "webhook":
        headers |= _webhook_headers(channel, rendered, delivery_id, timestamp)
    if channel.public_only and (address := destination.resolved_private(channel.url)):
        where = webpost.host_of(channel.url)
        text = render(Msg.NTF_PRIVATE_TARGET, lang, where=where, address=address)
        return failed(text, retryable=False)
    return webpost.post(
        channel.url,
        rendered.body,
        headers,
        timeout=channel.timeout,
        ca_file=channel.ca_file,
        client=client,
        lang=lang,
    )


def _webhook_headers(
    channel: ChannelConfig, rendered: Rendered, delivery_id: str, timestamp: int
) -> dict[str, str]:
    headers = dict(channel.headers)
    headers["X-Sbomkit-Event"] = rendered.event
    headers["X-Sbomkit-Delivery"] = delivery_id
    headers["X-Sbomkit-Timestamp"] = str(timestamp)
    if channel.secret:
        headers["X-Sbomkit-Signature"] = sign(channel.secret, timestamp, rendered.body)
    return headers

"""Notification delivery: render events for a channel, send them, report what happened.

The server's outbox and subscriptions decide *what* to send and *to whom*; this package only
turns events into a message (:func:`render`) and puts it on the wire (:func:`deliver`):
a signed generic webhook, Slack and Teams webhooks, or e-mail over SMTP.
"""

from __future__ import annotations

from sbomkit.server.notify.channels import deliver
from sbomkit.server.notify.message import CHANNEL_KINDS, ChannelKind, Event, Rendered, render
from sbomkit.server.notify.result import DeliveryResult
from sbomkit.server.notify.settings import ChannelConfig, MailConfig
from sbomkit.server.notify.signing import sign, verify_signature

__all__ = [
    "CHANNEL_KINDS",
    "ChannelConfig",
    "ChannelKind",
    "DeliveryResult",
    "Event",
    "MailConfig",
    "Rendered",
    "deliver",
    "render",
    "sign",
    "verify_signature",
]

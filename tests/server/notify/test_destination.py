"""Webhook targets off the public internet are refused unless the server allows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from sbomkit.server.notify import ChannelConfig, Event, deliver, render
from sbomkit.server.notify.destination import literal_private, resolved_private

if TYPE_CHECKING:
    from conftest import Receiver  # tests/server/notify/conftest.py


@pytest.mark.parametrize(
    ("url", "inside"),
    [
        ("http://127.0.0.1:8080/hook", "127.0.0.1"),
        ("http://[::1]/hook", "::1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),  # cloud metadata
        ("https://10.0.0.7/hook", "10.0.0.7"),
        ("http://100.64.1.1/", "100.64.1.1"),  # carrier-grade NAT
        ("http://LocalHost:9/", "localhost"),
        ("http://api.localhost/", "api.localhost"),
        ("https://8.8.8.8/hook", None),
        ("https://hooks.slack.com/services/T0/B0/x", None),  # a name: checked on delivery
    ],
)
def test_literal_addresses_and_localhost_are_seen_without_dns(url: str, inside: str | None) -> None:
    assert literal_private(url) == inside


def test_a_resolved_loopback_address_is_named() -> None:
    assert resolved_private("http://127.0.0.1:1/hook") == "127.0.0.1"
    assert resolved_private("https://8.8.8.8/") is None


def test_delivery_to_a_private_address_is_refused_and_not_retried(
    receiver: Receiver, log4j: Event
) -> None:
    channel = ChannelConfig("webhook", url=receiver.url, public_only=True)
    result = deliver(channel, render([log4j], "webhook", "en"))
    assert (result.ok, result.retryable, result.status) == (False, False, None)
    assert result.error == (
        f"{receiver.url.split('/')[2]}: not sent: the host resolves to 127.0.0.1, which is not a"
        " public address (SBOMKIT_SERVER_PRIVATE_WEBHOOKS=true allows it)"
    )
    assert receiver.requests == []

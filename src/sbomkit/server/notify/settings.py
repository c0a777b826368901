"""How to reach a channel: its URL and secret, or its mail server and addresses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sbomkit.server.notify.message import ChannelKind


@dataclass(frozen=True, slots=True)
class MailConfig:
    host: str
    sender: str
    recipients: tuple[str, ...]
    port: int = 587
    # "starttls": plain connection upgraded with STARTTLS (port 587); "tls": TLS from the
    # first byte (port 465); "none": no encryption (a relay on localhost).
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None  # log in only when set
    password: str | None = None


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    kind: ChannelKind
    url: str = ""  # webhook, slack, teams
    secret: str = ""  # webhook: HMAC key; without one no signature headers are sent
    headers: tuple[tuple[str, str], ...] = ()  # webhook: extra headers, e.g. Authorization
    timeout: float = 10.0
    ca_file: str | None = None  # trust this CA bundle instead of the system's (internal CAs)
    mail: MailConfig | None = None  # email
    public_only: bool = False  # refuse a URL whose host resolves off the public internet

"""Whether a webhook URL leads off the public internet.

A team member chooses a channel's URL; without this check the server would POST to
whatever it can reach from inside (a cloud metadata service, an admin port on
localhost). Literal addresses and ``localhost`` are refused when the channel is made;
names are resolved again at each delivery, so a name that later points inside is
refused too (what a resolver says between this check and the connection is not
covered). ``SBOMKIT_SERVER_PRIVATE_WEBHOOKS`` allows such targets for an internal
receiver.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


def literal_private(url: str) -> str | None:
    """The URL's host when it is ``localhost`` or a literal non-public address (no DNS)."""
    host = _host(url)
    if host is None:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return host
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    return None if ip.is_global else host


def resolved_private(url: str) -> str | None:
    """The first non-public address the URL's host resolves to; None when every address
    is public or the name does not resolve (the connection then fails and says so)."""
    host = _host(url)
    if host is None:
        return None
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not ip.is_global:
            return str(ip)
    return None


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower() if host else None

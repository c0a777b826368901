"""POST a JSON body over HTTP(S) and classify the answer.

2xx is delivered; 429 and 5xx, timeouts and connection failures are worth retrying (with the
receiver's Retry-After when it sends one); any other status is a permanent refusal. Errors
name the host, never the whole URL: Slack and Teams URLs carry their secret in the path.
"""

from __future__ import annotations

import ssl
import time
from datetime import UTC
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from sbomkit.i18n import Msg, render
from sbomkit.server.notify.result import DeliveryResult, failed

DETAIL_BYTES = 200  # of the receiver's error body, for the error text


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    ca_file: str | None,
    client: httpx.Client | None,
    lang: str,
) -> DeliveryResult:
    host = host_of(url)
    if host is None:
        return failed(render(Msg.NTF_BAD_URL, lang), retryable=False)
    try:
        if client is None:
            verify: ssl.SSLContext | bool = True
            if ca_file:
                verify = ssl.create_default_context(cafile=ca_file)
            with httpx.Client(verify=verify) as own:
                return _send(own, url, body, headers, timeout, host, lang)
        return _send(client, url, body, headers, timeout, host, lang)
    except httpx.TimeoutException:
        return failed(render(Msg.NTF_TIMEOUT, lang, where=host, seconds=timeout), retryable=True)
    except (httpx.TransportError, OSError) as e:
        detail = str(e) or type(e).__name__
        return failed(
            render(Msg.NTF_CONNECT_FAILED, lang, where=host, detail=detail), retryable=True
        )
    except httpx.InvalidURL as e:
        return failed(render(Msg.NTF_BAD_URL, lang, where=host, detail=str(e)), retryable=False)
    except ValueError as e:  # a header value httpx cannot encode
        return failed(render(Msg.NTF_BAD_HEADER, lang, where=host, detail=str(e)), retryable=False)


def _send(
    client: httpx.Client,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    host: str,
    lang: str,
) -> DeliveryResult:
    with client.stream("POST", url, content=body, headers=headers, timeout=timeout) as r:
        status = r.status_code
        if 200 <= status < 300:
            return DeliveryResult(ok=True, status=status)
        detail = _excerpt(r)
        if status == 429 or status >= 500:
            error = render(Msg.NTF_HTTP_RETRY, lang, where=host, detail=detail, status=status)
            wait = retry_after(r.headers.get("retry-after"), time.time())
            return DeliveryResult(
                ok=False, status=status, error=error, retry_after=wait, retryable=True
            )
        error = render(Msg.NTF_HTTP_REJECTED, lang, where=host, detail=detail, status=status)
        return failed(error, retryable=False, status=status)


def _excerpt(r: httpx.Response) -> str:
    """The start of the receiver's answer; never read more than a few KB of it."""
    got = b""
    try:
        for chunk in r.iter_bytes():
            got += chunk
            if len(got) >= DETAIL_BYTES * 4:
                break
    except httpx.HTTPError:  # a broken error body must not hide the status
        pass
    text = " ".join(got.decode("utf-8", "replace").split())
    return text[:DETAIL_BYTES]


def host_of(url: str) -> str | None:
    """``host`` or ``host:port`` of an http(s) URL; None when it is not one."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.hostname}:{port}" if port else parts.hostname


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": UTC with unknown origin
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)

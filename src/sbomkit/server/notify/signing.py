"""Webhook signatures, the way Stripe and GitHub sign theirs.

The sender puts the Unix time in ``X-Sbomkit-Timestamp`` and
``sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`` in ``X-Sbomkit-Signature``.
A receiver recomputes it over the raw bytes it received (before any JSON parsing), compares
in constant time, and refuses old timestamps so a captured request cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Sbomkit-Signature`` value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """True when ``signature`` (the header value) is ours for ``body`` and ``timestamp``
    (the header value) is within ``tolerance`` seconds of ``now``."""
    if not timestamp.isdigit():
        return False
    sent = int(timestamp)
    current = time.time() if now is None else now
    if abs(current - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)

"""The outcome of one delivery attempt, as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    ok: bool
    status: int | None = None  # HTTP status or SMTP reply code, when the receiver answered
    error: str = ""  # "<host>: <what happened> (<detail>)"; may be set with ok (partial mail)
    retry_after: float | None = None  # seconds the receiver asked us to wait (Retry-After)
    retryable: bool = False  # down, slow, throttling or 5xx: try again later


def failed(error: str, *, retryable: bool, status: int | None = None) -> DeliveryResult:
    return DeliveryResult(ok=False, status=status, error=error, retryable=retryable)

"""The time sbomkit stamps on documents: now, or ``SOURCE_DATE_EPOCH`` for reproducible runs."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from sbomkit.errors import UsageError
from sbomkit.i18n import Msg


def reproducible() -> bool:
    return bool(os.environ.get("SOURCE_DATE_EPOCH"))


def now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return datetime.now(UTC)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError) as e:
        detail = f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds"
        raise UsageError(Msg.BAD_OPTION, detail=detail) from e


def stamp(when: datetime | None = None) -> str:
    """``YYYY-MM-DDThh:mm:ssZ``, the one form CycloneDX and SPDX both accept."""
    return (when or now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

"""Keyset pagination: the cursor is the sort key of the last row, opaque to clients.

The database seeks to the cursor through an index, so page 1,000 costs what page 1 costs
and nothing is held in memory between requests.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import Response
from pydantic import BaseModel

from sbomkit.i18n import Msg
from sbomkit.server.errors import ApiError


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


def json_page(items: list[dict[str, Any]], next_cursor: str | None) -> Response:
    """A ``Page`` written by orjson: the searches return a hundred items per request, and
    pydantic checking and writing them again cost more than building them. Values may be
    ``orjson.Fragment`` (JSON text stored as such, embedded without parsing it)."""
    body = orjson.dumps({"items": items, "next_cursor": next_cursor})
    return Response(body, media_type="application/json")


def encode(key: Sequence[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode(cursor: str | None, kinds: tuple[type, ...]) -> list[Any] | None:
    """The sort key a cursor carries, checked element by element against ``kinds``
    (a forged cursor is a 422, never a database error)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise _bad() from e
    if not isinstance(key, list) or len(key) != len(kinds):
        raise _bad()
    for value, kind in zip(key, kinds, strict=True):
        if type(value) is not kind:
            raise _bad()
        if isinstance(value, int) and not _INT64[0] <= value <= _INT64[1]:
            raise _bad()
        if isinstance(value, str) and "\x00" in value:
            raise _bad()
    return key


_INT64 = (-(2**63), 2**63 - 1)


def _bad() -> ApiError:
    return ApiError(422, Msg.SRV_BAD_REQUEST, details=["cursor: not a cursor from this API"])

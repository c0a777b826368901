"""Bounded HTTP(S) downloads of the small files sbomkit fetches (schemas, license texts)."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit

from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg

TIMEOUT = 60  # seconds without an answer


def download(url: str, limit: int) -> bytes:
    """The body at ``url``; an error naming the URL when it fails or exceeds ``limit``."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise SbomkitError(Msg.DOWNLOAD_FAILED, url, "only http and https URLs")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310
            data: bytes = response.read(limit + 1)
    except OSError as e:  # URLError and HTTPError are OSErrors
        raise SbomkitError(Msg.DOWNLOAD_FAILED, url, str(e)) from e
    if len(data) > limit:
        raise SbomkitError(Msg.DOWNLOAD_FAILED, url, f"larger than {limit} bytes")
    return data

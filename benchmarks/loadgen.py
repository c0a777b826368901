"""A lean HTTP/1.1 load client for the server benchmarks.

The load generator shares the 2 cores with the server and PostgreSQL, so every
millisecond it spends is one the server does not get. httpx spent about 5 ms of CPU per
query answer (its request and response models, headers and decoding); this client writes
the request bytes itself and reads the answer on one keep-alive connection per client,
like wrk or k6 do, for a small fraction of that. It speaks only what ``sbomkit serve``
(uvicorn) answers: Content-Length or chunked bodies, no compression, no redirects.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlencode, urlsplit

_MAX_HEAD = 64 * 1024


class HttpError(Exception):
    """The server's answer could not be read as HTTP/1.1."""


class Connection:
    """One keep-alive connection; one request at a time."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        fixed = {"Host": f"{self.host}:{self.port}", **headers}
        self._fixed = "".join(f"{k}: {v}\r\n" for k, v in fixed.items()).encode("latin-1")
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, params: dict[str, object] | None = None, body: bytes = b""
    ) -> tuple[int, bytes]:
        """(status, body). Reconnects once when a kept-alive connection was closed."""
        target = f"{path}?{urlencode(params, doseq=True)}" if params else path
        head = f"{method} {target} HTTP/1.1\r\n".encode("latin-1") + self._fixed
        if body or method in ("POST", "PUT"):
            head += f"Content-Length: {len(body)}\r\n".encode("latin-1")
        message = head + b"\r\n" + body
        for attempt in (0, 1):
            reader, writer = await self._open()
            try:
                writer.write(message)
                await writer.drain()
                return await _answer(reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port, limit=_MAX_HEAD
            )
        return self._reader, self._writer

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ", 2)[1])
    except (IndexError, ValueError):
        raise HttpError(f"bad status line {lines[0]!r}") from None
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        return status, await _chunked(reader)
    raise HttpError("answer without Content-Length or chunked body")


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)

"""``db update``: fetch OSV's per-ecosystem ``all.zip`` archives and import them.

"Incremental" is per archive: a conditional GET (ETag / If-Modified-Since) skips an
archive the server has not changed, so it is neither downloaded nor imported again.
OSV's ``modified_id.csv`` would allow per-record fetches, but it lists no deletions and
needs one request per changed record; see docs/advisory-db.md.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email.message import Message
from http.client import HTTPResponse
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

from sbomkit import __version__
from sbomkit.clock import stamp
from sbomkit.db.importer import import_sources
from sbomkit.db.interface import DbError, ImportReport
from sbomkit.db.sources import SourceSpec
from sbomkit.db.store import AdvisoryStore
from sbomkit.i18n import Msg

DEFAULT_BASE_URL = "https://osv-vulnerabilities.storage.googleapis.com"
TIMEOUT = 60.0  # seconds without data before a download is given up
MAX_ARCHIVE_BYTES = 16 * 1024**3  # OSV's biggest archive is a few GiB uncompressed
_LIST_LIMIT = 1024 * 1024


@dataclass(slots=True)
class UpdateResult:
    report: ImportReport | None = None
    not_modified: list[str] = field(default_factory=list)  # archive URLs
    errors: list[DbError] = field(default_factory=list)


def archive_url(base: str, ecosystem: str) -> str:
    return f"{base.rstrip('/')}/{quote(ecosystem)}/all.zip"


def list_ecosystems(base: str) -> list[str]:
    url = f"{base.rstrip('/')}/ecosystems.txt"
    resp = _request(url, _headers())
    if resp is None:  # no condition was sent, so a 304 here is a broken server
        raise DbError(Msg.DOWNLOAD_FAILED, url, "HTTP 304 without a condition")
    with resp:
        text = _Bounded(resp, url, _LIST_LIMIT).read(_LIST_LIMIT).decode("utf-8", "replace")
    return [line.strip() for line in text.splitlines() if line.strip()]


def update(store: AdvisoryStore, base: str, ecosystems: Sequence[str]) -> UpdateResult:
    """Download changed archives and import them all in one run."""
    result = UpdateResult()
    names = list(ecosystems) or list_ecosystems(base)
    stored = {
        loc: (etag, modified)
        for loc, etag, modified in store.conn.execute(
            "SELECT location, etag, last_modified FROM source WHERE kind = 'url'"
        )
    }
    with tempfile.TemporaryDirectory(prefix=".sbomkit-update-", dir=store.path.parent) as tmp:
        specs = _downloads(base, names, stored, Path(tmp), result)
        report = import_sources(store, specs, kind="update")
    if report.sources:
        result.report = report
    if result.not_modified:
        _mark_checked(store, result.not_modified)
    return result


def _downloads(
    base: str,
    names: list[str],
    stored: dict[str, tuple[str | None, str | None]],
    tmp: Path,
    result: UpdateResult,
) -> Iterator[SourceSpec]:
    """Each archive is fetched just before it is imported and deleted after."""
    for eco in names:
        url = archive_url(base, eco)
        dest = tmp / f"{len(result.errors)}-{quote(eco, safe='')}.zip"
        etag, modified = stored.get(url, (None, None))
        try:
            headers = _fetch(url, dest, etag, modified)
        except DbError as e:
            result.errors.append(e)
            continue
        if headers is None:
            result.not_modified.append(url)
            continue
        yield SourceSpec(
            dest, f"{eco}/all.zip", url, "url", headers.get("ETag"), headers.get("Last-Modified")
        )
        dest.unlink(missing_ok=True)


def _fetch(url: str, dest: Path, etag: str | None, modified: str | None) -> Message | None:
    """Response headers after writing the body to ``dest``; None when not modified."""
    headers = _headers()
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    resp = _request(url, headers)
    if resp is None:
        return None
    with resp, dest.open("wb") as out:
        shutil.copyfileobj(_Bounded(resp, url, MAX_ARCHIVE_BYTES), out, 1024 * 1024)
    return resp.headers


def _request(url: str, headers: dict[str, str]) -> HTTPResponse | None:
    """The open response, None for 304 Not Modified, DbError naming the URL otherwise."""
    try:
        resp: HTTPResponse = urlopen(Request(url, headers=headers), timeout=TIMEOUT)  # noqa: S310
    except HTTPError as e:
        if e.code == 304:
            return None
        raise DbError(Msg.DOWNLOAD_FAILED, url, f"HTTP {e.code} {e.reason}") from e
    except (URLError, TimeoutError, OSError, ValueError) as e:
        raise DbError(Msg.DOWNLOAD_FAILED, url, str(getattr(e, "reason", None) or e)) from e
    return resp


class _Bounded:
    """A response body that stops at ``limit`` bytes and names the URL when it breaks."""

    def __init__(self, resp: HTTPResponse, url: str, limit: int) -> None:
        self.resp, self.url, self.limit, self.total = resp, url, limit, 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.resp.read(size)
        except (OSError, ValueError) as e:
            raise DbError(Msg.DOWNLOAD_FAILED, self.url, str(e)) from e
        self.total += len(data)
        if self.total > self.limit:
            raise DbError(Msg.DOWNLOAD_FAILED, self.url, f"larger than {self.limit} bytes")
        return data


def _headers() -> dict[str, str]:
    return {"User-Agent": f"sbomkit/{__version__}"}


def _mark_checked(store: AdvisoryStore, urls: list[str]) -> None:
    now = stamp()
    store.conn.execute("BEGIN IMMEDIATE")
    store.conn.executemany(
        "UPDATE source SET last_checked = ? WHERE location = ?", [(now, u) for u in urls]
    )
    store.conn.execute("COMMIT")

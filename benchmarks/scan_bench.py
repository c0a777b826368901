"""Advisory import and vulnerability scan speed: ``make bench`` (issue 5).

1. Import every zip of ../shared/data/osv into a fresh database (records/s; goal < 15 s).
2. Scan a generated CycloneDX SBOM of 10,000 components across PyPI, Go, crates.io and
   AlmaLinux RPMs whose names come from the database (so every lookup has real candidates)
   and whose versions are random (seeded) -- goal < 2 s wall, < 300 MB peak.

Measured with run.measure (wall time, peak RSS of the process tree). Writes
benchmarks/results/scan.json and scan.md.

    .venv/bin/python benchmarks/scan_bench.py [--repeat 3] [--components 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402

REPO = HERE.parent
OSV = REPO.parent / "shared" / "data" / "osv"
SBOMKIT = str(REPO / ".venv" / "bin" / "sbomkit")
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
    components = []
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


def measure(argv: list[str], name: str, env: dict[str, str]) -> run.Sample:
    return run.measure(argv, env, WORK / f"{name}.log", timeout=600, interval=0.02)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--components", type=int, default=10_000)
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    zips = sorted(str(p) for p in OSV.glob("*.zip"))
    env = {**os.environ, "SBOMKIT_LANG": "en"}
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
    scan_argv = [
        SBOMKIT,
        "scan",
        str(sbom),
        "--db",
        str(db),
        "-f",
        "json",
        "-o",
        str(WORK / "out.json"),
    ]
    measure(scan_argv, "scan-warmup", env)
    scans = [measure(scan_argv, "scan", env) for _ in range(args.repeat)]
    out = json.loads((WORK / "out.json").read_text(encoding="utf-8"))
    result = _result(imports, scans, records, len(zips), out["summary"], args.components)
    _write(result)
    return 0


def _median(samples: list[run.Sample], attr: str) -> float:
    return float(statistics.median(getattr(s, attr) for s in samples))


def _result(
    imports: list[run.Sample], scans: list[run.Sample], records: int, zips: int,
    summary: dict[str, int], components: int,
) -> dict[str, Any]:  # fmt: skip
    imp_wall = _median(imports, "wall_s")
    return {
        "machine": run.machine(),
        "import": {
            "zips": zips,
            "records": records,
            "wall_s": round(imp_wall, 2),
            "records_per_s": round(records / imp_wall),
            "peak_mib": round(_median(imports, "peak_bytes") / MiB, 1),
            "goal_s": 15,
            "ok": imp_wall < 15,
            "returncodes": [s.returncode for s in imports],
        },
        "scan": {
            "components": components,
            "summary": summary,
            "wall_s": round(_median(scans, "wall_s"), 2),
            "peak_mib": round(_median(scans, "peak_bytes") / MiB, 1),
            "goal_s": 2,
            "goal_mib": 300,
            "ok": _median(scans, "wall_s") < 2 and _median(scans, "peak_bytes") < 300 * MiB,
            "returncodes": [s.returncode for s in scans],
        },
        "peers": PEERS_NOTE,
    }


def _write(r: dict[str, Any]) -> None:
    imp, scan = r["import"], r["scan"]
    rows = [
        ("import all OSV zips", f"{imp['records']} records", f"{imp['wall_s']} s",
         f"{imp['records_per_s']} rec/s", f"{imp['peak_mib']} MiB", "< 15 s",
         "ok" if imp["ok"] else "MISSED"),
        ("scan generated SBOM", f"{scan['components']} components", f"{scan['wall_s']} s", "",
         f"{scan['peak_mib']} MiB", "< 2 s, < 300 MB", "ok" if scan["ok"] else "MISSED"),
    ]  # fmt: skip
    head = ("step", "size", "wall (median)", "rate", "peak memory", "goal", "verdict")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    md = "\n".join(
        [
            "# Advisory import and scan (benchmarks/scan_bench.py)",
            "",
            f"Machine: {r['machine']}",
            "",
            *lines,
            "",
            f"Scan findings: {json.dumps(scan['summary'])}",
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

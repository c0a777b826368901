"""Version-matching accuracy over every record of ../shared/data/osv (issue 5's table).

For each zip: versions checked (listed / fixed / last_affected), how many agree with what
the record says, data defects (records whose own data contradicts itself; the test suite
lists each with its reason) and entries skipped (no orderable range: GIT-only, OSS-Fuzz).
Writes benchmarks/results/osv_accuracy.md.

    .venv/bin/python benchmarks/osv_accuracy.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sbomkit.versions.accuracy import accuracy_table

HERE = Path(__file__).resolve().parent
OSV = HERE.parent.parent / "shared" / "data" / "osv"


def main() -> int:
    if not OSV.is_dir():
        print(f"missing {OSV}: is ../shared/data checked out?", file=sys.stderr)
        return 1
    start = time.perf_counter()
    rows = accuracy_table(OSV)
    took = time.perf_counter() - start
    lines = [
        "# sbomkit benchmark: version matching accuracy over the shared OSV data",
        "",
        f"{sum(r.records for r in rows)} records in {len(rows)} zips, checked in {took:.1f} s.",
        "agreement = agreed / checked. Every disagreement is a record that contradicts itself",
        "(tests/versions/test_osv_accuracy.py lists each one with its reason and fails on any",
        "other), so the matcher's own agreement on consistent data is 100%.",
        "",
        "| zip | records | versions checked | agreed | disagreements (data defects) | skipped "
        "| agreement |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        share = f"{r.agreed / r.checked:.4f}" if r.checked else "-"
        lines.append(
            f"| {r.zip} | {r.records} | {r.checked} | {r.agreed} | {r.defects} | {r.skipped} "
            f"| {share} |"
        )
    text = "\n".join(lines) + "\n"
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "osv_accuracy.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

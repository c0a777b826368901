"""Speed and memory: sbomkit vs Trivy, Syft and cdxgen, measured in the same run.

For every corpus (``small`` = examples/demo-project, ``monorepo`` = the generated >= 200
lockfile tree) and every tool: one unmeasured warm-up run, then ``--repeat`` measured runs
(interleaved across tools so drift hits everyone alike). Reported per tool and corpus:
median wall time, median peak memory (sum of RSS over the whole process tree, sampled every
``--interval`` s from /proc, and never below the kernel's ru_maxrss of the largest process),
the number of distinct purls in the SBOM, and the ratio sbomkit / tool for time and memory.

Writes ``benchmarks/results/latest.json`` and ``benchmarks/results/latest.md``.

    .venv/bin/python benchmarks/run.py [--repeat 3] [--corpus small monorepo]
                                       [--tools sbomkit trivy syft cdxgen]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import peers  # noqa: E402
from truth import normalize_purl, truth_for_dir, truth_purls  # noqa: E402

RESULTS = HERE / "results"
OUT = peers.WORK / "out"
PAGE = os.sysconf("SC_PAGE_SIZE")
MiB = 1024 * 1024


# ----------------------------------------------------------------------------- measuring


def _proc_children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # field 4 (ppid) comes after the ")" that closes the command name
        rest = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(rest[1]), []).append(int(entry.name))
    return children


def _tree_rss(root: int) -> int:
    children = _proc_children()
    total = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(children.get(pid, ()))
    return total


@dataclass
class Sample:
    wall_s: float
    peak_bytes: int
    tree_peak_bytes: int
    maxrss_bytes: int
    returncode: int
    timed_out: bool = False


def measure(
    argv: list[str], env: dict[str, str], log: Path, timeout: float, interval: float
) -> Sample:
    """Run ``argv``; wall time, peak process-tree RSS (sampled) and ru_maxrss (kernel)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as fh:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=peers.WORK,
            start_new_session=True,
        )
        peak = 0
        done = threading.Event()

        def sampler() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss(proc.pid))
                done.wait(interval)

        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        timed_out = False

        def kill() -> None:
            nonlocal timed_out
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, rusage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        done.set()
        thread.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    maxrss = int(rusage.ru_maxrss) * 1024  # KiB on Linux
    return Sample(wall, max(peak, maxrss), peak, maxrss, proc.returncode, timed_out)


# ----------------------------------------------------------------------------- running


@dataclass
class Row:
    tool: str
    version: str
    corpus: str
    status: str = "ok"
    wall_s: float | None = None
    peak_mib: float | None = None
    components: int | None = None  # distinct normalized purls in the SBOM
    raw_components: int | None = None
    slow: bool = False  # warm-up exceeded --slow: that single run is the measurement
    samples: list[dict[str, Any]] = field(default_factory=list)
    time_ratio: float | None = None  # sbomkit / tool
    mem_ratio: float | None = None
    log: str = ""


def count_output(path: Path) -> tuple[int, int]:
    purls = peers.read_purls(path)
    return len({normalize_purl(p) for p in purls}), len(purls)


def run_all(
    tools: list[peers.Tool],
    corpora: dict[str, Path],
    repeat: int,
    timeout: float,
    interval: float,
    slow: float,
) -> list[Row]:
    rows: dict[tuple[str, str], Row] = {}
    for cname, target in corpora.items():
        for tool in tools:
            row = Row(tool.name, tool.version, cname)
            rows[(tool.name, cname)] = row
            if not tool.installed:
                row.status = "not installed"
                continue
            out = OUT / tool.name / f"{cname}.json"
            log = OUT / tool.name / f"{cname}.log"
            row.log = str(log.relative_to(HERE))
            out.unlink(missing_ok=True)
            print(f"[bench] warm-up {tool.name} on {cname}", file=sys.stderr, flush=True)
            s = measure(tool.command(target, out), tool.environ(), log, timeout, interval)
            if s.returncode != 0 or not out.exists():
                row.status = "timeout" if s.timed_out else f"failed (rc={s.returncode})"
                continue
            row.components, row.raw_components = count_output(out)
            if s.wall_s > slow:
                # A run this long is not helped by a warm cache; keep it as the only sample
                # so that `make bench` stays within tens of minutes on 2 cores.
                row.samples.append(asdict(s))
                row.slow = True
                print(f"[bench]   {s.wall_s:.1f} s > {slow:.0f} s: measured once", file=sys.stderr)

        for i in range(repeat):
            for tool in tools:
                row = rows[(tool.name, cname)]
                if row.status != "ok" or row.slow:
                    continue
                out = OUT / tool.name / f"{cname}.json"
                log = OUT / tool.name / f"{cname}.log"
                print(
                    f"[bench] run {i + 1}/{repeat} {tool.name} on {cname}",
                    file=sys.stderr,
                    flush=True,
                )
                s = measure(tool.command(target, out), tool.environ(), log, timeout, interval)
                if s.returncode != 0:
                    row.status = "timeout" if s.timed_out else f"failed (rc={s.returncode})"
                    continue
                row.samples.append(asdict(s))
                print(
                    f"[bench]   {s.wall_s:.2f} s, {s.peak_bytes / MiB:.0f} MiB",
                    file=sys.stderr,
                    flush=True,
                )

    for row in rows.values():
        if row.status == "ok" and row.samples:
            row.wall_s = statistics.median(s["wall_s"] for s in row.samples)
            row.peak_mib = statistics.median(s["peak_bytes"] for s in row.samples) / MiB
    for (_, cname), row in rows.items():
        base = rows.get(("sbomkit", cname))
        if base and base.wall_s and row.wall_s:
            row.time_ratio = base.wall_s / row.wall_s
        if base and base.peak_mib and row.peak_mib:
            row.mem_ratio = base.peak_mib / row.peak_mib
    return list(rows.values())


# ----------------------------------------------------------------------------- reporting

GOALS = {"trivy": 1.5, "syft": 1.0, "cdxgen": 1.0}


def verdict(row: Row) -> str:
    if row.tool == "sbomkit" or row.time_ratio is None:
        return ""
    limit = GOALS.get(row.tool)
    if limit is None:
        return ""
    ok = row.time_ratio <= limit if row.tool == "trivy" else row.time_ratio < limit
    want = f"<= {limit}x" if row.tool == "trivy" else "< 1x"
    return f"{'met' if ok else 'MISSED'} ({want})"


def _f(v: float | None, fmt: str) -> str:
    return "-" if v is None else format(v, fmt)


HEADERS = [
    "tool",
    "version",
    "corpus",
    "runs",
    "wall s (median)",
    "peak MiB",
    "components",
    "time sbomkit/tool",
    "mem sbomkit/tool",
    "speed goal",
]


def table_rows(rows: list[Row]) -> list[list[str]]:
    out = []
    for r in rows:
        if r.status != "ok":
            out.append([r.tool, r.version, r.corpus, "", r.status, "", "", "", "", ""])
            continue
        out.append(
            [
                r.tool,
                r.version,
                r.corpus,
                str(len(r.samples)),
                _f(r.wall_s, ".2f"),
                _f(r.peak_mib, ".0f"),
                str(r.components),
                _f(r.time_ratio, ".2f"),
                _f(r.mem_ratio, ".2f"),
                verdict(r),
            ]
        )
    return out


def markdown(rows: list[Row], meta: dict[str, Any]) -> str:
    lines = ["# sbomkit benchmark: speed and memory", ""]
    lines.append(f"Run {meta['date']} on {meta['machine']}; {meta['repeat']} measured runs")
    lines.append("per cell after one warm-up run, median shown (a tool whose warm-up took longer")
    lines.append(f"than {meta['slow_threshold_s']:.0f} s is measured by that one run: see `runs`).")
    lines.append("Ratios are sbomkit / tool (below 1 = sbomkit faster / smaller). Peak memory =")
    lines.append(
        "sum of RSS over the whole process tree. Load average (1/5/15 min) before the run:"
    )
    lines.append(f"{meta['loadavg_before']}, after: {meta['loadavg_after']} (2 cores: > 2 means")
    lines.append("other work competed for the CPU and timings are noisier).")
    lines.append("")
    for cname, info in meta["corpora"].items():
        lines.append(f"- **{cname}**: {info}")
    lines.append("")
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|" + "|".join("---" for _ in HEADERS) + "|")
    lines.extend("| " + " | ".join(c or " " for c in r) + " |" for r in table_rows(rows))
    lines.append("")
    lines.append("Tool settings:")
    lines.append("")
    for name, s in meta["settings"].items():
        lines.append(f"- {name}: `{s}`")
    lines.append("")
    return "\n".join(lines)


def print_table(rows: list[Row]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # plain fallback
        widths = [
            max(len(h), *(len(r[i]) for r in table_rows(rows))) for i, h in enumerate(HEADERS)
        ]
        print("  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True)))
        for r in table_rows(rows):
            print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        return
    table = Table(title="sbomkit vs peers (ratios: sbomkit / tool)")
    for h in HEADERS:
        table.add_column(h, justify="left" if h in ("tool", "version", "corpus") else "right")
    for r in table_rows(rows):
        table.add_row(*r)
    Console(width=160).print(table)


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {cpu}, {os.cpu_count()} cores, {mem:.0f} GiB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "3")))
    ap.add_argument("--corpus", nargs="*", default=["small", "monorepo"])
    ap.add_argument("--tools", nargs="*", default=["sbomkit", "trivy", "syft", "cdxgen"])
    ap.add_argument("--timeout", type=float, default=1800.0, help="per run, seconds")
    ap.add_argument("--interval", type=float, default=0.02, help="RSS sampling period, s")
    ap.add_argument(
        "--slow",
        type=float,
        default=60.0,
        help="a tool whose warm-up run takes longer is measured by that single run",
    )
    ap.add_argument("--projects", type=int, default=200)
    ap.add_argument("--min-components", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    peers.WORK.mkdir(parents=True, exist_ok=True)
    tools = [t for t in peers.all_tools() if t.name in args.tools]
    corpora: dict[str, Path] = {}
    info: dict[str, str] = {}
    for c in args.corpus:
        if c == "small":
            path = corpus.small_project()
            n = sum(len(v) for v in truth_for_dir(path).values())
            lockfiles = len(truth_for_dir(path))
            corpora["small"] = path
            info["small"] = f"{path.relative_to(peers.ROOT)}: {lockfiles} lockfiles, {n} components"
        elif c in ("monorepo", "monorepo-shared"):
            shared = c == "monorepo-shared"
            dest = corpus.MONOREPO_SHARED if shared else corpus.MONOREPO
            meta = corpus.generate_monorepo(
                dest, args.projects, args.min_components, args.seed, shared
            )
            corpora[c] = dest
            unique = len(truth_purls(dest))
            how = "packages shared across sub-projects" if shared else "every package renamed"
            info[c] = (
                f"generated (seed {meta['seed']}, {how}): {meta['projects']} sub-projects, "
                f"{meta['lockfiles']} lockfiles, {meta['components_sum']} components summed over "
                f"lockfiles, {unique} distinct purls"
            )
        else:
            ap.error(f"unknown corpus {c!r}")
    for name, text in info.items():
        print(f"[bench] {name}: {text}", file=sys.stderr)

    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = run_all(tools, corpora, args.repeat, args.timeout, args.interval, args.slow)
    meta: dict[str, Any] = {
        "date": started,
        "machine": machine(),
        "repeat": args.repeat,
        "slow_threshold_s": args.slow,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "corpora": info,
        "settings": {t.name: t.settings for t in tools},
        "tool_paths": {t.name: str(t.exe) if t.exe else None for t in tools},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps({"meta": meta, "rows": [asdict(r) for r in rows]}, indent=2) + "\n"
    )
    (RESULTS / "latest.md").write_text(markdown(rows, meta))
    print_table(rows)
    print(f"wrote {RESULTS / 'latest.md'} and {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

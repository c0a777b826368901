"""Continuous monitoring on PostgreSQL: ``make bench`` (issue 8, "Benchmark").

1. A fresh database ``sbomkit_monitor_bench`` (127.0.0.1:5432, trust auth), migrated, and a
   portfolio written straight into it by COPY: N project versions (default 10,000) of
   N/10 products x 200 components (PyPI, npm, Maven, Go, crates.io purls; popular
   packages shared by many products, Zipf-like; versions that advisories list or bound,
   so findings exist). Component rows are made by ``server.ingest.component_row``, as an
   upload makes them; uploading itself is measured by server_bench.py. Three triage
   decisions (a rule, a project-wide one, a one-version one) exist before the runs.
   The advisory store is every zip of ../shared/data/osv plus the CISA KEV list,
   imported once into benchmarks/work/monitor and copied for each run.
2. Full re-analysis: the ``reanalyze-all`` job, run by the worker in one transaction,
   twice: the first run creates every finding, the second finds nothing to change.
3. Incremental, three rounds: 10 real advisories of the store that name packages of the
   portfolio, copied with a later ``modified`` and a moved range, imported as a new run
   (``import_sources``, what ``sbomkit db import`` does), then the ``advisory-sync`` job
   until its notifications are committed to the outbox (three subscribed channels).
   Delivery is not timed (queued deliver jobs are held back). Before each round,
   untimed, PostgreSQL checkpoints and the page cache is synced (``settle``).

Every measured step runs in a fresh child process (its own peak RSS). Dependency-Track is
not run here: its published figures are quoted beside ours, with sources. Writes
benchmarks/results/monitor.md and monitor.json; drops the database at the end.

    .venv/bin/python benchmarks/monitor_bench.py [--projects 10000] [--keep]
    .venv/bin/python benchmarks/monitor_bench.py --prepare-only   # for profiling
    .venv/bin/python benchmarks/monitor_bench.py --retry 3 [--profile out.prof]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import random
import shutil
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from postgres import PG_ADMIN, drop_database, pg_url, recreate_database

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = REPO.parent / "shared" / "data"
WORK = HERE / "work" / "monitor"
RESULTS = HERE / "results"
STORE_CACHE = WORK / "advisories.db"  # imported once, copied per run (the run changes it)
PREPARED = WORK / "prepared-advisories.db"  # the store as --prepare-only left it (--retry)
KEV = DATA / "kev" / "known_exploited_vulnerabilities.json"
R = TypeVar("R")
DB_NAME = "sbomkit_monitor_bench"  # dropped and made anew
COMPONENTS = 200
VERSIONS_PER_PRODUCT = 10
TEAMS = 20
# (purl type, OSV ecosystem, share of a product's components, made-up clean packages)
MIX = (("npm", "npm", 0.35, 6000), ("maven", "Maven", 0.25, 4000),
       ("pypi", "PyPI", 0.20, 2500), ("golang", "Go", 0.10, 1500),
       ("cargo", "crates.io", 0.10, 1200))  # fmt: skip
ADVISED_SHARE = 0.15  # a component is of a package some advisory names (where there are any)
DRIFT = 0.10  # share of components whose version moves from one release to the next
CHANGED_ADVISORIES = 10
GOALS = {"full_s": 60.0, "incremental_s": 1.0}
ROUNDS = 3  # incremental updates, each of CHANGED_ADVISORIES advisories of other packages
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "MPL-2.0")
STAMP = "2025-06-01T00:00:00+00:00"  # created/updated time of every project
# Dependency-Track: published, not measured here.
DT_PUBLISHED = (
    ("re-analysis of the whole portfolio (VulnerabilityAnalysisTask): default interval",
     "every 24 h", "https://docs.dependencytrack.org/getting-started/recurring-tasks/"),
    ("findings for a vulnerability created or changed appear at the next scheduled"
     " analysis", "up to 24 h later",
     "https://github.com/DependencyTrack/dependency-track/issues/7030"),
    ("v4 portfolio analysis with many hundreds of projects (defect, fixed in PR 3222)",
     "\"processing time of weeks\"",
     "https://github.com/DependencyTrack/dependency-track/issues/3219"),
    ("v4 architecture (in-memory queue, one API server)",
     "\"prevents it from scaling past a certain workload\"; Hyades (v5) aims at"
     " \"hundreds of thousands of projects\"", "https://dependencytrack.github.io/hyades/latest"),
)  # fmt: skip


# ---------------------------------------------------------------- the portfolio


@dataclass(frozen=True)
class Package:
    ptype: str
    name: str  # as in the purl: "group:artifact" for Maven, "@scope/x" for npm
    versions: tuple[str, ...]  # oldest first


@dataclass
class Portfolio:
    pools: dict[str, tuple[list[Package], list[Package]]]  # ptype -> (advised, clean)
    products: list[list[tuple[Package, int]]] = field(default_factory=list)


def _random_versions(rng: random.Random, count: int) -> list[str]:
    return [f"{rng.randint(0, 5)}.{rng.randint(0, 25)}.{rng.randint(0, 12)}" for _ in range(count)]


def _sorted_versions(eco: str, ptype: str, versions: set[str]) -> tuple[str, ...]:
    from sbomkit.versions import VersionError, scheme_for

    scheme = scheme_for(eco)
    assert scheme is not None
    keyed = []
    for v in versions:
        try:
            keyed.append((scheme.key(v), v))
        except VersionError:
            continue
    prefix = "v" if ptype == "golang" else ""
    return tuple(prefix + v for _, v in sorted(keyed))


def advised_packages(store: Path, rng: random.Random) -> dict[str, list[Package]]:
    """Every package the store names, with versions its advisories list or bound (some
    affected, some fixed) and two made-up ones."""
    conn = sqlite3.connect(store)
    out: dict[str, list[Package]] = {}
    for ptype, eco, _, _ in MIX:
        named: dict[str, set[str]] = {}
        rows = conn.execute(
            "SELECT name, ranges, versions FROM affected WHERE base_ecosystem = ?"
            " ORDER BY name, advisory_id, idx",
            (eco,),
        )
        for name, ranges, versions in rows:
            seen = named.setdefault(name, set())
            listed = json.loads(versions) if versions else []
            seen.update(listed[:: max(1, len(listed) // 2)][:2])
            for r in json.loads(ranges) if ranges else []:
                if r.get("type") == "GIT":
                    continue
                for ev in r.get("events", []):
                    seen.update(v for v in ev.values() if v not in ("0", "0.0.0-0"))
        out[ptype] = []
        for name, seen in sorted(named.items()):
            if not _usable(ptype, name):
                continue
            picked = sorted(seen)
            rng.shuffle(picked)
            versions = _sorted_versions(eco, ptype, {*picked[:4], *_random_versions(rng, 2)})
            out[ptype].append(Package(ptype, name, versions))
    conn.close()
    return out


def _usable(ptype: str, name: str) -> bool:
    if ptype == "maven":
        return name.count(":") == 1
    if ptype == "golang":
        return "/" in name and name not in ("stdlib", "toolchain")
    return bool(name) and " " not in name


def clean_packages(rng: random.Random) -> dict[str, list[Package]]:
    """Made-up names no advisory mentions, five versions each."""
    made: dict[str, Callable[[int], str]] = {
        "npm": lambda i: f"@example-scope{i % 50}/util-{i}" if i % 5 == 0 else f"example-lib-{i}",
        "maven": lambda i: f"com.example.platform{i % 40}:component-{i}",
        "pypi": lambda i: f"example-py-{i}",
        "golang": lambda i: f"github.com/example-org/service-{i}",
        "cargo": lambda i: f"example-crate-{i}",
    }
    eco = {ptype: e for ptype, e, _, _ in MIX}
    return {
        ptype: [
            Package(ptype, made[ptype](i), _sorted_versions(eco[ptype], ptype, set(
                _random_versions(rng, 5))))
            for i in range(count)
        ]
        for ptype, _, _, count in MIX
    }  # fmt: skip


def _zipf(n: int) -> list[float]:
    """Cumulative weights: a few packages in most products, a long tail in few."""
    out, total = [], 0.0
    for rank in range(n):
        total += 1.0 / (rank + 5)
        out.append(total)
    return out


def build_portfolio(store: Path, products: int, seed: int) -> Portfolio:
    rng = random.Random(seed)
    advised, clean = advised_packages(store, rng), clean_packages(rng)
    for pools in (advised, clean):  # popularity is not alphabetical
        for pool in pools.values():
            rng.shuffle(pool)
    portfolio = Portfolio({p: (advised[p], clean[p]) for p, _, _, _ in MIX})
    weights = {p: (_zipf(len(advised[p])), _zipf(len(clean[p]))) for p, _, _, _ in MIX}
    types, shares = [p for p, _, _, _ in MIX], [s for _, _, s, _ in MIX]
    for _ in range(products):
        chosen: dict[tuple[str, str], tuple[Package, int]] = {}
        while len(chosen) < COMPONENTS:
            ptype = rng.choices(types, shares)[0]
            use_advised = bool(advised[ptype]) and rng.random() < ADVISED_SHARE
            pool = advised[ptype] if use_advised else clean[ptype]
            cum = weights[ptype][0 if use_advised else 1]
            pkg = rng.choices(pool, cum_weights=cum)[0]
            chosen.setdefault((ptype, pkg.name), (pkg, rng.randrange(len(pkg.versions))))
        portfolio.products.append(sorted(chosen.values(), key=lambda x: (x[0].ptype, x[0].name)))
    return portfolio


def releases(product: list[tuple[Package, int]], rng: random.Random) -> Iterator[list[str]]:
    """The purls of each release of a product: every release moves a tenth of its
    components to another version, mostly a newer one."""
    current = [i for _, i in product]
    for release in range(VERSIONS_PER_PRODUCT):
        if release:
            for k, (pkg, _) in enumerate(product):
                if rng.random() < DRIFT:
                    up = rng.random() < 0.8 and current[k] + 1 < len(pkg.versions)
                    current[k] = current[k] + 1 if up else rng.randrange(len(pkg.versions))
        yield [purl_of(pkg, pkg.versions[i]) for (pkg, _), i in zip(product, current, strict=True)]


def purl_of(p: Package, version: str) -> str:
    if p.ptype == "maven":
        group, artifact = p.name.split(":")
        return f"pkg:maven/{group}/{artifact}@{version}"
    if p.ptype == "npm" and p.name.startswith("@"):
        return f"pkg:npm/%40{p.name[1:]}@{version}"
    return f"pkg:{p.ptype}/{p.name}@{version}"


# ---------------------------------------------------------------- database


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    assert not any(c in text for c in "\t\n\r\\"), text
    return text


@dataclass
class Rows:
    """The portfolio as COPY text: project lines, and per project the component lines
    (shared strings: one per distinct purl, as ``component_row`` makes it)."""

    projects: list[str] = field(default_factory=list)
    components: list[list[str]] = field(default_factory=list)
    identities: int = 0


def portfolio_rows(portfolio: Portfolio, seed: int) -> Rows:
    from sbomkit.identity import component_from_purl
    from sbomkit.server.ingest import component_row

    out = Rows()
    tails: dict[str, str] = {}  # purl -> the row after project_id
    rng = random.Random(seed * 31 + 7)
    columns = component_columns()
    for number, product in enumerate(portfolio.products):
        team = 1 + number % TEAMS
        for release, purls in enumerate(releases(product, rng)):
            pid = len(out.projects) + 1
            version = f"{1 + release // 3}.{release % 3}.0"
            out.projects.append(
                f"{pid}\tproduct-{number:05d}\t{version}\t{team}\t{STAMP}\t{STAMP}\t{len(purls)}\n"
            )
            lines = []
            for purl in purls:
                tail = tails.get(purl)
                if tail is None:
                    row = component_row(0, component_from_purl(purl))
                    row["licenses"] = LICENSES[len(tails) % len(LICENSES)]
                    tail = tails[purl] = "\t".join(_copy_text(row[c]) for c in columns) + "\n"
                lines.append(tail)
            out.components.append(lines)
    out.identities = len(tails)
    return out


def component_columns() -> list[str]:
    from sbomkit.identity import component_from_purl
    from sbomkit.server.ingest import component_row

    return [c for c in component_row(0, component_from_purl("pkg:npm/x@1")) if c != "project_id"]


def populate(portfolio: Portfolio, seed: int) -> dict[str, Any]:
    """Teams, projects, grants and component rows by COPY; the components' secondary
    indexes are dropped for the load and built again after it (same definitions)."""
    from sbomkit.server.database import Database, migrate
    from sbomkit.server.tables import ComponentRow

    t0 = time.perf_counter()
    db = Database(pg_url(DB_NAME))
    migrate(db.engine)
    t1 = time.perf_counter()
    rows = portfolio_rows(portfolio, seed)
    t2 = time.perf_counter()
    indexes = list(ComponentRow.__table__.indexes)
    with db.engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
        raw = conn.connection.driver_connection
        assert isinstance(raw, psycopg.Connection)
        with raw.cursor() as cur:
            _copy_portfolio(cur, rows)
        t3 = time.perf_counter()
        for index in indexes:
            index.create(conn)
        t4 = time.perf_counter()
    with db.engine.connect() as conn:
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        auto.exec_driver_sql("VACUUM ANALYZE")
        auto.exec_driver_sql("CHECKPOINT")  # the load's writes are not the re-analysis's
    t5 = time.perf_counter()
    db.dispose()
    return {
        "projects": len(rows.projects),
        "component_rows": sum(len(c) for c in rows.components),
        "identities": rows.identities,
        "migrate_s": t1 - t0,
        "generate_s": t2 - t1,
        "copy_s": t3 - t2,
        "index_s": t4 - t3,
        "analyze_s": t5 - t4,
        "total_s": t5 - t0,
    }


def _copy_portfolio(cur: psycopg.Cursor[Any], rows: Rows) -> None:
    with cur.copy("COPY teams (id, name, created_at) FROM STDIN") as copy:
        for t in range(1, TEAMS + 1):
            copy.write_row((t, "psirt" if t == 1 else f"team-{t:02d}", STAMP))
    projects = "COPY projects (id, name, version, owner_team_id, created_at, updated_at,"
    with cur.copy(projects + " components_count) FROM STDIN") as copy:
        copy.write("".join(rows.projects))
    # The PSIRT (team 1) sees every product, through a grant on each version.
    with cur.copy("COPY grants (team_id, project_id, permission) FROM STDIN") as copy:
        for pid in range(1, len(rows.projects) + 1):
            copy.write_row((1, pid, "view"))
    columns = ", ".join(component_columns())
    with cur.copy(f"COPY components (project_id, {columns}) FROM STDIN") as copy:
        for pid, lines in enumerate(rows.components, start=1):
            prefix = f"{pid}\t"
            copy.write("".join(prefix + line for line in lines))
    for seq in ("teams", "projects"):
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{seq}', 'id'), (SELECT max(id) FROM {seq}))"
        )


def add_decisions(portfolio: Portfolio, store: Path) -> list[str]:
    """Three triage decisions made before the re-analysis, so it carries them onto the
    findings: a rule on the most used advised package, a decision for all versions of
    product 0 and one for a single version of it."""
    from sbomkit.identity import component_from_purl
    from sbomkit.server.monitor.triage import purl_base

    eco = {p: e for p, e, _, _ in MIX}
    advised = {(p.ptype, p.name) for pool, _ in portfolio.pools.values() for p in pool}
    mine = [pkg for pkg, _ in portfolio.products[0] if (pkg.ptype, pkg.name) in advised]
    top = portfolio.pools["pypi"][0][0]
    targets = [("rule", top), ("project", mine[0]), ("version", mine[1])]
    conn = sqlite3.connect(store)
    rows = []
    for scope, pkg in targets:
        (aid,) = conn.execute(
            "SELECT min(advisory_id) FROM affected WHERE base_ecosystem = ? AND name = ?",
            (eco[pkg.ptype], pkg.name),
        ).fetchone()
        base = purl_base(component_from_purl(purl_of(pkg, pkg.versions[0])).ref)
        component = base + "@*" if scope == "rule" else base
        rows.append((scope, aid, component))
    conn.close()
    with psycopg.connect(pg_url(DB_NAME), autocommit=True) as pg:
        for scope, aid, component in rows:
            pg.execute(
                "INSERT INTO triage (scope, project_id, project_name, vuln_id, component, team_id,"
                " state, justification, comment, created_by, created_at, updated_at) VALUES"
                " (%s, %s, %s, %s, %s, %s, 'not_affected', 'code_not_reachable', 'bench',"
                " 'bench', now(), now())",
                (scope, 1 if scope == "version" else None,
                 "product-00000" if scope == "project" else None, aid, component,
                 1 if scope == "project" else None),
            )  # fmt: skip
    return [f"{scope} {aid} {component}" for scope, aid, component in rows]


def portfolio_facts(portfolio: Portfolio) -> dict[str, Any]:
    advised = {(p.ptype, p.name) for pool, _ in portfolio.pools.values() for p in pool}
    used = {(p.ptype, p.name) for product in portfolio.products for p, _ in product}
    per_type: dict[str, int] = {}
    for ptype, _ in used:
        per_type[ptype] = per_type.get(ptype, 0) + 1
    return {
        "products": len(portfolio.products),
        "packages": len(used),
        "packages_with_advisories": len(used & advised),
        "packages_per_type": dict(sorted(per_type.items())),
    }


# ---------------------------------------------------------------- advisories


def advisory_store(dest: Path) -> dict[str, Any]:
    """The cached store (imported once), copied to ``dest`` for this run."""
    zips = sorted((DATA / "osv").glob("*.zip"))
    if not zips or not KEV.is_file():
        sys.exit(f"shared data missing: {DATA / 'osv'} or {KEV} (see ../shared/data/README.md)")
    took = 0.0
    if not STORE_CACHE.is_file():
        from sbomkit.db.importer import import_sources
        from sbomkit.db.kev import import_kev
        from sbomkit.db.sources import spec_for_path
        from sbomkit.db.store import AdvisoryStore

        t0 = time.perf_counter()
        partial = STORE_CACHE.with_suffix(".partial")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        with AdvisoryStore.open(partial, create=True) as store:
            report = import_sources(store, [spec_for_path(z) for z in zips])
            if report.errors:
                sys.exit(f"advisory import failed: {report.errors}")
            import_kev(store, KEV)
        partial.rename(STORE_CACHE)
        took = time.perf_counter() - t0
    for suffix in ("-wal", "-shm"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(STORE_CACHE, dest)
    conn = sqlite3.connect(dest)
    records = conn.execute("SELECT count(*) FROM advisory").fetchone()[0]
    conn.close()
    return {"zips": len(zips), "records": records, "import_s": took, "cached": took == 0.0}


def changed_advisories(
    store: Path, portfolio: Portfolio, folder: Path, seed: int, taken: set[tuple[str, str]]
) -> list[str]:
    """Copies of real advisories naming packages the portfolio uses in several versions:
    ``modified`` later, ranges replaced by ``introduced 0, fixed <median version in use>``
    and no version list, so older versions become (or stay) affected and newer ones not.
    Packages in ``taken`` (changed in an earlier round) are left alone; the ones picked
    are added to it."""
    eco = {p: e for p, e, _, _ in MIX}
    versions: dict[tuple[str, str], set[str]] = {}
    for product in portfolio.products:
        for pkg, _ in product:
            versions.setdefault((eco[pkg.ptype], pkg.name), set()).update(pkg.versions)
    conn = sqlite3.connect(store)
    candidates = sorted(
        {
            (aid, base, name)
            for aid, base, name, ranges in conn.execute(
                "SELECT advisory_id, base_ecosystem, name, ranges FROM affected"
                " WHERE base_ecosystem IN ('PyPI', 'Go', 'crates.io')"
            )
            if (base, name) in versions and len(versions[(base, name)]) >= 3 and ranges
            and '"GIT"' not in ranges
        }
    )  # fmt: skip
    rng = random.Random(seed)
    rng.shuffle(candidates)
    picked: list[tuple[str, str, str]] = []
    for c in candidates:
        if c[1:] not in taken and all(c[0] != p[0] and c[1:] != p[1:] for p in picked):
            picked.append(c)
        if len(picked) == CHANGED_ADVISORIES:
            break
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for aid, base, name in picked:
        (blob,) = conn.execute("SELECT record FROM advisory WHERE id = ?", (aid,)).fetchone()
        record = json.loads(zlib.decompress(blob))
        in_use = _sorted_versions(base, "", versions[(base, name)])
        fixed = in_use[len(in_use) // 2].removeprefix("v")
        for affected in record["affected"]:
            package = affected.get("package", {})
            if package.get("ecosystem") == base and package.get("name") == name:
                kind = "ECOSYSTEM" if base == "PyPI" else "SEMVER"
                affected["ranges"] = [
                    {"type": kind, "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ]
                affected.pop("versions", None)
        record["modified"] = stamp
        (folder / f"{aid}.json").write_text(json.dumps(record), encoding="utf-8")
    conn.close()
    taken.update(p[1:] for p in picked)
    return [p[0] for p in picked]


# ---------------------------------------------------------------- measured steps (child)


class Stages:
    """Wall time of named functions while a step runs: they are replaced by timing
    wrappers in the child process only."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, owner: Any, attr: str, label: str) -> None:
        inner = getattr(owner, attr, None)
        if inner is None:  # an older version of the code under test
            return

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - t0

        setattr(owner, attr, timed)


def _instrument() -> Stages:
    from sbomkit.server.monitor import events, reanalyze, triage

    stages = Stages()
    stages.wrap(reanalyze, "_identities", "identities")
    stages.wrap(reanalyze.Matcher, "match", "match")
    stages.wrap(reanalyze, "stored_on", "stored")
    stages.wrap(reanalyze, "reconcile", "reconcile")
    stages.wrap(triage, "apply_triage", "triage")
    stages.wrap(events, "enqueue", "events")  # events_for is lazy: enqueue makes them
    return stages


@dataclass
class Job:
    """A worker over the bench database, made before the clock starts (a server's worker
    is up, imported and connected when work arrives)."""

    store: Path

    def __post_init__(self) -> None:
        from sbomkit.server.config import Settings
        from sbomkit.server.database import Database
        from sbomkit.server.monitor.handlers import HANDLERS
        from sbomkit.server.monitor.worker import Worker

        self.db = Database(pg_url(DB_NAME))
        settings = Settings(database=self.db.url, advisories=self.store, worker=False)
        self.settings = settings
        self.worker = Worker(self.db, settings, HANDLERS, schedules={})
        with self.db.session() as s:
            s.connection().exec_driver_sql("SELECT 1")
        self.stages = _instrument()

    def run(self, kind: str) -> dict[str, Any]:
        """Enqueue a job and run it, as the worker does: one transaction."""
        from sbomkit.server.monitor import jobs
        from sbomkit.server.tables import Job as JobRow

        t0 = time.perf_counter()
        with self.db.session() as s:
            job_id = jobs.enqueue(s, kind)
        ran = self.worker.run_one()
        wall = time.perf_counter() - t0
        with self.db.session() as s:
            job = s.get(JobRow, job_id)
            assert ran and job is not None and job.status == "done", job and job.error
            result = json.loads(job.result or "{}")
        stages, self.stages.seconds = self.stages.seconds, {}
        return {"wall_s": wall, "result": result, "stages": stages}

    def defer_queued(self) -> None:
        """Delivery is not measured: jobs already queued (``deliver``) wait an hour, so
        the worker's next claim is the job the bench enqueues."""
        from sqlalchemy import update

        from sbomkit.server.tables import Job as JobRow

        later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
        with self.db.session() as s:
            s.execute(update(JobRow).where(JobRow.status == "queued").values(run_after=later))

    def close(self) -> None:
        self.db.dispose()


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: ``ru_maxrss`` of a spawned child also
    counts the parent it was forked from)."""
    return _status_mib("VmHWM:")


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def server_cpu_s() -> float | None:
    """CPU seconds used so far by the client backends of the bench database (utime +
    stime from /proc: PostgreSQL runs on this machine); None when they cannot be read.
    Less affected by the machine's load than wall time."""
    total = 0.0
    with psycopg.connect(pg_url(DB_NAME), autocommit=True) as conn:
        pids = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type ="
            " 'client backend' AND pid <> pg_backend_pid()",
            (DB_NAME,),
        ).fetchall()
    for (pid,) in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def full_step(store: str) -> dict[str, Any]:
    job = Job(Path(store))
    cpu = time.process_time()
    start = _status_mib("VmRSS:")
    server = server_cpu_s()  # the job's backend is connected already and stays so
    out = job.run("reanalyze-all")
    after = server_cpu_s()
    job.close()
    out["server_cpu_s"] = None if server is None or after is None else after - server
    out["rss_start_mib"] = start
    out["cpu_s"] = time.process_time() - cpu  # this process only, not PostgreSQL's
    out["rss_mib"] = peak_rss_mib()
    return out


def incremental_step(store: str, folders: list[str]) -> list[dict[str, Any]]:
    """Per folder, in one worker process: import its changed advisories as a new run,
    then the advisory-sync job. The first round is the worker's first sync; the later
    ones find it warm, as a long-running worker is."""
    from sbomkit.db.importer import import_sources
    from sbomkit.db.sources import spec_for_path
    from sbomkit.db.store import AdvisoryStore

    job = Job(Path(store))
    rounds = []
    for folder in folders:
        job.defer_queued()
        settle(job)
        server = server_cpu_s()
        cpu = time.process_time()
        t0 = time.perf_counter()
        with AdvisoryStore.open(Path(store)) as s:
            report = import_sources(s, [spec_for_path(Path(folder))])
        t_import = time.perf_counter() - t0
        assert not report.errors and report.sources[0].records == CHANGED_ADVISORIES, report
        out = job.run("advisory-sync")
        out["import_s"] = t_import
        out["total_s"] = time.perf_counter() - t0
        out["cpu_s"] = time.process_time() - cpu
        after = server_cpu_s()
        out["server_cpu_s"] = None if server is None or after is None else after - server
        out["rss_mib"] = peak_rss_mib()
        rounds.append(out)
    job.close()
    return rounds


def retry_step(store: str, folders: list[str], tries: int, profile: str) -> list[dict[str, Any]]:
    """``--retry``: each round's import and advisory-sync handler, ``tries`` times, always
    from the prepared state: the store file is copied back before the import and the
    handler's transaction is rolled back (so no claim, finish or commit is timed)."""
    import cProfile

    from sbomkit.db.importer import import_sources
    from sbomkit.db.sources import spec_for_path
    from sbomkit.db.store import AdvisoryStore
    from sbomkit.server.monitor.handlers import HANDLERS

    job = Job(Path(store))
    profiler = cProfile.Profile() if profile else None
    out = []
    for attempt in range(tries):
        for folder in folders:
            for suffix in ("-wal", "-shm"):
                Path(f"{store}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(PREPARED, store)
            settle(job)
            cpu = time.process_time()
            t0 = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            with AdvisoryStore.open(Path(store)) as s:
                import_sources(s, [spec_for_path(Path(folder))])
            t_import = time.perf_counter() - t0
            with job.db.session() as session:
                try:
                    result = HANDLERS["advisory-sync"](session, job.settings, {})
                finally:
                    session.rollback()
            if profiler is not None:
                profiler.disable()
            wall = time.perf_counter() - t0
            stages, job.stages.seconds = job.stages.seconds, {}
            stages = {"import": t_import, **stages}
            out.append({"try": attempt, "folder": Path(folder).name, "total_s": wall,
                        "cpu_s": time.process_time() - cpu, "stages": stages,
                        "result": result})  # fmt: skip
            print(f"try {attempt} {Path(folder).name}: {wall:.3f} s (cpu"
                  f" {out[-1]['cpu_s']:.3f}) {_stage_text(stages, wall)};"
                  f" new {result['new']} resolved {result['resolved']} changed"
                  f" {result['changed']} outbox {result['notifications']}", flush=True)  # fmt: skip
    if profiler is not None:
        profiler.dump_stats(profile)
    job.close()
    return out


def settle(job: Job) -> None:
    """Write out what earlier steps left dirty (PostgreSQL's buffers, the page cache): the
    first sync of the WAL in the import would otherwise wait for a gigabyte of a full
    run's writes, as population does before the full runs."""
    with job.db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("CHECKPOINT")
    os.sync()


def in_child(target: Callable[..., R], *args: Any) -> R:
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(target, args)


# ---------------------------------------------------------------- setup between steps


def subscribe() -> dict[str, int]:
    """Three teams' channels: the PSIRT's webhook (every event of every product); a
    product team's Slack (high and above); another's KEV-only digest.
    Also records that the portfolio has caught up with the store (what the first sync
    records), so the next sync is incremental."""
    with psycopg.connect(pg_url(DB_NAME), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO channels (id, team_id, name, kind, target, secret, lang) VALUES"
            " (1, 1, 'all', 'webhook', 'http://127.0.0.1:9/a', 's', 'en'),"
            " (2, 2, 'high', 'slack', 'http://127.0.0.1:9/b', NULL, 'ja'),"
            " (3, 3, 'kev', 'webhook', 'http://127.0.0.1:9/c', 's', 'en')"
        )
        conn.execute(
            "INSERT INTO subscriptions (channel_id, events, min_severity, kev_only, digest)"
            " VALUES (1, 'new_finding,finding_resolved,state_changed', 0, false, false),"
            " (2, 'new_finding,finding_resolved', 3, false, false),"
            " (3, 'new_finding', 0, true, true)"
        )
        return {"channels": 3, "subscriptions": 3}


def mark_synced(store: Path) -> None:
    conn = sqlite3.connect(store)
    (last,) = conn.execute("SELECT max(id) FROM import_run").fetchone()
    conn.close()
    with psycopg.connect(pg_url(DB_NAME), autocommit=True) as pg:
        pg.execute(
            "INSERT INTO advisory_sync (store, last_run_id, synced_at) VALUES (%s, %s, now())",
            (str(store), last),
        )


def counts() -> dict[str, int]:
    with psycopg.connect(pg_url(DB_NAME)) as conn:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE state = 'open'), count(*) FILTER (WHERE state ="
            " 'resolved'), count(DISTINCT project_id), (SELECT count(*) FROM outbox),"
            " (SELECT count(*) FROM finding_aliases) FROM findings"
        ).fetchone()
        assert row is not None
    keys = ("open_findings", "resolved_findings", "projects_with_findings", "outbox", "aliases")
    return dict(zip(keys, (int(v) for v in row), strict=True))


# ---------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    with psycopg.connect(PG_ADMIN) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        shared = conn.execute("SHOW shared_buffers").fetchone()
    return {
        "python": platform.python_version(),
        "postgresql": row[0] if row else "?",
        "shared_buffers": shared[0] if shared else "?",
        "cpus": os.cpu_count(),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _stage_text(stages: dict[str, float], wall: float) -> str:
    named = sum(stages.values())
    parts = [f"{k} {v:.2f}" for k, v in stages.items() if v >= 0.005]
    return ", ".join([*parts, f"rest {max(0.0, wall - named):.2f}"])


def _seconds(value: float | None, digits: int) -> str:
    return "?" if value is None else f"{value:.{digits}f}"


def _verdict(seconds: float, goal: float) -> str:
    return "yes" if seconds <= goal else "**no**"


def write_report(res: dict[str, Any]) -> str:
    pop, facts, adv, m = res["population"], res["portfolio"], res["advisories"], res["machine"]
    full1, full2, incs = res["full"][0], res["full"][1], res["incremental"]
    store = (
        "cached from an earlier run" if adv["cached"] else f"imported in {adv['import_s']:.1f} s"
    )
    lines = [
        "# Continuous monitoring on PostgreSQL (issue 8)",
        "",
        f"`{res['command']}` on {m['cpus']} cores, load average {m['load_avg_at_start']} at"
        f" start and {m['load_avg_at_end']} at the end (other benchmarks and tests were"
        f" running: timings vary with that load); PostgreSQL {m['postgresql']}"
        f" (shared_buffers {m['shared_buffers']}, on the same machine), Python {m['python']}.",
        "Each measured step runs in a fresh worker process (imported and connected before"
        " the clock starts); the job runs as the worker runs it: claim, handler, commit, in"
        " one transaction.",
        "",
        "## Portfolio and advisories",
        "",
        "| what | value |",
        "|---|---|",
        f"| project versions | {pop['projects']:,} ({facts['products']:,} products x"
        f" {VERSIONS_PER_PRODUCT} versions, {TEAMS} owner teams) |",
        f"| component rows | {pop['component_rows']:,} ({COMPONENTS} per project version;"
        " PyPI, npm, Maven, Go, crates.io purls) |",
        f"| distinct component identities (purls) | {pop['identities']:,} |",
        f"| distinct packages | {facts['packages']:,}"
        f" ({facts['packages_with_advisories']:,} named by some advisory);"
        f" per purl type {facts['packages_per_type']} |",
        f"| advisory store | {adv['records']:,} OSV records ({adv['zips']} zips of"
        f" ../shared/data/osv) + CISA KEV, {store} |",
        f"| triage decisions before the runs | {'; '.join(res['decisions'])} |",
        f"| population (not a goal) | {pop['total_s']:.1f} s: migrate {pop['migrate_s']:.1f},"
        f" generate rows {pop['generate_s']:.1f}, COPY {pop['copy_s']:.1f}, indexes"
        f" {pop['index_s']:.1f}, VACUUM ANALYZE + CHECKPOINT {pop['analyze_s']:.1f} |",
        "",
        "## Results",
        "",
        "| step | wall s | goal s | met | peak RSS MiB | Python CPU s | PostgreSQL CPU s"
        " | what happened | stages (s) |",
        "|---|---:|---:|---|---:|---:|---:|---|---|",
    ]
    for label, run in (("full re-analysis, first run", full1), ("full, steady state", full2)):
        r = run["result"]
        lines.append(
            f"| {label} | {run['wall_s']:.1f} | {GOALS['full_s']:.0f}"
            f" | {_verdict(run['wall_s'], GOALS['full_s'])} | {run['rss_mib']:.0f}"
            f" | {run['cpu_s']:.1f} | {_seconds(run.get('server_cpu_s'), 1)}"
            f" | {r['identities']:,} identities matched, {r['projects']:,}"
            f" projects reconciled; new {r['new']:,}, resolved {r['resolved']:,}, changed"
            f" {r['changed']:,}, triaged {r['triaged']:,}"
            f" | {_stage_text(run['stages'], run['wall_s'])} |"
        )
    for n, run in enumerate(incs, start=1):
        r = run["result"]
        lines.append(
            f"| incremental {n}/{len(incs)}: {CHANGED_ADVISORIES} changed advisories, import"
            f" start to outbox rows committed | {run['total_s']:.2f}"
            f" | {GOALS['incremental_s']:.0f} | {_verdict(run['total_s'], GOALS['incremental_s'])}"
            f" | {run['rss_mib']:.0f} | {run['cpu_s']:.2f}"
            f" | {_seconds(run.get('server_cpu_s'), 2)} | {r['packages']} packages,"
            f" {r['identities']:,} identities, {r['projects']:,} projects; new {r['new']:,},"
            f" resolved {r['resolved']:,}, changed {r['changed']:,}; {r['notifications']:,}"
            f" outbox rows | import {run['import_s']:.2f}; sync job {run['wall_s']:.2f}"
            f" ({_stage_text(run['stages'], run['wall_s'])}) |"
        )
    totals = sorted(run["total_s"] for run in incs)
    lines += [
        "",
        f"Incremental: median {totals[len(totals) // 2]:.2f} s, worst {totals[-1]:.2f} s over"
        f" {len(incs)} rounds, each changing {CHANGED_ADVISORIES} advisories of other"
        " packages, in one worker process (the first round is its first sync). Before"
        " each round (not timed) PostgreSQL checkpoints and the page cache is written out,"
        " so the import's one sync of its WAL does not wait for the full runs' writes.",
        "",
        "Stages: `identities` the distinct components to re-match (one query); `match` the"
        " version matcher over them; `stored` the stored findings on them, read once"
        " (incremental); `reconcile` comparing and writing findings (COPY for new ones);"
        " `triage` decisions in force; `events` events made and outbox rows written; `rest`"
        " the holder and open-finding queries, the job's claim and the commit. Peak RSS is"
        " the worker process's (VmHWM). PostgreSQL CPU is the worker's server backend's"
        " (user + system, from /proc), for the incremental rounds from the import's start"
        " to the commit: unlike wall time, it hardly depends on the machine's load.",
        "",
        f"After the first run: {res['after_full']['open_findings']:,} open findings in"
        f" {res['after_full']['projects_with_findings']:,} project versions"
        f" ({res['after_full']['aliases']:,} alias rows). Subscriptions (the PSIRT's webhook"
        " for every product, a team's Slack at high and above, a KEV-only digest) were made"
        " after the full runs, so the first run's findings notify no one; the incremental"
        " step writes to the outbox through all three.",
        "Changed advisories (copies with a later `modified` and the range `introduced 0,"
        " fixed <median version in use>`), per round: "
        + "; ".join(", ".join(ids) for ids in res["changed_advisories"])
        + ".",
        "",
        "## Dependency-Track (published, not measured here)",
        "",
        "| what | figure | source |",
        "|---|---|---|",
        *(f"| {what} | {figure} | {url} |" for what, figure, url in DT_PUBLISHED),
        "",
        "These are published figures of another tool on other machines and portfolios:"
        " they are shown beside ours, and no ratio is drawn from them. Ours: an advisory"
        f" change reached the outbox {totals[len(totals) // 2]:.2f} s (median) after its"
        " import started; a full"
        f" re-analysis of {pop['projects']:,} project versions took {full1['wall_s']:.0f} s"
        f" (first run, every finding new) and {full2['wall_s']:.0f} s (steady state).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--projects", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument(
        "--retry",
        type=int,
        default=0,
        metavar="N",
        help="on a database kept by --prepare-only: run every incremental round N times,"
        " each from the prepared state, and print the timings (nothing is written)",
    )
    ap.add_argument("--profile", default="", help="with --retry: write cProfile stats here")
    ap.add_argument(
        "--prepare-only",
        action="store_true",
        help="stop before the incremental import and keep the database (for profiling)",
    )
    args = ap.parse_args()
    if args.retry:
        folders = [str(WORK / "changed" / f"round-{n}") for n in range(1, ROUNDS + 1)]
        print(f"load average {os.getloadavg()}", flush=True)
        in_child(retry_step, str(WORK / "run-advisories.db"), folders, args.retry, args.profile)
        print(f"load average {os.getloadavg()}")
        return
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    res: dict[str, Any] = {"command": " ".join(["python", *sys.argv]), "machine": machine()}
    store = WORK / "run-advisories.db"
    res["advisories"] = advisory_store(store)
    print(f"advisories: {res['advisories']}", flush=True)
    portfolio = build_portfolio(store, args.projects // VERSIONS_PER_PRODUCT, args.seed)
    res["portfolio"] = portfolio_facts(portfolio)
    recreate_database(DB_NAME)
    try:
        res["population"] = populate(portfolio, args.seed)
        print(f"population: {res['population']}", flush=True)
        res["decisions"] = add_decisions(portfolio, store)
        res["full"] = []
        for n in (1, 2):
            run = in_child(full_step, str(store))
            print(f"full run {n}: {run}", flush=True)
            res["full"].append(run)
            if n == 1:
                res["after_full"] = counts()
        res["subscriptions"] = subscribe()
        mark_synced(store)
        taken: set[tuple[str, str]] = set()
        folders = [WORK / "changed" / f"round-{n}" for n in range(1, ROUNDS + 1)]
        res["changed_advisories"] = [
            changed_advisories(store, portfolio, f, args.seed + n, taken)
            for n, f in enumerate(folders)
        ]
        if args.prepare_only:
            shutil.copyfile(store, PREPARED)
            print(f"prepared: {pg_url(DB_NAME)}, store {store}, changes in {folders}")
            return
        res["incremental"] = in_child(incremental_step, str(store), [str(f) for f in folders])
        for n, run in enumerate(res["incremental"], start=1):
            print(f"incremental {n}: {run}", flush=True)
        res["after_incremental"] = counts()
    finally:
        if not (args.keep or args.prepare_only):
            drop_database(DB_NAME)
    res["machine"]["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report = write_report(res)
    (RESULTS / "monitor.md").write_text(report, encoding="utf-8")
    (RESULTS / "monitor.json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()

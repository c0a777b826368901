"""Ecosystems beyond Python and npm: sbomkit vs Trivy, Syft and cdxgen on the same inputs.

For every ecosystem corpus (assembled into ``benchmarks/work/ecosystems/<name>/``) each tool
is timed exactly like ``run.py`` does (warm-up, then ``--repeat`` interleaved runs, median)
and its SBOM is compared with sbomkit's by normalized purl: how many purls both report,
how many only one side reports, and the Jaccard agreement |both| / |either|.

Inputs, in order of preference:

* real files from ``../shared/data/spdx-examples`` (go.mod/go.sum, Cargo.lock, pom.xml,
  Gemfile.lock of the SPDX example projects);
* real files from Debian packages fetched with ``apt-get download`` (go.mod/go.sum of four
  Go libraries) and real artifacts already on this machine (Go executables, the JARs in
  ``/usr/share/java``);
* the "valid" fixtures of our own test suite (``tests/testdata``) for formats of which no
  real file is reachable here (crates.io, Maven Central, Packagist, NuGet, pub.dev, Hex,
  CocoaPods, Hackage, CRAN and Conan are not reachable from this machine).

Writes ``benchmarks/results/ecosystems.{md,json}``.

    .venv/bin/python benchmarks/ecosystems.py [--repeat 3] [--corpus go-mod rust ...]
                                              [--tools sbomkit trivy syft cdxgen]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import peers  # noqa: E402
import run  # noqa: E402
from truth import normalize_purl  # noqa: E402

SHARED = peers.ROOT.parent / "shared" / "data"
TESTDATA = peers.ROOT / "tests" / "testdata"
WORK = peers.WORK / "ecosystems"
DEBS = peers.CACHE / "debs"
RESULTS = HERE / "results"
LIST_MAX = 25  # differing purls listed per (corpus, peer) in the markdown

# Types whose names are case-insensitive in their registries: compare them lowercased.
CASELESS = {"golang", "nuget", "composer", "cocoapods", "hackage"}


# ----------------------------------------------------------------------------- corpora


@dataclass(frozen=True)
class Part:
    """Files copied into one sub-folder of a corpus."""

    label: str  # sub-folder name
    origin: str  # where it comes from, for the table header
    files: tuple[tuple[Path, str], ...]  # (source, path inside the sub-folder)


@dataclass(frozen=True)
class Corpus:
    name: str
    artifacts: bool  # binaries/archives: Trivy is run as `rootfs`, which reads them
    parts: tuple[Part, ...]


def _tree(src: Path) -> tuple[tuple[Path, str], ...]:
    if not src.exists():
        raise SystemExit(f"[ecosystems] missing input {src}: is ../shared/data checked out?")
    if src.is_file():
        return ((src, src.name),)
    return tuple((p, str(p.relative_to(src))) for p in sorted(src.rglob("*")) if p.is_file())


def testdata(*rels: str) -> Part:
    files = tuple((src, f"{rel}/{inner}") for rel in rels for src, inner in _tree(TESTDATA / rel))
    return Part("fixtures", "sbomkit test fixtures: " + ", ".join(rels), files)


def shared(label: str, rel: str, names: tuple[str, ...] | None = None) -> Part:
    files = _tree(SHARED / rel)
    if names is not None:
        files = tuple(f for f in files if f[1] in names)
    return Part(label, f"../shared/data/{rel}", files)


def machine(label: str, paths: list[str]) -> Part | None:
    found = tuple((Path(p), Path(p).name) for p in paths if Path(p).is_file())
    if not found:
        return None
    return Part(label, "on this machine: " + ", ".join(str(p) for p, _ in found), found)


def debian(label: str, package: str, suffixes: tuple[str, ...]) -> Part | None:
    """Files ending with one of ``suffixes`` from a Debian package (apt-get download)."""
    dest = DEBS / package
    if not dest.exists():
        DEBS.mkdir(parents=True, exist_ok=True)
        res = subprocess.run(
            ["apt-get", "download", package],
            cwd=DEBS,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        debs = sorted(DEBS.glob(f"{package}_*.deb"))
        if res.returncode != 0 or not debs:
            print(f"[ecosystems] skipped {package}: {res.stderr.strip()[-200:]}", file=sys.stderr)
            return None
        tmp = dest.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(["dpkg-deb", "-x", str(debs[-1]), str(tmp)], check=True)
        tmp.rename(dest)
    files = tuple(
        (p, p.name) for p in sorted(dest.rglob("*")) if p.is_file() and p.name.endswith(suffixes)
    )
    return Part(label, f"Debian package {package}", files) if files else None


def real_jars() -> Part | None:
    java = Path("/usr/share/java")
    jars = sorted(p for p in java.glob("*.jar") if p.is_file() and not p.is_symlink())
    if not jars:
        return None
    return Part("usr-share-java", f"{java}: {len(jars)} JARs from Debian packages", _files(jars))


def _files(paths: list[Path]) -> tuple[tuple[Path, str], ...]:
    return tuple((p, p.name) for p in paths)


GO_BINARIES = [
    "/usr/local/bin/docker",
    "/usr/lib/google-cloud-sdk/bin/kubectl",
    "/usr/lib/google-cloud-sdk/bin/kpt",
    "/usr/lib/google-cloud-sdk/bin/gke-gcloud-auth-plugin",
]
GO_LIBRARIES = [
    "golang-github-prometheus-client-golang-dev",
    "golang-github-go-git-go-git-dev",
    "golang-github-gin-gonic-gin-dev",
    "golang-github-minio-minio-go-v7-dev",
]


def corpora() -> list[Corpus]:
    def parts(*items: Part | None) -> tuple[Part, ...]:
        return tuple(p for p in items if p is not None)

    ex = "spdx-examples/software"
    go_libs = [
        debian(p.removeprefix("golang-").removesuffix("-dev"), p, ("go.mod", "go.sum"))
        for p in GO_LIBRARIES
    ]
    return [
        Corpus(
            "go-mod",
            False,
            parts(
                shared("spdx-example7", f"{ex}/example7/content/src/hello"),
                *go_libs,
                testdata("go-mod/realistic"),
            ),
        ),
        Corpus(
            "go-binary",
            True,
            parts(machine("machine", GO_BINARIES), testdata("go-binary/hello")),
        ),
        Corpus(
            "cargo",
            False,
            parts(
                shared("spdx-example11", f"{ex}/example11/content/src"),
                testdata("cargo-lock/workspace-real", "cargo-lock/v3-scopes"),
            ),
        ),
        Corpus("rust-binary", True, parts(testdata("cargo-auditable/elf-real"))),
        Corpus(
            "maven",
            False,
            parts(
                shared("spdx-example8", f"{ex}/example8/content/examplemaven", ("pom.xml",)),
                testdata("maven-pom/realistic", "maven-pom/interpolation"),
            ),
        ),
        Corpus(
            "gradle",
            False,
            parts(
                testdata(
                    "gradle-lockfile/realistic",
                    "gradle-lockfile/buildscript",
                    "gradle-verification/realistic",
                )
            ),
        ),
        Corpus(
            "java-archive",
            True,
            parts(
                real_jars(),
                testdata(
                    "java-archive/greeter",
                    "java-archive/fat",
                    "java-archive/war",
                    "java-archive/ear",
                ),
            ),
        ),
        Corpus(
            "ruby",
            False,
            parts(
                shared("spdx-example12", f"{ex}/example12/content/hello", ("Gemfile.lock",)),
                testdata("gemfile-lock/realistic", "gemfile-lock/checksums"),
            ),
        ),
        Corpus("php", False, parts(testdata("composer-lock/realistic"))),
        Corpus(
            "dotnet",
            False,
            parts(
                testdata(
                    "packages-lock/aspnet-app",
                    "packages-lock/v2-central",
                    "deps-json/console-app",
                    "packages-config/legacy-app",
                    "msbuild-project/cpm",
                    "msbuild-project/plain",
                )
            ),
        ),
        Corpus("dart", False, parts(testdata("pubspec-lock/realistic"))),
        Corpus("elixir", False, parts(testdata("mix-lock/realistic"))),
        Corpus(
            "swift",
            False,
            parts(
                testdata(
                    "package-resolved/v1",
                    "package-resolved/v2",
                    "package-resolved/v3",
                    "podfile-lock/realistic",
                )
            ),
        ),
        Corpus("haskell", False, parts(testdata("cabal-freeze/realistic", "stack-lock/realistic"))),
        Corpus("r", False, parts(testdata("renv-lock/realistic"))),
        Corpus(
            "cpp",
            False,
            parts(testdata("conan-lock/v1", "conan-lock/v2", "vcpkg-manifest/realistic")),
        ),
    ]


def assemble(corpus: Corpus) -> Path:
    dest = WORK / corpus.name
    shutil.rmtree(dest, ignore_errors=True)
    for part in corpus.parts:
        for src, inner in part.files:
            target = dest / part.label / inner
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def describe(corpus: Corpus) -> str:
    files = sum(len(p.files) for p in corpus.parts)
    origins = "; ".join(p.origin for p in corpus.parts)
    return f"{files} files. {origins}"


# ----------------------------------------------------------------------------- agreement


def normalize(purl: str) -> str:
    p = normalize_purl(purl)
    ptype = p[4:].partition("/")[0]
    if p.startswith("pkg:golang/stdlib@"):
        # The same Go release: go1.22.1 (Syft, sbomkit), v1.22.1 (Trivy), 1.22.1 (OSV)
        p = "pkg:golang/stdlib@" + p.partition("@")[2].removeprefix("go").removeprefix("v")
    return p.lower() if ptype in CASELESS else p


def purl_set(path: Path) -> set[str]:
    return {normalize(p) for p in peers.read_purls(path)} if path.exists() else set()


@dataclass
class Agreement:
    corpus: str
    tool: str
    purls: int
    both: int
    only_sbomkit: list[str]
    only_tool: list[str]

    @property
    def jaccard(self) -> float:
        union = self.both + len(self.only_sbomkit) + len(self.only_tool)
        return self.both / union if union else 1.0


def agreements(rows: list[run.Row], names: list[str]) -> list[Agreement]:
    out: list[Agreement] = []
    for cname in names:
        mine = purl_set(run.OUT / "sbomkit" / f"{cname}.json")
        for row in rows:
            if row.corpus != cname or row.tool == "sbomkit" or row.status != "ok":
                continue
            theirs = purl_set(run.OUT / row.tool / f"{cname}.json")
            out.append(
                Agreement(
                    cname,
                    row.tool,
                    len(theirs),
                    len(mine & theirs),
                    sorted(mine - theirs),
                    sorted(theirs - mine),
                )
            )
    return out


# ----------------------------------------------------------------------------- report

HEADERS = [
    "corpus",
    "tool",
    "purls",
    "same as sbomkit",
    "only sbomkit",
    "only tool",
    "agreement",
    "wall s",
    "time sbomkit/tool",
    "mem sbomkit/tool",
]


def table(rows: list[run.Row], agree: list[Agreement]) -> list[list[str]]:
    by = {(a.corpus, a.tool): a for a in agree}
    out = []
    for r in rows:
        if r.status != "ok":
            out.append([r.corpus, r.tool, "", "", "", "", "", r.status, "", ""])
            continue
        a = by.get((r.corpus, r.tool))
        out.append(
            [
                r.corpus,
                r.tool,
                str(r.components),
                str(a.both) if a else "-",
                str(len(a.only_sbomkit)) if a else "-",
                str(len(a.only_tool)) if a else "-",
                f"{a.jaccard:.2f}" if a else "-",
                run._f(r.wall_s, ".2f"),
                run._f(r.time_ratio, ".2f"),
                run._f(r.mem_ratio, ".2f"),
            ]
        )
    return out


def _listing(purls: list[str]) -> str:
    shown = ", ".join(f"`{p}`" for p in purls[:LIST_MAX])
    more = len(purls) - LIST_MAX
    return shown + (f" and {more} more" if more > 0 else "")


def markdown(rows: list[run.Row], agree: list[Agreement], meta: dict[str, Any], notes: str) -> str:
    lines = ["# sbomkit benchmark: ecosystems beyond Python and npm", ""]
    lines.append(
        f"Run {meta['date']} on {meta['machine']}; {meta['repeat']} measured runs per cell "
        "after one warm-up run, median shown. `purls` = distinct normalized purls in the "
        "tool's SBOM; `agreement` = purls both report / purls either reports (1.00 = the "
        "same set). Ratios are sbomkit / tool: below 1 = sbomkit faster or smaller. "
        f"Load average before: {meta['loadavg_before']}, after: {meta['loadavg_after']}."
    )
    lines.append("")
    lines.append(
        "Most formats here have no real-world file reachable from this machine (only PyPI, "
        "npm and Debian are), so several corpora are our own test fixtures: agreement on "
        "them shows how the tools read the format, not how they do on a large project."
    )
    lines.append("")
    for cname, info in meta["corpora"].items():
        lines.append(f"- **{cname}**: {info}")
    lines.append("")
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|" + "|".join("---" for _ in HEADERS) + "|")
    lines.extend("| " + " | ".join(c or " " for c in r) + " |" for r in table(rows, agree))
    lines.append("")
    lines.append("Tool settings:")
    lines.append("")
    for name, s in meta["settings"].items():
        lines.append(f"- {name}: `{s}`")
    lines.append("")
    if notes:
        lines.append(notes.rstrip())
        lines.append("")
    lines.append("## Differences, per corpus and peer")
    lines.append("")
    for a in agree:
        if not a.only_sbomkit and not a.only_tool:
            continue
        lines.append(f"### {a.corpus} vs {a.tool}")
        lines.append("")
        if a.only_sbomkit:
            lines.append(f"- only sbomkit ({len(a.only_sbomkit)}): {_listing(a.only_sbomkit)}")
        if a.only_tool:
            lines.append(f"- only {a.tool} ({len(a.only_tool)}): {_listing(a.only_tool)}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "3")))
    ap.add_argument("--corpus", nargs="*", default=None, help="default: all")
    ap.add_argument("--tools", nargs="*", default=["sbomkit", "trivy", "syft", "cdxgen"])
    ap.add_argument("--timeout", type=float, default=600.0, help="per run, seconds")
    ap.add_argument("--slow", type=float, default=60.0)
    args = ap.parse_args(argv)

    selected = [c for c in corpora() if args.corpus is None or c.name in args.corpus]
    if not selected:
        ap.error(f"no corpus among {args.corpus}")
    peers.WORK.mkdir(parents=True, exist_ok=True)
    info: dict[str, str] = {}
    rows: list[run.Row] = []
    load_before = os.getloadavg()
    started = run.dt.datetime.now(run.dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    settings: dict[str, str] = {}
    for artifacts in (False, True):
        group = [c for c in selected if c.artifacts == artifacts]
        if not group:
            continue
        tools = [
            t
            for t in peers.all_tools(trivy_mode="rootfs" if artifacts else "fs")
            if t.name in args.tools
        ]
        for t in tools:
            key = f"{t.name} (binaries, archives)" if artifacts and t.name == "trivy" else t.name
            settings[key] = t.settings
        targets = {}
        for c in group:
            targets[c.name] = assemble(c)
            info[c.name] = describe(c)
        rows += run.run_all(tools, targets, args.repeat, args.timeout, 0.02, args.slow)
    order = [c.name for c in selected]
    rows.sort(key=lambda r: (order.index(r.corpus), r.tool != "sbomkit"))
    agree = agreements(rows, order)
    meta: dict[str, Any] = {
        "date": started,
        "machine": run.machine(),
        "repeat": args.repeat,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "corpora": info,
        "settings": settings,
    }
    notes_file = HERE / "ecosystems_notes.md"
    notes = notes_file.read_text() if notes_file.exists() else ""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ecosystems.json").write_text(
        json.dumps(
            {
                "meta": meta,
                "rows": [asdict(r) for r in rows],
                "agreement": [asdict(a) | {"jaccard": a.jaccard} for a in agree],
            },
            indent=2,
        )
        + "\n"
    )
    (RESULTS / "ecosystems.md").write_text(markdown(rows, agree, meta, notes))
    for r in table(rows, agree):
        print("  ".join(f"{c:>10}" for c in r))
    print(f"wrote {RESULTS / 'ecosystems.md'} and {RESULTS / 'ecosystems.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Accuracy: does each tool report exactly the lockfile's components?

For every realistic corpus (``benchmarks/corpus/realistic/*``) and the demo project, the
ground truth is read straight from the lockfiles by ``truth.py`` (an independent reader
that shares no code with sbomkit). sbomkit, Trivy, Syft and cdxgen are run on the same
directory; their purls are normalized (qualifiers stripped, %-escapes decoded, PEP 503
names) and compared with the truth as sets.

Every disagreement is listed with who is right and why: classified automatically from
what the lockfile says about the package (dev-only, platform marker, optional, ...), or,
for the cases no rule explains, by the hand-written table in ``accuracy_notes.md``.

Writes ``benchmarks/results/accuracy.md`` and ``accuracy.json``.

    .venv/bin/python benchmarks/accuracy.py [--tools ...] [--corpus NAME ...] [--strict]

``--strict`` exits 1 when sbomkit's set differs from the truth anywhere.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import peers  # noqa: E402
from truth import Entry, find_lockfiles, normalize_purl, truth_for_dir  # noqa: E402

RESULTS = HERE / "results"
NOTES = HERE / "accuracy_notes.md"
OUT = peers.WORK / "accuracy"
RUN_OUT = peers.WORK / "out"  # run.py's SBOMs
LIST_MAX = 60  # purls listed per group in accuracy.md; accuracy.json has all of them
# lockfile kinds each tool was seen to read (filled corpus by corpus; monorepo comes last)
READ_KINDS: defaultdict[str, set[str]] = defaultdict(set)
LOCK_LABEL = {
    "npm": "package-lock.json",
    "uv": "uv.lock",
    "poetry": "poetry.lock",
    "requirements": "requirements.txt",
}


@dataclass
class Finding:
    tool: str
    corpus: str
    kind: str  # missing | extra
    purl: str
    category: str
    right: str  # who is right
    why: str


@dataclass
class Result:
    tool: str
    corpus: str
    status: str = "ok"
    truth: int = 0
    found: int = 0
    missing: int = 0
    extra: int = 0
    findings: list[Finding] = field(default_factory=list)


# ----------------------------------------------------------------------------- notes


@dataclass
class Note:
    tool: str
    corpus: str
    purl: str
    right: str
    why: str

    def matches(self, f: Finding) -> bool:
        return (
            fnmatch.fnmatchcase(f.tool, self.tool)
            and fnmatch.fnmatchcase(f.corpus, self.corpus)
            and (
                fnmatch.fnmatchcase(f"{f.kind}:{f.purl}", self.purl)
                or fnmatch.fnmatchcase(f.category, self.purl)
            )
        )


def load_notes(path: Path = NOTES) -> list[Note]:
    """Rows of the markdown table(s) in accuracy_notes.md.

    Columns: tool glob | corpus glob | ``kind:purl`` glob or category glob | right | why.
    """
    notes: list[Note] = []
    if not path.exists():
        return notes
    for line in path.read_text().splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not line.lstrip().startswith("|"):
            continue
        if cells[0] in ("tool", "") or set(cells[0]) <= set("-: "):
            continue
        notes.append(Note(*cells))
    return notes


# ----------------------------------------------------------------------------- classify


def project_names(root: Path) -> dict[str, str]:
    """Names of the first-party projects -> "root" (manifest in the scanned dir) or "nested"."""
    names: dict[str, str] = {}
    for p in [*root.rglob("package.json"), *root.rglob("pyproject.toml")]:
        if "node_modules" in p.parts:
            continue
        try:
            if p.name == "package.json":
                n = json.loads(p.read_text()).get("name")
            else:
                data = tomllib.loads(p.read_text())
                n = data.get("project", {}).get("name") or data.get("tool", {}).get(
                    "poetry", {}
                ).get("name")
        except (ValueError, OSError):
            continue
        if n:
            where = "root" if p.parent == root else "nested"
            for ptype in ("npm", "pypi"):
                key = normalize_purl(f"pkg:{ptype}/{n}").split("/", 1)[1]
                if names.get(key) != "root":
                    names[key] = where
    return names


def _base(purl: str) -> str:
    """purl without version: ``pkg:npm/@a/b@1`` -> ``pkg:npm/@a/b``."""
    body = purl[4:]
    head, slash, last = body.rpartition("/")
    return "pkg:" + head + slash + last.split("@", 1)[0]


def classify(
    tool: peers.Tool,
    corpus_name: str,
    truth: dict[str, Entry],
    by_lockfile: dict[str, set[str]],
    lock_kind: dict[str, str],
    found: dict[str, str],
    projects: dict[str, str],
    notes: list[Note],
) -> list[Finding]:
    findings: list[Finding] = []
    found_bases = defaultdict(set)
    for p in found:
        found_bases[_base(p)].add(p)
    truth_bases = defaultdict(set)
    for p in truth:
        truth_bases[_base(p)].add(p)
    # Which lockfile kinds (and which single lockfiles) did the tool read at all? Judged on
    # the purls that only that kind (lockfile) pins, since shared purls prove nothing.
    owners: dict[str, set[str]] = defaultdict(set)
    for lf, purls in by_lockfile.items():
        for p in purls:
            owners[p].add(lf)
    kinds_of = {p: {lock_kind[lf] for lf in lfs} for p, lfs in owners.items()}
    unread_kinds: set[str] = set()
    for kind in set(lock_kind.values()):
        exclusive = {p for p, ks in kinds_of.items() if ks == {kind}}
        if exclusive and not exclusive & found.keys():
            unread_kinds.add(kind)
        elif exclusive:
            READ_KINDS[tool.name].add(kind)
    skipped_files = {
        lf
        for lf, purls in by_lockfile.items()
        if (own := {p for p in purls if owners[p] == {lf}}) and not own & found.keys()
    }
    for p in sorted(set(truth) - found.keys()):
        e = truth[p]
        f = Finding(tool.name, corpus_name, "missing", p, "", "lockfile", "")
        kinds = kinds_of[p]
        label = " / ".join(sorted(LOCK_LABEL[k] for k in kinds))
        if kinds <= unread_kinds and kinds <= READ_KINDS[tool.name]:
            f.category = f"skips {label} in this tree"
            f.right = "?"
            f.why = (
                f"{tool.name} reads {label} in other corpora but reported none of the "
                "packages only these files pin; see accuracy_notes.md"
            )
        elif kinds <= unread_kinds:
            f.category = f"does not read {label}"
            f.why = (
                f"{tool.name} {tool.version} reported none of the packages that only {label} "
                "pins: no cataloger for this lockfile format"
            )
        elif owners[p] <= skipped_files:
            f.category = f"skips some {label} files"
            f.right = "?"
            f.why = (
                f"{tool.name} reads {label} but reported none of the packages only this file "
                "pins; see accuracy_notes.md"
            )
        elif found_bases.get(_base(p)):
            other = ", ".join(sorted(found_bases[_base(p)]))
            f.category = "other version reported"
            f.why = f"lockfile pins {p}; tool reported {other} instead"
        elif e.dev:
            f.category = "drops dev-only dependency"
            f.why = (
                "only reachable from the dev dependency group; the lockfile pins it and "
                "the tool was asked to include dev dependencies"
            )
        elif e.platform:
            f.category = "drops platform-specific dependency"
            f.why = (
                f"installed only where `{e.platform}`; a lockfile-based SBOM must list "
                "what the (universal) lockfile pins, not what this host would install"
            )
        elif e.python_only:
            f.category = "drops python-version-specific dependency"
            f.why = f"installed only where `{e.python_only}`; the lockfile still pins it"
        elif e.optional:
            f.category = "drops optional dependency"
            f.why = "marked optional in the lockfile; still pinned there"
        else:
            f.category = "unexplained"
            f.right = "?"
            f.why = "no rule explains it; see accuracy_notes.md"
        findings.append(f)
    for p in sorted(found.keys() - set(truth)):
        f = Finding(tool.name, corpus_name, "extra", p, "", "lockfile", "")
        name = p.split("/", 1)[1].rsplit("@", 1)[0] if "@" in p[5:] else p.split("/", 1)[1]
        ctype = found[p] or "?"
        if projects.get(name) == "root":
            f.category = f"reports the scanned project itself (type {ctype})"
            f.why = (
                "the scanned project is not one of its own dependencies; CycloneDX puts it "
                "in metadata.component"
            )
        elif name in projects and ctype == "application":
            f.category = "lists a nested first-party project (type application)"
            f.right = "both (modelling choice)"
            f.why = (
                "not a lockfile package, but the scan covers several first-party projects and "
                "CycloneDX has only one metadata.component; the others as type=application "
                "components is a legitimate model (compare purl sets on libraries only to "
                "ignore it)"
            )
        elif name in projects:
            f.category = f"lists a nested first-party project (type {ctype})"
            f.why = (
                "a first-party sub-project is not a dependency; typed as a library it reads "
                "like a third-party package"
            )
        elif truth_bases.get(_base(p)):
            f.category = "other version reported"
            f.why = f"lockfile pins {', '.join(sorted(truth_bases[_base(p)]))}, not this version"
        elif not p.startswith(("pkg:npm/", "pkg:pypi/")):
            f.category = "non-lockfile component"
            f.why = "not a package of any lockfile (other file or ecosystem type)"
        else:
            f.category = "unexplained"
            f.right = "?"
            f.why = "not in any lockfile; see accuracy_notes.md"
        findings.append(f)
    for f in findings:
        for n in notes:
            if n.matches(f):
                f.right, f.why = n.right, n.why
                if f.category == "unexplained":
                    f.category = "explained in notes"
                break
    return findings


# ----------------------------------------------------------------------------- running


def corpora(selected: list[str] | None) -> dict[str, Path]:
    sets = {d.name: d for d in sorted(corpus.REALISTIC.iterdir()) if d.is_dir()}
    demo = corpus.small_project()
    if demo.is_dir():
        sets["demo-project"] = demo
    for mono in (corpus.MONOREPO, corpus.MONOREPO_SHARED):
        if (mono.parent / f"{mono.name}.json").exists():
            sets[mono.name] = mono
    if selected:
        sets = {k: v for k, v in sets.items() if k in selected}
    return sets


def run_tool(tool: peers.Tool, target: Path, out: Path) -> str:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    log = out.with_suffix(".log")
    with log.open("wb") as fh:
        try:
            res = subprocess.run(
                tool.command(target, out),
                env=tool.environ(),
                cwd=peers.WORK,
                stdout=fh,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=900,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return "timeout"
    if res.returncode != 0 or not out.exists():
        return f"failed (rc={res.returncode}, see {log.relative_to(HERE)})"
    return "ok"


def reused_output(tool: peers.Tool, cname: str, target: Path) -> Path | None:
    """The monorepo SBOM run.py just wrote, when it is newer than the monorepo itself."""
    if cname not in ("monorepo", "monorepo-shared"):
        return None
    out = RUN_OUT / tool.name / f"{cname}.json"
    stamp = target.parent / f"{cname}.json"
    if out.exists() and stamp.exists() and out.stat().st_mtime > stamp.stat().st_mtime:
        return out
    return None


def evaluate(tools: list[peers.Tool], sets: dict[str, Path]) -> list[Result]:
    notes = load_notes()
    results: list[Result] = []
    for cname, target in sets.items():
        per_lock = truth_for_dir(target)
        truth: dict[str, Entry] = {}
        by_lockfile: dict[str, set[str]] = {}
        lock_kind = {str(p): k for p, k in find_lockfiles(target)}
        for path, entries in per_lock.items():
            purls = {normalize_purl(e.purl) for e in entries}
            by_lockfile[str(path)] = purls
            for e in entries:
                truth.setdefault(normalize_purl(e.purl), e)
        projects = project_names(target)
        for tool in tools:
            r = Result(tool.name, cname, truth=len(truth))
            results.append(r)
            if not tool.installed:
                r.status = "not installed"
                continue
            out = OUT / tool.name / f"{cname}.json"
            reuse = reused_output(tool, cname, target)
            if reuse:
                out = reuse
                print(f"[accuracy] {tool.name} on {cname}: {out}", file=sys.stderr, flush=True)
            elif cname == "monorepo-shared":  # optional corpus: only what run.py measured
                r.status = "not run (run.py --corpus monorepo-shared)"
                continue
            else:
                print(f"[accuracy] {tool.name} on {cname}", file=sys.stderr, flush=True)
                r.status = run_tool(tool, target, out)
            if r.status != "ok":
                continue
            found: dict[str, str] = {}
            for purl, ctype in peers.read_components(out):
                found.setdefault(normalize_purl(purl), ctype)
            r.found = len(found)
            r.findings = classify(
                tool, cname, truth, by_lockfile, lock_kind, found, projects, notes
            )
            r.missing = sum(f.kind == "missing" for f in r.findings)
            r.extra = sum(f.kind == "extra" for f in r.findings)
    return results


# ----------------------------------------------------------------------------- reporting


def summary_rows(results: list[Result]) -> list[list[str]]:
    rows = []
    for r in results:
        if r.status != "ok":
            rows.append([r.corpus, r.tool, str(r.truth), r.status, "", "", ""])
            continue
        exact = "yes" if not r.findings else "no"
        rows.append(
            [r.corpus, r.tool, str(r.truth), str(r.found), str(r.missing), str(r.extra), exact]
        )
    return rows


HEADERS = ["corpus", "tool", "lockfile purls", "tool purls", "missing", "extra", "exact"]


def pairwise(results: list[Result]) -> list[list[str]]:
    """sbomkit vs each peer per corpus: purls only one of the two reports."""
    by: dict[tuple[str, str], Result] = {(r.corpus, r.tool): r for r in results}
    rows = []
    for (cname, tool), r in by.items():
        sk = by.get((cname, "sbomkit"))
        if tool == "sbomkit" or not sk or sk.status != "ok" or r.status != "ok":
            continue
        sk_set = _found_set(sk)
        peer_set = _found_set(r)
        rows.append([cname, tool, str(len(sk_set - peer_set)), str(len(peer_set - sk_set))])
    return rows


def _found_set(r: Result) -> set[str]:
    # found = truth - missing + extra (truth itself is shared per corpus)
    missing = {f.purl for f in r.findings if f.kind == "missing"}
    extra = {f.purl for f in r.findings if f.kind == "extra"}
    return (TRUTH_CACHE[r.corpus] - missing) | extra


TRUTH_CACHE: dict[str, set[str]] = {}


def grouped(results: list[Result]) -> dict[tuple[str, str, str, str, str, str], list[str]]:
    """(corpus, tool, kind, category, right, why-template) -> purls."""
    groups: dict[tuple[str, str, str, str, str, str], list[str]] = defaultdict(list)
    for r in results:
        for f in r.findings:
            why = re.sub(r"`[^`]*`", "`marker`", f.why) if "installed only" in f.why else f.why
            why = re.sub(
                r"lockfile pins \S+; tool reported .*", "lockfile pins another version", why
            )
            why = re.sub(
                r"lockfile pins .*, not this version", "lockfile pins another version", why
            )
            groups[(f.corpus, f.tool, f.kind, f.category, f.right, why)].append(f.purl)
    return groups


def markdown(results: list[Result], tools: list[peers.Tool]) -> str:
    lines = ["# sbomkit benchmark: accuracy against the lockfiles", ""]
    lines.append(
        "Ground truth = the lockfile's own package list (benchmarks/truth.py). purls "
        "normalized: qualifiers stripped, %-escapes decoded, PEP 503 names, npm names lowercased."
    )
    lines.append("")
    lines.append("Tools: " + ", ".join(f"{t.name} {t.version}" for t in tools))
    lines.append("")
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|" + "|".join("---" for _ in HEADERS) + "|")
    lines.extend("| " + " | ".join(r) + " |" for r in summary_rows(results))
    lines.append("")
    pw = pairwise(results)
    if pw:
        lines.append("## sbomkit vs each peer (purls only one side reports)")
        lines.append("")
        lines.append("| corpus | peer | only sbomkit | only peer |")
        lines.append("|---|---|---|---|")
        lines.extend("| " + " | ".join(r) + " |" for r in pw)
        lines.append("")
    lines.append("## Every disagreement with the lockfile, who is right and why")
    lines.append("")
    groups = grouped(results)
    if not groups:
        lines.append("None: every tool reported exactly the lockfile content.")
    for (cname, tool, kind, cat, right, why), purls in sorted(groups.items()):
        lines.append(
            f"- **{cname} / {tool}** — {len(purls)} {kind}: *{cat}*. Right: **{right}**. {why}"
        )
        shown = sorted(purls)[:LIST_MAX]
        more = (
            f" ... and {len(purls) - LIST_MAX} more (accuracy.json)"
            if len(purls) > LIST_MAX
            else ""
        )
        lines.append(f"  - {', '.join(f'`{p}`' for p in shown)}{more}")
    lines.append("")
    return "\n".join(lines)


def print_report(results: list[Result]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        for r in summary_rows(results):
            print("  ".join(r))
    else:
        table = Table(title="accuracy vs lockfile content")
        for h in HEADERS:
            table.add_column(h)
        for row in summary_rows(results):
            table.add_row(*row)
        Console(width=160).print(table)
    for (cname, tool, kind, cat, right, why), purls in sorted(grouped(results).items()):
        sample = ", ".join(sorted(purls)[:4]) + (" ..." if len(purls) > 4 else "")
        print(f"- {cname}/{tool}: {len(purls)} {kind} [{cat}] right={right}: {why}\n    {sample}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--tools", nargs="*", default=["sbomkit", "trivy", "syft", "cdxgen"])
    ap.add_argument("--corpus", nargs="*", default=None)
    ap.add_argument("--strict", action="store_true", help="exit 1 if sbomkit != lockfile")
    args = ap.parse_args(argv)
    peers.WORK.mkdir(parents=True, exist_ok=True)
    tools = [t for t in peers.all_tools() if t.name in args.tools]
    sets = corpora(args.corpus)
    for cname, target in sets.items():
        TRUTH_CACHE[cname] = {
            normalize_purl(e.purl) for es in truth_for_dir(target).values() for e in es
        }
    results = evaluate(tools, sets)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "accuracy.md").write_text(markdown(results, tools))
    payload: dict[str, Any] = {
        "tools": {t.name: t.version for t in tools},
        "results": [{k: v for k, v in asdict(r).items() if k != "findings"} for r in results],
        "disagreements": [
            {
                "corpus": c,
                "tool": t,
                "kind": k,
                "category": cat,
                "right": right,
                "why": why,
                "purls": sorted(purls),
            }
            for (c, t, k, cat, right, why), purls in sorted(grouped(results).items())
        ],
    }
    (RESULTS / "accuracy.json").write_text(json.dumps(payload, indent=2) + "\n")
    print_report(results)
    print(f"wrote {RESULTS / 'accuracy.md'}")
    bad = [r for r in results if r.tool == "sbomkit" and (r.status != "ok" or r.findings)]
    return 1 if args.strict and bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

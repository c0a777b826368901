"""License benchmark: normalization share, detection precision/recall, ScanCode comparison.

Everything it installs goes into benchmarks/tools/licenses/ (gitignored, throwaway):
a venv with 100+ real PyPI packages, a node_modules with real npm packages, the npm
``spdx-license-list`` package (the SPDX license texts, CC0: the test corpus). Detection uses
the SPDX texts installed by ``sbomkit license-texts update`` (make's bootstrap puts them in
the venv); without them the benchmark stops and says so. ScanCode is the one
benchmarks/tools.sh installs (benchmarks/tools/scancode-venv); without it its column says
why. Writes benchmarks/results/licenses.json and .md and prints the table.

    python benchmarks/license_bench.py [--setup-only] [--no-scancode]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PEERS = Path(os.environ.get("SBOMKIT_BENCH_TOOLS", HERE / "tools"))  # benchmarks/tools.sh
TOOLS = HERE / "tools" / "licenses"
RESULTS = HERE / "results"
SHARED = HERE.parent.parent / "shared" / "data"

PYPI = [
    "requests",
    "urllib3",
    "idna",
    "certifi",
    "charset-normalizer",
    "six",
    "python-dateutil",
    "pytz",
    "tzdata",
    "pyyaml",
    "attrs",
    "jinja2",
    "markupsafe",
    "click",
    "packaging",
    "setuptools",
    "wheel",
    "pip",
    "filelock",
    "platformdirs",
    "typing-extensions",
    "pydantic",
    "pydantic-core",
    "annotated-types",
    "numpy",
    "pandas",
    "scipy",
    "pillow",
    "cryptography",
    "cffi",
    "pycparser",
    "rsa",
    "pyasn1",
    "pyasn1-modules",
    "cachetools",
    "google-auth",
    "protobuf",
    "grpcio",
    "botocore",
    "boto3",
    "s3transfer",
    "jmespath",
    "docutils",
    "pygments",
    "rich",
    "markdown-it-py",
    "mdurl",
    "tomli",
    "tomlkit",
    "toml",
    "more-itertools",
    "zipp",
    "importlib-metadata",
    "decorator",
    "wrapt",
    "psutil",
    "lxml",
    "beautifulsoup4",
    "soupsieve",
    "html5lib",
    "webencodings",
    "bleach",
    "chardet",
    "colorama",
    "tqdm",
    "sqlalchemy",
    "greenlet",
    "alembic",
    "mako",
    "flask",
    "werkzeug",
    "itsdangerous",
    "blinker",
    "fastapi",
    "starlette",
    "anyio",
    "sniffio",
    "h11",
    "httpx",
    "httpcore",
    "uvicorn",
    "websockets",
    "aiohttp",
    "yarl",
    "multidict",
    "frozenlist",
    "aiosignal",
    "async-timeout",
    "redis",
    "pymysql",
    "psycopg2-binary",
    "paramiko",
    "bcrypt",
    "pynacl",
    "pyjwt",
    "oauthlib",
    "requests-oauthlib",
    "isodate",
    "networkx",
    "sympy",
    "mpmath",
    "regex",
    "joblib",
    "threadpoolctl",
    "scikit-learn",
    "matplotlib",
    "cycler",
    "kiwisolver",
    "pyparsing",
    "fonttools",
    "contourpy",
    "openpyxl",
    "et-xmlfile",
    "xlrd",
    "tabulate",
    "termcolor",
    "pluggy",
    "iniconfig",
    "pytest",
    "coverage",
    "mock",
    "execnet",
    "pexpect",
    "ptyprocess",
    "traitlets",
    "wcwidth",
    "prompt-toolkit",
    "jsonschema",
    "referencing",
    "rpds-py",
    "jsonschema-specifications",
    "msgpack",
    "simplejson",
    "ujson",
    "orjson",
    "lz4",
    "zstandard",
    "brotli",
    "pycryptodome",
    "docopt",
    "tenacity",
    "sortedcontainers",
    "distlib",
    "virtualenv",
    "identify",
    "nodeenv",
    "cfgv",
    "pre-commit",
    "babel",
    "polib",
    "gunicorn",
    "gevent",
    "zope-interface",
    "zope-event",
    "pyzmq",
    "tornado",
]

NPM = [
    "lodash",
    "express",
    "react",
    "react-dom",
    "chalk",
    "commander",
    "debug",
    "moment",
    "axios",
    "uuid",
    "yargs",
    "minimist",
    "semver",
    "glob",
    "rimraf",
    "mkdirp",
    "async",
    "bluebird",
    "underscore",
    "jquery",
    "webpack",
    "typescript",
    "eslint",
    "prettier",
    "jest",
    "mocha",
    "request",
    "body-parser",
    "cors",
    "dotenv",
    "ws",
    "socket.io",
    "redux",
    "classnames",
    "prop-types",
    "inquirer",
    "ora",
    "fs-extra",
    "node-fetch",
    "rxjs",
    "zone.js",
    "core-js",
    "tslib",
    "@babel/core",
    "esbuild",
    "rollup",
    "vite",
    "date-fns",
    "dayjs",
]


def run(cmd: list[str], cwd: Path | None = None, timeout: int = 1800) -> bool:
    print("+", " ".join(cmd[:6]), "..." if len(cmd) > 6 else "", file=sys.stderr)
    try:
        done = subprocess.run(cmd, cwd=cwd, timeout=timeout, capture_output=True, text=True)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"  failed: {e}", file=sys.stderr)
        return False
    if done.returncode != 0:
        print(f"  failed ({done.returncode}): {done.stderr[-800:]}", file=sys.stderr)
    return done.returncode == 0


def setup_pypi() -> Path:
    venv = TOOLS / "pkgs-venv"
    pip = venv / "bin" / "pip"
    if not pip.exists():
        run([sys.executable, "-m", "venv", str(venv)])
    marker = venv / ".installed"
    if not marker.exists():
        base = [str(pip), "install", "-q", "--disable-pip-version-check", "--only-binary", ":all:"]
        if not run([*base, *PYPI]):
            for name in PYPI:  # one bad wheel must not cost the other packages
                run([*base, name], timeout=600)
        marker.touch()
    return next((venv / "lib").glob("python3*/site-packages"))


def setup_npm() -> Path:
    node = TOOLS / "node"
    node.mkdir(parents=True, exist_ok=True)
    if not (node / "package.json").exists():
        (node / "package.json").write_text('{"name": "bench", "private": true}\n')
    if not (node / "node_modules" / "spdx-license-list").exists():
        cmd = ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts"]
        run([*cmd, "spdx-license-list@6", *NPM], cwd=node)
    return node / "node_modules"


def find_scancode() -> tuple[Path | None, str]:
    """ScanCode as benchmarks/tools.sh installs it, or None and why not."""
    exe = PEERS / "scancode-venv" / "bin" / "scancode"
    try:
        done = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        log = PEERS / "scancode-install.log"
        why = log.read_text().strip().splitlines()[-1:] if log.exists() else []
        return None, f"not installed ({e.__class__.__name__}); " + (
            f"install log: {why[0][:300]}" if why else "run: bash benchmarks/tools.sh"
        )
    if done.returncode != 0:
        return None, f"not usable: scancode --version failed: {done.stderr.strip()[-300:]}"
    return exe, done.stdout.splitlines()[0].removeprefix("ScanCode version: ")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--setup-only", action="store_true")
    ap.add_argument("--no-scancode", action="store_true")
    args = ap.parse_args()
    texts = installed_texts()
    if texts is None:
        return 1
    TOOLS.mkdir(parents=True, exist_ok=True)
    site = setup_pypi()
    node_modules = setup_npm()
    scancode, version = (None, "not run (--no-scancode)")
    if not args.no_scancode:
        scancode, version = find_scancode()
    if args.setup_only:
        print(site, node_modules, scancode, version)
        return 0
    result = {
        "normalization": bench_normalize(),
        "spdx_texts": bench_spdx_texts(node_modules / "spdx-license-list" / "licenses", texts),
        "installed_files": bench_files(site, node_modules, scancode, version),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "licenses.json").write_text(json.dumps(result, indent=2) + "\n")
    table = markdown(result)
    (RESULTS / "licenses.md").write_text(table)
    print(table)
    return 0


def installed_texts() -> dict[str, object] | None:
    """The SPDX texts detection uses, as ``sbomkit license-texts status`` finds them."""
    from sbomkit.licenses.text_store import find, searched

    found = find()
    if found is None:
        where = ", ".join(map(str, searched()))
        print(
            f"SPDX license texts are not installed (searched: {where}); run "
            "`.venv/bin/sbomkit license-texts update` (make's bootstrap does it)",
            file=sys.stderr,
        )
        return None
    return {
        "package": f"spdx-license-list {found.version}",
        "used_for_detection": len(found.detection),
        "chosen_against": f"licensedcode-data {found.licensedcode}",
    }


def bench_normalize() -> dict[str, object]:
    from sbomkit.licenses.normalize import spdx_expression

    table = HERE.parent / "tests" / "testdata" / "licenses" / "strings.tsv"
    rows = [line.split("\t") for line in table.read_text().splitlines()[1:]]
    unknown = [text for _, text, _ in rows if spdx_expression(text) is None]
    return {
        "strings": len(rows),
        "normalized_share": round(1 - len(unknown) / len(rows), 3),
        "unknown": unknown,
    }


@dataclass(frozen=True)
class Answer:
    name: str  # the SPDX id of a list text, or a license file's path
    accepted: set[str]  # ids that count as right
    top: str | None  # the first license detected (in reading order)
    confidence: float
    expression: str | None


def _scored(answers: list[Answer]) -> dict[str, object]:
    from sbomkit.licenses.detect import HIGH

    reported = [a for a in answers if a.top is not None]
    correct = [a for a in reported if a.top in a.accepted]
    high = [a for a in reported if a.confidence >= HIGH]
    return {
        "files": len(answers),
        "precision": round(len(correct) / max(1, len(reported)), 3),
        "recall": round(len(correct) / max(1, len(answers)), 3),
        "high_confidence": len(high),
        "high_confidence_wrong": [(a.name, a.top) for a in high if a.top not in a.accepted],
    }


def _answer(name: str, accepted: set[str], text: str) -> Answer:
    from sbomkit.licenses.detect import detect_text

    d = detect_text(text)
    top = d.matches[0].spdx_id if d.matches else None
    return Answer(name, accepted, top, d.confidence, d.expression)


def bench_spdx_texts(folder: Path, installed: dict[str, object]) -> dict[str, object]:
    """Every license text of the SPDX list (npm spdx-license-list) against the detector.
    Ids whose texts are identical count as one answer; deprecated ids are left out. The
    installed SPDX texts detection uses are the very texts tested, so the ids matched
    against licensedcode-data's independent texts alone are also scored on their own."""
    from sbomkit.licenses.detect import words
    from sbomkit.licenses.texts import spdx_list_texts

    listing = json.loads((SHARED / "spdx-license-list/json/licenses.json").read_text())
    deprecated = {lic["licenseId"] for lic in listing["licenses"] if lic["isDeprecatedLicenseId"]}
    texts = {
        f.stem: json.loads(f.read_text())["licenseText"] for f in sorted(folder.glob("*.json"))
    }
    same: dict[str, set[str]] = {}
    for spdx_id, text in texts.items():
        same.setdefault(" ".join(words(text)), set()).add(spdx_id)
    used = {r.spdx_id for r in spdx_list_texts()}
    start = time.perf_counter()
    answers = [
        _answer(spdx_id, same[" ".join(words(text))], text)
        for spdx_id, text in texts.items()
        if spdx_id not in deprecated
    ]
    seconds = time.perf_counter() - start
    out = _scored(answers)
    independent = _scored([a for a in answers if not a.accepted & used])
    out["licensedcode_texts_only"] = {
        k: v for k, v in independent.items() if k != "high_confidence_wrong"
    }
    out["installed_spdx_texts"] = installed | {"used_for_detection": len(used)}
    out["seconds"] = round(seconds, 2)
    return out


def _declared_files(site: Path, node_modules: Path) -> list[tuple[Path, str]]:
    """(license file, declared SPDX id) for packages that declare exactly one id."""
    from importlib import metadata

    from sbomkit.licenses.files import license_files
    from sbomkit.licenses.normalize import spdx_expression

    out: list[tuple[Path, str]] = []
    for dist in metadata.distributions(path=[str(site)]):
        declared = dist.metadata.get("License-Expression") or dist.metadata.get("License") or ""
        for c in dist.metadata.get_all("Classifier") or []:
            declared = declared if spdx_expression(declared) else c
        expr = spdx_expression(declared)
        info = getattr(dist, "_path", None)
        if expr and " " not in expr and info is not None:
            out += [(site / rel, expr) for rel in license_files(site, Path(info).name)]
    for manifest in sorted(node_modules.glob("*/package.json")):
        lic = json.loads(manifest.read_text()).get("license")
        expr = spdx_expression(lic) if isinstance(lic, str) else None
        if expr and " " not in expr:
            folder = manifest.parent
            out += [(node_modules / rel, expr) for rel in license_files(node_modules, folder.name)]
    return out


def bench_files(
    site: Path, node_modules: Path, scancode: Path | None, version: str
) -> dict[str, object]:
    files = _declared_files(site, node_modules)
    answers = [_answer(str(p), {d}, p.read_text(errors="replace")) for p, d in files]
    out = _scored(answers)
    out["declared_among_detected"] = _among(answers, [_ids(a.expression) for a in answers])
    out["seconds_cold"] = _cold_seconds([p for p, _ in files])
    if scancode is None:
        out["scancode"] = {"version": version}
    else:
        out["scancode"] = _scancode(scancode, version, files, answers, out["seconds_cold"])
    return out


def _ids(expression: str | None) -> set[str]:
    """The license and exception ids an expression names, lower-cased."""
    return set(re.findall(r"[A-Za-z0-9.+-]+", expression or "")) - {"AND", "OR", "WITH"}


def _among(answers: list[Answer], found: list[set[str]]) -> float:
    """Share of files whose declared id is one of the ids detected in them."""
    hits = sum(1 for a, ids in zip(answers, found, strict=True) if a.accepted & ids)
    return round(hits / max(1, len(answers)), 3)


def _cold_seconds(paths: list[Path]) -> float:
    """sbomkit's time for all files in a fresh process, imports and index building included,
    as ScanCode's is measured."""
    code = (
        "import sys\n"
        "from sbomkit.licenses.detect import detect_text\n"
        "for p in sys.stdin.read().splitlines():\n"
        "    detect_text(open(p, encoding='utf-8', errors='replace').read())\n"
    )
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code], input="\n".join(map(str, paths)), text=True, check=True
    )
    return round(time.perf_counter() - start, 2)


def _scancode(
    exe: Path,
    version: str,
    files: list[tuple[Path, str]],
    answers: list[Answer],
    ours: float,
) -> dict[str, object]:
    """ScanCode on copies of the same files (one process, as sbomkit): the share of files
    where both find the same licenses, and the time ratio."""
    work = TOOLS / "scancode-input"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    names = []
    for i, (path, _) in enumerate(files):
        names.append(f"{i:05d}-{path.name}")
        (work / names[-1]).write_bytes(path.read_bytes())
    out = TOOLS / "scancode.json"
    start = time.perf_counter()
    ok = run([str(exe), "-l", "-n", "1", "--quiet", "--json", str(out), str(work)], timeout=3600)
    theirs = time.perf_counter() - start
    if not ok:
        return {"version": version, "error": "scancode run failed (see stderr)"}
    found = {
        Path(f["path"]).name: f.get("detected_license_expression_spdx")
        for f in json.loads(out.read_text())["files"]
        if f.get("type") == "file"
    }
    theirs_ids = [_ids(found.get(n)) for n in names]
    ours_ids = [_ids(a.expression) for a in answers]
    same = sum(1 for a, b in zip(ours_ids, theirs_ids, strict=True) if a == b)
    return {
        "version": version,
        "agreement": round(same / max(1, len(files)), 3),
        "declared_among_detected": _among(answers, theirs_ids),
        "seconds": round(theirs, 1),
        "time_ratio_sbomkit_over_scancode": round(ours / max(theirs, 1e-6), 3),
    }


def markdown(result: dict[str, Any]) -> str:
    """The printed table: one row per corpus and tool, then the ScanCode ratios."""
    norm, spdx, files = result["normalization"], result["spdx_texts"], result["installed_files"]
    only, installed = spdx["licensedcode_texts_only"], spdx["installed_spdx_texts"]
    sc = files["scancode"]
    rows = [
        "| corpus | tool | files | precision | recall | high-confidence | high-conf. wrong |",
        "|---|---|---:|---:|---:|---:|---:|",
        _row("SPDX list texts", "sbomkit", spdx),
        _row(
            "  of which not among the installed SPDX texts",
            "sbomkit",
            {**only, "high_confidence_wrong": []},
        ),
        _row("installed LICENSE files", "sbomkit", files),
    ]
    lines = [
        "# License benchmark",
        "",
        f"Normalization: {norm['normalized_share']:.1%} of {norm['strings']} real-world "
        f"strings map to an SPDX expression ({len(norm['unknown'])} stay unknown).",
        "",
        *rows,
        "",
        f"SPDX list texts detection uses beside licensedcode-data (it lacks or differs): "
        f"{installed['used_for_detection']}, installed from {installed['package']} "
        "(`sbomkit license-texts update`).",
        "",
        "| installed LICENSE files | sbomkit | ScanCode " + sc["version"] + " |",
        "|---|---:|---:|",
        f"| declared id among detected | {files['declared_among_detected']:.3f} | "
        + (f"{sc['declared_among_detected']:.3f} |" if "agreement" in sc else "- |"),
        f"| seconds (fresh process, 1 core) | {files['seconds_cold']:.1f} | "
        + (f"{sc['seconds']:.1f} |" if "agreement" in sc else "- |"),
    ]
    if "agreement" in sc:
        lines += [
            "",
            f"Agreement (same set of license ids per file): {sc['agreement']:.3f}; "
            f"time ratio sbomkit/ScanCode: {sc['time_ratio_sbomkit_over_scancode']:.3f}.",
        ]
    return "\n".join(lines) + "\n"


def _row(corpus: str, tool: str, r: dict[str, Any]) -> str:
    wrong = len(r["high_confidence_wrong"])
    return (
        f"| {corpus} | {tool} | {r['files']} | {r['precision']:.3f} | {r['recall']:.3f} | "
        f"{r['high_confidence']} | {wrong} |"
    )


if __name__ == "__main__":
    sys.exit(main())

"""License benchmark: normalization share, detection precision/recall, ScanCode comparison.

Everything it installs goes into benchmarks/tools/licenses/ (gitignored, throwaway):
a venv with 100+ real PyPI packages, a node_modules with real npm packages, the npm
``spdx-license-list`` package (the SPDX license texts, CC0) and, when it installs,
scancode-toolkit in a venv of its own. Writes benchmarks/results/licenses.json and .md.

    python benchmarks/license_bench.py [--setup-only] [--no-scancode]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
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


def setup_scancode() -> Path | None:
    venv = TOOLS / "scancode-venv"
    exe = venv / "bin" / "scancode"
    if not exe.exists():
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(venv / "bin" / "pip"), "install", "-q", "scancode-toolkit"], timeout=3000)
    return exe if exe.exists() else None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--setup-only", action="store_true")
    ap.add_argument("--no-scancode", action="store_true")
    args = ap.parse_args()
    TOOLS.mkdir(parents=True, exist_ok=True)
    site = setup_pypi()
    node_modules = setup_npm()
    scancode = None if args.no_scancode else setup_scancode()
    if args.setup_only:
        print(site, node_modules, scancode)
        return 0
    result = {
        "normalization": bench_normalize(),
        "spdx_texts": bench_spdx_texts(node_modules / "spdx-license-list" / "licenses"),
        "installed_files": bench_files(site, node_modules, scancode),
    }
    if scancode is None:
        result["scancode"] = "scancode-toolkit could not be installed (pip failed); no comparison"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "licenses.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


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


def _scored(pairs: list[tuple[str, set[str], str | None, float]]) -> dict[str, object]:
    """pairs: (name, acceptable ids, detected top id, confidence)."""
    from sbomkit.licenses.detect import HIGH

    reported = [p for p in pairs if p[2] is not None]
    correct = [p for p in reported if p[2] in p[1]]
    high_wrong = [(p[0], p[2]) for p in reported if p[2] not in p[1] and p[3] >= HIGH]
    return {
        "files": len(pairs),
        "precision": round(len(correct) / max(1, len(reported)), 3),
        "recall": round(len(correct) / max(1, len(pairs)), 3),
        "high_confidence_wrong": high_wrong,
    }


def bench_spdx_texts(folder: Path) -> dict[str, object]:
    """Every license text of the SPDX list (npm spdx-license-list) against the detector.
    Ids whose texts are identical count as one answer; deprecated ids are left out."""
    from sbomkit.licenses.detect import detect_text, words

    deprecated = {
        lic["licenseId"]
        for lic in json.loads((SHARED / "spdx-license-list/json/licenses.json").read_text())[
            "licenses"
        ]
        if lic["isDeprecatedLicenseId"]
    }
    texts = {
        f.stem: json.loads(f.read_text())["licenseText"] for f in sorted(folder.glob("*.json"))
    }
    same: dict[str, set[str]] = {}
    for spdx_id, text in texts.items():
        same.setdefault(" ".join(words(text)), set()).add(spdx_id)
    pairs = []
    start = time.perf_counter()
    for spdx_id, text in texts.items():
        if spdx_id in deprecated:
            continue
        d = detect_text(text)
        top = d.matches[0].spdx_id if d.matches else None
        pairs.append((spdx_id, same[" ".join(words(text))], top, d.confidence))
    out = _scored(pairs)
    out["seconds"] = round(time.perf_counter() - start, 2)
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


def bench_files(site: Path, node_modules: Path, scancode: Path | None) -> dict[str, object]:
    from sbomkit.licenses.detect import detect_text

    files = _declared_files(site, node_modules)
    pairs = []
    start = time.perf_counter()
    for path, declared in files:
        d = detect_text(path.read_text(errors="replace"))
        top = d.matches[0].spdx_id if d.matches else None
        pairs.append((str(path), {declared}, top, d.confidence))
    ours = time.perf_counter() - start
    out = _scored(pairs)
    out["seconds"] = round(ours, 2)
    if scancode is not None:
        out["scancode"] = _scancode(scancode, pairs, ours)
    return out


def _scancode(exe: Path, pairs: list[tuple[str, set[str], str | None, float]], ours: float):  # type: ignore[no-untyped-def]
    """Run ScanCode on the same files; agreement = same top SPDX id, as a share."""
    work = TOOLS / "scancode-input"
    work.mkdir(exist_ok=True)
    listing = []
    for i, (path, _, _, _) in enumerate(pairs):
        target = work / f"{i:05d}-{Path(path).name}"
        if not target.exists():
            target.write_bytes(Path(path).read_bytes())
        listing.append(target)
    out = TOOLS / "scancode.json"
    start = time.perf_counter()
    ok = run([str(exe), "-l", "-n", "2", "--json", str(out), str(work)], timeout=3600)
    theirs = time.perf_counter() - start
    if not ok:
        return "scancode run failed"
    found = {}
    for f in json.loads(out.read_text())["files"]:
        expr = f.get("detected_license_expression_spdx")
        if expr:
            found[Path(f["path"]).name] = expr
    agree = sum(
        1 for (_, _, top, _), t in zip(pairs, listing, strict=True) if found.get(t.name) == top
    )
    return {
        "agreement": round(agree / max(1, len(pairs)), 3),
        "time_ratio_scancode_over_sbomkit": round(theirs / max(ours, 1e-6), 1),
        "scancode_seconds": round(theirs, 1),
    }


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark corpora for ``make bench``.

Three corpora:

* ``small``      -- the repository's committed example, ``examples/demo-project``.
* ``realistic``  -- lockfiles resolved ONCE against the real registries and committed under
  ``benchmarks/corpus/realistic/<name>/`` (lockfile + manifest only). ``python
  benchmarks/corpus.py realistic`` regenerates them (needs npm, network to the registries,
  and uv + poetry, which it installs into a throwaway venv under /tmp).
* ``monorepo``   -- generated at bench time (never committed) into
  ``benchmarks/work/monorepo``: >= 200 sub-projects, each a copy of one realistic
  lockfile+manifest in which every package is renamed with a per-project suffix
  (``lodash`` -> ``lodash-m017``, ``@babel/core`` -> ``@babel/core-m017``), consistently
  across lockfile and manifest, so the files stay valid and the union of all components is
  as large as their sum. Seeded and deterministic.

Usage::

    python benchmarks/corpus.py monorepo [--projects 200] [--min-components 20000] [--seed 7]
    python benchmarks/corpus.py realistic   # (re)generate the committed lockfiles (network)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "corpus"
REALISTIC = CORPUS / "realistic"
DEMO_PROJECT = ROOT / "examples" / "demo-project"
WORK = HERE / "work"
MONOREPO = WORK / "monorepo"
MONOREPO_SHARED = WORK / "monorepo-shared"
LOCKGEN_VENV = Path(os.environ.get("SBOMKIT_BENCH_LOCKGEN", "/tmp/sbomkit-lockgen"))

LOCKFILE_NAMES = ("package-lock.json", "uv.lock", "poetry.lock", "requirements.txt")


# --------------------------------------------------------------------------------------
# Realistic sets: the recipe used to resolve them once (kept for reproducibility).
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NpmSet:
    name: str
    description: str
    deps: tuple[str, ...]
    dev_deps: tuple[str, ...] = ()


@dataclass(frozen=True)
class PySet:
    name: str
    tool: str  # "uv" | "poetry" | "pip-compile"
    pyproject: str
    extra_files: dict[str, str] = field(default_factory=dict)


NPM_SETS: tuple[NpmSet, ...] = (
    NpmSet(
        "npm-webapp",
        "web app: express API + next/react front end",
        (
            "express",
            "react",
            "react-dom",
            "next",
            "axios",
            "lodash",
            "dayjs",
            "zod",
            "@tanstack/react-query",
            "clsx",
            "cookie-parser",
            "helmet",
            "cors",
            "morgan",
            "jsonwebtoken",
            "bcryptjs",
            "pg",
            "dotenv",
            "uuid",
        ),
        ("typescript", "@types/react", "@types/node", "@types/express"),
    ),
    NpmSet(
        "npm-toolchain",
        "build toolchain: webpack, babel, jest, eslint, prettier (all devDependencies)",
        (),
        (
            "webpack",
            "babel-loader",
            "@babel/core",
            "@babel/preset-env",
            "eslint",
            "prettier",
            "jest",
        ),
    ),
    NpmSet("npm-express", "small express API server", ("express",)),
    NpmSet(
        "npm-cli",
        "command-line tool",
        (
            "commander",
            "chalk",
            "inquirer",
            "yargs",
            "ora",
            "execa",
            "fs-extra",
            "glob",
            "semver",
            "listr2",
            "cosmiconfig",
            "boxen",
            "update-notifier",
            "conf",
        ),
    ),
)

UV_PYPROJECT = """\
[project]
name = "py-uv-service"
version = "0.1.0"
description = "Realistic FastAPI + data service used as an SBOM benchmark corpus"
requires-python = ">=3.11"
dependencies = [
  "fastapi>=0.110",
  "uvicorn[standard]>=0.29",
  "sqlalchemy>=2.0",
  "alembic>=1.13",
  "pandas>=2.2",
  "boto3>=1.34",
  "httpx>=0.27",
  "pydantic-settings>=2.2",
  "celery[redis]>=5.3",
  "structlog>=24.1",
]

[dependency-groups]
dev = [
  "pytest>=8.0",
  "pytest-cov>=5.0",
  "mypy>=1.10",
  "ruff>=0.4",
  "moto>=5.0",
]
"""

POETRY_PYPROJECT = """\
[tool.poetry]
name = "py-poetry-webapp"
version = "0.1.0"
description = "Realistic Django web application used as an SBOM benchmark corpus"
authors = ["sbomkit benchmarks <bench@example.invalid>"]
package-mode = false

[tool.poetry.dependencies]
python = "^3.11"
django = "^5.0"
djangorestframework = "^3.15"
celery = "^5.3"
requests = "^2.31"
psycopg = {version = "^3.1", extras = ["binary"]}
pillow = "^10.3"
gunicorn = "^22.0"
boto3 = "^1.34"
django-storages = "^1.14"
sentry-sdk = "^2.0"
scikit-learn = "^1.4"

[tool.poetry.group.dev.dependencies]
pytest = "^8.0"
pytest-django = "^4.8"
black = "^24.4"
flake8 = "^7.0"
factory-boy = "^3.3"
ipython = "^8.24"

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
"""

PY_SETS: tuple[PySet, ...] = (
    PySet("py-uv-service", "uv", UV_PYPROJECT),
    PySet("py-poetry-webapp", "poetry", POETRY_PYPROJECT),
    PySet("py-requirements", "pip-compile", "requests\nclick\nrich\npyyaml\n"),
)


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(cmd), f"(in {cwd})", file=sys.stderr)
    subprocess.run(cmd, cwd=cwd, check=True, env={**os.environ, **(env or {})})


def _npm_lock(dest: Path, name: str, deps: Iterable[str], dev: Iterable[str]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for f in ("package.json", "package-lock.json"):
        (dest / f).unlink(missing_ok=True)
    manifest = {"name": name, "version": "1.0.0", "private": True}
    (dest / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    # Real-world lockfiles carry "resolved" URLs; this machine's npmrc omits them by default.
    base = [
        "npm",
        "install",
        "--package-lock-only",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--omit-lockfile-registry-resolved=false",
    ]
    deps, dev = list(deps), list(dev)
    if deps:
        _run([*base, *deps], dest)
    if dev:
        _run([*base, "--save-dev", *dev], dest)


def _lockgen_tools() -> Path:
    py = LOCKGEN_VENV / "bin" / "python"
    if not py.exists():
        _run([sys.executable, "-m", "venv", str(LOCKGEN_VENV)], Path("/tmp"))
    if not (LOCKGEN_VENV / "bin" / "poetry").exists() or not (LOCKGEN_VENV / "bin" / "uv").exists():
        _run([str(LOCKGEN_VENV / "bin" / "pip"), "install", "-q", "uv", "poetry"], Path("/tmp"))
    return LOCKGEN_VENV / "bin"


_POETRY_MIRROR = """
[[tool.poetry.source]]
name = "mirror"
url = "https://pypi.org/simple/"
priority = "primary"
"""


def _strip_poetry_sources(lock_text: str) -> str:
    """Drop the ``[package.source]`` tables that a simple-API source adds."""
    out: list[str] = []
    skipping = False
    for line in lock_text.splitlines():
        if line.strip() == "[package.source]":
            skipping = True
            continue
        if skipping:
            if line.startswith("[") or line.startswith("[["):
                skipping = False
            else:
                continue
        out.append(line)
    text = "\n".join(out) + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)


def poetry_content_hash(pyproject: dict[str, Any]) -> str:
    """Poetry 2.x ``metadata.content-hash`` (same algorithm as poetry's Locker)."""
    project = pyproject.get("project", {})
    groups = pyproject.get("dependency-groups", {})
    tool_poetry = pyproject.get("tool", {}).get("poetry", {})
    relevant_project = {
        k: project[k]
        for k in ("requires-python", "dependencies", "optional-dependencies")
        if project.get(k) is not None
    }
    relevant_poetry: dict[str, Any] = {}
    for key in ("dependencies", "source", "extras", "dev-dependencies", "group"):
        data = tool_poetry.get(key)
        if data is None and (
            key not in ("dependencies", "source", "extras", "dev-dependencies")
            or relevant_project
            or groups
        ):
            continue
        relevant_poetry[key] = data
    content: dict[str, Any] = {}
    if relevant_project:
        content["project"] = relevant_project
    if groups:
        content["dependency-groups"] = groups
    if content:
        content["tool"] = {"poetry": relevant_poetry}
    else:
        content = relevant_poetry
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _set_poetry_hash(lock_text: str, pyproject_text: str) -> str:
    digest = poetry_content_hash(tomllib.loads(pyproject_text))
    return re.sub(r'(?m)^content-hash = "[0-9a-f]*"$', f'content-hash = "{digest}"', lock_text)


def _py_lock(dest: Path, spec: PySet, bindir: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for f in ("pyproject.toml", "uv.lock", "poetry.lock", "requirements.txt"):
        (dest / f).unlink(missing_ok=True)
    if spec.tool == "uv":
        (dest / "pyproject.toml").write_text(spec.pyproject)
        _run([str(bindir / "uv"), "lock", "--index-url", "https://pypi.org/simple"], dest)
        return
    if spec.tool == "pip-compile":
        (dest / "requirements.in").write_text(spec.pyproject)
        _run(
            [
                str(bindir / "uv"),
                "pip",
                "compile",
                "--index-url",
                "https://pypi.org/simple",
                "--python-version",
                "3.11",
                "--no-header",
                "--generate-hashes",
                "requirements.in",
                "-o",
                "requirements.txt",
            ],
            dest,
        )
        return
    # Poetry's default PyPI source uses the JSON API, which the registry proxy here does not
    # serve; resolve through the simple API, then remove the temporary source again and
    # recompute the content-hash so that the committed pair is exactly what a plain
    # `poetry lock` against PyPI writes.
    (dest / "pyproject.toml").write_text(spec.pyproject + _POETRY_MIRROR)
    _run([str(bindir / "poetry"), "lock"], dest)
    (dest / "pyproject.toml").write_text(spec.pyproject)
    lock = _strip_poetry_sources((dest / "poetry.lock").read_text())
    (dest / "poetry.lock").write_text(_set_poetry_hash(lock, spec.pyproject))
    _run([str(bindir / "poetry"), "check", "--lock"], dest)


def generate_realistic(only: set[str] | None = None) -> None:
    bindir = _lockgen_tools()
    for s in NPM_SETS:
        if not only or s.name in only:
            _npm_lock(REALISTIC / s.name, s.name, s.deps, s.dev_deps)
    for p in PY_SETS:
        if not only or p.name in only:
            _py_lock(REALISTIC / p.name, p, bindir)
    for d in sorted(REALISTIC.iterdir()):
        print(f"{d.name}: {count_components(d)} components", file=sys.stderr)


def small_project() -> Path:
    """The small corpus: the repository's committed example project."""
    return DEMO_PROJECT


# --------------------------------------------------------------------------------------
# Counting (sum over lockfiles, each lockfile's entries as the independent reader sees them)
# --------------------------------------------------------------------------------------


def count_components(path: Path) -> int:
    from truth import truth_for_dir  # local import: truth.py lives beside this file

    return sum(len(v) for v in truth_for_dir(path).values())


# --------------------------------------------------------------------------------------
# Monorepo: consistent per-project renaming
# --------------------------------------------------------------------------------------

_NPM_URL = re.compile(r"^(?P<base>.*?/)(?P<name>(?:@[^/]+/)?[^/]+)/-/(?P<file>[^/]+)$")
_REQ_NAME = re.compile(r"^(\s*)([A-Za-z0-9][A-Za-z0-9._-]*)")


def _npm_rename(name: str, sfx: str) -> str:
    return f"{name}{sfx}"


def _rename_keys(d: dict[str, Any], fn: Callable[[str], str]) -> dict[str, Any]:
    return {fn(k): v for k, v in d.items()}


_NPM_DEP_FIELDS = (
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
    "peerDependenciesMeta",
)


def _npm_path_rename(key: str, fn: Callable[[str], str]) -> str:
    if not key:
        return key
    parts = key.split("node_modules/")
    out = [parts[0]]
    for seg in parts[1:]:
        trail = "/" if seg.endswith("/") else ""
        out.append(fn(seg.rstrip("/")) + trail)
    return "node_modules/".join(out)


def perturb_npm(src: Path, dest: Path, sfx: str, project: str) -> None:
    def fn(n: str) -> str:
        return _npm_rename(n, sfx)

    manifest = json.loads((src / "package.json").read_text())
    manifest["name"] = project
    for f in _NPM_DEP_FIELDS:
        if f in manifest:
            manifest[f] = _rename_keys(manifest[f], fn)
    lock = json.loads((src / "package-lock.json").read_text())
    lock["name"] = project
    packages: dict[str, Any] = {}
    for key, entry in lock.get("packages", {}).items():
        entry = dict(entry)
        if key == "":
            entry["name"] = project
        elif "name" in entry:
            entry["name"] = fn(entry["name"])
        for f in _NPM_DEP_FIELDS:
            if f in entry:
                entry[f] = _rename_keys(entry[f], fn)
        resolved = entry.get("resolved")
        if isinstance(resolved, str) and (m := _NPM_URL.match(resolved)):
            old = m["name"]
            base_old = old.rsplit("/", 1)[-1]
            new = fn(old)
            base_new = new.rsplit("/", 1)[-1]
            file = m["file"]
            if file.startswith(base_old + "-"):
                file = base_new + file[len(base_old) :]
            entry["resolved"] = f"{m['base']}{new}/-/{file}"
        packages[_npm_path_rename(key, fn)] = entry
    lock["packages"] = packages
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (dest / "package-lock.json").write_text(json.dumps(lock, indent=2) + "\n")


def _py_rename(name: str, sfx: str) -> str:
    return f"{name}{sfx}"


def _rename_requirement(req: str, sfx: str, keep: frozenset[str] = frozenset()) -> str:
    m = _REQ_NAME.match(req)
    if not m or m.group(2).lower() in keep:
        return req
    return m.group(1) + _py_rename(m.group(2), sfx) + req[m.end() :]


def _rename_pyproject(text: str, sfx: str, project: str) -> str:
    """Rename the project and every dependency in a PEP 621 / Poetry pyproject."""
    out: list[str] = []
    section = ""
    in_array = False
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("["):
            section = s.strip("[]")
            in_array = False
            out.append(line)
            continue
        if section in ("project", "tool.poetry") and re.match(r'^name\s*=\s*"', s):
            out.append(f'name = "{project}"')
            continue
        if section == "project" and re.match(r"^dependencies\s*=\s*\[", s):
            in_array = True
            out.append(line)
            continue
        if section == "dependency-groups" and re.match(r"^[\w-]+\s*=\s*\[", s):
            in_array = True
            out.append(line)
            continue
        if in_array:
            if s.startswith("]"):
                in_array = False
                out.append(line)
                continue
            m = re.match(r'^(\s*)"([^"]*)"(.*)$', line)
            if m:
                out.append(f'{m[1]}"{_rename_requirement(m[2], sfx)}"{m[3]}')
                continue
        if section.startswith("tool.poetry") and section.endswith("dependencies"):
            m = re.match(r'^(\s*)("?)([A-Za-z0-9][A-Za-z0-9._-]*)\2(\s*=.*)$', line)
            if m and m[3].lower() != "python":
                out.append(f"{m[1]}{m[2]}{_py_rename(m[3], sfx)}{m[2]}{m[4]}")
                continue
        out.append(line)
    return "\n".join(out) + "\n"


def perturb_uv(src: Path, dest: Path, sfx: str, project: str) -> None:
    text = (src / "uv.lock").read_text()
    root = _uv_root_names(text)

    def repl(m: re.Match[str]) -> str:
        name = m.group(2)
        new = project if name in root else _py_rename(name, sfx)
        return f'{m.group(1)}name = "{new}"'

    text = re.sub(r'(^|[{\s,])name = "([^"]+)"', repl, text, flags=re.M)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "uv.lock").write_text(text)
    (dest / "pyproject.toml").write_text(
        _rename_pyproject((src / "pyproject.toml").read_text(), sfx, project)
    )


def _uv_root_names(text: str) -> set[str]:
    data = tomllib.loads(text)
    return {
        p["name"]
        for p in data.get("package", [])
        if {"virtual", "editable"} & set(p.get("source", {}))
    }


def perturb_poetry(src: Path, dest: Path, sfx: str, project: str) -> None:
    out: list[str] = []
    section = ""
    for line in (src / "poetry.lock").read_text().splitlines():
        s = line.strip()
        if s.startswith("["):
            section = s
            out.append(line)
            continue
        if section == "[[package]]" and (m := re.match(r'^name = "([^"]+)"$', s)):
            out.append(f'name = "{_py_rename(m[1], sfx)}"')
            continue
        if section == "[package.dependencies]":
            m = re.match(r'^("?)([A-Za-z0-9][A-Za-z0-9._-]*)\1(\s*=.*)$', line)
            if m:
                out.append(f"{m[1]}{_py_rename(m[2], sfx)}{m[1]}{m[3]}")
                continue
        if section == "[package.extras]" and (m := re.match(r"^([\w.-]+\s*=\s*)\[(.*)\]$", s)):
            items = re.findall(r'"((?:[^"\\]|\\.)*)"', m[2])
            renamed = ", ".join(f'"{_rename_requirement(i, sfx)}"' for i in items)
            out.append(f"{m[1]}[{renamed}]")
            continue
        out.append(line)
    pyproject = _rename_pyproject((src / "pyproject.toml").read_text(), sfx, project)
    lock = _set_poetry_hash("\n".join(out) + "\n", pyproject)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "poetry.lock").write_text(lock)
    (dest / "pyproject.toml").write_text(pyproject)


def perturb_requirements(src: Path, dest: Path, sfx: str, project: str) -> None:
    out: list[str] = []
    for line in (src / "requirements.txt").read_text().splitlines():
        s = line.lstrip()
        if not s or s.startswith(("#", "-", "--")):
            out.append(line)
        else:
            out.append(_rename_requirement(line, sfx))
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "requirements.txt").write_text("\n".join(out) + "\n")


@dataclass(frozen=True)
class Base:
    """One lockfile (+ manifest) that monorepo sub-projects are copied from."""

    key: str
    src: Path
    kind: str  # npm | uv | poetry | requirements
    weight: int


def monorepo_bases() -> list[Base]:
    bases: list[Base] = []
    weights = {
        "npm-toolchain": 1,
        "npm-webapp": 2,
        "npm-cli": 2,
        "py-uv-service": 3,
        "py-poetry-webapp": 3,
        "npm-express": 3,
        "py-requirements": 2,
    }
    for d in sorted(REALISTIC.iterdir()) if REALISTIC.is_dir() else []:
        kind = _kind_of(d)
        if kind:
            bases.append(Base(d.name, d, kind, weights.get(d.name, 2)))
    return bases


def _kind_of(d: Path) -> str | None:
    if (d / "package-lock.json").exists():
        return "npm"
    if (d / "uv.lock").exists():
        return "uv"
    if (d / "poetry.lock").exists():
        return "poetry"
    if (d / "requirements.txt").exists():
        return "requirements"
    return None


PERTURB: dict[str, Callable[[Path, Path, str, str], None]] = {
    "npm": perturb_npm,
    "uv": perturb_uv,
    "poetry": perturb_poetry,
    "requirements": perturb_requirements,
}


def generate_monorepo(
    dest: Path = MONOREPO,
    projects: int = 200,
    min_components: int = 20_000,
    seed: int = 7,
    shared: bool = False,
) -> dict[str, Any]:
    """Build the monorepo; returns its manifest (also written to ``dest/../<name>.json``).

    ``shared``: keep the package names (only the project names change), so the sub-projects
    share their dependencies the way a real monorepo's do; the distinct purls are then only
    the union of the realistic sets.
    """
    from truth import truth_for_dir

    bases = monorepo_bases()
    if not bases:
        raise SystemExit("no realistic lockfiles under benchmarks/corpus/realistic")
    sizes = {
        b.key: sum(len(v) for v in truth_for_dir(b.src, kinds={b.kind}).values()) for b in bases
    }
    fingerprint = json.dumps(
        {
            "projects": projects,
            "min": min_components,
            "seed": seed,
            "sizes": sizes,
            "shared": shared,
        },
        sort_keys=True,
    )
    meta_path = dest.parent / f"{dest.name}.json"
    if dest.is_dir() and meta_path.exists():
        meta: dict[str, Any] = json.loads(meta_path.read_text())
        if meta.get("fingerprint") == fingerprint:
            return meta
    if dest.exists():
        shutil.rmtree(dest)
    rng = random.Random(seed)
    total = 0
    listing: list[dict[str, Any]] = []
    i = 0
    # Every base appears at least once, then seeded weighted choice until both targets hold.
    order = list(bases)
    while i < projects or total < min_components:
        base = order[i] if i < len(order) else rng.choices(bases, [b.weight for b in bases])[0]
        sfx = f"-m{i:03d}"
        group = "apps" if base.kind == "npm" else "services"
        name = f"{base.key}{sfx}"
        sub = dest / group / name
        PERTURB[base.kind](base.src, sub, "" if shared else sfx, name)
        total += sizes[base.key]
        listing.append(
            {"path": str(sub.relative_to(dest)), "base": base.key, "components": sizes[base.key]}
        )
        i += 1
    meta = {
        "fingerprint": fingerprint,
        "seed": seed,
        "projects": len(listing),
        "lockfiles": len(listing),
        "components_sum": total,
        "shared": shared,
        "bases": sizes,
        "listing": listing,
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("monorepo", help="generate benchmarks/work/monorepo")
    m.add_argument("--projects", type=int, default=200)
    m.add_argument("--min-components", type=int, default=20_000)
    m.add_argument("--seed", type=int, default=7)
    m.add_argument("--dest", type=Path, default=None)
    m.add_argument(
        "--shared",
        action="store_true",
        help="keep package names (sub-projects share dependencies); default dest "
        "benchmarks/work/monorepo-shared",
    )
    r = sub.add_parser("realistic", help="re-resolve the committed realistic lockfiles (network)")
    r.add_argument("only", nargs="*")
    args = ap.parse_args(argv)
    if args.cmd == "monorepo":
        dest = args.dest or (MONOREPO_SHARED if args.shared else MONOREPO)
        meta = generate_monorepo(dest, args.projects, args.min_components, args.seed, args.shared)
        print(
            f"monorepo: {meta['projects']} projects, {meta['lockfiles']} lockfiles, "
            f"{meta['components_sum']} components (sum over lockfiles) -> {dest}"
        )
    else:
        generate_realistic(set(args.only) or None)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())

"""A tiny, independent lockfile reader: the ground truth for the accuracy benchmark.

It deliberately shares no code with sbomkit. Each reader returns one :class:`Entry` per
package the lockfile pins, with the flags the accuracy report uses to explain why a tool
may disagree (dev-only, optional, platform-specific, ...).

Rules (what "the lockfile's content" means here):

* package-lock.json (v2/v3): every ``packages`` entry except the root ``""``, ``link``
  entries and workspace-member folders (keys without ``node_modules/``); the name is the
  entry's ``name`` field (npm aliases) or the key after the last ``node_modules/``.
  (v1 lockfiles: the nested ``dependencies`` tree.)
* uv.lock: every ``[[package]]`` except the project itself and workspace members
  (``source = { virtual | editable }``).
* poetry.lock: every ``[[package]]`` (poetry never lists the root project).
* requirements.txt: every ``name==version`` line (``===`` too); other lines are not pins.

purls are normalized the same way for truth and tools (see :func:`normalize_purl`).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

_PEP503 = re.compile(r"[-_.]+")
_PLATFORM_MARKER = re.compile(
    r"sys_platform|platform_system|platform_machine|os_name|platform_python_implementation"
    r"|implementation_name|platform_release"
)
_PYVER_MARKER = re.compile(r"python_version|python_full_version")

LOCKFILES = {
    "package-lock.json": "npm",
    "uv.lock": "uv",
    "poetry.lock": "poetry",
    "requirements.txt": "requirements",
}
SKIP_DIRS = {"node_modules", ".git", ".venv", "venv", "__pycache__"}


@dataclass
class Entry:
    purl: str
    name: str
    version: str | None
    lockfile: str
    dev: bool = False  # only needed for development (npm dev, uv/poetry dev group)
    optional: bool = False  # npm optional / poetry extra-only
    platform: str = ""  # os/cpu or environment marker restricting where it installs
    python_only: str = ""  # python_version marker restricting it
    notes: list[str] = field(default_factory=list)


def pypi_name(name: str) -> str:
    return _PEP503.sub("-", name).lower()


def purl_of(kind: str, name: str, version: str | None) -> str:
    base = f"pkg:npm/{name.lower()}" if kind == "npm" else f"pkg:pypi/{pypi_name(name)}"
    return f"{base}@{version}" if version else base


def normalize_purl(purl: str) -> str:
    """Strip qualifiers/subpath, decode %-escapes, canonicalize pypi/npm names."""
    p = purl.split("#", 1)[0].split("?", 1)[0]
    p = unquote(p)
    if not p.startswith("pkg:"):
        return p
    body = p[4:]
    ptype, _, rest = body.partition("/")
    ptype = ptype.lower()
    # version is after the LAST '@' that follows the final '/' segment start
    head, slash, last = rest.rpartition("/")
    name, at, version = last.partition("@")
    if ptype == "pypi":
        name = pypi_name(name)
        if version:
            version = version.lower()
    elif ptype == "npm":
        name = name.lower()
        head = head.lower()
    fullname = f"{head}{slash}{name}"
    return f"pkg:{ptype}/{fullname}" + (f"@{version}" if at and version else "")


# ----------------------------------------------------------------------------- npm


def read_package_lock(path: Path) -> list[Entry]:
    data: dict[str, Any] = json.loads(path.read_text())
    out: list[Entry] = []
    packages = data.get("packages")
    if isinstance(packages, dict):
        for key, entry in packages.items():
            if key == "" or not isinstance(entry, dict) or entry.get("link"):
                continue
            if "node_modules/" not in key:
                continue  # workspace member folder: first-party, not a dependency
            name = entry.get("name") or key.rsplit("node_modules/", 1)[-1]
            version = entry.get("version")
            platform = ",".join(
                f"{f}={'|'.join(entry[f])}" for f in ("os", "cpu", "libc") if entry.get(f)
            )
            out.append(
                Entry(
                    purl_of("npm", name, version),
                    name,
                    version,
                    str(path),
                    dev=bool(entry.get("dev")),
                    optional=bool(entry.get("optional") or entry.get("devOptional")),
                    platform=platform,
                )
            )
        return out

    # lockfileVersion 1
    def walk(deps: dict[str, Any]) -> None:
        for name, entry in deps.items():
            if not str(entry.get("version", "")).startswith("file:"):
                out.append(
                    Entry(
                        purl_of("npm", name, entry.get("version")),
                        name,
                        entry.get("version"),
                        str(path),
                        dev=bool(entry.get("dev")),
                        optional=bool(entry.get("optional")),
                    )
                )
            walk(entry.get("dependencies") or {})

    walk(data.get("dependencies") or {})
    return out


# ----------------------------------------------------------------------------- uv


def _edge_markers(edges: Iterable[dict[str, Any]]) -> list[str]:
    return [str(e.get("marker", "")) for e in edges]


def read_uv_lock(path: Path) -> list[Entry]:
    data = tomllib.loads(path.read_text())
    pkgs: list[dict[str, Any]] = data.get("package", [])
    roots = [p for p in pkgs if {"virtual", "editable"} & set(p.get("source", {}))]
    root_names = {p["name"] for p in roots}

    # incoming edges per name: (marker, via-main?) -- names, not versions (forks share a name)
    incoming: dict[str, list[str]] = {}
    main_edges: list[str] = []
    dev_edges: list[str] = []
    adj: dict[str, set[str]] = {}
    for p in pkgs:
        deps = list(p.get("dependencies", []))
        for extra_deps in (p.get("optional-dependencies") or {}).values():
            deps.extend(extra_deps)
        adj.setdefault(p["name"], set()).update(d["name"] for d in deps)
        for d in deps:
            incoming.setdefault(d["name"], []).append(str(d.get("marker", "")))
        if p["name"] in root_names:
            main_edges.extend(d["name"] for d in deps)
            for group in (p.get("dev-dependencies") or {}).values():
                dev_edges.extend(d["name"] for d in group)
                adj[p["name"]].update(d["name"] for d in group)
                for d in group:
                    incoming.setdefault(d["name"], []).append(str(d.get("marker", "")))

    def reach(start: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(start)
        while todo:
            n = todo.pop()
            if n in seen or n in root_names:
                continue
            seen.add(n)
            todo.extend(adj.get(n, ()))
        return seen

    main = reach(main_edges)
    out: list[Entry] = []
    for p in pkgs:
        if p["name"] in root_names:
            continue
        markers = incoming.get(p["name"], [])
        out.append(
            Entry(
                purl_of("pypi", p["name"], p.get("version")),
                p["name"],
                p.get("version"),
                str(path),
                dev=bool(root_names) and p["name"] not in main,
                platform=_common_marker(markers, _PLATFORM_MARKER),
                python_only=_common_marker(markers, _PYVER_MARKER),
            )
        )
    return out


def _common_marker(markers: list[str], pattern: re.Pattern[str]) -> str:
    """The marker text when EVERY incoming edge is restricted by such a marker."""
    if markers and all(m and pattern.search(m) for m in markers):
        return sorted(markers, key=len)[0]
    return ""


# ----------------------------------------------------------------------------- poetry


def read_poetry_lock(path: Path) -> list[Entry]:
    data = tomllib.loads(path.read_text())
    out: list[Entry] = []
    for p in data.get("package", []):
        groups = p.get("groups") or ([p["category"]] if "category" in p else ["main"])
        markers = p.get("markers", "")
        if isinstance(markers, dict):  # per-group markers
            markers = " or ".join(str(v) for v in markers.values())
        out.append(
            Entry(
                purl_of("pypi", p["name"], p.get("version")),
                p["name"],
                p.get("version"),
                str(path),
                dev="main" not in groups,
                optional=bool(p.get("optional")),
                platform=str(markers) if markers and _PLATFORM_MARKER.search(markers) else "",
                python_only=str(markers) if markers and _PYVER_MARKER.search(markers) else "",
            )
        )
    return out


# ----------------------------------------------------------------------------- requirements

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*===?\s*([^\s;\\#]+)")


def read_requirements(path: Path) -> list[Entry]:
    out: list[Entry] = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "-")):
            continue
        m = _PIN.match(line)
        if m:
            marker = line.split(";", 1)[1].split("\\")[0].strip() if ";" in line else ""
            out.append(
                Entry(
                    purl_of("pypi", m[1], m[3]),
                    m[1],
                    m[3],
                    str(path),
                    platform=marker if _PLATFORM_MARKER.search(marker) else "",
                    python_only=marker if _PYVER_MARKER.search(marker) else "",
                )
            )
    return out


READERS = {
    "npm": read_package_lock,
    "uv": read_uv_lock,
    "poetry": read_poetry_lock,
    "requirements": read_requirements,
}


def find_lockfiles(root: Path, kinds: set[str] | None = None) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    if root.is_file():
        kind = LOCKFILES.get(root.name)
        return [(root, kind)] if kind and (not kinds or kind in kinds) else []
    stack = [root]
    while stack:
        d = stack.pop()
        for child in sorted(d.iterdir()):
            if child.is_dir():
                if child.name not in SKIP_DIRS:
                    stack.append(child)
            elif (kind := LOCKFILES.get(child.name)) and (not kinds or kind in kinds):
                found.append((child, kind))
    return sorted(found)


def truth_for_dir(root: Path, kinds: set[str] | None = None) -> dict[Path, list[Entry]]:
    return {path: READERS[kind](path) for path, kind in find_lockfiles(root, kinds)}


def truth_purls(root: Path) -> dict[str, Entry]:
    """Union of normalized purls over every lockfile under ``root`` (first entry wins)."""
    out: dict[str, Entry] = {}
    for entries in truth_for_dir(root).values():
        for e in entries:
            out.setdefault(normalize_purl(e.purl), e)
    return out

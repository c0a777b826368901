"""renv.lock: the R packages renv snapshotted, with their sources and requirements.

``Packages`` maps names to records (``Package``, ``Version``, ``Source``, ``Repository``,
``Hash``, ``Requirements``). ``Hash`` is renv's MD5 of the DESCRIPTION file, not of an
artifact: a property. Bioconductor packages have no purl type of their own in our
identity table, so they are ``pkg:cran`` with ``sbomkit:r-source`` = ``Bioconductor``.
Requirements on R's base packages (``methods``, ``stats``, ...) are not in the lock and
not warned about. The lock does not say which packages the project uses directly.
"""

from __future__ import annotations

import re
from typing import ClassVar, NamedTuple

from sbomkit.catalog.decode import JsonObject, as_str, clip, load_json_object, str_tuple
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, Dependency, Location

PROP_R_SOURCE = "sbomkit:r-source"
PROP_REPOSITORY = "sbomkit:r-repository"
PROP_RENV_HASH = "sbomkit:renv-hash"

# Shipped with R itself; renv never records them.
BASE_PACKAGES = frozenset(
    [
        "R",
        "base",
        "compiler",
        "datasets",
        "grDevices",
        "graphics",
        "grid",
        "methods",
        "parallel",
        "splines",
        "stats",
        "stats4",
        "tcltk",
        "tools",
        "utils",
    ]
)
_REMOTES = {"GitHub": "https://github.com", "GitLab": "https://gitlab.com"}
_PACKAGE_KEY = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*:', re.M)


class _Package(NamedTuple):
    name: str
    version: str | None
    line: int | None
    source: str | None
    repository: str | None
    hash: str | None
    requirements: tuple[str, ...]
    url: str | None


class RenvLockCataloger:
    name: ClassVar[str] = "r-renv-lock"

    def catalog(self, source: Source) -> CatalogResult:
        data, text = load_json_object(source)
        raw = data.get("Packages")
        if not isinstance(raw, dict):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no Packages object")
        lines = _lines(text, raw)
        result = CatalogResult()
        for i, dup in enumerate(raw.duplicates if isinstance(raw, JsonObject) else ()):
            at = lines.get(dup, [])
            first = f"line {at[0]}" if at else "an earlier entry"
            line = at[i + 1] if len(at) > i + 1 else None
            result.warn(Msg.DUPLICATE_ENTRY, source.at(line), f"{dup}, first at {first}")
        packages: list[_Package] = []
        for key, value in raw.items():
            line = next(iter(lines.get(key, [])), None)
            if isinstance(value, dict):
                packages.append(_package(key, value, line))
            else:
                result.warn(Msg.INVALID_ENTRY, source.at(line), f"{clip(key)}: not an object")
        comps: dict[str, Component] = {}
        for p in packages:
            c = _component(source, result, p)
            if c is not None:
                comps[p.name] = c
                result.components.append(c)
        _edges(source, result, packages, comps)
        result.diagnostics.sort(key=lambda d: d.location.line or 0)
        return result


def _lines(text: str, packages: dict[str, object]) -> dict[str, list[int]]:
    """Line of each ``"name": {`` key after ``"Packages"``; renv writes one per line."""
    start = text.find('"Packages"')
    out: dict[str, list[int]] = {}
    if start < 0:
        return out
    line = text.count("\n", 0, start) + 1
    pos = start
    for m in _PACKAGE_KEY.finditer(text, start):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if m.group(1) in packages:
            out.setdefault(m.group(1), []).append(line)
    return out


def _package(key: str, t: dict[str, object], line: int | None) -> _Package:
    source = as_str(t.get("Source"))
    return _Package(
        name=as_str(t.get("Package")) or key,
        version=as_str(t.get("Version")),
        line=line,
        source=source,
        repository=as_str(t.get("Repository")),
        hash=as_str(t.get("Hash")),
        requirements=str_tuple(t.get("Requirements")),
        url=_remote_url(t, source),
    )


def _remote_url(t: dict[str, object], source: str | None) -> str | None:
    url = as_str(t.get("RemoteUrl"))
    user, repo = as_str(t.get("RemoteUsername")), as_str(t.get("RemoteRepo"))
    if url is None and user and repo and source in _REMOTES:
        host = as_str(t.get("RemoteHost"))
        base = _REMOTES[source] if host in (None, "api.github.com") else f"https://{host}"
        url = f"{base}/{user}/{repo}"
    if url is None:
        return None
    sha = as_str(t.get("RemoteSha"))
    if source in ("GitHub", "GitLab", "Bitbucket", "git"):
        url = f"git+{url}" if not url.startswith("git+") else url
        return f"{url}@{sha}" if sha else url
    return url


def _component(source: Source, result: CatalogResult, p: _Package) -> Component | None:
    where = source.at(p.line)
    if p.version is None:
        result.warn(Msg.MISSING_VERSION, where, f"{p.name}; skipped")
        return None
    props: list[tuple[str, str]] = []
    if p.source and p.source not in ("Repository", "CRAN"):
        props.append((PROP_R_SOURCE, p.source))
    if p.repository and p.repository != "CRAN":
        props.append((PROP_REPOSITORY, p.repository))
    if p.hash:
        props.append((PROP_RENV_HASH, p.hash))
    try:
        return make_component(
            "cran",
            p.name,
            p.version,
            locations=(where,),
            source_url=p.url,
            properties=tuple(sorted(props)),
        )
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, where, clip(e.detail))
        return None


def _edges(
    source: Source, result: CatalogResult, packages: list[_Package], comps: dict[str, Component]
) -> None:
    warned: set[str] = set()
    edges: set[Dependency] = set()
    for p in packages:
        c = comps.get(p.name)
        if c is None:
            continue
        for req in p.requirements:
            target = comps.get(req)
            if target is not None and target.ref != c.ref:
                edge = Dependency(c.ref, target.ref)
                if edge not in edges:
                    edges.add(edge)
                    result.dependencies.append(edge)
            elif target is None and req not in BASE_PACKAGES and req not in warned:
                warned.add(req)
                result.warn(Msg.UNKNOWN_DEPENDENCY, Location(source.rel, p.line), req)

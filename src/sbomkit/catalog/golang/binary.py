"""Go executables (ELF, PE, Mach-O): the module list the Go linker embeds, read, not run.

The main module is the project, each ``dep`` a component with an edge from it (a binary
records no deeper graph, so no direct flags either), the Go release the ``stdlib``
component (``go1.22.1``, as Syft names it). A replacement by a local directory keeps the
module's identity, one by another module takes its place, as in go.mod. ``build`` settings
become ``sbomkit:go-build:<key>`` properties of the main module; ``h1:`` sums are module
tree hashes, kept as ``sbomkit:go-h1`` properties.

A main module built from a checkout has the version ``(devel)``; when ``-ldflags`` set a
version variable (``-X .../version.gitVersion=v1.28.4``), that is its version, as Syft and
Trivy read it. A pseudo-version from ``vcs.revision`` is not made up: it would sort below
every release and match every advisory. A ``(devel)`` dependency (a go.work workspace
module, e.g. Kubernetes' staging repos) is still in the binary: it is listed without a
version and a warning says so.
"""

from __future__ import annotations

import re
from typing import ClassVar

from sbomkit.catalog.golang import _buildinfo, _exe
from sbomkit.catalog.golang._buildinfo import BuildInfo, Module
from sbomkit.catalog.golang._common import (
    PROP_H1,
    Replacement,
    application,
    component,
    is_local_path,
    resolve,
    stdlib,
)
from sbomkit.catalog.interface import MAX_FILE_BYTES, CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Component, Dependency

_DEVEL = "(devel)"
PROP_VERSION_FROM = "sbomkit:version-from"
# -X importpath.name=value, where name is a version variable and value looks like one.
_LDFLAG_VERSION = re.compile(
    r"-X[= ]['\"]?[\w./~-]*\.(?:[vV]ersion|VERSION|gitVersion|gitTag|buildVersion|appVersion)"
    r"=['\"]?(v?\d+\.\d+\.\d+[\w.+-]*)"
)


class GoBinaryCataloger:
    name: ClassVar[str] = "go-binary"

    @staticmethod
    def sniff(head: bytes) -> bool:
        """True when a file starts like an ELF, PE or Mach-O executable."""
        return _exe.kind(head) is not None

    def catalog(self, source: Source) -> CatalogResult:
        info = _read(source)
        result = CatalogResult()
        for line in info.problems:
            result.warn(Msg.INVALID_ENTRY, source.at(), f"build info line {line!r}")
        result.project = _project(info, source, result)
        parts = [c for c in (_dep(m, source, result) for m in info.deps) if c]
        go = info.go_version.split()
        if go and go[0].startswith("go"):
            std = stdlib(result, source, go[0], None)
            if std is not None:
                parts.append(std)
        result.components.extend(parts)
        if result.project is not None:
            root = result.project.ref
            result.dependencies.extend(Dependency(root, c.ref) for c in parts)
        return result


def _read(source: Source) -> BuildInfo:
    rel = source.rel
    try:
        with source.path.open("rb") as fh:
            size = source.path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise CatalogError(Msg.FILE_TOO_LARGE, rel, f"limit {MAX_FILE_BYTES} bytes")
            img = _exe.Image(fh, size)
            head = img.read(0, 64)
            if not head:
                raise CatalogError(Msg.WRONG_FORMAT, rel, "empty file")
            kind = _exe.kind(head)
            if kind is None:
                raise CatalogError(Msg.WRONG_FORMAT, rel, "not an ELF, PE or Mach-O executable")
            at = img.find_magic()
            if at is None:
                raise CatalogError(Msg.WRONG_FORMAT, rel, "no Go build information")
            version, modinfo = _buildinfo.read(img, at, kind == "elf")
    except OSError as e:
        raise CatalogError(Msg.FILE_UNREADABLE, rel, e.strerror or str(e)) from e
    except _buildinfo.PointerFormatOnlyOnElf as e:
        raise CatalogError(Msg.UNSUPPORTED_VERSION, rel, str(e)) from e
    except _buildinfo.BuildInfoError as e:
        raise CatalogError(Msg.WRONG_FORMAT, rel, str(e)) from e
    return _buildinfo.parse_modinfo(version, modinfo)


def _version(v: str) -> str | None:
    return None if v in ("", _DEVEL) else v


def _project(info: BuildInfo, source: Source, result: CatalogResult) -> Component | None:
    if info.main is None:
        return None
    props = [(f"sbomkit:go-build:{k}", v) for k, v in info.settings]
    version = _version(info.main.version)
    if version is None:
        version = ldflags_version(dict(info.settings).get("-ldflags", ""))
        if version is not None:
            props.append((PROP_VERSION_FROM, "-ldflags"))
    return application(
        result, source, info.main.path, version, None, properties=tuple(sorted(props))
    )


def ldflags_version(ldflags: str) -> str | None:
    """The first version variable set with ``-X``, ``v``-prefixed like a module version."""
    found = _LDFLAG_VERSION.search(ldflags)
    if found is None:
        return None
    v = found.group(1)
    return v if v.startswith("v") else f"v{v}"


def _dep(m: Module, source: Source, result: CatalogResult) -> Component | None:
    r = m.replace
    repl = None
    if r is not None:
        local = is_local_path(r.path) or _version(r.version) is None
        repl = Replacement(r.path, None if local else r.version)
    version = _version(m.version)
    if version is None and (repl is None or repl.version is None):
        detail = f"{m.path}: (devel), listed without a version"
        result.warn(Msg.MISSING_VERSION, source.at(), detail)
        where = {"source_url": repl.path} if repl is not None else {}
        return component(result, source, m.path, None, None, **where)
    res = resolve(m.path, version or "", repl)
    digest = r.sum if r is not None else m.sum
    props = ((PROP_H1, digest),) if digest.startswith("h1:") else ()
    return component(
        result,
        source,
        res.name,
        res.version,
        None,
        source_url=res.source_url,
        properties=tuple(sorted(res.properties + props)),
    )

"""JAR, WAR and EAR archives: Maven coordinates from inside, nested archives followed.

An archive's identity comes from ``META-INF/maven/<group>/<artifact>/pom.properties``.
A shaded or fat jar holds several; the archive's own is the one whose artifactId (and
version) its file name carries, or the only one, and the others are components it
contains. Without pom.properties the file name ``<artifact>-<version>.jar`` names it, its
group taken from ``Implementation-Vendor-Id`` or from a ``Bundle-SymbolicName`` ending in
``.<artifact>``; with neither the archive is not a component (a warning says so).
Nested archives (``WEB-INF/lib``, ``BOOT-INF/lib``, EAR modules) are read from memory to
depth 3, located as ``app.war!/WEB-INF/lib/x.jar``, and linked from the archive holding
them. Each archive's own component gets the SHA-1 and SHA-256 of its bytes, and the
manifest's ``Bundle-License`` as written. The archive says nothing of scope or of what was
declared: everything is required, ``direct`` is None.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import ClassVar, NamedTuple

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.java._archive import (
    ZIP_ERRORS,
    Budget,
    LimitExceeded,
    Limits,
    decode,
    is_unsafe_name,
    parse_manifest,
    parse_properties,
)
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import (
    Component,
    ComponentType,
    Dependency,
    Hash,
    License,
    Location,
    merge_components,
)

ARCHIVE_SUFFIXES = (".jar", ".war", ".ear")
_POM_PROPERTIES = re.compile(r"META-INF/maven/[^/]+/[^/]+/pom\.properties")
_MANIFEST = "META-INF/MANIFEST.MF"
# artifact words do not start with a digit; the version does: guava-33.0.0-jre
_FILE_NAME = re.compile(
    r"(?P<artifact>[A-Za-z_][\w.]*(?:-[A-Za-z_][\w.]*)*)-(?P<version>\d[\w.+-]*)"
)


_ARTIFACT = re.compile(r"[A-Za-z_][\w.]*(?:-[A-Za-z_][\w.]*)*")
_VERSION = re.compile(r"\d[\w.+-]*")
_MANIFEST_VERSIONS = ("implementation-version", "bundle-version", "specification-version")


class _Coordinates(NamedTuple):
    group: str
    artifact: str
    version: str
    entry: str  # the pom.properties path inside the archive


@dataclass(frozen=True, slots=True)
class _Archive:
    zf: zipfile.ZipFile
    data: bytes
    path: str  # as shown: "app.war!/WEB-INF/lib/x.jar"
    depth: int

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.path.rpartition("!/")[2]).name


class JarCataloger:
    name: ClassVar[str] = "java-archive"

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()

    def catalog(self, source: Source) -> CatalogResult:
        data = source.read_bytes()
        if not data:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            count = len(zf.infolist())
        except ZIP_ERRORS as e:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"not a zip archive: {e}") from e
        if count > self.limits.max_entries:
            detail = f"more than {self.limits.max_entries} entries"
            raise CatalogError(Msg.FILE_TOO_LARGE, source.rel, detail)
        walk = _Walk(Budget(self.limits))
        with zf:
            walk.archive(_Archive(zf, data, source.rel, 0))
        return walk.finish()


class _Walk:
    """One input: its archives, their components and the containment edges."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.limits = budget.limits
        self.result = CatalogResult()
        self.components: dict[str, Component] = {}
        self.edges: set[Dependency] = set()

    def finish(self) -> CatalogResult:
        self.result.components = list(self.components.values())
        self.result.dependencies = sorted(self.edges)
        return self.result

    def warn(self, code: Msg, path: str, detail: str) -> None:
        self.result.warn(code, Location(path), detail)

    def archive(self, a: _Archive) -> Component | None:
        """Catalog one archive and what it holds; its own component, if it has one."""
        infos = self._safe_entries(a)
        manifest = self._manifest(a, infos)
        coords = [c for i in infos if (c := self._coordinates(a, i)) is not None]
        own_index = _pick_own(coords, a.file_name)
        own = self._own(a, coords[own_index] if own_index is not None else None, manifest)
        children = [
            self._add(_component(a, c, None, contained=True), f"{a.path}!/{c.entry}")
            for i, c in enumerate(coords)
            if i != own_index
        ]
        children.extend(
            self._nested(a, i)
            for i in infos
            if i.filename.lower().endswith(ARCHIVE_SUFFIXES) and not i.is_dir()
        )
        if own is not None:
            self.edges.update(
                Dependency(own.ref, c.ref) for c in children if c and c.ref != own.ref
            )
        return own

    def _safe_entries(self, a: _Archive) -> list[zipfile.ZipInfo]:
        infos = a.zf.infolist()
        unsafe = [i.filename for i in infos if is_unsafe_name(i.filename)]
        if unsafe:
            detail = f"{len(unsafe)} entries with unsafe names skipped, e.g. {unsafe[0][:120]!r}"
            self.warn(Msg.INVALID_ENTRY, a.path, detail)
        return [i for i in infos if not is_unsafe_name(i.filename)]

    def _read_text(self, a: _Archive, info: zipfile.ZipInfo) -> str | None:
        try:
            return decode(self.budget.read(a.zf, info, self.limits.max_metadata_bytes))
        except LimitExceeded as e:
            self.warn(Msg.INVALID_ENTRY, f"{a.path}!/{info.filename}", e.detail)
        except ZIP_ERRORS as e:
            self.warn(Msg.INVALID_ENTRY, f"{a.path}!/{info.filename}", f"cannot read: {e}")
        return None

    def _manifest(self, a: _Archive, infos: list[zipfile.ZipInfo]) -> dict[str, str]:
        info = next((i for i in infos if i.filename.upper() == _MANIFEST), None)
        text = self._read_text(a, info) if info is not None else None
        return parse_manifest(text) if text is not None else {}

    def _coordinates(self, a: _Archive, info: zipfile.ZipInfo) -> _Coordinates | None:
        if not _POM_PROPERTIES.fullmatch(info.filename):
            return None
        text = self._read_text(a, info)
        if text is None:
            return None
        props = parse_properties(text)
        group, artifact = props.get("groupId", ""), props.get("artifactId", "")
        version = props.get("version", "")
        where = f"{a.path}!/{info.filename}"
        if not group or not artifact:
            self.warn(Msg.INVALID_ENTRY, where, "pom.properties without groupId and artifactId")
            return None
        if not version:
            self.warn(Msg.MISSING_VERSION, where, f"{group}:{artifact}; skipped")
            return None
        return _Coordinates(group, artifact, version, info.filename)

    def _own(
        self, a: _Archive, c: _Coordinates | None, manifest: dict[str, str]
    ) -> Component | None:
        if c is None:
            c = _from_file_name(a.file_name, manifest)
        if c is None:
            detail = (
                f"{a.file_name}: no pom.properties and no version in the file name; not a component"
            )
            self.warn(Msg.MISSING_VERSION, a.path, detail)
            return None
        return self._add(_component(a, c, manifest, contained=False), a.path)

    def _add(self, made: Component | str, path: str) -> Component | None:
        if isinstance(made, str):
            self.warn(Msg.INVALID_ENTRY, path, made)
            return None
        first = self.components.get(made.ref)
        comp = made if first is None else merge_components(first, made)
        self.components[made.ref] = comp
        return comp

    def _nested(self, a: _Archive, info: zipfile.ZipInfo) -> Component | None:
        path = f"{a.path}!/{info.filename}"
        if a.depth + 1 > self.limits.max_depth:
            self.warn(
                Msg.INVALID_ENTRY,
                path,
                f"nested deeper than {self.limits.max_depth} archives; not read",
            )
            return None
        try:
            data = self.budget.read(a.zf, info, self.limits.max_member_bytes)
            zf = zipfile.ZipFile(io.BytesIO(data))
            count = len(zf.infolist())
        except LimitExceeded as e:
            self.warn(Msg.INVALID_ENTRY, path, e.detail)
            return None
        except ZIP_ERRORS as e:
            self.warn(Msg.INVALID_ENTRY, path, f"not a zip archive: {e}")
            return None
        if count > self.limits.max_entries:
            self.warn(
                Msg.INVALID_ENTRY, path, f"more than {self.limits.max_entries} entries; not read"
            )
            return None
        with zf:
            return self.archive(_Archive(zf, data, path, a.depth + 1))


def _pick_own(coords: list[_Coordinates], file_name: str) -> int | None:
    """Which pom.properties is the archive's own: the best file-name match, or the only one."""
    stem = file_name.rsplit(".", 1)[0]

    def score(c: _Coordinates) -> tuple[int, int]:
        if stem == f"{c.artifact}-{c.version}":
            return 3, 0
        if stem == c.artifact:
            return 2, 0
        return (1, len(c.artifact)) if stem.startswith(f"{c.artifact}-") else (0, 0)

    ranked = sorted(range(len(coords)), key=lambda i: score(coords[i]), reverse=True)
    if ranked and (score(coords[ranked[0]]) > (0, 0) or len(coords) == 1):
        return ranked[0]
    return None


def _from_file_name(file_name: str, manifest: dict[str, str]) -> _Coordinates | None:
    """Coordinates from ``<artifact>-<version>.jar``, or a versionless name plus the manifest.

    Debian installs ``guice-servlet.jar`` and links ``guice-servlet-4.2.3.jar`` to it: the
    file itself has only the artifact in its name, the version is in the manifest.
    """
    stem = file_name.rsplit(".", 1)[0]
    match = _FILE_NAME.fullmatch(stem)
    if match is not None:
        artifact, version = match["artifact"], match["version"]
    elif _ARTIFACT.fullmatch(stem):
        artifact = stem
        version = next((manifest[k] for k in _MANIFEST_VERSIONS if manifest.get(k)), "")
        if not _VERSION.fullmatch(version):
            return None
    else:
        return None
    group = manifest.get("implementation-vendor-id", "")
    symbolic = manifest.get("bundle-symbolicname", "").split(";")[0].strip()
    if not group and symbolic.endswith(f".{artifact}"):
        group = symbolic.removesuffix(f".{artifact}")
    return _Coordinates(group, artifact, version, "")


def _component(
    a: _Archive, c: _Coordinates, manifest: dict[str, str] | None, *, contained: bool
) -> Component | str:
    """The component (or why there is none); ``manifest`` and hashes only for the archive's own."""
    name = f"{c.group}:{c.artifact}" if c.group else c.artifact
    own = not contained
    location = f"{a.path}!/{c.entry}" if contained else a.path
    suffix = a.file_name.lower().rsplit(".", 1)[-1]
    manifest = manifest or {}
    license_text = manifest.get("bundle-license", "")
    try:
        return make_component(
            "maven",
            name,
            c.version,
            type=ComponentType.APPLICATION
            if own and suffix in ("war", "ear")
            else ComponentType.LIBRARY,
            supplier=(
                manifest.get("implementation-vendor") or manifest.get("bundle-vendor") or None
            ),
            licenses=(License(license_text, False),) if license_text else (),
            hashes=_hashes(a.data) if own else (),
            direct=None,
            locations=(Location(location),),
        )
    except IdentityError as e:
        return e.detail


def _hashes(data: bytes) -> tuple[Hash, ...]:
    return (
        Hash("SHA-1", hashlib.sha1(data).hexdigest()),  # an identifier, not security
        Hash("SHA-256", hashlib.sha256(data).hexdigest()),
    )

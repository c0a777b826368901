"""pubspec.lock: the resolved packages of a Dart or Flutter project.

``packages: {name: {dependency, description, source, version}}``. The lock says which
packages are direct (``direct main``, ``direct dev``, ``direct overridden``) and which are
``transitive``; it has no edges. ``direct dev`` packages are dev scope; transitive ones stay
required (the lock does not say what reaches them). Hosted packages carry the SHA-256 of
their archive. ``sdk`` packages (flutter, flutter_test) ship with the SDK, have no real
version (0.0.0) and are not components; the SDK constraints become project properties.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import ClassVar, NamedTuple

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.catalog.yaml_doc import as_map, load_yaml
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, ComponentType, Hash, Location, Scope

PROP_SOURCE = "sbomkit:source"
PROP_REPOSITORY = "sbomkit:pub-repository"
_DEFAULT_HOSTS = ("https://pub.dev", "https://pub.dartlang.org")
_DIRECT = {"direct main": Scope.REQUIRED, "direct overridden": Scope.REQUIRED}
_HEX = frozenset("0123456789abcdef")


class _Package(NamedTuple):
    name: str
    line: int | None
    dependency: str | None
    source: str | None
    version: str | None
    description: dict[str, object]
    path: str | None  # description given as a bare string (old path entries)


class PubspecLockCataloger:
    name: ClassVar[str] = "dart-pubspec-lock"

    def catalog(self, source: Source) -> CatalogResult:
        doc = load_yaml(source, source.read_text(), key_depth=2)
        raw = doc.root.get("packages")
        if raw is None and "sdks" not in doc.root:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no 'packages' mapping")
        if raw is not None and not isinstance(raw, dict):
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "'packages' is not a mapping")
        result = CatalogResult()
        for path, line in doc.duplicates:
            if len(path) == 2 and path[0] == "packages":
                result.warn(Msg.DUPLICATE_ENTRY, source.at(line), f"{path[1]}; first kept")
        for name, value in (raw or {}).items():
            if not isinstance(value, dict):
                where = source.at(doc.lines.get(("packages", name)))
                result.warn(Msg.INVALID_ENTRY, where, f"{name}: not a mapping")
                continue
            entry = _package(name, doc.lines.get(("packages", name)), value)
            comp = _component(entry, source, result)
            if comp is not None:
                result.components.append(comp)
        result.project = _project(source, as_map(doc.root.get("sdks")))
        result.diagnostics.sort(key=lambda d: d.location.line or 0)
        return result


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _package(name: str, line: int | None, raw: object) -> _Package:
    t = as_map(raw)
    desc = t.get("description")
    return _Package(
        name=name.strip(),
        line=line,
        dependency=_str(t.get("dependency")),
        source=_str(t.get("source")),
        version=_str(t.get("version")),
        description=as_map(desc),
        path=_str(desc),
    )


def _origin(p: _Package) -> tuple[tuple[Hash, ...], str | None, tuple[tuple[str, str], ...]]:
    """(hashes, source_url, properties) from the package's source and description."""
    d = p.description
    if p.source == "hosted" or p.source is None:
        digest = (_str(d.get("sha256")) or "").lower()
        hashes = (Hash("SHA-256", digest),) if len(digest) == 64 and set(digest) <= _HEX else ()
        url = _str(d.get("url"))
        if url is None or url.rstrip("/") in _DEFAULT_HOSTS:
            return hashes, None, ()
        return hashes, url, ((PROP_REPOSITORY, url),)
    if p.source == "git":
        url = _str(d.get("url")) or p.path
        rev = _str(d.get("resolved-ref")) or _str(d.get("ref"))
        where = f"git+{url}@{rev}" if url and rev else f"git+{url}" if url else None
        props = [(PROP_SOURCE, "git")]
        if sub := _str(d.get("path")):
            props.append(("sbomkit:git-path", sub))
        return (), where, tuple(props)
    if p.source == "path":
        return (), _str(d.get("path")) or p.path, ((PROP_SOURCE, "path"),)
    return (), None, ((PROP_SOURCE, p.source),)


def _component(p: _Package, source: Source, result: CatalogResult) -> Component | None:
    at = source.at(p.line)
    if not p.name:
        result.warn(Msg.MISSING_NAME, at, "package without a name")
        return None
    if p.source == "sdk":
        return None
    if p.version is None:
        result.warn(Msg.MISSING_VERSION, at, f"{p.name}; skipped")
        return None
    hashes, url, props = _origin(p)
    scope = Scope.DEV if p.dependency == "direct dev" else _DIRECT.get(p.dependency or "")
    direct = None if p.dependency is None else p.dependency.startswith("direct")
    try:
        return make_component(
            "pub",
            p.name,
            p.version,
            scope=scope or Scope.REQUIRED,
            direct=direct,
            hashes=hashes,
            locations=(at,),
            source_url=url,
            properties=tuple(sorted(props)),
        )
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, at, e.detail)
        return None


def _project(source: Source, sdks: dict[str, object]) -> Component | None:
    """pubspec.yaml beside the lock: the app's name and version."""
    manifest = source.path.parent / "pubspec.yaml"
    rel_dir = str(PurePosixPath(source.rel).parent)
    rel = "pubspec.yaml" if rel_dir == "." else f"{rel_dir}/pubspec.yaml"
    try:
        if not manifest.is_file():
            return None
        doc = load_yaml(Source(manifest, rel), Source(manifest, rel).read_text(1 << 20), 1)
    except (CatalogError, OSError):
        return None
    name = _str(doc.root.get("name"))
    if name is None:
        return None
    version = _str(doc.root.get("version"))
    props = tuple(sorted((f"sbomkit:sdk-{k}", v) for k, v in sdks.items() if isinstance(v, str)))
    try:
        return make_component(
            "pub",
            name,
            version,
            type=ComponentType.APPLICATION,
            locations=(Location(rel),),
            properties=props,
        )
    except IdentityError:
        return None

"""gradle.lockfile and buildscript-gradle.lockfile: Gradle dependency locking (Gradle 6+).

One line per resolved module, ``group:artifact:version=conf1,conf2``, plus ``empty=...``
(configurations that resolve to nothing) and ``#`` comments. The file records neither the
graph nor which modules are declared, so there are no edges and ``direct`` is None.
Scope: a module used only by ``test*`` configurations is dev; any other configuration
makes it required. The buildscript lockfile lists build tooling (plugins), which is not
shipped: its modules are dev and carry ``sbomkit:gradle-buildscript``.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import ClassVar, NamedTuple

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Scope

BUILDSCRIPT = "buildscript-gradle.lockfile"
CONFIGURATIONS = "sbomkit:gradle-configurations"
BUILDSCRIPT_PROP = ("sbomkit:gradle-buildscript", "true")


class _Line(NamedTuple):
    group: str
    artifact: str
    version: str
    configurations: tuple[str, ...]
    line: int


class GradleLockCataloger:
    name: ClassVar[str] = "gradle-lockfile"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        if not text.strip():
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        buildscript = PurePosixPath(source.rel).name == BUILDSCRIPT
        result = CatalogResult()
        seen: dict[tuple[str, str, str], int] = {}
        for number, raw in enumerate(text.splitlines(), start=1):
            entry = _parse(result, source, raw.strip(), number)
            if entry is None:
                continue
            key = (entry.group, entry.artifact, entry.version)
            if key in seen:
                detail = (
                    f"{entry.group}:{entry.artifact} {entry.version}, first at line {seen[key]}"
                )
                result.warn(Msg.DUPLICATE_ENTRY, source.at(number), detail)
                continue
            seen[key] = number
            _add(result, source, entry, buildscript)
        return result


def _parse(result: CatalogResult, source: Source, text: str, number: int) -> _Line | None:
    """The entry on one line; None (with a warning when it is malformed) otherwise."""
    if not text or text.startswith("#"):
        return None
    coordinates, sep, confs = text.partition("=")
    coordinates = coordinates.strip()
    if coordinates == "empty" and sep:
        return None
    parts = coordinates.split(":")
    if not sep or len(parts) not in (2, 3) or not all(p.strip() for p in parts[:2]):
        result.warn(
            Msg.INVALID_ENTRY, source.at(number), f"not group:artifact:version=...: {_clip(text)}"
        )
        return None
    group, artifact = parts[0].strip(), parts[1].strip()
    version = parts[2].strip() if len(parts) == 3 else ""
    if not version:
        result.warn(Msg.MISSING_VERSION, source.at(number), f"{group}:{artifact}; skipped")
        return None
    configurations = tuple(c for c in (c.strip() for c in confs.split(",")) if c)
    return _Line(group, artifact, version, configurations, number)


def _add(result: CatalogResult, source: Source, entry: _Line, buildscript: bool) -> None:
    dev = buildscript or (
        bool(entry.configurations) and all(_is_test(c) for c in entry.configurations)
    )
    properties = [(CONFIGURATIONS, ",".join(entry.configurations))] if entry.configurations else []
    if buildscript:
        properties.append(BUILDSCRIPT_PROP)
    try:
        comp = make_component(
            "maven",
            f"{entry.group}:{entry.artifact}",
            entry.version,
            scope=Scope.DEV if dev else Scope.REQUIRED,
            direct=None,
            locations=(source.at(entry.line),),
            properties=tuple(sorted(properties)),
        )
    except IdentityError as e:
        result.warn(Msg.INVALID_ENTRY, source.at(entry.line), e.detail)
        return
    result.components.append(comp)


def _is_test(configuration: str) -> bool:
    """``testCompileClasspath``, ``testFixturesRuntimeClasspath``: not ``testable...``."""
    return configuration == "test" or (
        configuration.startswith("test") and configuration[4:5].isupper()
    )


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

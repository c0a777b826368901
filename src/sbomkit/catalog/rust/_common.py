"""Shared plumbing for the Rust catalogers: source kinds and a result collector."""

from __future__ import annotations

from typing import Any

from sbomkit.catalog.interface import CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, Dependency

PROP_SOURCE = "sbomkit:source"
GIT, PATH, REGISTRY = "git", "path", "registry"


def clip(text: str, limit: int = 200) -> str:
    """Input quoted in a warning, cut to a readable length."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def as_str(value: object) -> str | None:
    """A non-blank string, stripped; anything else is None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def source_props(kind: str | None) -> tuple[tuple[str, str], ...]:
    return ((PROP_SOURCE, kind),) if kind else ()


class Collector:
    """Components and edges of one file, with the duplicate and unknown-name rules:

    - the same name, version and source twice -> DUPLICATE_ENTRY, the first is kept;
    - a dependency the file does not list -> UNKNOWN_DEPENDENCY once per name, no edge.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self.result = CatalogResult()
        self._seen: dict[tuple[str, str, str | None], int | None] = {}
        self._edges: set[Dependency] = set()
        self._unknown: set[str] = set()

    def warn(self, code: Msg, line: int | None, detail: str = "") -> None:
        self.result.warn(code, self.source.at(line), detail)

    def make(
        self, name: str, version: str, origin: str | None, line: int | None, **fields: Any
    ) -> Component | None:
        """A component (not yet added), or None with a warning for a duplicate or bad name."""
        key = (name, version, origin)
        if key in self._seen:
            first = self._seen[key]
            where = f", first at line {first}" if first is not None else ""
            self.warn(Msg.DUPLICATE_ENTRY, line, f"{name} {version}{where}")
            return None
        try:
            comp = make_component(
                "cargo", name, version, locations=(self.source.at(line),), **fields
            )
        except IdentityError as e:
            self.warn(Msg.INVALID_ENTRY, line, clip(e.detail))
            return None
        self._seen[key] = line
        return comp

    def link(self, source: Component, target: Component) -> None:
        dep = Dependency(source.ref, target.ref)
        if source.ref != target.ref and dep not in self._edges:
            self._edges.add(dep)
            self.result.dependencies.append(dep)

    def unknown(self, name: str, line: int | None, detail: str) -> None:
        if name not in self._unknown:
            self._unknown.add(name)
            self.warn(Msg.UNKNOWN_DEPENDENCY, line, detail)

    def finish(self) -> CatalogResult:
        self.result.diagnostics.sort(key=lambda d: d.location.line or 0)
        return self.result

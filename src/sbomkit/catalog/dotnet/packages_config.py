"""packages.config, the package list of pre-SDK .NET Framework projects.

Each ``<package id version targetFramework developmentDependency>`` is one component;
``developmentDependency="true"`` is dev scope. NuGet writes every installed package here,
transitive ones included, so ``direct`` is left unknown (None). The one MSBuild project
beside the file, if any, is the result's project, with an edge to every package.
"""

from __future__ import annotations

from typing import ClassVar

from sbomkit.catalog.decode import as_str
from sbomkit.catalog.dotnet._common import (
    PROP_FRAMEWORK,
    Builder,
    Node,
    canon,
    load_xml,
    sibling_project,
)
from sbomkit.catalog.interface import CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Scope


class NugetPackagesConfigCataloger:
    name: ClassVar[str] = "nuget-packages-config"

    def catalog(self, source: Source) -> CatalogResult:
        root = load_xml(source, "packages")
        b = Builder(source)
        first: dict[str, int | None] = {}
        for node in root.find("package"):
            name = as_str(node.attrs.get("id"))
            if name is None:
                b.warn(Msg.MISSING_NAME, node.line, "<package> without an id")
                continue
            if canon(name) in first:  # NuGet keeps one version per id
                where = f"{name}, first at line {first[canon(name)]}"
                b.warn(Msg.DUPLICATE_ENTRY, node.line, where)
                continue
            first[canon(name)] = node.line
            _add(b, name, node)
        project = b.result.project = sibling_project(source)
        if project is not None:
            for c in list(b.result.components):
                b.link_to(project.ref, c)
        return b.finish()


def _add(b: Builder, name: str, node: Node) -> None:
    version = as_str(node.attrs.get("version"))
    if version is None:
        b.warn(Msg.MISSING_VERSION, node.line, f"{name}; skipped")
        return
    framework = as_str(node.attrs.get("targetFramework"))
    dev = (as_str(node.attrs.get("developmentDependency")) or "").lower() == "true"
    b.add(
        name,
        version,
        b.source.at(node.line),
        scope=Scope.DEV if dev else Scope.REQUIRED,
        properties=((PROP_FRAMEWORK, framework),) if framework else (),
    )

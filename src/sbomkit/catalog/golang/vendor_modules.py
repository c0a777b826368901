"""vendor/modules.txt: the modules ``go mod vendor`` copied, one ``# module version`` each.

``## explicit`` after a module line means go.mod requires it, taken as direct (since Go
1.17 go.mod also lists ``// indirect`` requirements, which modules.txt marks the same).
``# a v => b w`` records a replacement by another module, ``# a v => ../dir`` one by a
local directory (handled as in go.mod); ``# a => b`` without a version is a wildcard
replacement, not a module. Package lines (no ``#``) name the vendored packages and are
not components.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from sbomkit.catalog.golang._common import (
    Replacement,
    component,
    is_local_path,
    is_version,
    resolve,
)
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg


class _Module(NamedTuple):
    path: str
    version: str
    replacement: Replacement | None
    line: int


class GoVendorCataloger:
    name: ClassVar[str] = "go-vendor"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        if not text.strip():
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        result = CatalogResult()
        modules: list[_Module] = []
        explicit: set[int] = set()  # indexes into modules
        seen_module_line = False
        current: int | None = None  # the module that ## markers apply to
        for n, raw in enumerate(text.split("\n"), 1):
            line = raw.strip()
            if line.startswith("## "):
                markers = {m.strip() for m in line[3:].split(";")}
                if "explicit" in markers and current is not None:
                    explicit.add(current)
            elif line.startswith("# "):
                seen_module_line = True
                m = _module(line[2:].split(), n, source, result)
                current = None if m is None else len(modules)
                if m is not None:
                    modules.append(m)
            elif line.startswith("#"):
                result.warn(Msg.INVALID_ENTRY, source.at(n), f"unexpected line: {line}")
        if not seen_module_line:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no '# module version' lines")
        for i, m in enumerate(modules):
            res = resolve(m.path, m.version, m.replacement)
            c = component(
                result,
                source,
                res.name,
                res.version,
                m.line,
                direct=i in explicit,
                source_url=res.source_url,
                properties=res.properties,
            )
            if c is not None:
                result.components.append(c)
        return result


def _module(words: list[str], n: int, source: Source, result: CatalogResult) -> _Module | None:
    if len(words) >= 2 and words[1] == "=>":
        return None  # wildcard replacement: all versions of words[0], not a module
    if len(words) == 1:
        result.warn(Msg.MISSING_VERSION, source.at(n), f"{words[0]}: no version")
        return None
    if len(words) not in (2, 4, 5) or (len(words) > 2 and words[2] != "=>"):
        result.warn(Msg.INVALID_ENTRY, source.at(n), f"malformed module line: {' '.join(words)}")
        return None
    path, version = words[:2]
    if not is_version(version):
        result.warn(Msg.INVALID_ENTRY, source.at(n), f"{path}: {version!r} is not a module version")
        return None
    repl = None
    if len(words) == 4:
        if not is_local_path(words[3]):
            result.warn(
                Msg.MISSING_VERSION,
                source.at(n),
                f"{words[3]}: replacement module without a version",
            )
            return None
        repl = Replacement(words[3], None)
    elif len(words) == 5:
        repl = Replacement(words[3], words[4])
    return _Module(path, version, repl, n)

"""go.sum: ``module version h1:hash`` lines, a fallback when go.mod and binaries are absent.

go.sum records every module whose content the go command has checked, including ones the
build no longer uses, so its components carry no direct flag. Lines for ``version/go.mod``
hash only a module's go.mod file and are not components. A build uses one version of each
module path, the highest required (minimal version selection), so where go.sum holds
several, the lower ones are stale and left out. The ``h1:`` value is a SHA-256
over the module's file tree (a "dirhash"), not a digest of any artifact, so it is kept as
the ``sbomkit:go-h1`` property rather than as a Hash.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from sbomkit.catalog.golang._common import PROP_H1, component, is_version, semver_key
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg


class GoSumCataloger:
    name: ClassVar[str] = "go-sum"

    def catalog(self, source: Source) -> CatalogResult:
        if _complete_go_mod(source.path.parent / "go.mod"):
            # Since Go 1.17 go.mod lists every module the build uses; go.sum also names
            # modules the build dropped, so it would only add false positives.
            return CatalogResult()
        text = source.read_text()
        if not text.strip():
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        result = CatalogResult()
        first: dict[tuple[str, str], int] = {}
        chosen: dict[str, tuple[str, str, int]] = {}  # path -> (version, digest, line)
        valid = 0
        for n, raw in enumerate(text.split("\n"), 1):
            fields = raw.split()
            if not fields:
                continue
            if len(fields) != 3:
                detail = f"expected 'module version hash', got {len(fields)} fields"
                result.warn(Msg.INVALID_ENTRY, source.at(n), detail)
                continue
            path, version, digest = fields
            if not is_version(version.removesuffix("/go.mod")):
                result.warn(
                    Msg.INVALID_ENTRY, source.at(n), f"{path}: {version!r} is not a module version"
                )
                continue
            valid += 1
            if version.endswith("/go.mod"):
                continue
            if (path, version) in first:
                detail = f"{path} {version}, first at line {first[path, version]}"
                result.warn(Msg.DUPLICATE_ENTRY, source.at(n), detail)
                continue
            first[path, version] = n
            seen = chosen.get(path)
            if seen is None or semver_key(version) > semver_key(seen[0]):
                chosen[path] = (version, digest, n)
        if not valid:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no 'module version hash' lines")
        for path, (version, digest, n) in chosen.items():
            props = ((PROP_H1, digest),) if digest.startswith("h1:") else ()
            c = component(result, source, path, version, n, properties=props)
            if c is not None:
                result.components.append(c)
        return result


_GO_DIRECTIVE = re.compile(rb"^go\s+(\d+)\.(\d+)", re.MULTILINE)


def _complete_go_mod(path: Path) -> bool:
    """True for a go.mod with ``go 1.17`` or later beside the go.sum (it lists all modules)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 20)
    except OSError:
        return False
    m = _GO_DIRECTIVE.search(head)
    return m is not None and (int(m[1]), int(m[2])) >= (1, 17)

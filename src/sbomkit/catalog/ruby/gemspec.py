"""Installed gems: ``specifications/<name>-<version>.gemspec`` as written by RubyGems.

RubyGems writes each installed gem's specification as Ruby code of a fixed shape
(``s.name = "rake".freeze``). It is read with regexes and never evaluated. One file is one
gem, so its dependencies cannot be resolved to components here: runtime dependencies are
recorded as ``("sbomkit:requires", name)`` properties, development ones are ignored.
"""

from __future__ import annotations

import re
from typing import ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import License

_LIMIT = 4 * 1024 * 1024  # generated gemspecs list their files; big ones are ~100 KB
_STR = r'"((?:[^"\\]|\\.)*)"(?:\.freeze)?'
_NEW = re.compile(r"Gem::Specification\.new\b")
_ASSIGN = re.compile(
    r"^[ \t]*\w+\.(name|version|platform|homepage|summary|license)\s*=\s*" + _STR, re.M
)
_LIST = re.compile(r"^[ \t]*\w+\.(licenses|authors)\s*=\s*\[(.*?)\]", re.M)
_ITEM = re.compile(_STR)
_DEP = re.compile(
    r"\w+\.add_(runtime_|development_)?dependency\s*\(?\s*(?:%q<([^>]*)>|" + _STR + ")"
)
_ESCAPE = re.compile(r"\\(u\{[0-9A-Fa-f ]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "e": "\x1b", "s": " ", "0": "\0"}
_SPDX_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")


class InstalledGemspecCataloger:
    name: ClassVar[str] = "ruby-installed-gemspec"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text(_LIMIT)
        if not text.strip():
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        if _NEW.search(text) is None:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no Gem::Specification.new block")
        result = CatalogResult()
        fields: dict[str, tuple[str, int]] = {}
        for m in _ASSIGN.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            fields.setdefault(m.group(1), (_unescape(m.group(2)), line))
        name, line = fields.get("name", ("", 1))
        if not name.strip():
            result.warn(Msg.MISSING_NAME, source.at(None), "no s.name")
            return result
        version = fields.get("version", ("", 0))[0].strip()
        if not version:
            result.warn(Msg.MISSING_VERSION, source.at(line), f"{name}; skipped")
            return result
        lists = {m.group(1): _items(m.group(2)) for m in _LIST.finditer(text)}
        licenses = lists.get("licenses") or [v for v, _ in [fields.get("license", ("", 0))] if v]
        platform = fields.get("platform", ("ruby", 0))[0]
        try:
            result.components.append(
                make_component(
                    "gem",
                    name,
                    version,
                    qualifiers={"platform": platform} if platform not in ("", "ruby") else None,
                    author=", ".join(lists.get("authors", ())) or None,
                    description=fields.get("summary", (None, 0))[0] or None,
                    homepage=fields.get("homepage", (None, 0))[0] or None,
                    licenses=tuple(_license(v) for v in dict.fromkeys(licenses)),
                    locations=(source.at(line),),
                    properties=tuple(("sbomkit:requires", d) for d in _runtime_deps(text)),
                )
            )
        except IdentityError as e:
            result.warn(Msg.INVALID_ENTRY, source.at(line), e.detail)
        return result


def _unescape(body: str) -> str:
    """The value of a double-quoted Ruby literal as ``String#dump`` writes it."""

    def one(m: re.Match[str]) -> str:
        esc = m.group(1)
        try:
            if esc.startswith("u{"):
                return "".join(chr(int(h, 16)) for h in esc[2:-1].split())
            if esc[0] in "ux" and len(esc) > 1:
                return chr(int(esc[1:], 16))
        except (ValueError, OverflowError):
            return esc
        return _SIMPLE.get(esc, esc)

    return _ESCAPE.sub(one, body)


def _items(body: str) -> list[str]:
    return [v for v in (_unescape(m.group(1)).strip() for m in _ITEM.finditer(body)) if v]


def _license(value: str) -> License:
    """One SPDX id is an expression; free text (and "proprietary") is not."""
    spdx = _SPDX_ID.fullmatch(value) is not None and value.lower() != "proprietary"
    return License(value, spdx)


def _runtime_deps(text: str) -> list[str]:
    """Runtime dependency names in order, once each; ``add_dependency`` means runtime.

    Old specifications repeat each dependency in ``if``/``else`` branches for old RubyGems,
    where a development dependency is written ``add_dependency``; one named as a
    development dependency anywhere is not a runtime one.
    """
    runtime: dict[str, None] = {}
    development: set[str] = set()
    for m in _DEP.finditer(text):
        name = (m.group(2) if m.group(2) is not None else _unescape(m.group(3) or "")).strip()
        if name and m.group(1) == "development_":
            development.add(name)
        elif name:
            runtime.setdefault(name)
    return [n for n in runtime if n not in development]

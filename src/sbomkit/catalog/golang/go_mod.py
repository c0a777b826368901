"""go.mod: the module, its requirements (``// indirect`` or not), replacements, exclusions.

The main module is the project; every ``require`` is a component with an edge from it.
A replacement by another module takes the required module's place (the original is kept
as a property); a replacement by a local directory keeps the module's identity and records
the directory. Excluded versions are not components; ``retract``, ``godebug``, ``tool`` and
``ignore`` say nothing about the build's contents. A ``toolchain`` line names the Go
release, recorded as the ``stdlib`` component the way Syft does (``go1.22.1``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

from sbomkit.catalog.golang._common import (
    Replacement,
    application,
    component,
    is_local_path,
    is_version,
    resolve,
    stdlib,
)
from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.model import Component, Dependency

_IGNORED = frozenset({"retract", "godebug", "tool", "ignore"})
_BLOCKS = frozenset({"require", "replace", "exclude"}) | _IGNORED
_BARE_END = frozenset(' \t\r"`()')


class _Require(NamedTuple):
    path: str
    version: str
    indirect: bool
    line: int


@dataclass(slots=True)
class _GoMod:
    module: tuple[str, int] | None = None
    go: str | None = None
    toolchain: tuple[str, int] | None = None
    requires: list[_Require] = field(default_factory=list)
    # (old path, old version or None for all versions) -> replacement
    replaces: dict[tuple[str, str | None], Replacement] = field(default_factory=dict)
    excludes: set[tuple[str, str]] = field(default_factory=set)


class GoModCataloger:
    name: ClassVar[str] = "go-mod"

    def catalog(self, source: Source) -> CatalogResult:
        text = source.read_text()
        if not text.strip():
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
        result = CatalogResult()
        mod = _parse(text, source, result)
        if mod.module is None:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, "no module directive")
        name, line = mod.module
        props = (("sbomkit:go-directive", mod.go),) if mod.go else ()
        project = application(result, source, name, None, line, properties=props)
        if project is None:
            raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"invalid module path {name!r}")
        result.project = project
        for c in _components(mod, source, result):
            result.components.append(c)
            result.dependencies.append(Dependency(project.ref, c.ref))
        return result


def _components(mod: _GoMod, source: Source, result: CatalogResult) -> list[Component]:
    out: list[Component] = []
    first: dict[str, int] = {}
    for r in mod.requires:
        if (r.path, r.version) in mod.excludes:
            continue
        if r.path in first:
            detail = f"{r.path} {r.version}, first at line {first[r.path]}"
            result.warn(Msg.DUPLICATE_ENTRY, source.at(r.line), detail)
            continue
        first[r.path] = r.line
        repl = mod.replaces.get((r.path, r.version)) or mod.replaces.get((r.path, None))
        res = resolve(r.path, r.version, repl)
        c = component(
            result,
            source,
            res.name,
            res.version,
            r.line,
            direct=not r.indirect,
            source_url=res.source_url,
            properties=res.properties,
        )
        if c is not None:
            out.append(c)
    if mod.toolchain is not None:
        go = stdlib(result, source, *mod.toolchain)
        if go is not None:
            out.append(go)
    return out


def _parse(text: str, source: Source, result: CatalogResult) -> _GoMod:
    mod = _GoMod()
    block: tuple[str, int] | None = None
    for n, raw in enumerate(text.split("\n"), 1):
        try:
            words, comment = _lex(raw)
        except ValueError as e:
            result.warn(Msg.INVALID_ENTRY, source.at(n), str(e))
            continue
        if not words:
            continue
        if block is not None:
            if words == [")"]:
                block = None
            else:
                _statement(mod, block[0], words, comment, n, source, result)
        elif len(words) == 2 and words[1] == "(":
            block = (words[0], n)
            if words[0] not in _BLOCKS:
                result.warn(Msg.INVALID_ENTRY, source.at(n), f"unknown block {words[0]!r}")
        else:
            _statement(mod, words[0], words[1:], comment, n, source, result)
    if block is not None:
        result.warn(Msg.INVALID_ENTRY, source.at(block[1]), f"{block[0]} block is not closed")
    return mod


def _statement(
    mod: _GoMod,
    verb: str,
    args: list[str],
    comment: str,
    n: int,
    source: Source,
    result: CatalogResult,
) -> None:
    problem: tuple[Msg, str] | None = None
    if verb in _IGNORED or (verb == "toolchain" and args == ["default"]):
        return
    if verb == "require":
        problem = _require(mod, args, comment, n)
    elif verb == "replace":
        problem = _replace(mod, args)
    elif verb == "exclude" and len(args) == 2:
        mod.excludes.add((args[0], args[1]))
    elif verb == "module" and len(args) == 1:
        mod.module = (args[0], n)
    elif verb == "go" and len(args) == 1:
        mod.go = args[0]
    elif verb == "toolchain" and len(args) == 1 and args[0].startswith("go"):
        mod.toolchain = (args[0], n)
    elif verb in ("module", "go", "toolchain", "exclude"):
        problem = (Msg.INVALID_ENTRY, f"malformed {verb} line: {' '.join([verb, *args])}")
    else:
        problem = (Msg.INVALID_ENTRY, f"unknown directive {verb!r}")
    if problem is not None:
        result.warn(problem[0], source.at(n), problem[1])


def _require(mod: _GoMod, args: list[str], comment: str, n: int) -> tuple[Msg, str] | None:
    if len(args) == 1 and args[0] not in ("(", ")"):
        return Msg.MISSING_VERSION, f"{args[0]}: require without a version"
    if len(args) != 2 or "(" in args or ")" in args:
        return Msg.INVALID_ENTRY, f"malformed require line: {' '.join(args) or '(empty)'}"
    path, version = args
    if not is_version(version):
        return Msg.INVALID_ENTRY, f"{path}: {version!r} is not a module version"
    indirect = comment == "indirect" or comment.startswith("indirect;")
    mod.requires.append(_Require(path, version, indirect, n))
    return None


def _replace(mod: _GoMod, args: list[str]) -> tuple[Msg, str] | None:
    if "=>" not in args:
        return Msg.INVALID_ENTRY, f"replace without '=>': {' '.join(args) or '(empty)'}"
    k = args.index("=>")
    old, new = args[:k], args[k + 1 :]
    if len(old) not in (1, 2) or len(new) not in (1, 2):
        return Msg.INVALID_ENTRY, f"malformed replace line: {' '.join(args)}"
    if len(new) == 1 and not is_local_path(new[0]):
        return Msg.MISSING_VERSION, f"{new[0]}: replacement module without a version"
    old_version = old[1] if len(old) == 2 else None
    mod.replaces[(old[0], old_version)] = Replacement(new[0], new[1] if len(new) == 2 else None)
    return None


def _lex(raw: str) -> tuple[list[str], str]:
    """Words of one line and its ``//`` comment; quoted strings are unquoted."""
    words: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c in " \t\r":
            i += 1
        elif raw.startswith("//", i):
            return words, raw[i + 2 :].strip()
        elif c in "()":
            words.append(c)
            i += 1
        elif c == "`":
            j = raw.find("`", i + 1)
            if j < 0:
                raise ValueError(f"unterminated raw string: {raw[i:]}")
            words.append(raw[i + 1 : j])
            i = j + 1
        elif c == '"':
            i = _quoted(raw, i, words)
        else:
            j = i
            while j < n and raw[j] not in _BARE_END and not raw.startswith("//", j):
                j += 1
            words.append(raw[i:j])
            i = j
    return words, ""


def _quoted(raw: str, i: int, words: list[str]) -> int:
    j = i + 1
    while j < len(raw) and raw[j] != '"':
        j += 2 if raw[j] == "\\" else 1
    if j >= len(raw):
        raise ValueError(f"unterminated string: {raw[i:]}")
    try:
        value = json.loads(raw[i : j + 1])  # Go's common escapes are JSON's
    except ValueError as e:
        raise ValueError(f"bad string {raw[i : j + 1]}: {e}") from e
    words.append(str(value))
    return j + 1

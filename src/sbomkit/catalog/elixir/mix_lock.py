"""mix.lock: an Elixir map literal of resolved dependencies, read without evaluating it.

``%{"name" => {:hex, :pkg, "1.2.3", "inner", [:mix], [deps], "hexpm", "outer"}, ...}``
(older locks stop after the deps or the repo) and ``{:git, url, sha, opts}``. A small
tokenizer and parser cover the literal subset mix writes: maps, tuples, lists, keyword
lists, atoms, strings, integers, booleans and nil. The outer checksum is the SHA-256 of the
package tarball. Each dependency tuple is an edge, optional ones too; an optional
dependency the lock lacks was not fetched and is not a warning. The lock marks neither
direct dependencies nor environments (those live in mix.exs), so ``direct`` is unknown and
every package is required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from sbomkit.catalog.interface import CatalogError, CatalogResult, Source
from sbomkit.i18n import Msg
from sbomkit.identity import IdentityError, make_component
from sbomkit.model import Component, Dependency, Hash

MAX_DEPTH = 64
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class Atom:
    name: str


Value = object  # str | int | bool | None | Atom | tuple | list | dict


class _Bad(Exception):
    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line, self.what = line, what


_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+|\#[^\n]*)
  | (?P<qkey>"(?:[^"\\]|\\.)*":(?=\s))
  | (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<qatom>:"(?:[^"\\]|\\.)*")
  | (?P<atom>:[A-Za-z_][\w@]*[?!]?)
  | (?P<key>[A-Za-z_][\w@]*[?!]?:(?=[\s]))
  | (?P<int>-?\d[\d_]*)
  | (?P<word>[A-Za-z_][\w@.]*[?!]?)
  | (?P<punct>%\{|=>|[{}\[\],])
    """,
    re.X | re.S,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "0": "\0"}
_WORDS: dict[str, Value] = {"true": True, "false": False, "nil": None}


def _unquote(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body[1:-1], flags=re.S)


class _Parser:
    """Recursive descent over the tokens, with a depth bound."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str, int]] = []
        pos, line = 0, 1
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                raise _Bad(line, f"unexpected {text[pos]!r}")
            kind = m.lastgroup or ""
            if kind != "ws":
                self.tokens.append((kind, m.group(), line))
            line += m.group().count("\n")
            pos = m.end()
        self.i = 0
        self.end_line = line

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("eof", "", self.end_line)

    def take(self, text: str) -> None:
        kind, tok, line = self.peek()
        if tok != text or kind not in ("punct",):
            raise _Bad(line, f"expected {text!r}, found {tok or 'end of file'!r}")
        self.i += 1

    def value(self, depth: int) -> Value:
        kind, tok, line = self.peek()
        if depth > MAX_DEPTH:
            raise _Bad(line, f"nesting deeper than {MAX_DEPTH} levels")
        self.i += 1
        if kind == "str":
            return _unquote(tok)
        if kind == "atom":
            return Atom(tok[1:])
        if kind == "qatom":
            return Atom(_unquote(tok[1:]))
        if kind == "int":  # never needed as a number; kept as text past int()'s limits
            digits = tok.replace("_", "")
            return int(digits) if len(digits) < 100 else digits
        if kind == "word" and tok in _WORDS:
            return _WORDS[tok]
        if tok == "%{":
            return dict(self.seq("}", depth, pairs=True))  # type: ignore[arg-type]
        if tok == "{":
            return tuple(self.seq("}", depth))
        if tok == "[":
            return self.seq("]", depth)
        raise _Bad(line, f"unexpected {tok or 'end of file'!r}")

    def seq(self, close: str, depth: int, *, pairs: bool = False) -> list[Value]:
        items: list[Value] = []
        while self.peek()[1] != close:
            kind, tok, _ = self.peek()
            if kind in ("key", "qkey"):  # keyword entry `name: value` / `"name": value`
                self.i += 1
                items.append((self._key(kind, tok), self.value(depth + 1)))
            elif pairs:
                key = self.value(depth + 1)
                self.take("=>")
                items.append((key, self.value(depth + 1)))
            else:
                items.append(self.value(depth + 1))
            if self.peek()[1] != close:
                self.take(",")
        self.take(close)
        return items

    @staticmethod
    def _key(kind: str, tok: str) -> Atom:
        return Atom(_unquote(tok[:-1]) if kind == "qkey" else tok[:-1])

    def top(self) -> list[tuple[Value, Value, int]]:
        """The top-level map's entries with the line of each key."""
        self.take("%{")
        out: list[tuple[Value, Value, int]] = []
        while self.peek()[1] != "}":
            kind, tok, line = self.peek()
            if kind in ("key", "qkey"):
                self.i += 1
                key: Value = self._key(kind, tok)
            else:
                key = self.value(1)
                self.take("=>")
            out.append((key, self.value(1), line))
            if self.peek()[1] != "}":
                self.take(",")
        self.take("}")
        if self.peek()[0] != "eof":
            raise _Bad(self.peek()[2], "text after the map")
        return out


def parse(source: Source, text: str) -> list[tuple[Value, Value, int]]:
    if not text.strip():
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
    try:
        return _Parser(text).top()
    except _Bad as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"{e.what} at line {e.line}") from e


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    line: int
    kind: str  # "hex", "git", ...
    package: str | None
    version: str | None
    checksum: str | None
    repo: str | None
    url: str | None
    revision: str | None
    git_ref: str | None  # "tag:v1.0", "branch:main"
    deps: tuple[tuple[str, bool], ...]  # (app name, optional)


class MixLockCataloger:
    name: ClassVar[str] = "elixir-mix-lock"

    def catalog(self, source: Source) -> CatalogResult:
        result = CatalogResult()
        entries: dict[str, _Entry] = {}
        for key, value, line in parse(source, source.read_text()):
            entry = _entry(key, value, line, source, result)
            if entry is None:
                continue
            if entry.key in entries:
                first = entries[entry.key].line
                detail = f"{entry.key}; first at line {first}"
                result.warn(Msg.DUPLICATE_ENTRY, source.at(line), detail)
                continue
            entries[entry.key] = entry
        refs: dict[str, str] = {}
        for e in entries.values():
            comp = _component(e, source, result)
            if comp is not None:
                refs[e.key] = comp.ref
                result.components.append(comp)
        _edges(entries, refs, source, result)
        result.diagnostics.sort(key=lambda d: d.location.line or 0)
        return result


def _s(value: Value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _name(value: Value) -> str | None:
    return value.name or None if isinstance(value, Atom) else _s(value)


def _keyword(value: Value) -> dict[str, Value]:
    if not isinstance(value, list):
        return {}
    pairs = (v for v in value if isinstance(v, tuple) and len(v) == 2)
    return {k.name: v for k, v in pairs if isinstance(k, Atom)}


def _entry(
    key: Value, value: Value, line: int, source: Source, result: CatalogResult
) -> _Entry | None:
    name = _s(key) or _name(key)
    if name is None:
        result.warn(Msg.MISSING_NAME, source.at(line), "entry key is not a name")
        return None
    if not isinstance(value, tuple) or not value or not isinstance(value[0], Atom):
        result.warn(Msg.INVALID_ENTRY, source.at(line), f"{name}: not a lock tuple")
        return None
    t = list(value) + [None] * 8
    kind = t[0].name
    if kind == "hex":
        deps = tuple(d for d in map(_dep, t[5] if isinstance(t[5], list) else []) if d)
        package, version, checksum, repo = _name(t[1]), _s(t[2]), _s(t[7]), _s(t[6])
        return _Entry(name, line, kind, package, version, checksum, repo, None, None, None, deps)
    if kind == "git":
        opts = _keyword(t[3])
        ref = next((f"{k}:{v}" for k in ("tag", "branch", "ref") if (v := _s(opts.get(k)))), None)
        return _Entry(name, line, kind, None, None, None, None, _s(t[1]), _s(t[2]), ref, ())
    result.warn(Msg.INVALID_ENTRY, source.at(line), f"{name}: unsupported source :{kind}")
    return None


def _dep(value: Value) -> tuple[str, bool] | None:
    if not isinstance(value, tuple) or not value:
        return None
    name = _name(value[0])
    opts = _keyword(value[2]) if len(value) > 2 else {}
    return (name, opts.get("optional") is True) if name else None


def _component(e: _Entry, source: Source, result: CatalogResult) -> Component | None:
    at = source.at(e.line)
    props: list[tuple[str, str]] = []
    hashes: tuple[Hash, ...] = ()
    url: str | None = None
    if e.kind == "hex":
        if e.version is None:
            result.warn(Msg.MISSING_VERSION, at, f"{e.key}; skipped")
            return None
        digest = (e.checksum or "").lower()
        if len(digest) == 64 and set(digest) <= _HEX:
            hashes = (Hash("SHA-256", digest),)
        if e.repo and e.repo != "hexpm":
            props.append(("sbomkit:hex-repo", e.repo))
        if e.package and e.package != e.key:
            props.append(("sbomkit:app-name", e.key))
    else:
        props.append(("sbomkit:source", e.kind))
        if e.git_ref:
            props.append(("sbomkit:git-ref", e.git_ref))
        url = f"git+{e.url}@{e.revision}" if e.url and e.revision else e.url
    try:
        return make_component(
            "hex",
            e.package or e.key,
            e.version,
            hashes=hashes,
            locations=(at,),
            source_url=url,
            properties=tuple(sorted(props)),
        )
    except IdentityError as err:
        result.warn(Msg.INVALID_ENTRY, at, err.detail)
        return None


def _edges(
    entries: dict[str, _Entry], refs: dict[str, str], source: Source, result: CatalogResult
) -> None:
    warned: set[str] = set()
    seen: set[Dependency] = set()
    for e in entries.values():
        src = refs.get(e.key)
        if src is None:
            continue
        for name, optional in e.deps:
            target = refs.get(name)
            if target is None:
                if name not in entries and not optional and name not in warned:
                    warned.add(name)
                    result.warn(Msg.UNKNOWN_DEPENDENCY, source.at(e.line), f"{name} (from {e.key})")
                continue
            dep = Dependency(src, target)
            if target != src and dep not in seen:
                seen.add(dep)
                result.dependencies.append(dep)

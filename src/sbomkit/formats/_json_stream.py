"""Big JSON SBOMs read piece by piece: the top level first, then the long arrays item by item.

A 50,000-component CycloneDX document is 35 MB of text and about 150 MB as one Python
tree. Read here, only the top level (everything but the long arrays) and one array item
are alive at a time: a first pass over the file builds the top level and skips the long
arrays; then each long array is read in a pass of its own, in the order the caller asks
for, whatever their order in the file. ijson's C backend (yajl) parses; a pass costs
about a third of a second for 50,000 components.

The result must be what ``json_document`` (orjson) would give, or nothing: the document
is :class:`Unstreamable` and the caller reads it whole. That covers every error (orjson
then says what is wrong, in its words), a top level that is no object, a long array
named twice, nesting deeper than orjson allows, integers yajl cannot hold, and escaped
lone surrogates, which yajl silently turns into ``?`` where orjson refuses the document.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ijson  # type: ignore[import-untyped]  # no stubs; used in this module only

from sbomkit.formats._safe import checked_size

# Documents at least this large are streamed (SBOMKIT_STREAM_BYTES overrides; 0 streams
# every JSON SBOM, as the tests do). Below it the whole tree is small enough.
DEFAULT_STREAM_BYTES = 8 * 1024 * 1024
# orjson refuses a document nested deeper than this (the top-level object counts as 1).
MAX_DEPTH = 1024
_CHUNK = 64 * 1024
_OPEN = frozenset(("start_map", "start_array"))
_CLOSE = frozenset(("end_map", "end_array"))
# A surrogate pair, or any other escaped surrogate: a lone one.
_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
)
_PAIR_LENGTH = 12

Observer = Callable[[str, Any], None]


class Unstreamable(Exception):
    """This document must be read whole; the reason is for debugging only."""


def stream_bytes() -> int:
    value = os.environ.get("SBOMKIT_STREAM_BYTES", "")
    return int(value) if value.isdigit() else DEFAULT_STREAM_BYTES


@dataclass(slots=True)
class JsonStream:
    """One JSON document: its top level, and its long arrays to read one item at a time."""

    path: Path
    top: dict[str, Any]  # every top-level member; a streamed array is [] here
    streamed: frozenset[str]  # the keys whose arrays are read by items()
    stamp: tuple[int, int]  # size and mtime when the top level was read
    observers: list[Observer] = field(default_factory=list)
    finished: set[str] = field(default_factory=set)  # arrays read to their end

    def items(self, key: str) -> Iterator[Any]:
        """The items of the array ``key``, each shown to the observers first."""
        if key not in self.streamed:
            return
        try:
            with self.path.open("rb") as f:
                for item in ijson.items(f, f"{key}.item", use_float=True):
                    for observe in self.observers:
                        observe(key, item)
                    yield item
        except (ijson.JSONError, ValueError, OSError) as e:
            raise Unstreamable(f"{key}: {e}") from e
        if _stamp(self.path) != self.stamp:
            raise Unstreamable("the file changed while it was read")
        self.finished.add(key)


def open_stream(path: Path, rel: str, long_keys: Collection[str]) -> JsonStream:
    """The first pass: the top level, with the arrays named in ``long_keys`` left out."""
    checked_size(path, rel)
    if ijson.backend != "yajl2_c":  # ijson's pure-Python parser is ten times slower
        raise Unstreamable(f"ijson's C backend is missing (it uses {ijson.backend})")
    try:
        stamp = _stamp(path)
        with path.open("rb") as raw:
            scanned = _Scanned(raw)
            top, streamed = _top_level(ijson.basic_parse(scanned, use_float=True), long_keys)
    except (ijson.JSONError, ValueError, OSError) as e:
        raise Unstreamable(str(e)) from e
    if scanned.lone_surrogate:
        raise Unstreamable("an escaped lone surrogate")
    return JsonStream(path, top, frozenset(streamed), stamp)


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


Events = Iterator[tuple[str, Any]]


def _top_level(events: Events, long_keys: Collection[str]) -> tuple[dict[str, Any], set[str]]:
    first = next(events, None)
    if first is None or first[0] != "start_map":
        raise Unstreamable("the top level is not an object")
    top: dict[str, Any] = {}
    streamed: set[str] = set()
    for event, key in events:
        if event == "end_map":
            break
        event, value = next(events)
        if key in long_keys and key in top:
            raise Unstreamable(f"{key} appears twice")
        if key in long_keys and event == "start_array":
            _skip(events)
            top[key] = []
            streamed.add(key)
        else:
            top[key] = _value(event, value, events)
    for _ in events:  # yajl refuses anything after the document; never reached
        raise Unstreamable("content after the document")
    return top, streamed


def _skip(events: Events) -> None:
    """Past the end of the array just opened, which sits at depth 2 (the top level is 1)."""
    for _ in _member(events):
        pass


def _member(events: Events) -> Events:
    """The events of a top-level member's value just opened, up to its close."""
    depth = 2
    for event, value in events:
        yield event, value
        if event in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise Unstreamable("nested too deeply")
        elif event in _CLOSE:
            depth -= 1
            if depth == 1:
                return
    raise Unstreamable("the document ends inside an array")  # yajl says so first


def _value(event: str, value: Any, events: Events) -> Any:
    """A top-level member's value, built the way orjson builds it."""
    if event not in _OPEN:
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    for inner in _member(events):
        builder.event(*inner)
    return builder.value


class _Scanned:
    """A binary file whose chunks are searched for escaped lone surrogates on the way."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.tail = b""
        self.lone_surrogate = False

    def read(self, size: int = _CHUNK) -> bytes:
        chunk = self.raw.read(size)
        if not size or self.lone_surrogate:  # ijson first reads 0 bytes to learn the type
            return chunk
        text = self.tail + chunk
        # An escape near the end may be half of a pair that the next chunk completes.
        limit = len(text) - _PAIR_LENGTH + 1 if chunk else len(text)
        cut = max(limit, 0)
        for m in _SURROGATE.finditer(text):
            if m.start() >= limit:
                break
            if m.end() - m.start() != _PAIR_LENGTH:
                self.lone_surrogate = True
            cut = max(cut, m.end())
        self.tail = text[cut:]
        return chunk

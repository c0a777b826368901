"""YAML for lockfiles (pnpm, yarn berry, pubspec, Podfile, stack): libyaml's event stream
read into plain dicts, lists and strings, with exact key lines, a nesting limit and no
type guessing (a package named ``yes`` stays a string, version ``1.10`` stays ``1.10``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from sbomkit.catalog.interface import CatalogError, Source
from sbomkit.i18n import Msg

try:  # libyaml; the pure-Python parser is the fallback
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    CParser = None  # type: ignore[assignment,misc]


@dataclass(slots=True)
class YamlDoc:
    root: dict[str, object]
    # 1-based line of each key at depth <= key_depth, by its path: ("packages", "a@1.0.0").
    lines: dict[tuple[str, ...], int]
    # Later occurrences of a key already seen in the same mapping (depth <= key_depth).
    duplicates: list[tuple[tuple[str, ...], int]]


_NOKEY = object()
# Lockfiles nest five or six levels. libyaml's scanner does work proportional to the flow
# depth for every token, so 100,000 nested `[` take a minute; stop long before that.
MAX_DEPTH = 64


class _Frame:
    __slots__ = ("container", "key", "key_line", "path")

    def __init__(self, container: dict[str, object] | list[object], path: tuple[str, ...] | None):
        self.container = container
        self.path = path  # set when this mapping's keys are recorded
        self.key: object = _NOKEY
        self.key_line = 0


class _Bad(Exception):
    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line, self.what = line, what


def load_yaml(source: Source, text: str, key_depth: int) -> YamlDoc:
    """One YAML document whose top level is a mapping, or CatalogError(WRONG_FORMAT)."""
    if not text.strip():
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
    try:
        doc = _build(text, key_depth)
    except _Bad as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"{e.what} at line {e.line}") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"invalid YAML{where}: {problem}") from e
    if not isinstance(doc.root, dict):
        kind = "empty" if doc.root is _NOKEY else f"a {type(doc.root).__name__}"
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, f"top level is {kind}, not a mapping")
    return doc


def _event_source(text: str) -> tuple[Callable[[], Event | None], Callable[[], None]]:
    if CParser is not None:
        parser = CParser(text)
        return parser.get_event, parser.dispose
    events = yaml.parse(text, Loader=yaml.BaseLoader)
    return lambda: next(events, None), lambda: None


def _build(text: str, key_depth: int) -> YamlDoc:
    get, dispose = _event_source(text)
    stack: list[_Frame] = []
    anchors: dict[str, object] = {}
    lines: dict[tuple[str, ...], int] = {}
    dups: list[tuple[tuple[str, ...], int]] = []
    root: object = _NOKEY
    documents = 0
    value: object
    try:
        while (ev := get()) is not None:
            cls = type(ev)
            if cls is ScalarEvent:
                value = ev.value  # type: ignore[attr-defined]
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:  # libyaml slows down quadratically with depth
                    raise _Bad(_line(ev), f"nesting deeper than {MAX_DEPTH} levels")
                container: dict[str, object] | list[object] = {} if cls is MappingStartEvent else []
                stack.append(_Frame(container, _child_path(stack, key_depth, container)))
                if ev.anchor:  # type: ignore[attr-defined]
                    anchors[ev.anchor] = container  # type: ignore[attr-defined]
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                value = stack.pop().container
            elif cls is AliasEvent:
                if ev.anchor not in anchors:  # type: ignore[attr-defined]
                    raise _Bad(_line(ev), "unknown alias")
                value = anchors[ev.anchor]  # type: ignore[attr-defined]
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Bad(_line(ev), "more than one YAML document")
                continue
            else:
                continue
            if cls is ScalarEvent and ev.anchor:  # type: ignore[attr-defined]
                anchors[ev.anchor] = value  # type: ignore[attr-defined]
            if not stack:
                root = value
                continue
            _attach(stack[-1], value, ev, lines, dups)
    finally:
        dispose()
    return YamlDoc(root, lines, dups)  # type: ignore[arg-type]  # checked by load_yaml


def _line(ev: Event) -> int:
    mark = ev.start_mark
    return 0 if mark is None else mark.line + 1


def _child_path(
    stack: list[_Frame], key_depth: int, container: dict[str, object] | list[object]
) -> tuple[str, ...] | None:
    if type(container) is not dict or len(stack) >= key_depth:
        return None
    if not stack:
        return ()
    parent = stack[-1]
    if parent.path is None or not isinstance(parent.key, str):
        return None
    return (*parent.path, parent.key)


def _attach(
    top: _Frame,
    value: object,
    ev: Event,
    lines: dict[tuple[str, ...], int],
    dups: list[tuple[tuple[str, ...], int]],
) -> None:
    c = top.container
    if type(c) is list:
        c.append(value)
        return
    if top.key is _NOKEY:
        if type(value) is not str:
            raise _Bad(_line(ev), "mapping key is not a string")
        top.key = value
        if top.path is not None:
            top.key_line = _line(ev)
        return
    key = top.key
    top.key = _NOKEY
    assert type(c) is dict and type(key) is str
    if key not in c:
        c[key] = value
        if top.path is not None:
            lines[(*top.path, key)] = top.key_line
    elif top.path is not None:
        dups.append(((*top.path, key), top.key_line))


def as_map(value: object) -> dict[str, object]:
    """A mapping from the YAML reader (keys are always str), or {} for anything else."""
    return value if isinstance(value, dict) else {}


def str_map(value: object) -> dict[str, str]:
    """``{name: range}``; entries whose value is not a string are dropped."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str) and k}


# -- graph ----------------------------------------------------------------------------------

"""Maven: the ``ComparableVersion`` algorithm of Maven 3 (maven-artifact).

A version is a tree of items: numbers, qualifiers and sub-lists (a sub-list starts at
``-`` and at each digit/letter transition). Qualifiers order as
``alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp`` and then
any other word alphabetically; trailing "null" items (0, "", ga, final, release) are
trimmed. Items of different kinds compare as string < list < number, and a missing item
compares as null. That padding rule does not fit a plain tuple, so the key is a small
class whose comparisons walk the two trees.
"""

from __future__ import annotations

from typing import Any

from sbomkit.versions.interface import VersionKey, VersionScheme

_QUALIFIERS = ("alpha", "beta", "milestone", "rc", "snapshot", "", "sp")
_RELEASE = "5"  # index of "" in _QUALIFIERS, as a string like Maven's
_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_SHORT = {"a": "alpha", "b": "beta", "m": "milestone"}

# An item is an int, a str (already its comparable qualifier) or a tuple (a sub-list).
Item = int | str | tuple[Any, ...]


def _qualifier(word: str, followed_by_digit: bool) -> str:
    if followed_by_digit and word in _SHORT:
        word = _SHORT[word]
    word = _ALIASES.get(word, word)
    if word in _QUALIFIERS:
        return str(_QUALIFIERS.index(word))
    return f"{len(_QUALIFIERS)}-{word}"


def _is_null(item: Item) -> bool:
    return item == 0 or item == _RELEASE or item == ()


def _normalize(items: list[Item]) -> tuple[Item, ...]:
    i = len(items) - 1
    while i >= 0:
        if _is_null(items[i]):
            del items[i]
        elif not isinstance(items[i], tuple):
            break
        i -= 1
    return tuple(items)


def parse_items(version: str) -> tuple[Item, ...]:
    """Maven 3's ``parseVersion``: nested tuples, each sub-list normalized."""
    version = version.lower()
    stack: list[list[Item]] = [[]]
    is_digit = False
    start = 0

    def new_list() -> None:
        stack.append([])

    def add(item: Item) -> None:
        stack[-1].append(item)

    def item(text: str, digit: bool, followed_by_digit: bool = False) -> Item:
        return int(text) if digit else _qualifier(text, followed_by_digit)

    for i, c in enumerate(version):
        if c == ".":
            add(0 if i == start else item(version[start:i], is_digit))
            start = i + 1
        elif c == "-":
            add(0 if i == start else item(version[start:i], is_digit))
            start = i + 1
            new_list()
        elif c.isdigit():
            if not is_digit and i > start:
                add(item(version[start:i], False, followed_by_digit=True))
                start = i
                new_list()
            is_digit = True
        else:
            if is_digit and i > start:
                add(item(version[start:i], True))
                start = i
                new_list()
            is_digit = False
    if len(version) > start:
        add(item(version[start:], is_digit))
    # Close the sub-lists innermost first, as Maven pops its stack.
    while len(stack) > 1:
        inner = _normalize(stack.pop())
        stack[-1].append(inner)
    return _normalize(stack[0])


def _cmp_null(a: Item) -> int:
    """``a.compareTo(null)``."""
    if isinstance(a, int):
        return 0 if a == 0 else 1
    if isinstance(a, str):
        return (a > _RELEASE) - (a < _RELEASE)
    for sub in a:
        r = _cmp_null(sub)
        if r:
            return r
    return 0


def compare_items(a: Item | None, b: Item | None) -> int:
    if a is None:
        return 0 if b is None else -compare_items(b, None)
    if b is None:
        return _cmp_null(a)
    if isinstance(a, int):
        return ((a > b) - (a < b)) if isinstance(b, int) else 1
    if isinstance(a, str):
        return ((a > b) - (a < b)) if isinstance(b, str) else -1
    if isinstance(b, int):
        return -1
    if isinstance(b, str):
        return 1
    for i in range(max(len(a), len(b))):
        r = compare_items(a[i] if i < len(a) else None, b[i] if i < len(b) else None)
        if r:
            return r
    return 0


class MavenKey:
    """Sort key of one Maven version; equal keys have equal item trees."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[Item, ...]) -> None:
        self.items = items

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MavenKey) and compare_items(self.items, other.items) == 0

    def __hash__(self) -> int:
        return hash(self.items)

    def __lt__(self, other: MavenKey) -> bool:
        return compare_items(self.items, other.items) < 0

    def __le__(self, other: MavenKey) -> bool:
        return compare_items(self.items, other.items) <= 0

    def __gt__(self, other: MavenKey) -> bool:
        return compare_items(self.items, other.items) > 0

    def __ge__(self, other: MavenKey) -> bool:
        return compare_items(self.items, other.items) >= 0

    def __repr__(self) -> str:
        return f"MavenKey({self.items!r})"


class MavenVersion(VersionScheme):
    """Maven 3 ``ComparableVersion``; every string is a version, only empty ones are not."""

    label = "Maven"

    @staticmethod
    def parse(text: str) -> VersionKey:
        if not text.strip():
            raise ValueError("empty version")
        return MavenKey(parse_items(text.strip()))

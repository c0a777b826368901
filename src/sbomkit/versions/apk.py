"""Alpine: apk-tools' version comparison (``apk_version_compare``) as a tuple key.

apk reads a version as a chain of tokens (digit, letter, ``_suffix``, suffix number,
``-rN``) and compares token values in turn; where one chain continues with a different
kind of token, the kind decides: a pre-release suffix (``_alpha``, ``_beta``, ``_pre``,
``_rc``) makes a version older, otherwise the token kind that comes later in the chain
makes it older. The key interleaves values and kind weights so that tuple comparison
follows the same steps.
"""

from __future__ import annotations

from sbomkit.versions.interface import VersionKey, VersionScheme

# apk-tools token kinds, in its order.
_DIGIT_OR_ZERO, _DIGIT, _LETTER, _SUFFIX, _SUFFIX_NO, _REVISION_NO, _END = range(7)
_PRE = ("alpha", "beta", "pre", "rc")
_POST = ("cvs", "svn", "git", "hg", "p")
_PRE_SUFFIX_WEIGHT = -100  # lower than every kind weight (-kind)
_ALLOWED_STEPS = {(_DIGIT, _DIGIT_OR_ZERO), (_SUFFIX_NO, _SUFFIX), (_LETTER, _DIGIT)}


def _next_kind(kind: int, text: str, i: int) -> tuple[int, int]:
    """The kind of the token starting at ``text[i]`` and where its value starts."""
    if i >= len(text):
        return _END, i
    c, at = text[i], i
    if kind in (_DIGIT, _DIGIT_OR_ZERO) and "a" <= c <= "z":
        new = _LETTER
    elif kind == _LETTER and c.isdigit():
        new = _DIGIT
    elif kind == _SUFFIX and c.isdigit():
        new = _SUFFIX_NO
    elif c == ".":
        new, i = _DIGIT_OR_ZERO, i + 1
    elif c == "_":
        new, i = _SUFFIX, i + 1
    elif c == "-" and text[i + 1 : i + 2] == "r":
        new, i = _REVISION_NO, i + 2
    else:
        raise ValueError(f"unexpected {c!r} at offset {at}")
    if new < kind and (kind, new) not in _ALLOWED_STEPS:
        raise ValueError(f"{c!r} at offset {at} is out of order")
    return new, i


def _digits(text: str, i: int) -> tuple[int, int]:
    j = i
    while j < len(text) and text[j].isdigit():
        j += 1
    return (int(text[i:j]) if j > i else 0), j


def _suffix(text: str, i: int) -> tuple[int, int]:
    for n, name in enumerate(_PRE):
        if text.startswith(name, i):
            return n - len(_PRE), i + len(name)
    for n, name in enumerate(_POST):
        if text.startswith(name, i):
            return n, i + len(name)
    raise ValueError(f"unknown suffix at offset {i}")


def _token(kind: int, text: str, i: int) -> tuple[int, int, int]:
    """Value of the token of ``kind`` at ``i``, then the next kind and its start."""
    if kind == _DIGIT_OR_ZERO and text.startswith("0", i):
        j = i
        while j < len(text) and text[j] == "0":
            j += 1
        return i - j, (_END if j >= len(text) else _DIGIT), j
    if kind == _LETTER:
        value, j = ord(text[i]), i + 1
    elif kind == _SUFFIX:
        value, j = _suffix(text, i)
    else:
        value, j = _digits(text, i)
    if j >= len(text):
        return value, _END, j
    return (value, *_next_kind(kind, text, j))


def _weight(kind: int, text: str, i: int) -> int:
    if kind == _SUFFIX and _suffix(text, i)[0] < 0:
        return _PRE_SUFFIX_WEIGHT
    return -kind


class ApkVersion(VersionScheme):
    """apk-tools 2 rules: ``1.2.3a_rc1_p2-r4``; leading zeros after a dot are significant."""

    label = "Alpine (apk)"

    @staticmethod
    def parse(text: str) -> VersionKey:
        if not text or not text[0].isdigit():
            raise ValueError("must start with a digit")
        key: list[int] = []
        kind, i = _DIGIT, 0
        while kind != _END:
            value, kind, i = _token(kind, text, i)
            key.append(value)
            key.append(_weight(kind, text, i))
        return tuple(key)

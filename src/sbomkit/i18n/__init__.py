"""User-facing text in English and Japanese.

Code passes a :class:`Msg` and parameters; only :func:`render` turns them into words, so a
message is written once per language and never assembled ad hoc.
"""

from __future__ import annotations

import os
from enum import StrEnum

from sbomkit.i18n.catalog import TEXT

LANGS = ("en", "ja")


class Msg(StrEnum):
    # Errors: the file cannot be used at all.
    FILE_UNREADABLE = "file-unreadable"
    FILE_TOO_LARGE = "file-too-large"
    WRONG_FORMAT = "wrong-format"
    UNSUPPORTED_VERSION = "unsupported-version"
    PATH_NOT_FOUND = "path-not-found"
    NOTHING_FOUND = "nothing-found"
    BAD_OPTION = "bad-option"
    INTERNAL = "internal"
    # Warnings: one entry is skipped or incomplete, the rest of the file is used.
    MISSING_NAME = "missing-name"
    MISSING_VERSION = "missing-version"
    INVALID_ENTRY = "invalid-entry"
    DUPLICATE_ENTRY = "duplicate-entry"
    UNPINNED = "unpinned"
    UNRESOLVED_INCLUDE = "unresolved-include"
    NON_REGISTRY_SOURCE = "non-registry-source"
    UNKNOWN_DEPENDENCY = "unknown-dependency"
    SYMLINK_OUTSIDE_ROOT = "symlink-outside-root"
    # Report words.
    SUMMARY_TITLE = "summary-title"
    COL_ECOSYSTEM = "col-ecosystem"
    COL_COMPONENTS = "col-components"
    COL_DIRECT = "col-direct"
    COL_DEV = "col-dev"
    COL_FILES = "col-files"
    TOTAL = "total"
    WROTE = "wrote"
    WARNINGS_HEADER = "warnings-header"
    SCANNING = "scanning"


def current_lang(explicit: str | None = None) -> str:
    """``--lang`` wins; then SBOMKIT_LANG, LC_ALL, LC_MESSAGES, LANG; default English."""
    if explicit:
        return explicit
    for var in ("SBOMKIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def render(code: Msg, lang: str, where: str | None = None, detail: str = "", **kw: object) -> str:
    """``"<where>: <message> (<detail>)"`` in the chosen language; ``kw`` fills placeholders."""
    text = TEXT[code.value][1 if lang == "ja" else 0].format(**kw)
    if detail:
        text = f"{text} ({detail})"
    return f"{where}: {text}" if where else text

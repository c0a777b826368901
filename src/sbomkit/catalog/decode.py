"""Decoding helpers every cataloger may use: read JSON/TOML without trusting its shape.

Parsed input is untrusted: these helpers turn "a list where a table was expected" into an
empty value or a wrong-format error instead of an exception the fuzz tests would catch.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import PurePosixPath

from sbomkit.catalog import _toml as toml
from sbomkit.catalog.interface import CatalogError, Source
from sbomkit.i18n import Msg

Table = dict[str, object]


def clip(text: str, limit: int = 200) -> str:
    """Input quoted in a warning, cut to a readable length."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def as_table(value: object) -> Table:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def as_str(value: object) -> str | None:
    """A non-blank string, stripped; anything else is None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def as_bool(value: object) -> bool:
    return value is True


def str_tuple(value: object) -> tuple[str, ...]:
    return tuple(s for s in (as_str(v) for v in as_list(value)) if s)


def load_toml(source: Source) -> tuple[Table, str]:
    """The parsed document and its text; empty or invalid input is a wrong-format error."""
    text = non_empty_text(source)
    try:
        return toml.loads(text), text
    except tomllib.TOMLDecodeError as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, str(e)) from e
    except RecursionError as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "nested too deeply") from e


def load_json(source: Source) -> tuple[object, str]:
    text = non_empty_text(source)
    try:
        return json.loads(text, object_pairs_hook=_pairs), text
    except RecursionError as e:
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "nested too deeply") from e
    except ValueError as e:  # JSONDecodeError, and int digit limits
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, str(e)) from e


def load_json_object(source: Source) -> tuple[Table, str]:
    """:func:`load_json` for formats whose top level must be an object."""
    data, text = load_json(source)
    if not isinstance(data, dict):
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "top level is not an object")
    return data, text


class JsonObject(dict[str, object]):
    """A JSON object that remembers keys it saw more than once; the first value wins."""

    duplicates: tuple[str, ...] = ()


def _pairs(pairs: list[tuple[str, object]]) -> JsonObject:
    obj = JsonObject(pairs)
    if len(obj) != len(pairs):
        obj = JsonObject()
        dups: list[str] = []
        for k, v in pairs:
            if k in obj:
                dups.append(k)
            else:
                obj[k] = v
        obj.duplicates = tuple(dups)
    return obj


def non_empty_text(source: Source) -> str:
    text = source.read_text()
    if not text.strip():
        raise CatalogError(Msg.WRONG_FORMAT, source.rel, "empty file")
    return text


def sibling_rel(source: Source, name: str) -> str:
    """The user-facing path of ``name`` beside the source."""
    rel_dir = str(PurePosixPath(source.rel).parent)
    return name if rel_dir == "." else f"{rel_dir}/{name}"

"""JSON schema validation: fastjsonschema says yes or no, jsonschema explains a no.

fastjsonschema compiles a schema to Python once (1-2 s for CycloneDX 1.6) and then checks
50,000 components in about 3 s (see fastpath.py); jsonschema takes several times as long
but reports every error with its path, so it runs only on documents found invalid.
Schemas that use keywords newer than draft 7 (SPDX 3's ``unevaluatedProperties``) are
beyond fastjsonschema and go to jsonschema directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import fastjsonschema
import orjson

from sbomkit.validate.fastpath import compile_fast
from sbomkit.validate.narrow import Narrowed, narrow
from sbomkit.validate.result import Found, Problem

if TYPE_CHECKING:
    # jsonschema is imported only to explain an invalid document: importing it takes
    # 30 MB and, with its format checkers installed, about two seconds.
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator
    from referencing import Resource

Json = dict[str, Any]

# Keywords fastjsonschema (drafts 4, 6, 7) does not know; a schema using one is not
# compiled, since fastjsonschema would silently ignore the keyword.
_LATER_KEYWORDS = frozenset(
    {
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentRequired",
        "dependentSchemas",
        "prefixItems",
        "$dynamicRef",
        "$recursiveRef",
        "minContains",
        "maxContains",
    }
)
# Format checks that cost little per value; jsonschema skips any whose library is absent.
_FORMATS = ("date-time", "date", "time", "email", "idn-email", "ipv4", "ipv6")
_MESSAGE_LIMIT = 240
# A schema whose root has only these keywords checks each top-level member on its own;
# an array member with only these is checked item by item, plus uniqueItems.
_ROOT_KEYWORDS = frozenset(
    (
        *("$schema", "$id", "$comment", "title", "description", "type", "definitions"),
        *("properties", "required", "additionalProperties"),
    )
)
_ARRAY_KEYWORDS = frozenset(
    ("$id", "$comment", "title", "description", "type", "items", "additionalItems", "uniqueItems")
)
_SCOPE_KEYWORDS = ("$schema", "$id", "definitions")


@dataclass(frozen=True, slots=True)
class ArrayItems:
    passes: Callable[[object], bool]  # one item, as a member of the array
    unique: bool  # the array's items must differ


class JsonChecker:
    """One schema, with its ``$ref``'d siblings read from the same folder, never the net."""

    def __init__(self, path: Path) -> None:
        self.folder = path.parent
        self.schema: Json = orjson.loads(path.read_bytes())
        self.fast: Callable[[object], object] | None = None
        if not (_keywords(self.schema) & _LATER_KEYWORDS):
            self.fast = compile_fast(self.schema, self._sibling)
        self._slow: Validator | None = None
        self._items: dict[str, ArrayItems | None] = {}

    def check(self, doc: Any, cap: int) -> Found:
        if self.fast is None:
            return _found(list(self.slow().iter_errors(doc)), None, cap)
        try:
            self.fast(doc)
            return Found((), 0)
        except fastjsonschema.JsonSchemaValueException as e:
            fast_error = e
        narrowed = narrow(doc, self.passes)
        errors = list(self.slow().iter_errors(narrowed.doc)) if narrowed else []
        if not errors and narrowed is not None and self._only_in(narrowed, doc):
            # Only fastjsonschema sees what is wrong with the failing items (a format), and
            # the rest passes: jsonschema over the whole document would find nothing more.
            return Found((_from_fast(fast_error),), 1)
        if not errors:
            narrowed = None
            errors = list(self.slow().iter_errors(doc))
        if not errors:
            # Only fastjsonschema saw it (a format jsonschema cannot check here).
            return Found((_from_fast(fast_error),), 1)
        return _found(errors, narrowed, cap)

    def _only_in(self, narrowed: Narrowed, doc: dict[str, Any]) -> bool:
        """Whether the failing items still fail alone and the document passes without them."""
        if not any(narrowed.index.values()) or self.passes(narrowed.doc):
            return False
        rest = {}
        for key, found in narrowed.index.items():
            drop = set(found)
            rest[key] = [item for i, item in enumerate(doc[key]) if i not in drop]
        return self.passes(doc | rest)

    def passes(self, doc: object) -> bool:
        """fastjsonschema's verdict alone (only for a checker with a fast path)."""
        assert self.fast is not None
        try:
            self.fast(doc)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    def array_items(self, key: str) -> ArrayItems | None:
        """How to check the items of the top-level array ``key`` one at a time, or None when
        the schema does not allow it (see :mod:`.stream`)."""
        if key not in self._items:
            self._items[key] = self._array_items(key)
        return self._items[key]

    def _array_items(self, key: str) -> ArrayItems | None:
        schema = self.schema
        prop = schema.get("properties", {}).get(key)
        if (
            self.fast is None
            or not set(schema) <= _ROOT_KEYWORDS
            or schema.get("type", "object") != "object"
            or not isinstance(prop, dict)
            or not set(prop) <= _ARRAY_KEYWORDS
            or prop.get("type") != "array"
            or not isinstance(prop.get("items"), dict)
        ):
            return None
        alone = {k: v for k, v in prop.items() if k != "uniqueItems"}
        # The root's $id and definitions, so that every $ref resolves as in the whole schema.
        wrapper = {k: v for k, v in schema.items() if k in _SCOPE_KEYWORDS}
        wrapper |= {"type": "object", "properties": {key: alone}}
        fast = compile_fast(wrapper, self._sibling)

        def passes(item: object) -> bool:
            try:
                fast({key: [item]})
            except fastjsonschema.JsonSchemaValueException:
                return False
            return True

        return ArrayItems(passes, prop.get("uniqueItems") is True)

    def slow(self) -> Validator:
        if self._slow is None:
            from jsonschema import FormatChecker
            from jsonschema.validators import validator_for
            from referencing import Registry

            cls = validator_for(self.schema)
            registry: Registry[Any] = Registry(retrieve=self._resource)  # type: ignore[call-arg]
            self._slow = cls(self.schema, registry=registry, format_checker=FormatChecker(_FORMATS))
        return self._slow

    def _sibling(self, uri: str) -> Json:
        name = Path(urlsplit(uri).path).name
        path = self.folder / name
        if not name or not path.is_file():
            raise fastjsonschema.JsonSchemaDefinitionException(f"no local schema for {uri}")
        doc: Json = orjson.loads(path.read_bytes())
        return doc

    def _resource(self, uri: str) -> Resource[Any]:
        from referencing import Resource
        from referencing.exceptions import NoSuchResource

        try:
            return Resource.from_contents(self._sibling(uri))
        except fastjsonschema.JsonSchemaDefinitionException as e:
            raise NoSuchResource(ref=uri) from e  # type: ignore[call-arg]


@cache
def _checker(path: Path, stamp: int) -> JsonChecker:
    return JsonChecker(path)


def checker(path: Path) -> JsonChecker:
    """Compiled once per schema file version and kept for the life of the process."""
    return _checker(path, path.stat().st_mtime_ns)


def _found(errors: list[ValidationError], narrowed: Narrowed | None, cap: int) -> Found:
    """The best match first, then the rest in document order; each at its deepest cause."""
    from jsonschema.exceptions import best_match

    if not errors:
        return Found((), 0)
    shown = [best_match([e]) or e for e in errors]
    best = best_match(errors)
    first = next((i for i, e in enumerate(shown) if e is best), 0)
    order = [shown[first], *shown[:first], *shown[first + 1 :]][:cap]
    where = narrowed.original if narrowed else list
    problems = tuple(Problem(_short(e.message), pointer(where(e.absolute_path))) for e in order)
    return Found(problems, len(errors))


def _from_fast(error: fastjsonschema.JsonSchemaValueException) -> Problem:
    path = list(error.path or [])[1:]  # path[0] is the name "data"
    return Problem(_short(str(error.message)), pointer(path))


def pointer(parts: Any) -> str:
    """RFC 6901: ``~`` and ``/`` inside a key are escaped."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _short(message: str) -> str:
    """Enum messages list every allowed value (600 SPDX licence ids); keep the start."""
    return message if len(message) <= _MESSAGE_LIMIT else message[:_MESSAGE_LIMIT] + "..."


def _keywords(node: object) -> set[str]:
    return set(_walk_keys(node))


def _walk_keys(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _walk_keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_keys(item)

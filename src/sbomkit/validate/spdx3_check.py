"""SPDX 3.0.1 JSON-LD against its JSON schema, element by element.

The schema's ``@graph`` items are an ``anyOf`` over about 80 classes, each an ``allOf``
chain with ``unevaluatedProperties``; jsonschema evaluates every element against every
class and re-validates nested objects once per ``allOf`` level, which took five minutes
for a 300-element document. The same rules, applied the way the schema means them: the
document without its elements against the whole schema, then each element against the
one class its ``type`` names (an unknown ``type`` is itself the error). Each anyOf's
string branches are tried first (a reference is a string), and ``unevaluatedProperties``
results are remembered within one element.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

import jsonschema_rs
import orjson
from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema._keywords import unevaluatedProperties

from sbomkit.validate.jsonschema_check import _found
from sbomkit.validate.result import Found, Problem

Json = dict[str, Any]

_KEYWORD = cast(Any, unevaluatedProperties)  # a generator; the stubs say it returns None
_MEMO: dict[tuple[int, int], list[ValidationError]] = {}


def _unevaluated(
    validator: Any, value: Any, instance: Any, schema: Json
) -> Iterator[ValidationError]:
    key = (id(instance), id(schema))
    if key not in _MEMO:
        _MEMO[key] = list(_KEYWORD(validator, value, instance, schema))
    yield from _MEMO[key]


_Validator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"unevaluatedProperties": _unevaluated}
)


def _strings_first(node: Any) -> Any:
    if isinstance(node, list):
        return [_strings_first(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strings_first(v) for k, v in node.items()}
    if isinstance(out.get("anyOf"), list):
        out["anyOf"] = sorted(out["anyOf"], key=lambda b: b.get("type") == "object")
    return out


class Spdx3Checker:
    def __init__(self, path: Path) -> None:
        self.schema: Json = orjson.loads(path.read_bytes())
        self.defs: Json = _strings_first(self.schema.get("$defs", {}))
        self.whole = Draft202012Validator(self.schema)
        self._classes: dict[str, Any] = {}
        # jsonschema-rs decides whether a document passes in a fraction of a second (the
        # element-by-element check below takes seconds); that check then only runs to name
        # what fails, with jsonschema's messages.
        self.quick = jsonschema_rs.validator_for(self.schema)

    def _class(self, kind: str) -> Any:
        if kind not in self._classes:
            item = {"type": "object", "$ref": f"#/$defs/{kind}", "unevaluatedProperties": False}
            schema = {"$schema": self.schema.get("$schema"), "$defs": self.defs, **item}
            self._classes[kind] = _Validator(schema)
        return self._classes[kind]

    def check(self, doc: Any, cap: int) -> Found:
        if self.quick.is_valid(doc):
            return Found((), 0)
        graph = doc.get("@graph") if isinstance(doc, dict) else None
        if not isinstance(graph, list):
            return _found(list(self.whole.iter_errors(doc)), None, cap)
        found = _found(list(self.whole.iter_errors({**doc, "@graph": []})), None, cap)
        problems, total = list(found.problems), found.total
        for i, element in enumerate(graph):
            kind = element.get("type") if isinstance(element, dict) else None
            if not isinstance(kind, str) or kind not in self.defs:
                problems.append(Problem(f"unknown element type {kind!r}", f"/@graph/{i}/type"))
                total += 1
                continue
            _MEMO.clear()
            errors = list(self._class(kind).iter_errors(element))
            _MEMO.clear()
            if errors:
                inner = _found(errors, None, cap)
                total += inner.total
                problems += [
                    Problem(p.message, f"/@graph/{i}{p.pointer or ''}") for p in inner.problems
                ]
        return Found(tuple(problems[:cap]), total)


@cache
def spdx3_checker(path: Path) -> Spdx3Checker:
    return Spdx3Checker(path)

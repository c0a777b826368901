"""Schema validation of a JSON SBOM read as a stream: the top level whole, arrays item by item.

A schema whose root only lists its properties (type, properties, required,
additionalProperties, definitions: CycloneDX 1.2-1.6 and SPDX 2.2/2.3) checks each
top-level member on its own, so a document passes fastjsonschema exactly when

- its top level, with the streamed arrays left empty, passes;
- each streamed item passes the array's item schema (checked as ``{key: [item]}``);
- and in an array with ``uniqueItems`` no two items are equal, told apart by a hash of
  the canonical JSON text that the whole-document check compares (``fastpath``).

When any of that fails, ``found()`` is None and the caller checks the whole document the
usual way, so the problems listed, their order and their JSON pointers are those of a
small document. A hash collision between two different items only sends a valid
document the long way; it never passes an invalid one.
"""

from __future__ import annotations

from sbomkit.formats._json_stream import JsonStream, Unstreamable
from sbomkit.validate.fastpath import unique_key
from sbomkit.validate.jsonschema_check import ArrayItems, JsonChecker
from sbomkit.validate.result import Found


class StreamCheck:
    """Watches the items of a stream go by; Unstreamable when the schema does not allow it."""

    def __init__(self, checker: JsonChecker, stream: JsonStream) -> None:
        arrays: dict[str, ArrayItems] = {}
        for key in stream.streamed:
            found = checker.array_items(key)
            if found is None:
                raise Unstreamable(f"the schema checks {key} as a whole")
            arrays[key] = found
        self.stream = stream
        self.arrays = arrays
        self.seen: dict[str, set[int]] = {k: set() for k, a in arrays.items() if a.unique}
        self.ok = checker.passes(stream.top)
        stream.observers.append(self._item)

    def _item(self, key: str, item: object) -> None:
        if not self.ok:
            return
        if not self.arrays[key].passes(item):
            self._fail()
            return
        seen = self.seen.get(key)
        if seen is not None:
            try:
                digest = hash(unique_key(item))
            except TypeError:  # orjson cannot write it (nested too deeply): see it whole
                self._fail()
                return
            if digest in seen:
                self._fail()
            else:
                seen.add(digest)

    def _fail(self) -> None:
        self.ok = False
        self.seen.clear()

    def found(self) -> Found | None:
        """No problems, once every streamed array has been read; None: check it whole."""
        if self.ok and self.stream.finished >= self.stream.streamed:
            return Found((), 0)
        return None

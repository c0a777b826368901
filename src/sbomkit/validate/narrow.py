"""Find the bad items of a document's long arrays before jsonschema looks at any of them.

jsonschema needs minutes for 50,000 components; fastjsonschema checks one item in tens of
microseconds. Each item of a long top-level array (``components``, ``packages``) is tried
alone in a copy of the document whose long arrays are emptied, and jsonschema then gets
the document with only the items that failed. Array-wide rules (``uniqueItems``) cannot be
seen item by item: when no single item fails, the caller checks the whole document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

LONG = 200


@dataclass(frozen=True, slots=True)
class Narrowed:
    doc: dict[str, Any]  # long arrays cut down to their failing items
    index: dict[str, list[int]]  # array key -> original index of each kept item

    def original(self, path: Sequence[Any]) -> list[Any]:
        """An error path in the narrowed document as a path in the original one."""
        parts = list(path)
        if len(parts) >= 2 and parts[0] in self.index and isinstance(parts[1], int):
            parts[1] = self.index[parts[0]][parts[1]]
        return parts


def narrow(doc: object, passes: Callable[[object], bool]) -> Narrowed | None:
    if not isinstance(doc, dict):
        return None
    long = {k: v for k, v in doc.items() if isinstance(v, list) and len(v) >= LONG}
    if not long:
        return None
    base = doc | {k: [] for k in long}
    index = {
        key: [i for i, item in enumerate(items) if not passes(base | {key: [item]})]
        for key, items in long.items()
    }
    kept = {key: [long[key][i] for i in found] for key, found in index.items()}
    return Narrowed(base | kept, index)

"""SPDX 2.x YAML decoded to the JSON shape the schema describes, with each node's line.

Typed like JSON (``filesAnalyzed: false`` is a boolean) but timestamps stay strings, as
they are in SPDX JSON. Aliases are refused: a few lines of them expand to gigabytes.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(None, None, "aliases are not allowed", event.start_mark)
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlDocument:
    def __init__(self, data: bytes, rel: str) -> None:
        loader = _Loader(data.decode("utf-8-sig", errors="replace"))
        try:
            node = loader.get_single_node()
            doc = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as e:
            raise FormatError(Msg.WRONG_FORMAT, rel, f"invalid YAML: {_first_line(e)}") from e
        finally:
            loader.dispose()
        if not isinstance(doc, dict):
            raise FormatError(Msg.WRONG_FORMAT, rel, "YAML top level is not a mapping")
        self.doc: dict[str, Any] = doc
        self._root = node

    def line(self, pointer: str | None) -> int | None:
        """1-based line of the node a JSON pointer names, or of its nearest ancestor."""
        node = self._root
        for raw in (pointer or "").split("/")[1:]:
            key = raw.replace("~1", "/").replace("~0", "~")
            child = _child(node, key)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1 if node is not None else None


def _child(node: Node | None, key: str) -> Node | None:
    if isinstance(node, MappingNode):
        return next((v for k, v in node.value if k.value == key), None)
    if isinstance(node, SequenceNode) and key.isdigit() and int(key) < len(node.value):
        child: Node = node.value[int(key)]
        return child
    return None


def _first_line(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return f"line {error.problem_mark.line + 1}: {error.problem}"
    return str(error).splitlines()[0] if str(error) else type(error).__name__

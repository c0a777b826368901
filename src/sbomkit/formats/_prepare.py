"""What every writer needs from an inventory, settled once: unique sorted components, a
clean dependency graph, the document timestamp, the tools and authors, and the serial.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from sbomkit import __version__
from sbomkit.clock import reproducible, stamp
from sbomkit.formats.interface import FormatError
from sbomkit.i18n import Msg
from sbomkit.model import Component, Inventory, Tool, merge_components

# Serials and namespaces made under SOURCE_DATE_EPOCH are uuid5 names in this namespace.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://sbomkit.invalid/")
_CONTACT = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>@\s]+@[^<>@\s]+)>$")
_KINDS = ("Person", "Organization")


@dataclass(frozen=True, slots=True)
class Contact:
    """An author of the SBOM data: ``Jane Doe <jane@example.com>`` or ``Organization: ACME``."""

    name: str
    email: str | None = None
    kind: str = "Person"  # or "Organization", as SPDX creators spell it


@dataclass(frozen=True, slots=True)
class Prepared:
    primary: Component | None
    components: tuple[Component, ...]  # unique by ref, sorted by ref, the primary left out
    graph: dict[str, tuple[str, ...]]  # every ref (primary first) -> sorted known targets
    timestamp: str  # YYYY-MM-DDThh:mm:ssZ
    tools: tuple[Tool, ...]  # sbomkit itself always among them
    authors: tuple[Contact, ...]


def prepare(inventory: Inventory) -> Prepared:
    meta = inventory.metadata
    primary = meta.primary
    merged: dict[str, Component] = {}
    for c in inventory.components:
        merged[c.ref] = merge_components(merged[c.ref], c) if c.ref in merged else c
    if primary is not None and primary.ref in merged:
        primary = merge_components(primary, merged.pop(primary.ref))
    components = tuple(merged[ref] for ref in sorted(merged))
    refs = ([primary.ref] if primary else []) + [c.ref for c in components]
    return Prepared(
        primary=primary,
        components=components,
        graph=_graph(refs, ((d.source, d.target) for d in inventory.dependencies)),
        timestamp=_timestamp(meta.timestamp),
        tools=_tools(meta.tools),
        authors=tuple(parse_contact(a) for a in meta.authors if a.strip()),
    )


def _graph(refs: list[str], edges: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Edges whose ends are both in the document; dangling ones cannot be written validly."""
    targets: dict[str, set[str]] = {r: set() for r in refs}
    for source, target in edges:
        if source in targets and target in targets:
            targets[source].add(target)
    return {r: tuple(sorted(targets[r])) for r in refs}


def _timestamp(given: str | None) -> str:
    """The inventory's time in the one form both formats accept; else now / SOURCE_DATE_EPOCH."""
    if not given:
        return stamp()
    try:
        when = datetime.fromisoformat(given)
    except ValueError as e:
        raise FormatError(Msg.INTERNAL, detail=f"timestamp {given!r}: {e}") from e
    return stamp(when if when.tzinfo else when.replace(tzinfo=UTC))


def _tools(tools: tuple[Tool, ...]) -> tuple[Tool, ...]:
    if any(t.name == "sbomkit" for t in tools):
        return tools
    return (*tools, Tool("sbomkit", __version__, "sbomkit project"))


def parse_contact(text: str, kind: str = "Person") -> Contact:
    """``Name <email>``, optionally prefixed ``Person:`` or ``Organization:`` (else ``kind``)."""
    text = text.strip()
    for k in _KINDS:
        if text.startswith(f"{k}:"):
            kind, text = k, text[len(k) + 1 :].strip()
    m = _CONTACT.match(text)
    if m and m["name"]:
        return Contact(m["name"], m["email"], kind)
    return Contact(text, None, kind)


def document_uuid(content: Mapping[str, Any]) -> uuid.UUID:
    """Derived from the document under SOURCE_DATE_EPOCH, so reruns match; else random.

    ``content`` is the document without the serial (or namespace) itself. It is hashed in
    compact form: the C encoder is many times faster than the indenting one.
    """
    if not reproducible():
        return uuid.uuid4()
    canonical = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    return uuid.uuid5(_NAMESPACE, digest)


def dump_json(doc: Mapping[str, Any]) -> bytes:
    """Indented UTF-8 JSON with a final newline; byte-identical to ``json.dumps(indent=2)``.

    orjson is ~40x faster than the stdlib's pure-Python indenting encoder, which dominated
    the time of large SBOMs. Strings orjson refuses (lone surrogates from odd file names)
    take the stdlib path with replacement characters.
    """
    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
    except TypeError:
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8", "replace")

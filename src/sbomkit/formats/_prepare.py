"""What every writer needs from an inventory, settled once: unique sorted components, a
clean dependency graph, the document timestamp, the tools and authors, and the serial.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sbomkit import __version__
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
    if given:
        try:
            when = datetime.fromisoformat(given)
        except ValueError as e:
            raise FormatError(Msg.INTERNAL, detail=f"timestamp {given!r}: {e}") from e
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    else:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        when = datetime.fromtimestamp(_epoch(epoch), UTC) if epoch else datetime.now(UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _epoch(value: str) -> int:
    try:
        return int(value)
    except ValueError as e:
        detail = f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds"
        raise FormatError(Msg.BAD_OPTION, detail=detail) from e


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


def reproducible() -> bool:
    return bool(os.environ.get("SOURCE_DATE_EPOCH"))


def document_uuid(content: bytes) -> uuid.UUID:
    """Derived from the rendered content under SOURCE_DATE_EPOCH, so reruns match; else random."""
    if reproducible():
        return uuid.uuid5(_NAMESPACE, hashlib.sha256(content).hexdigest())
    return uuid.uuid4()

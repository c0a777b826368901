"""The README capability table, generated from the registry so it cannot drift."""

from __future__ import annotations

from sbomkit.catalog.registry import CATALOGERS, Reads


def markdown_table() -> str:
    cols = list(Reads)
    head = ["cataloger", "ecosystem", "reads", *[c.value for c in cols]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for spec in CATALOGERS:
        inputs = ", ".join(f"`{g}`" for g in spec.files) or ", ".join(f"`{d}/`" for d in spec.dirs)
        marks = ["yes" if c in spec.reads else "—" for c in cols]
        lines.append("| " + " | ".join([spec.name, spec.ecosystem, inputs, *marks]) + " |")
    return "\n".join(lines)

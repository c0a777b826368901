"""THIRD_PARTY_NOTICES: per component its license and copyright lines, then each full
license text once (the component's own file when there is one, else the reference text)."""

from __future__ import annotations

import html

from sbomkit.licenses.analyze import Analysis
from sbomkit.licenses.texts import references


def _texts(analysis: Analysis) -> dict[str, str]:
    """License id -> full text: from a component's file when it holds just that license."""
    texts: dict[str, str] = {}
    for found in analysis.files.values():
        for r in found:
            if len(r.detection.matches) == 1 and r.detection.expression:
                texts.setdefault(r.detection.expression, r.text.strip())
    return texts


def _reference(spdx_id: str) -> str | None:
    try:
        refs = references()
    except Exception:  # the extra is missing: the notice lists the license id only
        return None
    return next((r.text.strip() for r in refs if r.spdx_id == spdx_id), None)


def _entries(analysis: Analysis) -> tuple[list[tuple[str, str, list[str]]], dict[str, str]]:
    from sbomkit.licenses.evaluate import effective

    texts = _texts(analysis)
    rows: list[tuple[str, str, list[str]]] = []
    needed: dict[str, str] = {}
    for c in analysis.inventory.components:
        expression, _ = effective(c)
        lines = [line for r in analysis.files.get(c.ref, []) for line in r.copyrights]
        if c.copyright:
            lines.insert(0, c.copyright)
        rows.append((f"{c.name} {c.version or ''}".strip(), expression, list(dict.fromkeys(lines))))
        for token in expression.replace("(", " ").replace(")", " ").split():
            if token not in ("AND", "OR", "WITH") and token not in needed:
                text = texts.get(token) or _reference(token)
                if text:
                    needed[token] = text
    return rows, dict(sorted(needed.items()))


def render_text(analysis: Analysis) -> str:
    rows, texts = _entries(analysis)
    out = [
        "THIRD-PARTY SOFTWARE NOTICES",
        "",
        "This product includes the following components:",
        "",
    ]
    for name, expression, lines in rows:
        out.append(f"* {name} -- {expression}")
        out.extend(f"    {line}" for line in lines)
    for spdx_id, text in texts.items():
        out += ["", "=" * 78, spdx_id, "=" * 78, "", text]
    return "\n".join(out) + "\n"


def render_html(analysis: Analysis) -> str:
    rows, texts = _entries(analysis)
    esc = html.escape
    items = "".join(
        f"<tr><td>{esc(n)}</td><td>{esc(e)}</td><td>{'<br>'.join(esc(x) for x in ls)}</td></tr>"
        for n, e, ls in rows
    )
    bodies = "".join(
        f'<h2 id="{esc(i)}">{esc(i)}</h2><pre>{esc(t)}</pre>' for i, t in texts.items()
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Third-party notices</title>'
        "</head><body><h1>Third-party notices</h1><table><tr><th>Component</th><th>License</th>"
        f"<th>Copyright</th></tr>{items}</table>{bodies}</body></html>\n"
    )

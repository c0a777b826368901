"""E-mail text: a plain-text body and its HTML alternative (the Subject is the title)."""

from __future__ import annotations

from html import escape

from sbomkit.i18n import Msg
from sbomkit.server.notify.view import View


def text(view: View) -> str:
    out = [view.title, ""]
    if view.digest:
        for g in view.groups:
            out.append(f"{g.name} {g.version}")
            out += [f"  - {i.line}" for i in g.items]
            out.append("")
    else:
        item = view.groups[0].items[0]
        out += [f"{k}: {v}" for k, v in item.facts]
        if item.event.url:
            out += ["", f"{view.words(Msg.NTF_OPEN)}: {item.event.url}"]
        out.append("")
    return "\n".join(out)


def html(view: View) -> str:
    parts = [f'<html lang="{view.lang}"><body>', f"<h2>{escape(view.title)}</h2>"]
    if view.digest:
        for g in view.groups:
            parts.append(f"<h3>{escape(g.name)} {escape(g.version)}</h3>")
            parts.append("<ul>" + "".join(f"<li>{escape(i.line)}</li>" for i in g.items) + "</ul>")
    else:
        item = view.groups[0].items[0]
        rows = "".join(
            f'<tr><th align="left">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in item.facts
        )
        parts.append(f"<table>{rows}</table>")
        if item.event.url:
            link = escape(item.event.url, quote=True)
            parts.append(f'<p><a href="{link}">{escape(view.words(Msg.NTF_OPEN))}</a></p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"

"""Slack incoming-webhook payload: ``{"text": <fallback>, "blocks": [...]}``.

Slack's limits shape it: at most 50 blocks, 10 fields per section, 3,000 characters per
section text; a digest keeps the most severe lines and says how many it left out.
"""

from __future__ import annotations

from typing import Any

import orjson

from sbomkit.i18n import Msg
from sbomkit.server.notify.view import View, clip_lines

MAX_GROUPS = 20  # 1 title + 20 project sections + 1 "and N more" stays under 50 blocks
SECTION_CHARS = 3000
MAX_FIELDS = 10


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn and plain text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def body(view: View) -> bytes:
    blocks: list[dict[str, Any]] = [_section(f"*{escape(view.title)}*")]
    if view.digest:
        blocks += _digest(view)
    else:
        item = view.groups[0].items[0]
        fields = [_mrkdwn(f"*{escape(k)}*\n{escape(v)}") for k, v in item.facts[:MAX_FIELDS]]
        blocks.append({"type": "section", "fields": fields})
        if item.event.url:
            link = f"<{item.event.url}|{escape(view.words(Msg.NTF_OPEN))}>"
            blocks.append({"type": "context", "elements": [_mrkdwn(link)]})
    return orjson.dumps({"text": view.title, "blocks": blocks})


def _digest(view: View) -> list[dict[str, Any]]:
    blocks = []
    for g in view.groups[:MAX_GROUPS]:
        head = f"*{escape(g.name)} {escape(g.version)}*"
        lines = [f"• {escape(i.line)}" for i in g.items]
        room = SECTION_CHARS - len(head) - 1
        blocks.append(_section("\n".join([head, *clip_lines(lines, 100, room, view.lang)])))
    left = sum(len(g.items) for g in view.groups[MAX_GROUPS:])
    if left:
        blocks.append({"type": "context", "elements": [_mrkdwn(_more(view, left))]})
    return blocks


def _more(view: View, count: int) -> str:
    return escape(view.words(Msg.NTF_AND_MORE, count=count))


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}

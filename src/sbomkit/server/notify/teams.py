"""Microsoft Teams payload: an Adaptive Card in a ``message`` attachment.

This is the shape Teams Workflows ("When a Teams webhook request is received" / "Send
webhook alerts to a channel") and the older incoming webhooks accept; Workflows take
Adaptive Cards only, not the retired MessageCard format. Teams caps a message at 28 KB, so
a digest keeps the most severe lines per project and says how many it left out.
"""

from __future__ import annotations

from typing import Any

import orjson

from sbomkit.i18n import Msg
from sbomkit.server.notify.view import View, clip_lines

CARD_VERSION = "1.4"
MAX_GROUPS = 20
GROUP_LINES = 25
GROUP_CHARS = 4000


def body(view: View) -> bytes:
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "msteams": {"width": "Full"},
        "body": [_text(view.title, size="Medium", weight="Bolder")],
    }
    if view.digest:
        card["body"] += _digest(view)
    else:
        item = view.groups[0].items[0]
        facts = [{"title": k, "value": v} for k, v in item.facts]
        card["body"].append({"type": "FactSet", "facts": facts})
        if item.event.url:
            open_ = {"type": "Action.OpenUrl", "title": view.words(Msg.NTF_OPEN)}
            card["actions"] = [{**open_, "url": item.event.url}]
    attachment = {
        "contentType": "application/vnd.microsoft.card.adaptive",
        "contentUrl": None,
        "content": card,
    }
    return orjson.dumps({"type": "message", "attachments": [attachment]})


def _digest(view: View) -> list[dict[str, Any]]:
    blocks = []
    for g in view.groups[:MAX_GROUPS]:
        blocks.append(_text(f"{g.name} {g.version}", weight="Bolder", spacing="Medium"))
        lines = clip_lines([i.line for i in g.items], GROUP_LINES, GROUP_CHARS, view.lang)
        blocks.append(_text("\n".join(f"- {line}" for line in lines)))
    left = sum(len(g.items) for g in view.groups[MAX_GROUPS:])
    if left:
        blocks.append(_text(view.words(Msg.NTF_AND_MORE, count=left), isSubtle=True))
    return blocks


def _text(text: str, **style: object) -> dict[str, object]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}

"""The generic webhook's JSON body: every field a receiver may act on, plus a text line.

Single event::

    {"event": "new_finding", "id": "<event key>", "occurred_at": "2026-01-01T00:00:00Z",
     "text": "<title in lang>", "url": null, "lang": "en",
     "project": {"id": 7, "name": "shop", "version": "1.2"},
     "finding": {"id": 42, "component": {"ref": "pkg:...", "name": ..., "version": ...},
                 "vulnerability": "CVE-...", "aliases": ["GHSA-..."], "severity": "critical",
                 "score": 9.8, "kev": true, "fix": "2.17.1", "summary": "..."},
     "analysis": null | {"previous": "under_investigation", "state": "not_affected",
                         "by": "alice", "comment": "..."}}

Digest: ``{"event": "digest", "lang", "text", "count", "projects": [{"project": {...},
"events": [<single event without "project" and "lang">, ...]}, ...]}``, most severe first.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import orjson

from sbomkit.server.notify.view import Group, Item, View, other_ids


def body(view: View) -> bytes:
    if not view.digest:
        group = view.groups[0]
        return orjson.dumps(_event(group.items[0], lang=view.lang, project=_project(group)))
    return orjson.dumps(
        {
            "event": "digest",
            "lang": view.lang,
            "text": view.title,
            "count": sum(len(g.items) for g in view.groups),
            "projects": [
                {"project": _project(g), "events": [_event(i) for i in g.items]}
                for g in view.groups
            ],
        }
    )


def _project(g: Group) -> dict[str, Any]:
    return {"id": g.project_id, "name": g.name, "version": g.version}


def _event(item: Item, **head: Any) -> dict[str, Any]:
    e = item.event
    analysis = None
    if e.kind == "state_changed":
        analysis = {
            "previous": e.old_state,
            "state": e.new_state,
            "by": e.changed_by,
            "comment": e.comment,
        }
    return {
        "event": e.kind,
        "id": e.key,
        "occurred_at": e.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "text": item.title,
        "url": e.url,
        **head,
        "finding": {
            "id": e.finding_id,
            "component": {
                "ref": e.component_ref,
                "name": e.component_name,
                "version": e.component_version,
            },
            "vulnerability": e.vuln_id,
            "aliases": other_ids(e),
            "severity": e.severity.value,
            "score": e.score,
            "kev": e.kev,
            "fix": e.fix,
            "summary": e.summary,
        },
        "analysis": analysis,
    }

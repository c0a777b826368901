"""What a notification says: the event, and the body each channel kind gets for it.

``render()`` is pure: the same events, channel kind and language give the same bytes, so a
retried delivery carries the same body (and the same signature input) as the first attempt.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sbomkit.match.findings import Level
from sbomkit.server.notify import mail, slack, teams, webhook
from sbomkit.server.notify.view import View, make_view

EventKind = Literal["new_finding", "finding_resolved", "state_changed"]
# What X-Sbomkit-Event carries: one event's kind, or "digest" for many events in one message.
MessageKind = Literal["new_finding", "finding_resolved", "state_changed", "digest"]
ChannelKind = Literal["webhook", "slack", "teams", "email"]
CHANNEL_KINDS: tuple[ChannelKind, ...] = ("webhook", "slack", "teams", "email")


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One thing that happened to one finding (component x alias group) of one project version."""

    kind: EventKind
    project_id: int
    project_name: str
    project_version: str
    component_ref: str  # purl, else ecosystem:name@version
    component_name: str
    component_version: str
    vuln_id: str  # the alias group's primary id
    aliases: tuple[str, ...] = ()  # every other id of the same flaw
    severity: Level = Level.UNKNOWN
    score: float | None = None
    kev: bool = False
    fix: str | None = None  # lowest version that is not affected
    summary: str | None = None
    old_state: str | None = None  # state_changed: analysis state before and after
    new_state: str | None = None
    changed_by: str | None = None
    comment: str | None = None
    occurred_at: datetime  # timezone-aware
    finding_id: int | None = None
    url: str | None = None  # where the finding is shown in the web UI

    @property
    def group(self) -> str:
        """The alias group's name: its smallest id, whichever id the advisory led with."""
        return min((self.vuln_id, *self.aliases))

    @property
    def key(self) -> str:
        """Stable identity for deduplication: the same flaw reported under CVE-, GHSA- or
        PYSEC- ids gives one key. A state change is keyed by its new state and time, since
        each change is news; new/resolved are keyed by the finding alone."""
        key = f"{self.kind}:{self.project_id}:{self.group}:{self.component_ref}"
        if self.kind == "state_changed":
            key += f":{self.new_state or ''}:{self.occurred_at.isoformat()}"
        return key


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready for one channel kind.

    ``body`` is the exact bytes an HTTP channel posts (JSON); empty for e-mail. ``text`` is
    the plain-text form (the e-mail body), ``html`` the e-mail's HTML alternative.
    """

    channel_kind: ChannelKind
    event: MessageKind
    key: str  # hash of the event keys; the default delivery id
    title: str  # one line; the e-mail Subject
    body: bytes
    text: str
    html: str
    count: int  # events in the message


_BODIES: dict[ChannelKind, Callable[[View], bytes]] = {
    "webhook": webhook.body,
    "slack": slack.body,
    "teams": teams.body,
    "email": lambda view: b"",
}


def render(
    events: Sequence[Event], channel_kind: ChannelKind, lang: str, *, digest: bool = False
) -> Rendered:
    """One message for ``events``: a single-event message, or a digest when there are
    several events (or ``digest`` is set) grouped by project, most severe first."""
    if not events:
        raise ValueError("render() needs at least one event")
    if channel_kind not in _BODIES:
        raise ValueError(f"unknown channel kind {channel_kind!r}; expected one of {CHANNEL_KINDS}")
    view = make_view(events, lang, digest=digest or len(events) > 1)
    keys = "\n".join(sorted(e.key for e in events))
    return Rendered(
        channel_kind=channel_kind,
        event="digest" if view.digest else events[0].kind,
        key=hashlib.sha256(keys.encode()).hexdigest()[:32],
        title=view.title,
        body=_BODIES[channel_kind](view),
        text=mail.text(view),
        html=mail.html(view) if channel_kind == "email" else "",
        count=len(events),
    )

"""The portfolio schema: projects, their SBOM documents, components, findings, access.

One row per component per project version, so "every project with log4j-core < 2.17.1"
is an indexed lookup by (ecosystem, name). Findings keep the component's identity as
text (not a foreign key) because a re-upload replaces the component rows while the
finding's history (first seen, resolved) must stay.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets 64-bit ids.
Id = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(t: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A UTC timestamp that reads back time-zone aware on SQLite too (which stores none)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return aware(value) if value is not None else None


Stamp = UtcDateTime()


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)


class Membership(Base):
    __tablename__ = "memberships"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )


class ApiKey(Base):
    """A key acts for a user or, for CI, for a team. Only a hash of the secret is kept."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    key_id: Mapped[str] = mapped_column(String(32), unique=True)  # public part
    secret_hash: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    expires_at: Mapped[dt.datetime | None] = mapped_column(Stamp)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(Stamp)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(Stamp)


class LoginFailure(Base):
    """Failed logins per user name, for throttling across server processes."""

    __tablename__ = "login_failures"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    locked_until: Mapped[dt.datetime | None] = mapped_column(Stamp)


class Project(Base):
    """One version of a product; ``parent_id`` builds the hierarchy permissions flow down."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("name", "version"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    version: Mapped[str] = mapped_column(String(200), default="")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    owner_team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    components_count: Mapped[int] = mapped_column(Integer, default=0)


class ProjectTag(Base):
    __tablename__ = "project_tags"
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class Grant(Base):
    """Team ``team_id`` holds ``permission`` on a project and every project below it."""

    __tablename__ = "grants"
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    permission: Mapped[str] = mapped_column(String(20), primary_key=True)


class Document(Base):
    """An uploaded SBOM exactly as received."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    format: Mapped[str] = mapped_column(String(40))
    spec: Mapped[str | None] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    filename: Mapped[str | None] = mapped_column(String(300))
    uploaded_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    uploader: Mapped[str] = mapped_column(String(200))


class ComponentRow(Base):
    __tablename__ = "components"
    __table_args__ = (
        # Searches filter by name or purl and page by id: with id in the index the
        # database reads one page of rows in order, however many projects hold the name.
        Index("ix_components_name", "name", "id"),
        Index("ix_components_purl", "purl", "id"),
        Index("ix_components_project", "project_id", "id"),
        Index("ix_components_osv", "osv_ecosystem", "osv_name"),
        Index("ix_components_ref", "ref"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(Text)
    ecosystem: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))  # canonical (identity.py) name
    version: Mapped[str | None] = mapped_column(String(200))
    purl: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(20))
    direct: Mapped[bool | None] = mapped_column(Boolean)
    licenses: Mapped[str | None] = mapped_column(Text)
    supplier: Mapped[str | None] = mapped_column(String(300))
    # Where the matcher looks the component up (OSV base ecosystem, canonical name), so a
    # changed advisory finds its components with one indexed query.
    osv_ecosystem: Mapped[str | None] = mapped_column(String(40))
    osv_name: Mapped[str | None] = mapped_column(String(300))


class Edge(Base):
    __tablename__ = "edges"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))


class FindingRow(Base):
    """One flaw (an alias group) in one component of one project version."""

    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("project_id", "component_ref", "vuln_id"),
        Index("ix_findings_severity", "project_id", "severity_rank", "id"),
        Index("ix_findings_component", "component_ref"),
        # Portfolio listings: always by state (default open), optionally KEV only; both
        # sorted by severity, paged by (severity_rank, id).
        Index("ix_findings_portfolio", "state", "severity_rank", "id"),
        Index("ix_findings_kev", "kev", "severity_rank", "id"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    component_ref: Mapped[str] = mapped_column(Text)
    component_name: Mapped[str] = mapped_column(String(300))
    component_version: Mapped[str | None] = mapped_column(String(200))
    ecosystem: Mapped[str] = mapped_column(String(40))
    vuln_id: Mapped[str] = mapped_column(String(100))  # the group's primary id
    aliases: Mapped[str] = mapped_column(Text)  # JSON list: every id of the group
    advisory_ids: Mapped[str] = mapped_column(Text)  # JSON list: the records that matched
    severity: Mapped[str] = mapped_column(String(20))
    severity_rank: Mapped[int] = mapped_column(SmallInteger)
    score: Mapped[float | None] = mapped_column(Float)
    kev: Mapped[bool] = mapped_column(Boolean, default=False)
    fix: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    provenance: Mapped[str] = mapped_column(Text)  # JSON: what matched, per advisory
    state: Mapped[str] = mapped_column(String(20), default="open")  # open | resolved
    first_seen: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    last_seen: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(Stamp)
    published: Mapped[dt.datetime | None] = mapped_column(Stamp)  # earliest advisory publication
    # The triage decision in force (materialized from ``triage`` by monitor.triage).
    analysis_state: Mapped[str | None] = mapped_column(String(30))
    analysis_justification: Mapped[str | None] = mapped_column(String(60))
    analysis_response: Mapped[str | None] = mapped_column(String(60))
    analysis_comment: Mapped[str | None] = mapped_column(Text)
    analysis_triage_id: Mapped[int | None] = mapped_column(BigInteger)
    analysis_expires_at: Mapped[dt.datetime | None] = mapped_column(Stamp)


class FindingAlias(Base):
    """Every id of a finding's alias group, so "who has CVE-X" is one indexed lookup."""

    __tablename__ = "finding_aliases"
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    alias: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class Triage(Base):
    """An analysis decision (VEX): one project version, a whole project, or a rule."""

    __tablename__ = "triage"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))  # version | project | rule
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    project_name: Mapped[str | None] = mapped_column(String(300))  # scope "project"
    vuln_id: Mapped[str] = mapped_column(String(100), index=True)
    component: Mapped[str] = mapped_column(Text)  # purl, or a purl pattern for rules
    tag: Mapped[str | None] = mapped_column(String(100))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(30))
    justification: Mapped[str | None] = mapped_column(String(60))
    response: Mapped[str | None] = mapped_column(String(60))
    comment: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[dt.datetime | None] = mapped_column(Stamp)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON


class TriageHistory(Base):
    """Every change of a triage decision: who, when, old -> new."""

    __tablename__ = "triage_history"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    triage_id: Mapped[int] = mapped_column(BigInteger, index=True)
    at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    actor: Mapped[str] = mapped_column(String(200))
    old: Mapped[str] = mapped_column(Text)  # JSON of the decision before, {} when created
    new: Mapped[str] = mapped_column(Text)  # JSON after, {} when deleted


class Job(Base):
    """A unit of background work; the queue is this table (see monitor.jobs)."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_ready", "status", "run_after", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    run_after: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    locked_by: Mapped[str | None] = mapped_column(String(100))
    heartbeat: Mapped[dt.datetime | None] = mapped_column(Stamp)
    created_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    started_at: Mapped[dt.datetime | None] = mapped_column(Stamp)
    finished_at: Mapped[dt.datetime | None] = mapped_column(Stamp)
    result: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


class Schedule(Base):
    """A periodic job; whichever process claims ``next_run`` first enqueues it."""

    __tablename__ = "schedules"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    interval_seconds: Mapped[int] = mapped_column(Integer)
    next_run: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)


class AdvisorySync(Base):
    """How far the portfolio has caught up with the advisory store's import runs."""

    __tablename__ = "advisory_sync"
    store: Mapped[str] = mapped_column(String(500), primary_key=True)
    last_run_id: Mapped[int] = mapped_column(Integer, default=0)
    synced_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)


class Channel(Base):
    """Where notifications go: webhook, slack, teams or email."""

    __tablename__ = "channels"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(Text)  # URL, or e-mail addresses
    secret: Mapped[str | None] = mapped_column(String(200))  # HMAC key of a webhook
    lang: Mapped[str] = mapped_column(String(5), default="en")


class Subscription(Base):
    """A channel's interest: which projects, which events, which findings."""

    __tablename__ = "subscriptions"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    project_name: Mapped[str | None] = mapped_column(String(300))  # every version of it
    events: Mapped[str] = mapped_column(String(200))  # comma list of event kinds
    min_severity: Mapped[int] = mapped_column(SmallInteger, default=0)
    kev_only: Mapped[bool] = mapped_column(Boolean, default=False)
    digest: Mapped[bool] = mapped_column(Boolean, default=False)


class Notified(Base):
    """Keys already notified per subscription: one notification per event, across aliases."""

    __tablename__ = "notified"
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(500), primary_key=True)


class Outbox(Base):
    """A notification waiting for (or done with) delivery; written with the change it reports."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    payload: Mapped[str] = mapped_column(Text)  # JSON of the event(s)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|digest|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    created_at: Mapped[dt.datetime] = mapped_column(Stamp, default=_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(Stamp)
    last_error: Mapped[str | None] = mapped_column(Text)


class ProjectMetrics(Base):
    """Counts of one project version on one day, for trend charts."""

    __tablename__ = "project_metrics"
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    components: Mapped[int] = mapped_column(Integer, default=0)
    critical: Mapped[int] = mapped_column(Integer, default=0)
    high: Mapped[int] = mapped_column(Integer, default=0)
    medium: Mapped[int] = mapped_column(Integer, default=0)
    low: Mapped[int] = mapped_column(Integer, default=0)
    unknown: Mapped[int] = mapped_column(Integer, default=0)
    open: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    suppressed: Mapped[int] = mapped_column(
        Integer, default=0
    )  # not_affected, false_positive, fixed
    kev: Mapped[int] = mapped_column(Integer, default=0)

"""Server settings: where the data lives and the limits on what a request may carry."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sbomkit.db.store import default_path


def default_database() -> str:
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return str(base / "sbomkit" / "portfolio.db")


@dataclass(frozen=True)
class Settings:
    database: str = field(default_factory=default_database)
    advisories: Path = field(default_factory=default_path)
    max_upload_bytes: int = 50 * 1024 * 1024
    max_components: int = 100_000
    # Failed logins per user name before the name is locked, and for how long.
    login_attempts: int = 5
    lockout_seconds: int = 300
    session_hours: int = 12
    page_limit: int = 500
    # Background work: a worker thread per process (tests drive it by hand instead).
    worker: bool = True
    # Seconds between scheduled advisory downloads (``sbomkit db update``); 0: never,
    # the advisory store is then filled from outside (CLI, cron) and only synced.
    update_interval: int = 0
    update_url: str | None = None
    update_ecosystems: tuple[str, ...] = ()
    # Notification delivery: attempts before an outbox row is marked failed.
    delivery_attempts: int = 8
    # The mail server e-mail channels send through.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: str = "starttls"  # starttls | tls | none
    smtp_sender: str = "sbomkit@localhost"
    smtp_username: str | None = None
    smtp_password: str | None = None

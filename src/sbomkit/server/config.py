"""Server settings: where the data lives and the limits on what a request may carry.

Every setting can come from the environment as ``SBOMKIT_SERVER_<NAME>`` (the advisory
store as the CLI's ``SBOMKIT_DB``), which is how ``sbomkit serve`` hands them to each
worker process; see docs/server.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from sbomkit.db.store import default_path
from sbomkit.errors import UsageError
from sbomkit.i18n import Msg


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
    # Webhook targets on loopback, private and link-local addresses (an internal receiver);
    # refused by default: a team member chooses the URL the server posts to.
    private_webhooks: bool = False
    # The mail server e-mail channels send through.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: str = "starttls"  # starttls | tls | none
    smtp_sender: str = "sbomkit@localhost"
    smtp_username: str | None = None
    smtp_password: str | None = None


PREFIX = "SBOMKIT_SERVER_"
SMTP_SECURITY = ("starttls", "tls", "none")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def env_name(setting: str) -> str:
    return "SBOMKIT_DB" if setting == "advisories" else PREFIX + setting.upper()


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings with every variable that is set (and not empty) in place of the default.

    A value that is not of the setting's kind is a UsageError naming the variable."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in fields(Settings):
        raw = environ.get(env_name(f.name), "").strip()
        if raw:
            values[f.name] = _parse(env_name(f.name), str(f.type), raw)
    if values.get("smtp_security", "starttls") not in SMTP_SECURITY:
        what = f"{values['smtp_security']!r} is not one of {', '.join(SMTP_SECURITY)}"
        raise UsageError(Msg.SRV_BAD_SETTING, env_name("smtp_security"), what)
    return Settings(**values)  # type: ignore[arg-type]


def _parse(name: str, kind: str, raw: str) -> object:
    if kind == "int":
        if not raw.isdigit():
            raise UsageError(Msg.SRV_BAD_SETTING, name, f"{raw!r} is not a whole number >= 0")
        return int(raw)
    if kind == "bool":
        if raw.lower() not in _TRUE + _FALSE:
            raise UsageError(Msg.SRV_BAD_SETTING, name, f"{raw!r} is not one of 1/0, true/false")
        return raw.lower() in _TRUE
    if kind == "Path":
        return Path(raw)
    if kind == "tuple[str, ...]":
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if kind in ("str", "str | None"):
        return raw
    raise TypeError(f"setting {name}: no parser for {kind}")  # a new kind of setting

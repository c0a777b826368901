"""Server settings from the environment: what `sbomkit serve` hands each worker."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from sbomkit.errors import UsageError
from sbomkit.server.config import Settings, env_name, settings_from_env


def test_every_kind_of_setting_is_read_from_its_variable() -> None:
    settings = settings_from_env(
        {
            "SBOMKIT_SERVER_DATABASE": "postgresql://u@db/portfolio",
            "SBOMKIT_DB": "/data/advisories.db",
            "SBOMKIT_SERVER_MAX_UPLOAD_BYTES": "1048576",
            "SBOMKIT_SERVER_WORKER": "off",
            "SBOMKIT_SERVER_UPDATE_INTERVAL": "3600",
            "SBOMKIT_SERVER_UPDATE_ECOSYSTEMS": "PyPI, Go,,crates.io",
            "SBOMKIT_SERVER_SMTP_HOST": "mail.example",
            "SBOMKIT_SERVER_SMTP_SECURITY": "tls",
            "SBOMKIT_SERVER_SMTP_USERNAME": "  ",  # blank: the default stays
        }
    )
    assert settings == Settings(
        database="postgresql://u@db/portfolio",
        advisories=Path("/data/advisories.db"),
        max_upload_bytes=1048576,
        worker=False,
        update_interval=3600,
        update_ecosystems=("PyPI", "Go", "crates.io"),
        smtp_host="mail.example",
        smtp_security="tls",
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "SBOMKIT_SERVER_UPDATE_INTERVAL",
            "1h",
            "SBOMKIT_SERVER_UPDATE_INTERVAL: invalid server setting"
            " ('1h' is not a whole number >= 0)",
        ),
        (
            "SBOMKIT_SERVER_WORKER",
            "maybe",
            "SBOMKIT_SERVER_WORKER: invalid server setting ('maybe' is not one of 1/0, true/false)",
        ),
        (
            "SBOMKIT_SERVER_SMTP_SECURITY",
            "ssl",
            "SBOMKIT_SERVER_SMTP_SECURITY: invalid server setting ('ssl' is not one of starttls,"
            " tls, none)",
        ),
    ],
)
def test_a_bad_value_names_the_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(UsageError) as e:
        settings_from_env({variable: value})
    assert str(e.value) == message


def test_every_setting_can_be_read_from_the_environment() -> None:
    """A new setting of a kind the reader does not know fails here, not in production."""
    names = [f.name for f in fields(Settings)]
    environ = {env_name(n): "tls" if n == "smtp_security" else "1" for n in names}
    settings = settings_from_env(environ)
    assert (settings.worker, settings.smtp_port, settings.update_ecosystems) == (True, 1, ("1",))

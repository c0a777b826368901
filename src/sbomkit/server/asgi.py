"""Entry point for ``uvicorn --factory``: settings from the environment ``serve`` sets,
so every worker process builds the same application."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from sbomkit.server.app import create_app
from sbomkit.server.config import Settings

ENV = {
    "database": "SBOMKIT_SERVER_DATABASE",
    "advisories": "SBOMKIT_DB",
    "max_upload_bytes": "SBOMKIT_SERVER_MAX_UPLOAD",
    "max_components": "SBOMKIT_SERVER_MAX_COMPONENTS",
}


def settings_from_env() -> Settings:
    values: dict[str, object] = {}
    for field, var in ENV.items():
        raw = os.environ.get(var)
        if raw:
            values[field] = (
                Path(raw)
                if field == "advisories"
                else int(raw)
                if field.startswith("max_")
                else raw
            )
    return Settings(**values)  # type: ignore[arg-type]


def app_from_env() -> FastAPI:
    return create_app(settings_from_env())

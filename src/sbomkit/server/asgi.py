"""Entry point for ``uvicorn --factory``: settings from the environment ``serve`` sets,
so every worker process builds the same application."""

from __future__ import annotations

from fastapi import FastAPI

from sbomkit.server.app import create_app
from sbomkit.server.config import settings_from_env


def app_from_env() -> FastAPI:
    return create_app(settings_from_env())

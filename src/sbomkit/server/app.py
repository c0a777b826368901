"""The FastAPI application: routers, error bodies, the database on app state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import text

from sbomkit import __version__
from sbomkit.server import errors
from sbomkit.server.config import Settings
from sbomkit.server.database import Database, current_revision, head_revision, migrate
from sbomkit.server.monitor.handlers import HANDLERS
from sbomkit.server.monitor.worker import Worker
from sbomkit.server.routes import accounts, monitor, projects, sbom, search


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings()
    db = db or Database(settings.database)
    if current_revision(db.engine) != head_revision():
        migrate(db.engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = Worker(db, settings, HANDLERS) if settings.worker else None
        if worker is not None:
            worker.start()
        app.state.worker = worker
        yield
        if worker is not None:
            worker.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="sbomkit",
        version=__version__,
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = db
    errors.install(app)

    @app.get("/api/v1/health", tags=["health"])
    def health() -> dict[str, str | None]:
        """Liveness and schema revision; the one endpoint without authentication."""
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "database": db.dialect, "schema": current_revision(db.engine)}

    # Declaring the errors keeps the OpenAPI document honest: clients (and the contract
    # test) see every status an endpoint can answer, with the body it carries.
    common = errors.documented(400, 401, 403, 404, 422)
    for module, extra in (
        (accounts, ()),
        (projects, ()),
        (sbom, (409, 413)),
        (search, ()),
        (monitor, ()),
    ):
        app.include_router(module.router, responses={**common, **errors.documented(*extra)})
    return app

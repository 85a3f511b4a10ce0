"""The web app factory: `create_app(settings)` builds a FastAPI app on one store.

Nothing here runs at import time. `crampwise serve` hands uvicorn this factory's import string
(`crampwise.web.app:create_app`, `factory=True`), so the CLI never imports the web face; the
settings then come from the environment the CLI set (`CRAMPWISE_DATABASE_URL`,
`CRAMPWISE_ATHLETE`), exactly as every other command reads them.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI

from crampwise import __version__
from crampwise.config import ENV_SERVE_PID, Settings, load_settings
from crampwise.knowledge.relief import load_relief
from crampwise.services.context import open_context
from crampwise.web import assets, errors, headers
from crampwise.web.api import reads as api_reads
from crampwise.web.api import records as api_records
from crampwise.web.api import uploads as api_uploads
from crampwise.web.deps import system_clock
from crampwise.web.pages import (
    checking,
    history,
    imports,
    insights,
    journal,
    planned,
    planning,
    products,
    relief,
    reminders,
    reports,
    today,
)
from crampwise.web.pages import settings as settings_page
from crampwise.web.rendering import build_templates

API_DESCRIPTION = (
    "crampwise's JSON API: the same services as the CLI. Bodies and results use the "
    "crampwise-bundle field names; bad input answers 422 naming the field's path. POST on "
    "/cramps, /sessions and /days accepts an Idempotency-Key header (up to 100 characters): a "
    "repeat with the same key returns the record created the first time."
)


def create_app(settings: Settings | None = None, *, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """The app on `settings` (default: `load_settings()` from the environment), local mode.

    `clock` gives "now" (aware UTC); tests pass a fixed one.
    """
    settings = settings if settings is not None else load_settings()
    ctx = open_context(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            ctx.close()

    app = FastAPI(
        title="crampwise",
        version=__version__,
        description=API_DESCRIPTION,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    shipped = assets.load_assets()
    app.state.ctx = ctx
    app.state.clock = clock or system_clock
    app.state.templates = build_templates(asset_version=shipped.version)
    app.middleware("http")(headers.security_headers)
    errors.install(app)
    app.include_router(assets.router(shipped, list(load_relief().muscles)))
    for module in (
        today,
        relief,
        journal,
        history,
        insights,
        planning,
        checking,
        reports,
        imports,
        settings_page,
        planned,
        products,
        reminders,
    ):
        app.include_router(module.router)
    for api in (api_records, api_reads, api_uploads):
        app.include_router(api.router, prefix="/api/v1")
    app.include_router(reminders.api, prefix="/api/v1")
    return app


def create_worker_app() -> FastAPI:
    """The app in one of the web processes of `crampwise serve --workers N`.

    The same app as `create_app()`, in a process that ends when `crampwise serve` (uvicorn's
    supervisor, its parent) ends, however it was stopped: no web process outlives it.
    """
    from crampwise.lifecycle import exit_with_parent

    parent = os.environ.get(ENV_SERVE_PID, "")
    if parent.isdigit() and int(parent) != os.getpid():
        exit_with_parent(int(parent))
    return create_app()

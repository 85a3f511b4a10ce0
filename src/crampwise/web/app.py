"""The web app factory: `create_app(settings)` builds a FastAPI app on one store.

Nothing here runs at import time. `crampwise serve` hands uvicorn this factory's import string
(`crampwise.web.app:create_app`, `factory=True`), so the CLI never imports the web face; the
settings then come from the environment the CLI set (`CRAMPWISE_DATABASE_URL`,
`CRAMPWISE_ATHLETE`, and `CRAMPWISE_MULTI_USER` for server mode), exactly as every other
command reads them.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from crampwise import __version__
from crampwise.config import ENV_SERVE_PID, Settings, load_web_settings
from crampwise.knowledge.relief import load_relief
from crampwise.services.context import open_context
from crampwise.web import assets, auth, errors, headers, health, local_mode
from crampwise.web.api import accounts as api_accounts
from crampwise.web.api import reads as api_reads
from crampwise.web.api import records as api_records
from crampwise.web.api import sharing as api_sharing
from crampwise.web.api import uploads as api_uploads
from crampwise.web.deps import system_clock
from crampwise.web.pages import (
    account,
    checking,
    coach,
    history,
    imports,
    insights,
    journal,
    login,
    planned,
    planning,
    privacy,
    products,
    relief,
    reminders,
    reports,
    sharing,
    sources,
    today,
)
from crampwise.web.pages import settings as settings_page
from crampwise.web.rendering import build_templates

API_DESCRIPTION = (
    "crampwise's JSON API: the same services as the CLI. Bodies and results use the "
    "crampwise-bundle field names; bad input answers 422 naming the field's path. POST on "
    "/cramps, /sessions and /days accepts an Idempotency-Key header (up to 100 characters): a "
    "repeat with the same key returns the record created the first time. In server mode every "
    "route needs `Authorization: Bearer <token>` (from POST /api/v1/token) or a signed-in "
    "browser; records the caller may not see answer 404."
)


def create_app(settings: Settings | None = None, *, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """The app on `settings` (default: from the environment, `load_web_settings()`).

    Local mode serves the store's athlete without login; server mode (`settings.server`) puts
    every route behind `web.auth.guard` and adds the account, sharing, coach and privacy
    routes. `clock` gives "now" (aware UTC); tests pass a fixed one.
    """
    settings = settings if settings is not None else load_web_settings()
    server = settings.server
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
        # server mode: sign-in and CSRF tokens; local mode: no account, so no other site's requests
        dependencies=[auth.Guard] if server is not None else [local_mode.SameOriginOnly],
    )
    shipped = assets.load_assets()
    app.state.ctx = ctx
    app.state.clock = clock or system_clock
    app.state.templates = build_templates(asset_version=shipped.version)
    if server is None:
        app.add_middleware(local_mode.LoopbackHostOnly)  # no DNS rebinding onto 127.0.0.1
    app.middleware("http")(headers.security_headers)
    if server is not None and server.trusted_proxies:
        # X-Forwarded-For/-Proto are believed from these addresses only (client address for the
        # sign-in limits, https for Secure cookies).
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(server.trusted_proxies))
    errors.install(app, server=server is not None)
    routers: list[tuple[str, APIRouter]] = [
        ("", assets.router(shipped, list(load_relief().muscles))),
        ("", health.router),
    ]
    pages = [
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
        sources,
        planned,
        products,
        reminders,
    ]
    apis = [api_records, api_reads, api_uploads]
    if server is not None:
        pages += [login, account, sharing, coach, privacy]
        apis += [api_accounts, api_sharing]
    routers += [("", module.router) for module in pages]
    routers += [("/api/v1", api.router) for api in apis]
    routers.append(("/api/v1", reminders.api))
    for prefix, router in routers:
        app.include_router(router, prefix=prefix)
    app.state.routers = routers
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


def route_table(app: FastAPI) -> list[tuple[str, str, Callable[..., object]]]:
    """(method, full path, endpoint) of every route the app was built with (tests walk it)."""
    rows: list[tuple[str, str, Callable[..., object]]] = []
    for prefix, router in app.state.routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                rows.extend(
                    (method, prefix + route.path, route.endpoint) for method in sorted(route.methods or ())
                )
    return rows

"""`crampwise serve`: the web app on this computer (local mode: loopback only, no login), or
server mode (`--multi-user`): several web processes (`--workers N`, or more hosts) sharing
nothing but a PostgreSQL store, with large uploads imported by `crampwise worker`.

The CLI never imports the web face: it hands uvicorn the factory's import string
(`crampwise.web.app:create_app`, `factory=True`), and the factory reads the store and athlete
from the same environment variables every command reads (`--db` and `--athlete` are put
there). The store is opened (and migrated) before the server starts, so a bad `--db` is
reported at once (exit 3), not on the first page.

Server mode refuses to start without a secret key (`CRAMPWISE_SECRET_KEY`) or on SQLite
(several processes and the job queue share the store: see docs/server.md). Until server mode
has sign-in (`LOGIN_AVAILABLE`), it also listens on loopback only, like local mode.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Annotated

import typer

from crampwise.cli.common import EXIT_BAD_INPUT, fail, reported_errors, state

APP_FACTORY = "crampwise.web.app:create_app"
# With --workers N, each web process builds the app through this factory: it ends with serve.
WORKER_APP_FACTORY = "crampwise.web.app:create_worker_app"
MAX_WORKERS = 64
# Server mode's accounts and sign-in (issue #12, the accounts part) set this to True; until
# then a --multi-user server acts for the store's athlete like local mode, so it must not be
# reachable from other computers.
LOGIN_AVAILABLE = False
SERVE_HELP = (
    "Serve the web app (today, relief guide, log, history, insights, plan, check, report, import, "
    "settings; JSON API under /api/v1) on this computer. Local mode binds to loopback only and needs "
    "no login. Example: crampwise serve --port 8000 --open"
)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and `localhost`: addresses only this computer can reach."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_postgresql(url: str) -> bool:
    return url.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def free_port(host: str, port: int) -> int:
    """`port` if it can be bound on `host` (0: any free port); exit 2 naming --port otherwise."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            fail(
                f"--port: cannot listen on {host}:{port} ({exc.strerror or exc}); choose another, e.g. --port 0 for any free port"
            )
        return int(probe.getsockname()[1])


def address(host: str, port: int) -> str:
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _open_browser(url: str) -> None:
    """Open `url` in the user's browser where there is one (nothing happens where there is none)."""
    import threading
    import webbrowser

    try:
        webbrowser.get()
    except webbrowser.Error:
        return
    threading.Timer(1.0, webbrowser.open, args=(url,)).start()


def register(app: typer.Typer) -> None:
    """Add `serve` to the root app."""

    @app.command("serve", help=SERVE_HELP)
    def serve(
        ctx: typer.Context,
        host: Annotated[
            str, typer.Option("--host", help="Address to listen on (local mode: loopback only).")
        ] = "127.0.0.1",
        port: Annotated[
            int, typer.Option("--port", min=0, max=65535, help="Port (0: any free port).")
        ] = 8000,
        multi_user: Annotated[
            bool,
            typer.Option(
                "--multi-user", help="Server mode: accounts and login (required to listen beyond loopback)."
            ),
        ] = False,
        open_browser: Annotated[
            bool, typer.Option("--open", help="Open the app in a browser, where one exists.")
        ] = False,
        workers: Annotated[
            int,
            typer.Option(
                "--workers",
                min=1,
                max=MAX_WORKERS,
                help="Web processes (server mode only; they share nothing but the PostgreSQL store).",
            ),
        ] = 1,
    ) -> None:
        from datetime import UTC, datetime

        from crampwise.config import (
            ENV_ATHLETE,
            ENV_DATABASE_URL,
            ENV_SERVE_PID,
            ENV_SERVER_MODE,
            load_settings,
            server_secret_problem,
        )
        from crampwise.services import journal
        from crampwise.services.context import open_context

        if multi_user:
            problem = server_secret_problem()
            if problem:
                fail(f"--multi-user: {problem}")
        elif workers > 1:
            fail(
                "--workers: more than one web process needs server mode (--multi-user, on a PostgreSQL "
                "store); local mode is one process"
            )
        if not is_loopback(host) and not (multi_user and LOGIN_AVAILABLE):
            why = (
                "server mode has no sign-in in this version yet, so it too"
                if multi_user
                else "without --multi-user crampwise"
            )
            fail(
                f"--host: {host!r} is not a loopback address; {why} serves only this computer "
                "(127.0.0.1, ::1 or localhost), since it has no login",
                EXIT_BAD_INPUT,
            )
        root = state(ctx)
        with reported_errors():
            settings = load_settings(database_url=root.db, athlete=root.athlete, server_mode=multi_user)
        if multi_user and not is_postgresql(settings.database_url):
            fail(
                "--db: server mode needs a PostgreSQL store (postgresql+psycopg://user@host/db): its web and "
                "job processes share it; for one person on this computer, serve without --multi-user"
            )
        with reported_errors(), open_context(settings) as app_ctx:
            athletes = journal.list_athletes(app_ctx)  # opens and migrates the store now: errors at once
            if multi_user:
                from crampwise.services.job_worker import prepare_queue

                prepare_queue(app_ctx, now=datetime.now(UTC))
        os.environ[ENV_DATABASE_URL] = settings.database_url
        if settings.athlete:
            os.environ[ENV_ATHLETE] = settings.athlete
        if multi_user:
            os.environ[ENV_SERVER_MODE] = "1"
            os.environ[ENV_SERVE_PID] = str(os.getpid())
        chosen = free_port(host, port)
        url = address(host, chosen)
        who = ", ".join(a.name for a in athletes) or "no athlete yet: set one up in Settings"
        processes = f", {workers} web processes" if workers > 1 else ""
        typer.echo(f"crampwise is serving {who} at {url}{processes}  (Ctrl-C to stop)", err=False)
        if open_browser:
            _open_browser(url)
        import uvicorn

        uvicorn.run(
            WORKER_APP_FACTORY if workers > 1 else APP_FACTORY,
            factory=True,
            host=host.strip("[]"),
            port=chosen,
            workers=workers,
            # server mode logs every request (the client address as the trusted proxy forwards it)
            log_level="info" if multi_user else "warning",
            proxy_headers=True,
        )

"""`crampwise serve`: the web app on this computer (local mode: loopback only, no login), or
for a club with `--multi-user` (server mode: accounts and sign-in, any address, several web
processes with `--workers N` or on more hosts, sharing nothing but a PostgreSQL store, with
large uploads imported by `crampwise worker`).

The CLI never imports the web face: it hands uvicorn the factory's import string
(`crampwise.web.app:create_app`, `factory=True`), and the factory reads the store and athlete
from the same environment variables every command reads (`--db` and `--athlete` are put
there; server mode is `CRAMPWISE_MULTI_USER=1`). The store is opened (and migrated) before the
server starts, so a bad `--db` is reported at once (exit 3), not on the first page.

Server mode refuses to start with a missing or weak secret key (`CRAMPWISE_SECRET_KEY`, checked
by `config.load_server_settings`), with `--athlete` (each request acts for its signed-in
account), or on SQLite (several processes and the job queue share the store: docs/server.md).
"""

from __future__ import annotations

import os
import socket
from typing import Annotated

import typer

from crampwise.cli.common import EXIT_BAD_INPUT, fail, reported_errors, state

APP_FACTORY = "crampwise.web.app:create_app"
# With --workers N, each web process builds the app through this factory: it ends with serve.
WORKER_APP_FACTORY = "crampwise.web.app:create_worker_app"
MAX_WORKERS = 64
SERVE_HELP = (
    "Serve the web app (today, relief guide, log, history, insights, plan, check, report, import, "
    "settings; JSON API under /api/v1) on this computer. Local mode binds to loopback only and needs "
    "no login; --multi-user serves accounts with sign-in on a PostgreSQL store (set CRAMPWISE_SECRET_KEY "
    "first; --workers N for more web processes). Example: crampwise serve --port 8000 --open"
)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and `localhost`: addresses only this computer can reach (the
    web app's local mode checks each request's Host with the same rule)."""
    from crampwise.config import is_loopback_host

    return is_loopback_host(host)


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
            ENV_MULTI_USER,
            ENV_SERVE_PID,
            load_settings,
        )
        from crampwise.services import journal
        from crampwise.services.accounts import list_users
        from crampwise.services.context import open_context

        root = state(ctx)
        if multi_user and root.athlete:
            fail("--athlete: server mode acts for each signed-in account; leave --athlete out")
        if not multi_user and workers > 1:
            fail(
                "--workers: more than one web process needs server mode (--multi-user, on a PostgreSQL "
                "store); local mode is one process"
            )
        if not multi_user and not is_loopback(host):
            fail(
                f"--host: {host!r} is not a loopback address; without --multi-user crampwise serves only this "
                "computer (127.0.0.1, ::1 or localhost), since local mode has no login",
                EXIT_BAD_INPUT,
            )
        with reported_errors():  # server mode: a missing or default secret refuses to start (exit 2)
            settings = load_settings(database_url=root.db, athlete=root.athlete, multi_user=multi_user)
        if multi_user and not is_postgresql(settings.database_url):
            fail(
                "--db: server mode needs a PostgreSQL store (postgresql+psycopg://user@host/db): its web and "
                "job processes share it; for one person on this computer, serve without --multi-user"
            )
        with reported_errors(), open_context(settings) as app_ctx:
            athletes = journal.list_athletes(app_ctx)  # opens and migrates the store now: errors at once
            accounts = list_users(app_ctx) if multi_user else []
            if multi_user:
                from crampwise.services.job_worker import prepare_queue

                prepare_queue(app_ctx, now=datetime.now(UTC))
        os.environ[ENV_DATABASE_URL] = settings.database_url
        if settings.athlete:
            os.environ[ENV_ATHLETE] = settings.athlete
        if multi_user:
            os.environ[ENV_MULTI_USER] = "1"
            os.environ[ENV_SERVE_PID] = str(os.getpid())
        chosen = free_port(host, port)
        url = address(host, chosen)
        processes = f", {workers} web processes" if workers > 1 else ""
        if multi_user:
            who = (
                f"{len(accounts)} accounts"
                if accounts
                else "no account yet: crampwise user add NAME --role athlete --password-stdin"
            )
            typer.echo(
                f"crampwise (server mode, sign-in required) is serving {who} at {url}{processes}  (Ctrl-C to stop)"
            )
        else:
            who = ", ".join(a.name for a in athletes) or "no athlete yet: set one up in Settings"
            typer.echo(f"crampwise is serving {who} at {url}  (Ctrl-C to stop)", err=False)
        if open_browser:
            _open_browser(url)
        import uvicorn

        # proxy_headers off: the app itself believes X-Forwarded-* from CRAMPWISE_TRUSTED_PROXIES only.
        uvicorn.run(
            WORKER_APP_FACTORY if workers > 1 else APP_FACTORY,
            factory=True,
            host=host.strip("[]"),
            port=chosen,
            workers=workers,
            # server mode logs every request (the client address as a trusted proxy forwards it)
            log_level="info" if multi_user else "warning",
            proxy_headers=False,
        )

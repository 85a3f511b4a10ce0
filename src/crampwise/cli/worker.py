"""`crampwise worker`: run server mode's background jobs (large uploads' imports).

Start one or more on any host that reaches the PostgreSQL store; they share the work. A worker
is server mode by definition: it builds the settings `serve --multi-user` builds, from the same
environment (so the same secret key is required and checked). The first SIGTERM (or Ctrl-C)
lets the running job finish, then the worker exits 0.
"""

from __future__ import annotations

from typing import Annotated

import typer

from crampwise.cli.common import fail, reported_errors, state

WORKER_HELP = (
    "Run server mode's background jobs (imports of large uploads) from the PostgreSQL store until "
    "SIGTERM or Ctrl-C, which let the running job finish. Run as many as you like, on any host. "
    "Example: crampwise --db postgresql+psycopg://crampwise@db/crampwise worker"
)


def register(app: typer.Typer) -> None:
    """Add `worker` to the root app."""

    @app.command("worker", help=WORKER_HELP)
    def worker(
        ctx: typer.Context,
        concurrency: Annotated[
            int, typer.Option("--concurrency", min=1, max=32, help="Jobs run at once in this process.")
        ] = 1,
        stalled_after: Annotated[
            float,
            typer.Option(
                "--stalled-after",
                min=1.0,
                max=3600.0,
                help="Seconds without a heartbeat after which another worker's running job is run again.",
            ),
        ] = 30.0,
    ) -> None:
        import logging
        from datetime import UTC, datetime

        from crampwise.cli.serve import is_postgresql
        from crampwise.config import load_settings
        from crampwise.services.context import open_context
        from crampwise.services.job_worker import WorkerOptions, prepare_queue, run_worker

        root = state(ctx)
        with reported_errors():  # the same server settings as `serve --multi-user`, the same checks
            settings = load_settings(database_url=root.db, multi_user=True)
        if not is_postgresql(settings.database_url):
            fail(
                "--db: the job worker needs server mode's PostgreSQL store (postgresql+psycopg://user@host/db); "
                "on SQLite, imports run at once and need no worker"
            )
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        logging.getLogger("procrastinate").setLevel(logging.WARNING)
        with reported_errors(), open_context(settings) as app_ctx:
            version = prepare_queue(app_ctx, now=datetime.now(UTC))
            typer.echo(
                f"crampwise worker: running import jobs (job queue: procrastinate {version}; "
                f"{concurrency} at a time; SIGTERM or Ctrl-C stops after the running job)",
                err=True,
            )
            run_worker(app_ctx, WorkerOptions(concurrency=concurrency, stalled_after_s=stalled_after))
        typer.echo("crampwise worker: stopped", err=True)

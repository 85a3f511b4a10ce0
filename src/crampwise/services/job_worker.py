"""`crampwise worker`: runs background import jobs from the queue in the store.

One worker process runs `concurrency` jobs at a time (default one), each in a thread of this
process: it starts no child process, so a killed worker leaves nothing behind; run more
worker processes (on this host or others) for more throughput.

- **Stop.** The first SIGTERM or SIGINT stops taking jobs and lets the running ones finish
  (procrastinate's graceful shutdown); a second one stops at once (the interrupted job is
  then found and retried like a killed worker's).
- **Killed workers.** Every worker sends a heartbeat every `stalled_after_s / 3` seconds and,
  every `stalled_after_s / 2` seconds, puts back in the queue the running jobs of workers
  silent for `stalled_after_s` (and does so once when it starts), so the job of a worker that
  was killed (SIGKILL, out of memory, a lost host) is run again by another one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from crampwise.domain.errors import StoreError
from crampwise.services import import_jobs
from crampwise.services.context import AppContext, store_errors
from crampwise.storage import queue

if TYPE_CHECKING:
    import procrastinate

DEFAULT_STALLED_AFTER_S: Final = 30.0
log = logging.getLogger("crampwise.worker")


@dataclass(frozen=True)
class WorkerOptions:
    concurrency: int = 1
    stalled_after_s: float = DEFAULT_STALLED_AFTER_S


def _utc_now() -> datetime:
    return datetime.now(UTC)


def prepare_queue(ctx: AppContext, *, now: datetime) -> str:
    """Migrate the store and install or upgrade the job queue's tables; the queue's version.

    Server mode only runs on PostgreSQL; anything that stops the queue is a `StoreError`.
    """
    try:
        with store_errors(ctx.settings.database_url):
            return queue.prepare(ctx.engine, now=now)
    except queue.QueueSchemaError as exc:
        raise StoreError(f"job queue: {exc}") from exc


def build_queue(
    ctx: AppContext, *, clock: Callable[[], datetime] = _utc_now, pool_max_size: int = 4
) -> procrastinate.App:
    """The queue with crampwise's tasks registered, on the context's store."""
    import procrastinate

    app = queue.make_app(ctx.settings.database_url, pool_max_size=pool_max_size)

    @app.task(
        name=import_jobs.IMPORT_TASK,
        queue=import_jobs.IMPORT_QUEUE,
        retry=procrastinate.RetryStrategy(max_attempts=import_jobs.MAX_ATTEMPTS, wait=5),
    )
    def import_upload(job_pk: int) -> str:
        log.info("import job %s: started", job_pk)
        outcome = import_jobs.run(ctx, job_pk=job_pk, clock=clock)
        log.info("import job %s: %s", job_pk, outcome)
        return outcome

    return app


async def _watch_stalled(app: procrastinate.App, stalled_after_s: float) -> None:
    while True:
        await asyncio.sleep(stalled_after_s / 2)
        try:
            await _retry_stalled(app, stalled_after_s)
        except Exception as exc:  # a database hiccup must not stop the worker: try again later
            log.warning("could not look for stalled jobs: %s", exc)


async def _retry_stalled(app: procrastinate.App, stalled_after_s: float) -> None:
    def retried(job_id: int) -> None:
        log.warning("job %s: its worker stopped answering; queued again", job_id)

    await queue.retry_stalled(app, stalled_after_s=stalled_after_s, on_retry=retried)


async def _work(app: procrastinate.App, options: WorkerOptions) -> None:
    async with app.open_async():
        await _retry_stalled(app, options.stalled_after_s)
        watcher = asyncio.create_task(_watch_stalled(app, options.stalled_after_s))
        try:
            await app.run_worker_async(
                queues=[import_jobs.IMPORT_QUEUE],
                name="crampwise",
                concurrency=options.concurrency,
                wait=True,
                delete_jobs="successful",
                install_signal_handlers=True,
                update_heartbeat_interval=options.stalled_after_s / 3,
                stalled_worker_timeout=options.stalled_after_s,
            )
        finally:
            watcher.cancel()


def run_worker(ctx: AppContext, options: WorkerOptions, *, clock: Callable[[], datetime] = _utc_now) -> None:
    """Run jobs until SIGTERM or SIGINT (the running ones finish first)."""
    from procrastinate.exceptions import ConnectorException

    app = build_queue(ctx, clock=clock, pool_max_size=max(4, options.concurrency + 3))
    try:
        with store_errors(ctx.settings.database_url):
            asyncio.run(_work(app, options))
    except ConnectorException as exc:
        cause = exc.__cause__ or exc
        raise StoreError(f"job queue: {' '.join(str(cause).split()) or type(cause).__name__}") from exc

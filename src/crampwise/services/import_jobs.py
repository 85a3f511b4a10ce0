"""Background imports (server mode): an upload stored with its job, imported by a job worker.

`submit` stores the upload and queues its job in ONE transaction (the job queue lives in the
same PostgreSQL database), so there is never an upload without a job or a job without its
files. `run` is what a job worker executes; it may run again after a worker was killed:

- only one worker runs a job at a time: it holds a PostgreSQL advisory lock on the job for
  the whole run (released by the server when a killed worker's connection drops), and a
  second delivery of a job that is still running returns at once;
- every file is imported in its own transaction, which also records the file's result
  (`services.imports.FileSink`), so a killed run leaves whole files and results that say
  exactly which; the retry finds those files by their content hash (nothing is stored
  twice) and keeps the results recorded the first time;
- a job started `MAX_ATTEMPTS` times without finishing (a file that kills its worker every
  time, say) is marked failed instead of being tried for ever.

`status` is the job as its athlete sees it: progress while it runs, the `import --json`
document when it is done. Another athlete's job is `NotFound`, like any record of theirs.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, text

from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.importers.archives import count_bytes
from crampwise.importers.detect import detect_format
from crampwise.services.context import AppContext, store_errors
from crampwise.services.imports import FileResult, import_uploads
from crampwise.services.journal import resolve_athlete
from crampwise.storage import import_jobs as store
from crampwise.storage import queue

IMPORT_TASK: Final = "crampwise.import_upload"
IMPORT_QUEUE: Final = "imports"
MAX_ATTEMPTS: Final = 3
# The two-key advisory lock taken on a job: the first key is a hash of the store's schema
# (advisory locks are per database, and one database may hold several crampwise schemas: job
# 1 of one store must not block job 1 of another), the second is the job's pk.
_JOB_LOCK_SQL: Final = "SELECT pg_try_advisory_lock(hashtext(current_schema()), :pk)"
_JOB_UNLOCK_SQL: Final = "SELECT pg_advisory_unlock(hashtext(current_schema()), :pk)"


@dataclass(frozen=True)
class JobStatus:
    """An import job as its athlete sees it (`GET /api/v1/imports/{id}`)."""

    id: str
    status: str
    files_done: int
    files_total: int
    attempts: int
    created: datetime
    started: datetime | None
    finished: datetime | None
    error: str | None
    result: dict[str, Any] | None

    @property
    def finished_ok(self) -> bool:
        return self.status == store.DONE

    @property
    def over(self) -> bool:
        return self.status in store.FINISHED

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "files_done": self.files_done,
            "files_total": self.files_total,
            "attempts": self.attempts,
            "created": self.created.isoformat(),
            "started": self.started.isoformat() if self.started else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "error": self.error,
            "result": self.result,
        }


def available(ctx: AppContext) -> bool:
    """Whether uploads may become jobs: server mode on a PostgreSQL store."""
    return ctx.settings.multi_user and ctx.settings.database_url.startswith("postgresql")


def should_queue(ctx: AppContext, files: Sequence[tuple[str, bytes]], *, asked: bool = False) -> bool:
    """Whether this upload is imported in the background: large, or the client asked for it."""
    server = ctx.settings.server
    if server is None or not available(ctx):
        return False
    return asked or sum(len(data) for _name, data in files) >= server.background_import_bytes


def _files_total(files: Sequence[tuple[str, bytes]]) -> int:
    return sum(1 if detect_format(data[:4096]) == "bundle" else count_bytes(data) for _n, data in files)


def submit(
    ctx: AppContext, *, athlete: str | None, files: Sequence[tuple[str, bytes]], now: datetime
) -> JobStatus:
    """Store the upload and queue its import job, in one transaction; the queued job."""
    if not files:
        raise InvalidInput.single("files", "choose at least one file to import")
    public_id = secrets.token_hex(16)
    app = queue.make_app(ctx.settings.database_url)
    with ctx.begin() as conn:
        athlete_pk, _who = resolve_athlete(ctx, conn, athlete)
        job_pk = store.create_job(
            conn=conn,
            athlete_pk=athlete_pk,
            public_id=public_id,
            files=files,
            files_total=_files_total(files),
            now=now,
        )
        queue.defer_in(conn, app, IMPORT_TASK, queue_name=IMPORT_QUEUE, job_pk=job_pk)
    return status(ctx, athlete=athlete, job_id=public_id)


def status(ctx: AppContext, *, athlete: str | None, job_id: str) -> JobStatus:
    """The job `job_id` of `athlete`; `NotFound` for a job that is not theirs or not at all."""
    with ctx.read() as conn:
        athlete_pk, _who = resolve_athlete(ctx, conn, athlete)
        row = store.get_job(conn=conn, public_id=job_id)
        if row is None or row.athlete_pk != athlete_pk:
            raise NotFound(f"import job {job_id!r}: no such import")
        result = (
            _document(list(store.results(conn=conn, job_pk=row.pk))) if row.status == store.DONE else None
        )
    return JobStatus(
        id=row.public_id,
        status=row.status,
        files_done=row.files_done,
        files_total=max(row.files_total, row.files_done),
        attempts=row.attempts,
        created=row.created_utc,
        started=row.started_utc,
        finished=row.finished_utc,
        error=row.error,
        result=result,
    )


def _document(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The `import --json` document of a job's recorded results."""
    return {
        "files": entries,
        "imported": sum(e["status"] == "imported" for e in entries),
        "duplicates": sum(e["status"] == "duplicate" for e in entries),
        "skipped": sum(e["status"] == "skipped" for e in entries),
        "errors": sum(e["status"] == "error" for e in entries),
    }


@contextmanager
def _job_lock(ctx: AppContext, job_pk: int) -> Iterator[bool]:
    """Hold the job's advisory lock on a connection of its own for the block (PostgreSQL).

    Yields False when another live worker holds it. On SQLite (one process) always True.
    """
    engine = ctx.engine
    if engine.dialect.name != "postgresql":
        yield True
        return
    with store_errors(ctx.settings.database_url), engine.connect() as conn:
        got = bool(conn.execute(text(_JOB_LOCK_SQL), {"pk": job_pk}).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text(_JOB_UNLOCK_SQL), {"pk": job_pk})
                conn.commit()


def run(ctx: AppContext, *, job_pk: int, clock: Callable[[], datetime]) -> str:
    """Import the files of job `job_pk` (the job worker's task); the job's status afterwards."""
    with _job_lock(ctx, job_pk) as mine:
        if not mine:
            return store.RUNNING  # another worker is on it; this delivery has nothing to do
        with ctx.begin() as conn:
            row = store.get_job(conn=conn, job_pk=job_pk)
            if row is None or row.status in store.FINISHED:
                return row.status if row is not None else store.FAILED
            attempt = store.start_attempt(conn=conn, job_pk=job_pk, now=clock())
            if attempt > MAX_ATTEMPTS:
                store.finish_job(
                    conn=conn,
                    job_pk=job_pk,
                    status=store.FAILED,
                    error=f"the import stopped {MAX_ATTEMPTS} times before it finished; "
                    "the files imported so far are kept",
                    now=clock(),
                )
                return store.FAILED
            files = store.file_positions(conn=conn, job_pk=job_pk)
        try:
            _import_files(ctx, row, files, clock)
        except Exception as exc:
            if attempt < MAX_ATTEMPTS:
                raise  # the queue tries again later
            with ctx.begin() as conn:
                store.finish_job(
                    conn=conn, job_pk=job_pk, status=store.FAILED, error=_one_line(exc), now=clock()
                )
            return store.FAILED
        with ctx.begin() as conn:
            store.finish_job(conn=conn, job_pk=job_pk, status=store.DONE, error=None, now=clock())
    return store.DONE


def _one_line(exc: BaseException) -> str:
    text_ = " ".join(str(exc).split()) or type(exc).__name__
    return f"the import failed: {text_}"[:500]


def _import_files(
    ctx: AppContext, row: store.JobRow, files: list[tuple[int, str]], clock: Callable[[], datetime]
) -> None:
    from crampwise.services.uploads import bundle_entry

    with ctx.read() as conn:
        done = store.recorded_positions(conn=conn, job_pk=row.pk)
    position = 0
    for file_position, name in files:
        with ctx.read() as conn:
            data = store.file_data(conn=conn, job_pk=row.pk, position=file_position)
        if detect_format(data[:4096]) == "bundle":
            if position not in done:
                entry = bundle_entry(ctx, row.athlete_name, name, data, clock())
                with ctx.begin() as conn:
                    store.record_result(conn=conn, job_pk=row.pk, position=position, result=entry)
            position += 1
            continue
        start = position

        def sink(conn: Connection, index: int, result: FileResult, start: int = start) -> None:
            store.record_result(conn=conn, job_pk=row.pk, position=start + index, result=result.to_json())

        report = import_uploads(
            ctx, athlete=row.athlete_name, uploads=[(name, data)], now=clock(), workers=1, sink=sink
        )
        position += len(report.files)

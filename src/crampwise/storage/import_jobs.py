"""Background imports: the uploaded files, the job's state and each file's result.

A large upload in server mode is kept in the database (the only thing web and job processes
on different hosts share), and a job worker imports it. Tables:

- `import_jobs`: one row per upload: the athlete it belongs to, its state (`queued`,
  `running`, `done`, `failed`), how many files it holds, how often a worker started it;
- `import_job_files`: the uploaded files themselves (deleted once the job is over);
- `import_job_results`: one row per imported file, written in the same transaction that
  stores the file's sessions, so a worker killed mid-import leaves results that say exactly
  what is in the store, and the retry does not report its own earlier work as duplicates;
- `queue_schema`: which version of the job queue's own tables (procrastinate's) is installed.

The caller owns the transaction, as everywhere in `storage`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
    update,
)

from crampwise.storage.schema import athletes, metadata
from crampwise.storage.types import UTCDateTime

QUEUED: Final = "queued"
RUNNING: Final = "running"
DONE: Final = "done"
FAILED: Final = "failed"
FINISHED: Final = frozenset({DONE, FAILED})

import_jobs = Table(
    "import_jobs",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    # What the job is called in URLs: random, so that a job's address reveals nothing.
    Column("public_id", String(32), nullable=False, unique=True),
    Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("files_total", Integer, nullable=False),
    Column("upload_bytes", BigInteger, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("created_utc", UTCDateTime(), nullable=False),
    Column("started_utc", UTCDateTime()),
    Column("finished_utc", UTCDateTime()),
)

import_job_files = Table(
    "import_job_files",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("job_pk", Integer, ForeignKey("import_jobs.pk", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(500), nullable=False),
    Column("data", LargeBinary, nullable=False),
    UniqueConstraint("job_pk", "position", name="uq_import_job_files_job_position"),
)

import_job_results = Table(
    "import_job_results",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("job_pk", Integer, ForeignKey("import_jobs.pk", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    # One entry of the `import --json` document's `files` list.
    Column("result", JSON, nullable=False),
    UniqueConstraint("job_pk", "position", name="uq_import_job_results_job_position"),
)

queue_schema = Table(
    "queue_schema",
    metadata,
    Column("component", String(32), primary_key=True),
    Column("version", String(32), nullable=False),
    Column("applied_utc", UTCDateTime(), nullable=False),
)


@dataclass(frozen=True)
class JobRow:
    """One import job as stored (times aware UTC)."""

    pk: int
    public_id: str
    athlete_pk: int
    athlete_name: str
    status: str
    files_total: int
    files_done: int
    upload_bytes: int
    attempts: int
    error: str | None
    created_utc: datetime
    started_utc: datetime | None
    finished_utc: datetime | None


def create_job(
    *,
    conn: Connection,
    athlete_pk: int,
    public_id: str,
    files: Sequence[tuple[str, bytes]],
    files_total: int,
    now: datetime,
) -> int:
    """Store a queued job and its files; returns the job's pk."""
    job_pk = conn.execute(
        insert(import_jobs)
        .values(
            public_id=public_id,
            athlete_pk=athlete_pk,
            status=QUEUED,
            files_total=files_total,
            upload_bytes=sum(len(data) for _name, data in files),
            attempts=0,
            created_utc=now,
        )
        .returning(import_jobs.c.pk)
    ).scalar_one()
    for position, (name, data) in enumerate(files):
        conn.execute(
            insert(import_job_files).values(job_pk=job_pk, position=position, name=name[-500:], data=data)
        )
    return int(job_pk)


def _done_count() -> Any:
    return (
        select(func.count())
        .where(import_job_results.c.job_pk == import_jobs.c.pk)
        .correlate(import_jobs)
        .scalar_subquery()
    )


def _job_query() -> Any:
    return select(
        import_jobs.c.pk,
        import_jobs.c.public_id,
        import_jobs.c.athlete_pk,
        athletes.c.name,
        import_jobs.c.status,
        import_jobs.c.files_total,
        _done_count(),
        import_jobs.c.upload_bytes,
        import_jobs.c.attempts,
        import_jobs.c.error,
        import_jobs.c.created_utc,
        import_jobs.c.started_utc,
        import_jobs.c.finished_utc,
    ).join(athletes, athletes.c.pk == import_jobs.c.athlete_pk)


def get_job(*, conn: Connection, job_pk: int | None = None, public_id: str | None = None) -> JobRow | None:
    """A job by pk or by public id (None when there is none)."""
    query = _job_query()
    query = query.where(import_jobs.c.pk == job_pk) if job_pk is not None else query
    query = query.where(import_jobs.c.public_id == public_id) if public_id is not None else query
    row = conn.execute(query).first()
    return None if row is None else JobRow(*row)


def jobs_of(*, conn: Connection, athlete_pk: int) -> list[JobRow]:
    """Every job of one athlete, oldest first (the privacy export lists them)."""
    query = _job_query().where(import_jobs.c.athlete_pk == athlete_pk).order_by(import_jobs.c.pk)
    return [JobRow(*row) for row in conn.execute(query)]


def start_attempt(*, conn: Connection, job_pk: int, now: datetime) -> int:
    """Mark the job running and count one more attempt; returns the attempt number."""
    conn.execute(
        update(import_jobs)
        .where(import_jobs.c.pk == job_pk)
        .values(status=RUNNING, attempts=import_jobs.c.attempts + 1, started_utc=now)
    )
    attempts = conn.execute(select(import_jobs.c.attempts).where(import_jobs.c.pk == job_pk)).scalar_one()
    return int(attempts)


def finish_job(*, conn: Connection, job_pk: int, status: str, error: str | None, now: datetime) -> None:
    """Close the job (done or failed) and drop its uploaded files: the results stay."""
    conn.execute(
        update(import_jobs)
        .where(import_jobs.c.pk == job_pk)
        .values(status=status, error=error, finished_utc=now)
    )
    conn.execute(delete(import_job_files).where(import_job_files.c.job_pk == job_pk))


def file_positions(*, conn: Connection, job_pk: int) -> list[tuple[int, str]]:
    """(position, name) of the job's files, in upload order."""
    rows = conn.execute(
        select(import_job_files.c.position, import_job_files.c.name)
        .where(import_job_files.c.job_pk == job_pk)
        .order_by(import_job_files.c.position)
    )
    return [(int(p), str(n)) for p, n in rows]


def file_data(*, conn: Connection, job_pk: int, position: int) -> bytes:
    """The bytes of one uploaded file (read one at a time: uploads may be large)."""
    data = conn.execute(
        select(import_job_files.c.data).where(
            (import_job_files.c.job_pk == job_pk) & (import_job_files.c.position == position)
        )
    ).scalar_one()
    return bytes(data)


def recorded_positions(*, conn: Connection, job_pk: int) -> set[int]:
    rows = conn.execute(
        select(import_job_results.c.position).where(import_job_results.c.job_pk == job_pk)
    ).scalars()
    return {int(p) for p in rows}


def record_result(*, conn: Connection, job_pk: int, position: int, result: dict[str, Any]) -> bool:
    """Keep one file's result unless an earlier attempt recorded it; True when written now.

    Only one worker runs a job at a time (the caller holds the job's lock), so reading first
    is enough; the unique index is the backstop.
    """
    exists = conn.execute(
        select(import_job_results.c.pk).where(
            (import_job_results.c.job_pk == job_pk) & (import_job_results.c.position == position)
        )
    ).first()
    if exists is not None:
        return False
    conn.execute(insert(import_job_results).values(job_pk=job_pk, position=position, result=result))
    return True


def results(*, conn: Connection, job_pk: int) -> Iterator[dict[str, Any]]:
    """The recorded file results in file order."""
    rows = conn.execute(
        select(import_job_results.c.result)
        .where(import_job_results.c.job_pk == job_pk)
        .order_by(import_job_results.c.position)
    ).scalars()
    for row in rows:
        yield dict(row)


def queue_version(*, conn: Connection, component: str) -> str | None:
    return conn.execute(
        select(queue_schema.c.version).where(queue_schema.c.component == component)
    ).scalar_one_or_none()


def set_queue_version(*, conn: Connection, component: str, version: str, now: datetime) -> None:
    updated = conn.execute(
        update(queue_schema)
        .where(queue_schema.c.component == component)
        .values(version=version, applied_utc=now)
    ).rowcount
    if not updated:
        conn.execute(insert(queue_schema).values(component=component, version=version, applied_utc=now))

"""Background imports on a real PostgreSQL store: submit and queue in one transaction, run,
resume after an interrupted run without duplicates, give up after MAX_ATTEMPTS, isolation."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from crampwise.config import ServerSettings, Settings
from crampwise.domain.errors import NotFound
from crampwise.services import import_jobs, journal
from crampwise.services.context import AppContext, open_context
from crampwise.services.job_worker import prepare_queue
from crampwise.storage import import_jobs as jobs_table
from crampwise.storage import queue
from crampwise.storage.schema import sessions
from tests.conftest import POSTGRES_ENV, _postgres_schema_url
from tests.services.test_imports import gpx

pytestmark = pytest.mark.postgres

SERVER = ServerSettings(secret_key="Kq3v9Zt1Rw8YpL2mXc7NbH4sJd6Gf0Ae")


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set (run under scripts/with-postgres.sh)")
    yield from _postgres_schema_url(base)


@pytest.fixture
def server(pg_url: str, tmp_path: Path, now: datetime) -> Iterator[AppContext]:
    """Server mode on a fresh PostgreSQL schema with the job queue installed and two athletes."""
    settings = Settings(database_url=pg_url, data_dir=tmp_path, server=SERVER)
    with open_context(settings) as ctx:
        journal.add_athlete(ctx, data={"name": "Ana", "timezone": "Europe/Madrid"})
        journal.add_athlete(ctx, data={"name": "Ben", "timezone": "Europe/London"})
        prepare_queue(ctx, now=now)
        yield ctx


def archive(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, data in members:
            zipped.writestr(name, data)
    return buffer.getvalue()


def upload() -> list[tuple[str, bytes]]:
    """Four activities: one file and a three-member archive."""
    days = [f"2024-05-0{d}T07:00" for d in (1, 2, 3, 4)]
    return [
        ("one.gpx", gpx(days[0])),
        ("export.zip", archive(*((f"activities/{i}.gpx", gpx(day)) for i, day in enumerate(days[1:])))),
    ]


def count(ctx: AppContext, query: str) -> int:
    with ctx.read() as conn:
        return int(conn.execute(text(query)).scalar_one())


def clock_at(now: datetime) -> Callable[[], datetime]:
    return lambda: now


def test_submit_stores_the_upload_and_queues_its_job_in_one_transaction(
    server: AppContext, now: datetime
) -> None:
    job = import_jobs.submit(server, athlete="Ana", files=upload(), now=now)
    assert (job.status, job.files_done, job.files_total, job.attempts, job.result) == (
        "queued",
        0,
        4,
        0,
        None,
    )
    assert len(job.id) == 32
    with server.read() as conn:
        queued = conn.execute(
            text("SELECT task_name, queue_name, status::text, args FROM procrastinate_jobs")
        ).all()
        row = jobs_table.get_job(conn=conn, public_id=job.id)
    assert row is not None
    assert queued == [(import_jobs.IMPORT_TASK, import_jobs.IMPORT_QUEUE, "todo", {"job_pk": row.pk})]
    assert count(server, "SELECT count(*) FROM import_job_files") == 2


def test_a_failed_submit_leaves_neither_upload_nor_job(server: AppContext, now: datetime) -> None:
    with pytest.raises(NotFound):
        import_jobs.submit(server, athlete="Nobody", files=upload(), now=now)
    assert count(server, "SELECT count(*) FROM import_jobs") == 0
    assert count(server, "SELECT count(*) FROM procrastinate_jobs") == 0


def test_run_imports_every_file_then_drops_the_upload(server: AppContext, now: datetime) -> None:
    job = import_jobs.submit(server, athlete="Ana", files=upload(), now=now)
    pk = _pk(server, job.id)
    assert import_jobs.run(server, job_pk=pk, clock=clock_at(now)) == "done"
    done = import_jobs.status(server, athlete="Ana", job_id=job.id)
    assert (done.status, done.files_done, done.files_total, done.attempts) == ("done", 4, 4, 1)
    assert done.result is not None
    assert [f["path"] for f in done.result["files"]] == [
        "one.gpx",
        "export.zip!activities/0.gpx",
        "export.zip!activities/1.gpx",
        "export.zip!activities/2.gpx",
    ]
    assert (done.result["imported"], done.result["duplicates"], done.result["errors"]) == (4, 0, 0)
    assert count(server, "SELECT count(*) FROM sessions") == 4
    assert count(server, "SELECT count(*) FROM import_job_files") == 0
    # a second delivery of a finished job changes nothing
    assert import_jobs.run(server, job_pk=pk, clock=clock_at(now)) == "done"
    assert import_jobs.status(server, athlete="Ana", job_id=job.id).attempts == 1


class Killed(BaseException):
    """Stands for the worker's death: not an Exception, so nothing in the import catches it."""


def test_a_run_killed_midway_is_finished_by_the_next_without_duplicates(
    server: AppContext, now: datetime
) -> None:
    job = import_jobs.submit(server, athlete="Ana", files=upload(), now=now)
    pk = _pk(server, job.id)
    calls = 0

    def dying_clock() -> datetime:
        # the clock is read once per uploaded file (and when the run starts): the worker dies
        # while it starts on the archive, after the first file was stored
        nonlocal calls
        calls += 1
        if calls == 3:
            raise Killed
        return now

    with pytest.raises(Killed):
        import_jobs.run(server, job_pk=pk, clock=dying_clock)
    halfway = import_jobs.status(server, athlete="Ana", job_id=job.id)
    assert (halfway.status, halfway.files_done, halfway.attempts) == ("running", 1, 1)
    assert count(server, "SELECT count(*) FROM sessions") == 1

    assert import_jobs.run(server, job_pk=pk, clock=clock_at(now + timedelta(minutes=1))) == "done"
    done = import_jobs.status(server, athlete="Ana", job_id=job.id)
    assert done.result is not None and done.attempts == 2
    # the file stored by the first run is reported as imported (by that run), not as a duplicate
    assert [f["status"] for f in done.result["files"]] == ["imported"] * 4
    assert count(server, "SELECT count(*) FROM sessions") == 4
    assert count(server, "SELECT count(*) FROM session_series") == 4


def test_a_job_started_too_often_fails_and_keeps_what_was_imported(server: AppContext, now: datetime) -> None:
    job = import_jobs.submit(server, athlete="Ana", files=upload(), now=now)
    pk = _pk(server, job.id)
    with server.begin() as conn:
        conn.execute(
            update(jobs_table.import_jobs)
            .where(jobs_table.import_jobs.c.pk == pk)
            .values(attempts=import_jobs.MAX_ATTEMPTS, status="running")
        )
    assert import_jobs.run(server, job_pk=pk, clock=clock_at(now)) == "failed"
    failed = import_jobs.status(server, athlete="Ana", job_id=job.id)
    assert failed.status == "failed" and failed.error is not None and "3 times" in failed.error
    assert failed.result is None
    assert count(server, "SELECT count(*) FROM import_job_files") == 0


def test_a_second_delivery_while_a_live_worker_runs_the_job_does_nothing(
    server: AppContext, now: datetime
) -> None:
    job = import_jobs.submit(server, athlete="Ana", files=upload(), now=now)
    pk = _pk(server, job.id)
    with server.engine.connect() as other:
        assert other.execute(text(import_jobs._JOB_LOCK_SQL), {"pk": pk}).scalar()
        assert import_jobs.run(server, job_pk=pk, clock=clock_at(now)) == "running"
        assert import_jobs.status(server, athlete="Ana", job_id=job.id).attempts == 0
        other.execute(text("SELECT pg_advisory_unlock_all()"))
    assert import_jobs.run(server, job_pk=pk, clock=clock_at(now)) == "done"


def test_another_athletes_job_is_not_found(server: AppContext, now: datetime) -> None:
    job = import_jobs.submit(server, athlete="Ana", files=upload(), now=now)
    with pytest.raises(NotFound):
        import_jobs.status(server, athlete="Ben", job_id=job.id)
    with pytest.raises(NotFound):
        import_jobs.status(server, athlete="Ana", job_id="0" * 32)


def test_what_goes_to_the_background(server: AppContext, tmp_path: Path) -> None:
    small = [("a.gpx", b"x" * 10)]
    settings = replace(server.settings, server=replace(SERVER, background_import_bytes=11))
    with open_context(settings) as ctx:
        assert not import_jobs.should_queue(ctx, small)
        assert import_jobs.should_queue(ctx, [("a.gpx", b"x" * 11)])  # the threshold itself is large
        assert import_jobs.should_queue(ctx, small, asked=True)
    with open_context(replace(settings, server=None)) as local:
        assert not import_jobs.should_queue(local, [("a.gpx", b"x" * 11)], asked=True)
    sqlite = Settings(
        database_url=f"sqlite:///{tmp_path / 'one.db'}",
        data_dir=tmp_path,
        server=replace(SERVER, background_import_bytes=1),
    )
    with open_context(sqlite) as single:
        assert not import_jobs.should_queue(single, small, asked=True)


def test_prepare_queue_is_idempotent_and_records_the_version(server: AppContext, now: datetime) -> None:
    installed = queue.installed_version()
    assert prepare_queue(server, now=now) == installed
    with server.read() as conn:
        assert jobs_table.queue_version(conn=conn, component=queue.COMPONENT) == installed
        assert conn.execute(select(func.count()).select_from(sessions)).scalar_one() == 0


def test_prepare_queue_refuses_a_queue_newer_than_this_host(server: AppContext, now: datetime) -> None:
    from crampwise.domain.errors import StoreError

    with server.begin() as conn:
        jobs_table.set_queue_version(conn=conn, component=queue.COMPONENT, version="99.0.0", now=now)
    with pytest.raises(StoreError, match=r"procrastinate 99\.0\.0's, newer than this host's"):
        prepare_queue(server, now=now)


def test_upgrades_apply_procrastinates_migrations_after_the_recorded_version_in_order() -> None:
    names = [p.name for p in queue._migrations_after("3.2.0", "3.4.0")]
    assert names == [
        "03.03.00_01_pre_priority_lock_fetch_job.sql",
        "03.04.00_01_pre_add_retry_failed_job_procedure.sql",
        "03.04.00_50_post_add_retry_failed_job_procedure.sql",
    ]
    assert queue._migrations_after("3.4.0", "3.4.0") == []


def test_libpq_url_keeps_options_and_drops_the_driver() -> None:
    url = "postgresql+psycopg://u:p%40ss@127.0.0.1:5432/db?options=-csearch_path%3Dt_1"
    assert queue.libpq_url(url) == "postgresql://u:p%40ss@127.0.0.1:5432/db?options=-csearch_path%3Dt_1"


def _pk(ctx: AppContext, public_id: str) -> int:
    with ctx.read() as conn:
        row = jobs_table.get_job(conn=conn, public_id=public_id)
    assert row is not None
    return row.pk

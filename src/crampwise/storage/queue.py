"""The job queue: procrastinate, on the store's own PostgreSQL database.

Why procrastinate: it keeps its jobs in PostgreSQL, which server mode already needs, so the
database stays the only shared state (no broker to run); a job can be deferred inside the
same transaction that stores the upload (`defer_in`), so an upload is never stored without
its job or the reverse; and its workers send heartbeats, so the job of a worker that was
killed is found (`retry_stalled`) and run again by another one.

Its tables are not part of crampwise's Alembic migrations: they belong to the installed
procrastinate release. `prepare(engine)` installs them on a store that has none, or applies
the SQL migrations procrastinate ships for every release newer than the one recorded in
`queue_schema`, under the same advisory lock as crampwise's migrations (so web and job
processes starting at once do it once).
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from crampwise.storage import import_jobs as store
from crampwise.storage.migrate import PG_MIGRATION_LOCK

if TYPE_CHECKING:
    import procrastinate

COMPONENT: Final = "procrastinate"
_MIGRATION_NAME = re.compile(r"^(\d+)\.(\d+)\.(\d+)_(\d+)_.*\.sql$")
log = logging.getLogger(__name__)


class QueueSchemaError(Exception):
    """The queue's tables cannot be brought to the installed procrastinate's version."""


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL (`postgresql+psycopg://...`) as psycopg's own connection string."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def installed_version() -> str:
    return importlib.metadata.version("procrastinate")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def make_app(url: str, *, pool_max_size: int = 4) -> procrastinate.App:
    """A procrastinate App on the store `url` (not opened: `open_async()` it to run a worker)."""
    import procrastinate

    connector = procrastinate.PsycopgConnector(conninfo=libpq_url(url), min_size=1, max_size=pool_max_size)
    return procrastinate.App(connector=connector)


def defer_in(
    conn: Connection, app: procrastinate.App, task_name: str, *, queue_name: str, **kwargs: Any
) -> int:
    """Queue a job of `task_name` with arguments `kwargs` inside `conn`'s transaction (committed
    or rolled back with it); its id."""
    raw = conn.connection.driver_connection
    job_id = app.configure_task(task_name, connection=raw, queue=queue_name).defer(**kwargs)
    return int(job_id)


def _migrations_after(recorded: str, installed: str) -> list[Path]:
    import procrastinate.schema

    folder = Path(procrastinate.schema.SchemaManager.get_migrations_path())
    chosen: list[tuple[tuple[int, ...], int, Path]] = []
    for path in folder.glob("*.sql"):
        found = _MIGRATION_NAME.match(path.name)
        if found is None:
            continue
        version = tuple(int(found.group(i)) for i in (1, 2, 3))
        if _version_key(recorded) < version <= _version_key(installed):
            chosen.append((version, int(found.group(4)), path))
    return [path for *_key, path in sorted(chosen)]


def prepare(engine: Engine, *, now: datetime) -> str:
    """Install or upgrade the queue's tables to the installed procrastinate; its version.

    Raises `QueueSchemaError` when the store's queue is newer than this host's procrastinate
    (another host was upgraded first), or when its tables exist without a recorded version.
    """
    import procrastinate.schema

    installed = installed_version()
    with engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
        recorded = store.queue_version(conn=conn, component=COMPONENT)
        present = conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None
        raw: Any = conn.connection.driver_connection
        if not present:
            raw.execute(procrastinate.schema.SchemaManager.get_schema())
            log.info("job queue: installed procrastinate %s's schema", installed)
        elif recorded is None:
            raise QueueSchemaError(
                "the job queue's tables exist but crampwise did not install them (no row in queue_schema); "
                "bring them to procrastinate "
                f"{installed} with procrastinate's migrations, then record it in queue_schema"
            )
        elif _version_key(recorded) > _version_key(installed):
            raise QueueSchemaError(
                f"the job queue's schema is procrastinate {recorded}'s, newer than this host's {installed}: "
                "upgrade crampwise here too"
            )
        elif recorded == installed:
            return installed
        else:
            for path in _migrations_after(recorded, installed):
                raw.execute(path.read_text(encoding="utf-8"))
                log.info("job queue: applied %s", path.name)
        store.set_queue_version(conn=conn, component=COMPONENT, version=installed, now=now)
    return installed


async def retry_stalled(
    app: procrastinate.App, *, stalled_after_s: float, on_retry: Callable[[int], None] | None = None
) -> int:
    """Put back in the queue the jobs of workers silent for `stalled_after_s`; how many."""
    from procrastinate import exceptions

    count = 0
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after_s):
        assert job.id is not None
        try:
            await app.job_manager.retry_job(job)
        except exceptions.ConnectorException:  # another worker retried it first
            continue
        count += 1
        if on_retry is not None:
            on_retry(job.id)
    return count

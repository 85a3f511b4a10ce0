"""The engine factory: one place that knows how to open SQLite and PostgreSQL well.

SQLite gets WAL (readers never block the writer), foreign keys on, a busy timeout (a second
writer waits instead of failing) and `BEGIN IMMEDIATE` for write transactions, so two
processes writing at once queue up instead of failing with "database is locked" when a read
transaction tries to become a write one. Read-only work asks for a deferred `BEGIN` through
the `crampwise_readonly` execution option.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_S = 30.0
READONLY_OPTION = "crampwise_readonly"


def _is_memory(database: str | None) -> bool:
    return database in (None, "", ":memory:") or bool(database and database.startswith("file::memory:"))


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for `url` (`sqlite:///file.db` or `postgresql+psycopg://...`).

    Creates the SQLite file's directory if needed. Does not touch the schema: see
    `crampwise.storage.migrate.upgrade`.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, future=True)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S}}
    if _is_memory(parsed.database):
        kwargs["poolclass"] = StaticPool
        kwargs["connect_args"]["check_same_thread"] = False
    elif parsed.database:
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, **kwargs)
    memory = _is_memory(parsed.database)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's `begin` event emit BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        readonly = connection.get_execution_options().get(READONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"

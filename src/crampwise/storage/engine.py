"""The engine factory: one place that knows how to open SQLite and PostgreSQL well.

SQLite gets WAL (readers never block the writer), foreign keys on, a busy timeout (a second
writer waits instead of failing: 30 s, or the URL's `?timeout=SECONDS`) and `BEGIN IMMEDIATE` for write transactions, so two
processes writing at once queue up instead of failing with "database is locked" when a read
transaction tries to become a write one. Read-only work asks for a deferred `BEGIN` through
the `crampwise_readonly` execution option.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from crampwise import faults

SQLITE_BUSY_TIMEOUT_S = 30.0
READONLY_OPTION = "crampwise_readonly"


def _is_memory(database: str | None) -> bool:
    return database in (None, "", ":memory:") or bool(database and database.startswith("file::memory:"))


def sqlite_file(url: str) -> Path | None:
    """The file of a file-backed SQLite URL, else None (PostgreSQL, in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or _is_memory(parsed.database) or not parsed.database:
        return None
    return Path(parsed.database).expanduser()


def store_exists(url: str) -> bool:
    """False only for a SQLite file that is not there yet (a server store is assumed to exist)."""
    path = sqlite_file(url)
    return path is None or path.exists()


def create_private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600), its new folders 0700.

    SQLite gives its `-wal` and `-shm` files the database file's permissions, so a journal of
    someone's health never becomes readable by the other users of the computer.
    """
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _busy_timeout_s(value: str | tuple[str, ...] | None) -> float:
    """The URL's `?timeout=SECONDS` (how long to wait for another writer), else 30 s."""
    if value is None:
        return SQLITE_BUSY_TIMEOUT_S
    try:
        seconds = float(value if isinstance(value, str) else value[-1])
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise ArgumentError(f"timeout={value}: give the seconds to wait for another writer, 0 to 3600")
    return seconds


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for `url` (`sqlite:///file.db` or `postgresql+psycopg://...`).

    Creates the SQLite file (0600) and its folders (0700) if needed. Does not touch the schema: see
    `crampwise.storage.migrate.upgrade`.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(parsed, pool_pre_ping=True, future=True)
        if faults.armed():
            _add_kill_points(engine)
        return engine
    timeout_s = _busy_timeout_s(parsed.query.get("timeout"))
    kwargs: dict[str, Any] = {"connect_args": {"timeout": timeout_s}}
    if _is_memory(parsed.database):
        kwargs["poolclass"] = StaticPool
        kwargs["connect_args"]["check_same_thread"] = False
    elif parsed.database:
        create_private_file(Path(parsed.database).expanduser())
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
            cursor.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
        finally:
            cursor.close()
        if faults.armed():
            dbapi_connection.set_progress_handler(faults.sqlite_progress, faults.SQLITE_VM_STEPS)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        readonly = connection.get_execution_options().get(READONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    if faults.armed():
        _add_kill_points(engine)
    return engine


def _add_kill_points(engine: Engine) -> None:
    """The durability tests' kill points (`crampwise.faults`, armed only): before and after
    every statement and before every commit."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before(*_args: Any) -> None:
        faults.checkpoint("sql")

    @event.listens_for(engine, "after_cursor_execute")
    def _after(*_args: Any) -> None:
        faults.checkpoint("sql-done")

    @event.listens_for(engine, "commit")
    def _commit(_connection: Any) -> None:
        faults.checkpoint("commit")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"

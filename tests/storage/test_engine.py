"""The engine factory's SQLite settings and the UTC column type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select
from sqlalchemy.exc import StatementError

from crampwise.storage.engine import make_engine
from crampwise.storage.types import UTCDateTime


def test_sqlite_gets_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'deep' / 'dir' / 'x.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert (tmp_path / "deep" / "dir" / "x.db").exists()
    finally:
        engine.dispose()


def _table() -> tuple[MetaData, Table]:
    metadata = MetaData()
    table = Table("t", metadata, Column("pk", Integer, primary_key=True), Column("at", UTCDateTime()))
    return metadata, table


def test_utc_column_stores_utc_and_reads_back_aware() -> None:
    engine = make_engine("sqlite://")
    metadata, table = _table()
    try:
        with engine.begin() as conn:
            metadata.create_all(conn)
            local = datetime(2026, 5, 1, 7, 30, tzinfo=timezone(timedelta(hours=2)))
            conn.execute(insert(table).values(pk=1, at=local))
            raw = conn.exec_driver_sql("SELECT at FROM t").scalar()
            back = conn.execute(select(table.c.at)).scalar_one()
        assert str(raw).startswith("2026-05-01 05:30:00")
        assert back == local
        assert back.tzinfo is UTC
    finally:
        engine.dispose()


def test_utc_column_refuses_naive_datetimes() -> None:
    engine = make_engine("sqlite://")
    metadata, table = _table()
    try:
        with pytest.raises(StatementError, match="naive datetime"), engine.begin() as conn:
            metadata.create_all(conn)
            conn.execute(insert(table).values(pk=1, at=datetime(2026, 5, 1, 7, 30)))  # noqa: DTZ001
    finally:
        engine.dispose()

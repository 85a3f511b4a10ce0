"""What the privacy service needs of the store: everything one athlete holds, and erasing it.

`erase_account` deletes the account and athlete rows (every record, series, session, token,
passkey and key cascades from them, and so do import jobs with their uploaded files and
results, planned sessions, products, reminder settings and push subscriptions; the job queue's own row keeps only the job's number, which then names nothing) with
SQLite's `secure_delete` on, so the freed pages are overwritten with zeros instead of keeping
the old bytes; `checkpoint` then folds the write-ahead log into the file and truncates it.
PostgreSQL removes dead rows at its next VACUUM (docs/server.md says so).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, delete, select

from crampwise.domain.series import Series
from crampwise.storage.accounts import accounts, login_failures
from crampwise.storage.consent import grants
from crampwise.storage.schema import athletes
from crampwise.storage.series import decode_series, imported_files, session_series


def series_of(*, conn: Connection, athlete_pk: int) -> Iterator[tuple[str, Series, str | None]]:
    """(session id, samples, source format) of every imported session of the athlete."""
    query = (
        select(session_series.c.session_id, session_series.c.data, session_series.c.source_format)
        .where(session_series.c.athlete_pk == athlete_pk)
        .order_by(session_series.c.start_utc)
    )
    for session_id, data, source_format in conn.execute(query):
        yield session_id, decode_series(data), source_format


def imported_files_of(*, conn: Connection, athlete_pk: int) -> list[dict[str, Any]]:
    query = (
        select(imported_files)
        .where(imported_files.c.athlete_pk == athlete_pk)
        .order_by(imported_files.c.imported_at)
    )
    return [
        {
            "path": r.path,
            "format": r.format,
            "sha256": r.content_sha256,
            "session_ids": list(r.session_ids),
            "imported_at": r.imported_at.isoformat(),
        }
        for r in conn.execute(query)
    ]


def erase_account(*, conn: Connection, account_pk: int, athlete_pk: int | None, username: str) -> None:
    """Delete the account, its journal and everything hanging on either, overwriting freed pages
    on SQLite (`secure_delete`)."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    conn.execute(
        delete(grants).where((grants.c.owner_pk == account_pk) | (grants.c.grantee_pk == account_pk))
    )
    conn.execute(delete(accounts).where(accounts.c.pk == account_pk))
    if athlete_pk is not None:
        conn.execute(delete(athletes).where(athletes.c.pk == athlete_pk))
    conn.execute(delete(login_failures).where(login_failures.c.key == username))
    if sqlite:
        conn.exec_driver_sql("PRAGMA secure_delete = OFF")


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the write-ahead log into the database file and empty it (no-op elsewhere).

    Outside any transaction (on the raw connection, which is in autocommit). A reader still
    holding the log can keep it from being emptied now; SQLite then does it at its next
    automatic checkpoint, so this never fails the erasure that already committed.
    """
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    except Exception:
        pass
    finally:
        raw.close()

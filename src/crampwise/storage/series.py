"""Imported activities in the store: compressed series blobs and imported-file hashes.

Why a blob per session and not a row per sample: ten years of second-by-second data is tens of
millions of samples; as rows that is gigabytes and slow on SQLite, as one zlib-compressed
column block per session it is a few bytes a sample. The blob format `cw1` is in
`series_blob` (no SQLAlchemy there: import workers encode blobs without loading the database
layer).

`imported_files` remembers the SHA-256 of every file that produced (or duplicated) a session,
so importing the same file twice is a `duplicate` without parsing it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    delete,
    insert,
    select,
)

from crampwise.domain.series import Series
from crampwise.storage.schema import metadata, sessions
from crampwise.storage.series_blob import FORMAT, decode_series, encode_series
from crampwise.storage.types import UTCDateTime

__all__ = ["decode_series", "encode_series"]

session_series = Table(
    "session_series",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="CASCADE"), nullable=False),
    Column("session_id", String(64), nullable=False),
    Column("format", String(16), nullable=False),
    Column("n_samples", Integer, nullable=False),
    Column("start_utc", UTCDateTime(), nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("distance_m", Float),
    Column("source_format", String(16)),
    Column("data", LargeBinary, nullable=False),
    UniqueConstraint("athlete_pk", "session_id", name="uq_session_series_athlete_session"),
    Index("ix_session_series_athlete_start", "athlete_pk", "start_utc"),
)

imported_files = Table(
    "imported_files",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="CASCADE"), nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("path", String(1000), nullable=False),
    Column("format", String(16), nullable=False),
    Column("session_ids", JSON, nullable=False),
    Column("imported_at", UTCDateTime(), nullable=False),
    UniqueConstraint("athlete_pk", "content_sha256", name="uq_imported_files_athlete_hash"),
)


# --- data access (the caller owns the transaction) ---------------------------------------------


def imported_hash(*, conn: Connection, athlete_pk: int, sha256: str) -> list[str] | None:
    """The session ids a file with this content produced, or None if it was never imported."""
    row = conn.execute(
        select(imported_files.c.session_ids).where(
            (imported_files.c.athlete_pk == athlete_pk) & (imported_files.c.content_sha256 == sha256)
        )
    ).first()
    return None if row is None else list(row[0])


def remember_file(
    *,
    conn: Connection,
    athlete_pk: int,
    sha256: str,
    path: str,
    fmt: str,
    session_ids: Sequence[str],
    now: datetime,
) -> None:
    conn.execute(
        insert(imported_files).values(
            athlete_pk=athlete_pk,
            content_sha256=sha256,
            path=path[-1000:],
            format=fmt,
            session_ids=list(session_ids),
            imported_at=now,
        )
    )


def store_series(
    *,
    conn: Connection,
    athlete_pk: int,
    session_id: str,
    blob: bytes,
    n_samples: int,
    start: datetime,
    duration_s: float,
    distance_m: float | None,
    source_format: str,
) -> None:
    """Store a session's series, replacing a leftover of a deleted session with the same id."""
    conn.execute(
        delete(session_series).where(
            (session_series.c.athlete_pk == athlete_pk) & (session_series.c.session_id == session_id)
        )
    )
    conn.execute(
        insert(session_series).values(
            athlete_pk=athlete_pk,
            session_id=session_id,
            format=FORMAT,
            n_samples=n_samples,
            start_utc=start,
            duration_s=duration_s,
            distance_m=distance_m,
            source_format=source_format,
            data=blob,
        )
    )


def sessions_near(
    *, conn: Connection, athlete_pk: int, start: datetime, window_s: float
) -> list[tuple[str, datetime, float, float | None, str | None]]:
    """Sessions starting within `window_s` of `start`.

    Each as (id, start, duration, distance, format of the file its series came from, or None
    for a session without a series, i.e. logged by hand).
    """
    low, high = start - timedelta(seconds=window_s), start + timedelta(seconds=window_s)
    query = (
        select(
            sessions.c.record_id,
            sessions.c.start_utc,
            sessions.c.duration_s,
            sessions.c.distance_m,
            session_series.c.pk,
            session_series.c.source_format,
        )
        .select_from(
            sessions.outerjoin(
                session_series,
                (session_series.c.athlete_pk == sessions.c.athlete_pk)
                & (session_series.c.session_id == sessions.c.record_id),
            )
        )
        .where(
            (sessions.c.athlete_pk == athlete_pk)
            & (sessions.c.start_utc >= low)
            & (sessions.c.start_utc <= high)
        )
    )
    return [
        (r[0], r[1], r[2], r[3], (r[5] or "unknown") if r[4] is not None else None)
        for r in conn.execute(query)
    ]


def load_series(*, conn: Connection, athlete_pk: int, session_id: str) -> tuple[Series, str | None] | None:
    """A session's series and the format of the file it came from, or None."""
    row = conn.execute(
        select(session_series.c.data, session_series.c.source_format).where(
            (session_series.c.athlete_pk == athlete_pk) & (session_series.c.session_id == session_id)
        )
    ).first()
    return None if row is None else (decode_series(row[0]), row[1])


def known_hashes(*, conn: Connection, athlete_pk: int) -> list[str]:
    """Hashes of the athlete's imported files whose sessions still exist (workers skip these).

    A file whose sessions were all deleted since is not "known": importing it again brings
    them back.
    """
    alive = {
        row[0]
        for row in conn.execute(select(sessions.c.record_id).where(sessions.c.athlete_pk == athlete_pk))
    }
    query = select(imported_files.c.content_sha256, imported_files.c.session_ids).where(
        imported_files.c.athlete_pk == athlete_pk
    )
    return [digest for digest, ids in conn.execute(query) if not ids or alive.intersection(ids)]


def forget_file(*, conn: Connection, athlete_pk: int, sha256: str, session_ids: Sequence[str]) -> None:
    """Drop the record of an imported file whose sessions were deleted, and their series."""
    conn.execute(
        delete(session_series).where(
            (session_series.c.athlete_pk == athlete_pk) & session_series.c.session_id.in_(list(session_ids))
        )
    )
    conn.execute(
        delete(imported_files).where(
            (imported_files.c.athlete_pk == athlete_pk) & (imported_files.c.content_sha256 == sha256)
        )
    )


# --- carrying recordings and import hashes between stores (bundles, archives) ------------------


def recordings(*, conn: Connection, athlete_pk: int) -> list[dict[str, Any]]:
    """Every stored series of the athlete as plain values (the blob kept as it is), by session id."""
    columns = (
        session_series.c.session_id,
        session_series.c.format,
        session_series.c.n_samples,
        session_series.c.start_utc,
        session_series.c.duration_s,
        session_series.c.distance_m,
        session_series.c.source_format,
        session_series.c.data,
    )
    query = (
        select(*columns)
        .where(session_series.c.athlete_pk == athlete_pk)
        .order_by(session_series.c.session_id)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def imported_file_rows(*, conn: Connection, athlete_pk: int) -> list[dict[str, Any]]:
    """The athlete's remembered imported files (hash, path, format, session ids, when)."""
    columns = (
        imported_files.c.content_sha256,
        imported_files.c.path,
        imported_files.c.format,
        imported_files.c.session_ids,
        imported_files.c.imported_at,
    )
    query = (
        select(*columns)
        .where(imported_files.c.athlete_pk == athlete_pk)
        .order_by(imported_files.c.content_sha256)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def restore_imported_file(*, conn: Connection, athlete_pk: int, row: dict[str, Any]) -> None:
    """Remember an imported file again (from an archive), unless its hash is already known."""
    if imported_hash(conn=conn, athlete_pk=athlete_pk, sha256=row["content_sha256"]) is None:
        conn.execute(insert(imported_files).values(athlete_pk=athlete_pk, **row))

"""Idempotency keys of offline sync: a record created once per key, whatever the retries.

A phone that logged a cramp with no signal sends it when the network returns, and may send it
again (a lost answer, two open tabs). Each request carries a client-made key (CONTRACTS.md
section 6, `Idempotency-Key`, up to 100 characters); the first request claims the key in the
same transaction that stores the record, and later ones read back what was created.

`claim_key` inserts the key's row inside a savepoint: a concurrent writer with the same key
waits on the unique index (PostgreSQL) or on SQLite's single writer, and then sees the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from crampwise.storage.schema import metadata
from crampwise.storage.types import UTCDateTime

MAX_KEY_CHARS: Final = 100

sync_keys = Table(
    "sync_keys",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="CASCADE"), nullable=False),
    Column("key", String(MAX_KEY_CHARS), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("body_sha256", String(64), nullable=False),
    # The record as the first request created it (bundle field names), returned on a replay.
    Column("record", JSON),
    Column("created_utc", UTCDateTime(), nullable=False),
    UniqueConstraint("athlete_pk", "key", name="uq_sync_keys_athlete_key"),
)


@dataclass(frozen=True)
class ClaimedKey:
    """A key already used: for which kind of record, with which body, creating what."""

    kind: str
    body_sha256: str
    record: dict[str, Any] | None


def find_key(*, conn: Connection, athlete_pk: int, key: str) -> ClaimedKey | None:
    row = conn.execute(
        select(sync_keys.c.kind, sync_keys.c.body_sha256, sync_keys.c.record).where(
            (sync_keys.c.athlete_pk == athlete_pk) & (sync_keys.c.key == key)
        )
    ).first()
    return None if row is None else ClaimedKey(row.kind, row.body_sha256, row.record)


def claim_key(
    *, conn: Connection, athlete_pk: int, key: str, kind: str, body_sha256: str, now: datetime
) -> ClaimedKey | None:
    """Claim `key` for a new record; None when claimed, else the earlier claim (nothing written)."""
    try:
        with conn.begin_nested():
            conn.execute(
                insert(sync_keys).values(
                    athlete_pk=athlete_pk, key=key, kind=kind, body_sha256=body_sha256, created_utc=now
                )
            )
    except IntegrityError:
        earlier = find_key(conn=conn, athlete_pk=athlete_pk, key=key)
        if earlier is None:
            raise
        return earlier
    return None


def remember_record(*, conn: Connection, athlete_pk: int, key: str, record: dict[str, Any]) -> None:
    """Keep the created record on its key (in the transaction that created both)."""
    conn.execute(
        update(sync_keys)
        .where((sync_keys.c.athlete_pk == athlete_pk) & (sync_keys.c.key == key))
        .values(record=record)
    )

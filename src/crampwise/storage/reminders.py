"""Reminders: each athlete's calendar feed and daily check-in, browsers' push subscriptions, and
the server's VAPID key pair (tables and data access).

- `reminder_settings`, one row per athlete: the SHA-256 of the calendar feed's secret token
  (the token itself is shown once and never stored, like a password), the daily check-in's
  local time (`HH:MM`, None = off) and the athlete-local date the last check-in was sent
  (so two senders at once, or a sender run every few minutes, send it once a day).
- `push_subscriptions`: a browser's push endpoint and keys (RFC 8291 `p256dh`, `auth`), one row
  per endpoint (a browser that subscribes again for another athlete moves to that athlete).
- `push_keys`: the one VAPID key pair (RFC 8292) every web and sender process signs with;
  kept in the store because the store is the only state server mode shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy import (
    Column,
    Connection,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from crampwise.storage.schema import athletes, metadata
from crampwise.storage.types import UTCDateTime

VAPID_ROW: Final = 1

reminder_settings = Table(
    "reminder_settings",
    metadata,
    Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="CASCADE"), primary_key=True),
    Column("feed_token_sha256", String(64), unique=True),
    Column("feed_created_utc", UTCDateTime()),
    Column("checkin_time", String(5)),
    Column("checkin_sent_on", Date),
)

push_subscriptions = Table(
    "push_subscriptions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="CASCADE"), nullable=False),
    Column("endpoint", Text, nullable=False),
    Column("endpoint_sha256", String(64), nullable=False),
    Column("p256dh", String(200), nullable=False),
    Column("auth", String(100), nullable=False),
    Column("created_utc", UTCDateTime(), nullable=False),
    Column("last_sent_utc", UTCDateTime()),
    UniqueConstraint("endpoint_sha256", name="uq_push_subscriptions_endpoint_sha256"),
)

push_keys = Table(
    "push_keys",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=False),
    Column("private_pem", Text, nullable=False),
    Column("public_key", String(100), nullable=False),
    Column("created_utc", UTCDateTime(), nullable=False),
)


@dataclass(frozen=True)
class ReminderRow:
    athlete_pk: int
    feed_token_sha256: str | None
    feed_created_utc: datetime | None
    checkin_time: str | None
    checkin_sent_on: date | None


@dataclass(frozen=True)
class SubscriptionRow:
    pk: int
    athlete_pk: int
    endpoint: str
    p256dh: str
    auth: str
    created_utc: datetime
    last_sent_utc: datetime | None


@dataclass(frozen=True)
class VapidRow:
    private_pem: str
    public_key: str


# --- reminder settings ----------------------------------------------------------------------


def get_reminders(*, conn: Connection, athlete_pk: int) -> ReminderRow | None:
    row = conn.execute(select(reminder_settings).where(reminder_settings.c.athlete_pk == athlete_pk)).first()
    return None if row is None else ReminderRow(**row._mapping)


def _ensure_row(conn: Connection, athlete_pk: int) -> None:
    if get_reminders(conn=conn, athlete_pk=athlete_pk) is None:
        conn.execute(insert(reminder_settings).values(athlete_pk=athlete_pk))


def set_feed_token(*, conn: Connection, athlete_pk: int, token_sha256: str | None, now: datetime) -> None:
    """Replace the athlete's feed token (None turns the feed off); the old one stops working."""
    _ensure_row(conn, athlete_pk)
    conn.execute(
        update(reminder_settings)
        .where(reminder_settings.c.athlete_pk == athlete_pk)
        .values(feed_token_sha256=token_sha256, feed_created_utc=None if token_sha256 is None else now)
    )


def athlete_of_feed(*, conn: Connection, token_sha256: str) -> tuple[int, str] | None:
    """The athlete (pk, name) whose feed token hashes to this, if any."""
    row = conn.execute(
        select(athletes.c.pk, athletes.c.name)
        .join(reminder_settings, reminder_settings.c.athlete_pk == athletes.c.pk)
        .where(reminder_settings.c.feed_token_sha256 == token_sha256)
    ).first()
    return None if row is None else (int(row.pk), str(row.name))


def set_checkin_time(*, conn: Connection, athlete_pk: int, checkin_time: str | None) -> None:
    _ensure_row(conn, athlete_pk)
    conn.execute(
        update(reminder_settings)
        .where(reminder_settings.c.athlete_pk == athlete_pk)
        .values(checkin_time=checkin_time)
    )


def checkin_athletes(*, conn: Connection) -> list[tuple[int, ReminderRow]]:
    """Every athlete with a daily check-in time, with their reminder row."""
    rows = conn.execute(
        select(reminder_settings)
        .where(reminder_settings.c.checkin_time.is_not(None))
        .order_by(reminder_settings.c.athlete_pk)
    ).all()
    return [(int(r.athlete_pk), ReminderRow(**r._mapping)) for r in rows]


def claim_checkin(*, conn: Connection, athlete_pk: int, local_day: date) -> bool:
    """Mark today's check-in as sent, once: False when it was already (another sender won).

    A compare-and-set in one UPDATE, so two senders at once cannot both claim the same day.
    """
    result = conn.execute(
        update(reminder_settings)
        .where(
            (reminder_settings.c.athlete_pk == athlete_pk)
            & (
                reminder_settings.c.checkin_sent_on.is_(None)
                | (reminder_settings.c.checkin_sent_on < local_day)
            )
        )
        .values(checkin_sent_on=local_day)
    )
    return bool(result.rowcount)


def release_checkin(*, conn: Connection, athlete_pk: int, local_day: date, previous: date | None) -> None:
    """Undo a claim whose sending failed everywhere, so the next run tries again."""
    conn.execute(
        update(reminder_settings)
        .where(
            (reminder_settings.c.athlete_pk == athlete_pk)
            & (reminder_settings.c.checkin_sent_on == local_day)
        )
        .values(checkin_sent_on=previous)
    )


# --- push subscriptions ---------------------------------------------------------------------


def save_subscription(
    *,
    conn: Connection,
    athlete_pk: int,
    endpoint: str,
    endpoint_sha256: str,
    p256dh: str,
    auth: str,
    now: datetime,
) -> bool:
    """Store a browser's subscription (its keys replaced, its athlete set); True when new."""
    values = {"athlete_pk": athlete_pk, "endpoint": endpoint, "p256dh": p256dh, "auth": auth}
    changed = conn.execute(
        update(push_subscriptions)
        .where(push_subscriptions.c.endpoint_sha256 == endpoint_sha256)
        .values(**values)
    )
    if changed.rowcount:
        return False
    conn.execute(
        insert(push_subscriptions).values(endpoint_sha256=endpoint_sha256, created_utc=now, **values)
    )
    return True


def subscriptions_of(*, conn: Connection, athlete_pk: int) -> list[SubscriptionRow]:
    rows = conn.execute(
        select(push_subscriptions)
        .where(push_subscriptions.c.athlete_pk == athlete_pk)
        .order_by(push_subscriptions.c.pk)
    ).all()
    return [SubscriptionRow(**{k: v for k, v in r._mapping.items() if k != "endpoint_sha256"}) for r in rows]


def delete_subscription(*, conn: Connection, athlete_pk: int | None, endpoint_sha256: str) -> bool:
    """Forget a subscription (of this athlete only, unless `athlete_pk` is None: the push service said it is gone)."""
    where = push_subscriptions.c.endpoint_sha256 == endpoint_sha256
    if athlete_pk is not None:
        where = where & (push_subscriptions.c.athlete_pk == athlete_pk)
    return bool(conn.execute(delete(push_subscriptions).where(where)).rowcount)


def mark_sent(*, conn: Connection, subscription_pk: int, now: datetime) -> None:
    conn.execute(
        update(push_subscriptions).where(push_subscriptions.c.pk == subscription_pk).values(last_sent_utc=now)
    )


# --- the VAPID key pair ---------------------------------------------------------------------


def get_vapid(*, conn: Connection) -> VapidRow | None:
    row = conn.execute(
        select(push_keys.c.private_pem, push_keys.c.public_key).where(push_keys.c.pk == VAPID_ROW)
    ).first()
    return None if row is None else VapidRow(str(row.private_pem), str(row.public_key))


def create_vapid(*, conn: Connection, private_pem: str, public_key: str, now: datetime) -> VapidRow:
    """Store the key pair unless another process stored one first; returns the one stored."""
    try:
        with conn.begin_nested():
            conn.execute(
                insert(push_keys).values(
                    pk=VAPID_ROW, private_pem=private_pem, public_key=public_key, created_utc=now
                )
            )
    except IntegrityError:
        pass
    stored = get_vapid(conn=conn)
    if stored is None:  # the insert above, or another process's, made the row
        raise RuntimeError("the VAPID key pair was not stored")
    return stored

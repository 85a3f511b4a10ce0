"""Consent in the store: grants of read access and the log of every read by someone else.

Both hang on accounts (the athlete's and the reader's): deleting an athlete's account deletes
its grants and its access log with it. A reader's name is copied into each log entry so the
log still says who read after the reader's account is gone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    insert,
    select,
    update,
)

from crampwise.domain.consent import AccessEntry, Grant
from crampwise.storage.accounts import accounts
from crampwise.storage.schema import metadata
from crampwise.storage.types import UTCDateTime

grants = Table(
    "grants",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("owner_pk", Integer, ForeignKey("accounts.pk", ondelete="CASCADE"), nullable=False),
    Column("grantee_pk", Integer, ForeignKey("accounts.pk", ondelete="CASCADE"), nullable=False),
    Column("granted_utc", UTCDateTime(), nullable=False),
    Column("until", Date),  # last day of access as the athlete gave it (their time zone)
    Column("ends_utc", UTCDateTime()),  # when access ends: midnight after `until`
    Column("revoked_utc", UTCDateTime()),
    UniqueConstraint("owner_pk", "grantee_pk", name="uq_grants_owner_grantee"),
    Index("ix_grants_grantee_pk", "grantee_pk"),
)

access_log = Table(
    "access_log",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("owner_pk", Integer, ForeignKey("accounts.pk", ondelete="CASCADE"), nullable=False),
    Column("reader_pk", Integer, ForeignKey("accounts.pk", ondelete="SET NULL")),
    Column("reader_name", String(40), nullable=False),
    Column("reader_role", String(16), nullable=False),
    Column("at_utc", UTCDateTime(), nullable=False),
    Column("what", String(200), nullable=False),
    Column("via", String(8), nullable=False),
    Index("ix_access_log_owner_at", "owner_pk", "at_utc"),
)

_owner = accounts.alias("owner")
_grantee = accounts.alias("grantee")


def _select_grants() -> Any:
    return select(
        grants,
        _owner.c.username.label("owner_name"),
        _grantee.c.username.label("grantee_name"),
        _grantee.c.role.label("grantee_role"),
    ).select_from(
        grants.join(_owner, _owner.c.pk == grants.c.owner_pk).join(
            _grantee, _grantee.c.pk == grants.c.grantee_pk
        )
    )


def _grant(row: Any) -> Grant:
    return Grant(
        athlete=row.owner_name,
        grantee=row.grantee_name,
        grantee_role=row.grantee_role,
        granted_at=row.granted_utc,
        until=row.until,
        ends_at=row.ends_utc,
        revoked_at=row.revoked_utc,
    )


def upsert_grant(
    *,
    conn: Connection,
    owner_pk: int,
    grantee_pk: int,
    now: datetime,
    until: date | None,
    ends: datetime | None,
) -> None:
    """Give (or give again, or change the end of) one grantee's access."""
    values = {"granted_utc": now, "until": until, "ends_utc": ends, "revoked_utc": None}
    found = conn.execute(
        update(grants)
        .where(grants.c.owner_pk == owner_pk, grants.c.grantee_pk == grantee_pk)
        .values(**values)
    )
    if not found.rowcount:
        conn.execute(insert(grants).values(owner_pk=owner_pk, grantee_pk=grantee_pk, **values))


def revoke_grant(*, conn: Connection, owner_pk: int, grantee_pk: int, now: datetime) -> bool:
    result = conn.execute(
        update(grants)
        .where(
            grants.c.owner_pk == owner_pk, grants.c.grantee_pk == grantee_pk, grants.c.revoked_utc.is_(None)
        )
        .values(revoked_utc=now)
    )
    return bool(result.rowcount)


def grants_by_owner(*, conn: Connection, owner_pk: int) -> list[Grant]:
    rows = conn.execute(_select_grants().where(grants.c.owner_pk == owner_pk).order_by(_grantee.c.username))
    return [_grant(r) for r in rows]


def grants_to(*, conn: Connection, grantee_pk: int) -> list[tuple[int, Grant]]:
    """(owner account pk, grant) of every grant ever given to this grantee."""
    rows = conn.execute(_select_grants().where(grants.c.grantee_pk == grantee_pk).order_by(_owner.c.username))
    return [(r.owner_pk, _grant(r)) for r in rows]


def grant_of(*, conn: Connection, owner_pk: int, grantee_pk: int) -> Grant | None:
    row = conn.execute(
        _select_grants().where(grants.c.owner_pk == owner_pk, grants.c.grantee_pk == grantee_pk)
    ).first()
    return None if row is None else _grant(row)


def log_access(
    *,
    conn: Connection,
    owner_pk: int,
    reader_pk: int,
    reader_name: str,
    reader_role: str,
    at: datetime,
    what: str,
    via: str,
) -> None:
    conn.execute(
        insert(access_log).values(
            owner_pk=owner_pk,
            reader_pk=reader_pk,
            reader_name=reader_name,
            reader_role=reader_role,
            at_utc=at,
            what=what[:200],
            via=via,
        )
    )


def access_entries(*, conn: Connection, owner_pk: int, limit: int | None = None) -> list[AccessEntry]:
    query = (
        select(access_log)
        .where(access_log.c.owner_pk == owner_pk)
        .order_by(access_log.c.at_utc.desc(), access_log.c.pk.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return [AccessEntry(r.at_utc, r.reader_name, r.reader_role, r.what, r.via) for r in conn.execute(query)]

"""Accounts of server mode and the failed sign-ins that rate-limit them.

Passwords are kept only as argon2 hashes (the service hashes; this module stores text). The
failed sign-ins are rows, not counters in a process, so the limit holds across every web worker
and host that shares the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)

from crampwise.domain.accounts import Account, Role
from crampwise.storage.schema import metadata
from crampwise.storage.types import UTCDateTime

accounts = Table(
    "accounts",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("disabled", Boolean, nullable=False),
    # The athlete whose journal this account keeps (athletes only); deleting the account
    # deletes that athlete in the privacy service, never the other way round.
    Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="SET NULL"), unique=True),
    Column("second_factor", Boolean, nullable=False),
    # The WebAuthn user handle (random, base64url): passkeys name the account by it, not by name.
    Column("webauthn_user_id", String(64), nullable=False, unique=True),
    Column("created_utc", UTCDateTime(), nullable=False),
    Column("password_changed_utc", UTCDateTime(), nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("scope", String(8), nullable=False),  # "account" or "address"
    Column("key", String(64), nullable=False),  # the user name tried, or the client address
    Column("at_utc", UTCDateTime(), nullable=False),
    Index("ix_login_failures_scope_key_at", "scope", "key", "at_utc"),
)


def _account(row: Any) -> Account:
    return Account(
        pk=row.pk,
        username=row.username,
        role=Role(row.role),
        disabled=bool(row.disabled),
        athlete_pk=row.athlete_pk,
        created_at=row.created_utc,
        second_factor=bool(row.second_factor),
    )


def insert_account(
    *,
    conn: Connection,
    username: str,
    role: Role,
    password_hash: str,
    athlete_pk: int | None,
    webauthn_user_id: str,
    now: datetime,
) -> int:
    result = conn.execute(
        insert(accounts).values(
            username=username,
            role=role.value,
            password_hash=password_hash,
            disabled=False,
            athlete_pk=athlete_pk,
            second_factor=False,
            webauthn_user_id=webauthn_user_id,
            created_utc=now,
            password_changed_utc=now,
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def account_by_name(*, conn: Connection, username: str) -> tuple[Account, str] | None:
    """The account and its password hash."""
    row = conn.execute(select(accounts).where(accounts.c.username == username)).first()
    return None if row is None else (_account(row), row.password_hash)


def account_by_pk(*, conn: Connection, pk: int) -> Account | None:
    row = conn.execute(select(accounts).where(accounts.c.pk == pk)).first()
    return None if row is None else _account(row)


def account_by_athlete(*, conn: Connection, athlete_pk: int) -> Account | None:
    row = conn.execute(select(accounts).where(accounts.c.athlete_pk == athlete_pk)).first()
    return None if row is None else _account(row)


def webauthn_user_id(*, conn: Connection, pk: int) -> str:
    return str(conn.execute(select(accounts.c.webauthn_user_id).where(accounts.c.pk == pk)).scalar_one())


def list_accounts(*, conn: Connection) -> list[Account]:
    return [_account(row) for row in conn.execute(select(accounts).order_by(accounts.c.username))]


def set_disabled(*, conn: Connection, pk: int, disabled: bool) -> None:
    conn.execute(update(accounts).where(accounts.c.pk == pk).values(disabled=disabled))


def set_password_hash(*, conn: Connection, pk: int, password_hash: str, now: datetime) -> None:
    conn.execute(
        update(accounts)
        .where(accounts.c.pk == pk)
        .values(password_hash=password_hash, password_changed_utc=now)
    )


def set_second_factor(*, conn: Connection, pk: int, on: bool) -> None:
    conn.execute(update(accounts).where(accounts.c.pk == pk).values(second_factor=on))


def add_failure(*, conn: Connection, scope: str, key: str, at: datetime) -> int:
    result = conn.execute(insert(login_failures).values(scope=scope, key=key[:64], at_utc=at))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def delete_failure(*, conn: Connection, pk: int) -> None:
    conn.execute(delete(login_failures).where(login_failures.c.pk == pk))


def failures_since(*, conn: Connection, scope: str, key: str, since: datetime) -> tuple[int, datetime | None]:
    """How many failures of `key` since `since`, and the oldest of them."""
    row = conn.execute(
        select(func.count(), func.min(login_failures.c.at_utc)).where(
            login_failures.c.scope == scope,
            login_failures.c.key == key[:64],
            login_failures.c.at_utc > since,
        )
    ).one()
    return int(row[0]), row[1]


def clear_failures(*, conn: Connection, scope: str, key: str) -> None:
    conn.execute(
        delete(login_failures).where(login_failures.c.scope == scope, login_failures.c.key == key[:64])
    )


def prune_failures(*, conn: Connection, before: datetime) -> None:
    conn.execute(delete(login_failures).where(login_failures.c.at_utc <= before))


def lock_key(*, conn: Connection, key: str) -> None:
    """Serialise sign-in attempts on one key until the transaction ends, across processes.

    PostgreSQL: a transaction-level advisory lock on the key's hash. SQLite: nothing to do, a
    write transaction (`BEGIN IMMEDIATE`) already holds the database's single write lock.
    """
    if conn.dialect.name == "postgresql":
        from sqlalchemy import text

        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"crampwise-login:{key}"})

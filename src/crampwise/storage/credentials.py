"""What proves who a request is: browser sessions, API tokens, passkeys and WebAuthn challenges.

Session and API tokens are random 256-bit strings; only their SHA-256 is stored, so a copy of
the database lets no one sign in. A WebAuthn challenge is a row used once, so any worker can
finish a ceremony another one started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    and_,
    delete,
    insert,
    or_,
    select,
    update,
)

from crampwise.domain.accounts import ApiToken, Passkey
from crampwise.storage.schema import metadata
from crampwise.storage.types import UTCDateTime


def _account_fk() -> Column[int]:
    return Column("account_pk", Integer, ForeignKey("accounts.pk", ondelete="CASCADE"), nullable=False)


auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _account_fk(),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("stage", String(16), nullable=False),  # "full", or "passkey" while a 2nd factor is due
    Column("created_utc", UTCDateTime(), nullable=False),
    Column("expires_utc", UTCDateTime(), nullable=False),
    Column("last_seen_utc", UTCDateTime(), nullable=False),
    Index("ix_auth_sessions_account_pk", "account_pk"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _account_fk(),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("label", String(80), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("created_utc", UTCDateTime(), nullable=False),
    Column("expires_utc", UTCDateTime(), nullable=False),
    Column("revoked_utc", UTCDateTime()),
    Column("last_used_utc", UTCDateTime()),
    Index("ix_api_tokens_account_pk", "account_pk"),
)

passkeys = Table(
    "passkeys",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _account_fk(),
    Column("credential_id", String(700), nullable=False, unique=True),  # base64url
    Column("public_key", LargeBinary, nullable=False),  # COSE key
    Column("sign_count", Integer, nullable=False),
    Column("transports", JSON, nullable=False),
    Column("label", String(80), nullable=False),
    Column("created_utc", UTCDateTime(), nullable=False),
    Column("last_used_utc", UTCDateTime()),
    Index("ix_passkeys_account_pk", "account_pk"),
)

webauthn_challenges = Table(
    "webauthn_challenges",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("challenge", String(128), nullable=False, unique=True),  # base64url
    Column("purpose", String(16), nullable=False),  # "register", "login", "second"
    Column("account_pk", Integer, ForeignKey("accounts.pk", ondelete="CASCADE")),
    Column("expires_utc", UTCDateTime(), nullable=False),
)


# --- browser sessions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    pk: int
    account_pk: int
    stage: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime


def insert_session(
    *, conn: Connection, account_pk: int, token_sha256: str, stage: str, now: datetime, expires: datetime
) -> int:
    result = conn.execute(
        insert(auth_sessions).values(
            account_pk=account_pk,
            token_sha256=token_sha256,
            stage=stage,
            created_utc=now,
            expires_utc=expires,
            last_seen_utc=now,
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def session_by_hash(*, conn: Connection, token_sha256: str) -> SessionRow | None:
    row = conn.execute(select(auth_sessions).where(auth_sessions.c.token_sha256 == token_sha256)).first()
    if row is None:
        return None
    return SessionRow(row.pk, row.account_pk, row.stage, row.created_utc, row.expires_utc, row.last_seen_utc)


def touch_session(*, conn: Connection, pk: int, now: datetime) -> None:
    conn.execute(update(auth_sessions).where(auth_sessions.c.pk == pk).values(last_seen_utc=now))


def delete_session(*, conn: Connection, pk: int) -> None:
    conn.execute(delete(auth_sessions).where(auth_sessions.c.pk == pk))


def delete_sessions_of(*, conn: Connection, account_pk: int) -> None:
    conn.execute(delete(auth_sessions).where(auth_sessions.c.account_pk == account_pk))


def prune_sessions(*, conn: Connection, now: datetime, idle_before: datetime) -> None:
    conn.execute(
        delete(auth_sessions).where(
            or_(auth_sessions.c.expires_utc <= now, auth_sessions.c.last_seen_utc <= idle_before)
        )
    )


# --- API tokens -----------------------------------------------------------------------------------


def _token(row: Any) -> ApiToken:
    return ApiToken(
        pk=row.pk,
        label=row.label,
        prefix=row.prefix,
        created_at=row.created_utc,
        expires_at=row.expires_utc,
        revoked_at=row.revoked_utc,
        last_used_at=row.last_used_utc,
    )


def insert_token(
    *,
    conn: Connection,
    account_pk: int,
    token_sha256: str,
    label: str,
    prefix: str,
    now: datetime,
    expires: datetime,
) -> ApiToken:
    result = conn.execute(
        insert(api_tokens).values(
            account_pk=account_pk,
            token_sha256=token_sha256,
            label=label,
            prefix=prefix,
            created_utc=now,
            expires_utc=expires,
        )
    )
    assert result.inserted_primary_key is not None
    return ApiToken(int(result.inserted_primary_key[0]), label, prefix, now, expires, None, None)


def token_by_hash(*, conn: Connection, token_sha256: str) -> tuple[int, ApiToken] | None:
    """(account pk, token) for a token hash."""
    row = conn.execute(select(api_tokens).where(api_tokens.c.token_sha256 == token_sha256)).first()
    return None if row is None else (row.account_pk, _token(row))


def tokens_of(*, conn: Connection, account_pk: int) -> list[ApiToken]:
    rows = conn.execute(
        select(api_tokens).where(api_tokens.c.account_pk == account_pk).order_by(api_tokens.c.pk.desc())
    )
    return [_token(row) for row in rows]


def revoke_token(*, conn: Connection, account_pk: int, token_pk: int, now: datetime) -> bool:
    """Revoke one of this account's tokens; False when it has no such (unrevoked) token."""
    result = conn.execute(
        update(api_tokens)
        .where(
            api_tokens.c.pk == token_pk,
            api_tokens.c.account_pk == account_pk,
            api_tokens.c.revoked_utc.is_(None),
        )
        .values(revoked_utc=now)
    )
    return bool(result.rowcount)


def revoke_tokens_of(*, conn: Connection, account_pk: int, now: datetime) -> None:
    conn.execute(
        update(api_tokens)
        .where(api_tokens.c.account_pk == account_pk, api_tokens.c.revoked_utc.is_(None))
        .values(revoked_utc=now)
    )


def touch_token(*, conn: Connection, pk: int, now: datetime) -> None:
    conn.execute(update(api_tokens).where(api_tokens.c.pk == pk).values(last_used_utc=now))


# --- passkeys ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PasskeyRow:
    pk: int
    account_pk: int
    credential_id: str
    public_key: bytes
    sign_count: int
    transports: list[str]


def insert_passkey(
    *,
    conn: Connection,
    account_pk: int,
    credential_id: str,
    public_key: bytes,
    sign_count: int,
    transports: list[str],
    label: str,
    now: datetime,
) -> None:
    conn.execute(
        insert(passkeys).values(
            account_pk=account_pk,
            credential_id=credential_id,
            public_key=public_key,
            sign_count=sign_count,
            transports=transports,
            label=label,
            created_utc=now,
        )
    )


def passkey_rows_of(*, conn: Connection, account_pk: int) -> list[PasskeyRow]:
    rows = conn.execute(select(passkeys).where(passkeys.c.account_pk == account_pk).order_by(passkeys.c.pk))
    return [
        PasskeyRow(r.pk, r.account_pk, r.credential_id, bytes(r.public_key), r.sign_count, list(r.transports))
        for r in rows
    ]


def passkeys_of(*, conn: Connection, account_pk: int) -> list[Passkey]:
    rows = conn.execute(select(passkeys).where(passkeys.c.account_pk == account_pk).order_by(passkeys.c.pk))
    return [Passkey(r.pk, r.label, r.created_utc, r.last_used_utc) for r in rows]


def passkey_by_credential(*, conn: Connection, credential_id: str) -> PasskeyRow | None:
    r = conn.execute(select(passkeys).where(passkeys.c.credential_id == credential_id)).first()
    if r is None:
        return None
    return PasskeyRow(
        r.pk, r.account_pk, r.credential_id, bytes(r.public_key), r.sign_count, list(r.transports)
    )


def passkey_used(*, conn: Connection, pk: int, sign_count: int, now: datetime) -> None:
    conn.execute(update(passkeys).where(passkeys.c.pk == pk).values(sign_count=sign_count, last_used_utc=now))


def delete_passkey(*, conn: Connection, account_pk: int, pk: int) -> bool:
    result = conn.execute(delete(passkeys).where(passkeys.c.pk == pk, passkeys.c.account_pk == account_pk))
    return bool(result.rowcount)


# --- WebAuthn challenges -------------------------------------------------------------------------


def insert_challenge(
    *, conn: Connection, challenge: str, purpose: str, account_pk: int | None, expires: datetime
) -> None:
    conn.execute(
        insert(webauthn_challenges).values(
            challenge=challenge, purpose=purpose, account_pk=account_pk, expires_utc=expires
        )
    )


def take_challenge(
    *, conn: Connection, challenge: str, purpose: str, account_pk: int | None, now: datetime
) -> bool:
    """Use a challenge once: True if it was issued for this purpose (and account) and is fresh."""
    owner = (
        webauthn_challenges.c.account_pk.is_(None)
        if account_pk is None
        else webauthn_challenges.c.account_pk == account_pk
    )
    result = conn.execute(
        delete(webauthn_challenges).where(
            and_(
                webauthn_challenges.c.challenge == challenge,
                webauthn_challenges.c.purpose == purpose,
                webauthn_challenges.c.expires_utc > now,
                owner,
            )
        )
    )
    return bool(result.rowcount)


def prune_challenges(*, conn: Connection, now: datetime) -> None:
    conn.execute(delete(webauthn_challenges).where(webauthn_challenges.c.expires_utc <= now))

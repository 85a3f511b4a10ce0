"""API tokens: bearer credentials for scripts and apps, stored hashed, expiring, revocable.

A token is `cw_` + 256 random bits; the store keeps its SHA-256 and its first characters (to
tell tokens apart on the tokens page). It is refused after its expiry, once revoked, and while
its account is disabled. `POST /api/v1/token` trades a password for one (an account that asks
for a passkey after its password makes its tokens on the tokens page instead).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Final

from crampwise.domain.accounts import Account, ApiToken
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services.context import AppContext
from crampwise.services.logins import Identity, identity_of, server_settings, token_hash
from crampwise.storage import accounts as store
from crampwise.storage import credentials as creds

PREFIX: Final = "cw_"
SHOWN_CHARS: Final = 10
MAX_LABEL_CHARS: Final = 80
TOUCH_EVERY_S: Final = 5 * 60


def issue_token(
    ctx: AppContext,
    *,
    account: Account,
    now: datetime,
    label: str = "",
    expires_in_s: int | None = None,
) -> tuple[str, ApiToken]:
    """A new token for `account` (the secret is returned once, here, and never again)."""
    longest = server_settings(ctx).token_max_age_s
    if expires_in_s is not None and not 0 < expires_in_s <= longest:
        raise InvalidInput.single(
            "expires_in", f"{expires_in_s} is out of range; expected 1 to {longest} seconds"
        )
    name = label.strip() or f"token of {now:%Y-%m-%d %H:%M}"
    if len(name) > MAX_LABEL_CHARS:
        raise InvalidInput.single("label", f"too long; use at most {MAX_LABEL_CHARS} characters")
    secret = PREFIX + secrets.token_urlsafe(32)
    with ctx.begin() as conn:
        token = creds.insert_token(
            conn=conn,
            account_pk=account.pk,
            token_sha256=token_hash(secret),
            label=name,
            prefix=secret[:SHOWN_CHARS],
            now=now,
            expires=now + timedelta(seconds=expires_in_s or longest),
        )
    return secret, token


def token_identity(ctx: AppContext, *, token: str, now: datetime) -> Identity | None:
    """Who this bearer token speaks for, or None (unknown, expired, revoked, disabled)."""
    if not token.startswith(PREFIX):
        return None
    with ctx.read() as conn:
        found = creds.token_by_hash(conn=conn, token_sha256=token_hash(token))
        if found is None or not found[1].active(now):
            return None
        account_pk, row = found
        identity = identity_of(conn, store.account_by_pk(conn=conn, pk=account_pk), "token")
    last = row.last_used_at
    if identity is not None and (last is None or (now - last).total_seconds() >= TOUCH_EVERY_S):
        with ctx.begin() as conn:
            creds.touch_token(conn=conn, pk=row.pk, now=now)
    return identity


def list_tokens(ctx: AppContext, *, account: Account) -> list[ApiToken]:
    with ctx.read() as conn:
        return creds.tokens_of(conn=conn, account_pk=account.pk)


def revoke_token(ctx: AppContext, *, account: Account, token_pk: int, now: datetime) -> None:
    """Revoke one of the account's own tokens; another's (or none) is `NotFound`."""
    with ctx.begin() as conn:
        if not creds.revoke_token(conn=conn, account_pk=account.pk, token_pk=token_pk, now=now):
            raise NotFound(f"token: no active token {token_pk} of yours")

"""Signing in: passwords checked against limits that hold across every worker, and sessions.

Limits (server settings): at most N failed sign-ins per account name and M per client address
within a sliding window; past either, sign-in answers "too many attempts" with the seconds to
wait, without checking the password (so guessing costs nothing but time, and the hash is not
a lever to load the server). Each attempt is counted *before* its password is checked, inside a
transaction holding a lock on the key, so parallel guesses from many processes cannot slip past
the limit; a right password takes its own count back and clears the account's failures.
Unknown user names are counted like real ones, and answer in the same time and words.

A browser session is a random 256-bit token in a cookie; the store keeps its SHA-256 only.
It ends at its absolute age, after its idle time, at sign-out, or when the account is disabled
or its password changes. A session at stage "passkey" has passed the password but still owes
the account's second factor, and opens nothing else.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import Connection

from crampwise.config import ServerSettings
from crampwise.domain.accounts import Account, normalize_username
from crampwise.domain.errors import CrampwiseError, InvalidInput
from crampwise.services.accounts import verify_password
from crampwise.services.context import AppContext
from crampwise.storage import accounts as store
from crampwise.storage import credentials as creds
from crampwise.storage import repository as repo

FULL: Final = "full"
PASSKEY_DUE: Final = "passkey"
PENDING_MAX_AGE_S: Final = 5 * 60  # a password-only session waits this long for its passkey
TOUCH_EVERY_S: Final = 5 * 60  # last-seen is written at most this often (fewer writes)


class LoginRefused(CrampwiseError):
    """Wrong user name or password, or a disabled account (HTTP 401)."""


class TooManyAttempts(CrampwiseError):
    """The account or the address is over its failed sign-in limit (HTTP 429)."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Identity:
    """Who a request is: the account, how it proved it, and the athlete name it keeps."""

    account: Account
    athlete_name: str | None  # the journal's athlete (athlete accounts only)
    via: str  # "session" or "token"
    stage: str = FULL
    session_pk: int | None = None

    @property
    def complete(self) -> bool:
        return self.stage == FULL


def server_settings(ctx: AppContext) -> ServerSettings:
    if ctx.settings.server is None:
        raise RuntimeError("accounts exist in server mode only (crampwise serve --multi-user)")
    return ctx.settings.server


def _key(username: str) -> str:
    try:
        return normalize_username(username)
    except InvalidInput:
        return username.strip().lower()[:64]


def _over_limit(ctx: AppContext, username: str, address: str, now: datetime) -> int:
    """Count this attempt (as a failure until proven right) or refuse it when over a limit."""
    server = server_settings(ctx)
    window = timedelta(seconds=server.login_window_s)
    since = now - window
    key = _key(username)
    with ctx.begin() as conn:
        store.lock_key(conn=conn, key=f"account:{key}")
        store.lock_key(conn=conn, key=f"address:{address}")
        for scope, value, limit in (
            ("account", key, server.login_max_failures_per_account),
            ("address", address, server.login_max_failures_per_address),
        ):
            count, oldest = store.failures_since(conn=conn, scope=scope, key=value, since=since)
            if count >= limit:
                wait = (
                    (oldest + window - now).total_seconds() if oldest is not None else server.login_window_s
                )
                raise TooManyAttempts(max(1, int(wait) + 1))
        store.add_failure(conn=conn, scope="account", key=key, at=now)
        return store.add_failure(conn=conn, scope="address", key=address, at=now)


def sign_in(ctx: AppContext, *, username: str, password: str, address: str, now: datetime) -> Account:
    """The account for this user name and password, or `LoginRefused` / `TooManyAttempts`."""
    counted = _over_limit(ctx, username, address, now)
    key = _key(username)
    with ctx.read() as conn:
        found = store.account_by_name(conn=conn, username=key)
    right = verify_password(password, found[1] if found is not None else None)
    if found is None or not right:
        raise LoginRefused("wrong user name or password")
    account = found[0]
    with ctx.begin() as conn:
        store.clear_failures(conn=conn, scope="account", key=key)
        store.delete_failure(conn=conn, pk=counted)  # the address keeps its other failures
        store.prune_failures(conn=conn, before=now - timedelta(seconds=server_settings(ctx).login_window_s))
    if account.disabled:
        raise LoginRefused("this account is disabled; ask the server's administrator")
    return account


def start_session(
    ctx: AppContext, *, account: Account, now: datetime, second_factor_due: bool = False
) -> str:
    """A new session for `account`; returns the token for the cookie (stored hashed)."""
    server = server_settings(ctx)
    token = secrets.token_urlsafe(32)
    stage = PASSKEY_DUE if second_factor_due else FULL
    age = PENDING_MAX_AGE_S if second_factor_due else server.session_max_age_s
    with ctx.begin() as conn:
        creds.prune_sessions(conn=conn, now=now, idle_before=now - timedelta(seconds=server.session_idle_s))
        creds.insert_session(
            conn=conn,
            account_pk=account.pk,
            token_sha256=token_hash(token),
            stage=stage,
            now=now,
            expires=now + timedelta(seconds=age),
        )
    return token


def identity_of(
    conn: Connection, account: Account | None, via: str, stage: str = FULL, session_pk: int | None = None
) -> Identity | None:
    """The identity of an enabled account (None for a missing or disabled one)."""
    if account is None or account.disabled:
        return None
    name = None
    if account.athlete_pk is not None:
        name = repo.athlete_name_by_pk(conn=conn, athlete_pk=account.athlete_pk)
    return Identity(account=account, athlete_name=name, via=via, stage=stage, session_pk=session_pk)


def session_identity(ctx: AppContext, *, token: str, now: datetime) -> Identity | None:
    """Who holds this session token, or None (unknown, expired, idle too long, disabled)."""
    server = server_settings(ctx)
    with ctx.read() as conn:
        row = creds.session_by_hash(conn=conn, token_sha256=token_hash(token))
        if row is None or now >= row.expires_at:
            return None
        if now - row.last_seen_at >= timedelta(seconds=server.session_idle_s):
            return None
        identity = identity_of(
            conn, store.account_by_pk(conn=conn, pk=row.account_pk), "session", row.stage, row.pk
        )
    if identity is not None and now - row.last_seen_at >= timedelta(seconds=TOUCH_EVERY_S):
        with ctx.begin() as conn:
            creds.touch_session(conn=conn, pk=row.pk, now=now)
    return identity


def end_session(ctx: AppContext, *, token: str) -> None:
    """Sign out: the session's row is deleted, so its cookie opens nothing any more."""
    with ctx.begin() as conn:
        row = creds.session_by_hash(conn=conn, token_sha256=token_hash(token))
        if row is not None:
            creds.delete_session(conn=conn, pk=row.pk)


def complete_session(ctx: AppContext, *, identity: Identity, now: datetime) -> str:
    """The second factor was given: the pending session is replaced by a full one (new token)."""
    if identity.session_pk is not None:
        with ctx.begin() as conn:
            creds.delete_session(conn=conn, pk=identity.session_pk)
    return start_session(ctx, account=identity.account, now=now)

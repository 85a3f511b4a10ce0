"""Account use-cases of server mode: add, list, disable, enable, change a password.

Passwords are hashed with argon2id (pwdlib over argon2-cffi) at OWASP's minimum for argon2id
(19 MiB of memory, 2 passes, 1 lane: about 50 ms here): strong against offline guessing, cheap
enough that a login is not a denial-of-service lever. A hash keeps its parameters, so stronger
ones can be adopted later and old hashes still verify.

An athlete account keeps a journal: adding one links the store's athlete of that name (a club
moving a local journal onto its server) or creates one. Disabling an account or changing its
password ends all its browser sessions and revokes all its API tokens.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from crampwise.domain.accounts import Account, Role, check_password, normalize_username
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.domain.records import Athlete, validate_record
from crampwise.domain.storable import check_storable
from crampwise.services.context import AppContext
from crampwise.storage import accounts as store
from crampwise.storage import credentials as creds
from crampwise.storage import repository as repo

if TYPE_CHECKING:
    from pwdlib import PasswordHash

ARGON2_TIME_COST = 2  # OWASP Password Storage Cheat Sheet, argon2id minimum
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_PARALLELISM = 1


@cache
def _hasher() -> PasswordHash:
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    return PasswordHash(
        (
            Argon2Hasher(
                time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_PARALLELISM
            ),
        )
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(24))


def verify_password(password: str, password_hash: str | None) -> bool:
    """True if `password` matches; with no hash (unknown user) it still spends the same time,
    so the answer's delay does not tell whether the user exists."""
    if password_hash is None:
        _hasher().verify(password, _dummy_hash())
        return False
    try:
        return bool(_hasher().verify(password, password_hash))
    except Exception:  # a malformed stored hash never lets anyone in
        return False


def _account(conn: Connection, username: str) -> Account:
    found = store.account_by_name(conn=conn, username=normalize_username(username))
    if found is None:
        raise NotFound(f"user: no account named {username!r}; see crampwise user list")
    return found[0]


def _athlete_for(conn: Connection, username: str, athlete_name: str | None) -> int:
    """The pk of the athlete this new athlete account keeps: linked if it exists, else created."""
    name = athlete_name or username
    found = repo.athlete_by_name(conn=conn, name=name)
    if found is not None:
        if store.account_by_athlete(conn=conn, athlete_pk=found[0]) is not None:
            raise InvalidInput.single("athlete", f"the athlete {name!r} already belongs to another account")
        return found[0]
    return repo.insert_athlete(conn=conn, athlete=check_storable(validate_record(Athlete, {"name": name})))


def add_user(
    ctx: AppContext, *, username: str, role: Role, password: str, now: datetime, athlete: str | None = None
) -> Account:
    """Create an account (`InvalidInput` names a bad user name, password or athlete)."""
    name = normalize_username(username)
    check_password(password, username=name)
    if athlete is not None and role is not Role.ATHLETE:
        raise InvalidInput.single("athlete", "only an athlete account keeps a journal; leave --athlete out")
    password_hash = hash_password(password)
    with ctx.begin() as conn:
        if store.account_by_name(conn=conn, username=name) is not None:
            raise InvalidInput.single("username", f"an account named {name!r} already exists")
        athlete_pk = _athlete_for(conn, name, athlete) if role is Role.ATHLETE else None
        pk = store.insert_account(
            conn=conn,
            username=name,
            role=role,
            password_hash=password_hash,
            athlete_pk=athlete_pk,
            webauthn_user_id=secrets.token_urlsafe(32),
            now=now,
        )
        created = store.account_by_pk(conn=conn, pk=pk)
    assert created is not None
    return created


def list_users(ctx: AppContext) -> list[Account]:
    with ctx.read() as conn:
        return store.list_accounts(conn=conn)


def get_user(ctx: AppContext, *, username: str) -> Account:
    with ctx.read() as conn:
        return _account(conn, username)


def set_disabled(ctx: AppContext, *, username: str, disabled: bool, now: datetime) -> Account:
    """Disable (or enable again) an account; disabling signs it out everywhere."""
    with ctx.begin() as conn:
        account = _account(conn, username)
        store.set_disabled(conn=conn, pk=account.pk, disabled=disabled)
        if disabled:
            creds.delete_sessions_of(conn=conn, account_pk=account.pk)
            creds.revoke_tokens_of(conn=conn, account_pk=account.pk, now=now)
    return get_user(ctx, username=username)


def set_password(ctx: AppContext, *, username: str, password: str, now: datetime) -> Account:
    """A new password; every session and token of the account stops working."""
    with ctx.read() as conn:
        account = _account(conn, username)
    check_password(password, username=account.username)
    password_hash = hash_password(password)
    with ctx.begin() as conn:
        store.set_password_hash(conn=conn, pk=account.pk, password_hash=password_hash, now=now)
        creds.delete_sessions_of(conn=conn, account_pk=account.pk)
        creds.revoke_tokens_of(conn=conn, account_pk=account.pk, now=now)
    return account


def grantees_named(conn: Connection, username: str) -> Account | None:
    """The enabled coach or clinician of that name (grants name them), else None."""
    try:
        name = normalize_username(username, "grantee")
    except InvalidInput:
        return None
    found = store.account_by_name(conn=conn, username=name)
    if found is None or found[0].disabled or not found[0].role.can_be_granted:
        return None
    return found[0]

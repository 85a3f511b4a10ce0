"""Consent: an athlete lets a named coach or clinician read their records, and takes it back.

A grant gives read access only (no write, no export); it may end on a given last day (the end
of that day in the athlete's time zone) and ends at once when revoked. Every read by someone
other than the owner goes through `open_for_reading`, which checks the grant and writes the
access-log entry in the same transaction before a single record is read: a read that is not
logged does not happen. Anything the reader may not see is `NotFound` (HTTP 404) with the same
words whether the athlete exists or not, so no one learns who has an account.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from crampwise.domain.accounts import Account, Role, normalize_username
from crampwise.domain.consent import AccessEntry, Grant
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.services.accounts import grantees_named
from crampwise.services.context import AppContext
from crampwise.services.logins import Identity
from crampwise.storage import accounts as store
from crampwise.storage import consent
from crampwise.storage import repository as repo

ACCESS_LOG_PAGE: Final = 200  # entries shown at once


def _zone_of(conn: Connection, owner: Account) -> ZoneInfo:
    athlete = None if owner.athlete_pk is None else repo.athlete_by_pk(conn=conn, athlete_pk=owner.athlete_pk)
    if athlete is None:
        raise NotFound("athlete: this account keeps no journal to share")
    return athlete.zone


def _ends_at(until: date, zone: ZoneInfo) -> datetime:
    """The first instant after `until` in the athlete's zone: when access ends."""
    return datetime.combine(until + timedelta(days=1), time(0), tzinfo=zone)


def _no_grantee(name: str) -> InvalidInput:
    return InvalidInput.single("grantee", f"no coach or clinician named {name!r}; check the user name")


def grant(ctx: AppContext, *, owner: Account, grantee: str, until: date | None, now: datetime) -> Grant:
    """Let `grantee` read the owner's records (again), until the end of `until` if given."""
    if owner.role is not Role.ATHLETE:
        raise NotFound("athlete: this account keeps no journal to share")
    with ctx.begin() as conn:
        zone = _zone_of(conn, owner)
        reader = grantees_named(conn, grantee)
        if reader is None:
            raise _no_grantee(grantee)
        ends = None
        if until is not None:
            ends = _ends_at(until, zone)
            if ends <= now:
                raise InvalidInput.single(
                    "until", f"{until.isoformat()} has passed; give today or a later day"
                )
        consent.upsert_grant(
            conn=conn, owner_pk=owner.pk, grantee_pk=reader.pk, now=now, until=until, ends=ends
        )
        made = consent.grant_of(conn=conn, owner_pk=owner.pk, grantee_pk=reader.pk)
    assert made is not None
    return made


def revoke(ctx: AppContext, *, owner: Account, grantee: str, now: datetime) -> None:
    """Take a grant back at once; `NotFound` when that grantee has no active grant."""
    with ctx.begin() as conn:
        found = None
        with contextlib.suppress(InvalidInput):
            found = store.account_by_name(conn=conn, username=normalize_username(grantee, "grantee"))
        active = None
        if found is not None:
            active = consent.grant_of(conn=conn, owner_pk=owner.pk, grantee_pk=found[0].pk)
        if found is None or active is None or not active.active(now):
            raise NotFound(f"grantee: {grantee!r} has no access to your records")
        consent.revoke_grant(conn=conn, owner_pk=owner.pk, grantee_pk=found[0].pk, now=now)


def grants_given(ctx: AppContext, *, owner: Account) -> list[Grant]:
    """Every grant the athlete gave (active, ended and revoked), by grantee."""
    with ctx.read() as conn:
        return consent.grants_by_owner(conn=conn, owner_pk=owner.pk)


def active_grants_to(conn: Connection, reader: Account, now: datetime) -> list[tuple[int, Grant]]:
    return [(pk, g) for pk, g in consent.grants_to(conn=conn, grantee_pk=reader.pk) if g.active(now)]


def sharing_with(ctx: AppContext, *, reader: Account, now: datetime) -> list[Grant]:
    """The grants this coach or clinician holds now (who shares with them)."""
    with ctx.read() as conn:
        return [g for _pk, g in active_grants_to(conn, reader, now)]


def _hidden(athlete: str) -> NotFound:
    return NotFound(f"athlete: no athlete {athlete!r} shares records with you")


def open_for_reading(
    ctx: AppContext, *, reader: Identity, athlete: str, what: str, via: str, now: datetime
) -> str:
    """The athlete name to read `athlete`'s journal with, after checking and logging the read.

    The owner reads their own records unlogged; anyone else needs an active grant, and the
    access-log entry is written before this returns. Otherwise `NotFound`.
    """
    try:
        name = normalize_username(athlete, "athlete")
    except InvalidInput:
        raise _hidden(athlete) from None
    if name == reader.account.username:
        if reader.athlete_name is None:
            raise _hidden(athlete)
        return reader.athlete_name
    with ctx.begin() as conn:
        found = store.account_by_name(conn=conn, username=name)
        if found is None or found[0].disabled or found[0].athlete_pk is None:
            raise _hidden(athlete)
        owner = found[0]
        assert owner.athlete_pk is not None
        given = consent.grant_of(conn=conn, owner_pk=owner.pk, grantee_pk=reader.account.pk)
        if given is None or not given.active(now):
            raise _hidden(athlete)
        athlete_name = repo.athlete_name_by_pk(conn=conn, athlete_pk=owner.athlete_pk)
        if athlete_name is None:
            raise _hidden(athlete)
        log_read(conn, owner, reader.account, what, via, now)
    return athlete_name


def log_read(conn: Connection, owner: Account, reader: Account, what: str, via: str, now: datetime) -> None:
    consent.log_access(
        conn=conn,
        owner_pk=owner.pk,
        reader_pk=reader.pk,
        reader_name=reader.username,
        reader_role=reader.role.value,
        at=now,
        what=what,
        via=via,
    )


def access_log(ctx: AppContext, *, owner: Account, limit: int | None = ACCESS_LOG_PAGE) -> list[AccessEntry]:
    """Who read the athlete's records, newest first."""
    with ctx.read() as conn:
        return consent.access_entries(conn=conn, owner_pk=owner.pk, limit=limit)

"""Athlete use-cases: who a command acts on, and adding, changing, renaming and deleting athletes.

Athlete selection follows CONTRACTS.md section 1: a name picks that athlete (falling back to
`settings.athlete`, i.e. `CRAMPWISE_ATHLETE`); `None` picks the only athlete, else the store's
default one; otherwise `NotFound` lists the athletes (`NotSetUp` when there is none yet).
Each function is one transaction; `services.journal` re-exports them for its callers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from crampwise.domain.errors import FieldError, InvalidInput, NotFound, NotSetUp, Unconfirmed
from crampwise.domain.plausible import unusual_athlete_change
from crampwise.domain.records import Athlete, validate_record
from crampwise.domain.storable import check_storable
from crampwise.services.context import AppContext
from crampwise.services.field_input import Reading
from crampwise.storage import repository as repo


def _no_athlete_message(names: list[str], asked: str | None) -> str:
    if not names:
        return "athlete: the store has no athlete yet; add one with: crampwise athlete add NAME"
    known = ", ".join(names)
    if asked is None:
        return (
            f"athlete: several athletes in the store ({known}) and none is the default; choose one "
            "with --athlete NAME, or make one the default: crampwise athlete default NAME"
        )
    return f"athlete: no athlete named {asked!r}; known athletes: {known}"


def resolve_athlete(ctx: AppContext, conn: Connection, athlete: str | None) -> tuple[int, Athlete]:
    """The athlete a command acts on, with its primary key (CONTRACTS.md section 1).

    A name picks that athlete (case-insensitively when unambiguous); without one, the only
    athlete, else the store's default athlete.
    """
    name = athlete if athlete is not None else ctx.settings.athlete
    if ctx.settings.multi_user:
        # Server mode names the signed-in account's athlete exactly; no fallback to "the only
        # athlete", no near match, and no list of other athletes' names in the message.
        found = None if name is None else repo.athlete_by_name(conn=conn, name=name)
        if found is None:
            raise NotFound("athlete: this account has no journal")
        return found
    if name is not None:
        found = repo.athlete_by_name(conn=conn, name=name)
        if found is not None:
            return found
    everyone = repo.list_athletes(conn=conn)
    if name is None and len(everyone) == 1:
        return everyone[0]
    if name is None:
        default = repo.default_athlete(conn=conn)
        if default is not None:
            return default
    if name is not None:
        folded = [pair for pair in everyone if pair[1].name.casefold() == name.casefold()]
        if len(folded) == 1:
            return folded[0]
    if not everyone:
        raise NotSetUp(_no_athlete_message([], name))
    raise NotFound(_no_athlete_message([a.name for _, a in everyone], name))


def get_athlete(ctx: AppContext, *, athlete: str | None) -> Athlete:
    with ctx.read() as conn:
        return resolve_athlete(ctx, conn, athlete)[1]


def default_athlete_name(ctx: AppContext) -> str | None:
    """The name of the store's default athlete (the only one counts as the default), or None."""
    with ctx.read() as conn:
        everyone = repo.list_athletes(conn=conn)
        if len(everyone) == 1:
            return everyone[0][1].name
        found = repo.default_athlete(conn=conn)
        return None if found is None else found[1].name


def reading_for(ctx: AppContext, *, athlete: str | None, now: datetime) -> Reading:
    """How to read what this athlete types: their units, their zone, and `now`."""
    who = get_athlete(ctx, athlete=athlete)
    return Reading(units=who.units, zone=who.zone, now=now)


def refuse_unconfirmed(found: list[FieldError], confirmed: bool) -> None:
    """Refuse unusual values (`Unconfirmed`, nothing stored) unless the user confirmed them."""
    if found and not confirmed:
        raise Unconfirmed(found)


def init_store(ctx: AppContext) -> list[Athlete]:
    """Create the store (or upgrade its schema) and list its athletes."""
    with ctx.begin() as conn:
        return [a for _, a in repo.list_athletes(conn=conn)]


def list_athletes(ctx: AppContext) -> list[Athlete]:
    with ctx.read() as conn:
        return [a for _, a in repo.list_athletes(conn=conn)]


def _name_free(conn: Connection, name: str, *, except_pk: int | None = None) -> None:
    found = repo.athlete_by_name(conn=conn, name=name)
    if found is not None and found[0] != except_pk:
        raise InvalidInput.single("name", f"an athlete named {name!r} already exists; pick another name")


def add_athlete(
    ctx: AppContext, *, data: Mapping[str, Any], now: datetime | None = None, default: bool | None = None
) -> Athlete:
    """Create an athlete; the name must be new.

    The time zone defaults to this computer's; with `now`, the cramp journal starts today (in
    the athlete's zone) unless `journal_started` is given. The first athlete of a store becomes
    its default (`default=False` never, `True` always).
    """
    values = dict(data)
    if values.get("timezone") is None:
        from crampwise.config import local_zone_name

        values["timezone"] = local_zone_name()
    new = check_storable(validate_record(Athlete, values))
    if now is not None and new.journal_started is None:
        new = new.model_copy(update={"journal_started": now.astimezone(new.zone).date()})
    with ctx.begin() as conn:
        _name_free(conn, new.name)
        pk = repo.insert_athlete(conn=conn, athlete=new)
        if default or (default is None and repo.default_athlete(conn=conn) is None):
            repo.set_default_athlete(conn=conn, athlete_pk=pk)
    return new


def make_default_athlete(ctx: AppContext, *, athlete: str) -> Athlete:
    """Make `athlete` the one commands act on when a store holds several and none is named."""
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        repo.set_default_athlete(conn=conn, athlete_pk=pk)
    return who


def rename_athlete(ctx: AppContext, *, athlete: str | None, new_name: str) -> Athlete:
    """Give an athlete a new name (unique in the store); every record stays theirs."""
    return set_athlete(ctx, athlete=athlete, changes={"name": new_name})


def delete_athlete(ctx: AppContext, *, athlete: str) -> tuple[Athlete, dict[str, int]]:
    """Delete an athlete with every record, recording and import of theirs; what was deleted.

    The athlete must be named (never "the only one" by default): deleting is not undone.
    """
    with ctx.begin() as conn:
        found = repo.athlete_by_name(conn=conn, name=athlete)
        if found is None:
            found = resolve_athlete(ctx, conn, athlete)
        pk, who = found
        kinds: tuple[repo.RecordKind[Any], ...] = (repo.SESSION, repo.CRAMP, repo.DAY, repo.MEDICATION)
        counts = {
            kind.name + "s": len(repo.list_records(conn=conn, kind=kind, athlete_pk=pk)) for kind in kinds
        }
        repo.delete_athlete(conn=conn, athlete_pk=pk)
    return who, counts


def set_athlete(
    ctx: AppContext, *, athlete: str | None, changes: Mapping[str, Any], confirmed: bool = False
) -> Athlete:
    """Change some of an athlete's fields (`None` sets a field to unknown).

    A body mass far from the one on record is refused (`Unconfirmed`) unless `confirmed`.
    """
    with ctx.begin() as conn:
        pk, current = resolve_athlete(ctx, conn, athlete)
        changed = check_storable(validate_record(Athlete, {**current.model_dump(), **changes}))
        refuse_unconfirmed(unusual_athlete_change(current, changed), confirmed)
        _name_free(conn, changed.name, except_pk=pk)
        repo.update_athlete(conn=conn, athlete_pk=pk, athlete=changed)
    return changed

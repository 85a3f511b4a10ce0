"""Journal use-cases: logging an athlete's cramps, sessions, days and medications, and loading
their history. Athletes themselves (`services.athletes`) and reading, editing or deleting one
record (`services.record_edits`) live in their own modules and are re-exported here.

Each function is one transaction. Input is validated by the domain records before anything
is written; a bad field raises `InvalidInput` naming it, an unknown athlete or record raises
`NotFound`, a store failure raises `StoreError`; in every case the store is unchanged.

Athlete selection follows CONTRACTS.md section 1: a name picks that athlete (falling back to
`settings.athlete`, i.e. `CRAMPWISE_ATHLETE`); `None` picks the only athlete; otherwise
`NotFound` lists the athletes. Naive times in `data` are read in the athlete's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from crampwise.domain.enums import CrampContext, FactorLevel
from crampwise.domain.errors import FieldError, InvalidInput
from crampwise.domain.history import History
from crampwise.domain.plausible import unusual_session
from crampwise.domain.records import (
    MAX_SESSION_S,
    Athlete,
    Cramp,
    Day,
    Medication,
    Session,
    validate_record,
)
from crampwise.domain.storable import check_storable
from crampwise.services.athletes import (
    add_athlete,
    default_athlete_name,
    delete_athlete,
    get_athlete,
    init_store,
    list_athletes,
    make_default_athlete,
    reading_for,
    refuse_unconfirmed,
    rename_athlete,
    resolve_athlete,
    set_athlete,
)
from crampwise.services.context import AppContext
from crampwise.services.record_edits import (
    delete_record,
    get_record,
    update_cramp,
    update_day,
    update_medication,
    update_session,
)
from crampwise.services.record_rules import check_session_link, localize, refuse_id
from crampwise.services.record_tags import checked_tags, known_noes, typed_now
from crampwise.storage import repository as repo

__all__ = [  # the journal's use-cases, wherever they live (athletes, editing: their own modules)
    "add_athlete",
    "default_athlete_name",
    "delete_athlete",
    "delete_record",
    "get_athlete",
    "get_record",
    "init_store",
    "insert_cramp",
    "insert_session",
    "list_athletes",
    "load_history",
    "load_journal_history",
    "localize",
    "log_cramp",
    "log_day",
    "log_medication",
    "log_session",
    "make_default_athlete",
    "reading_for",
    "rename_athlete",
    "resolve_athlete",
    "set_athlete",
    "update_cramp",
    "update_day",
    "update_medication",
    "update_session",
    "upsert_day",
]


# --- logging ----------------------------------------------------------------------------------


# crampwise convention (no source): a cramp "after exercise" belongs to a session that ended at most
# this long before it.
AFTER_EXERCISE_LINK_S = 2 * 3600
# crampwise convention (no source): a cramp "during exercise" logged a few minutes after a session's
# end (its duration rounded down, the watch stopped first, the session logged a minute earlier) still
# belongs to it.
EXERCISE_END_GRACE_S = 10 * 60
# crampwise convention (no source): the same muscle cramping twice within this window is the same
# episode logged twice far more often than two episodes.
SAME_CRAMP_WINDOW_S = 5 * 60


def _session_for(conn: Connection, athlete_pk: int, cramp: Cramp) -> str | None:
    """The one session an unlinked exercise cramp happened in (or just after), if unambiguous.

    During exercise: a session running at the cramp's time, its end included, or one that ended
    at most 10 minutes before (the latest such); after exercise: the latest session that ended
    up to 2 h before it.
    """
    if cramp.context not in (CrampContext.EXERCISE, CrampContext.AFTER_EXERCISE):
        return None
    earliest = cramp.at - timedelta(seconds=MAX_SESSION_S + AFTER_EXERCISE_LINK_S)
    candidates = repo.sessions_starting_between(
        conn=conn, athlete_pk=athlete_pk, start=earliest, end=cramp.at
    )
    if cramp.context is CrampContext.EXERCISE:
        during = [s for s in candidates if s.start <= cramp.at <= s.end]
        if during:
            return during[0].id if len(during) == 1 else None
        grace = timedelta(seconds=EXERCISE_END_GRACE_S)
        just_after = [s for s in candidates if s.end < cramp.at <= s.end + grace]
        return max(just_after, key=lambda s: s.end).id if just_after else None
    window = timedelta(seconds=AFTER_EXERCISE_LINK_S)
    before = [s for s in candidates if s.end <= cramp.at <= s.end + window]
    return max(before, key=lambda s: s.end).id if before else None


def _same_cramp(conn: Connection, athlete_pk: int, cramp: Cramp, zone: ZoneInfo) -> list[FieldError]:
    """A cramp of the same muscle (and side) logged within 5 minutes: probably this one again."""
    window = timedelta(seconds=SAME_CRAMP_WINDOW_S)
    found = []
    for other in repo.cramps_between(
        conn=conn, athlete_pk=athlete_pk, start=cramp.at - window, end=cramp.at + window
    ):
        if other.muscle == cramp.muscle and (
            other.side is None or cramp.side is None or other.side == cramp.side
        ):
            found.append(
                FieldError(
                    "at",
                    f"cramp {other.id} ({other.muscle}, {other.at.astimezone(zone):%Y-%m-%d %H:%M}) is already "
                    "logged at this time; is this the same cramp?",
                )
            )
    return found[:1]


def log_cramp(
    ctx: AppContext,
    *,
    athlete: str | None,
    data: Mapping[str, Any],
    now: datetime,
    link_session: bool = False,
    confirmed: bool = False,
) -> Cramp:
    """Store a new cramp episode with the next `c-0001` id; `at` defaults to `now`.

    With `link_session`, a cramp during exercise without a `session_id` is linked to the one
    session it happened in (or that ended at most 10 minutes before it), and one after exercise
    to the latest session that ended up to 2 h before it (crampwise conventions). The same
    muscle already logged within 5 minutes is refused (`Unconfirmed`) unless `confirmed`.
    """
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        return insert_cramp(conn, pk, who, data=data, now=now, link_session=link_session, confirmed=confirmed)


def insert_cramp(
    conn: Connection,
    pk: int,
    who: Athlete,
    *,
    data: Mapping[str, Any],
    now: datetime,
    link_session: bool,
    confirmed: bool = False,
) -> Cramp:
    """`log_cramp` inside the caller's transaction (offline sync claims its key in the same one)."""
    refuse_id(data)
    values = dict(data)
    values["at"] = localize(values.get("at") or now.astimezone(who.zone).replace(microsecond=0), who.zone)
    cramp = check_storable(validate_record(Cramp, values, now=now))
    check_session_link(conn, pk, cramp)
    refuse_unconfirmed(_same_cramp(conn, pk, cramp, who.zone), confirmed)
    update: dict[str, Any] = {"id": repo.next_record_id(conn=conn, kind=repo.CRAMP, athlete_pk=pk)}
    if link_session and cramp.session_id is None:
        update["session_id"] = _session_for(conn, pk, cramp)
    cramp = cramp.model_copy(update=update)
    repo.insert_record(conn=conn, kind=repo.CRAMP, athlete_pk=pk, record=cramp)
    return cramp


def log_session(
    ctx: AppContext,
    *,
    athlete: str | None,
    data: Mapping[str, Any],
    now: datetime,
    confirmed: bool = False,
) -> Session:
    """Store a new session with the next `s-0001` id; `start` defaults to `now` minus its duration.

    Values unlikely for this athlete (a weighing far from their body mass, more fluid than
    anyone drinks) are refused with `Unconfirmed` unless `confirmed`.
    """
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        return insert_session(conn, pk, who, data=data, now=now, confirmed=confirmed)


def insert_session(
    conn: Connection,
    pk: int,
    who: Athlete,
    *,
    data: Mapping[str, Any],
    now: datetime,
    confirmed: bool = False,
) -> Session:
    """`log_session` inside the caller's transaction."""
    refuse_id(data)
    values = dict(data)
    if values.get("start") is None:
        duration = values.get("duration_s")
        # A session just ended: it started `duration_s` ago. A duration no session has (validation
        # refuses it below, naming the field) is not used here: it could overflow the date.
        back = float(duration) if isinstance(duration, int | float) and 0 < duration <= MAX_SESSION_S else 0.0
        values["start"] = (now - timedelta(seconds=back)).astimezone(who.zone).replace(microsecond=0)
    values["start"] = localize(values["start"], who.zone)
    values["tags"] = known_noes(values.get("tags") or {}, who.factors, FactorLevel.SESSION)
    session = check_storable(validate_record(Session, values, now=now))
    checked_tags(session, who.factors, FactorLevel.SESSION)
    refuse_unconfirmed(unusual_session(session, who), confirmed)
    session = session.model_copy(
        update={"id": repo.next_record_id(conn=conn, kind=repo.SESSION, athlete_pk=pk)}
    )
    repo.insert_record(conn=conn, kind=repo.SESSION, athlete_pk=pk, record=session)
    return session


def log_day(ctx: AppContext, *, athlete: str | None, data: Mapping[str, Any], now: datetime) -> Day:
    """Record a day (default: today in the athlete's zone); fields given replace, others stay."""
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        return upsert_day(conn, pk, who, data=data, now=now)


def upsert_day(conn: Connection, pk: int, who: Athlete, *, data: Mapping[str, Any], now: datetime) -> Day:
    """`log_day` inside the caller's transaction.

    Tags given join the day's stored ones; yes/no day factors tagged nowhere become a known no.
    A wellness field the athlete types is theirs from then on (no longer `imported`).
    """
    values = dict(data)
    values.pop("imported_fields", None)
    if values.get("date") is None:
        values["date"] = now.astimezone(who.zone).date()
    day = check_storable(validate_record(Day, values, now=now))
    checked_tags(day, who.factors, FactorLevel.DAY)
    existing = repo.get_record(conn=conn, kind=repo.DAY, athlete_pk=pk, key=day.date, for_update=True)
    if existing is None:
        day = day.model_copy(update={"tags": known_noes(day.tags, who.factors, FactorLevel.DAY)})
        try:
            with conn.begin_nested():
                repo.insert_record(conn=conn, kind=repo.DAY, athlete_pk=pk, record=day)
            return day
        except IntegrityError:  # another writer created that day meanwhile: merge into theirs
            existing = repo.get_record(conn=conn, kind=repo.DAY, athlete_pk=pk, key=day.date, for_update=True)
            if existing is None:
                raise
    stored = existing.model_dump()
    tags = known_noes({**existing.tags, **day.tags}, who.factors, FactorLevel.DAY)
    given = {**values, "tags": tags, "imported_fields": typed_now(stored, values)}
    merged = validate_record(Day, {**stored, **given})
    repo.update_record(conn=conn, kind=repo.DAY, athlete_pk=pk, key=day.date, record=merged)
    return merged


def log_medication(
    ctx: AppContext, *, athlete: str | None, data: Mapping[str, Any], now: datetime | None = None
) -> Medication:
    """Store a medication with the next `m-0001` id; the same name and start date twice is refused."""
    refuse_id(data)
    medication = check_storable(validate_record(Medication, data))
    with ctx.begin() as conn:
        pk, _who = resolve_athlete(ctx, conn, athlete)
        for other in repo.list_records(conn=conn, kind=repo.MEDICATION, athlete_pk=pk):
            if other.name.casefold() == medication.name.casefold() and other.started == medication.started:
                raise InvalidInput.single(
                    "name", f"{medication.name} started {medication.started} is already logged as {other.id}"
                )
        medication = medication.model_copy(
            update={"id": repo.next_record_id(conn=conn, kind=repo.MEDICATION, athlete_pk=pk)}
        )
        repo.insert_record(conn=conn, kind=repo.MEDICATION, athlete_pk=pk, record=medication)
    return medication


def load_journal_history(ctx: AppContext, *, athlete: str | None) -> History:
    """The record the analyses judge: from the day the cramp journal started (`History.judged`).

    Sessions and days from before it (an imported watch history, say) are not cramp-free time,
    so `insights`, `check` and the plan's risk see only the journal's span.
    """
    return load_history(ctx, athlete=athlete).judged()


def load_history(ctx: AppContext, *, athlete: str | None, only: str | None = None) -> History:
    """Everything of one athlete, in time order: the pure core's input.

    `only` ("cramps", "sessions", "days" or "medications") reads that kind alone and leaves the
    others empty: a listing of cramps need not read years of sessions and days.
    """

    def wanted(noun: str) -> bool:
        return only is None or only == noun

    with ctx.read() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        return History(
            athlete=who,
            sessions=tuple(repo.list_records(conn=conn, kind=repo.SESSION, athlete_pk=pk))
            if wanted("sessions")
            else (),
            cramps=tuple(repo.list_records(conn=conn, kind=repo.CRAMP, athlete_pk=pk))
            if wanted("cramps")
            else (),
            days=tuple(repo.list_records(conn=conn, kind=repo.DAY, athlete_pk=pk)) if wanted("days") else (),
            medications=tuple(repo.list_records(conn=conn, kind=repo.MEDICATION, athlete_pk=pk))
            if wanted("medications")
            else (),
        )

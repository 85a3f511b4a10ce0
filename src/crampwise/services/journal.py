"""Journal use-cases: athletes and their cramps, sessions, days and medications.

Each function is one transaction. Input is validated by the domain records before anything
is written; a bad field raises `InvalidInput` naming it, an unknown athlete or record raises
`NotFound`, a store failure raises `StoreError`; in every case the store is unchanged.

Athlete selection follows CONTRACTS.md section 1: a name picks that athlete (falling back to
`settings.athlete`, i.e. `CRAMPWISE_ATHLETE`); `None` picks the only athlete; otherwise
`NotFound` lists the athletes. Naive times in `data` are read in the athlete's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from crampwise.domain.enums import CrampContext, FactorLevel
from crampwise.domain.errors import FieldError, InvalidInput, NotFound, Unconfirmed
from crampwise.domain.history import History
from crampwise.domain.plausible import unusual_athlete_change, unusual_session
from crampwise.domain.records import (
    MAX_SESSION_S,
    Athlete,
    Cramp,
    Day,
    Medication,
    Record,
    Session,
    validate_record,
)
from crampwise.domain.storable import check_storable
from crampwise.services.context import AppContext
from crampwise.services.field_input import Reading
from crampwise.services.record_tags import checked_tags, known_noes, typed_now, with_tag_changes
from crampwise.storage import repository as repo

R = TypeVar("R", bound=Record)

KIND_ALIASES = {
    "cramp": "cramp",
    "cramps": "cramp",
    "session": "session",
    "sessions": "session",
    "day": "day",
    "days": "day",
    "med": "medication",
    "meds": "medication",
    "medication": "medication",
    "medications": "medication",
}


# --- athletes -------------------------------------------------------------------------------


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


def _confirm(found: list[FieldError], confirmed: bool) -> None:
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
        _confirm(unusual_athlete_change(current, changed), confirmed)
        _name_free(conn, changed.name, except_pk=pk)
        repo.update_athlete(conn=conn, athlete_pk=pk, athlete=changed)
    return changed


# --- shared helpers ---------------------------------------------------------------------------


def localize(value: Any, zone: ZoneInfo) -> Any:
    """A naive datetime (or ISO text without an offset) read as local time in `zone`."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return value  # left for the record's validator to report with the accepted form
        return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else value
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value


def _refuse_id(data: Mapping[str, Any]) -> None:
    if data.get("id") is not None:
        raise InvalidInput.single("id", "ids are assigned by crampwise; leave the id out")


def _check_session_link(conn: Connection, athlete_pk: int, cramp: Cramp) -> None:
    if cramp.session_id is None:
        return
    if repo.get_record(conn=conn, kind=repo.SESSION, athlete_pk=athlete_pk, key=cramp.session_id) is None:
        raise InvalidInput.single(
            "session_id", f"no session with id {cramp.session_id!r}; see: crampwise list sessions"
        )


def _kind(kind: str) -> repo.RecordKind[Any]:
    try:
        return repo.KINDS[KIND_ALIASES[kind]]
    except KeyError:
        raise InvalidInput.single(
            "kind", f"unknown record kind {kind!r}; expected cramp|session|day|med"
        ) from None


def _key(kind: repo.RecordKind[Any], record_id: str | date) -> str | date:
    if kind is repo.DAY and isinstance(record_id, str):
        try:
            return date.fromisoformat(record_id.strip())
        except ValueError:
            raise InvalidInput.single("date", f"cannot read {record_id!r}; expected YYYY-MM-DD") from None
    return record_id


def _existing(
    conn: Connection,
    kind: repo.RecordKind[R],
    athlete_pk: int,
    key: str | date,
    athlete: Athlete,
    *,
    lock: bool = False,
) -> R:
    found = repo.get_record(conn=conn, kind=kind, athlete_pk=athlete_pk, key=key, for_update=lock)
    if found is None:
        raise NotFound(
            f"{kind.name}: no {kind.name} {str(key)!r} for {athlete.name}; see: crampwise list {kind.name}s"
        )
    return found


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
    _refuse_id(data)
    values = dict(data)
    values["at"] = localize(values.get("at") or now.astimezone(who.zone).replace(microsecond=0), who.zone)
    cramp = check_storable(validate_record(Cramp, values, now=now))
    _check_session_link(conn, pk, cramp)
    _confirm(_same_cramp(conn, pk, cramp, who.zone), confirmed)
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
    _refuse_id(data)
    values = dict(data)
    if values.get("start") is None:
        duration = values.get("duration_s")
        back = float(duration) if isinstance(duration, int | float) and duration > 0 else 0.0
        values["start"] = (now - timedelta(seconds=back)).astimezone(who.zone).replace(microsecond=0)
    values["start"] = localize(values["start"], who.zone)
    values["tags"] = known_noes(values.get("tags") or {}, who.factors, FactorLevel.SESSION)
    session = check_storable(validate_record(Session, values, now=now))
    checked_tags(session, who.factors, FactorLevel.SESSION)
    _confirm(unusual_session(session, who), confirmed)
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
    _refuse_id(data)
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


# --- reading, editing, deleting ---------------------------------------------------------------


def get_record(ctx: AppContext, *, athlete: str | None, kind: str, record_id: str) -> Record:
    """One record by id (a day by its date), or `NotFound`."""
    record_kind = _kind(kind)
    with ctx.read() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        return _existing(conn, record_kind, pk, _key(record_kind, record_id), who)  # type: ignore[no-any-return]


def _update(
    ctx: AppContext,
    *,
    athlete: str | None,
    kind: repo.RecordKind[R],
    key: str | date,
    changes: Mapping[str, Any],
    now: datetime | None,
    confirmed: bool = False,
    tag_changes: Mapping[str, Any] | None = None,
) -> R:
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        current = _existing(conn, kind, pk, key, who, lock=True)
        values = {**current.model_dump(), **changes}
        if tag_changes:
            values["tags"] = with_tag_changes(values.get("tags") or {}, tag_changes)
        if kind is repo.DAY:
            values["imported_fields"] = typed_now(current.model_dump(), changes)
        key_field = "date" if kind is repo.DAY else "id"
        if str(values.get(key_field)) != str(getattr(current, key_field)):
            raise InvalidInput.single(key_field, f"the {key_field} of a {kind.name} cannot be changed")
        for name in ("at", "start"):
            if name in changes:
                values[name] = localize(values[name], who.zone)
        record = check_storable(validate_record(kind.model, values, now=now))
        if isinstance(record, Session):
            checked_tags(record, who.factors, FactorLevel.SESSION)
        elif isinstance(record, Day):
            checked_tags(record, who.factors, FactorLevel.DAY)
        if isinstance(record, Cramp):
            _check_session_link(conn, pk, record)
        if isinstance(record, Session):
            changed = {k for k in changes if changes[k] != getattr(current, k, None)}
            _confirm([e for e in unusual_session(record, who) if e.path in changed], confirmed)
        repo.update_record(conn=conn, kind=kind, athlete_pk=pk, key=key, record=record)
    return record


def update_cramp(
    ctx: AppContext, *, athlete: str | None, cramp_id: str, changes: Mapping[str, Any], now: datetime
) -> Cramp:
    """Change some fields of a cramp (`None` sets a field to unknown); the id stays."""
    return _update(ctx, athlete=athlete, kind=repo.CRAMP, key=cramp_id, changes=changes, now=now)


def update_session(
    ctx: AppContext,
    *,
    athlete: str | None,
    session_id: str,
    changes: Mapping[str, Any],
    now: datetime,
    confirmed: bool = False,
    tag_changes: Mapping[str, Any] | None = None,
) -> Session:
    """Change some fields of a session (`None` sets a field to unknown); the id stays.

    A changed value unlikely for this athlete is refused with `Unconfirmed` unless `confirmed`.
    `tag_changes` sets own-factor tags (a value) or removes them (None), keeping the others.
    """
    return _update(
        ctx,
        athlete=athlete,
        kind=repo.SESSION,
        key=session_id,
        changes=changes,
        now=now,
        confirmed=confirmed,
        tag_changes=tag_changes,
    )


def update_day(
    ctx: AppContext,
    *,
    athlete: str | None,
    day: str | date,
    changes: Mapping[str, Any],
    now: datetime | None = None,
    tag_changes: Mapping[str, Any] | None = None,
) -> Day:
    """Change some fields of the day at `day` (a date or `YYYY-MM-DD`); `tag_changes` as for sessions."""
    return _update(
        ctx,
        athlete=athlete,
        kind=repo.DAY,
        key=_key(repo.DAY, day),
        changes=changes,
        now=now,
        tag_changes=tag_changes,
    )


def update_medication(
    ctx: AppContext,
    *,
    athlete: str | None,
    medication_id: str,
    changes: Mapping[str, Any],
    now: datetime | None = None,
) -> Medication:
    """Change some fields of a medication (e.g. `stopped`)."""
    return _update(ctx, athlete=athlete, kind=repo.MEDICATION, key=medication_id, changes=changes, now=now)


def delete_record(ctx: AppContext, *, athlete: str | None, kind: str, record_id: str) -> Record:
    """Delete one record (a day by its date) and return it; a deleted session's cramps are unlinked."""
    record_kind = _kind(kind)
    key = _key(record_kind, record_id)
    with ctx.begin() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        record: Record = _existing(conn, record_kind, pk, key, who, lock=True)
        repo.delete_record(conn=conn, kind=record_kind, athlete_pk=pk, key=key)
        if record_kind is repo.SESSION and isinstance(key, str):
            repo.unlink_session(conn=conn, athlete_pk=pk, session_id=key)
    return record


def load_journal_history(ctx: AppContext, *, athlete: str | None) -> History:
    """The record the analyses judge: from the day the cramp journal started (`History.judged`).

    Sessions and days from before it (an imported watch history, say) are not cramp-free time,
    so `insights`, `check` and the plan's risk see only the journal's span.
    """
    return load_history(ctx, athlete=athlete).judged()


def load_history(ctx: AppContext, *, athlete: str | None) -> History:
    """Everything of one athlete, in time order: the pure core's input."""
    with ctx.read() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        return History(
            athlete=who,
            sessions=tuple(repo.list_records(conn=conn, kind=repo.SESSION, athlete_pk=pk)),
            cramps=tuple(repo.list_records(conn=conn, kind=repo.CRAMP, athlete_pk=pk)),
            days=tuple(repo.list_records(conn=conn, kind=repo.DAY, athlete_pk=pk)),
            medications=tuple(repo.list_records(conn=conn, kind=repo.MEDICATION, athlete_pk=pk)),
        )

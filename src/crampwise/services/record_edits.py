"""Reading one record, changing it, deleting it: `crampwise show|edit|delete` and the API's
`GET|PUT|DELETE /cramps/{id}` and `/sessions/{id}`.

Each function is one transaction; a record of another athlete is `NotFound`, exactly like one
that does not exist. Changed values pass the same rules as new ones (`services.record_rules`),
and a changed session value unlikely for this athlete raises `Unconfirmed` unless confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection

from crampwise.domain.enums import FactorLevel
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.domain.plausible import unusual_session
from crampwise.domain.records import Athlete, Cramp, Day, Medication, Record, Session, validate_record
from crampwise.domain.storable import check_storable
from crampwise.services.athletes import refuse_unconfirmed, resolve_athlete
from crampwise.services.context import AppContext
from crampwise.services.record_rules import check_session_link, localize
from crampwise.services.record_tags import checked_tags, typed_now, with_tag_changes
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
            check_session_link(conn, pk, record)
        if isinstance(record, Session):
            changed = {k for k in changes if changes[k] != getattr(current, k, None)}
            refuse_unconfirmed([e for e in unusual_session(record, who) if e.path in changed], confirmed)
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

"""Keyword-only data access: records in, records out, one `Connection` passed by the caller.

The caller (a service) owns the transaction; nothing here commits. Records are the domain's
Pydantic models; rows are converted at this boundary only. Every record kind is described
once by a `RecordKind` so that get/list/insert/update/delete are written once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Row, Table, delete, insert, select, update
from sqlalchemy.sql.elements import ColumnElement

from crampwise.domain.factors import Factor
from crampwise.domain.records import Athlete, Cramp, Day, Medication, Record, Session
from crampwise.storage.schema import athletes, cramps, days, factors, id_counters, medications, sessions

R = TypeVar("R", bound=Record)

# Rows are re-validated on the way out; a stored cramp is never "in the future" for that.
_LOAD_CONTEXT = {"now": datetime(9000, 1, 1, tzinfo=UTC)}
ID_PREFIXES = ("s", "c", "m")


def offset_min(moment: datetime) -> int:
    """The UTC offset of an aware datetime in whole minutes (what the athlete's clock showed)."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"naive datetime {moment.isoformat()} refused")
    return round(offset.total_seconds() / 60)


def local_time(utc: datetime, minutes: int) -> datetime:
    """A stored UTC instant shown again at the offset it was logged with."""
    return utc.astimezone(timezone(timedelta(minutes=minutes)))


def _record_fields(record: Record, *, skip: Iterable[str]) -> dict[str, Any]:
    skipped = set(skip)
    return {name: value for name, value in record.model_dump().items() if name not in skipped}


def _session_values(record: Record) -> dict[str, Any]:
    assert isinstance(record, Session)
    values = _record_fields(record, skip=("id", "start"))
    return {
        **values,
        "record_id": record.id,
        "start_utc": record.start,
        "start_offset_min": offset_min(record.start),
    }


def _session_from(row: Mapping[Any, Any]) -> dict[str, Any]:
    data = _plain(row, drop=("record_id", "start_utc", "start_offset_min"))
    return {**data, "id": row["record_id"], "start": local_time(row["start_utc"], row["start_offset_min"])}


def _cramp_values(record: Record) -> dict[str, Any]:
    assert isinstance(record, Cramp)
    values = _record_fields(record, skip=("id", "at"))
    values["relief"] = [str(item) for item in record.relief]
    values["symptoms"] = [str(item) for item in record.symptoms]
    return {**values, "record_id": record.id, "at_utc": record.at, "at_offset_min": offset_min(record.at)}


def _cramp_from(row: Mapping[Any, Any]) -> dict[str, Any]:
    data = _plain(row, drop=("record_id", "at_utc", "at_offset_min"))
    return {**data, "id": row["record_id"], "at": local_time(row["at_utc"], row["at_offset_min"])}


def _day_values(record: Record) -> dict[str, Any]:
    return _record_fields(record, skip=())


def _medication_values(record: Record) -> dict[str, Any]:
    assert isinstance(record, Medication)
    return {**_record_fields(record, skip=("id",)), "record_id": record.id}


def _medication_from(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {**_plain(row, drop=("record_id",)), "id": row["record_id"]}


def _plain(row: Mapping[Any, Any], *, drop: Iterable[str] = ()) -> dict[str, Any]:
    dropped = {"pk", "athlete_pk", *drop}
    return {key: value for key, value in row.items() if key not in dropped}


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    """How one kind of record maps to its table."""

    name: str  # "session", "cramp", "day", "medication"
    model: type[R]
    table: Table
    key_column: str  # "record_id", or "date" for days
    prefix: str | None  # id prefix (`s` -> `s-0001`); None for days
    to_values: Callable[[Record], dict[str, Any]]
    from_row: Callable[[Mapping[Any, Any]], dict[str, Any]]
    order_by: tuple[str, ...]

    def key_of(self, record: R) -> str | date:
        key = getattr(record, "date" if self.key_column == "date" else "id")
        if key is None:
            raise ValueError(f"{self.name} without an id cannot be stored")
        return key  # type: ignore[no-any-return]

    def load(self, row: Mapping[Any, Any]) -> R:
        return self.model.model_validate(self.from_row(row), context=_LOAD_CONTEXT)


SESSION = RecordKind(
    "session", Session, sessions, "record_id", "s", _session_values, _session_from, ("start_utc", "record_id")
)
CRAMP = RecordKind(
    "cramp", Cramp, cramps, "record_id", "c", _cramp_values, _cramp_from, ("at_utc", "record_id")
)
DAY = RecordKind("day", Day, days, "date", None, _day_values, _plain, ("date",))
MEDICATION = RecordKind(
    "medication",
    Medication,
    medications,
    "record_id",
    "m",
    _medication_values,
    _medication_from,
    ("started", "record_id"),
)
KINDS: dict[str, RecordKind[Any]] = {kind.name: kind for kind in (SESSION, CRAMP, DAY, MEDICATION)}


# --- athletes -------------------------------------------------------------------------------


def _athlete_from(conn: Connection, row: Row[Any]) -> Athlete:
    data = _plain(row._mapping, drop=("is_default",))
    return Athlete.model_validate({**data, "factors": list_factors(conn=conn, athlete_pk=row.pk)})


def _athlete_values(athlete: Athlete) -> dict[str, Any]:
    values = athlete.model_dump(mode="json", exclude={"factors"})
    values["journal_started"] = athlete.journal_started  # a date column wants a date
    return values


def list_athletes(*, conn: Connection) -> list[tuple[int, Athlete]]:
    """Every athlete with its primary key, by name."""
    rows = conn.execute(select(athletes).order_by(athletes.c.name)).all()
    return [(row.pk, _athlete_from(conn, row)) for row in rows]


def athlete_by_name(*, conn: Connection, name: str) -> tuple[int, Athlete] | None:
    row = conn.execute(select(athletes).where(athletes.c.name == name)).first()
    return None if row is None else (row.pk, _athlete_from(conn, row))


def default_athlete(*, conn: Connection) -> tuple[int, Athlete] | None:
    """The store's default athlete (the one commands act on when none is named), if any."""
    row = conn.execute(
        select(athletes).where(athletes.c.is_default.is_(True)).order_by(athletes.c.pk)
    ).first()
    return None if row is None else (row.pk, _athlete_from(conn, row))


# --- the athlete's own factors ----------------------------------------------------------------


def list_factors(*, conn: Connection, athlete_pk: int) -> list[Factor]:
    """The athlete's own factors, by name."""
    query = (
        select(factors.c.name, factors.c.level, factors.c.kind)
        .where(factors.c.athlete_pk == athlete_pk)
        .order_by(factors.c.name)
    )
    return [Factor.model_validate(dict(row._mapping)) for row in conn.execute(query)]


def _store_factors(conn: Connection, athlete_pk: int, wanted: Sequence[Factor]) -> None:
    """Make the athlete's stored factors exactly `wanted` (by name; a changed one is replaced)."""
    stored = {f.name: f for f in list_factors(conn=conn, athlete_pk=athlete_pk)}
    keep = {f.name: f for f in wanted}
    for name, factor in stored.items():
        if keep.get(name) != factor:
            conn.execute(
                delete(factors).where((factors.c.athlete_pk == athlete_pk) & (factors.c.name == name))
            )
    new = [f for f in wanted if stored.get(f.name) != f]
    if new:
        conn.execute(
            insert(factors),
            [{"athlete_pk": athlete_pk, **f.model_dump(mode="json")} for f in new],
        )


def set_default_athlete(*, conn: Connection, athlete_pk: int | None) -> None:
    """Make one athlete the default (None: no default); every other athlete stops being it."""
    conn.execute(update(athletes).where(athletes.c.is_default.is_(True)).values(is_default=False))
    if athlete_pk is not None:
        conn.execute(update(athletes).where(athletes.c.pk == athlete_pk).values(is_default=True))


def athlete_by_pk(*, conn: Connection, athlete_pk: int) -> Athlete | None:
    row = conn.execute(select(athletes).where(athletes.c.pk == athlete_pk)).first()
    return None if row is None else _athlete_from(conn, row)


def athlete_name_by_pk(*, conn: Connection, athlete_pk: int) -> str | None:
    return conn.execute(select(athletes.c.name).where(athletes.c.pk == athlete_pk)).scalar_one_or_none()


def insert_athlete(*, conn: Connection, athlete: Athlete) -> int:
    """Store a new athlete (and its id counters); returns its primary key."""
    pk = conn.execute(insert(athletes).values(**_athlete_values(athlete))).inserted_primary_key
    assert pk is not None
    athlete_pk = int(pk[0])
    conn.execute(
        insert(id_counters), [{"athlete_pk": athlete_pk, "prefix": p, "last_value": 0} for p in ID_PREFIXES]
    )
    _store_factors(conn, athlete_pk, athlete.factors)
    return athlete_pk


def update_athlete(*, conn: Connection, athlete_pk: int, athlete: Athlete) -> None:
    """Store the athlete's settings and own factors (renaming a factor's tags is the caller's)."""
    conn.execute(update(athletes).where(athletes.c.pk == athlete_pk).values(**_athlete_values(athlete)))
    _store_factors(conn, athlete_pk, athlete.factors)


def delete_athlete(*, conn: Connection, athlete_pk: int) -> None:
    """Delete an athlete and, by cascade, every record, recording and import of theirs."""
    for table in (sessions, cramps, days, medications, factors, id_counters):
        conn.execute(delete(table).where(table.c.athlete_pk == athlete_pk))
    conn.execute(delete(athletes).where(athletes.c.pk == athlete_pk))


# --- records --------------------------------------------------------------------------------


def _where(kind: RecordKind[Any], athlete_pk: int, key: str | date) -> ColumnElement[bool]:
    table = kind.table
    return (table.c.athlete_pk == athlete_pk) & (table.c[kind.key_column] == key)


def get_record(
    *, conn: Connection, kind: RecordKind[R], athlete_pk: int, key: str | date, for_update: bool = False
) -> R | None:
    """One record by key; `for_update` locks its row until the transaction ends (PostgreSQL)."""
    query = select(kind.table).where(_where(kind, athlete_pk, key))
    row = conn.execute(query.with_for_update() if for_update else query).first()
    return None if row is None else kind.load(row._mapping)


def list_records(*, conn: Connection, kind: RecordKind[R], athlete_pk: int) -> list[R]:
    """Every record of one kind of one athlete, in time order (ties by id)."""
    table = kind.table
    query = (
        select(table).where(table.c.athlete_pk == athlete_pk).order_by(*(table.c[c] for c in kind.order_by))
    )
    return [kind.load(row._mapping) for row in conn.execute(query)]


def sessions_starting_between(
    *, conn: Connection, athlete_pk: int, start: datetime, end: datetime
) -> list[Session]:
    """The athlete's sessions that started in [start, end], in time order."""
    query = (
        select(sessions)
        .where((sessions.c.athlete_pk == athlete_pk) & sessions.c.start_utc.between(start, end))
        .order_by(sessions.c.start_utc, sessions.c.record_id)
    )
    return [SESSION.load(row._mapping) for row in conn.execute(query)]


def cramps_between(*, conn: Connection, athlete_pk: int, start: datetime, end: datetime) -> list[Cramp]:
    """The athlete's cramps at times in [start, end], in time order."""
    query = (
        select(cramps)
        .where((cramps.c.athlete_pk == athlete_pk) & cramps.c.at_utc.between(start, end))
        .order_by(cramps.c.at_utc, cramps.c.record_id)
    )
    return [CRAMP.load(row._mapping) for row in conn.execute(query)]


def insert_record(*, conn: Connection, kind: RecordKind[R], athlete_pk: int, record: R) -> None:
    kind.key_of(record)
    conn.execute(insert(kind.table).values(athlete_pk=athlete_pk, **kind.to_values(record)))


def insert_records(*, conn: Connection, kind: RecordKind[R], athlete_pk: int, records: Sequence[R]) -> None:
    """Insert many records in one statement (an import's new records)."""
    if records:
        for record in records:
            kind.key_of(record)
        conn.execute(insert(kind.table), [{"athlete_pk": athlete_pk, **kind.to_values(r)} for r in records])


def update_record(
    *, conn: Connection, kind: RecordKind[R], athlete_pk: int, key: str | date, record: R
) -> bool:
    """Replace the record stored under `key` (its key may change); False when there is none."""
    result = conn.execute(
        update(kind.table).where(_where(kind, athlete_pk, key)).values(**kind.to_values(record))
    )
    return bool(result.rowcount)


def delete_record(*, conn: Connection, kind: RecordKind[Any], athlete_pk: int, key: str | date) -> bool:
    result = conn.execute(delete(kind.table).where(_where(kind, athlete_pk, key)))
    return bool(result.rowcount)


def unlink_session(*, conn: Connection, athlete_pk: int, session_id: str) -> int:
    """Cramps that pointed at a deleted session keep their data but lose the link."""
    result = conn.execute(
        update(cramps)
        .where((cramps.c.athlete_pk == athlete_pk) & (cramps.c.session_id == session_id))
        .values(session_id=None)
    )
    return int(result.rowcount)


# --- ids ------------------------------------------------------------------------------------


def _counter(athlete_pk: int, prefix: str) -> ColumnElement[bool]:
    return (id_counters.c.athlete_pk == athlete_pk) & (id_counters.c.prefix == prefix)


def next_record_id(*, conn: Connection, kind: RecordKind[Any], athlete_pk: int) -> str:
    """The next free `c-0001`-style id of this athlete for `kind`.

    The `UPDATE` of the counter row locks it until the caller's transaction ends, so two
    writers never get the same id (PostgreSQL row lock; SQLite's single writer). Ids taken by
    imported records are skipped.
    """
    prefix = kind.prefix
    if prefix is None:
        raise ValueError(f"{kind.name} records have no generated id")
    while True:
        bumped = conn.execute(
            update(id_counters)
            .where(_counter(athlete_pk, prefix))
            .values(last_value=id_counters.c.last_value + 1)
        )
        if not bumped.rowcount:
            conn.execute(insert(id_counters).values(athlete_pk=athlete_pk, prefix=prefix, last_value=0))
            continue
        value = conn.execute(
            select(id_counters.c.last_value).where(_counter(athlete_pk, prefix))
        ).scalar_one()
        candidate = f"{prefix}-{value:04d}"
        taken = conn.execute(select(kind.table.c.pk).where(_where(kind, athlete_pk, candidate))).first()
        if taken is None:
            return candidate


def advance_counter(*, conn: Connection, kind: RecordKind[Any], athlete_pk: int, ids: Iterable[str]) -> None:
    """After an import, make the counter skip past imported ids of crampwise's own form."""
    prefix = kind.prefix
    if prefix is None:
        return
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d{{1,9}})$")
    numbers = [int(m.group(1)) for m in map(pattern.match, ids) if m]
    if not numbers:
        return
    highest = max(numbers)
    updated = conn.execute(
        update(id_counters)
        .where(_counter(athlete_pk, prefix) & (id_counters.c.last_value < highest))
        .values(last_value=highest)
    )
    if not updated.rowcount:
        exists = conn.execute(select(id_counters.c.last_value).where(_counter(athlete_pk, prefix))).first()
        if exists is None:
            conn.execute(insert(id_counters).values(athlete_pk=athlete_pk, prefix=prefix, last_value=highest))

"""Planned sessions and the athlete's products (gels, bars, drinks): tables and data access.

Keyword-only functions on a `Connection` the caller's transaction owns (nothing commits here).
A planned session keeps its start as UTC plus the offset the athlete planned it in, like a
logged session; its id (`p-0001`) comes from the athlete's `id_counters` row for `p`.
Products are unique per athlete by `name_key` (the name folded: `Gel` and `gel ` are one).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    delete,
    insert,
    select,
    update,
)

from crampwise.domain.planned import PRODUCT_NAME_CHARS, PlannedSessionRecord, Product, product_key
from crampwise.storage.repository import local_time, offset_min
from crampwise.storage.schema import id_counters, metadata
from crampwise.storage.types import UTCDateTime

PLANNED_PREFIX = "p"

planned_sessions = Table(
    "planned_sessions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="CASCADE"), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("start_utc", UTCDateTime(), nullable=False),
    Column("start_offset_min", Integer, nullable=False),
    Column("sport", String(32), nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("temperature_c", Float, nullable=False),
    Column("rpe", Float),
    # product name -> units carried
    Column("carry", JSON, nullable=False),
    UniqueConstraint("athlete_pk", "record_id", name="uq_planned_sessions_athlete_record"),
    Index("ix_planned_sessions_athlete_start", "athlete_pk", "start_utc"),
)

products = Table(
    "products",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="CASCADE"), nullable=False),
    Column("name", String(PRODUCT_NAME_CHARS), nullable=False),
    Column("name_key", String(PRODUCT_NAME_CHARS), nullable=False),
    Column("carbohydrate_g", Float, nullable=False),
    Column("sodium_mg", Float, nullable=False),
    Column("fluid_ml", Float, nullable=False),
    UniqueConstraint("athlete_pk", "name_key", name="uq_products_athlete_name_key"),
)


# --- planned sessions -------------------------------------------------------------------------


def _planned_from(row: Mapping[Any, Any]) -> PlannedSessionRecord:
    return PlannedSessionRecord(
        id=row["record_id"],
        start=local_time(row["start_utc"], row["start_offset_min"]),
        sport=row["sport"],
        duration_s=row["duration_s"],
        temperature_c=row["temperature_c"],
        rpe=row["rpe"],
        carry=dict(row["carry"] or {}),
    )


def next_planned_id(*, conn: Connection, athlete_pk: int) -> str:
    """The next free `p-0001`-style id of this athlete (the counter row locks until commit)."""
    where = (id_counters.c.athlete_pk == athlete_pk) & (id_counters.c.prefix == PLANNED_PREFIX)
    while True:
        bumped = conn.execute(
            update(id_counters).where(where).values(last_value=id_counters.c.last_value + 1)
        )
        if not bumped.rowcount:
            conn.execute(
                insert(id_counters).values(athlete_pk=athlete_pk, prefix=PLANNED_PREFIX, last_value=0)
            )
            continue
        value = conn.execute(select(id_counters.c.last_value).where(where)).scalar_one()
        candidate = f"{PLANNED_PREFIX}-{value:04d}"
        taken = conn.execute(
            select(planned_sessions.c.pk).where(
                (planned_sessions.c.athlete_pk == athlete_pk) & (planned_sessions.c.record_id == candidate)
            )
        ).first()
        if taken is None:
            return candidate


def insert_planned(*, conn: Connection, athlete_pk: int, planned: PlannedSessionRecord) -> None:
    if planned.id is None:
        raise ValueError("a planned session without an id cannot be stored")
    conn.execute(
        insert(planned_sessions).values(
            athlete_pk=athlete_pk,
            record_id=planned.id,
            start_utc=planned.start,
            start_offset_min=offset_min(planned.start),
            sport=planned.sport.value,
            duration_s=planned.duration_s,
            temperature_c=planned.temperature_c,
            rpe=planned.rpe,
            carry=dict(planned.carry),
        )
    )


def list_planned(
    *, conn: Connection, athlete_pk: int, starting_after: datetime | None = None
) -> list[PlannedSessionRecord]:
    """The athlete's planned sessions in start order (those starting after a moment, if given)."""
    where = planned_sessions.c.athlete_pk == athlete_pk
    if starting_after is not None:
        where = where & (planned_sessions.c.start_utc > starting_after)
    query = (
        select(planned_sessions)
        .where(where)
        .order_by(planned_sessions.c.start_utc, planned_sessions.c.record_id)
    )
    return [_planned_from(row._mapping) for row in conn.execute(query)]


def get_planned(*, conn: Connection, athlete_pk: int, planned_id: str) -> PlannedSessionRecord | None:
    row = conn.execute(
        select(planned_sessions).where(
            (planned_sessions.c.athlete_pk == athlete_pk) & (planned_sessions.c.record_id == planned_id)
        )
    ).first()
    return None if row is None else _planned_from(row._mapping)


def delete_planned(*, conn: Connection, athlete_pk: int, planned_id: str) -> bool:
    result = conn.execute(
        delete(planned_sessions).where(
            (planned_sessions.c.athlete_pk == athlete_pk) & (planned_sessions.c.record_id == planned_id)
        )
    )
    return bool(result.rowcount)


def drop_carried(*, conn: Connection, athlete_pk: int, name: str) -> list[str]:
    """Take a product off every planned session that carries it; returns their ids."""
    touched: list[str] = []
    rows = conn.execute(
        select(planned_sessions.c.pk, planned_sessions.c.record_id, planned_sessions.c.carry).where(
            planned_sessions.c.athlete_pk == athlete_pk
        )
    ).all()
    for row in rows:
        carry = dict(row.carry or {})
        kept = {k: v for k, v in carry.items() if product_key(k) != product_key(name)}
        if kept != carry:
            conn.execute(update(planned_sessions).where(planned_sessions.c.pk == row.pk).values(carry=kept))
            touched.append(str(row.record_id))
    return touched


# --- products -----------------------------------------------------------------------------------


def _product_from(row: Mapping[Any, Any]) -> Product:
    return Product(
        name=row["name"],
        carbohydrate_g=row["carbohydrate_g"],
        sodium_mg=row["sodium_mg"],
        fluid_ml=row["fluid_ml"],
    )


def list_products(*, conn: Connection, athlete_pk: int) -> list[Product]:
    """The athlete's products by name."""
    query = select(products).where(products.c.athlete_pk == athlete_pk).order_by(products.c.name_key)
    return [_product_from(row._mapping) for row in conn.execute(query)]


def get_product(*, conn: Connection, athlete_pk: int, name: str) -> Product | None:
    row = conn.execute(
        select(products).where(
            (products.c.athlete_pk == athlete_pk) & (products.c.name_key == product_key(name))
        )
    ).first()
    return None if row is None else _product_from(row._mapping)


def upsert_product(*, conn: Connection, athlete_pk: int, product: Product) -> bool:
    """Store a product, replacing one of the same name; True when it was new."""
    values = {
        "name": product.name,
        "carbohydrate_g": product.carbohydrate_g,
        "sodium_mg": product.sodium_mg,
        "fluid_ml": product.fluid_ml,
    }
    key = product_key(product.name)
    changed = conn.execute(
        update(products)
        .where((products.c.athlete_pk == athlete_pk) & (products.c.name_key == key))
        .values(**values)
    )
    if changed.rowcount:
        return False
    conn.execute(insert(products).values(athlete_pk=athlete_pk, name_key=key, **values))
    return True


def delete_product(*, conn: Connection, athlete_pk: int, name: str) -> bool:
    result = conn.execute(
        delete(products).where(
            (products.c.athlete_pk == athlete_pk) & (products.c.name_key == product_key(name))
        )
    )
    return bool(result.rowcount)

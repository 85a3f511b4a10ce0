"""The tables of the journal (SQLAlchemy 2 Core), one row per record of the bundle contract.

Design:
- every table has a surrogate `pk`; records keep their contract id in `record_id`, unique per
  athlete (two athletes may both have `s-0001`, CONTRACTS.md section 3);
- times are stored as UTC (`UTCDateTime`) plus the UTC offset in minutes the athlete saw, so
  `2026-05-01T07:30:00+02:00` comes back exactly as it was logged;
- `id_counters` hands out the next `c-0001`-style id per athlete and kind; its row is locked
  by the `UPDATE` that increments it, which keeps concurrent writers from taking the same id.

Other storage modules add their tables to the same `metadata` and list their module in
`TABLE_MODULES`, so migrations and the "upgrade head matches the tables" test see them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from crampwise.storage.types import UTCDateTime

# Modules that define tables on `metadata`; imported by migrations and the schema test.
TABLE_MODULES: tuple[str, ...] = (
    "crampwise.storage.schema",
    "crampwise.storage.series",
    "crampwise.storage.sync",
    "crampwise.storage.accounts",
    "crampwise.storage.credentials",
    "crampwise.storage.consent",
    "crampwise.storage.import_jobs",
    "crampwise.storage.planned",
    "crampwise.storage.reminders",
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _athlete_fk() -> Column[int]:
    return Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="CASCADE"), nullable=False)


athletes = Table(
    "athletes",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("sex", String(16)),
    Column("birth_year", Integer),
    Column("body_mass_kg", Float),
    Column("max_hr", Integer),
    Column("timezone", String(64), nullable=False),
    Column("sweat_sodium_mmol_l", Float),
    Column("units", String(16), nullable=False),
    Column("journal_started", Date),
    # The athlete commands act on when the store holds several and none is named (at most one).
    Column("is_default", Boolean, server_default=false(), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _athlete_fk(),
    Column("record_id", String(64), nullable=False),
    Column("start_utc", UTCDateTime(), nullable=False),
    Column("start_offset_min", Integer, nullable=False),
    Column("sport", String(32), nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("distance_m", Float),
    Column("elevation_gain_m", Float),
    Column("avg_hr", Float),
    Column("max_hr", Float),
    Column("rpe", Float),
    Column("temperature_c", Float),
    Column("humidity_pct", Float),
    Column("warmup_min", Float),
    Column("cooldown_min", Float),
    Column("pre_mass_kg", Float),
    Column("post_mass_kg", Float),
    Column("fluid_ml", Float),
    Column("sodium_mg", Float),
    Column("urine_ml", Float),
    Column("notes", Text),
    Column("source", String(500)),
    Column("plan_followed", Boolean),
    # 0004_import_fidelity: what an imported file says beyond the contract's fields
    Column("moving_time_s", Float),
    Column("event_id", String(64)),
    Column("recovered", Boolean),
    Column("date_inferred", Boolean),
    Column("name", String(200)),
    Column("description", Text),
    Column("gear", String(200)),
    # 0008_own_factors: the athlete's own session factors, {name: true|false|number}
    Column("tags", JSON),
    UniqueConstraint("athlete_pk", "record_id", name="uq_sessions_athlete_record"),
    Index("ix_sessions_athlete_start", "athlete_pk", "start_utc"),
)

cramps = Table(
    "cramps",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _athlete_fk(),
    Column("record_id", String(64), nullable=False),
    Column("at_utc", UTCDateTime(), nullable=False),
    Column("at_offset_min", Integer, nullable=False),
    Column("muscle", String(32), nullable=False),
    Column("side", String(16)),
    Column("severity", Integer),
    Column("duration_s", Float),
    Column("context", String(32), nullable=False),
    # The contract id of the linked session (not a foreign key: ids are the athlete's, and a
    # deleted session unlinks its cramps in the service).
    Column("session_id", String(64)),
    Column("relief", JSON, nullable=False),
    Column("relief_worked", Boolean),
    Column("symptoms", JSON, nullable=False),
    Column("notes", Text),
    UniqueConstraint("athlete_pk", "record_id", name="uq_cramps_athlete_record"),
    Index("ix_cramps_athlete_at", "athlete_pk", "at_utc"),
)

days = Table(
    "days",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _athlete_fk(),
    Column("date", Date, nullable=False),
    Column("sleep_h", Float),
    Column("fluid_ml", Float),
    Column("alcohol_units", Float),
    Column("fatigue", Float),
    Column("notes", Text),
    # 0008_own_factors: recovery from a wearable or typed, own day factors, what an import filled
    Column("sleep_quality", Float),
    Column("resting_hr", Float),
    Column("hrv_ms", Float),
    Column("tags", JSON),
    Column("imported_fields", JSON),
    UniqueConstraint("athlete_pk", "date", name="uq_days_athlete_date"),
)

# 0008_own_factors: the athlete's own factors (CONTRACTS.md section 3 addition), one row each.
factors = Table(
    "factors",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _athlete_fk(),
    Column("name", String(40), nullable=False),
    Column("level", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    UniqueConstraint("athlete_pk", "name", name="uq_factors_athlete_name"),
)

medications = Table(
    "medications",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _athlete_fk(),
    Column("record_id", String(64), nullable=False),
    Column("name", String(120), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("started", Date, nullable=False),
    Column("stopped", Date),
    UniqueConstraint("athlete_pk", "record_id", name="uq_medications_athlete_record"),
)

id_counters = Table(
    "id_counters",
    metadata,
    Column("athlete_pk", Integer, ForeignKey("athletes.pk", ondelete="CASCADE"), primary_key=True),
    Column("prefix", String(8), primary_key=True),
    Column("last_value", Integer, nullable=False),
)

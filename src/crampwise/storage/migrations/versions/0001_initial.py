"""The journal's tables: athletes, sessions, cramps, days, medications, id counters.

Times are stored as naive UTC (crampwise's UTCDateTime column type) plus the athlete's UTC
offset in minutes. Later revisions add tables with `0002_...`, `0003_...`; none drops data.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "athletes",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("body_mass_kg", sa.Float(), nullable=True),
        sa.Column("max_hr", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("sweat_sodium_mmol_l", sa.Float(), nullable=True),
        sa.Column("units", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_athletes")),
        sa.UniqueConstraint("name", name=op.f("uq_athletes_name")),
    )
    op.create_table(
        "cramps",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("at_utc", sa.DateTime(), nullable=False),
        sa.Column("at_offset_min", sa.Integer(), nullable=False),
        sa.Column("muscle", sa.String(length=32), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("context", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=True),
        sa.Column("relief", sa.JSON(), nullable=False),
        sa.Column("relief_worked", sa.Boolean(), nullable=True),
        sa.Column("symptoms", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["athlete_pk"], ["athletes.pk"], name=op.f("fk_cramps_athlete_pk_athletes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_cramps")),
        sa.UniqueConstraint("athlete_pk", "record_id", name="uq_cramps_athlete_record"),
    )
    with op.batch_alter_table("cramps", schema=None) as batch_op:
        batch_op.create_index("ix_cramps_athlete_at", ["athlete_pk", "at_utc"], unique=False)

    op.create_table(
        "days",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("sleep_h", sa.Float(), nullable=True),
        sa.Column("fluid_ml", sa.Float(), nullable=True),
        sa.Column("alcohol_units", sa.Float(), nullable=True),
        sa.Column("fatigue", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["athlete_pk"], ["athletes.pk"], name=op.f("fk_days_athlete_pk_athletes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_days")),
        sa.UniqueConstraint("athlete_pk", "date", name="uq_days_athlete_date"),
    )
    op.create_table(
        "id_counters",
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=8), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_pk"],
            ["athletes.pk"],
            name=op.f("fk_id_counters_athlete_pk_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_pk", "prefix", name=op.f("pk_id_counters")),
    )
    op.create_table(
        "medications",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("started", sa.Date(), nullable=False),
        sa.Column("stopped", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["athlete_pk"],
            ["athletes.pk"],
            name=op.f("fk_medications_athlete_pk_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_medications")),
        sa.UniqueConstraint("athlete_pk", "record_id", name="uq_medications_athlete_record"),
    )
    op.create_table(
        "sessions",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("start_utc", sa.DateTime(), nullable=False),
        sa.Column("start_offset_min", sa.Integer(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("elevation_gain_m", sa.Float(), nullable=True),
        sa.Column("avg_hr", sa.Float(), nullable=True),
        sa.Column("max_hr", sa.Float(), nullable=True),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("temperature_c", sa.Float(), nullable=True),
        sa.Column("humidity_pct", sa.Float(), nullable=True),
        sa.Column("warmup_min", sa.Float(), nullable=True),
        sa.Column("cooldown_min", sa.Float(), nullable=True),
        sa.Column("pre_mass_kg", sa.Float(), nullable=True),
        sa.Column("post_mass_kg", sa.Float(), nullable=True),
        sa.Column("fluid_ml", sa.Float(), nullable=True),
        sa.Column("sodium_mg", sa.Float(), nullable=True),
        sa.Column("urine_ml", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("plan_followed", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["athlete_pk"], ["athletes.pk"], name=op.f("fk_sessions_athlete_pk_athletes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_sessions")),
        sa.UniqueConstraint("athlete_pk", "record_id", name="uq_sessions_athlete_record"),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index("ix_sessions_athlete_start", ["athlete_pk", "start_utc"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("crampwise never drops a store's tables; restore a backup instead")

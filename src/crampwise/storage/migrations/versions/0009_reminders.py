"""Planned sessions, the athlete's products, reminders (calendar feed, daily check-in) and web push.

Revision ID: 0009_reminders
Revises: 0008_own_factors
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_reminders"
down_revision: str | None = "0008_own_factors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _athlete_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["athlete_pk"], ["athletes.pk"], name=op.f(f"fk_{table}_athlete_pk_athletes"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "planned_sessions",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("start_utc", sa.DateTime(), nullable=False),
        sa.Column("start_offset_min", sa.Integer(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("temperature_c", sa.Float(), nullable=False),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("carry", sa.JSON(), nullable=False),
        _athlete_fk("planned_sessions"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_planned_sessions")),
        sa.UniqueConstraint("athlete_pk", "record_id", name="uq_planned_sessions_athlete_record"),
    )
    op.create_index(
        "ix_planned_sessions_athlete_start", "planned_sessions", ["athlete_pk", "start_utc"], unique=False
    )
    op.create_table(
        "products",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_key", sa.String(length=60), nullable=False),
        sa.Column("carbohydrate_g", sa.Float(), nullable=False),
        sa.Column("sodium_mg", sa.Float(), nullable=False),
        sa.Column("fluid_ml", sa.Float(), nullable=False),
        _athlete_fk("products"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_products")),
        sa.UniqueConstraint("athlete_pk", "name_key", name="uq_products_athlete_name_key"),
    )
    op.create_table(
        "reminder_settings",
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("feed_token_sha256", sa.String(length=64), nullable=True),
        sa.Column("feed_created_utc", sa.DateTime(), nullable=True),
        sa.Column("checkin_time", sa.String(length=5), nullable=True),
        sa.Column("checkin_sent_on", sa.Date(), nullable=True),
        _athlete_fk("reminder_settings"),
        sa.PrimaryKeyConstraint("athlete_pk", name=op.f("pk_reminder_settings")),
        sa.UniqueConstraint("feed_token_sha256", name=op.f("uq_reminder_settings_feed_token_sha256")),
    )
    op.create_table(
        "push_subscriptions",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("endpoint_sha256", sa.String(length=64), nullable=False),
        sa.Column("p256dh", sa.String(length=200), nullable=False),
        sa.Column("auth", sa.String(length=100), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.Column("last_sent_utc", sa.DateTime(), nullable=True),
        _athlete_fk("push_subscriptions"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("endpoint_sha256", name="uq_push_subscriptions_endpoint_sha256"),
    )
    op.create_table(
        "push_keys",
        sa.Column("pk", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_push_keys")),
    )


def downgrade() -> None:
    raise NotImplementedError("crampwise never drops a store's tables; restore a backup instead")

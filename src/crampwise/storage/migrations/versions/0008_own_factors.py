"""The athlete's own factors and their tags; recovery data of days (issue 16).

Revision ID: 0008_own_factors
Revises: 0007_jobs
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_own_factors"
down_revision: str | None = "0007_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "factors",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_pk"], ["athletes.pk"], name=op.f("fk_factors_athlete_pk_athletes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_factors")),
        sa.UniqueConstraint("athlete_pk", "name", name="uq_factors_athlete_name"),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tags", sa.JSON(), nullable=True))
    with op.batch_alter_table("days", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sleep_quality", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("resting_hr", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("hrv_ms", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("tags", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("imported_fields", sa.JSON(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("crampwise never drops a store's tables; restore a backup instead")

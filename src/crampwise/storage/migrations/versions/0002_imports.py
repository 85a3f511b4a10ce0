"""Imported activities: compressed series per session and the hashes of imported files.

Revision ID: 0002_imports
Revises: 0001_initial
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_imports"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "session_series",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("n_samples", sa.Integer(), nullable=False),
        sa.Column("start_utc", sa.DateTime(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("source_format", sa.String(length=16), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_pk"],
            ["athletes.pk"],
            name=op.f("fk_session_series_athlete_pk_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_session_series")),
        sa.UniqueConstraint("athlete_pk", "session_id", name="uq_session_series_athlete_session"),
    )
    with op.batch_alter_table("session_series", schema=None) as batch_op:
        batch_op.create_index("ix_session_series_athlete_start", ["athlete_pk", "start_utc"], unique=False)
    op.create_table(
        "imported_files",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("session_ids", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_pk"],
            ["athletes.pk"],
            name=op.f("fk_imported_files_athlete_pk_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_imported_files")),
        sa.UniqueConstraint("athlete_pk", "content_sha256", name="uq_imported_files_athlete_hash"),
    )


def downgrade() -> None:
    raise NotImplementedError("crampwise never drops a store's tables; restore a backup instead")

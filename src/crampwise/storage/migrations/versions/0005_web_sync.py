"""Idempotency keys of the web app's offline sync (`Idempotency-Key` on POST).

Revision ID: 0005_web_sync
Revises: 0004_import_fidelity
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_web_sync"
down_revision: str | None = "0004_import_fidelity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_keys",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("record", sa.JSON(), nullable=True),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_pk"],
            ["athletes.pk"],
            name=op.f("fk_sync_keys_athlete_pk_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_sync_keys")),
        sa.UniqueConstraint("athlete_pk", "key", name="uq_sync_keys_athlete_key"),
    )


def downgrade() -> None:
    raise NotImplementedError("crampwise never drops a store's tables; restore a backup instead")

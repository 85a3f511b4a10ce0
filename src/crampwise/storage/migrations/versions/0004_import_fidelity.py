"""Import fidelity: moving time, multisport events, recovered and date-inferred sessions, names.

Revision ID: 0004_import_fidelity
Revises: 0003_journal
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_import_fidelity"
down_revision: str | None = "0003_journal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moving_time_s", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("event_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("recovered", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("date_inferred", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("gear", sa.String(length=200), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("crampwise never drops a store's columns; restore a backup instead")

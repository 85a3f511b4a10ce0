"""The journal as a new user meets it: when the cramp journal started, and the default athlete.

Revision ID: 0003_journal
Revises: 0002_imports

- `athletes.journal_started`: the date from which the athlete logs cramps; sessions and days
  before it are not cramp-free time (CONTRACTS.md section 3 addition). Existing athletes keep
  NULL (unknown: their whole record counts, as before).
- `athletes.is_default`: the athlete commands act on when a store holds several and none is
  named (one at most, kept so by the journal service).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_journal"
down_revision: str | None = "0002_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("athletes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("journal_started", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    raise NotImplementedError("crampwise never drops a store's columns; restore a backup instead")

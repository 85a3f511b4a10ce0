"""Background imports of server mode: jobs, their uploaded files and per-file results, and the
version of the job queue's own schema.

The job queue's tables (procrastinate's) are not created here: they belong to the installed
procrastinate release and are installed or upgraded by `crampwise.storage.queue.prepare`
(run by `crampwise worker` and `crampwise serve --multi-user`), which records the version in
`queue_schema`.

Revision ID: 0007_jobs
Revises: 0006_accounts
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_jobs"
down_revision: str | None = "0006_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("files_total", sa.Integer(), nullable=False),
        sa.Column("upload_bytes", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.Column("started_utc", sa.DateTime(), nullable=True),
        sa.Column("finished_utc", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["athlete_pk"],
            ["athletes.pk"],
            name=op.f("fk_import_jobs_athlete_pk_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_import_jobs")),
        sa.UniqueConstraint("public_id", name=op.f("uq_import_jobs_public_id")),
    )
    op.create_table(
        "import_job_files",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_pk"],
            ["import_jobs.pk"],
            name=op.f("fk_import_job_files_job_pk_import_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_import_job_files")),
        sa.UniqueConstraint("job_pk", "position", name="uq_import_job_files_job_position"),
    )
    op.create_table(
        "import_job_results",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_pk"],
            ["import_jobs.pk"],
            name=op.f("fk_import_job_results_job_pk_import_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_import_job_results")),
        sa.UniqueConstraint("job_pk", "position", name="uq_import_job_results_job_position"),
    )
    op.create_table(
        "queue_schema",
        sa.Column("component", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("applied_utc", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("component", name=op.f("pk_queue_schema")),
    )


def downgrade() -> None:
    raise NotImplementedError("crampwise never drops a store's tables; restore a backup instead")

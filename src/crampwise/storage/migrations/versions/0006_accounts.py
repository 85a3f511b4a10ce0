"""Server mode: accounts, sessions, API tokens, passkeys, failed sign-ins, grants, access log.

Revision ID: 0006_accounts
Revises: 0005_web_sync
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_accounts"
down_revision: str | None = "0005_web_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _pk() -> sa.Column[int]:
    return sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False)


def _to_accounts(table: str, column: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["accounts.pk"], name=op.f(f"fk_{table}_{column}_accounts"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "login_failures",
        _pk(),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("at_utc", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_scope_key_at", "login_failures", ["scope", "key", "at_utc"])
    op.create_table(
        "accounts",
        _pk(),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("athlete_pk", sa.Integer(), nullable=True),
        sa.Column("second_factor", sa.Boolean(), nullable=False),
        sa.Column("webauthn_user_id", sa.String(length=64), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.Column("password_changed_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_pk"], ["athletes.pk"], name=op.f("fk_accounts_athlete_pk_athletes"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_accounts")),
        sa.UniqueConstraint("athlete_pk", name=op.f("uq_accounts_athlete_pk")),
        sa.UniqueConstraint("username", name=op.f("uq_accounts_username")),
        sa.UniqueConstraint("webauthn_user_id", name=op.f("uq_accounts_webauthn_user_id")),
    )
    op.create_table(
        "access_log",
        _pk(),
        sa.Column("owner_pk", sa.Integer(), nullable=False),
        sa.Column("reader_pk", sa.Integer(), nullable=True),
        sa.Column("reader_name", sa.String(length=40), nullable=False),
        sa.Column("reader_role", sa.String(length=16), nullable=False),
        sa.Column("at_utc", sa.DateTime(), nullable=False),
        sa.Column("what", sa.String(length=200), nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        _to_accounts("access_log", "owner_pk"),
        _to_accounts("access_log", "reader_pk", "SET NULL"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_access_log")),
    )
    op.create_index("ix_access_log_owner_at", "access_log", ["owner_pk", "at_utc"])
    op.create_table(
        "api_tokens",
        _pk(),
        sa.Column("account_pk", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.Column("expires_utc", sa.DateTime(), nullable=False),
        sa.Column("revoked_utc", sa.DateTime(), nullable=True),
        sa.Column("last_used_utc", sa.DateTime(), nullable=True),
        _to_accounts("api_tokens", "account_pk"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_tokens_token_sha256")),
    )
    op.create_index("ix_api_tokens_account_pk", "api_tokens", ["account_pk"])
    op.create_table(
        "auth_sessions",
        _pk(),
        sa.Column("account_pk", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.Column("expires_utc", sa.DateTime(), nullable=False),
        sa.Column("last_seen_utc", sa.DateTime(), nullable=False),
        _to_accounts("auth_sessions", "account_pk"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_auth_sessions")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_auth_sessions_token_sha256")),
    )
    op.create_index("ix_auth_sessions_account_pk", "auth_sessions", ["account_pk"])
    op.create_table(
        "grants",
        _pk(),
        sa.Column("owner_pk", sa.Integer(), nullable=False),
        sa.Column("grantee_pk", sa.Integer(), nullable=False),
        sa.Column("granted_utc", sa.DateTime(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("ends_utc", sa.DateTime(), nullable=True),
        sa.Column("revoked_utc", sa.DateTime(), nullable=True),
        _to_accounts("grants", "grantee_pk"),
        _to_accounts("grants", "owner_pk"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_grants")),
        sa.UniqueConstraint("owner_pk", "grantee_pk", name="uq_grants_owner_grantee"),
    )
    op.create_index("ix_grants_grantee_pk", "grants", ["grantee_pk"])
    op.create_table(
        "passkeys",
        _pk(),
        sa.Column("account_pk", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.String(length=700), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.Integer(), nullable=False),
        sa.Column("transports", sa.JSON(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.Column("last_used_utc", sa.DateTime(), nullable=True),
        _to_accounts("passkeys", "account_pk"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_passkeys")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_passkeys_credential_id")),
    )
    op.create_index("ix_passkeys_account_pk", "passkeys", ["account_pk"])
    op.create_table(
        "webauthn_challenges",
        _pk(),
        sa.Column("challenge", sa.String(length=128), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("account_pk", sa.Integer(), nullable=True),
        sa.Column("expires_utc", sa.DateTime(), nullable=False),
        _to_accounts("webauthn_challenges", "account_pk"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_webauthn_challenges")),
        sa.UniqueConstraint("challenge", name=op.f("uq_webauthn_challenges_challenge")),
    )


def downgrade() -> None:
    raise NotImplementedError("crampwise never drops a store's tables; restore a backup instead")

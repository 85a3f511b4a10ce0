"""Schema upgrades with the Alembic migrations shipped in this package (never a `drop`).

`upgrade(engine)` is cheap when the store is current (one read of `alembic_version`); when
it is not, it runs the missing migrations in one transaction that other processes wait for:
SQLite's `BEGIN IMMEDIATE` write lock, PostgreSQL's transaction-level advisory lock. So two
commands started at once on a fresh store cannot both create the tables.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, text

from crampwise.storage.schema import TABLE_MODULES, metadata

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any constant the other users of a shared PostgreSQL database are unlikely to pick.
PG_MIGRATION_LOCK = 0x6372616D70  # "cramp"


def target_metadata() -> MetaData:
    """The metadata with every crampwise table registered (each module of TABLE_MODULES)."""
    for module in TABLE_MODULES:
        importlib.import_module(module)
    return metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations, optionally bound to `connection`."""
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def is_current(engine: Engine) -> bool:
    with engine.connect().execution_options(crampwise_readonly=True) as connection:
        return current_revision(connection) == head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the store's schema to `revision` (default: the newest), waiting for other upgraders."""
    if revision == "head" and is_current(engine):
        return
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # Table rebuilds of batch migrations must not fire ON DELETE CASCADE: foreign keys
            # off for the upgrade (the pragma is ignored inside a transaction, hence here).
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                if not sqlite:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
                command.upgrade(alembic_config(connection), revision)
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]

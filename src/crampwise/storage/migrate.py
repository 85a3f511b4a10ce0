"""Schema upgrades with the Alembic migrations shipped in this package (never a `drop`).

`upgrade(engine)` is cheap when the store is current (one read of `alembic_version`, no
import of Alembic: the head is read from the version files); when
it is not, it runs the missing migrations in one transaction that other processes wait for:
SQLite's `BEGIN IMMEDIATE` write lock, PostgreSQL's transaction-level advisory lock. So two
commands started at once on a fresh store cannot both create the tables.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, MetaData, inspect, text

from crampwise import faults
from crampwise.domain.errors import StoreError
from crampwise.storage.schema import TABLE_MODULES, metadata

if TYPE_CHECKING:
    from alembic.config import Config

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
    from alembic.config import Config

    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest revision, as Alembic computes it."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The store's revision, as Alembic reads it."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


_REVISION = re.compile(r"^revision(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?::[^=]*)?=\s*(?:None|[\"']([^\"']+)[\"'])", re.MULTILINE)


@cache
def known_revisions() -> frozenset[str]:
    """Every revision this crampwise ships, read from the version files (no Alembic import)."""
    found = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        match = _REVISION.search(path.read_text(encoding="utf-8"))
        if match is not None:
            found.add(match.group(1))
    return frozenset(found)


def refuse_newer(current: str | None) -> None:
    """`StoreError` when the store's revision is one this crampwise does not know: a newer
    crampwise wrote it, and migrating (or even reading) it could misread or damage it."""
    if current is not None and current not in known_revisions():
        raise StoreError(
            f"this store was written by a newer crampwise (schema {current}; this crampwise knows up to "
            f"{quick_head_revision() or 'its own'}): upgrade crampwise to use it; the store was not changed"
        )


@cache
def quick_head_revision() -> str | None:
    """The head read straight from the version files, without importing Alembic (~0.1 s).

    Only for the "is the store current?" check of every command; None when the chain is not a
    single line, which sends the caller to Alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            return None
        revisions.add(found.group(1))
        down = _DOWN_REVISION.search(source)
        if down is not None and down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def quick_current_revision(connection: Connection) -> str | None:
    """The store's revision with one plain query (None for an empty store)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return versions[0] if len(versions) == 1 else None


def is_current(engine: Engine) -> bool:
    """Whether the store is at the newest revision (cheap: no Alembic import); `StoreError`
    when a newer crampwise wrote it."""
    head = quick_head_revision()
    if head is None:
        return False
    with engine.connect().execution_options(crampwise_readonly=True) as connection:
        current = quick_current_revision(connection)
    refuse_newer(current)
    return current == head


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
            from alembic import command

            with connection.begin():
                if not sqlite:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
                refuse_newer(quick_current_revision(connection))
                command.upgrade(alembic_config(connection), revision)
            faults.checkpoint("committed")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]

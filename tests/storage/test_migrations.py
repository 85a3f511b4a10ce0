"""Migrations: `upgrade head` builds exactly the tables of schema.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from crampwise.storage.engine import make_engine
from crampwise.storage.migrate import (
    MIGRATIONS_DIR,
    alembic_config,
    current_revision,
    head_revision,
    is_current,
    quick_current_revision,
    quick_head_revision,
    target_metadata,
    upgrade,
)


def test_upgrade_head_matches_the_table_definitions(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, target_metadata())
            assert diff == []
            assert current_revision(conn) == head_revision()
            assert quick_current_revision(conn) == head_revision()
            tables = set(inspect(conn).get_table_names())
        assert {"athletes", "sessions", "cramps", "days", "medications", "id_counters"} <= tables
        assert set(target_metadata().tables) | {"alembic_version"} == tables
    finally:
        engine.dispose()


def test_upgrade_is_idempotent_and_cheap_when_current(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        assert not is_current(engine)
        upgrade(engine)
        assert is_current(engine)
        upgrade(engine)  # a second run finds nothing to do
        assert is_current(engine)
    finally:
        engine.dispose()


def test_revisions_are_ordinal_linear_and_never_drop_tables() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = list(script.walk_revisions(base="base", head="heads"))
    assert len(script.get_heads()) == 1
    ids = [r.revision for r in reversed(revisions)]
    # Consecutive ordinals, each revising the one before (parallel branches are re-chained on
    # merge).
    assert ids[0] == "0001_initial"
    ordinals = []
    for revision in ids:
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+", revision), revision
        ordinals.append(int(revision[:4]))
    assert ordinals == list(range(1, len(ids) + 1)), ids
    assert [r.down_revision for r in reversed(revisions)] == [None, *ids[:-1]]
    assert len(ids) == len(list((MIGRATIONS_DIR / "versions").glob("[0-9]*.py")))
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        upgrade_source = path.read_text().split("def downgrade", 1)[0]
        assert "drop_table" not in upgrade_source, path.name
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+\.py", path.name), path.name


def test_migrations_ship_inside_the_package() -> None:
    assert MIGRATIONS_DIR.is_dir()
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert Path(MIGRATIONS_DIR / "versions" / "0001_initial.py").is_file()


@pytest.mark.parametrize("url", ["sqlite://"])
def test_in_memory_store_upgrades(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine)
        assert is_current(engine)
    finally:
        engine.dispose()


def test_the_quick_head_agrees_with_alembic() -> None:
    assert quick_head_revision() == head_revision()
    assert quick_head_revision() is not None

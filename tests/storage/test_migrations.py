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


def chain_problems(revisions: list[tuple[str, str | tuple[str, ...] | None]]) -> list[str]:
    """What is wrong with a chain of (revision, down_revision): empty when it is one line from
    `0001_initial` to a single head with increasing ordinals. Gaps in the ordinals are allowed
    while parallel branches are in flight (0005 -> 0007 until 0006 lands and is re-chained)."""
    problems = []
    ids = {revision for revision, _down in revisions}
    children: dict[str | None, list[str]] = {}
    for revision, down in revisions:
        if not re.fullmatch(r"\d{4}_[a-z0-9_]+", revision):
            problems.append(f"{revision}: not an ordinal id NNNN_words")
        if isinstance(down, tuple):
            problems.append(f"{revision}: a merge of {down}: re-chain the branches instead")
            continue
        if down is not None and down not in ids:
            problems.append(f"{revision}: its down_revision {down} is missing")
        children.setdefault(down, []).append(revision)
    heads = sorted(ids - {down for _r, down in revisions if isinstance(down, str)})
    if len(heads) != 1:
        problems.append(f"{len(heads)} heads: {heads}")
    for parent, kids in children.items():
        if len(kids) > 1:
            problems.append(f"{parent} has {len(kids)} children: {sorted(kids)}")
    chain, current = [], children.get(None, [None])[0]
    while current is not None:
        chain.append(current)
        current = (children.get(current) or [None])[0]
    if chain[:1] != ["0001_initial"]:
        problems.append(f"the chain starts at {chain[:1]}, not 0001_initial")
    numbers = [int(r[:4]) for r in chain if r[:4].isdigit()]
    if numbers != sorted(set(numbers)):
        problems.append(f"ordinals do not increase along the chain: {chain}")
    if len(chain) != len(revisions):
        problems.append(f"{len(revisions) - len(chain)} revisions are off the chain")
    return problems


def test_revisions_are_ordinal_linear_and_never_drop_tables() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [(r.revision, r.down_revision) for r in script.walk_revisions(base="base", head="heads")]
    assert chain_problems(revisions) == []
    assert len(script.get_heads()) == 1
    files = list((MIGRATIONS_DIR / "versions").glob("*.py"))
    assert len(files) == len(revisions)  # every migration file is on the chain
    for path in files:
        upgrade_source = path.read_text().split("def downgrade", 1)[0]
        assert "drop_table" not in upgrade_source, path.name
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+\.py", path.name), path.name


@pytest.mark.parametrize(
    ("chain", "problem"),
    [
        ([("0001_initial", None), ("0002_a", "0001_initial"), ("0003_b", "0001_initial")], "2 heads"),
        (
            [("0001_initial", None), ("0003_b", "0001_initial"), ("0002_a", "0003_b")],
            "ordinals do not increase",
        ),
        (
            [("0001_initial", None), ("0002_a", "0001_initial"), ("0003_m", ("0002_a", "0001_initial"))],
            "a merge",
        ),
        ([("0001_initial", None), ("0002_a", "0009_gone")], "is missing"),
        ([("0001_initial", None), ("2_a", "0001_initial")], "not an ordinal id"),
    ],
)
def test_the_chain_check_refuses_two_heads_and_falling_ordinals(
    chain: list[tuple[str, str | tuple[str, ...] | None]], problem: str
) -> None:
    assert any(problem in found for found in chain_problems(chain)), chain_problems(chain)


def test_the_chain_check_allows_gaps_while_branches_are_in_flight() -> None:
    chain: list[tuple[str, str | tuple[str, ...] | None]] = [
        ("0001_initial", None),
        ("0002_imports", "0001_initial"),
        ("0005_web_sync", "0002_imports"),
        ("0007_jobs", "0005_web_sync"),
    ]
    assert chain_problems(chain) == []


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

"""Shared fixtures: a fresh store per test, on SQLite and (when available) real PostgreSQL.

- `settings` / `ctx`: a Settings on a fresh temp SQLite file, and an open AppContext on it.
- `store_url`: parametrised over SQLite and, when `CRAMPWISE_TEST_POSTGRES_URL` is set,
  PostgreSQL (marked `postgres`); each PostgreSQL test gets its own schema, dropped after,
  so tests are isolated and safe under pytest-xdist.
- `store_settings` / `store_ctx`: like `settings` / `ctx` on `store_url`.
- `now`: a fixed aware "now" for services that take one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from crampwise.config import Settings
from crampwise.services.context import AppContext, open_context

POSTGRES_ENV = "CRAMPWISE_TEST_POSTGRES_URL"
FIXED_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return FIXED_NOW


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'crampwise.db'}", data_dir=tmp_path)


@pytest.fixture
def ctx(settings: Settings) -> Iterator[AppContext]:
    with open_context(settings) as context:
        yield context


def _postgres_schema_url(base_url: str) -> Iterator[str]:
    """A URL whose search_path is a new, empty schema; the schema is dropped afterwards."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base_url else "?"
        yield f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crampwise.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set (run under scripts/with-postgres.sh)")
    yield from _postgres_schema_url(base)


@pytest.fixture
def store_settings(store_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=store_url, data_dir=tmp_path)


@pytest.fixture
def store_ctx(store_settings: Settings) -> Iterator[AppContext]:
    with open_context(store_settings) as context:
        yield context

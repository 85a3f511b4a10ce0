"""Shared fixtures: a fresh store per test, on SQLite and (when available) real PostgreSQL.

- `settings` / `ctx`: a Settings on a fresh temp SQLite file, and an open AppContext on it.
- `store_url`: parametrised over SQLite and, when `CRAMPWISE_TEST_POSTGRES_URL` is set,
  PostgreSQL (marked `postgres`); each PostgreSQL test gets its own schema, dropped after,
  so tests are isolated and safe under pytest-xdist.
- `store_settings` / `store_ctx`: like `settings` / `ctx` on `store_url`.
- `now`: a fixed aware "now" for services that take one.
- `sample_bundle`: a small valid bundle (dict) of the athlete Ana.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from crampwise.config import Settings
from crampwise.services.context import AppContext, open_context

POSTGRES_ENV = "CRAMPWISE_TEST_POSTGRES_URL"
FIXED_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
# Where in-process clients of a local-mode app send requests: a loopback Host, as a browser on this
# computer would (local mode refuses any other Host; TestClient's default is `testserver`).
LOCAL_URL = "http://127.0.0.1:8000"


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


def make_sample_bundle() -> dict[str, Any]:
    """A small valid bundle (the CONTRACTS.md section 3 example, two of each record)."""
    return {
        "format": "crampwise-bundle",
        "version": 1,
        "athlete": {
            "name": "Ana",
            "sex": "female",
            "birth_year": 1990,
            "body_mass_kg": 61.5,
            "max_hr": 188,
            "timezone": "Europe/Madrid",
            "sweat_sodium_mmol_l": None,
        },
        "sessions": [
            {
                "id": "s-0001",
                "start": "2026-05-01T07:30:00+02:00",
                "sport": "run",
                "duration_s": 5400,
                "distance_m": 18000,
                "avg_hr": 152,
                "rpe": 7,
                "temperature_c": 24.5,
                "warmup_min": 10,
                "cooldown_min": 0,
                "pre_mass_kg": 61.8,
                "post_mass_kg": 60.7,
                "fluid_ml": 750,
                "sodium_mg": 600,
                "notes": "",
            },
            {
                "id": "s-0002",
                "start": "2026-05-03T18:00:00-04:00",
                "sport": "ride",
                "duration_s": 7200,
                "distance_m": 60500.5,
                "notes": "travel week",
            },
        ],
        "cramps": [
            {
                "id": "c-0001",
                "at": "2026-05-01T08:55:00+02:00",
                "muscle": "calf",
                "side": "left",
                "severity": 7,
                "duration_s": 90,
                "context": "exercise",
                "session_id": "s-0001",
                "relief": ["stretch", "massage"],
                "relief_worked": True,
                "symptoms": [],
                "notes": "",
            },
            {
                "id": "c-0002",
                "at": "2026-05-04T03:10:00+02:00",
                "muscle": "foot",
                "side": "right",
                "severity": 4,
                "context": "sleep",
            },
        ],
        "days": [
            {
                "date": "2026-05-01",
                "sleep_h": 7.5,
                "fluid_ml": 2500,
                "alcohol_units": 0,
                "fatigue": 3,
                "notes": "",
            },
            {"date": "2026-05-03", "sleep_h": 5.5},
        ],
        "medications": [
            {"name": "hydrochlorothiazide", "kind": "diuretic", "started": "2026-03-01", "stopped": None}
        ],
    }


@pytest.fixture
def sample_bundle() -> dict[str, Any]:
    return make_sample_bundle()

"""Settings, built by `load_settings()` and passed down: never a module global.

The database comes from `--db`, else `CRAMPWISE_DATABASE_URL`, else a SQLite file in the
user's data directory (CONTRACTS.md section 1).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_DATABASE_URL = "CRAMPWISE_DATABASE_URL"
ENV_ATHLETE = "CRAMPWISE_ATHLETE"
ENV_DATA_DIR = "CRAMPWISE_DATA_DIR"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    athlete: str | None = None


def default_data_dir(env: Mapping[str, str]) -> Path:
    """`CRAMPWISE_DATA_DIR`, else the platform's user data directory for crampwise."""
    if env.get(ENV_DATA_DIR):
        return Path(env[ENV_DATA_DIR])
    import platformdirs  # imported here: only commands that open the store need it

    return Path(platformdirs.user_data_dir("crampwise", appauthor=False))


def load_settings(
    *,
    database_url: str | None = None,
    athlete: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Settings from explicit options first, then the environment, then defaults."""
    env = os.environ if env is None else env
    data_dir = default_data_dir(env)
    url = database_url or env.get(ENV_DATABASE_URL) or f"sqlite:///{data_dir / 'crampwise.db'}"
    return Settings(database_url=url, data_dir=data_dir, athlete=athlete or env.get(ENV_ATHLETE) or None)

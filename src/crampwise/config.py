"""Settings, built by `load_settings()` and passed down: never a module global.

The database comes from `--db`, else `CRAMPWISE_DATABASE_URL`, else a SQLite file in the
user's data directory (CONTRACTS.md section 1). The demo athlete lives in a store of its own
(`demo.db` beside the user's, `demo_database_url`), so it never gets in the way of the
user's own athlete; `--demo` (or `load_settings(demo=True)`) selects it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_DATABASE_URL = "CRAMPWISE_DATABASE_URL"
ENV_ATHLETE = "CRAMPWISE_ATHLETE"
ENV_DATA_DIR = "CRAMPWISE_DATA_DIR"
DATABASE_FILE = "crampwise.db"
DEMO_DATABASE_FILE = "demo.db"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    athlete: str | None = None
    # True when `database_url` was chosen by default (the user's data directory), not named.
    default_store: bool = False


def default_data_dir(env: Mapping[str, str]) -> Path:
    """`CRAMPWISE_DATA_DIR`, else the platform's user data directory for crampwise."""
    if env.get(ENV_DATA_DIR):
        return Path(env[ENV_DATA_DIR])
    import platformdirs  # imported here: only commands that open the store need it

    return Path(platformdirs.user_data_dir("crampwise", appauthor=False))


def demo_database_url(env: Mapping[str, str] | None = None) -> str:
    """The demo's own store: `demo.db` beside the user's default store (never the user's)."""
    data_dir = default_data_dir(os.environ if env is None else env)
    return f"sqlite:///{data_dir / DEMO_DATABASE_FILE}"


def local_zone_name() -> str:
    """This computer's IANA time zone (`Europe/Madrid`), or `UTC` when it cannot be told.

    The default zone of a new athlete: times typed without an offset are the athlete's local
    times, and a laptop's zone is a far better guess than UTC.
    """
    from zoneinfo import ZoneInfo

    env_zone = os.environ.get("TZ", "").removeprefix(":")  # read each time (tzlocal caches)
    try:
        if env_zone:
            ZoneInfo(env_zone)
            return env_zone
    except (ValueError, KeyError, OSError):  # not an IANA name (e.g. a POSIX rule): ask tzlocal
        pass
    try:
        from tzlocal import get_localzone_name

        name = get_localzone_name()
    except Exception:  # no zone configured, or one tzlocal cannot name: UTC is a safe default
        return "UTC"
    return name or "UTC"


def load_settings(
    *,
    database_url: str | None = None,
    athlete: str | None = None,
    env: Mapping[str, str] | None = None,
    demo: bool = False,
) -> Settings:
    """Settings from explicit options first, then the environment, then defaults.

    `demo` selects the demo's own store (`demo_database_url`) unless a URL is given.
    """
    env = os.environ if env is None else env
    data_dir = default_data_dir(env)
    named = database_url or (None if demo else env.get(ENV_DATABASE_URL))
    if named:
        url, default_store = named, False
    elif demo:
        url, default_store = demo_database_url(env), False
    else:
        url, default_store = f"sqlite:///{data_dir / DATABASE_FILE}", True
    return Settings(
        database_url=url,
        data_dir=data_dir,
        athlete=athlete or env.get(ENV_ATHLETE) or None,
        default_store=default_store,
    )

"""Settings, built by `load_settings()` and passed down: never a module global.

The database comes from `--db`, else `CRAMPWISE_DATABASE_URL`, else a SQLite file in the
user's data directory (CONTRACTS.md section 1). The demo athlete lives in a store of its own
(`demo.db` beside the user's, `demo_database_url`), so it never gets in the way of the
user's own athlete; `--demo` (or `load_settings(demo=True)`) selects it.

Server mode (`crampwise serve --multi-user`) is a flag here, read from
`CRAMPWISE_SERVER_MODE`, because the web processes are started by uvicorn and build their
settings from the environment the command set. In server mode several processes, on one host
or many, share nothing but the PostgreSQL store, and large uploads become background jobs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ENV_DATABASE_URL = "CRAMPWISE_DATABASE_URL"
ENV_ATHLETE = "CRAMPWISE_ATHLETE"
ENV_DATA_DIR = "CRAMPWISE_DATA_DIR"
DATABASE_FILE = "crampwise.db"
DEMO_DATABASE_FILE = "demo.db"
ENV_SERVER_MODE = "CRAMPWISE_SERVER_MODE"
ENV_SECRET_KEY = "CRAMPWISE_SECRET_KEY"
ENV_BACKGROUND_IMPORT_BYTES = "CRAMPWISE_BACKGROUND_IMPORT_BYTES"
# The pid of `crampwise serve`, for its web processes: they end when it does (see lifecycle).
ENV_SERVE_PID = "CRAMPWISE_SERVE_PID"

# An upload at least this large is imported by a background job in server mode: a phone's
# single FIT file (typically 0.1-2 MB) is imported while the athlete waits, an account export
# (hundreds of MB) is not. A crampwise convention, not a measurement of anyone's patience.
DEFAULT_BACKGROUND_IMPORT_BYTES: Final = 4 * 1024 * 1024
MIN_SECRET_KEY_CHARS: Final = 32
_PLACEHOLDER_SECRETS: Final = frozenset({"changeme", "change-me", "secret", "changethis", "crampwise"})
_TRUE: Final = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    athlete: str | None = None
    # True when `database_url` was chosen by default (the user's data directory), not named.
    default_store: bool = False
    # Several web and job processes on one PostgreSQL store (`serve --multi-user`).
    server_mode: bool = False
    # Uploads of at least this many bytes go to a background job in server mode.
    background_import_bytes: int = DEFAULT_BACKGROUND_IMPORT_BYTES


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


def _bytes_setting(env: Mapping[str, str]) -> int:
    text = env.get(ENV_BACKGROUND_IMPORT_BYTES, "").strip()
    if not text:
        return DEFAULT_BACKGROUND_IMPORT_BYTES
    if not text.isdigit():
        from crampwise.domain.errors import InvalidInput

        raise InvalidInput.single(
            ENV_BACKGROUND_IMPORT_BYTES, f"{text!r} is not a whole number of bytes, e.g. 4194304"
        )
    return int(text)


def load_settings(
    *,
    database_url: str | None = None,
    athlete: str | None = None,
    server_mode: bool | None = None,
    env: Mapping[str, str] | None = None,
    demo: bool = False,
) -> Settings:
    """Settings from explicit options first, then the environment, then defaults.

    `demo` selects the demo's own store (`demo_database_url`) unless a URL is given. A malformed
    `CRAMPWISE_BACKGROUND_IMPORT_BYTES` (read in server mode only) is `InvalidInput`.
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
    if server_mode is None:
        server_mode = env.get(ENV_SERVER_MODE, "").strip().lower() in _TRUE
    return Settings(
        database_url=url,
        data_dir=data_dir,
        athlete=athlete or env.get(ENV_ATHLETE) or None,
        default_store=default_store,
        server_mode=server_mode,
        background_import_bytes=_bytes_setting(env) if server_mode else DEFAULT_BACKGROUND_IMPORT_BYTES,
    )


def server_secret_problem(env: Mapping[str, str] | None = None) -> str | None:
    """Why server mode may not start with the environment's secret key (None: it may).

    Server mode signs what it hands to browsers with `CRAMPWISE_SECRET_KEY`; a missing, short
    or placeholder key is refused. (The accounts part of server mode owns the full validation.)
    """
    env = os.environ if env is None else env
    key = env.get(ENV_SECRET_KEY, "")
    if not key.strip():
        return f"{ENV_SECRET_KEY} is not set; server mode needs a secret key, e.g. from: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
    if len(key) < MIN_SECRET_KEY_CHARS:
        return (
            f"{ENV_SECRET_KEY} has {len(key)} characters; use a random key of at least {MIN_SECRET_KEY_CHARS}"
        )
    if key.strip().lower() in _PLACEHOLDER_SECRETS or len(set(key)) < 8:
        return f"{ENV_SECRET_KEY} is a placeholder; set a random key of at least {MIN_SECRET_KEY_CHARS} characters"
    return None

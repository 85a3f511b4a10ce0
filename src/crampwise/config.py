"""Settings, built by `load_settings()` and passed down: never a module global.

The database comes from `--db`, else `CRAMPWISE_DATABASE_URL`, else a SQLite file in the
user's data directory (CONTRACTS.md section 1). The demo athlete lives in a store of its own
(`demo.db` beside the user's, `demo_database_url`), so it never gets in the way of the
user's own athlete; `--demo` (or `load_settings(demo=True)`) selects it.

Server mode (`crampwise serve --multi-user`) is one thing in one place: `Settings.server`, a
`ServerSettings` (None in local mode), read from the environment by `load_server_settings()`
and checked before anything listens: a missing, short or well-known secret refuses to start
(exit 2 naming the variable), because every CSRF token is derived from it. `serve` tells the
web processes uvicorn starts for it through one variable, `CRAMPWISE_MULTI_USER=1`
(`load_web_settings()` reads it); `crampwise worker` exists only in server mode and builds the
same settings (`load_settings(multi_user=True)`). In server mode several processes, on one host
or many, share nothing but the PostgreSQL store, and large uploads become background jobs.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from crampwise.domain.errors import InvalidInput

ENV_DATABASE_URL = "CRAMPWISE_DATABASE_URL"
ENV_ATHLETE = "CRAMPWISE_ATHLETE"
ENV_DATA_DIR = "CRAMPWISE_DATA_DIR"
DATABASE_FILE = "crampwise.db"
DEMO_DATABASE_FILE = "demo.db"
# The pid of `crampwise serve`, for its web processes: they end when it does (see lifecycle).
ENV_SERVE_PID = "CRAMPWISE_SERVE_PID"
# Push services beyond the browsers' own (KNOWN_PUSH_HOSTS) a push subscription may name.
ENV_PUSH_HOSTS = "CRAMPWISE_PUSH_HOSTS"

# The push services of the browsers (host, or `*.` + a domain for any host under it). A web push
# subscription's endpoint must be on one of them (or on a host of CRAMPWISE_PUSH_HOSTS): the
# sender POSTs to whatever endpoint it was given, so any other host would let an account make
# the server send requests where it likes (SSRF). Chrome: FCM (`fcm.googleapis.com`; Chromium
# builds without Google's API keys, as Linux distributions ship, get `jmt17.google.com`);
# Firefox: Mozilla autopush; Safari: Apple (its docs: allow `*.push.apple.com`); Edge: WNS.
KNOWN_PUSH_HOSTS: Final = (
    "fcm.googleapis.com",
    "jmt17.google.com",
    "updates.push.services.mozilla.com",
    "*.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)

# --- server mode: accounts, sessions, tokens, login limits, background imports ---------------
# Set to "1" by `crampwise serve --multi-user` for the web processes it starts (the only
# variable that says "server mode"; the secret and the rest below are read only then).
ENV_MULTI_USER = "CRAMPWISE_MULTI_USER"
ENV_SECRET_KEY = "CRAMPWISE_SECRET_KEY"
ENV_SECRET_KEY_FILE = "CRAMPWISE_SECRET_KEY_FILE"
ENV_PUBLIC_URL = "CRAMPWISE_PUBLIC_URL"
ENV_TRUSTED_PROXIES = "CRAMPWISE_TRUSTED_PROXIES"
ENV_SESSION_HOURS = "CRAMPWISE_SESSION_HOURS"
ENV_SESSION_IDLE_HOURS = "CRAMPWISE_SESSION_IDLE_HOURS"
ENV_TOKEN_DAYS = "CRAMPWISE_TOKEN_DAYS"
ENV_LOGIN_MAX_FAILURES = "CRAMPWISE_LOGIN_MAX_FAILURES"
ENV_LOGIN_MAX_FAILURES_ADDRESS = "CRAMPWISE_LOGIN_MAX_FAILURES_ADDRESS"
ENV_LOGIN_WINDOW_MINUTES = "CRAMPWISE_LOGIN_WINDOW_MINUTES"
ENV_BACKGROUND_IMPORT_BYTES = "CRAMPWISE_BACKGROUND_IMPORT_BYTES"

# An upload at least this large is imported by a background job in server mode: a phone's
# single FIT file (typically 0.1-2 MB) is imported while the athlete waits, an account export
# (hundreds of MB) is not. A crampwise convention, not a measurement of anyone's patience.
DEFAULT_BACKGROUND_IMPORT_BYTES: Final = 4 * 1024 * 1024
MIN_SECRET_CHARS: Final = 32
MIN_SECRET_DISTINCT_CHARS: Final = 12
# Words found in placeholder secrets copied from examples ("change-me", "your-secret-key"...).
PLACEHOLDER_WORDS: Final = ("change", "example", "secret", "default", "placeholder", "password", "crampwise")
SECRET_HINT: Final = (
    "use at least 32 random characters, e.g. the output of: "
    "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
)


@dataclass(frozen=True)
class ServerSettings:
    """What server mode needs beyond the store. Times in seconds, counts per window."""

    secret_key: str = field(repr=False)
    public_url: str | None = None  # https://crampwise.example.org: WebAuthn origin, Secure cookies
    trusted_proxies: tuple[str, ...] = ()  # addresses/networks whose X-Forwarded-* are believed
    session_max_age_s: int = 14 * 24 * 3600
    session_idle_s: int = 3 * 24 * 3600
    token_max_age_s: int = 90 * 24 * 3600
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 20
    login_window_s: int = 15 * 60
    rp_name: str = "crampwise"
    # Uploads of at least this many bytes go to a background job (on a PostgreSQL store).
    background_import_bytes: int = DEFAULT_BACKGROUND_IMPORT_BYTES

    @property
    def https_only(self) -> bool:
        """True when the configured public address is https: cookies are always Secure."""
        return bool(self.public_url and self.public_url.startswith("https://"))


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    athlete: str | None = None
    # True when `database_url` was chosen by default (the user's data directory), not named.
    default_store: bool = False
    # Server mode (`serve --multi-user`, `worker`): accounts, sign-in, several web and job
    # processes on one PostgreSQL store. None: local mode (one user, no login).
    server: ServerSettings | None = None
    # Hosts (or `*.domain`) of push services an operator adds to KNOWN_PUSH_HOSTS
    # (CRAMPWISE_PUSH_HOSTS): e.g. a self-hosted autopush. Lower case, no port.
    push_hosts: tuple[str, ...] = ()

    @property
    def multi_user(self) -> bool:
        """Server mode: every request acts for its signed-in account (the one switch)."""
        return self.server is not None


def is_loopback_host(host: str) -> bool:
    """True for `localhost`, 127.0.0.0/8 and ::1 (brackets allowed): names only this computer
    reaches. `serve` without --multi-user listens only on such an address, and the web app in
    local mode answers only requests addressed (`Host`) to one."""
    name = host.strip().lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False


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
    multi_user: bool = False,
) -> Settings:
    """Settings from explicit options first, then the environment, then defaults.

    `demo` selects the demo's own store (`demo_database_url`) unless a URL is given. With
    `multi_user`, the server settings are read and checked too (`InvalidInput` naming the
    variable), and no default athlete is kept: in server mode each request acts for its
    signed-in account, never for "the only athlete" of the store.
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
    push_hosts = load_push_hosts(env)
    if multi_user:
        return Settings(
            database_url=url,
            data_dir=data_dir,
            default_store=default_store,
            server=load_server_settings(env),
            push_hosts=push_hosts,
        )
    return Settings(
        database_url=url,
        data_dir=data_dir,
        athlete=athlete or env.get(ENV_ATHLETE) or None,
        default_store=default_store,
        push_hosts=push_hosts,
    )


def load_web_settings(env: Mapping[str, str] | None = None) -> Settings:
    """The web app's settings: server mode when `crampwise serve --multi-user` said so."""
    env = os.environ if env is None else env
    return load_settings(env=env, multi_user=env.get(ENV_MULTI_USER) == "1")


_HOST_LABEL: Final = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _is_host_name(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    return len(name) <= 253 and all(_HOST_LABEL.match(label) for label in name.split("."))


def load_push_hosts(env: Mapping[str, str]) -> tuple[str, ...]:
    """`CRAMPWISE_PUSH_HOSTS`: comma-separated host names or addresses (`*.domain` for any host
    under a domain) of push services to accept besides the browsers' own; `InvalidInput`
    naming the variable if an item is not one."""
    items = [p.strip().lower() for p in env.get(ENV_PUSH_HOSTS, "").split(",") if p.strip()]
    for item in items:
        if not _is_host_name(item.removeprefix("*.")):
            raise InvalidInput.single(
                ENV_PUSH_HOSTS,
                f"{item!r} is not a host name; expected e.g. push.example.org,*.push.example.net "
                "(no scheme, port or path)",
            )
    return tuple(items)


def _secret(env: Mapping[str, str]) -> str:
    value = env.get(ENV_SECRET_KEY, "")
    name = ENV_SECRET_KEY
    if not value and env.get(ENV_SECRET_KEY_FILE):
        name = ENV_SECRET_KEY_FILE
        try:
            value = Path(env[ENV_SECRET_KEY_FILE]).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InvalidInput.single(name, f"cannot read {env[name]!r}: {exc.strerror or exc}") from None
    if not value:
        raise InvalidInput.single(ENV_SECRET_KEY, f"missing; server mode needs a secret key: {SECRET_HINT}")
    check_secret(value, name)
    return value


def check_secret(value: str, name: str = ENV_SECRET_KEY) -> str:
    """`value` if it is long and varied enough and not a placeholder copied from an example."""
    if len(value) < MIN_SECRET_CHARS:
        raise InvalidInput.single(name, f"too short ({len(value)} characters); {SECRET_HINT}")
    folded = value.lower()
    if any(word in folded for word in PLACEHOLDER_WORDS):
        raise InvalidInput.single(name, f"looks like a placeholder, not a random secret; {SECRET_HINT}")
    if len(set(value)) < MIN_SECRET_DISTINCT_CHARS:
        raise InvalidInput.single(name, f"too repetitive to be random; {SECRET_HINT}")
    return value


def _public_url(env: Mapping[str, str]) -> str | None:
    raw = env.get(ENV_PUBLIC_URL, "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise InvalidInput.single(
            ENV_PUBLIC_URL, f"cannot use {raw!r}; expected the site's origin, e.g. https://cramps.example.org"
        )
    return f"{parts.scheme}://{parts.netloc}"


def _proxies(env: Mapping[str, str]) -> tuple[str, ...]:
    items = [p.strip() for p in env.get(ENV_TRUSTED_PROXIES, "").split(",") if p.strip()]
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise InvalidInput.single(
                ENV_TRUSTED_PROXIES,
                f"{item!r} is not an address or network; expected e.g. 127.0.0.1,10.0.0.0/24",
            ) from None
    return tuple(items)


def _positive(env: Mapping[str, str], name: str, default: int, scale: int = 1) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise InvalidInput.single(name, f"cannot read {raw!r}; expected a whole number above 0")
    return value * scale


def _bytes(env: Mapping[str, str]) -> int:
    text = env.get(ENV_BACKGROUND_IMPORT_BYTES, "").strip()
    if not text:
        return DEFAULT_BACKGROUND_IMPORT_BYTES
    if not text.isdigit():
        raise InvalidInput.single(
            ENV_BACKGROUND_IMPORT_BYTES, f"{text!r} is not a whole number of bytes, e.g. 4194304"
        )
    return int(text)


def load_server_settings(env: Mapping[str, str]) -> ServerSettings:
    """Server settings from the environment; `InvalidInput` naming the variable if one is bad."""
    base = ServerSettings(secret_key="")
    return ServerSettings(
        secret_key=_secret(env),
        public_url=_public_url(env),
        trusted_proxies=_proxies(env),
        session_max_age_s=_positive(env, ENV_SESSION_HOURS, base.session_max_age_s, 3600),
        session_idle_s=_positive(env, ENV_SESSION_IDLE_HOURS, base.session_idle_s, 3600),
        token_max_age_s=_positive(env, ENV_TOKEN_DAYS, base.token_max_age_s, 24 * 3600),
        login_max_failures_per_account=_positive(
            env, ENV_LOGIN_MAX_FAILURES, base.login_max_failures_per_account
        ),
        login_max_failures_per_address=_positive(
            env, ENV_LOGIN_MAX_FAILURES_ADDRESS, base.login_max_failures_per_address
        ),
        login_window_s=_positive(env, ENV_LOGIN_WINDOW_MINUTES, base.login_window_s, 60),
        background_import_bytes=_bytes(env),
    )

"""Server mode with real processes: `crampwise serve --multi-user` and `crampwise worker` as
subprocesses on loopback ports, on a throw-away PostgreSQL schema (marker `postgres`).

- `server_env`: the environment of every process: the store (a fresh schema) with two athlete
  accounts, `ana` (journal "Ana") and `ben`, a secret key, and nothing else of the caller's
  `CRAMPWISE_*` variables;
- `tokens`: a bearer header for each of them (server mode answers 401 to anyone else);
- `Processes`: starts crampwise commands, reads the address `serve` prints, and at the end
  stops every process it started (and any child they left) by pid.

The fixtures are made available to tests/server through its conftest; other folders import
them from here.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from crampwise.config import ServerSettings, Settings
from crampwise.domain.accounts import Role
from crampwise.services import journal
from crampwise.services.accounts import add_user, get_user
from crampwise.services.api_tokens import issue_token
from crampwise.services.context import open_context
from tests.conftest import POSTGRES_ENV, _postgres_schema_url

ACCOUNTS = ("ana", "ben")


def password_of(name: str) -> str:
    """The password of each test account (here and in the in-process world of conftest)."""
    return f"pw-{name}-long-enough"


def wait_for(check: Callable[[], bool], timeout_s: float, what: str, interval_s: float = 0.05) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval_s)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped by its parent, does not count)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children, their children...), from /proc."""
    found: list[int] = []
    queue = [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                found.append(child)
                queue.append(child)
    return found


class Processes:
    """crampwise commands started for one test, stopped (with their children) at its end."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []
        self.logs: dict[int, Path] = {}
        self.seen: set[int] = set()

    def start(self, *args: str, name: str) -> subprocess.Popen[bytes]:
        log = self.folder / f"{name}.log"
        command = [sys.executable, "-m", "crampwise", *args]
        with log.open("wb") as out:
            proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=self.env)
        self.started.append(proc)
        self.logs[proc.pid] = log
        return proc

    def log(self, proc: subprocess.Popen[bytes]) -> str:
        return self.logs[proc.pid].read_text(errors="replace")

    def serve(self, *extra: str, name: str = "web") -> tuple[subprocess.Popen[bytes], str]:
        """`crampwise serve --multi-user --port 0 ...`; the process and its base URL once it answers."""
        proc = self.start("serve", "--multi-user", "--port", "0", *extra, name=name)
        found: list[str] = []

        def printed() -> bool:
            match = re.search(r"http://(?:127\.0\.0\.1|localhost):\d+/", self.log(proc))
            if match:
                found.append(match.group(0).rstrip("/"))
            if proc.poll() is not None:
                raise AssertionError(f"crampwise serve exited {proc.returncode}: {self.log(proc)}")
            return bool(match)

        wait_for(printed, 60, "crampwise serve to print its address")
        url = found[0]

        def answers() -> bool:  # the sign-in page: open to anyone
            try:
                return httpx.get(f"{url}/login", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(answers, 60, f"{url} to answer", interval_s=0.1)
        self.seen.update(descendants(proc.pid))
        return proc, url

    def worker(self, *extra: str, name: str = "worker") -> subprocess.Popen[bytes]:
        proc = self.start("worker", "--stalled-after", "2", *extra, name=name)
        wait_for(lambda: "running import jobs" in self.log(proc), 60, "crampwise worker to start")
        return proc

    def stop_all(self) -> None:
        for proc in self.started:
            self.seen.update(descendants(proc.pid))
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.started:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for pid in self.seen:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set (run under scripts/with-postgres.sh)")
    yield from _postgres_schema_url(base)


@pytest.fixture
def server_env(pg_url: str, tmp_path: Path) -> dict[str, str]:
    """The store has the athlete accounts ana (journal "Ana") and ben; every process gets this
    environment."""
    secret = secrets.token_urlsafe(48)
    now = datetime.now(UTC)
    settings = Settings(database_url=pg_url, data_dir=tmp_path, server=ServerSettings(secret_key=secret))
    with open_context(settings) as ctx:
        journal.add_athlete(ctx, data={"name": "Ana", "timezone": "Europe/Madrid", "body_mass_kg": 61.5})
        add_user(ctx, username="ana", role=Role.ATHLETE, password=password_of("ana"), now=now, athlete="Ana")
        add_user(ctx, username="ben", role=Role.ATHLETE, password=password_of("ben"), now=now)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    env.update(
        CRAMPWISE_DATABASE_URL=pg_url,
        CRAMPWISE_DATA_DIR=str(tmp_path),
        CRAMPWISE_SECRET_KEY=secret,
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def tokens(server_env: dict[str, str]) -> dict[str, dict[str, str]]:
    """`Authorization: Bearer ...` for each account of `server_env` (name -> headers)."""
    settings = Settings(
        database_url=server_env["CRAMPWISE_DATABASE_URL"],
        data_dir=Path(server_env["CRAMPWISE_DATA_DIR"]),
        server=ServerSettings(secret_key=server_env["CRAMPWISE_SECRET_KEY"]),
    )
    headers = {}
    with open_context(settings) as ctx:
        for name in ACCOUNTS:
            token, _row = issue_token(ctx, account=get_user(ctx, username=name), now=datetime.now(UTC))
            headers[name] = {"Authorization": f"Bearer {token}"}
    return headers


@pytest.fixture
def processes(server_env: dict[str, str], tmp_path: Path) -> Iterator[Processes]:
    started = Processes(server_env, tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture
def sql(pg_url: str) -> Iterator[Callable[[str], object]]:
    """Run one query on the test's store and return its scalar result."""
    engine = create_engine(pg_url)

    def scalar(query: str) -> object:
        with engine.connect() as conn:
            return conn.execute(text(query)).scalar()

    yield scalar
    engine.dispose()

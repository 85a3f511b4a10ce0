"""Concurrent writers lose nothing and never share an id, on SQLite and PostgreSQL.

At once: three CLI processes (each runs `crampwise log cramp` and `log session` through the
command line's own entry, a dozen times), four threads posting cramps to the JSON API of one
web app (TestClient, so the requests share the app's engine and pool like uvicorn's threads),
and a background import of several GPX files: on PostgreSQL an upload queued as a job
(`POST /api/v1/imports`, `Prefer: respond-async`) that a real `crampwise worker` process
imports; on SQLite the web app's in-process import. Then every record is there exactly once,
the ids are unique and gap-free, and the import stored every file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from crampwise.config import ENV_MULTI_USER, ENV_SECRET_KEY, ServerSettings, Settings
from crampwise.domain.accounts import Role
from crampwise.services import journal
from crampwise.services.accounts import add_user
from crampwise.services.api_tokens import issue_token
from crampwise.services.context import open_context
from crampwise.services.job_worker import prepare_queue
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL
from tests.server.conftest import SECRET
from tests.services.test_imports import gpx

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

CLI_PROCESSES = 3
CLI_WRITES = 12  # of each kind, per process
WEB_THREADS = 4
WEB_WRITES = 12  # per thread
IMPORT_FILES = 6

CLI_WRITER = textwrap.dedent(
    """
    import sys
    from crampwise.cli.app import run_app

    url, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(count):
        at = f"2026-0{1 + i % 5}-{1 + i:02d}T{10 + len(tag)}:00:00+00:00"
        for argv in (
            ["log", "cramp", "--muscle", "calf", "--context", "rest", "--at", at, "--notes", f"{tag}-{i}", "--confirm"],
            ["log", "session", "--sport", "ride", "--duration", "40m", "--start", at, "--notes", f"{tag}-{i}", "--confirm"],
        ):
            code = run_app(["--db", url, "--athlete", "Ana", *argv])
            if code != 0:
                sys.exit(f"{argv}: exit {code}")
    """
)


@dataclass(frozen=True)
class Store:
    """The store's settings and, in server mode (PostgreSQL), the bearer token of Ana's account."""

    settings: Settings
    token: str | None = None

    @property
    def postgres(self) -> bool:
        return self.settings.server is not None


@pytest.fixture
def store(store_settings: Settings) -> Iterator[Store]:
    """On PostgreSQL the app runs in server mode (background imports need it): Ana signs in with a
    token; on SQLite it is the local app, with no accounts."""
    postgres = store_settings.database_url.startswith("postgresql")
    server = ServerSettings(secret_key=SECRET, background_import_bytes=1) if postgres else None
    settings = replace(store_settings, athlete=None if postgres else "Ana", server=server)
    token = None
    with open_context(settings) as ctx:
        journal.add_athlete(ctx, data={"name": "Ana", "timezone": "UTC"})
        if postgres:
            account = add_user(
                ctx,
                username="ana",
                role=Role.ATHLETE,
                password="a long test passphrase 7",
                now=FIXED_NOW,
                athlete="Ana",
            )
            token = issue_token(ctx, account=account, now=FIXED_NOW, label="writers")[0]
            prepare_queue(ctx, now=FIXED_NOW)
    yield Store(settings, token)


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )


def test_cli_web_and_a_background_import_writing_at_once_lose_nothing(store: Store) -> None:
    postgres = store.postgres
    url = store.settings.database_url
    uploads = [(f"ride-{i}.gpx", gpx(f"2024-06-{1 + i:02d}T06:00", minutes=20)) for i in range(IMPORT_FILES)]
    errors: list[str] = []
    app = create_app(store.settings, clock=lambda: FIXED_NOW)
    headers = {"Authorization": f"Bearer {store.token}"} if store.token else {}
    with TestClient(app, base_url=LOCAL_URL, raise_server_exceptions=False, headers=headers) as client:

        def post_cramps(thread: int) -> None:
            for i in range(WEB_WRITES):
                answer = client.post(
                    "/api/v1/cramps",
                    json={
                        "muscle": "foot",
                        "context": "sleep",
                        "at": f"2026-02-{1 + i:02d}T0{thread}:30:00+00:00",
                        "notes": f"web{thread}-{i}",
                    },
                    headers={"Idempotency-Key": f"web{thread}-{i}"},
                    params={"confirm": "true"},
                )
                if answer.status_code != 201:
                    errors.append(f"web{thread}-{i}: {answer.status_code} {answer.text}")

        job: dict[str, str] = {}

        def upload() -> None:
            headers = {"Prefer": "respond-async"} if postgres else {}
            answer = client.post("/api/v1/imports", files=[("files", f) for f in uploads], headers=headers)
            if answer.status_code not in (200, 202):
                errors.append(f"upload: {answer.status_code} {answer.text}")
            elif postgres:
                job["location"] = answer.headers["location"]
            elif answer.json()["imported"] != IMPORT_FILES:
                errors.append(f"upload: {answer.json()}")

        worker = None
        if postgres:
            worker = _cli(
                "-c",
                "from crampwise.cli.entry import main; main()",
                "--db",
                url,
                "worker",
                env={ENV_MULTI_USER: "1", ENV_SECRET_KEY: SECRET},
            )
        writers = [_cli("-c", CLI_WRITER, url, f"cli{n}", str(CLI_WRITES)) for n in range(CLI_PROCESSES)]
        threads = [threading.Thread(target=post_cramps, args=(t,)) for t in range(WEB_THREADS)]
        threads.append(threading.Thread(target=upload))
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                thread.join(timeout=300)
            for writer in writers:
                _, err = writer.communicate(timeout=300)
                assert writer.returncode == 0, err.decode()
            assert errors == []
            if postgres:
                deadline = time.monotonic() + 120
                while (status := client.get(job["location"]).json())["status"] not in ("done", "failed"):
                    assert time.monotonic() < deadline, status
                    time.sleep(0.2)
                assert status["status"] == "done" and status["result"]["imported"] == IMPORT_FILES, status
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                _, err = worker.communicate(timeout=60)
                assert worker.returncode == 0, err.decode()

    with open_context(replace(store.settings, server=None)) as ctx:
        history = journal.load_history(ctx, athlete="Ana")
    cramps = [c.id for c in history.cramps]
    expected_cramps = CLI_PROCESSES * CLI_WRITES + WEB_THREADS * WEB_WRITES
    assert len(cramps) == len(set(cramps)) == expected_cramps
    assert sorted(cramps) == [f"c-{n:04d}" for n in range(1, expected_cramps + 1)]
    assert {c.notes for c in history.cramps} == {
        f"cli{n}-{i}" for n in range(CLI_PROCESSES) for i in range(CLI_WRITES)
    } | {f"web{t}-{i}" for t in range(WEB_THREADS) for i in range(WEB_WRITES)}
    sessions = [s.id for s in history.sessions]
    expected_sessions = CLI_PROCESSES * CLI_WRITES + IMPORT_FILES
    assert len(sessions) == len(set(sessions)) == expected_sessions
    assert sorted(sessions) == [f"s-{n:04d}" for n in range(1, expected_sessions + 1)]
    assert sum(1 for s in history.sessions if (s.source or "").startswith("gpx:")) == IMPORT_FILES
    print(
        f"concurrent writers ({'postgresql' if postgres else 'sqlite'}): {CLI_PROCESSES} CLI processes, "
        f"{WEB_THREADS} web threads, 1 background import; {expected_cramps} cramps and "
        f"{expected_sessions} sessions stored, none lost"
    )

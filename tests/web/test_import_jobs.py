"""Background imports through the web app (in-process, server mode on PostgreSQL, signed in):
the form's 303 to the job's page, the page that refreshes itself without JavaScript, the API's
202 and progress document, the job's athlete taken from the signed-in account, 404 for another
account's job, and uploads that stay inline."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from crampwise.config import ServerSettings, Settings
from crampwise.domain.accounts import Role
from crampwise.services import import_jobs, journal
from crampwise.services.accounts import add_user, get_user
from crampwise.services.api_tokens import issue_token
from crampwise.services.context import open_context
from crampwise.services.job_worker import prepare_queue
from crampwise.storage import import_jobs as jobs_table
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL, POSTGRES_ENV, _postgres_schema_url
from tests.server.conftest import SECRET, csrf_from, password_of, sign_in
from tests.services.test_imports import gpx

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture
def pg_settings(tmp_path: Path) -> Iterator[Settings]:
    """Server mode on a fresh PostgreSQL schema: the athlete accounts ana (journal "Ana") and
    ben (journal "Ben"), the queue installed, and every upload of 2 kB or more imported in the
    background."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set (run under scripts/with-postgres.sh)")
    for url in _postgres_schema_url(base):
        server = ServerSettings(secret_key=SECRET, background_import_bytes=2048)
        settings = Settings(database_url=url, data_dir=tmp_path, server=server)
        with open_context(settings) as ctx:
            for name, zone in (("Ana", "Europe/Madrid"), ("Ben", "Europe/London")):
                journal.add_athlete(ctx, data={"name": name, "timezone": zone})
                add_user(
                    ctx,
                    username=name.lower(),
                    role=Role.ATHLETE,
                    password=password_of(name.lower()),
                    now=FIXED_NOW,
                    athlete=name,
                )
            prepare_queue(ctx, now=FIXED_NOW)
        yield settings


def client_for(settings: Settings, account: str = "ana") -> TestClient:
    """A client of the app signed in as `account` with a bearer token (API clients' way)."""
    with open_context(settings) as ctx:
        token, _row = issue_token(ctx, account=get_user(ctx, username=account), now=FIXED_NOW)
    client = TestClient(create_app(settings, clock=lambda: FIXED_NOW), base_url=LOCAL_URL)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def browser_for(settings: Settings, account: str = "ana") -> TestClient:
    """A client of the app signed in as `account` through the login form (a browser's way)."""
    client = TestClient(create_app(settings, clock=lambda: FIXED_NOW), base_url=LOCAL_URL)
    assert sign_in(client, account).status_code == 303
    return client


def run_queued_jobs(settings: Settings) -> None:
    """What a job worker does, in-process."""
    with open_context(settings) as ctx, ctx.read() as conn:
        pks = [
            pk
            for (pk,) in conn.execute(
                jobs_table.import_jobs.select().with_only_columns(jobs_table.import_jobs.c.pk)
            )
        ]
    with open_context(settings) as ctx:
        for pk in pks:
            import_jobs.run(ctx, job_pk=pk, clock=lambda: FIXED_NOW)


@pytest.mark.postgres
def test_a_large_upload_goes_to_its_job_page_which_refreshes_until_done(pg_settings: Settings) -> None:
    big = gpx("2024-05-01T07:00", minutes=60)
    assert len(big) >= 2048
    with browser_for(pg_settings) as client:
        form = client.get("/import")
        answer = client.post(
            "/import",
            files={"files": ("run.gpx", big)},
            data={"csrf_token": csrf_from(form.text)},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        location = answer.headers["location"]
        assert re.fullmatch(r"/import/jobs/[0-9a-f]{32}", location)
        waiting = client.get(location)
        assert waiting.status_code == 200
        assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in waiting.text
        assert "Waiting for a worker" in waiting.text and 'value="0"' in waiting.text
        run_queued_jobs(pg_settings)
        done = client.get(location)
        assert "http-equiv" not in done.text
        assert "1 imported, 0 duplicates, 0 skipped, 0 errors" in done.text
        assert "run.gpx</strong>: imported (session s-0001)" in done.text
    with open_context(pg_settings) as ctx:  # into the signed-in account's journal, no one else's
        assert [s.id for s in journal.load_history(ctx, athlete="Ana").sessions] == ["s-0001"]
        assert journal.load_history(ctx, athlete="Ben").sessions == ()


@pytest.mark.postgres
def test_the_api_answers_202_and_follows_the_job(pg_settings: Settings) -> None:
    small = gpx("2024-05-02T07:00", minutes=2)
    assert len(small) < 2048
    with client_for(pg_settings) as client:
        queued = client.post(
            "/api/v1/imports", files={"files": ("a.gpx", small)}, headers={"Prefer": "respond-async"}
        )
        assert queued.status_code == 202
        body = queued.json()
        assert queued.headers["location"] == f"/api/v1/imports/{body['id']}"
        assert (body["status"], body["files_done"], body["files_total"], body["result"]) == (
            "queued",
            0,
            1,
            None,
        )
        run_queued_jobs(pg_settings)
        done = client.get(queued.headers["location"]).json()
        assert done["status"] == "done" and done["finished"] is not None
        assert done["result"]["files"] == [
            {"path": "a.gpx", "status": "imported", "error": None, "session_id": "s-0001", "format": "gpx"}
        ]
        # under the threshold and without Prefer: imported at once, the import --json document
        inline = client.post(
            "/api/v1/imports", files={"files": ("b.gpx", gpx("2024-05-03T07:00", minutes=2))}
        )
        assert inline.status_code == 200 and inline.json()["imported"] == 1


@pytest.mark.postgres
def test_another_accounts_job_answers_404(pg_settings: Settings) -> None:
    with client_for(pg_settings) as ana, client_for(pg_settings, "ben") as ben:
        queued = ana.post(
            "/api/v1/imports", files={"files": ("a.gpx", gpx())}, headers={"Prefer": "respond-async"}
        )
        job_id = queued.json()["id"]
        mine = ana.get(f"/api/v1/imports/{job_id}")
        assert ben.get(f"/api/v1/imports/{job_id}").status_code == 404
        assert ben.get(f"/import/jobs/{job_id}").status_code == 404
        assert mine.status_code == 200 and mine.json()["id"] == job_id
        anonymous = TestClient(create_app(pg_settings, clock=lambda: FIXED_NOW), base_url=LOCAL_URL)
        assert anonymous.get(f"/api/v1/imports/{job_id}").status_code == 401
        assert anonymous.get(f"/import/jobs/{job_id}", follow_redirects=False).status_code == 303
    with open_context(pg_settings) as ctx, ctx.read() as conn:
        row = jobs_table.get_job(conn=conn, public_id=job_id)
    assert row is not None and row.athlete_name == "Ana"  # the job's athlete: the signed-in account's


@pytest.mark.postgres
def test_a_coach_keeps_no_journal_to_import_into(pg_settings: Settings) -> None:
    with open_context(pg_settings) as ctx:
        add_user(ctx, username="lee", role=Role.COACH, password=password_of("lee"), now=FIXED_NOW)
    with client_for(pg_settings, "lee") as lee:
        answer = lee.post(
            "/api/v1/imports", files={"files": ("a.gpx", gpx())}, headers={"Prefer": "respond-async"}
        )
        assert answer.status_code == 404 and "keeps no journal" in answer.text
    with open_context(pg_settings) as ctx, ctx.read() as conn:
        assert conn.execute(jobs_table.import_jobs.select()).first() is None


def test_server_mode_on_sqlite_imports_even_a_large_upload_at_once(tmp_path: Path) -> None:
    server = ServerSettings(secret_key=SECRET, background_import_bytes=1)
    single = Settings(database_url=f"sqlite:///{tmp_path / 'one.db'}", data_dir=tmp_path, server=server)
    with open_context(single) as ctx:  # SQLite: one process, no queue
        add_user(ctx, username="ana", role=Role.ATHLETE, password=password_of("ana"), now=FIXED_NOW)
    with client_for(single) as client:
        answer = client.post(
            "/api/v1/imports", files={"files": ("a.gpx", gpx())}, headers={"Prefer": "respond-async"}
        )
        assert answer.status_code == 200 and answer.json()["imported"] == 1


def test_local_mode_imports_even_a_large_upload_at_once(settings: Settings) -> None:
    with open_context(settings) as ctx:
        journal.add_athlete(ctx, data={"name": "Ana", "timezone": "Europe/Madrid"})
    with TestClient(create_app(settings, clock=lambda: FIXED_NOW), base_url=LOCAL_URL) as client:
        answer = client.post(
            "/api/v1/imports", files={"files": ("a.gpx", gpx())}, headers={"Prefer": "respond-async"}
        )
        assert answer.status_code == 200 and answer.json()["imported"] == 1

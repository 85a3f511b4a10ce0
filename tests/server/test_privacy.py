"""Privacy: an athlete takes everything (bundle, imported samples, import jobs and the uploads
they still hold, grants, access log, planned sessions, products, reminders) and deletes the account and all its data for good; an
admin reads no health record."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import func, select

from crampwise.services.accounts import get_user, list_users
from crampwise.services.bundles import export_bundle
from crampwise.storage.import_jobs import import_job_files
from crampwise.storage.migrate import target_metadata
from tests.server.conftest import (
    ANA_FEED_TOKEN,
    ANA_JOB_ID,
    ANA_PLANNED_ID,
    ANA_PRODUCT,
    ANA_PUSH_ENDPOINT,
    ANA_UPLOAD,
    SECRET_NOTE,
    World,
    bearer,
    client_for,
    csrf_from,
    password_of,
    sign_in,
)
from tests.server.test_isolation_matrix import GPX


def _archive(world: World, client: object) -> zipfile.ZipFile:
    answer = client.get("/api/v1/account/export", headers=bearer(world, "ana"))  # type: ignore[attr-defined]
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(answer.content))


def test_the_export_holds_everything_kept_about_the_athlete(world: World) -> None:
    with client_for(world.ctx) as client:
        imported = client.post(
            "/api/v1/imports",
            files=[("files", ("run.gpx", GPX, "application/gpx+xml"))],
            headers=bearer(world, "ana"),
        ).json()
        session_id = imported["files"][0]["session_id"]
        client.get("/api/v1/athletes/ana/cramps", headers=bearer(world, "lee"))
        archive = _archive(world, client)
    names = set(archive.namelist())
    assert {
        "README.txt",
        "account.json",
        "bundle.json",
        "grants.json",
        "access-log.json",
        "imported-files.json",
        "import-jobs.json",
        "planned-sessions.json",
        "products.json",
        "reminders.json",
    } <= names
    assert json.loads(archive.read("bundle.json")) == export_bundle(world.ctx, athlete="ana")
    series = archive.read(f"series/{session_id}.csv").decode().splitlines()
    assert series[0] == "elapsed_s,heart_rate,speed_m_s,temperature_c,cadence,power" and len(series) == 4
    assert [e["reader"] for e in json.loads(archive.read("access-log.json"))] == ["lee"]
    assert {g["grantee"] for g in json.loads(archive.read("grants.json"))} == {"lee", "rex", "eve"}
    assert json.loads(archive.read("imported-files.json"))[0]["path"] == "run.gpx"
    # the background import still waiting for a worker, with the upload crampwise holds for it
    [job] = json.loads(archive.read("import-jobs.json"))
    upload = f"uploads/{ANA_JOB_ID}/0-ana-morning.gpx"
    assert (job["id"], job["status"], job["files_done"], job["uploads"]) == (
        ANA_JOB_ID,
        "queued",
        0,
        [upload],
    )
    assert archive.read(upload) == ANA_UPLOAD
    # the reminders' records: what she planned and carries, her check-in and her browser
    [planned] = json.loads(archive.read("planned-sessions.json"))
    assert (planned["id"], planned["carry"]) == (ANA_PLANNED_ID, {ANA_PRODUCT: 2})
    assert [p["name"] for p in json.loads(archive.read("products.json"))] == [ANA_PRODUCT]
    reminders = json.loads(archive.read("reminders.json"))
    assert (reminders["calendar_feed"], reminders["checkin_time"]) == (True, "20:30")
    assert [s["endpoint"] for s in reminders["push_subscriptions"]] == [ANA_PUSH_ENDPOINT]
    assert ANA_FEED_TOKEN.encode() not in b"".join(archive.read(n) for n in names)  # never kept


def test_the_export_of_a_coach_holds_no_one_elses_records(world: World) -> None:
    with client_for(world.ctx) as client:
        answer = client.get("/api/v1/account/export", headers=bearer(world, "lee"))
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    assert "bundle.json" not in archive.namelist()
    assert json.loads(archive.read("import-jobs.json")) == []
    assert all(SECRET_NOTE.encode() not in archive.read(n) for n in archive.namelist())


def _rows_of_ana(world: World, athlete_pk: int, account_pk: int) -> dict[str, int]:
    counts = {}
    with world.ctx.read() as conn:
        for table in target_metadata().sorted_tables:
            for column, value in (
                ("athlete_pk", athlete_pk),
                ("account_pk", account_pk),
                ("owner_pk", account_pk),
                ("pk", None),
            ):
                if column in table.c and value is not None:
                    counts[f"{table.name}.{column}"] = conn.execute(
                        select(func.count()).select_from(table).where(table.c[column] == value)
                    ).scalar_one()
    return counts


def test_deleting_the_account_erases_it_and_all_its_data(world: World) -> None:
    ana = get_user(world.ctx, username="ana")
    assert ana.athlete_pk is not None
    with client_for(world.ctx) as client:
        client.post(
            "/api/v1/imports",
            files=[("files", ("run.gpx", GPX, "application/gpx+xml"))],
            headers=bearer(world, "ana"),
        )
        client.get("/api/v1/athletes/ana/cramps", headers=bearer(world, "lee"))
        before = _rows_of_ana(world, ana.athlete_pk, ana.pk)
        assert (
            before["cramps.athlete_pk"] == 2
            and before["session_series.athlete_pk"] == 1
            and before["access_log.owner_pk"] == 1
            and before["import_jobs.athlete_pk"] == 1
            and before["planned_sessions.athlete_pk"] == 1
            and before["products.athlete_pk"] == 1
            and before["reminder_settings.athlete_pk"] == 1
            and before["push_subscriptions.athlete_pk"] == 1
        )
        refused = client.post(
            "/api/v1/account/delete",
            json={"password": "wrong-one-here", "confirm": "ana"},
            headers=bearer(world, "ana"),
        )
        assert refused.status_code == 422 and _rows_of_ana(world, ana.athlete_pk, ana.pk) == before
        unconfirmed = client.post(
            "/api/v1/account/delete",
            json={"password": password_of("ana"), "confirm": "ben"},
            headers=bearer(world, "ana"),
        )
        assert unconfirmed.status_code == 422 and unconfirmed.json()["detail"][0]["field"] == "confirm"
        done = client.post(
            "/api/v1/account/delete",
            json={"password": password_of("ana"), "confirm": "ana"},
            headers=bearer(world, "ana"),
        )
        assert done.status_code == 204
        assert set(_rows_of_ana(world, ana.athlete_pk, ana.pk).values()) == {0}
        with world.ctx.read() as conn:  # the job's uploaded file went with the job
            assert conn.execute(select(func.count()).select_from(import_job_files)).scalar_one() == 0
        assert client.get("/api/v1/account", headers=bearer(world, "ana")).status_code == 401
        assert client.get(f"/feeds/{ANA_FEED_TOKEN}.ics").status_code == 404  # her feed went too
        assert (
            client.post("/api/v1/token", data={"username": "ana", "password": password_of("ana")}).status_code
            == 401
        )
        assert client.get("/api/v1/roster", headers=bearer(world, "lee")).json() == []
        assert [c["id"] for c in client.get("/api/v1/cramps", headers=bearer(world, "ben")).json()] == [
            "c-0001"
        ]
    assert "ana" not in {a.username for a in list_users(world.ctx)}


def test_the_privacy_page_deletes_and_signs_out(world: World) -> None:
    with client_for(world.ctx) as client:
        sign_in(client, "ben")
        page = client.get("/privacy")
        assert 'href="/privacy/export.zip"' in page.text
        assert client.get("/privacy/export.zip").headers["content-type"] == "application/zip"
        wrong = client.post(
            "/privacy/delete",
            data={"password": "nope-nope-nope", "confirm": "ben", "csrf_token": csrf_from(page.text)},
        )
        assert wrong.status_code == 422 and "wrong password" in wrong.text
        done = client.post(
            "/privacy/delete",
            data={"password": password_of("ben"), "confirm": "ben", "csrf_token": csrf_from(page.text)},
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == "/login?deleted=true"
        assert done.headers["Clear-Site-Data"] == '"cache", "storage"'
        assert client.get("/history", follow_redirects=False).status_code == 303


def test_an_admin_reads_no_health_record(world: World) -> None:
    with client_for(world.ctx) as client:
        for path in (
            "/api/v1/cramps",
            "/api/v1/athletes/ana/cramps",
            "/api/v1/athletes/ben/check",
            "/api/v1/roster",
            "/api/v1/export",
        ):
            answer = client.get(path, headers=bearer(world, "root"))
            assert answer.status_code == 404 and SECRET_NOTE not in answer.text
        sign_in(client, "root")
        for page in ("/", "/history", "/coach", "/coach/athletes/ana", "/report/view"):
            answer = client.get(page)
            assert SECRET_NOTE not in answer.text and answer.status_code in (200, 404)
            assert "c-9001" not in answer.text


def test_on_sqlite_the_deleted_bytes_are_gone_from_the_files(tmp_path: object) -> None:
    """secure_delete zeroes the freed pages and the checkpoint empties the log: no copy of the
    erased journal stays readable in the database file or its write-ahead log."""
    from pathlib import Path

    from crampwise.services.context import open_context
    from crampwise.services.logins import identity_of
    from crampwise.services.privacy import delete_account
    from tests.conftest import FIXED_NOW
    from tests.server.conftest import build_world, server_settings_for

    assert isinstance(tmp_path, Path)
    db = tmp_path / "erase.db"
    with open_context(server_settings_for(f"sqlite:///{db}", tmp_path)) as ctx:
        build_world(ctx)
        files = [db, db.with_name("erase.db-wal")]
        erased = (SECRET_NOTE.encode(), ANA_PRODUCT.encode(), ANA_PUSH_ENDPOINT.encode())
        for secret in erased:  # her notes; her product (and the planned session carrying it); her browser
            assert any(secret in f.read_bytes() for f in files if f.exists()), secret
        with ctx.read() as conn:
            me = identity_of(conn, get_user(ctx, username="ana"), "session")
        assert me is not None
        delete_account(
            ctx, identity=me, password=password_of("ana"), confirm="ana", address="a", now=FIXED_NOW
        )
        for secret in erased:
            assert not any(secret in f.read_bytes() for f in files if f.exists()), secret

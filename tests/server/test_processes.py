"""Server mode as it runs: two web processes and job workers, real subprocesses on loopback
ports, sharing nothing but a PostgreSQL store, every request signed in (bearer tokens).

- what one web process writes, the other reads; an offline cramp replayed to the other web
  process is not created twice; an upload sent to one is followed to the end through the
  other (the job worker imports it into the account's journal), and another account's
  request for that job answers 404 whichever process it reaches; without credentials, 401;
- a worker killed with SIGKILL in the middle of an import: another worker finishes the job,
  nothing is stored twice, no session is half-written, and no process is left behind;
- SIGTERM lets the worker finish its job before it exits;
- `serve --workers 2`: two web processes, gone when `serve` is killed.
"""

from __future__ import annotations

import io
import signal
import time
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
import pytest

from tests.server.processes import Processes, alive, descendants, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

FILES_IN_BIG_UPLOAD = 300


def gpx(start: datetime, points: int) -> bytes:
    """A run recorded every 10 s from `start` (UTC)."""
    body = "".join(
        f'<trkpt lat="{46 + i * 0.0001:.4f}" lon="14.0"><time>{(start + timedelta(seconds=10 * i)).isoformat()}</time>'
        f"<extensions><hr>{140 + i % 20}</hr></extensions></trkpt>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>running</type><trkseg>{body}</trkseg></trk></gpx>"
    ).encode()


def export_zip(n: int, points: int = 200, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """An account export of `n` runs, one a day."""
    first = datetime.fromisoformat("2024-01-01T07:00:00+00:00")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for i in range(n):
            archive.writestr(f"activities/{i:04d}.gpx", gpx(first + timedelta(days=i), points))
    return buffer.getvalue()


def queue_upload(url: str, auth: dict[str, str], data: bytes, name: str = "export.zip") -> str:
    """Send an upload as a background import (signed in with `auth`); the job's id."""
    answer = httpx.post(
        f"{url}/api/v1/imports",
        files={"files": (name, data, "application/zip")},
        headers={"Prefer": "respond-async", **auth},
        timeout=60,
    )
    assert answer.status_code == 202, answer.text
    assert answer.headers["location"] == f"/api/v1/imports/{answer.json()['id']}"
    return str(answer.json()["id"])


def job(url: str, auth: dict[str, str], job_id: str) -> dict[str, object]:
    answer = httpx.get(f"{url}/api/v1/imports/{job_id}", headers=auth, timeout=10)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_two_web_processes_and_a_worker_share_only_the_store(
    processes: Processes, tokens: dict[str, dict[str, str]]
) -> None:
    ana, ben = tokens["ana"], tokens["ben"]
    _a, one = processes.serve(name="web-a")
    _b, other = processes.serve(name="web-b")
    processes.worker()
    assert httpx.get(f"{one}/api/v1/cramps", timeout=10).status_code == 401
    cramp = {"at": "2026-05-01T08:55:00+02:00", "muscle": "calf", "side": "left", "context": "exercise"}
    key = {"Idempotency-Key": "phone-1:c-17"}
    first = httpx.post(f"{one}/api/v1/cramps", json=cramp, headers={**key, **ana}, timeout=10)
    assert first.status_code == 201, first.text
    again = httpx.post(f"{other}/api/v1/cramps", json=cramp, headers={**key, **ana}, timeout=10)
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    listed = httpx.get(f"{other}/api/v1/cramps", headers=ana, timeout=10).json()
    assert [c["id"] for c in listed] == [first.json()["id"]]
    assert httpx.get(f"{other}/api/v1/cramps", headers=ben, timeout=10).json() == []

    job_id = queue_upload(one, ana, export_zip(3))
    wait_for(lambda: job(other, ana, job_id)["status"] == "done", 60, "the job to be done", interval_s=0.2)
    done = job(other, ana, job_id)
    assert done["files_done"] == done["files_total"] == 3
    result = done["result"]
    assert isinstance(result, dict) and [f["status"] for f in result["files"]] == ["imported"] * 3
    assert len(httpx.get(f"{one}/api/v1/sessions", headers=ana, timeout=10).json()) == 3  # ana's journal
    assert httpx.get(f"{one}/api/v1/sessions", headers=ben, timeout=10).json() == []
    page = httpx.get(f"{one}/import/jobs/{job_id}", headers=ana, timeout=10)
    assert page.status_code == 200 and "3 imported, 0 duplicates" in page.text
    assert 'http-equiv="refresh"' not in page.text  # over: no more refreshing
    for url in (one, other):  # another account's job is not there for ben, nor for no one
        assert httpx.get(f"{url}/api/v1/imports/{job_id}", headers=ben, timeout=10).status_code == 404
        assert httpx.get(f"{url}/import/jobs/{job_id}", headers=ben, timeout=10).status_code == 404
        assert httpx.get(f"{url}/api/v1/imports/{job_id}", timeout=10).status_code == 401
    assert httpx.get(f"{one}/api/v1/imports/{'0' * 32}", headers=ana, timeout=10).status_code == 404


def _progress(sql: Callable[[str], object]) -> int:
    return int(str(sql("SELECT count(*) FROM import_job_results")))


def test_a_job_survives_its_worker_killed_midway(
    processes: Processes, sql: Callable[[str], object], tokens: dict[str, dict[str, str]]
) -> None:
    ana = tokens["ana"]
    _web, url = processes.serve()
    first = processes.worker(name="worker-1")
    job_id = queue_upload(url, ana, export_zip(FILES_IN_BIG_UPLOAD))
    wait_for(lambda: _progress(sql) >= 5, 120, "the first worker to import a few files", interval_s=0.02)
    children = descendants(first.pid)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    at_kill = _progress(sql)
    assert at_kill < FILES_IN_BIG_UPLOAD, "the import finished before the worker was killed: make it longer"
    assert sql("SELECT status FROM import_jobs") == "running"
    time.sleep(3)  # nothing imports while no worker runs
    assert _progress(sql) == at_kill
    assert not [pid for pid in children if alive(pid)], "the killed worker left processes behind"

    second = processes.worker(name="worker-2")
    wait_for(
        lambda: job(url, ana, job_id)["status"] == "done", 180, "the second worker to finish", interval_s=0.2
    )
    done = job(url, ana, job_id)
    assert done["attempts"] == 2
    result = done["result"]
    assert isinstance(result, dict)
    assert (result["imported"], result["duplicates"], result["errors"]) == (FILES_IN_BIG_UPLOAD, 0, 0)
    # each file stored once, each session whole (its recording and its file hash with it)
    assert sql("SELECT count(*) FROM sessions") == FILES_IN_BIG_UPLOAD
    assert sql("SELECT count(DISTINCT start_utc) FROM sessions") == FILES_IN_BIG_UPLOAD
    assert sql("SELECT count(*) FROM session_series") == FILES_IN_BIG_UPLOAD
    assert sql("SELECT count(*) FROM imported_files") == FILES_IN_BIG_UPLOAD
    assert "queued again" in processes.log(second)


def test_sigterm_stops_the_worker_after_its_running_job(
    processes: Processes, sql: Callable[[str], object], tokens: dict[str, dict[str, str]]
) -> None:
    ana = tokens["ana"]
    _web, url = processes.serve()
    worker = processes.worker()
    job_id = queue_upload(url, ana, export_zip(FILES_IN_BIG_UPLOAD // 2))
    wait_for(lambda: _progress(sql) >= 1, 120, "the worker to start importing", interval_s=0.02)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=180) == 0
    done = job(url, ana, job_id)
    assert (done["status"], done["attempts"], done["files_done"]) == ("done", 1, FILES_IN_BIG_UPLOAD // 2)
    assert "crampwise worker: stopped" in processes.log(worker)


def test_serve_with_two_workers_runs_two_web_processes_that_end_with_it(
    processes: Processes, tokens: dict[str, dict[str, str]]
) -> None:
    serve, url = processes.serve("--workers", "2")
    assert "2 web processes" in processes.log(serve)
    # uvicorn's supervisor, its two web processes (and multiprocessing's resource tracker)
    web = [pid for pid in descendants(serve.pid) if "multiprocessing" in _cmdline(pid)]
    assert len([pid for pid in web if "spawn_main" in _cmdline(pid)]) == 2
    for _ in range(6):  # each process checks the same token against the shared store
        assert httpx.get(f"{url}/api/v1/cramps", headers=tokens["ana"], timeout=10).status_code == 200
    everyone = descendants(serve.pid)
    serve.send_signal(signal.SIGKILL)
    serve.wait(timeout=10)
    wait_for(lambda: not [pid for pid in everyone if alive(pid)], 10, "the web processes to end with serve")


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""

"""A killed import leaves no worker process behind, and a stopped one leaves a consistent store.

Issue 18: a real multi-file import runs in a subprocess (`crampwise import` on generated FIT
files, two worker processes); while its workers are busy it is killed with SIGKILL, SIGTERM or
SIGINT; a few seconds later none of the processes it started is alive (checked by pid and
start time). After SIGTERM and SIGINT the store holds only whole files, and running the same
import again finishes the job.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fit_writer import Activity, Leg, activity_bytes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)"),
]

N_FILES = 48
CLI = [sys.executable, "-c", "from crampwise.cli.entry import main; main()"]


@pytest.fixture(scope="module")
def fit_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """48 four-hour runs at 1 Hz (about 24 MB): seconds of decoding for two workers."""
    folder = tmp_path_factory.mktemp("fit")
    for seed in range(N_FILES):
        spec = Activity([Leg("run", 4 * 3600)], seed=seed, start=1_000_000_000 + seed * 86_400)
        (folder / f"run-{seed:03d}.fit").write_bytes(activity_bytes(spec))
    return folder


def _stat(pid: int) -> tuple[int, int, str] | None:
    """(parent pid, start time in clock ticks, state) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[19]), fields[0]


def descendants(root: int) -> dict[int, int]:
    """Every live process below `root`, as pid -> start time."""
    parents: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (info := _stat(int(entry))) is not None and info[2] != "Z":
            parents[int(entry)] = (info[0], info[1])
    found: dict[int, int] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, started) in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                frontier.append(pid)
    return found


def alive(processes: dict[int, int]) -> list[int]:
    """Those of `processes` still running (same pid and start time, not a zombie)."""
    out = []
    for pid, started in processes.items():
        info = _stat(pid)
        if info is not None and info[1] == started and info[2] != "Z":
            out.append(pid)
    return out


def stored_files(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("select count(*) from imported_files").fetchone()[0])
    except sqlite3.OperationalError:  # the table does not exist yet
        return 0


def start_import(db: Path, folder: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CRAMPWISE_DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([*CLI, "athlete", "add", "Ana", "--timezone", "Europe/Madrid"], env=env, check=True)
    return subprocess.Popen(
        [*CLI, "import", str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint,  # run from a background job, SIGINT would start ignored
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def busy_workers(process: subprocess.Popen[bytes], db: Path) -> dict[int, int]:
    """Wait until the import has stored a file and has worker processes; return them."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the import ended before it could be killed"
        workers = descendants(process.pid)
        if len(workers) >= 2 and stored_files(db) >= 1:
            return workers
        time.sleep(0.02)
    raise AssertionError("the import never got busy")


def assert_consistent(db: Path) -> None:
    """Whole files only: every stored file's sessions exist and carry their series."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        files = conn.execute("select session_ids from imported_files").fetchall()
        sessions = {row[0] for row in conn.execute("select record_id from sessions")}
        series = {row[0] for row in conn.execute("select session_id from session_series")}
    ids = [i for (text,) in files for i in text.strip("[]").replace('"', "").split(", ") if i]
    assert len(ids) == len(files) == len(sessions) == len(series)
    assert set(ids) == sessions == series


@pytest.mark.parametrize(
    "signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["KILL", "TERM", "INT"]
)
def test_no_worker_outlives_a_killed_import(fit_folder: Path, tmp_path: Path, signum: int) -> None:
    db = tmp_path / "store.db"
    process = start_import(db, fit_folder)
    try:
        workers = busy_workers(process, db)
        os.kill(process.pid, signum)
        process.wait(timeout=30)
        deadline = time.monotonic() + 5
        while alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alive(workers) == [], f"still running after 5 s: {alive(workers)}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert_consistent(db)
    assert stored_files(db) < N_FILES  # killed while busy, not after the end
    if signum != signal.SIGKILL:
        assert process.returncode == 128 + signum
        assert b"run the same command again" in process.stderr.read()  # type: ignore[union-attr]
    env = {**os.environ, "CRAMPWISE_DATABASE_URL": f"sqlite:///{db}"}
    again = subprocess.run([*CLI, "import", str(fit_folder), "--json"], env=env, capture_output=True)
    assert again.returncode == 0, again.stderr
    assert_consistent(db)
    assert stored_files(db) == N_FILES

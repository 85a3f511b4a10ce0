"""A hostile disk: every command that touches the store says so in one line and exits 3.

The stores: a damaged SQLite file (random bytes; a valid header over garbage pages), a store
written by a newer crampwise (a migration head this one does not know), a locked store (another
process holds SQLite's exclusive lock; `?timeout=1` keeps the wait short), a read-only file
system and a full one (tmpfs mounts inside a user namespace, so the test needs no privilege and
leaves no mount behind). For each: every command that touches the store exits 3 with one line
on stderr and no traceback, and the store's file is byte for byte what it was. The web app
answers 503 (never 500) on every page and API route that reads or writes the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crampwise.config import Settings
from crampwise.services import journal
from crampwise.services.bundles import import_bundle
from crampwise.services.context import open_context
from crampwise.web.app import create_app
from tests.conftest import FIXED_NOW, LOCAL_URL, make_sample_bundle
from tests.faults.harness import ROOT

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow


# The good backup `restore` reads, beside the good store; the commands run in that folder.
BACKUP = "good-backup.db"
GOOD_FOLDER: dict[str, Path] = {}


def commands(work: Path) -> list[list[str]]:
    """Every command that reads or writes the store (those that need one), with valid arguments."""
    bundle = work / "in.json"
    if not bundle.exists():
        other = make_sample_bundle()
        other["athlete"]["name"] = "Bea"
        bundle.write_text(json.dumps(other))
    return [
        ["init"],
        ["athlete", "list"],
        ["athlete", "show"],
        ["athlete", "add", "Cleo"],
        ["athlete", "set", "--body-mass", "62kg"],
        ["log", "cramp", "--muscle", "calf", "--context", "rest", "--at", "2026-05-20T10:00"],
        ["log", "session", "--sport", "run", "--duration", "30m", "--start", "2026-05-21T07:00"],
        ["log", "day", "--date", "2026-05-22", "--sleep", "7h"],
        ["list", "cramps"],
        ["list", "sessions", "--json"],
        ["show", "cramp", "c-0001"],
        ["edit", "cramp", "c-0001", "--severity", "3"],
        ["delete", "cramp", "c-0002"],
        ["import", str(bundle)],
        ["export", "--format", "bundle", "--out", str(work / "out.json")],
        ["export", "--format", "csv", "--out", str(work / "csv")],
        ["backup", str(work / "backup.db")],
        ["restore", str(BACKUP), "--replace"],
        ["insights"],
        ["check"],
        ["sweat"],
        ["plan", "--sport", "run", "--duration", "1h", "--temperature", "20"],
        ["report", "--format", "html", "--out", str(work / "report.html")],
    ]


def run_all(
    url: str, argv_list: list[list[str]], work: Path, wrapper: list[str] | None = None
) -> list[dict[str, Any]]:
    """Run the commands on `url` in one process (inside `wrapper`, a namespace, when given)."""
    listing = work / "commands.json"
    listing.write_text(json.dumps([["--db", url, *argv] for argv in argv_list]))
    command = [sys.executable, "-m", "tests.faults.run_commands", str(listing)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [*(wrapper or []), *command],
        cwd=GOOD_FOLDER["path"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused(results: list[dict[str, Any]], expected: str) -> None:
    """Each command: exit 3, exactly one line on stderr naming the problem, no traceback."""
    for result in results:
        where = " ".join(result["argv"][2:])
        assert result["exception"] is None, f"{where}: {result['exception']}"
        lines = result["stderr"].splitlines()
        assert result["code"] == 3, f"{where}: exit {result['code']}: {result['stderr']}"
        assert len(lines) == 1 and lines[0].startswith("crampwise: error: "), f"{where}: {result['stderr']}"
        assert expected in lines[0].lower(), f"{where}: {lines[0]}"
        assert "Traceback" not in result["stderr"]


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the sample athlete Ana (two cramps, two sessions), closed (no WAL left);
    a copy of it is the backup `restore` reads."""
    path = tmp_path_factory.mktemp("good") / "crampwise.db"
    with open_context(Settings(database_url=f"sqlite:///{path}", data_dir=path.parent)) as ctx:
        import_bundle(ctx, data=make_sample_bundle(), now=FIXED_NOW)
    shutil.copyfile(path, path.with_name(BACKUP))
    GOOD_FOLDER["path"] = path.parent
    return path


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def test_every_command_works_on_a_good_store(good_store: Path, tmp_path: Path, work: Path) -> None:
    """The commands of these tests are valid: on a healthy store each one succeeds."""
    store = tmp_path / "crampwise.db"
    shutil.copyfile(good_store, store)
    results = run_all(f"sqlite:///{store}", commands(work), work)
    for result in results:
        assert (result["code"], result["exception"]) == (0, None), result


def _damaged_random(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _damaged_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the header survives; the schema page does not
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.close()


HOSTILE = {
    "random bytes": (_damaged_random, "not a crampwise store"),
    "damaged pages": (_damaged_pages, "damaged"),
    "a newer crampwise": (_newer, "newer crampwise"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_every_command_refuses_a_damaged_or_newer_store(
    good_store: Path, tmp_path: Path, work: Path, kind: str
) -> None:
    spoil, expected = HOSTILE[kind]
    store = tmp_path / "crampwise.db"
    shutil.copyfile(good_store, store)
    spoil(store)
    before = digest(store)
    assert_refused(run_all(f"sqlite:///{store}", commands(work), work), expected)
    assert digest(store) == before
    assert not (work / "out.json").exists() and not (work / "backup.db").exists()


def test_every_command_waits_then_refuses_a_locked_store(
    good_store: Path, tmp_path: Path, work: Path
) -> None:
    store = tmp_path / "crampwise.db"
    shutil.copyfile(good_store, store)
    holder = sqlite3.connect(store, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")  # readers are shut out too
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("CREATE TABLE held (x)")
        argv_list = [a for a in commands(work) if a[0] in ("list", "log", "import", "backup", "check")]
        assert_refused(run_all(f"sqlite:///{store}?timeout=0.5", argv_list, work), "locked")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT count(*) FROM cramps").fetchone() == (2,)
    conn.close()


# -- a read-only and a full file system (tmpfs inside a user namespace) ----------------------


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt"], capture_output=True
    )
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not _namespaces_work(),
    reason="needs unprivileged user and mount namespaces (unshare -Urm) to mount a small tmpfs",
)


def in_namespace(setup: str, after: str = "true") -> list[str]:
    """A wrapper that runs a command in a new user and mount namespace: `setup` (sh) first,
    `after` once it ended (while the mounts still exist); the command's exit code is kept."""
    script = f'set -e; {setup}; set +e; "$@"; code=$?; {after}; exit $code'
    return ["unshare", "-Urm", "sh", "-c", script, "sh"]


@needs_namespaces
def test_every_command_refuses_a_read_only_store(good_store: Path, tmp_path: Path, work: Path) -> None:
    mount = tmp_path / "ro"
    mount.mkdir()
    setup = (
        f"mount -t tmpfs -o size=4m none {mount}; cp {good_store} {mount}/crampwise.db; "
        f"mount -o remount,ro {mount}"
    )
    results = run_all(f"sqlite:///{mount}/crampwise.db", commands(work), work, in_namespace(setup))
    assert_refused(results, "read")
    assert not (work / "out.json").exists()


@needs_namespaces
def test_a_full_disk_refuses_writes_and_keeps_the_store(good_store: Path, tmp_path: Path, work: Path) -> None:
    """On a 1 MiB file system: an import too large fails whole and the store still reads; a
    backup that does not fit leaves nothing; once the disk is full, every command exits 3."""
    mount = tmp_path / "full"
    mount.mkdir()
    url = f"sqlite:///{mount}/crampwise.db"
    big = make_sample_bundle()
    big["sessions"] += [
        {
            "id": f"s-{i:05d}",
            "start": "2024-01-01T07:00:00+00:00",
            "sport": "run",
            "duration_s": 3600 + i,
            "notes": "x" * 500,
        }
        for i in range(3, 3003)
    ]
    (work / "big.json").write_text(json.dumps(big))
    report = tmp_path / "report.txt"
    setup = (
        f"mount -t tmpfs -o size=1m none {mount}; cp {good_store} {mount}/crampwise.db; "
        f"sha256sum {mount}/crampwise.db > {report}.before"
    )
    # 1. a write too large for the disk; then a read; then a backup onto the same disk
    after = f"sha256sum {mount}/crampwise.db > {report}.after; ls -a {mount} > {report}.files"
    backups = [["backup", f"{mount}/backup.db"], *(["backup", f"{mount}/backup-{i}.db"] for i in range(6))]
    first = run_all(
        url,
        [["import", str(work / "big.json")], ["list", "cramps"], *backups],
        work,
        in_namespace(setup, after),
    )
    assert_refused(first[:1], "full")
    assert (first[1]["code"], first[1]["exception"]) == (0, None), first[1]
    assert (Path(f"{report}.before").read_text().split()[0]) == Path(f"{report}.after").read_text().split()[0]
    refused = [r for r in first[2:] if r["code"] != 0]
    assert refused, "the disk never filled up"
    assert_refused(refused, "full")
    files = set(Path(f"{report}.files").read_text().split())
    ok = {"backup.db"} | {f"backup-{i}.db" for i in range(6)}
    assert files - ok - {".", "..", "crampwise.db"} == set(), f"a failed backup left {files}"
    # 2. the disk full to the last byte: every command refuses, the store is untouched
    fill = f"{setup}; dd if=/dev/zero of={mount}/fill bs=4k 2>/dev/null || true"
    results = run_all(url, commands(work), work, in_namespace(fill, after))
    assert_refused(results, "disk")
    assert Path(f"{report}.before").read_text().split()[0] == Path(f"{report}.after").read_text().split()[0]


# -- the web app: 503, never 500 --------------------------------------------------------------

STORE_PAGES = ["/", "/history", "/insights", "/check", "/report/view", "/settings"]
STORE_API = [
    "/api/v1/cramps",
    "/api/v1/sessions",
    "/api/v1/days",
    "/api/v1/insights",
    "/api/v1/check",
    "/api/v1/export",
]


@pytest.fixture
def spoiled_clients(good_store: Path, tmp_path: Path) -> Iterator[dict[str, TestClient]]:
    clients = {}
    for name, (spoil, _expected) in HOSTILE.items():
        store = tmp_path / f"{name.replace(' ', '-')}.db"
        shutil.copyfile(good_store, store)
        spoil(store)
        settings = Settings(database_url=f"sqlite:///{store}", data_dir=tmp_path)
        clients[name] = TestClient(
            create_app(settings, clock=lambda: FIXED_NOW), base_url=LOCAL_URL, raise_server_exceptions=False
        )
    yield clients
    for client in clients.values():
        client.close()


def test_the_web_answers_503_on_a_damaged_or_newer_store(spoiled_clients: dict[str, TestClient]) -> None:
    for name, client in spoiled_clients.items():
        for path in STORE_PAGES + STORE_API:
            answer = client.get(path)
            assert answer.status_code == 503, (name, path, answer.status_code, answer.text[:300])
        posted = client.post("/api/v1/cramps", json={"muscle": "calf", "context": "rest"})
        assert posted.status_code == 503, (name, posted.text[:300])
        assert "Traceback" not in posted.text
        uploaded = client.post(
            "/api/v1/imports", files={"files": ("a.json", json.dumps(make_sample_bundle()))}
        )
        assert uploaded.status_code == 503, (name, uploaded.text[:300])
        # what needs no store still works: the relief guide is there when the store is not
        assert client.get("/now/calf").status_code == 200


def test_the_whole_route_table_never_answers_500(spoiled_clients: dict[str, TestClient]) -> None:
    """Every GET route without a path parameter, on every spoiled store: any answer but a 500."""
    client = spoiled_clients["damaged pages"]
    try:  # FastAPI >= 0.120 includes routers lazily
        from fastapi.routing import iter_route_contexts

        routes: list[Any] = list(iter_route_contexts(client.app.routes))  # type: ignore[attr-defined]
    except ImportError:
        routes = list(client.app.routes)  # type: ignore[attr-defined]
    paths = sorted(
        {
            r.path
            for r in routes
            if "{" not in (getattr(r, "path", None) or "{") and "GET" in (r.methods or ())
        }
    )
    assert len(paths) >= 15
    for name, client in spoiled_clients.items():
        for path in paths:
            answer = client.get(path)
            assert answer.status_code != 500, (name, path, answer.text[:300])


def test_a_store_from_a_newer_crampwise_is_refused_and_left_alone_on_both_databases(
    store_url: str, tmp_path: Path
) -> None:
    """On SQLite and PostgreSQL: a revision this crampwise does not know stops every use of the
    store with a StoreError (exit 3 / 503), before any migration touches it."""
    from sqlalchemy import create_engine, text

    from crampwise.domain.errors import StoreError

    settings = Settings(database_url=store_url, data_dir=tmp_path)
    with open_context(settings) as ctx:
        journal.add_athlete(ctx, data={"name": "Ana"})
    engine = create_engine(store_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
        with open_context(settings) as ctx, pytest.raises(StoreError, match="written by a newer crampwise"):
            journal.list_athletes(ctx)
        with engine.connect() as conn:
            assert (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                == "0099_from_the_future"
            )
            assert conn.execute(text("SELECT name FROM athletes")).scalars().all() == ["Ana"]
    finally:
        engine.dispose()

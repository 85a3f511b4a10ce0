"""Kill anywhere: SIGKILL at 20+ points spread over a whole operation loses nothing, fakes nothing.

For each operation (a bundle import, a multi-file archive import, a backup, a migration) on
SQLite and PostgreSQL: one run counts the operation's checkpoints (`crampwise.faults`: every SQL
statement before and after, every 500 steps of SQLite's virtual machine, every commit and the
moment after it, every step of a backup copy and of its publication); then, for 24 points
spread evenly over them, a run is killed with SIGKILL at exactly that point (the test asserts
it was reached), the store is checked (as before the unit of work, or with all of it), and
running the same command again must finish the job, with no duplicate. Each sweep must see
both a store "as before" and one "with all of it": a branch of these tests that never runs is a
failure, not a pass.
"""

from __future__ import annotations

import io
import json
import os
import signal
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from crampwise.config import Settings
from crampwise.services.bundles import import_bundle
from crampwise.services.context import open_context
from tests.conftest import FIXED_NOW, POSTGRES_ENV, make_sample_bundle
from tests.faults.harness import (
    Forker,
    Tally,
    copy_sqlite,
    postgres_schema,
    rows,
    snapshot,
    spread,
)
from tests.fit_writer import Activity, Leg, activity_bytes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the runner forks (POSIX)"),
]

DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="module")
def forker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Forker]:
    runner = Forker(tmp_path_factory.mktemp("forker"))
    yield runner
    runner.close()


class Stores:
    """Fresh stores in a given state: SQLite copies of one template, or new PostgreSQL schemas."""

    def __init__(self, database: str, work: Path, build: Callable[[str], None]) -> None:
        self.database = database
        self.work = work
        self.build = build
        self.made = 0
        self.template: Path | None = None
        if database == "postgresql" and not os.environ.get(POSTGRES_ENV):
            pytest.skip(f"{POSTGRES_ENV} is not set (run under scripts/with-postgres.sh)")

    @contextmanager
    def fresh(self) -> Iterator[str]:
        self.made += 1
        if self.database == "sqlite":
            if self.template is None:
                self.template = self.work / "template" / "crampwise.db"
                self.build(f"sqlite:///{self.template}")
            yield copy_sqlite(self.template, self.work / f"store-{self.made}" / "crampwise.db")
            return
        with postgres_schema(os.environ[POSTGRES_ENV]) as url:
            self.build(url)
            yield url


def sweep(
    forker: Forker,
    stores: Stores,
    operation: str,
    argv: Callable[[str], list[str]],
    classify: Callable[[str], str],
    finished: Callable[[str], None],
) -> Tally:
    """Count the checkpoints, then kill at points spread over them; each time check and finish."""
    tally = Tally(operation)
    with stores.fresh() as url:
        calibration = forker.run(argv(url), kill_at=0)
        assert calibration.status == 0, calibration.output
        finished(url)
    tally.total = calibration.count
    for n in spread(tally.total):
        with stores.fresh() as url:
            killed = forker.run(argv(url), kill_at=n)
            assert killed.status == -signal.SIGKILL, f"kill point {n} was not reached: {killed.output}"
            assert killed.killed_at is not None and killed.killed_at[0] == n
            tally.reached.append(killed.killed_at)
            tally.saw(classify(url))
            again = forker.run(argv(url))
            assert again.status == 0, f"after a kill at {killed.killed_at}: {again.output}"
            finished(url)
    print(tally.line())
    assert len(tally.reached) >= 20
    return tally


# -- a bundle import ------------------------------------------------------------------------


def big_bundle() -> dict[str, Any]:
    """Ana's sample bundle grown to a season: what is stored is updated, the rest added."""
    bundle = make_sample_bundle()
    bundle["sessions"][1]["notes"] = "changed by the import"
    for i in range(3, 303):
        day = 1 + (i % 28)
        bundle["sessions"].append(
            {
                "id": f"s-{i:04d}",
                "start": f"2025-{1 + i % 12:02d}-{day:02d}T07:00:00+01:00",
                "sport": "run",
                "duration_s": 1800 + i,
                "rpe": 5,
                "notes": f"session {i}",
            }
        )
    for i in range(3, 153):
        bundle["cramps"].append(
            {
                "id": f"c-{i:04d}",
                "at": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T22:00:00+01:00",
                "muscle": "calf",
                "context": "rest",
                "severity": 1 + i % 10,
            }
        )
    return bundle


def _store_with_sample(url: str) -> None:
    with open_context(Settings(database_url=url, data_dir=Path("."))) as ctx:
        import_bundle(ctx, data=make_sample_bundle(), now=FIXED_NOW)


@pytest.mark.parametrize("database", DATABASES)
def test_kill_a_bundle_import_anywhere(forker: Forker, tmp_path: Path, database: str) -> None:
    stores = Stores(database, tmp_path, _store_with_sample)
    bundle = tmp_path / "season.json"
    bundle.write_text(json.dumps(big_bundle()))
    with stores.fresh() as url:
        before = snapshot(url)
    after: dict[str, Any] = {}

    def finished(url: str) -> None:
        now = snapshot(url)
        after.setdefault("snapshot", now)
        assert now == after["snapshot"]
        assert rows(url, "SELECT count(*), count(DISTINCT record_id) FROM sessions") == [(302, 302)]

    def classify(url: str) -> str:
        now = snapshot(url)
        if now == before:
            return "before"
        assert now == after["snapshot"], "a killed bundle import left part of itself"
        return "after"

    tally = sweep(
        forker,
        stores,
        f"bundle import ({database})",
        lambda url: ["--db", url, "import", str(bundle), "--json"],
        classify,
        finished,
    )
    assert tally.outcomes.keys() == {"before", "after"}


# -- a multi-file archive import ------------------------------------------------------------

ARCHIVE_FILES = 6


def fit_archive(path: Path) -> list[str]:
    """A zip of six short FIT runs (ten minutes at 1 Hz each); their names in order."""
    names = [f"run-{seed:02d}.fit" for seed in range(ARCHIVE_FILES)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for seed, name in enumerate(names):
            spec = Activity([Leg("run", 600)], seed=seed, start=1_000_000_000 + seed * 86_400)
            archive.writestr(name, activity_bytes(spec))
    path.write_bytes(buffer.getvalue())
    return names


@pytest.mark.parametrize("database", DATABASES)
def test_kill_a_multi_file_archive_import_anywhere(forker: Forker, tmp_path: Path, database: str) -> None:
    stores = Stores(database, tmp_path, _store_with_sample)
    archive = tmp_path / "export.zip"
    names = fit_archive(archive)
    after: dict[str, Any] = {}

    def imported(url: str) -> list[str]:
        """The archive's members stored, in input order (a prefix of it, each one whole)."""
        paths = [p for (p,) in rows(url, "SELECT path FROM imported_files")]
        stored = [name for name in names if any(p.endswith(name) for p in paths)]
        assert len(stored) == len(paths) and stored == names[: len(stored)], paths
        sessions = rows(
            url, "SELECT count(*), count(DISTINCT start_utc) FROM sessions WHERE source LIKE 'fit:%'"
        )
        series = rows(url, "SELECT count(*) FROM session_series")
        assert sessions == [(len(stored), len(stored))] and series == [(len(stored),)]
        return stored

    def finished(url: str) -> None:
        assert imported(url) == names
        now = snapshot(url)
        after.setdefault("snapshot", now)
        assert now == after["snapshot"]

    def classify(url: str) -> str:
        return f"{len(imported(url))} of {len(names)} files"

    argv = lambda url: ["--db", url, "import", str(archive), "--workers", "1", "--json"]  # noqa: E731
    tally = sweep(forker, stores, f"archive import ({database})", argv, classify, finished)
    assert {"0 of 6 files", "6 of 6 files"} <= tally.outcomes.keys()
    assert len(tally.outcomes) >= 4, tally.outcomes  # killed between files, not only at the ends


# -- a backup -------------------------------------------------------------------------------

OLD_BACKUP = b"an older backup, which a killed backup must leave as it was\n"


def _store_to_back_up(url: str) -> None:
    _store_with_sample(url)
    with open_context(Settings(database_url=url, data_dir=Path("."))) as ctx:
        extra = make_sample_bundle()
        extra["athlete"]["name"] = "Bea"
        extra["sessions"] += [
            {
                "id": f"s-{i:04d}",
                "start": f"2025-03-{1 + i % 28:02d}T07:00:00+01:00",
                "sport": "ride",
                "duration_s": 3600,
                "notes": "x" * 200,
            }
            for i in range(3, 200)
        ]
        import_bundle(ctx, data=extra, now=FIXED_NOW)


@pytest.mark.parametrize("database", DATABASES)
def test_kill_a_backup_anywhere(forker: Forker, tmp_path: Path, database: str) -> None:
    stores = Stores(database, tmp_path, _store_to_back_up)
    with stores.fresh() as url:
        source = snapshot(url)
    outputs = tmp_path / "backups"
    outputs.mkdir()
    target = outputs / "crampwise-backup.db"
    complete: dict[str, Any] = {}

    def content(url: str) -> Any:
        """What the backup holds: a SQLite store's snapshot, or the archive document."""
        if target.read_bytes()[:16] == b"SQLite format 3\x00":
            return snapshot(f"sqlite:///{target}")
        return json.loads(target.read_text())

    def argv(url: str) -> list[str]:
        target.write_bytes(OLD_BACKUP)
        return ["--db", url, "backup", str(target), "--json"]

    def finished(url: str) -> None:
        assert snapshot(url) == source  # a backup never changes its store
        held = content(url)
        complete.setdefault("content", held)
        assert held == complete["content"]
        if database == "sqlite":
            assert held == source
        assert sorted(p.name for p in outputs.iterdir()) == [target.name], (
            "a killed backup left a file behind"
        )

    def classify(url: str) -> str:
        assert snapshot(url) == source
        if target.read_bytes() == OLD_BACKUP:
            return "before"
        assert content(url) == complete["content"], "a killed backup left half a backup"
        return "after"

    tally = sweep(forker, stores, f"backup ({database})", argv, classify, finished)
    assert tally.outcomes.keys() == {"before", "after"}


# -- a migration ----------------------------------------------------------------------------

OLD_REVISION = "0002_imports"


def _store_at_an_old_revision(url: str) -> None:
    """A store left by an older crampwise (revision 0002) holding a journal."""
    from datetime import date, datetime

    from sqlalchemy import MetaData, insert

    from crampwise.storage.engine import make_engine
    from crampwise.storage.migrate import upgrade

    engine = make_engine(url)
    try:
        upgrade(engine, OLD_REVISION)
        tables = MetaData()
        tables.reflect(engine)
        with engine.begin() as conn:
            pk = conn.execute(
                insert(tables.tables["athletes"]).values(name="Ana", timezone="Europe/Madrid", units="metric")
            ).inserted_primary_key[0]
            conn.execute(
                insert(tables.tables["sessions"]),
                [
                    {
                        "athlete_pk": pk,
                        "record_id": f"s-{i:04d}",
                        "start_utc": datetime(2025, 1 + i % 12, 1 + i % 28, 7),  # noqa: DTZ001 (naive UTC, as stored)
                        "start_offset_min": 60,
                        "sport": "run",
                        "duration_s": 3600.0 + i,
                    }
                    for i in range(1, 121)
                ],
            )
            conn.execute(
                insert(tables.tables["cramps"]),
                [
                    {
                        "athlete_pk": pk,
                        "record_id": f"c-{i:04d}",
                        "at_utc": datetime(2025, 1 + i % 12, 1 + i % 28, 22),  # noqa: DTZ001 (naive UTC, as stored)
                        "at_offset_min": 60,
                        "muscle": "calf",
                        "context": "rest",
                        "relief": [],
                        "symptoms": [],
                    }
                    for i in range(1, 61)
                ],
            )
            conn.execute(
                insert(tables.tables["days"]),
                [
                    {"athlete_pk": pk, "date": date(2025, 1 + i % 12, 1 + i % 28), "sleep_h": 7.0}
                    for i in range(1, 41)
                ],
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("database", DATABASES)
def test_kill_a_migration_anywhere(forker: Forker, tmp_path: Path, database: str) -> None:
    stores = Stores(database, tmp_path, _store_at_an_old_revision)
    with stores.fresh() as url:
        before = snapshot(url, schema_too=True)
    assert before["alembic_version"]["rows"] == [repr((OLD_REVISION,))]
    after: dict[str, Any] = {}

    def finished(url: str) -> None:
        now = snapshot(url, schema_too=True)
        after.setdefault("snapshot", now)
        assert now == after["snapshot"]
        assert len(now["sessions"]["rows"]) == 120 and len(now["cramps"]["rows"]) == 60

    def classify(url: str) -> str:
        now = snapshot(url, schema_too=True)
        if now == before:
            return "before"
        assert now == after["snapshot"], "a killed migration left the store half-migrated"
        return "after"

    tally = sweep(
        forker, stores, f"migration ({database})", lambda url: ["--db", url, "init"], classify, finished
    )
    assert tally.outcomes.keys() == {"before", "after"}

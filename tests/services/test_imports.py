"""The import pipeline on a real store: per-file results, idempotence, duplicates, atomicity."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crampwise.services import journal
from crampwise.services.context import AppContext
from crampwise.services.imports import FileResult, import_paths
from crampwise.services.moments import cramp_view, session_view
from crampwise.storage.schema import sessions
from crampwise.storage.series import imported_files, session_series

SHARED = next(
    (
        p
        for p in (
            Path("/work/shared/data/activities"),
            Path(__file__).resolve().parents[3] / "shared/data/activities",
        )
        if p.is_dir()
    ),
    None,
)
needs_shared = pytest.mark.skipif(
    SHARED is None, reason="shared activity files absent (../shared/data/activities)"
)


def gpx(start: str = "2024-05-01T07:00", minutes: int = 30, hr: int = 150) -> bytes:
    """A run recorded once a minute from `start` (UTC), heading north, at a steady heart rate."""
    t0 = datetime.fromisoformat(start + ":00+00:00")
    points = "".join(
        f'<trkpt lat="{46 + i * 0.001:.3f}" lon="14.0"><time>{(t0 + timedelta(minutes=i)).isoformat()}</time>'
        f"<extensions><hr>{hr}</hr></extensions></trkpt>"
        for i in range(minutes + 1)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


@pytest.fixture
def ana(store_ctx: AppContext) -> AppContext:
    """An athlete on a fresh store: SQLite, and PostgreSQL when CRAMPWISE_TEST_POSTGRES_URL is set."""
    journal.add_athlete(store_ctx, data={"name": "Ana", "timezone": "Europe/Madrid"})
    return store_ctx


def count(ctx: AppContext, table: object) -> int:
    with ctx.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def statuses(results: list[FileResult]) -> list[str]:
    return [r.status for r in results]


def test_files_folders_and_reimport(ana: AppContext, tmp_path: Path, now: datetime) -> None:
    (tmp_path / "a.gpx").write_bytes(gpx("2024-05-01T07:00"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.gpx.gz").write_bytes(gzip.compress(gpx("2024-05-02T07:00")))
    (tmp_path / "sub" / "photo.jpg").write_bytes(b"\xff\xd8")  # passed over in a folder walk
    (tmp_path / "empty.fit").write_bytes(b"")
    first = import_paths(ana, athlete=None, paths=[tmp_path], now=now, workers=1)
    assert statuses(first.files) == ["imported", "error", "imported"]
    assert first.files[1].error is not None and "empty" in first.files[1].error
    doc = first.to_json()
    assert (doc["imported"], doc["duplicates"], doc["skipped"], doc["errors"]) == (2, 0, 0, 1)
    assert doc["files"][0]["session_id"] == "s-0001"
    again = import_paths(ana, athlete=None, paths=[tmp_path], now=now, workers=1)
    assert statuses(again.files) == ["duplicate", "error", "duplicate"]
    assert again.files[0].session_ids == ("s-0001",)
    assert count(ana, sessions) == 2 and count(ana, session_series) == 2 and count(ana, imported_files) == 2


def test_process_pool_keeps_input_order(ana: AppContext, tmp_path: Path, now: datetime) -> None:
    paths = []
    for day in range(1, 7):
        path = tmp_path / f"{day}.gpx"
        path.write_bytes(gpx(f"2024-05-0{day}T07:00"))
        paths.append(path)
    report = import_paths(ana, athlete=None, paths=paths, now=now, workers=2)
    assert [f.path for f in report.files] == [str(p) for p in paths]
    assert [f.session_ids for f in report.files] == [(f"s-{i:04d}",) for i in range(1, 7)]


def test_progress_callback(ana: AppContext, tmp_path: Path, now: datetime) -> None:
    seen: list[tuple[int, int, str]] = []
    (tmp_path / "a.gpx").write_bytes(gpx())
    import_paths(
        ana,
        athlete=None,
        paths=[tmp_path / "a.gpx", tmp_path / "missing.fit"],
        now=now,
        progress=lambda done, total, r: seen.append((done, total, r.status)),
    )
    assert seen == [(1, 2, "imported"), (2, 2, "error")]


def test_same_activity_in_another_format_is_a_duplicate(
    ana: AppContext, tmp_path: Path, now: datetime
) -> None:
    (tmp_path / "a.gpx").write_bytes(gpx("2024-05-01T07:00", hr=150))
    (tmp_path / "b.gpx").write_bytes(gpx("2024-05-01T07:00", hr=151))  # other bytes, same run
    report = import_paths(ana, athlete=None, paths=[tmp_path / "a.gpx", tmp_path / "b.gpx"], now=now)
    assert statuses(report.files) == ["imported", "duplicate"]
    assert report.files[1].session_ids == ("s-0001",)


def test_hand_logged_session_gets_the_recording(ana: AppContext, tmp_path: Path, now: datetime) -> None:
    logged = journal.log_session(
        ana,
        athlete=None,
        data={
            "sport": "run",
            "duration_s": 1800,
            "start": datetime.fromisoformat("2024-05-01T09:00:30+02:00"),
            "rpe": 6,
        },
        now=now,
    )
    (tmp_path / "a.gpx").write_bytes(gpx("2024-05-01T07:00", hr=150))
    report = import_paths(ana, athlete=None, paths=[tmp_path / "a.gpx"], now=now)
    assert report.files[0].status == "imported" and report.files[0].session_ids == (logged.id,)
    stored = journal.get_record(ana, athlete=None, kind="session", record_id=str(logged.id))
    assert stored.rpe == 6 and stored.avg_hr == 150 and stored.distance_m is not None  # type: ignore[attr-defined]
    assert count(ana, sessions) == 1


def test_archive_with_traversal_and_a_bomb(ana: AppContext, tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "activities.csv",
            "Activity Name,Activity Type,Filename,Perceived Exertion\nHills,Run,activities/1.gpx,8\n",
        )
        archive.writestr("activities/1.gpx", gpx())
        archive.writestr("../escape.gpx", gpx("2024-06-01T07:00"))
        archive.writestr("activities/bomb.fit", b"\0" * (10 * 1024 * 1024))
    report = import_paths(ana, athlete=None, paths=[path], now=now)
    assert statuses(report.files) == ["imported", "error", "error"]
    session = journal.get_record(ana, athlete=None, kind="session", record_id="s-0001")
    assert session.rpe == 8 and session.name == "Hills"  # type: ignore[attr-defined]
    assert count(ana, sessions) == 1


def test_unknown_athlete_fails_before_anything(ctx: AppContext, tmp_path: Path, now: datetime) -> None:
    from crampwise.domain.errors import NotFound

    with pytest.raises(NotFound):
        import_paths(ctx, athlete=None, paths=[tmp_path], now=now)


def test_cramp_moment_on_an_imported_run(ana: AppContext, tmp_path: Path, now: datetime) -> None:
    (tmp_path / "a.gpx").write_bytes(gpx("2024-05-01T07:00", minutes=30, hr=150))
    import_paths(ana, athlete=None, paths=[tmp_path / "a.gpx"], now=now)
    cramp = journal.log_cramp(
        ana,
        athlete=None,
        data={
            "muscle": "calf",
            "context": "exercise",
            "at": datetime.fromisoformat("2024-05-01T09:20:00+02:00"),
        },
        now=now,
    )
    view = cramp_view(ana, athlete=None, cramp_id=str(cramp.id))
    assert view.session is not None and view.session.id == "s-0001"
    assert view.moment is not None and view.moment.elapsed_s == 1200 and view.moment.heart_rate == 150
    assert view.to_json()["moment"]["fraction"] == pytest.approx(1200 / 1800, abs=1e-3)
    shown = session_view(ana, athlete=None, session_id="s-0001")
    assert shown.series_samples == 31 and shown.source_format == "gpx" and len(shown.cramps) == 1


@pytest.mark.shared
@needs_shared
def test_every_shared_file_imports_or_says_why_and_reimport_is_all_duplicates(
    ana: AppContext, tmp_path: Path, now: datetime
) -> None:
    assert SHARED is not None
    copy = tmp_path / "activities"
    shutil.copytree(SHARED, copy, ignore=shutil.ignore_patterns("*.md"))
    first = import_paths(ana, athlete=None, paths=[copy], now=now, workers=2)
    assert len(first.files) == 46
    assert all(f.status in ("imported", "duplicate", "skipped", "error") for f in first.files)
    assert all(f.error for f in first.files if f.status in ("skipped", "error"))
    by_name = {Path(f.path).name: f for f in first.files}
    # the FIT, GPX and TCX of one ride are one session
    assert by_name["activity_5039744860.gpx"].status == "duplicate"
    assert by_name["activity_5039744860.tcx"].session_ids == by_name["2020-06-01-16-52-40.fit"].session_ids
    assert by_name["MonitoringFile.fit"].status == "skipped"
    second = import_paths(ana, athlete=None, paths=[copy], now=now, workers=2)
    assert {f.status for f in second.files if f.status not in ("skipped", "error")} == {"duplicate"}
    stored = {i for f in first.files if f.status == "imported" for i in f.session_ids}
    # the chained SUP + swim file holds two recordings, a triathlon three legs
    assert count(ana, sessions) == len(stored) > first.count("imported")
    tri = by_name["triathlon_summary_last.fit"]
    assert len(tri.session_ids) == 3 and any("multisport: 3 legs" in n for n in tri.notes)
    legs = [journal.get_record(ana, athlete=None, kind="session", record_id=i) for i in tri.session_ids]
    assert {leg.event_id for leg in legs} == {tri.session_ids[0]}  # type: ignore[attr-defined]
    assert by_name["compressed-speed-distance.fit"].status == "imported"
    assert any("date inferred" in n for n in by_name["compressed-speed-distance.fit"].notes)
    # rebuilt from its records, it is the same SDK example activity as activity-filecrc.fit
    assert by_name["activity_truncated.fit"].status == "duplicate"


def test_a_deleted_session_comes_back_on_reimport(ana: AppContext, tmp_path: Path, now: datetime) -> None:
    (tmp_path / "a.gpx").write_bytes(gpx())
    import_paths(ana, athlete=None, paths=[tmp_path / "a.gpx"], now=now)
    journal.delete_record(ana, athlete=None, kind="session", record_id="s-0001")
    report = import_paths(ana, athlete=None, paths=[tmp_path / "a.gpx"], now=now)
    assert report.files[0].status == "imported" and report.files[0].session_ids == ("s-0002",)
    assert count(ana, imported_files) == 1 and count(ana, session_series) == 1


@pytest.mark.shared
@needs_shared
def test_a_fit_file_replaces_the_gpx_recording_of_the_same_ride(ana: AppContext, now: datetime) -> None:
    assert SHARED is not None
    first = import_paths(ana, athlete=None, paths=[SHARED / "gpx" / "activity_5039744860.gpx"], now=now)
    then = import_paths(ana, athlete=None, paths=[SHARED / "fit" / "2020-06-01-16-52-40.fit"], now=now)
    assert then.files[0].status == "imported" and then.files[0].session_ids == first.files[0].session_ids
    shown = session_view(ana, athlete=None, session_id=first.files[0].session_ids[0])
    assert shown.source_format == "fit" and count(ana, sessions) == 1
    tcx = import_paths(ana, athlete=None, paths=[SHARED / "tcx" / "activity_5039744860.tcx"], now=now)
    assert tcx.files[0].status == "duplicate"


def test_uploads_in_memory_including_an_archive(ana: AppContext, now: datetime) -> None:
    import io

    from crampwise.services.imports import import_uploads

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("activities/2.gpx", gpx("2024-05-02T07:00"))
    report = import_uploads(
        ana,
        athlete=None,
        uploads=[("one.gpx", gpx()), ("export.zip", buffer.getvalue()), ("x.fit", b"")],
        now=now,
    )
    assert [(f.path, f.status) for f in report.files] == [
        ("one.gpx", "imported"),
        ("export.zip!activities/2.gpx", "imported"),
        ("x.fit", "error"),
    ]

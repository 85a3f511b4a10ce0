"""Whole account exports through the pipeline (files in tests/data): Garmin, Strava, Apple Health."""

from __future__ import annotations

import gzip
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from crampwise.services import journal
from crampwise.services.context import AppContext
from crampwise.services.imports import import_paths
from tests.importers.test_exports import DATA, apple_export, garmin_export


@pytest.fixture
def ana(store_ctx: AppContext) -> AppContext:
    journal.add_athlete(store_ctx, data={"name": "Ana", "timezone": "Europe/Madrid"})
    return store_ctx


def strava_export(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(DATA / "strava" / "activities.csv", "activities.csv")
        fit = (DATA / "fit" / "2020-06-01-16-52-40.fit").read_bytes()
        archive.writestr("activities/3311111111.fit.gz", gzip.compress(fit))
    return path


def session(ctx: AppContext, session_id: str):  # type: ignore[no-untyped-def]
    return journal.get_record(ctx, athlete=None, kind="session", record_id=session_id)


def test_a_garmin_export_skips_its_json_and_imports_its_fit_files(
    ana: AppContext, tmp_path: Path, now: datetime
) -> None:
    report = import_paths(
        ana, athlete=None, paths=[garmin_export(tmp_path / "garmin.zip")], now=now, workers=2
    )
    doc = report.to_json()
    errors = [(f.path, f.error) for f in report.files if f.status == "error"]
    assert errors == []
    # 3 FIT files; sleep, daily summaries and HRV fill days (issue 16); profile and summaries skipped
    assert (doc["imported"], doc["duplicates"], doc["skipped"], doc["errors"]) == (6, 0, 2, 0)
    assert all("JSON data" in (f.error or "") for f in report.files if f.status == "skipped")
    multisport = next(f for f in report.files if f.path.endswith("6471559601_ACTIVITY.fit"))
    run, row = (session(ana, i) for i in multisport.session_ids)
    assert run.event_id == row.event_id == run.id and row.notes == "transition before this leg: 12 s"
    ride = session(ana, next(f for f in report.files if f.path.endswith("16-52-40.fit")).session_ids[0])
    assert (ride.duration_s, ride.moving_time_s) == (113.15, 94)


def test_strava_metadata_merges_into_the_garmin_session_and_manual_rows_become_sessions(
    ana: AppContext, tmp_path: Path, now: datetime
) -> None:
    first = import_paths(ana, athlete=None, paths=[DATA / "fit" / "2020-06-01-16-52-40.fit"], now=now)
    (ride_id,) = first.files[0].session_ids
    report = import_paths(ana, athlete=None, paths=[strava_export(tmp_path / "export.zip")], now=now)
    by_path = {f.path.rsplit("!", 1)[-1]: f for f in report.files}
    merged = by_path["activities/3311111111.fit.gz"]
    assert merged.status == "duplicate" and merged.session_ids == (ride_id,)
    assert set(merged.merged) == {"name", "description", "gear", "rpe"}
    ride = session(ana, ride_id)
    assert (ride.name, ride.gear, ride.rpe) == ("Lunch spin", "Canyon Endurace", 6)
    assert ride.description == "Short loop, cramped left calf at the end"
    manual = by_path["activities.csv#3322222222"]
    assert manual.status == "imported"
    swim = session(ana, manual.session_ids[0])
    assert swim.sport.value == "swim" and swim.start == datetime.fromisoformat("2020-06-03T06:10:00+00:00")
    assert (swim.duration_s, swim.moving_time_s, swim.distance_m, swim.rpe) == (2700, 2400, 2000, 5)
    assert swim.name == "Pool session" and swim.start.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
    again = import_paths(ana, athlete=None, paths=[tmp_path / "export.zip"], now=now)
    assert [f.status for f in again.files] == ["duplicate", "duplicate"]


def test_apple_health_export_imports_its_workouts(ana: AppContext, tmp_path: Path, now: datetime) -> None:
    report = import_paths(ana, athlete=None, paths=[apple_export(tmp_path / "export.zip")], now=now)
    assert [f.status for f in report.files] == ["imported", "skipped"]
    run = session(ana, report.files[0].session_ids[0])
    assert (run.sport.value, run.duration_s, run.moving_time_s, run.temperature_c) == ("run", 2760, 2640, 25)
    again = import_paths(ana, athlete=None, paths=[tmp_path / "export.zip"], now=now, workers=2)
    assert again.files[0].status == "duplicate" and again.files[0].session_ids == report.files[0].session_ids

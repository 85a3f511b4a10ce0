"""Wellness import (issue 16): Garmin and Apple Health nights fill the athlete's days.

Never overwriting what the athlete typed, saying what was filled, adding nothing the second
time; a wellness file of another format or a broken one is an error naming the file.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from crampwise.domain.records import Day
from crampwise.services import journal
from crampwise.services.context import AppContext
from crampwise.services.imports import import_paths

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def ana(store_ctx: AppContext) -> AppContext:
    journal.add_athlete(store_ctx, data={"name": "Ana", "timezone": "Europe/Madrid"})
    return store_ctx


def garmin_wellness_export(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for json_file in sorted((DATA / "garmin").rglob("*.json")):
            archive.write(json_file, json_file.relative_to(DATA / "garmin").as_posix())
    return path


def days(ctx: AppContext) -> dict[date, Day]:
    return {d.date: d for d in journal.load_history(ctx, athlete="Ana").days}


def test_garmin_export_fills_days_and_keeps_what_the_athlete_typed(
    ana: AppContext, tmp_path: Path, now: datetime
) -> None:
    journal.log_day(
        ana, athlete="Ana", data={"date": date(2020, 6, 2), "sleep_h": 6.0, "fatigue": 4}, now=now
    )
    report = import_paths(
        ana, athlete="Ana", paths=[garmin_wellness_export(tmp_path / "g.zip")], now=now, workers=1
    )
    by_name = {f.path.rsplit("/", 1)[-1]: f for f in report.files}
    sleep = by_name["2020-05-01_2020-08-09_98765_sleepData.json"]
    assert sleep.status == "imported" and sleep.session_ids == ()
    assert sleep.to_json()["days"] == {  # after the daily summaries and HRV made 1 June
        "added": 1,
        "updated": 2,
        "unchanged": 0,
        "filled": {"sleep_h": 2, "sleep_quality": 2},
        "kept_typed": 1,  # the 6 h Ana typed for the night of 1-2 June stays
    }
    assert by_name["user_profile.json"].status == "skipped"
    stored = days(ana)
    assert stored[date(2020, 6, 1)].model_dump(
        include={"sleep_h", "sleep_quality", "resting_hr", "hrv_ms"}
    ) == {
        "sleep_h": 7.5,
        "sleep_quality": 8.2,
        "resting_hr": 52,
        "hrv_ms": 62,
    }
    typed = stored[date(2020, 6, 2)]
    assert (typed.sleep_h, typed.fatigue, typed.sleep_quality, typed.resting_hr, typed.hrv_ms) == (
        6.0,
        4,
        8.8,
        56,
        48,
    )
    assert typed.imported_fields == ["sleep_quality", "resting_hr", "hrv_ms"]
    assert stored[date(2020, 6, 3)].sleep_h == 4.0 and stored[date(2020, 6, 3)].hrv_ms is None

    again = import_paths(ana, athlete="Ana", paths=[tmp_path / "g.zip"], now=now, workers=1)
    assert {
        f.status
        for f in again.files
        if f.path.endswith(("sleepData.json", "UDSFile_2020-05-01_2020-08-09.json"))
    } == {"duplicate"}
    assert days(ana) == stored


def test_the_same_nights_in_another_file_fill_nothing_and_a_typed_value_becomes_the_athlete_s(
    ana: AppContext, tmp_path: Path, now: datetime
) -> None:
    source = DATA / "garmin" / "DI_CONNECT" / "DI-Connect-Aggregator" / "UDSFile_2020-05-01_2020-08-09.json"
    first = import_paths(ana, athlete="Ana", paths=[source], now=now, workers=1)
    assert first.files[0].status == "imported"
    copy = tmp_path / "UDSFile_copy.json"
    copy.write_bytes(source.read_bytes().replace(b"11234", b"11235"))  # another hash, the same nights
    second = import_paths(ana, athlete="Ana", paths=[copy], now=now, workers=1)
    assert second.files[0].status == "duplicate" and second.files[0].to_json()["days"]["unchanged"] == 2
    journal.update_day(ana, athlete="Ana", day="2020-06-01", changes={"resting_hr": 49})
    assert days(ana)[date(2020, 6, 1)].imported_fields == []  # typed now: imports leave it alone
    import_paths(ana, athlete="Ana", paths=[tmp_path / "UDSFile_copy.json"], now=now, workers=1)
    assert days(ana)[date(2020, 6, 1)].resting_hr == 49


def test_apple_health_export_fills_days_and_imports_the_workouts(
    ana: AppContext, tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(DATA / "apple_health" / "export.xml", "apple_health_export/export.xml")
    (result,) = import_paths(ana, athlete="Ana", paths=[path], now=now, workers=1).files
    assert result.status == "imported" and len(result.session_ids) == 2
    assert result.to_json()["days"]["filled"] == {"sleep_h": 2, "resting_hr": 2, "hrv_ms": 2}
    night = days(ana)[date(2024, 5, 3)]
    assert (night.sleep_h, night.resting_hr, night.hrv_ms, night.sleep_quality) == (5.5, 58, 45.0, None)
    (again,) = import_paths(ana, athlete="Ana", paths=[path], now=now, workers=1).files
    assert again.status == "duplicate"


def test_a_broken_or_foreign_wellness_file_is_an_error_naming_it_and_writes_nothing(
    ana: AppContext, tmp_path: Path, now: datetime
) -> None:
    broken = tmp_path / "2020_98765_sleepData.json"
    broken.write_text('[{"calendarDate": "2020-06-01", "deepSleepSeconds": ')
    foreign = tmp_path / "9_healthStatusData.json"
    foreign.write_text('[{"dateOfSleep": "2020-06-01", "minutesAsleep": 420}]')
    report = import_paths(ana, athlete="Ana", paths=[broken, foreign], now=now, workers=1)
    assert [(f.path, f.status) for f in report.files] == [(str(broken), "error"), (str(foreign), "error")]
    assert "damaged JSON" in (report.files[0].error or "")
    assert "named like a Garmin health status file" in (report.files[1].error or "")
    assert days(ana) == {}

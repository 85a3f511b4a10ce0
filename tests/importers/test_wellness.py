"""Sleep and recovery from Garmin and Apple Health exports (the samples in tests/data)."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from crampwise.importers.archives import Member, expand
from crampwise.importers.model import ImportProblem
from crampwise.importers.registry import parse_member
from crampwise.importers.wellness import AppleWellness, NightWellness, garmin_wellness, parse_garmin_json

DATA = Path(__file__).resolve().parents[1] / "data"
GARMIN = DATA / "garmin" / "DI_CONNECT"


def _nights(path: Path) -> tuple[str, tuple[NightWellness, ...]]:
    found = parse_garmin_json(path.read_bytes())
    assert found is not None
    return found


def test_garmin_sleep_data_sums_the_stages_and_scales_the_score() -> None:
    fmt, nights = _nights(GARMIN / "DI-Connect-Wellness" / "2020-05-01_2020-08-09_98765_sleepData.json")
    assert fmt == "garmin-sleep"
    assert nights == (
        NightWellness(date(2020, 6, 1), sleep_h=7.5, sleep_quality=8.2),  # 6000+15600+5400 s
        NightWellness(date(2020, 6, 2), sleep_h=7.83, sleep_quality=8.8),
        # no stages: the window (4 h 30) less the time awake (30 min); no score
        NightWellness(date(2020, 6, 3), sleep_h=4.0),
    )


def test_garmin_daily_summary_prefers_the_day_s_own_resting_heart_rate() -> None:
    fmt, nights = _nights(GARMIN / "DI-Connect-Aggregator" / "UDSFile_2020-05-01_2020-08-09.json")
    assert fmt == "garmin-uds"
    assert [(n.date.day, n.resting_hr) for n in nights] == [(1, 52), (2, 56), (3, None)]


def test_garmin_health_status_gives_the_night_s_hrv_and_zero_is_unknown() -> None:
    fmt, nights = _nights(
        GARMIN / "DI-Connect-Wellness" / "2020-05-01_2020-08-09_98765_healthStatusData.json"
    )
    assert fmt == "garmin-hrv"
    assert [(n.date.day, n.hrv_ms) for n in nights] == [(1, 62), (2, 48), (3, None)]


def test_other_json_is_not_wellness_and_a_mixed_file_is_damaged() -> None:
    assert garmin_wellness([{"userName": "ana"}]) is None
    assert garmin_wellness([]) is None
    assert garmin_wellness({"calendarDate": "2020-06-01"}) is None
    with pytest.raises(ImportProblem) as info:
        garmin_wellness([{"calendarDate": "2020-06-01", "restingHeartRate": 50}, {"userName": "x"}])
    assert info.value.status == "error" and "entry 1" in info.value.reason
    with pytest.raises(ImportProblem) as info:
        garmin_wellness([{"calendarDate": 17500, "restingHeartRate": 50}])
    assert info.value.status == "error" and "calendarDate 17500 is not a date" in info.value.reason


def test_a_file_named_like_garmin_sleep_data_holding_another_format_is_an_error() -> None:
    fitbit = json.dumps([{"dateOfSleep": "2020-06-01", "minutesAsleep": 420}]).encode()
    with pytest.raises(ImportProblem) as info:
        parse_member(Member("export!DI_CONNECT/DI-Connect-Wellness/x_sleepData.json", data=fitbit))
    assert info.value.status == "error"
    assert "named like a Garmin sleep file (sleepData), but its content is not one" in info.value.reason
    with pytest.raises(ImportProblem) as info:  # the same content under another name: passed over
        parse_member(Member("export!fitbit/sleep-2020-06-01.json", data=fitbit))
    assert info.value.status == "skipped"
    with pytest.raises(ImportProblem) as info:  # a corrupt one
        parse_member(Member("x_sleepData.json", data=b'[{"calendarDate": "2020-06-01", '))
    assert info.value.status == "error" and "damaged JSON" in info.value.reason


def _apple(tmp_path: Path, xml: bytes, name: str = "export.zip") -> Member:
    path = tmp_path / name  # a new name each time: workers keep archives open by path
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("apple_health_export/export.xml", xml)
    (member,) = expand(path)
    return member


def test_apple_health_nights_merge_overlapping_sources_and_date_by_the_morning(tmp_path: Path) -> None:
    parsed = parse_member(_apple(tmp_path, (DATA / "apple_health" / "export.xml").read_bytes()))
    assert len(parsed.activities) == 2  # the workouts are still read
    assert parsed.wellness == (
        # 23:10-03:00 and 03:10-06:40 asleep (the phone's 23:30-01:00 counted once; in bed and
        # awake are not sleep); HRV of the night only (the 14:00 sample is not)
        NightWellness(date(2024, 5, 1), sleep_h=7.33, resting_hr=52, hrv_ms=60.0),
        NightWellness(date(2024, 5, 3), sleep_h=5.5, resting_hr=58, hrv_ms=45.0),
    )


def test_apple_health_export_with_nights_and_no_workout_imports_the_nights(tmp_path: Path) -> None:
    xml = (
        b'<?xml version="1.0"?><HealthData locale="en">'
        b'<Record type="HKQuantityTypeIdentifierRestingHeartRate" sourceName="w" unit="count/min" '
        b'startDate="2024-05-01 00:02:00 +0200" endDate="2024-05-01 23:57:00 +0200" value="49"/></HealthData>'
    )
    parsed = parse_member(_apple(tmp_path, xml))
    assert parsed.activities == () and parsed.wellness == (NightWellness(date(2024, 5, 1), resting_hr=49),)
    with pytest.raises(ImportProblem) as info:
        parse_member(
            _apple(tmp_path, b'<?xml version="1.0"?><HealthData locale="en"></HealthData>', "empty.zip")
        )
    assert info.value.status == "skipped"


def test_apple_sleep_ending_after_18h_counts_to_the_next_day() -> None:
    from datetime import datetime

    wellness = AppleWellness()
    start = datetime.fromisoformat("2024-05-01T16:30:00+02:00")
    nap_end = datetime.fromisoformat("2024-05-01T17:30:00+02:00")
    wellness.add(
        "HKCategoryTypeIdentifierSleepAnalysis", start, nap_end, "HKCategoryValueSleepAnalysisAsleepCore"
    )
    late = datetime.fromisoformat("2024-05-01T18:30:00+02:00")
    wellness.add(
        "HKCategoryTypeIdentifierSleepAnalysis", nap_end, late, "HKCategoryValueSleepAnalysisAsleepCore"
    )
    assert wellness.nights() == (
        NightWellness(date(2024, 5, 1), sleep_h=1.0),
        NightWellness(date(2024, 5, 2), sleep_h=1.0),
    )

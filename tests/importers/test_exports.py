"""Account exports on files shipped in tests/data: Garmin JSON skipped, Apple Health workouts."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from crampwise.domain.enums import Sport
from crampwise.importers.archives import expand
from crampwise.importers.model import ImportProblem
from crampwise.importers.registry import parse_member

DATA = Path(__file__).resolve().parents[1] / "data"


def garmin_export(path: Path) -> Path:
    """A Garmin account export: JSON data files and a zip of the uploaded FIT files."""
    inner = path.with_name("UploadedFiles_0-_Part1.zip")
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("2020-06-01-16-52-40.fit", "6471559601_ACTIVITY.fit", "garmin-fenix-5-run.fit"):
            archive.write(DATA / "fit" / name, f"ana_{name}")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for json_file in sorted((DATA / "garmin").rglob("*.json")):
            archive.write(json_file, json_file.relative_to(DATA / "garmin").as_posix())
        archive.write(inner, "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip")
    return path


def apple_export(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(DATA / "apple_health" / "export.xml", "apple_health_export/export.xml")
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        archive.writestr("apple_health_export/workout-routes/route_2024-05-01_7.30am.gpx", "<gpx/>")
    return path


def test_garmin_export_json_is_skipped_with_a_reason_and_fit_files_import(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    members = list(expand(garmin_export(tmp_path / "garmin.zip"), scratch))
    json_members = [m for m in members if m.display.endswith(".json")]
    assert len(json_members) == 5
    wellness = {"sleepData", "healthStatusData", "UDSFile"}  # sleep and recovery (issue 16)
    for member in json_members:
        if any(name in member.display for name in wellness):
            assert parse_member(member).wellness
            continue
        with pytest.raises(ImportProblem) as info:
            parse_member(member)
        assert info.value.status == "skipped" and "JSON data, not an activity" in info.value.reason
    fit_members = [m for m in members if m.display.endswith(".fit")]
    assert [m.display.rsplit("!", 1)[-1] for m in fit_members] == [
        "ana_2020-06-01-16-52-40.fit",
        "ana_6471559601_ACTIVITY.fit",
        "ana_garmin-fenix-5-run.fit",
    ]
    assert all(m.inner is not None and m.path and Path(m.path).parent == scratch for m in fit_members)
    assert [len(parse_member(m).activities) for m in fit_members] == [1, 2, 1]


def test_apple_health_workouts_with_their_heart_rate(tmp_path: Path) -> None:
    members = list(expand(apple_export(tmp_path / "export.zip")))
    kinds = {m.display.rsplit("!", 1)[-1]: m for m in members}
    assert set(kinds) == {
        "apple_health_export/export.xml",
        "apple_health_export/workout-routes/route_2024-05-01_7.30am.gpx",
    }
    route = kinds["apple_health_export/workout-routes/route_2024-05-01_7.30am.gpx"]
    assert route.skipped is not None and "Apple Health workout" in route.skipped
    parsed = parse_member(kinds["apple_health_export/export.xml"])
    run, ride = parsed.activities
    assert run.sport is Sport.RUN and run.start == datetime.fromisoformat("2024-05-01T07:30:00+02:00")
    assert run.duration_s == 46 * 60 and run.moving_time_s == 44 * 60
    assert (run.avg_hr, run.max_hr, run.distance_m) == (146, 171, 8210)
    assert run.temperature_c == 25.0  # 77 degF
    assert list(run.series.elapsed_s) == [5, 480, 900, 2400]  # in time order; 07:20 is before it
    assert list(run.series.heart_rate) == [112, 143, 151, 166]
    assert ride.sport is Sport.RIDE and ride.moving_time_s == 45 * 60 and ride.distance_m == 21500
    assert list(ride.series.heart_rate) == [98, 124]
    assert ride.avg_hr == 98 and ride.max_hr == 124  # time-weighted: 98 bpm held until 18:30


def test_apple_health_export_that_is_not_xml_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("apple_health_export/export.xml", "<HealthData><Workout")
    (member,) = expand(path)
    with pytest.raises(ImportProblem) as info:
        parse_member(member)
    assert info.value.status == "error" and "not well-formed" in info.value.reason

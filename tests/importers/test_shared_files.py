"""Every shared real file imports or is reported with a reason (status and what it says)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crampwise.domain.enums import Sport
from crampwise.importers.model import ImportProblem, ParsedFile
from crampwise.importers.registry import parse_bytes

pytestmark = pytest.mark.shared


def parse(base: Path, name: str) -> ParsedFile:
    return parse_bytes((base / name).read_bytes())


def problem(base: Path, name: str) -> ImportProblem:
    with pytest.raises(ImportProblem) as info:
        parse(base, name)
    return info.value


@pytest.mark.parametrize(
    ("name", "status", "words"),
    [
        ("fit/MonitoringFile.fit", "skipped", "monitoring_b"),
        ("fit/valid_only_contain_fileid.fit", "skipped", "no session"),
        ("gpx/Mojstrovka.gpx", "skipped", "0 of 184 points"),
        ("gpx/cerknicko-without-times.gpx", "skipped", "5 of"),
        ("gpx/route.gpx", "skipped", "planned route"),
        ("gpx/unicode_with_bom.gpx", "skipped", "waypoints only"),
    ],
)
def test_files_that_import_nothing_say_why(activities_dir: Path, name: str, status: str, words: str) -> None:
    got = problem(activities_dir, name)
    assert got.status == status
    assert words in got.reason


def test_every_other_shared_file_imports(activities_dir: Path) -> None:
    not_imported = {
        "MonitoringFile.fit",
        "valid_only_contain_fileid.fit",
        "Mojstrovka.gpx",
        "cerknicko-without-times.gpx",
        "route.gpx",
        "unicode_with_bom.gpx",
    }
    imported = 0
    for path in sorted(activities_dir.glob("*/*.*")):
        if path.suffix == ".md" or path.name in not_imported:
            continue
        parsed = parse_bytes(path.read_bytes())
        assert parsed.activities, path.name
        for activity in parsed.activities:
            assert activity.start.tzinfo is not None
            assert 0 < activity.duration_s <= 48 * 3600
        imported += 1
    assert imported == 40


def test_wahoo_ride_session_fields(activities_dir: Path) -> None:
    (ride,) = parse(activities_dir, "fit/2019-02-17-062644-ELEMNT-297E-195-0.fit").activities
    assert ride.sport is Sport.RIDE
    assert ride.duration_s == 23595
    assert ride.temperature_c == 5
    assert (
        ride.start == datetime(2019, 2, 17, 6, 26, 44, tzinfo=UTC)
        or ride.start.date().isoformat() == "2019-02-17"
    )
    assert len(ride.series) > 10_000


@pytest.mark.parametrize(
    ("name", "mean_c"),
    [("fit/garmin-edge-500-activity.fit", 23.0), ("fit/Edge810-Vector-2013-08-16-15-35-10.fit", 19.3)],
)
def test_per_record_temperature_gives_the_session_its_mean(
    activities_dir: Path, name: str, mean_c: float
) -> None:
    (ride,) = parse(activities_dir, name).activities  # no avg_temperature in the session message
    assert ride.temperature_c == mean_c


@pytest.mark.parametrize("name", ["fit/triathlon_summary_last.fit", "fit/sample_mulitple_header.fit"])
def test_a_triathlon_is_three_legs_of_one_event(activities_dir: Path, name: str) -> None:
    swim, bike, run = parse(activities_dir, name).activities
    assert [swim.sport, bike.sport, run.sport] == [Sport.SWIM, Sport.RIDE, Sport.RUN]
    assert swim.event == bike.event == run.event is not None
    assert "transition before this leg" in bike.notes and "transition" in run.notes
    assert swim.start < bike.start < run.start
    assert bike.start.timestamp() >= swim.start.timestamp() + swim.duration_s


def test_a_multisport_with_a_generic_leg_keeps_every_leg(activities_dir: Path) -> None:
    legs = parse(activities_dir, "fit/activity-large-fenxi2-multisport.fit").activities
    assert [leg.sport for leg in legs] == [Sport.OTHER, Sport.RUN, Sport.RUN, Sport.RIDE]
    assert all(len(leg.series) > 0 for leg in legs)


def test_two_chained_recordings_are_two_activities(activities_dir: Path) -> None:
    sup, swim = parse(activities_dir, "fit/chained_Activity_activity_poolswim.fit").activities
    assert swim.sport is Sport.SWIM and swim.distance_m == 457.2
    assert sup.sport is Sport.OTHER and sup.duration_s == 3601


def test_a_chain_repeating_one_recording_is_one_activity(activities_dir: Path) -> None:
    (run,) = parse(activities_dir, "fit/activity-activity-filecrc.fit").activities
    assert len(run.series) == 14


def test_zero_heart_rate_means_no_strap(activities_dir: Path) -> None:
    (ride,) = parse(activities_dir, "fit/null_compressed_speed_dist.fit").activities
    assert ride.avg_hr is None and ride.max_hr is None
    assert not ride.series.has("heart_rate")


def test_broken_tail_keeps_the_complete_session(activities_dir: Path) -> None:
    parsed = parse(activities_dir, "fit/activity-settings-corruptheader.fit")
    assert len(parsed.activities) == 1
    assert parsed.warning is not None and "771" in parsed.warning
    strava = parse(activities_dir, "fit/strava-android-app-201.10-b1218918.fit")
    assert strava.activities[0].duration_s == 3558
    assert strava.warning is not None and "undefined local message" in strava.warning


def test_the_same_ride_from_fit_gpx_and_tcx_has_matching_fingerprints(activities_dir: Path) -> None:
    (fit,) = parse(activities_dir, "fit/2020-06-01-16-52-40.fit").activities
    (gpx,) = parse(activities_dir, "gpx/activity_5039744860.gpx").activities
    (tcx,) = parse(activities_dir, "tcx/activity_5039744860.tcx").activities
    assert fit.fingerprint.matches(gpx.fingerprint)
    assert fit.fingerprint.matches(tcx.fingerprint)
    (fit2,) = parse(activities_dir, "fit/4801048867.fit").activities
    (strava,) = parse(activities_dir, "gpx/4801048867_strava.gpx").activities
    assert fit2.fingerprint.matches(strava.fingerprint)
    assert strava.sport is Sport.RIDE  # Strava's numeric type 1
    assert not fit.fingerprint.matches(fit2.fingerprint)


def test_gpx_extensions_and_tcx_channels(activities_dir: Path) -> None:
    (gpx,) = parse(activities_dir, "gpx/4801048867_strava.gpx").activities
    assert gpx.avg_hr is not None and 120 < gpx.avg_hr < 140
    assert gpx.temperature_c is not None and 20 < gpx.temperature_c < 30
    (tcx,) = parse(activities_dir, "tcx/activity_5039744860.tcx").activities
    assert tcx.series.has("power") and tcx.series.has("cadence")
    (no_hr,) = parse(activities_dir, "tcx/no_hr.tcx").activities
    assert no_hr.avg_hr is None and not no_hr.series.has("heart_rate")
    (polar,) = parse(activities_dir, "tcx/3173437224.tcx").activities
    assert polar.sport is Sport.RUN

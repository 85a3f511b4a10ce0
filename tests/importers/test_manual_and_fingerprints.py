"""Strava's manual activities (a CSV row without a file) and the fingerprint that says two files
hold the same activity: each threshold at its edge.

Mutation testing found both reached by no importer test (only by service tests).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crampwise.domain.enums import Sport
from crampwise.importers.model import (
    FINGERPRINT_DISTANCE_TOLERANCE,
    FINGERPRINT_DURATION_TOLERANCE,
    FINGERPRINT_MIN_DURATION_TOLERANCE_S,
    FINGERPRINT_START_TOLERANCE_S,
    Fingerprint,
    ImportProblem,
)
from crampwise.importers.strava import manual_activity, number, parse_date

ROW = {
    "date": "May 1, 2024, 7:05:32 AM",
    "elapsed_s": "3,600",
    "distance_m": "10000.5",
    "rpe": "6",
    "avg_hr": "150",
    "max_hr": "175",
    "moving_s": "3500",
    "strava_type": " Trail Run ",
    "name": "Morning run",
    "notes": "hilly",
    "gear": "Shoes",
}


def test_a_manual_activity_keeps_every_field_of_its_row() -> None:
    activity = manual_activity(ROW)
    assert activity.start == datetime(2024, 5, 1, 7, 5, 32, tzinfo=UTC)
    assert activity.sport is Sport.RUN
    assert (activity.duration_s, activity.distance_m, activity.moving_time_s) == (3600.0, 10000.5, 3500.0)
    assert (activity.avg_hr, activity.max_hr, activity.rpe) == (150.0, 175.0, 6.0)
    assert (activity.name, activity.description, activity.gear) == ("Morning run", "hilly", "Shoes")


def test_kilometres_when_metres_are_missing_and_unknowns_stay_unknown() -> None:
    row = {
        "date": ROW["date"],
        "elapsed_s": "60",
        "distance_km": "1.5",
        "strava_type": "Kitesurf",
        "name": "",
    }
    activity = manual_activity(row)
    assert activity.distance_m == 1500.0 and activity.sport is Sport.OTHER
    assert (activity.name, activity.description, activity.gear, activity.rpe) == (None, None, None, None)


@pytest.mark.parametrize(
    ("changes", "field", "kept"),
    [
        ({"rpe": "10"}, "rpe", 10.0),
        ({"rpe": "10.5"}, "rpe", None),
        ({"rpe": "-1"}, "rpe", None),
        ({"rpe": "0"}, "rpe", 0.0),
        ({"max_hr": "150"}, "max_hr", 150.0),  # equal to the average: kept
        ({"max_hr": "149"}, "max_hr", None),  # below the average: not a maximum
        ({"avg_hr": "300"}, "avg_hr", None),
        ({"moving_s": "3600"}, "moving_time_s", 3600.0),
        ({"moving_s": "3601"}, "moving_time_s", None),
        ({"moving_s": "0"}, "moving_time_s", None),
    ],
)
def test_implausible_values_become_unknown(changes: dict[str, str], field: str, kept: float | None) -> None:
    assert getattr(manual_activity({**ROW, **changes}), field) == kept


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"date": "yesterday"}, "Activity Date 'yesterday' is not a date like 'May 1, 2024, 7:05:32 AM'"),
        ({"elapsed_s": "0"}, "Elapsed Time '0' is not a duration of 1 s to 48 h"),
        ({"elapsed_s": str(48 * 3600 + 1)}, "Elapsed Time '172801' is not a duration of 1 s to 48 h"),
        ({"elapsed_s": ""}, "Elapsed Time '' is not a duration of 1 s to 48 h"),
    ],
)
def test_a_row_without_a_date_or_a_duration_is_refused_with_the_column_named(
    changes: dict[str, str], reason: str
) -> None:
    with pytest.raises(ImportProblem) as problem:
        manual_activity({**ROW, **changes})
    assert (problem.value.status, problem.value.reason) == ("error", reason)


def test_the_longest_duration_is_accepted() -> None:
    assert manual_activity({**ROW, "elapsed_s": str(48 * 3600), "moving_s": ""}).duration_s == 48 * 3600


def test_csv_numbers_and_dates() -> None:
    assert (
        number("1,234.5") == 1234.5 and number("") is None and number("nan") is None and number("x") is None
    )
    assert parse_date(" May 1, 2024, 7:05:32 AM ") == datetime(2024, 5, 1, 7, 5, 32, tzinfo=UTC)
    assert parse_date("the first of May") is None


# -- fingerprints ---------------------------------------------------------------------------


def test_the_tolerances() -> None:
    assert (FINGERPRINT_START_TOLERANCE_S, FINGERPRINT_DURATION_TOLERANCE) == (60.0, 0.15)
    assert (FINGERPRINT_MIN_DURATION_TOLERANCE_S, FINGERPRINT_DISTANCE_TOLERANCE) == (60.0, 0.10)


BASE = Fingerprint(1_000_000.0, 3600.0, 10_000.0)


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (Fingerprint(1_000_060.0, 3600.0, None), True),  # starts a minute apart: same
        (Fingerprint(1_000_061.0, 3600.0, 10_000.0), False),  # a second more: different
        (Fingerprint(999_940.0, 3600.0, None), True),
        (Fingerprint(1_000_000.0, 4140.0, None), True),  # 540 s apart; 15 % of the longer is 621 s
        (Fingerprint(1_000_000.0, 4300.0, None), False),  # 700 s apart; 15 % is 645 s
        (Fingerprint(1_000_000.0, 4300.0, 10_999.0), True),  # durations differ, distances agree (10 %)
        (Fingerprint(1_000_000.0, 4300.0, 11_200.0), False),
        (Fingerprint(1_000_000.0, 4300.0, 0.0), False),  # no distance to compare
    ],
)
def test_fingerprints_match_within_a_minute_and_15_percent_or_10_percent_of_distance(
    other: Fingerprint, same: bool
) -> None:
    assert BASE.matches(other) is same
    assert other.matches(BASE) is same


def test_short_activities_get_a_minute_of_duration_tolerance() -> None:
    short = Fingerprint(0.0, 100.0, None)
    assert short.matches(Fingerprint(0.0, 160.0, None))  # 60 s apart: 15 % would be 24 s
    assert not short.matches(Fingerprint(0.0, 161.0, None))

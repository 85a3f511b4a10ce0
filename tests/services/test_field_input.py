"""Reading what a user typed into journal fields: one module for the CLI flags and web forms."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import InvalidInput
from crampwise.services import field_input as fi


def test_each_reader_names_the_field_it_was_given() -> None:
    with pytest.raises(InvalidInput) as info:
        fi.mass_kg("heavy", "--pre-mass")
    assert str(info.value).startswith("--pre-mass: cannot read 'heavy'")
    with pytest.raises(InvalidInput) as info:
        fi.mass_kg("heavy", "pre_mass_kg")
    assert str(info.value).startswith("pre_mass_kg: cannot read 'heavy'")


def test_read_fields_reads_a_form_and_reports_every_bad_field_at_once() -> None:
    values = fi.read_fields(
        "session",
        {"sport": "Run", "duration_s": "1h30m", "fluid_ml": "750ml", "relief": None, "notes": ""},
    )
    assert values == {"sport": "run", "duration_s": 5400.0, "fluid_ml": 750.0, "notes": ""}
    with pytest.raises(InvalidInput) as info:
        fi.read_fields(
            "cramp",
            {"muscle": "elbow", "severity": "seven", "weight": "3"},
            names={"muscle": "--muscle", "severity": "--severity"},
        )
    assert [e.path for e in info.value.errors] == ["--muscle", "--severity", "weight"]
    assert "accepted: muscle, side" in info.value.errors[2].message


def test_many_of_takes_repeats_and_comma_lists() -> None:
    assert fi.read_field("cramp", "relief", ["stretch,massage", "walk"]) == ["stretch", "massage", "walk"]
    assert fi.read_field("cramp", "relief", "stretch, warmth") == ["stretch", "warmth"]


def test_a_days_fluid_needs_its_unit() -> None:
    with pytest.raises(InvalidInput, match=r"^fluid_ml: '2.5' has no unit"):
        fi.read_field("day", "fluid_ml", "2.5")
    assert fi.read_field("day", "fluid_ml", "2.5l") == 2500.0


# --- the athlete's units, decimal commas, relative times, hints (issue 13) ---------------------

IMPERIAL = UnitSystem.IMPERIAL
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # 14:00 in Madrid
MADRID = fi.Reading(zone=ZoneInfo("Europe/Madrid"), now=NOW)


@pytest.mark.parametrize(
    ("field", "raw", "metric", "imperial"),
    [
        ("pre_mass_kg", "135", 135.0, 135 * 0.45359237),
        ("fluid_ml", "12", 12.0, 12 * 29.5735295625),
        ("temperature_c", "41", 41.0, 5.0),
        ("distance_m", "10", 10_000.0, 16_093.44),
        ("elevation_gain_m", "1000", 1000.0, 304.8),
        ("pre_mass_kg", "61.5kg", 61.5, 61.5),  # a unit given wins over the athlete's
    ],
)
def test_a_bare_number_is_read_in_the_athletes_units(
    field: str, raw: str, metric: float, imperial: float
) -> None:
    assert fi.read_field("session", field, raw) == pytest.approx(metric)
    assert fi.read_field("session", field, raw, reading=fi.Reading(units=IMPERIAL)) == pytest.approx(imperial)


def test_the_body_mass_of_an_imperial_athlete_is_read_in_pounds() -> None:
    assert fi.read_field(
        "athlete", "body_mass_kg", "135", reading=fi.Reading(units=IMPERIAL)
    ) == pytest.approx(61.235, abs=0.001)


@pytest.mark.parametrize(
    ("field", "raw", "value"),
    [
        ("pre_mass_kg", "61,5kg", 61.5),
        ("pre_mass_kg", "61,5", 61.5),
        ("rpe", "7,5", 7.5),
        ("fluid_ml", "0,75l", 750.0),
        ("duration_s", "1,5h", 5400.0),
        ("temperature_c", "28,5C", 28.5),
    ],
)
def test_a_decimal_comma_is_a_decimal_point(field: str, raw: str, value: float) -> None:
    assert fi.read_field("session", field, raw) == pytest.approx(value)


def test_an_ambiguous_comma_is_refused_with_both_readings() -> None:
    with pytest.raises(InvalidInput) as info:
        fi.read_field("session", "fluid_ml", "1,500ml", name="--fluid")
    assert str(info.value) == (
        "--fluid: '1,500ml' is ambiguous; write 1500 for 1 thousand 500 or 1.500 for the decimal"
    )
    assert fi.read_field("day", "sleep_h", "0,500h") == 0.5  # a leading 0 is not a thousand


def test_a_bare_celsius_too_hot_for_any_race_asks_did_you_mean_fahrenheit() -> None:
    with pytest.raises(InvalidInput) as info:
        fi.read_field("session", "temperature_c", "82", name="--temperature")
    assert str(info.value) == (
        "--temperature: 82 °C is hotter than any race; did you mean 82F? (write 82C if it was Celsius)"
    )
    assert fi.read_field("session", "temperature_c", "50") == 50.0  # the boundary is still Celsius
    assert fi.read_field("session", "temperature_c", "82F") == pytest.approx(27.78, abs=0.01)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("now", "2026-06-01T14:00:00+02:00"),
        ("-2h", "2026-06-01T12:00:00+02:00"),
        ("-1h30m", "2026-06-01T12:30:00+02:00"),
        ("90m ago", "2026-06-01T12:30:00+02:00"),
        ("yesterday", "2026-05-31T14:00:00+02:00"),
        ("yesterday 22:30", "2026-05-31T22:30:00+02:00"),
        ("today 07:05", "2026-06-01T07:05:00+02:00"),
        ("13:30", "2026-06-01T13:30:00+02:00"),  # earlier today
        ("22:30", "2026-05-31T22:30:00+02:00"),  # later than now: last night
    ],
)
def test_relative_times_are_read_in_the_athletes_zone(raw: str, expected: str) -> None:
    assert fi.read_field("cramp", "at", raw, reading=MADRID).isoformat() == expected


def test_an_iso_time_without_offset_stays_naive_for_the_service_to_place() -> None:
    assert fi.read_field("cramp", "at", "2026-05-01T08:55", reading=MADRID) == datetime(2026, 5, 1, 8, 55)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("today", date(2026, 6, 1)), ("yesterday", date(2026, 5, 31)), ("-3d", date(2026, 5, 29))],
)
def test_relative_dates(raw: str, expected: date) -> None:
    assert fi.read_field("day", "date", raw, reading=MADRID) == expected
    assert fi.read_field("medication", "started", raw, reading=MADRID) == expected


@pytest.mark.parametrize(
    ("raw", "muscle"),
    [("calves", "calf"), ("Quads", "quadriceps"), ("hamstrings", "hamstring"), ("hip flexor", "hip_flexor"),
     ("hip-flexors", "hip_flexor"), ("glutes", "glute"), ("feet", "foot"), ("groin", "adductor")],
)  # fmt: skip
def test_muscles_accept_plurals_and_common_names(raw: str, muscle: str) -> None:
    assert fi.read_field("cramp", "muscle", raw) == muscle

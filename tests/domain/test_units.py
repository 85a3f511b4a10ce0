"""Unit parsing and formatting: exact values, errors naming the field, and round trips."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import InvalidInput
from crampwise.domain.units import (
    display_distance,
    display_duration,
    display_mass,
    display_temperature,
    display_volume,
    display_volume_range,
    format_distance,
    format_duration,
    format_mass,
    format_temperature,
    format_volume,
    parse_distance_m,
    parse_duration_s,
    parse_hours,
    parse_mass_kg,
    parse_sodium_mg,
    parse_temperature_c,
    parse_volume_ml,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h30m", 5400),
        ("90s", 90),
        ("10m", 600),
        ("7.5h", 27000),
        ("1:30:00", 5400),
        ("45:00", 2700),
        ("1h 5m 3s", 3903),
        ("2min", 120),
        ("0s", 0),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration_s(text) == seconds


def test_two_part_clock_values_follow_the_fields_scale() -> None:
    assert parse_hours("7:30") == 7.5  # sleep: hours:minutes
    assert parse_duration_s("1:30", bare="m") == 5400  # a session: 1 h 30 min
    assert parse_duration_s("1:30", bare="s") == 90  # a cramp: 1 min 30 s
    assert parse_duration_s("1:30:15", bare="s") == parse_duration_s("1:30:15", bare="h") == 5415


def test_bare_duration_uses_the_fields_unit() -> None:
    assert parse_duration_s("10", bare="m") == 600
    assert parse_hours("7.5") == 7.5


@pytest.mark.parametrize(
    ("parse", "text", "value"),
    [
        (parse_mass_kg, "70.2kg", 70.2),
        (parse_mass_kg, "154lb", 154 * 0.45359237),
        (parse_volume_ml, "750ml", 750),
        (parse_volume_ml, "2.5l", 2500),
        (parse_volume_ml, "25oz", 25 * 29.5735295625),
        (parse_temperature_c, "28C", 28),
        (parse_temperature_c, "82F", (82 - 32) * 5 / 9),
        (parse_temperature_c, "28", 28),
        (parse_distance_m, "21.1km", 21100),
        (parse_distance_m, "13.1mi", 13.1 * 1609.344),
        (parse_sodium_mg, "600mg", 600),
        (parse_sodium_mg, "1.2g", 1200),
    ],
)
def test_parse_quantities(parse, text: str, value: float) -> None:  # type: ignore[no-untyped-def]
    assert parse(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("parse", "text", "field", "hint"),
    [
        (parse_mass_kg, "70 stone", "pre_mass", "accepted units"),
        (parse_volume_ml, "lots", "fluid", "750ml"),
        (parse_temperature_c, "28K", "temperature", "C, F"),
        (parse_duration_s, "1h1h", "duration", "twice"),
        (parse_duration_s, "ninety", "duration", "1h30m"),
        (parse_distance_m, "5furlongs", "distance", "km"),
    ],
)
def test_bad_units_name_the_field_and_the_accepted_form(parse, text: str, field: str, hint: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as info:
        parse(text, field=field)
    message = str(info.value)
    assert message.startswith(f"{field}: ")
    assert hint in message


@given(st.integers(min_value=0, max_value=48 * 3600))
def test_duration_round_trip(seconds: int) -> None:
    assert parse_duration_s(format_duration(seconds)) == seconds


finite = dict(allow_nan=False, allow_infinity=False)


@given(st.floats(min_value=20, max_value=300, **finite), st.sampled_from(UnitSystem))
def test_mass_round_trip(kg: float, units: UnitSystem) -> None:
    tolerance = 0.05 * 0.46 if units is UnitSystem.IMPERIAL else 0.005
    assert math.isclose(parse_mass_kg(format_mass(kg, units)), kg, abs_tol=tolerance + 1e-9)


@given(st.floats(min_value=0, max_value=20000, **finite), st.sampled_from(UnitSystem))
def test_volume_round_trip(ml: float, units: UnitSystem) -> None:
    tolerance = 0.05 * 29.6 if units is UnitSystem.IMPERIAL else 0.5
    assert math.isclose(parse_volume_ml(format_volume(ml, units)), ml, abs_tol=tolerance + 1e-9)


@given(st.floats(min_value=-40, max_value=60, **finite), st.sampled_from(UnitSystem))
def test_temperature_round_trip(c: float, units: UnitSystem) -> None:
    tolerance = 0.05 * 5 / 9 if units is UnitSystem.IMPERIAL else 0.05
    assert math.isclose(parse_temperature_c(format_temperature(c, units)), c, abs_tol=tolerance + 1e-9)


@given(st.floats(min_value=0, max_value=500_000, **finite), st.sampled_from(UnitSystem))
def test_distance_round_trip(m: float, units: UnitSystem) -> None:
    tolerance = 0.005 * 1609.344 if units is UnitSystem.IMPERIAL else 0.5
    assert math.isclose(parse_distance_m(format_distance(m, units)), m, abs_tol=tolerance + 1e-9)


def test_litres_are_written_with_a_capital_l_as_in_l_per_h() -> None:
    """Issue 13: `1.5l/h` next to `1.5 L/h`; the symbol is now one."""
    assert format_volume(1500) == "1.5L"
    assert format_volume(999) == "999ml"
    assert parse_volume_ml(format_volume(2500)) == 2500


def test_pages_show_units_with_a_space_and_the_degree_sign() -> None:
    """What a person reads: "17.8 °C", not "17.8C" (the typing form stays for the CLI)."""
    assert display_temperature(17.8) == "17.8 °C"
    assert display_temperature(28.0, UnitSystem.IMPERIAL) == "82.4 °F"
    assert display_volume(750) == "750 ml"
    assert display_volume(999.6) == "1000 ml"
    assert display_volume(1000) == "1 L"
    assert display_volume(1454) == "1.45 L"
    assert display_volume(750, UnitSystem.IMPERIAL) == "25.4 fl oz"
    assert display_mass(61.54) == "61.5 kg"
    assert display_distance(21097.5) == "21.1 km"


def test_shown_durations_drop_the_seconds_from_ten_minutes_on() -> None:
    assert display_duration(129) == "2m9s"  # a cramp: the seconds matter
    assert display_duration(599) == "9m59s"
    assert display_duration(600) == "10m"
    assert display_duration(5687) == "1h35m"  # 1h34m47s
    assert parse_duration_s(display_duration(5687)) == 5700


def test_a_range_names_its_unit_once_when_both_ends_share_it() -> None:
    assert display_volume_range(400, 600) == "400–600 ml"
    assert display_volume_range(1200, 1500) == "1.2–1.5 L"
    assert display_volume_range(800, 1200) == "800 ml–1.2 L"
    assert display_volume_range(500, 500) == "500 ml"
    assert display_volume_range(0, 200) == "up to 200 ml"
    assert display_volume_range(400, 600, UnitSystem.IMPERIAL) == "13.5–20.3 fl oz"


@given(st.floats(min_value=-40, max_value=60, **finite), st.sampled_from(UnitSystem))
def test_a_shown_temperature_reads_back(c: float, units: UnitSystem) -> None:
    tolerance = 0.05 * 5 / 9 if units is UnitSystem.IMPERIAL else 0.05
    assert math.isclose(parse_temperature_c(display_temperature(c, units)), c, abs_tol=tolerance + 1e-9)


@given(st.floats(min_value=0, max_value=20000, **finite), st.sampled_from(UnitSystem))
def test_a_shown_volume_reads_back(ml: float, units: UnitSystem) -> None:
    tolerance = 0.05 * 29.6 if units is UnitSystem.IMPERIAL else 5.0  # 10 ml steps above a litre
    assert math.isclose(parse_volume_ml(display_volume(ml, units)), ml, abs_tol=tolerance + 1e-9)


@given(st.floats(min_value=20, max_value=300, **finite), st.sampled_from(UnitSystem))
def test_a_shown_mass_reads_back(kg: float, units: UnitSystem) -> None:
    tolerance = 0.05 * 0.46 if units is UnitSystem.IMPERIAL else 0.05
    assert math.isclose(parse_mass_kg(display_mass(kg, units)), kg, abs_tol=tolerance + 1e-9)

"""What the unit parsers accept at their edges and what they say when they cannot read a value.

Pinned because mutation testing showed the messages (which must name the flag and the accepted
form, CONTRACTS.md section 2), the clock value's "below 60" rule and the storable year range
could change unnoticed by the domain's own tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from crampwise.domain.errors import FieldError, InvalidInput
from crampwise.domain.records import Day
from crampwise.domain.storable import STORABLE_YEARS, check_storable, storable_errors
from crampwise.domain.units import parse_duration_s, parse_hours, parse_mass_kg, parse_sodium_mg

DURATION_EXAMPLE = "1h30m, 90s, 10m or 1:30:00"


def refused(parse: Callable[..., float], text: str, **kwargs: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse(text, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f"--duration: empty duration; expected e.g. {DURATION_EXAMPLE}"),
        ("1:60", "--duration: cannot read '1:60'; minutes and seconds must be below 60"),
        ("1:00:60", "--duration: cannot read '1:00:60'; minutes and seconds must be below 60"),
        ("inf", f"--duration: cannot read 'inf'; expected e.g. {DURATION_EXAMPLE}"),
        ("-5", "--duration: '-5' must be a finite, non-negative duration"),
        ("1h30x", f"--duration: cannot read '1h30x'; expected e.g. {DURATION_EXAMPLE}"),
    ],
)
def test_a_duration_that_cannot_be_read_names_the_flag_and_the_accepted_form(text: str, message: str) -> None:
    assert refused(parse_duration_s, text, field="--duration") == message


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1:59", 119.0), ("1:59:59", 7199.0), ("60:00", 3600.0), ("1h30m", 5400.0), ("0", 0.0)],
)
def test_clock_values_below_60_and_units(text: str, seconds: float) -> None:
    assert parse_duration_s(text, field="--duration") == seconds


def test_a_bare_number_is_read_in_the_fields_unit() -> None:
    assert parse_duration_s("90", field="--warmup", bare="m") == 5400.0
    assert parse_hours("7:30", field="--sleep") == 7.5 == parse_hours("7h30m", field="--sleep")


def test_masses_and_their_messages() -> None:
    assert parse_mass_kg("154lb", field="--pre-mass") == pytest.approx(69.853225)
    assert parse_mass_kg("70.2", field="--pre-mass") == 70.2
    assert refused(parse_mass_kg, "70st", field="--pre-mass") == (
        "--pre-mass: unknown unit 'st'; accepted units: g, kg, kgs, lb, lbs (e.g. 70.2kg or 154lb)"
    )
    assert refused(parse_mass_kg, "", field="--pre-mass") == (
        "--pre-mass: cannot read ''; expected a number with a unit, e.g. 70.2kg or 154lb"
    )


def test_sodium_and_its_message() -> None:
    assert parse_sodium_mg("1.2g", field="--sodium") == 1200.0
    assert parse_sodium_mg("600", field="--sodium") == 600.0
    assert refused(parse_sodium_mg, "600mmol", field="--sodium") == (
        "--sodium: unknown unit 'mmol'; accepted units: g, mg (e.g. 600mg or 1.2g)"
    )


# -- what no store can hold ------------------------------------------------------------------


def test_the_storable_years_include_both_ends() -> None:
    assert STORABLE_YEARS == (1900, 2100)
    assert storable_errors(Day(date=date(1900, 1, 1))) == []
    assert storable_errors(Day(date=date(2100, 12, 31))) == []
    assert storable_errors(Day(date=date(1899, 12, 31))) == [
        FieldError("date", "year 1899 is out of range; expected 1900 to 2100")
    ]
    assert storable_errors(Day(date=date(2101, 1, 1))) == [
        FieldError("date", "year 2101 is out of range; expected 1900 to 2100")
    ]


def test_every_nul_character_is_named_with_its_path() -> None:
    day = Day(date=date(2026, 5, 1), notes="a\x00b")
    assert storable_errors(day, prefix="days[0]") == [
        FieldError("days[0].notes", "contains a NUL character; remove it")
    ]
    with pytest.raises(InvalidInput, match=r"^days\[0\]\.notes: contains a NUL character; remove it$"):
        check_storable(day, prefix="days[0]")
    assert check_storable(Day(date=date(2026, 5, 1), notes="fine")).notes == "fine"

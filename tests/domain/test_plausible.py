"""Unlikely values (domain/plausible.py): the thresholds, the unit-mix-up hints, their messages.

Written for what mutation testing found untested in the domain's own tests: a weighing more
than 15 % from the body mass, fluid over 2.5 L an hour (an hour at least), and the hint naming
the value meant in the other unit system.
"""

from __future__ import annotations

import pytest

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import FieldError
from crampwise.domain.plausible import (
    MASS_DEVIATION,
    MAX_FLUID_ML_PER_H,
    unusual_athlete_change,
    unusual_mass,
    unusual_session,
)
from crampwise.domain.records import Athlete, Session

METRIC, IMPERIAL = UnitSystem.METRIC, UnitSystem.IMPERIAL


def test_the_conventions() -> None:
    assert (MASS_DEVIATION, MAX_FLUID_ML_PER_H) == (0.15, 2500.0)


@pytest.mark.parametrize(
    ("kg", "unusual"),
    [(60.0, False), (68.9, False), (69.1, True), (51.1, False), (50.9, True), (200.0, True)],
)
def test_a_weighing_more_than_15_percent_away_is_unusual(kg: float, unusual: bool) -> None:
    assert (unusual_mass("pre_mass_kg", kg, 60.0, METRIC) is not None) is unusual


def test_no_known_body_mass_nothing_is_unusual() -> None:
    assert unusual_mass("pre_mass_kg", 300.0, None, METRIC) is None


def test_the_message_names_both_masses_and_the_number_in_the_other_unit() -> None:
    # 135 typed by a metric athlete of 61.5 kg: 135 lb (61.2 kg) is what was meant
    error = unusual_mass("post_mass_kg", 135.0, 61.5, METRIC)
    assert error == FieldError(
        "post_mass_kg", "135kg is far from the athlete's body mass of 61.5kg; did you mean 135lb?"
    )


def test_an_imperial_athlete_is_told_in_pounds_and_offered_kilograms() -> None:
    # 61 typed by an athlete of 135 lb who thinks in kilograms: stored as 61 lb (27.7 kg)
    error = unusual_mass("pre_mass_kg", 27.669, 61.235, IMPERIAL)
    assert error is not None
    assert error.message == "61lb is far from the athlete's body mass of 135lb; did you mean 61kg?"


def test_no_hint_when_the_other_unit_is_no_closer() -> None:
    error = unusual_mass("pre_mass_kg", 90.0, 60.0, METRIC)  # 90 lb = 40.8 kg: no better
    assert error is not None and error.message == "90kg is far from the athlete's body mass of 60kg"


def athlete(**fields: object) -> Athlete:
    return Athlete.model_validate({"name": "Ana", "timezone": "UTC", "body_mass_kg": 60.0, **fields})


def run(**fields: object) -> Session:
    data = {
        "id": "s-0001",
        "start": "2026-05-01T07:00:00+00:00",
        "sport": "run",
        "duration_s": 3600,
        **fields,
    }
    return Session.model_validate(data)


def test_a_session_with_both_weighings_off_reports_both_fields() -> None:
    errors = unusual_session(run(pre_mass_kg=135.0, post_mass_kg=134.0), athlete())
    assert [e.path for e in errors] == ["pre_mass_kg", "post_mass_kg"]
    assert unusual_session(run(pre_mass_kg=60.5, post_mass_kg=59.5), athlete()) == []


@pytest.mark.parametrize(
    ("duration_s", "fluid_ml", "unusual"),
    [
        (3600, 2500, False),  # exactly 2.5 L in an hour: not flagged
        (3600, 2501, True),
        (1800, 2500, False),  # under an hour counts as an hour
        (1800, 2501, True),
        (7200, 5000, False),
        (7200, 5001, True),
    ],
)
def test_fluid_over_2_5_litres_an_hour_is_unusual(duration_s: int, fluid_ml: float, unusual: bool) -> None:
    errors = unusual_session(run(duration_s=duration_s, fluid_ml=fluid_ml), athlete())
    assert (errors != []) is unusual
    if unusual:
        assert errors[0].path == "fluid_ml"
        assert "is more than anyone drinks (over 2.5 L an hour)" in errors[0].message


def test_fluid_over_the_limit_in_millilitres_gets_no_hint() -> None:
    (error,) = unusual_session(run(duration_s=3600, fluid_ml=2600), athlete())
    assert error.message == "2.6L in 1 h is more than anyone drinks (over 2.5 L an hour)"
    (error,) = unusual_session(run(duration_s=7200, fluid_ml=6000), athlete())
    assert error.message == "6L in 2 h is more than anyone drinks (over 2.5 L an hour)"


def test_an_imperial_athletes_millilitres_read_as_ounces_get_the_hint() -> None:
    # 800 typed as fluid ounces (23.7 L) by someone who meant 800 ml
    (error,) = unusual_session(run(duration_s=3600, fluid_ml=800 * 29.5735295625), athlete(units="imperial"))
    assert (
        error.message == "800oz in 1 h is more than anyone drinks (over 2.5 L an hour); did you mean 800ml?"
    )
    # in half an hour (counted as an hour): 1000 oz flagged, 1000 ml (1 L) offered
    (error,) = unusual_session(run(duration_s=1800, fluid_ml=1000 * 29.5735295625), athlete(units="imperial"))
    assert (
        error.message == "1000oz in 0.5 h is more than anyone drinks (over 2.5 L an hour); did you mean 1L?"
    )


def test_a_new_body_mass_far_from_the_old_one_is_unusual() -> None:
    before = athlete()
    assert unusual_athlete_change(before, athlete(body_mass_kg=62.0)) == []
    (error,) = unusual_athlete_change(before, athlete(body_mass_kg=132.0))
    assert error.path == "body_mass_kg" and error.message.endswith("; did you mean 132lb?")
    assert unusual_athlete_change(athlete(body_mass_kg=None), athlete(body_mass_kg=132.0)) == []
    assert unusual_athlete_change(before, athlete(body_mass_kg=None)) == []

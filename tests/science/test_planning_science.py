"""The plan: never more fluid than the sweat rate, ordered finite ranges, cited numbers."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.domain.enums import Muscle, Sport, UnitSystem
from crampwise.domain.errors import InvalidInput
from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Session
from crampwise.knowledge.sources import resolve
from crampwise.science.hydration import sweat_tests
from crampwise.science.plan_checklist import describe_volume
from crampwise.science.planning import (
    EAH_MAX_L_PER_H,
    PlannedSession,
    cramp_targets,
    make_plan,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def athlete(**fields: Any) -> Athlete:
    base: dict[str, Any] = {"name": "Ana", "body_mass_kg": 61.5}
    base.update(fields)
    return Athlete.model_validate(base)


def weighed(i: int, rate_l_per_h: float, temperature_c: float, rpe: float = 6, mass: float = 61.5) -> Session:
    return Session.model_validate(
        {
            "id": f"s-{i:04d}",
            "start": NOW - timedelta(days=60 - i),
            "sport": "run",
            "duration_s": 3600,
            "temperature_c": temperature_c,
            "rpe": rpe,
            "pre_mass_kg": mass,
            "post_mass_kg": round(mass - rate_l_per_h + 0.5, 3),
            "fluid_ml": 500,
            "urine_ml": 0,
        }
    )


def cramp(i: int, muscle: str, context: str = "exercise") -> Cramp:
    return Cramp.model_validate(
        {"id": f"c-{i:04d}", "at": NOW - timedelta(days=i + 1), "muscle": muscle, "context": context},
        context={"now": NOW},
    )


def test_contract_example_population_plan() -> None:
    plan = make_plan(History(athlete=athlete()), PlannedSession(Sport.RUN, 3 * 3600, 28, rpe=6))
    assert plan.sweat_rate.basis == "population"
    low, high = plan.fluid_ml_per_h
    assert 0 < low <= high <= plan.fluid_ml_per_h_max <= plan.sweat_rate.estimate_l_per_h * 1000
    assert plan.sodium_mg_per_h[0] <= plan.sodium_mg_per_h[1] <= plan.sweat_sodium_loss_mg_per_h
    assert plan.sodium_mg_per_h[1] > 0
    assert not plan.drink_to_thirst
    assert plan.interval_min in (15, 20)
    # drinks every interval, never at the finish line
    assert [d.at_min for d in plan.schedule] == list(range(plan.interval_min, 180, plan.interval_min))
    # After the session: a rule on the measured loss, never litres from the predicted loss.
    assert plan.rehydration_ml is None
    assert plan.after is not None and "1.25-1.5 L per kg you lost" in plan.after.text
    assert "Drink to thirst" in plan.after.text and "sawka2007_acsm" in plan.after.sources
    assert [e.id for e in plan.warmup][:2] == ["easy_start", "calf_heel_raises"]
    assert plan.night == ()
    resolve(plan.sources)
    for ids in plan.citations.values():
        assert ids
        resolve(ids)
    for advice in plan.checklist:
        resolve(advice.sources)


def test_fluid_keeps_loss_under_two_percent_when_the_ceiling_allows() -> None:
    # a personal sweater at ~1.0 L/h: 3 h allows 1.23 L of loss for 61.5 kg
    sessions = [weighed(i, 1.0, 20 + i) for i in range(8)]
    plan = make_plan(
        History(athlete=athlete(), sessions=tuple(sessions)), PlannedSession(Sport.RUN, 3 * 3600, 24, 6)
    )
    assert plan.sweat_rate.basis == "personal"
    assert plan.sweat_rate.n_tests == 8
    assert plan.expected_mass_loss_pct < 2.0
    assert plan.fluid_ml_per_h[1] <= plan.sweat_rate.estimate_l_per_h * 1000


def test_heavy_sweater_is_capped_at_the_eah_ceiling_and_warned() -> None:
    sessions = [weighed(i, 2.6, 30, 8, mass=70) for i in range(6)]
    plan = make_plan(
        History(athlete=athlete(body_mass_kg=70), sessions=tuple(sessions)),
        PlannedSession(Sport.RUN, 5 * 3600, 30, 8),
    )
    assert plan.fluid_ml_per_h_max == EAH_MAX_L_PER_H * 1000
    assert plan.fluid_ml_per_h[1] <= 1500
    assert plan.expected_mass_loss_pct > 2
    texts = " ".join(a.text for a in plan.checklist)
    assert "cooler time" in texts
    assert "hyponatraemia" in texts  # over 4 h


def test_one_measured_test_caps_the_ceiling_of_a_population_plan() -> None:
    # Reviewer finding 14: the ceiling may never exceed what the athlete was measured to sweat.
    history = History(athlete=athlete(), sessions=(weighed(0, 0.5, 18),))
    plan = make_plan(history, PlannedSession(Sport.RUN, 3 * 3600, 28, 6))
    assert plan.sweat_rate.basis == "population" and plan.sweat_rate.low_l_per_h > 0.5
    assert plan.fluid_ml_per_h_max == 500
    assert plan.ceiling_reason == "measured" and plan.capped_by_measurement
    low, high = plan.fluid_ml_per_h
    assert low <= high <= 500
    texts = [a.text for a in plan.checklist]
    assert any("Never drink more than 500ml" in text for text in texts)
    measured = next(a for a in plan.checklist if "measured to sweat" in a.text)
    assert "500ml" in measured.text and "hew_butler2015_eah" in measured.sources
    assert plan.rehydration_ml is None
    unmeasured = make_plan(History(athlete=athlete()), PlannedSession(Sport.RUN, 3 * 3600, 28, 6))
    assert unmeasured.ceiling_reason == "population_low_end"
    assert unmeasured.fluid_ml_per_h_max == math.floor(unmeasured.sweat_rate.low_l_per_h * 20) * 50
    assert not any("measured to sweat" in a.text for a in unmeasured.checklist)


def test_a_personal_model_extrapolating_to_heat_stays_under_the_highest_measured_rate() -> None:
    sessions = [weighed(i, 0.8 + 0.02 * i, 8 + i, 6) for i in range(6)]  # cool tests, 0.8-0.9 L/h
    plan = make_plan(
        History(athlete=athlete(), sessions=tuple(sessions)), PlannedSession(Sport.RUN, 4 * 3600, 38, 8)
    )
    assert plan.sweat_rate.basis == "personal"
    assert plan.sweat_rate.estimate_l_per_h > 0.9
    assert plan.fluid_ml_per_h_max == 900
    assert plan.fluid_ml_per_h[1] <= 900


def test_short_cool_easy_session_is_drink_to_thirst() -> None:
    plan = make_plan(History(athlete=athlete()), PlannedSession(Sport.RUN, 45 * 60, 12, rpe=3))
    assert plan.drink_to_thirst
    assert plan.schedule == ()
    assert plan.fluid_ml_per_h[0] == 0
    assert plan.sodium_mg_per_h == (0.0, 0.0)
    assert any("thirst" in a.text and "kenefick2018" in a.sources for a in plan.checklist)


def test_hour_and_a_half_in_heat_is_not_thirst_only() -> None:
    plan = make_plan(History(athlete=athlete()), PlannedSession(Sport.RUN, 90 * 60, 30, rpe=3))
    assert not plan.drink_to_thirst
    assert plan.schedule


def test_warmup_targets_the_muscles_this_athlete_cramps_in() -> None:
    cramps = (cramp(1, "hamstring"), cramp(2, "hamstring"), cramp(3, "quadriceps"), cramp(4, "calf", "sleep"))
    history = History(athlete=athlete(), cramps=cramps)
    assert cramp_targets(history) == (Muscle.HAMSTRING, Muscle.QUADRICEPS, Muscle.CALF)
    plan = make_plan(history, PlannedSession(Sport.RIDE, 2 * 3600, 20))
    ids = [e.id for e in plan.warmup]
    assert (
        ids.index("hamstring_leg_swings") < ids.index("quad_walking_lunges") < ids.index("calf_heel_raises")
    )
    assert {e.id for e in plan.night} == {"night_calf_stretch", "night_hamstring_stretch"}  # a sleep cramp
    assert "hallegraeff2012" in plan.sources


def test_measured_sweat_sodium_is_used() -> None:
    salty = make_plan(
        History(athlete=athlete(sweat_sodium_mmol_l=70)), PlannedSession(Sport.RUN, 3 * 3600, 25, 6)
    )
    typical = make_plan(History(athlete=athlete()), PlannedSession(Sport.RUN, 3 * 3600, 25, 6))
    assert salty.sodium.basis == "measured"
    assert salty.sodium_mg_per_h[1] > typical.sodium_mg_per_h[1]


def test_no_body_mass_is_bad_input_naming_the_fix() -> None:
    with pytest.raises(InvalidInput) as info:
        make_plan(History(athlete=athlete(body_mass_kg=None)), PlannedSession(Sport.RUN, 3600, 20))
    assert "crampwise athlete set --body-mass" in str(info.value)


@pytest.mark.parametrize(
    ("planned", "field"),
    [
        (PlannedSession(Sport.RUN, 0, 20), "duration"),
        (PlannedSession(Sport.RUN, 60 * 3600, 20), "duration"),
        (PlannedSession(Sport.RUN, 3600, 90), "temperature"),
        (PlannedSession(Sport.RUN, 3600, math.nan), "temperature"),
        (PlannedSession(Sport.RUN, 3600, 20, rpe=11), "rpe"),
    ],
)
def test_impossible_sessions_are_refused(planned: PlannedSession, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        make_plan(History(athlete=athlete()), planned)
    assert str(info.value).startswith(field)


def test_volumes_read_in_the_athletes_units() -> None:
    assert describe_volume((150, 200), UnitSystem.METRIC) == "150-200ml"
    assert describe_volume((0, 200), UnitSystem.METRIC) == "up to 200ml"
    assert describe_volume((800, 1200), UnitSystem.METRIC) == "800ml-1.2L"
    assert describe_volume((0, 0), UnitSystem.METRIC) == "none needed"
    assert describe_volume((150, 200), UnitSystem.IMPERIAL) == "5.1-6.8oz"
    plan = make_plan(History(athlete=athlete(units="imperial")), PlannedSession(Sport.RUN, 2 * 3600, 25, 6))
    assert plan.schedule[0].text(plan.units).endswith("oz")


rates = st.floats(0.1, 4.9)
test_rows = st.lists(st.tuples(rates, st.floats(-10, 45), st.integers(0, 10)), max_size=8)


@settings(max_examples=60, deadline=None)
@given(
    rows=test_rows,
    mass=st.floats(35, 150),
    sport=st.sampled_from(list(Sport)),
    duration_s=st.floats(60, 48 * 3600),
    temperature=st.floats(-40, 50),
    rpe=st.none() | st.floats(0, 10),
    sodium=st.none() | st.floats(5, 150),
)
def test_plan_never_asks_for_more_fluid_than_the_sweat_rate(
    rows: list[tuple[float, float, int]],
    mass: float,
    sport: Sport,
    duration_s: float,
    temperature: float,
    rpe: float | None,
    sodium: float | None,
) -> None:
    sessions = tuple(weighed(i, r, t, e, mass=70) for i, (r, t, e) in enumerate(rows))
    history = History(athlete=athlete(body_mass_kg=mass, sweat_sodium_mmol_l=sodium), sessions=sessions)
    plan = make_plan(history, PlannedSession(sport, duration_s, temperature, rpe))
    sweat_ml = plan.sweat_rate.estimate_l_per_h * 1000
    low, high = plan.fluid_ml_per_h
    numbers = [low, high, plan.fluid_ml_per_h_max, *plan.sodium_mg_per_h, plan.expected_mass_loss_pct]
    assert all(math.isfinite(n) and n >= 0 for n in numbers)
    assert low <= high <= plan.fluid_ml_per_h_max <= sweat_ml
    assert plan.fluid_ml_per_h_max <= EAH_MAX_L_PER_H * 1000
    if plan.sweat_rate.basis == "population":  # never above the low end of a population estimate
        assert plan.fluid_ml_per_h_max <= plan.sweat_rate.low_l_per_h * 1000 + 1e-6
    if plan.eah_risk_factors and plan.sweat_rate.basis == "population":
        assert plan.fluid_ml_per_h_max <= 800
    assert plan.rehydration_ml is None
    if rows:  # every row is a usable test: never more than the most the athlete was measured to sweat
        measured_ml = max(t.sweat_rate_l_per_h for t in sweat_tests(sessions)) * 1000
        assert plan.fluid_ml_per_h_max <= measured_ml + 1e-6
    assert plan.sweat_rate.low_l_per_h <= plan.sweat_rate.estimate_l_per_h <= plan.sweat_rate.high_l_per_h
    assert plan.sodium_mg_per_h[0] <= plan.sodium_mg_per_h[1] <= plan.sweat_sodium_loss_mg_per_h + 1e-9
    for drink in plan.schedule:
        assert 0 < drink.at_min < duration_s / 60
        assert drink.fluid_ml[0] <= drink.fluid_ml[1] <= high * plan.interval_min / 60
    total_drunk_l = sum(d.fluid_ml[1] for d in plan.schedule) / 1000
    assert total_drunk_l <= plan.sweat_rate.estimate_l_per_h * duration_s / 3600 + 1e-9

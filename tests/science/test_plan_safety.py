"""Issue 10: a fluid plan that cannot lead to over-drinking, on realistic athletes.

Scenarios: a small female athlete in a hot 6 h ultra with no sweat tests; a 50 kg and a 70 kg
runner on the same course; a male marathoner; the boundaries of each EAH risk factor.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crampwise.domain.enums import Sport
from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Session
from crampwise.science.fluid_ceiling import IMMDA_CAP_L_PER_H, eah_risk_factors, fluid_ceiling
from crampwise.science.planning import PlannedSession, make_plan
from crampwise.science.sweat_model import RatePrediction, fit_sweat_model, population_rate

NOW = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)


def athlete(**fields: Any) -> Athlete:
    return Athlete.model_validate({"name": "Lia", **fields})


def test_small_female_athlete_in_a_hot_six_hour_ultra_gets_a_low_ceiling_and_no_litres_after() -> None:
    # The reviewer's case: 50 kg, no sweat tests, 6 h at 35 C. The old plan said "never more than
    # 1.45 l an hour"; 1.5 L/h is an EAH risk level, not a safe limit.
    lia = athlete(body_mass_kg=50, sex="female", timezone="Europe/Madrid")
    plan = make_plan(History(athlete=lia), PlannedSession(Sport.RUN, 6 * 3600, 35, None))
    assert plan.sweat_rate.basis == "population"
    assert plan.eah_risk_factors == ("over 4 hours", "female", "under 60 kg")
    assert plan.fluid_ml_per_h_max == 400  # IMMDA's lower end with all three factors
    assert plan.ceiling_reason == "eah_risk"
    assert plan.fluid_ml_per_h[1] <= 400 <= plan.sweat_rate.low_l_per_h * 1000
    assert all(d.fluid_ml[1] <= 400 * plan.interval_min / 60 for d in plan.schedule)
    assert plan.rehydration_ml is None
    texts = " ".join(a.text for a in plan.checklist)
    assert "Never drink more than 400ml an hour" in texts
    assert "over 4 hours, female, under 60 kg" in texts and "400-800 ml" in texts
    assert "noakes2003_immda" in plan.citations["fluid_ml_per_h_max"]
    assert "drink to thirst" in texts  # over 4 h
    # No litre figure computed from the predicted loss anywhere in the plan.
    # ("per kg you lost" is the rule on a measured loss, not a figure.)
    assert re.search(r"\d[\d.]*\s*(ml|l)\b(?! per kg)[^.]*(after|next hours)", texts, re.I) is None


def test_a_50_kg_runner_is_not_given_a_70_kg_runners_sweat_rate() -> None:
    light = make_plan(History(athlete=athlete(body_mass_kg=50)), PlannedSession(Sport.RUN, 2 * 3600, 22, 6))
    heavy = make_plan(History(athlete=athlete(body_mass_kg=70)), PlannedSession(Sport.RUN, 2 * 3600, 22, 6))
    ratio = light.sweat_rate.estimate_l_per_h / heavy.sweat_rate.estimate_l_per_h
    assert ratio == pytest.approx(50 / 70, rel=1e-6)
    assert light.fluid_ml_per_h_max < heavy.fluid_ml_per_h_max
    assert "baker2016" in light.citations["sweat_rate_l_per_h"]


def test_population_rate_scales_with_body_mass_at_baker_2016s_relative_rate() -> None:
    # 15.3 mL/kg/h (baker2016) x 70 kg, times the endurance factor 1.28 / 1.21 (barnes2019).
    rate = population_rate(Sport.RUN, 70)
    assert rate.mean_l_per_h == pytest.approx(15.3 * 70 / 1000 * 1.28 / 1.21)
    assert rate.sd_l_per_h / rate.mean_l_per_h == pytest.approx(6.8 / 15.3)
    assert rate.sources == ("baker2016", "barnes2019", "crampwise_convention")
    assert population_rate(Sport.SWIM, 60).mean_l_per_h == pytest.approx(15.3 * 60 / 1000)
    assert population_rate(Sport.RUN).mean_l_per_h == pytest.approx(1.28)  # no mass: absolute


def test_the_personal_models_prior_starts_from_the_athletes_size() -> None:
    small = fit_sweat_model([], sport=Sport.RUN, body_mass_kg=50).predict(temperature_c=22, rpe=6)
    large = fit_sweat_model([], sport=Sport.RUN, body_mass_kg=90).predict(temperature_c=22, rpe=6)
    assert small.estimate_l_per_h / large.estimate_l_per_h == pytest.approx(50 / 90, rel=1e-6)


@pytest.mark.parametrize(
    ("duration_s", "sex", "mass", "expected"),
    [
        (4 * 3600, "male", 70, ()),  # 4 h exactly is not over 4 h
        (4 * 3600 + 1, "male", 70, ("over 4 hours",)),
        (2 * 3600, "female", 60, ("female",)),  # 60 kg exactly is not under 60 kg
        (2 * 3600, "male", 59.9, ("under 60 kg",)),
        (5 * 3600, "female", 55, ("over 4 hours", "female", "under 60 kg")),
        (5 * 3600, None, 55, ("over 4 hours", "under 60 kg")),
    ],
)
def test_eah_risk_factors_and_their_boundaries(
    duration_s: float, sex: str | None, mass: float, expected: tuple[str, ...]
) -> None:
    history = History(athlete=athlete(body_mass_kg=mass, sex=sex))
    assert eah_risk_factors(history.athlete, duration_s) == expected


def prediction(estimate: float, low: float, basis: str = "population") -> RatePrediction:
    return RatePrediction(estimate, low, estimate * 2, basis, 0 if basis == "population" else 5)


@pytest.mark.parametrize(
    ("factors", "expected_ml", "reason"),
    [
        ((), 1100, "population_low_end"),
        (("over 4 hours",), 800, "eah_risk"),
        (("over 4 hours", "female"), 600, "eah_risk"),
        (("over 4 hours", "female", "under 60 kg"), 400, "eah_risk"),
    ],
)
def test_each_eah_risk_factor_lowers_a_population_ceiling(
    factors: tuple[str, ...], expected_ml: float, reason: str
) -> None:
    ceiling = fluid_ceiling(prediction(1.6, 1.1), 3 * 3600, None, factors)
    assert (ceiling.ml_per_h, ceiling.reason) == (expected_ml, reason)
    assert IMMDA_CAP_L_PER_H[1] == 0.8 and IMMDA_CAP_L_PER_H[3] == 0.4  # noakes2003_immda


def test_the_ceiling_is_never_above_what_was_measured_or_1_5_l_per_hour() -> None:
    three_h = 3 * 3600
    assert fluid_ceiling(prediction(2.4, 1.9, "personal"), three_h, 2.2, ()).ml_per_h == 1500
    measured = fluid_ceiling(prediction(1.4, 1.2, "personal"), three_h, 0.95, ())
    assert (measured.ml_per_h, measured.reason) == (950, "measured")
    long_event = fluid_ceiling(prediction(1.2, 0.9, "personal"), 5 * 3600, None, ())
    assert (long_event.ml_per_h, long_event.reason) == (900, "long_event_low_end")


def weighed(i: int, pre: float, post: float, fluid: float) -> Session:
    return Session.model_validate(
        {
            "id": f"s-{i:04d}",
            "start": NOW - timedelta(days=40 - i),
            "sport": "run",
            "duration_s": 3600,
            "temperature_c": 25,
            "rpe": 6,
            "pre_mass_kg": pre,
            "post_mass_kg": post,
            "fluid_ml": fluid,
            "urine_ml": 0,
        }
    )


def test_a_measured_marathoner_over_4_hours_drinks_within_his_own_low_end() -> None:
    # Five weighed runs at ~0.9 L/h: a personal model; a 4.5 h marathon is over 4 h.
    sessions = tuple(weighed(i, 72.0, 71.6, 500) for i in range(5))
    him = athlete(body_mass_kg=72, sex="male")
    plan = make_plan(History(athlete=him, sessions=sessions), PlannedSession(Sport.RUN, 4.5 * 3600, 24, 6))
    assert plan.sweat_rate.basis == "personal"
    assert plan.ceiling_reason in ("long_event_low_end", "measured")
    assert plan.fluid_ml_per_h_max <= math.floor(plan.sweat_rate.low_l_per_h * 20) * 50
    assert plan.fluid_ml_per_h_max <= 900


def test_cramps_do_not_change_the_fluid_plan() -> None:
    cramp = Cramp.model_validate(
        {"id": "c-1", "at": NOW - timedelta(days=3), "muscle": "calf", "context": "exercise"},
        context={"now": NOW},
    )
    lia = athlete(body_mass_kg=50, sex="female")
    plain = make_plan(History(athlete=lia), PlannedSession(Sport.RUN, 6 * 3600, 35, None))
    with_cramp = make_plan(
        History(athlete=lia, cramps=(cramp,)), PlannedSession(Sport.RUN, 6 * 3600, 35, None)
    )
    assert plain.fluid_ml_per_h == with_cramp.fluid_ml_per_h  # never "drink more to prevent cramps"

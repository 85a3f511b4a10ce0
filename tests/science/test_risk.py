"""The session risk: a probability, a level with documented cut-offs, and its drivers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Session
from crampwise.science.exposures import SESSION_FACTORS
from crampwise.science.risk import RiskModel, level_of, session_risk
from crampwise.science.simulate import SCENARIOS, SimConfig, simulate_athlete
from crampwise.science.trigger_priors import INTERCEPT_BASE_RATE
from crampwise.science.triggers import analyse

MADRID = ZoneInfo("Europe/Madrid")
END = date(2026, 10, 31)
NOW = datetime(2026, 11, 1, 7, tzinfo=MADRID)


def planned(minutes: float, rpe: float | None = None, temperature_c: float | None = None) -> Session:
    return Session(start=NOW, sport="run", duration_s=minutes * 60, rpe=rpe, temperature_c=temperature_c)


@pytest.fixture(scope="module")
def fatigue_runner() -> History:
    sim = simulate_athlete(
        np.random.default_rng(21), SimConfig(end=END, scenario=SCENARIOS["fatigue"], session_cramps=45)
    )
    return History.from_bundle(sim.bundle)


def test_levels_follow_the_documented_cut_offs() -> None:
    assert [level_of(p) for p in (0.0, 0.099, 0.10, 0.249, 0.25, 1.0)] == [
        "low",
        "low",
        "elevated",
        "elevated",
        "high",
        "high",
    ]


def test_a_new_athlete_gets_the_population_prior() -> None:
    """No record: the prior's mean probability, a little above its median base rate."""
    risk = session_risk(History(athlete=Athlete(name="New")), planned(45), NOW)
    assert risk.basis == "population" and risk.n_session_cramps == 0
    assert INTERCEPT_BASE_RATE < risk.probability < 2 * INTERCEPT_BASE_RATE
    assert risk.level == "low"
    assert risk.drivers == ()
    assert risk.to_json() == {"level": risk.level, "probability": round(risk.probability, 3), "drivers": []}


def test_long_hard_session_of_a_fatigue_cramper_is_riskier_with_drivers(fatigue_runner: History) -> None:
    easy = session_risk(fatigue_runner, planned(40, rpe=3, temperature_c=12), NOW)
    hard_long = session_risk(fatigue_runner, planned(150, rpe=8, temperature_c=12), NOW)
    assert hard_long.basis == "personal"
    assert hard_long.probability > 2 * easy.probability
    assert set(hard_long.drivers) >= {"long_session", "hard_session"}
    assert easy.drivers == ()


@pytest.mark.parametrize(("scenario", "seed"), [("fatigue", 21), ("dehydration", 4), ("none", 7)])
def test_plan_and_insights_read_the_same_model(scenario: str, seed: int) -> None:
    """One model: the plan's drivers are exactly the session's factors that insights calls a
    likely or possible trigger, and both report the same odds ratios."""
    sim = simulate_athlete(
        np.random.default_rng(seed), SimConfig(end=END, scenario=SCENARIOS[scenario], session_cramps=45)
    )
    history = History.from_bundle(sim.bundle)
    insights = {f.factor: f for f in analyse(history, today=END).factors if f.level == "session"}
    model = RiskModel.fit(history)
    for factor in SESSION_FACTORS:
        estimate = model.estimate(factor)
        shown = insights[factor]
        assert model.verdict(factor) == shown.verdict
        if shown.odds_ratio is not None:
            assert estimate is not None and estimate.odds_ratio == pytest.approx(shown.odds_ratio)
    risk = session_risk(history, planned(200, rpe=9, temperature_c=30), NOW, model=model)
    exposed = {"long_session", "hard_session", "heat"}
    flagged = {f for f, r in insights.items() if r.verdict in ("likely_trigger", "possible_trigger")}
    assert set(risk.drivers) >= flagged & exposed
    assert set(risk.drivers) <= flagged
    assert list(risk.drivers) == sorted(risk.drivers, key=lambda f: -(insights[f].odds_ratio or 0.0))


def test_only_records_before_now_inform_the_model(fatigue_runner: History) -> None:
    early = datetime(2026, 1, 1, 7, tzinfo=MADRID)
    risk = session_risk(fatigue_runner, planned(60), early)
    model = RiskModel.fit(fatigue_runner)
    assert risk.n_session_cramps < model.n_session_cramps


@settings(max_examples=25, deadline=None)
@given(
    minutes=st.floats(min_value=5, max_value=600),
    rpe=st.none() | st.integers(min_value=0, max_value=10),
    temperature=st.none() | st.floats(min_value=-20, max_value=45),
)
def test_probability_is_always_a_probability(
    minutes: float, rpe: int | None, temperature: float | None
) -> None:
    history = History(
        athlete=Athlete(name="A", timezone="Europe/Madrid"),
        sessions=tuple(
            Session(id=f"s-{i}", start=NOW - timedelta(days=i + 1), sport="run", duration_s=3600, rpe=5)
            for i in range(10)
        ),
    )
    risk = session_risk(history, planned(minutes, rpe, temperature), NOW)
    assert 0.0 <= risk.probability <= 1.0
    assert risk.level == level_of(risk.probability)

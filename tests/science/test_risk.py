"""The session risk: a probability, a level with documented cut-offs, and its drivers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Session
from crampwise.science.exposures import SESSION_FACTORS
from crampwise.science.risk import RiskModel, level_of, session_risk
from crampwise.science.simulate import SCENARIOS, Scenario, SimConfig, simulate_athlete
from crampwise.science.trigger_priors import INTERCEPT_BASE_RATE
from crampwise.science.triggers import analyse

MADRID = ZoneInfo("Europe/Madrid")
END = date(2026, 10, 31)
NOW = datetime(2026, 11, 1, 7, tzinfo=MADRID)


def planned(minutes: float, rpe: float | None = None, temperature_c: float | None = None) -> Session:
    return Session(start=NOW, sport="run", duration_s=minutes * 60, rpe=rpe, temperature_c=temperature_c)


STRONG_FATIGUE = Scenario("strong fatigue", {"long_session": 8.0, "hard_session": 6.0})


@pytest.fixture(scope="module")
def fatigue_runner() -> History:
    """A runner whose cramps go strongly with long and hard sessions (55 expected)."""
    sim = simulate_athlete(
        np.random.default_rng(21), SimConfig(end=END, scenario=STRONG_FATIGUE, session_cramps=55)
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


@pytest.mark.parametrize(
    ("scenario", "seed", "flagged_drivers"),
    [
        (STRONG_FATIGUE, 21, {"long_session", "hard_session"}),
        (SCENARIOS["dehydration"], 4, None),
        (SCENARIOS["none"], 7, None),
    ],
)
def test_plan_and_insights_read_the_same_model(
    scenario: Scenario, seed: int, flagged_drivers: set[str] | None
) -> None:
    """One model: the plan's drivers are exactly the session's factors that insights calls a
    likely or possible trigger, and both report the same odds ratios."""
    sim = simulate_athlete(
        np.random.default_rng(seed), SimConfig(end=END, scenario=scenario, session_cramps=55)
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
    if flagged_drivers is not None:  # the agreement is not only "nothing on both sides"
        assert set(risk.drivers) == flagged_drivers


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


def _dehydration_cramper() -> History:
    """200 weighed runs: long hot ones lose over 2 % of body mass unless the athlete drinks
    (every other one), and the dehydrated ones usually cramp."""
    sessions, cramps = [], []
    for i in range(200):
        start = datetime(2026, 1, 5, 8, tzinfo=MADRID) + timedelta(days=i)
        hours = 2.5 if i % 2 else 0.7
        temperature = 28.0 if i % 4 in (1, 2) else 10.0
        fluid_ml = 1000 if i % 8 == 5 else 0
        loss_fraction = 0.006 * hours * (1 + (temperature - 10) / 20) - fluid_ml / 1000 / 70
        sessions.append(
            Session(
                id=f"s-{i}",
                start=start,
                sport="run",
                duration_s=hours * 3600,
                temperature_c=temperature,
                rpe=5,
                fluid_ml=fluid_ml,
                pre_mass_kg=70.0,
                post_mass_kg=round(70.0 * (1 - loss_fraction), 2),
            )
        )
        if (loss_fraction >= 0.02 and i % 16 != 1) or i in (10, 40, 70, 100, 150):
            cramps.append(
                Cramp(
                    id=f"c-{i}",
                    at=start + timedelta(minutes=30),
                    muscle="calf",
                    context="exercise",
                    session_id=f"s-{i}",
                )
            )
    return History(
        athlete=Athlete(name="D", timezone="Europe/Madrid"), sessions=tuple(sessions), cramps=tuple(cramps)
    )


def test_a_planned_session_expected_to_dehydrate_names_dehydration_as_a_driver() -> None:
    """A plan cannot know the weighing: the exposure model gives a long hot run a high chance of
    a 2 % loss, and dehydration (a trigger in this record) then drives its risk."""
    history = _dehydration_cramper()
    now = history.sessions[-1].start + timedelta(days=1)
    model = RiskModel.fit(history)
    assert model.verdict("dehydration") == "likely_trigger"
    long_hot = session_risk(
        history,
        Session(start=now, sport="run", duration_s=3 * 3600, temperature_c=30, rpe=5),
        now,
        model=model,
    )
    short_cool = session_risk(
        history, Session(start=now, sport="run", duration_s=1800, temperature_c=8, rpe=5), now, model=model
    )
    assert "dehydration" in long_hot.drivers and "dehydration" not in short_cool.drivers
    assert long_hot.probability > 3 * short_cool.probability

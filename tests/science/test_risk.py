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
from crampwise.science.risk import BASE_RATE, RiskModel, level_of, session_risk
from crampwise.science.simulate import SCENARIOS, SimConfig, simulate_athlete

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
    risk = session_risk(History(athlete=Athlete(name="New")), planned(45), NOW)
    assert risk.basis == "population" and risk.n_session_cramps == 0
    assert risk.probability == pytest.approx(BASE_RATE, rel=0.6)
    assert risk.drivers == ()
    assert risk.to_json() == {"level": risk.level, "probability": round(risk.probability, 3), "drivers": []}


def test_long_hard_session_of_a_fatigue_cramper_is_riskier_with_drivers(fatigue_runner: History) -> None:
    easy = session_risk(fatigue_runner, planned(40, rpe=3, temperature_c=12), NOW)
    hard_long = session_risk(fatigue_runner, planned(150, rpe=8, temperature_c=12), NOW)
    assert hard_long.basis == "personal"
    assert hard_long.probability > 2 * easy.probability
    assert set(hard_long.drivers) >= {"long_session", "hard_session"}
    assert easy.drivers == ()


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

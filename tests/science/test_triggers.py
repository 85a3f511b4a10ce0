"""The trigger analysis on hand-built histories: verdict rules and edge cases."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Session
from crampwise.science.exposure_chance import MIN_WEIGHED, ExposureChances
from crampwise.science.exposures import DAY_FACTORS, DEFAULT_THRESHOLDS, SESSION_FACTORS, session_exposures
from crampwise.science.simulate import Scenario, SimConfig, simulate_athlete
from crampwise.science.trigger_model import LIKELY_FROM, POSSIBLE_FROM, FactorPosterior, verdict_for
from crampwise.science.trigger_priors import Family
from crampwise.science.triggers import analyse, ci_bound

MADRID = ZoneInfo("Europe/Madrid")
ATHLETE = Athlete(name="Ana", max_hr=190, timezone="Europe/Madrid")
FIRST = date(2026, 1, 5)
TODAY = date(2026, 6, 1)


def build(n: int, hot: Any, cramp: Any, **fields: Any) -> History:
    """n daily one-hour runs; `hot(i)` sets the temperature, `cramp(i)` adds a cramp."""
    sessions, cramps = [], []
    for i in range(n):
        day = FIRST + timedelta(days=i)
        start = datetime(day.year, day.month, day.day, 8, tzinfo=MADRID)
        temperature = None if hot(i) is None else (30.0 if hot(i) else 15.0)
        sessions.append(
            Session(
                id=f"s-{i}", start=start, sport="run", duration_s=3000, temperature_c=temperature, **fields
            )
        )
        if cramp(i):
            cramps.append(
                Cramp(
                    id=f"c-{i}",
                    at=start + timedelta(minutes=40),
                    muscle="calf",
                    context="exercise",
                    session_id=f"s-{i}",
                )
            )
    return History(athlete=ATHLETE, sessions=tuple(sessions), cramps=tuple(cramps))


def by_factor(history: History) -> dict[tuple[str, str], Any]:
    result = analyse(history, today=TODAY)
    assert [(f.level, f.factor) for f in result.factors] == [
        *(("session", f) for f in SESSION_FACTORS),
        *(("day", f) for f in DAY_FACTORS),
    ]
    return {(f.level, f.factor): f for f in result.factors}


def test_empty_history_lists_every_factor_as_not_enough_data() -> None:
    result = analyse(History(athlete=ATHLETE), today=TODAY)
    assert (result.n_sessions, result.n_session_cramps, result.n_rest_cramp_days) == (0, 0, 0)
    assert len(result.factors) == len(SESSION_FACTORS) + len(DAY_FACTORS)
    assert {f.verdict for f in result.factors} == {"not_enough_data"}
    assert all(f.odds_ratio is None and f.q is None for f in result.factors)
    assert result.plan is None and result.timing.n == 0


def test_no_cramps_means_not_enough_data() -> None:
    factors = by_factor(build(60, lambda i: i % 3 == 0, lambda i: False))
    assert {f.verdict for f in factors.values()} == {"not_enough_data"}
    assert factors[("session", "heat")].exposed.n == 20


def test_all_sessions_exposed_cannot_be_estimated() -> None:
    heat = by_factor(build(60, lambda i: True, lambda i: i % 6 == 0))[("session", "heat")]
    assert heat.unexposed.n == 0 and heat.exposed.with_cramp == 10
    assert heat.verdict == "not_enough_data" and heat.odds_ratio is None


def test_none_exposed_cannot_be_estimated() -> None:
    heat = by_factor(build(60, lambda i: False, lambda i: i % 6 == 0))[("session", "heat")]
    assert heat.exposed.n == 0 and heat.verdict == "not_enough_data"


def test_unknown_exposures_are_counted_apart() -> None:
    heat = by_factor(build(60, lambda i: None if i % 2 else i % 4 == 0, lambda i: i % 5 == 0))[
        ("session", "heat")
    ]
    assert heat.n_unknown == 30
    assert heat.exposed.n + heat.unexposed.n == 30


def test_separation_every_hot_session_cramped_is_a_likely_trigger_with_finite_interval() -> None:
    heat = by_factor(build(120, lambda i: i % 10 == 0, lambda i: i % 10 == 0))[("session", "heat")]
    assert heat.exposed.n == heat.exposed.with_cramp == 12 and heat.unexposed.with_cramp == 0
    assert heat.verdict == "likely_trigger"
    assert heat.ci95 is not None and 1 < heat.ci95[0] < heat.odds_ratio < heat.ci95[1] < math.inf
    assert heat.prob_above_1 is not None and heat.prob_above_1 >= SECONDARY_BAR
    assert heat.p is None and heat.q is None  # the Bayesian model gives no p or q (CONTRACTS.md 5)


def test_fewer_than_five_cramps_with_known_exposure_is_not_enough_data() -> None:
    history = build(80, lambda i: None if i >= 40 else i % 4 == 0, lambda i: i % 10 == 0)
    heat = by_factor(history)[("session", "heat")]
    assert heat.exposed.with_cramp + heat.unexposed.with_cramp == 4
    assert heat.verdict == "not_enough_data"


def test_a_strong_planted_trigger_is_found_and_a_null_one_is_not() -> None:
    sim = simulate_athlete(
        np.random.default_rng(11),
        SimConfig(
            end=TODAY, scenario=Scenario("t", {"long_session": 8.0}), session_cramps=45, rest_cramp_days=0
        ),
    )
    factors = by_factor(History.from_bundle(sim.bundle))
    assert factors[("session", "long_session")].verdict == "likely_trigger"
    assert all(f.verdict != "likely_trigger" for k, f in factors.items() if k[1] != "long_session")


def _dehydration_athlete(weigh_share: float) -> tuple[History, list[bool]]:
    sim = simulate_athlete(
        np.random.default_rng(5),
        SimConfig(
            end=TODAY,
            scenario=Scenario("d", {"dehydration": 5.0}),
            session_cramps=35,
            rest_cramp_days=0,
            weigh_share=weigh_share,
        ),
    )
    history = History.from_bundle(sim.bundle)
    cramped = {c.session_id for c in history.cramps}
    return history, [s.id in cramped for s in history.sessions]


def test_unweighed_sessions_inform_dehydration_deterministically() -> None:
    history, _ = _dehydration_athlete(0.5)
    first = by_factor(history)[("session", "dehydration")]
    again = by_factor(history)[("session", "dehydration")]
    assert first == again  # no random draws: the same record always gives the same answer
    assert first.n_unknown > 0 and first.odds_ratio is not None and first.ci95 is not None
    assert first.ci95[0] < first.odds_ratio < first.ci95[1]
    # the counts stay those of the weighed sessions: unknown values are never shown as data
    assert first.exposed.n + first.unexposed.n + first.n_unknown == len(history.sessions)


def test_the_chance_of_an_unweighed_dehydration_follows_hours_heat_and_drinking() -> None:
    history, _ = _dehydration_athlete(0.5)
    rows = session_exposures(history)
    chances = ExposureChances.fit(rows, ["dehydration"], DEFAULT_THRESHOLDS)
    assert chances.loss is not None
    long_hot = replace(
        rows[0],
        session=rows[0].session.model_copy(
            update={"duration_s": 4 * 3600, "temperature_c": 30.0, "fluid_ml": 0}
        ),
    )
    short_cool = replace(
        rows[0],
        session=rows[0].session.model_copy(update={"duration_s": 1800, "temperature_c": 8.0, "fluid_ml": 0}),
    )
    assert chances.chance("dehydration", long_hot) > 0.95
    assert chances.chance("dehydration", short_cool) < 0.05
    # weighed sessions the model gets right: most exposed ones have a high chance
    weighed = [r for r in rows if r.values["dehydration"] is not None]
    exposed = [chances.chance("dehydration", r) for r in weighed if r.values["dehydration"]]
    unexposed = [chances.chance("dehydration", r) for r in weighed if not r.values["dehydration"]]
    assert np.mean(exposed) > 0.6 > 0.2 > np.mean(unexposed)


def test_with_too_few_weighed_sessions_the_chance_is_the_share() -> None:
    history, _ = _dehydration_athlete(0.03)
    rows = session_exposures(history)
    weighed = [r for r in rows if r.values["dehydration"] is not None]
    assert len(weighed) < MIN_WEIGHED
    chances = ExposureChances.fit(rows, ["dehydration"], DEFAULT_THRESHOLDS)
    assert chances.loss is None
    share = (sum(1 for r in weighed if r.values["dehydration"]) + 0.5) / (len(weighed) + 1)
    assert chances.chance("dehydration", rows[0]) == pytest.approx(share)


def test_low_sodium_is_guessed_among_sessions_of_an_hour_or_more() -> None:
    """An unknown low_sodium is always an hour-long session's: shorter ones (always "no")
    must not dilute its chance."""
    history = build(60, lambda i: False, lambda i: False)
    sessions = []
    for i, s in enumerate(history.sessions):
        long = i % 2 == 0
        sodium = None if i % 4 == 0 else (0.0 if long else 500.0)
        sessions.append(s.model_copy(update={"duration_s": 5400 if long else 1800, "sodium_mg": sodium}))
    rows = session_exposures(History(athlete=ATHLETE, sessions=tuple(sessions)))
    chances = ExposureChances.fit(rows, ["low_sodium"], DEFAULT_THRESHOLDS)
    unknown = next(r for r in rows if r.values["low_sodium"] is None)
    assert chances.chance("low_sodium", unknown) > 0.9  # every known hour-long session had none


def post(log_or: float, low: float, high: float, prob: float) -> FactorPosterior:
    return FactorPosterior(log_or, low, high, prob)


PRIMARY_BAR = LIKELY_FROM[("session", "primary")]
SECONDARY_BAR = LIKELY_FROM[("session", "secondary")]
POSSIBLE_BAR = POSSIBLE_FROM[("session", "primary")]


@pytest.mark.parametrize(
    ("estimate", "family", "known", "verdict"),
    [
        (post(1.2, 0.3, 2.0, PRIMARY_BAR), "primary", 20, "likely_trigger"),  # the bar exactly
        (post(1.2, 0.3, 2.0, PRIMARY_BAR - 1e-9), "primary", 20, "possible_trigger"),
        (post(1.2, 0.3, 2.0, 0.999), "primary", 4, "not_enough_data"),
        (post(1.2, 0.3, 2.0, 0.999), "primary", 5, "likely_trigger"),  # 5 known cramps exactly
        (post(1.2, 0.3, 2.0, SECONDARY_BAR), "secondary", 20, "likely_trigger"),
        (post(1.2, 0.3, 2.0, SECONDARY_BAR - 1e-9), "secondary", 20, "no_clear_link"),
        (post(0.8, -0.1, 2.0, POSSIBLE_BAR), "primary", 20, "possible_trigger"),
        (post(0.8, -0.1, 2.0, POSSIBLE_BAR - 1e-9), "primary", 20, "no_clear_link"),
        (post(-1.2, -2.0, -0.3, 1 - SECONDARY_BAR), "secondary", 20, "protective"),
        (post(-1.2, -2.0, -0.3, 1 - SECONDARY_BAR + 1e-6), "secondary", 20, "no_clear_link"),
        (None, "primary", 20, "not_enough_data"),
        # a lower bound of 1.0004 is reported as 1.00: it is not "above 1"
        (post(1.2, math.log(1.0004), 2.0, 0.9999), "primary", 20, "possible_trigger"),
        (post(1.2, math.log(1.01), 2.0, 0.9999), "primary", 20, "likely_trigger"),
        (post(-1.2, -2.0, math.log(0.9999), 0.0001), "primary", 20, "no_clear_link"),
    ],
)
def test_verdict_rules(estimate: FactorPosterior | None, family: Family, known: int, verdict: str) -> None:
    assert POSSIBLE_BAR is not None
    assert verdict_for(estimate, "session", family, known) == verdict


def test_timing_and_plan_comparison() -> None:
    history = build(60, lambda i: i % 3 == 0, lambda i: i % 6 == 0, plan_followed=True)
    result = analyse(history, today=TODAY)
    assert result.timing.n == 10
    assert result.timing.median_fraction == pytest.approx(0.8)
    assert result.timing.final_quarter_share == 1.0
    assert result.plan is not None
    assert (result.plan.followed.n, result.plan.followed.with_cramp, result.plan.not_followed.n) == (
        60,
        10,
        0,
    )


def test_rest_cramps_are_analysed_per_day_by_case_crossover() -> None:
    """Night cramps after every long Sunday run (and nowhere else): trained_long stands out."""
    sessions, cramps = [], []
    for week in range(20):
        for weekday, minutes in ((1, 40), (3, 45), (6, 120)):
            day = FIRST + timedelta(days=7 * week + weekday)
            start = datetime(day.year, day.month, day.day, 8, tzinfo=MADRID)
            sessions.append(
                Session(id=f"s-{week}-{weekday}", start=start, sport="run", duration_s=minutes * 60)
            )
        if week >= 1 and week % 2:
            sunday = FIRST + timedelta(days=7 * week + 6)
            night = datetime(sunday.year, sunday.month, sunday.day, 3, tzinfo=MADRID) + timedelta(days=1)
            cramps.append(Cramp(id=f"c-{week}", at=night, muscle="calf", context="sleep"))
    result = analyse(History(athlete=ATHLETE, sessions=tuple(sessions), cramps=tuple(cramps)), today=TODAY)
    assert result.n_rest_cramp_days == 10
    trained_long = next(f for f in result.factors if f.level == "day" and f.factor == "trained_long")
    assert trained_long.exposed.with_cramp == 10
    assert trained_long.verdict in {"likely_trigger", "possible_trigger"}
    assert trained_long.odds_ratio is not None and trained_long.odds_ratio > 3


@pytest.mark.parametrize("extra", [0, 7, 13, 30])
def test_adding_a_cramp_never_lowers_a_count(extra: int) -> None:
    base = build(40, lambda i: i % 3 == 0, lambda i: i % 8 == 0)
    session = base.sessions[extra]
    more = History(
        athlete=base.athlete,
        sessions=base.sessions,
        cramps=(
            *base.cramps,
            Cramp(
                id="c-x",
                at=session.start + timedelta(minutes=5),
                muscle="calf",
                context="exercise",
                session_id=session.id,
            ),
        ),
    )
    before, after = analyse(base, today=TODAY), analyse(more, today=TODAY)
    assert after.n_session_cramps >= before.n_session_cramps
    for b, a in zip(before.factors, after.factors, strict=True):
        assert a.exposed.with_cramp >= b.exposed.with_cramp
        assert a.unexposed.with_cramp >= b.unexposed.with_cramp
        assert (a.exposed.n, a.unexposed.n) == (b.exposed.n, b.unexposed.n)


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        (1.0004, 1.0, 1.01),
        (0.99996, 0.999, 1.0),
        (1.234567, 1.23, 1.24),
        (2.5, 2.5, 2.5),
        (0.00123456, 0.00123, 0.00124),
    ],
)
def test_reported_bounds_are_rounded_outward_to_three_digits(value: float, low: float, high: float) -> None:
    assert ci_bound(math.log(value), up=False) == low
    assert ci_bound(math.log(value), up=True) == high


def test_an_unknown_temperature_is_guessed_from_the_season() -> None:
    """Hot sessions in summer only: a summer session without a temperature is probably hot,
    a winter one probably not."""
    sessions = []
    for i in range(200):
        day = date(2026, 1, 5) + timedelta(days=i)
        summer = 80 <= i < 170
        temperature = None if i % 7 == 0 else (30.0 if summer else 10.0)
        sessions.append(
            Session(
                id=f"s-{i}",
                start=datetime(day.year, day.month, day.day, 8, tzinfo=MADRID),
                sport="run",
                duration_s=3000,
                temperature_c=temperature,
            )
        )
    rows = session_exposures(History(athlete=ATHLETE, sessions=tuple(sessions)))
    chances = ExposureChances.fit(rows, ["heat"], DEFAULT_THRESHOLDS)
    summer = next(r for r in rows[115:135] if r.values["heat"] is None)
    winter = next(r for r in rows[:30] if r.values["heat"] is None)
    assert chances.chance("heat", summer) > 0.8
    assert chances.chance("heat", winter) < 0.05

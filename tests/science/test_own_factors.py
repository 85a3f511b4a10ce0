"""The athlete's own factors and the wellness factors as extra exposure columns (issue 16)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np

from crampwise.domain.history import History
from crampwise.domain.records import Bundle
from crampwise.science.own_factors import BASELINE_MIN, extra_exposures
from crampwise.science.simulate import OWN_FACTOR, SCENARIOS, SimConfig, simulate_athlete
from crampwise.science.trigger_model import LIKELY_FROM
from crampwise.science.triggers import analyse

ZONE = "Europe/Madrid"


def history(
    sessions: list[dict[str, Any]], days: list[dict[str, Any]], factors: list[dict[str, Any]]
) -> History:
    athlete = {"name": "Ana", "timezone": ZONE, "factors": factors}
    return History.from_bundle(
        Bundle.model_validate({"athlete": athlete, "sessions": sessions, "days": days})
    )


def run(i: int, tags: dict[str, Any]) -> dict[str, Any]:
    start = datetime(2026, 3, 1, 8, 0, tzinfo=timezone(timedelta(hours=1))) + timedelta(days=i)
    return {
        "id": f"s-{i:04d}",
        "start": start.isoformat(),
        "sport": "run",
        "duration_s": 3600,
        "tags": tags,
    }


def test_yes_no_tags_are_the_exposure_and_an_absent_tag_is_unknown() -> None:
    h = history(
        [run(1, {"new_shoes": True}), run(2, {"new_shoes": False}), run(3, {})],
        [],
        [{"name": "new_shoes", "level": "session"}],
    )
    extra = extra_exposures(h)
    assert [extra.by_session[f"s-{i:04d}"]["new_shoes"] for i in (1, 2, 3)] == [True, False, None]
    assert [(f.name, f.level, f.own) for f in extra.factors] == [("new_shoes", "session", True)]


def test_a_number_factor_is_exposed_above_the_athlete_s_median() -> None:
    days = [
        {"date": f"2026-03-0{i}", "tags": {"caffeine_mg": value}}
        for i, value in enumerate((0, 0, 0, 200, 100), 1)
    ]
    extra = extra_exposures(
        history([run(3, {})], days, [{"name": "caffeine_mg", "level": "day", "kind": "number"}])
    )
    # median 0: any caffeine is exposure; a day factor is also its session's (the session's day)
    assert [extra.by_day[date(2026, 3, i)]["caffeine_mg"] for i in range(1, 6)] == [
        False,
        False,
        False,
        True,
        True,
    ]
    assert extra.by_session["s-0003"]["caffeine_mg"] is True  # run(3) is on 4 March: 200 mg
    every_day = [
        {"date": f"2026-03-0{i}", "tags": {"caffeine_mg": v}} for i, v in enumerate((100, 200, 300), 1)
    ]
    extra = extra_exposures(
        history([], every_day, [{"name": "caffeine_mg", "level": "day", "kind": "number"}])
    )
    assert [extra.by_day[date(2026, 3, i)]["caffeine_mg"] for i in (1, 2, 3)] == [False, False, True]


def test_low_hrv_and_raised_resting_hr_need_a_baseline_of_14_nights() -> None:
    start = date(2026, 1, 1)
    days = [
        {"date": (start + timedelta(days=i)).isoformat(), "hrv_ms": 60 + (i % 3), "resting_hr": 50 + (i % 2)}
        for i in range(BASELINE_MIN)
    ]
    days.append({"date": (start + timedelta(days=14)).isoformat(), "hrv_ms": 45, "resting_hr": 55})
    days.append({"date": (start + timedelta(days=15)).isoformat(), "hrv_ms": 61, "resting_hr": 52})
    extra = extra_exposures(history([], days, []))
    assert extra.by_day[start + timedelta(days=13)]["low_hrv"] is None  # 13 nights before it: no baseline
    assert extra.by_day[start + timedelta(days=14)] == {"low_hrv": True, "raised_resting_hr": True}
    # 52 bpm is above mean + 1 SD (about 50.5 + 0.5) but less than 3 bpm above: not raised
    assert extra.by_day[start + timedelta(days=15)] == {"low_hrv": False, "raised_resting_hr": False}
    assert {(f.name, f.level, f.exploratory) for f in extra.factors} == {
        ("low_hrv", "session", True),
        ("low_hrv", "day", True),
        ("raised_resting_hr", "session", True),
        ("raised_resting_hr", "day", True),
    }


def test_without_recovery_data_the_wellness_factors_are_not_listed() -> None:
    assert extra_exposures(history([run(1, {})], [{"date": "2026-03-01", "sleep_h": 7}], [])).factors == ()


def test_a_planted_own_factor_is_found_and_labelled_as_the_athlete_s_own() -> None:
    rng = np.random.default_rng(7)
    config = SimConfig(
        end=date(2026, 10, 31), scenario=SCENARIOS["own_factor"], session_cramps=45, own_factor_share=0.27
    )
    sim = simulate_athlete(rng, config)
    assert [f.name for f in sim.bundle.athlete.factors] == [OWN_FACTOR]
    result = analyse(History.from_bundle(sim.bundle), today=config.end)
    (own,) = [f for f in result.factors if f.factor == OWN_FACTOR]
    assert own.own and own.level == "session" and own.verdict == "likely_trigger"
    # the Bayesian model (issue 15): an own factor has the default prior and the contested
    # factors' bar; no p or q
    assert own.family == "secondary" and own.q is None and own.prob_above_1 is not None
    assert own.prob_above_1 >= LIKELY_FROM[("session", "secondary")]
    assert own.ci95 is not None and own.ci95[0] > 1
    assert not any(f.own for f in result.factors if f.factor != OWN_FACTOR)


def test_without_the_own_factor_the_simulated_athlete_is_unchanged() -> None:
    config = SimConfig(end=date(2026, 10, 31), session_cramps=30)
    plain = simulate_athlete(np.random.default_rng(3), config)
    tagged = simulate_athlete(
        np.random.default_rng(3), SimConfig(end=config.end, session_cramps=30, own_factor_share=0.3)
    )
    assert [s.start for s in plain.bundle.sessions] == [s.start for s in tagged.bundle.sessions]
    assert [c.at for c in plain.bundle.cramps] == [
        c.at for c in tagged.bundle.cramps
    ]  # not planted in fatigue
    assert all(s.tags == {} for s in plain.bundle.sessions)

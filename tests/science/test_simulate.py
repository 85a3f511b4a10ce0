"""Synthetic athletes: reproducible, valid, realistic, with triggers planted as stated."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np
import pytest

from crampwise.domain.bundles import parse_bundle
from crampwise.domain.history import History
from crampwise.science.exposures import SESSION_FACTORS
from crampwise.science.simulate import SCENARIOS, SimConfig, simulate_athlete

END = date(2026, 10, 31)


def athlete(seed: int, **kw: object) -> History:
    sim = simulate_athlete(np.random.default_rng(seed), SimConfig(end=END, **kw))  # type: ignore[arg-type]
    return History.from_bundle(sim.bundle)


def test_same_seed_same_athlete_and_bundle_round_trips() -> None:
    a = simulate_athlete(np.random.default_rng(3), SimConfig(end=END))
    b = simulate_athlete(np.random.default_rng(3), SimConfig(end=END))
    assert a.bundle == b.bundle
    assert parse_bundle(a.bundle.model_dump(mode="json"), now=None) == a.bundle


def test_a_year_of_realistic_training() -> None:
    history = athlete(5)
    sessions = history.sessions
    assert 200 <= len(sessions) <= 330
    assert sessions[0].start.date() >= date(2025, 11, 1) and sessions[-1].start.date() <= END
    weekdays = Counter(s.start.weekday() for s in sessions)
    assert weekdays[6] > weekdays[0]  # long runs on Sunday, Monday is a rest day
    sunday = np.median([s.duration_s for s in sessions if s.start.weekday() == 6])
    tuesday = np.median([s.duration_s for s in sessions if s.start.weekday() == 1])
    assert sunday > 1.4 * tuesday
    summer = np.mean(
        [s.temperature_c for s in sessions if s.start.month == 7 and s.temperature_c is not None]
    )
    winter = np.mean(
        [s.temperature_c for s in sessions if s.start.month == 1 and s.temperature_c is not None]
    )
    assert summer > winter + 8
    weighed = [s for s in sessions if s.pre_mass_kg is not None and s.post_mass_kg is not None]
    assert 0.3 * len(sessions) < len(weighed) < 0.8 * len(sessions)
    assert all(s.post_mass_kg <= s.pre_mass_kg + 1.5 for s in weighed if s.post_mass_kg and s.pre_mass_kg)
    assert any(s.rpe is None for s in sessions) and any(s.temperature_c is None for s in sessions)
    assert 0.6 * 365 < len(history.days) < 0.95 * 365


def test_cramps_look_like_real_ones() -> None:
    history = athlete(6, session_cramps=40.0, rest_cramp_days=8.0)
    muscles = Counter(c.muscle.value for c in history.cramps)
    assert muscles.most_common(1)[0][0] == "calf"
    contexts = Counter(c.context.value for c in history.cramps)
    assert contexts["exercise"] > contexts["after_exercise"] > 0
    assert contexts["sleep"] + contexts["rest"] > 0
    for cramp in history.cramps:
        session = history.session_of(cramp)
        if cramp.context.value == "exercise":
            assert session is not None and session.start <= cramp.at <= session.end
        if cramp.context.value in ("rest", "sleep"):
            assert session is None


def test_long_sessions_also_dehydrate_the_correlated_null_factor() -> None:
    sim = simulate_athlete(np.random.default_rng(8), SimConfig(end=END, scenario=SCENARIOS["fatigue"]))
    rows = [e for e in sim.true_exposures if e["long_session"] is not None]
    long_rate = np.mean([bool(e["dehydration"]) for e in rows if e["long_session"]])
    short_rate = np.mean([bool(e["dehydration"]) for e in rows if not e["long_session"]])
    assert long_rate > short_rate


@pytest.mark.slow
def test_planted_odds_ratios_are_recovered_when_pooling_athletes() -> None:
    """Pooled over athletes, the crude cramp odds ratio of a planted factor is near its value."""
    table: Counter[tuple[bool, bool]] = Counter()
    for seed in range(15):
        sim = simulate_athlete(np.random.default_rng(seed), SimConfig(end=END, scenario=SCENARIOS["none"]))
        cramped = {c.session_id for c in sim.bundle.cramps if c.session_id}
        ordered = sorted(sim.bundle.sessions, key=lambda s: s.start)
        for session, exposure in zip(ordered, sim.true_exposures, strict=True):
            table[(bool(exposure["hard_session"]), session.id in cramped)] += 1
    ratio = (table[(True, True)] * table[(False, False)]) / (table[(True, False)] * table[(False, True)])
    assert 0.7 < ratio < 1.4  # no trigger planted: no association
    assert set(SCENARIOS["fatigue"].session_odds_ratios) <= set(SESSION_FACTORS)


def test_heat_only_triggers_act_only_in_hot_sessions() -> None:
    sim = simulate_athlete(np.random.default_rng(9), SimConfig(end=END, scenario=SCENARIOS["heat"]))
    cool = {
        round(p, 12) for e, p in zip(sim.true_exposures, sim.true_probability, strict=True) if not e["heat"]
    }
    assert len(cool) == 1  # outside the heat every session has the baseline probability
    hot_dry = [
        p
        for e, p in zip(sim.true_exposures, sim.true_probability, strict=True)
        if e["heat"] and e["dehydration"]
    ]
    base = cool.pop()
    odds = [p / (1 - p) / (base / (1 - base)) for p in hot_dry]
    assert hot_dry and min(odds) == pytest.approx(5.0)  # dehydration's planted odds ratio, in the heat


def test_all_night_cramps_come_after_long_training_days() -> None:
    sim = simulate_athlete(
        np.random.default_rng(4),
        SimConfig(end=END, scenario=SCENARIOS["night"], session_cramps=0.0, rest_cramp_days=40.0),
    )
    contexts = Counter(c.context.value for c in sim.bundle.cramps)
    assert contexts["exercise"] + contexts["after_exercise"] <= 2
    assert contexts["sleep"] + contexts["rest"] >= 20
    long_days = {day for day, values in sim.true_days if values["trained_long"]}
    history = History.from_bundle(sim.bundle)
    from crampwise.science.exposures import cramp_day

    cramp_days = {cramp_day(c, history.athlete.zone) for c in history.cramps}
    share_after_long = len(cramp_days & long_days) / len(cramp_days)
    assert share_after_long > 2 * len(long_days) / len(sim.true_days)


def test_sparse_logging_leaves_half_the_sessions_without_rpe_or_weighing() -> None:
    history = athlete(10, sparse_share=0.5)
    bare = [s for s in history.sessions if s.rpe is None and s.pre_mass_kg is None]
    assert 0.4 * len(history.sessions) < len(bare) < 0.65 * len(history.sessions)


def test_a_cramp_that_ends_the_session_shortens_what_was_logged() -> None:
    config = SimConfig(end=END, scenario=SCENARIOS["fatigue"], session_cramps=40.0, stop_share=1.0)
    stopped = simulate_athlete(np.random.default_rng(12), config)
    full = simulate_athlete(
        np.random.default_rng(12), SimConfig(end=END, scenario=SCENARIOS["fatigue"], session_cramps=40.0)
    )
    by_id = {s.id: s for s in full.bundle.sessions}
    during = [c for c in stopped.bundle.cramps if c.context.value == "exercise"]
    assert during
    for cramp in during:
        session = next(s for s in stopped.bundle.sessions if s.id == cramp.session_id)
        assert session.duration_s < by_id[session.id].duration_s  # the athlete stopped at the cramp
        assert abs((session.start + timedelta(seconds=session.duration_s) - cramp.at).total_seconds()) <= 60


def test_time_at_risk_makes_longer_sessions_cramp_more_with_no_trigger() -> None:
    sim = simulate_athlete(
        np.random.default_rng(13), SimConfig(end=END, scenario=SCENARIOS["none"], time_at_risk=True)
    )
    hours = [s.duration_s / 3600 for s in sorted(sim.bundle.sessions, key=lambda s: s.start)]
    order = np.argsort(hours)
    probability = np.array(sim.true_probability)[order]
    assert np.all(np.diff(probability) >= -1e-12)  # a constant hazard per hour
    assert probability[-1] > 3 * probability[0]

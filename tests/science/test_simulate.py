"""Synthetic athletes: reproducible, valid, realistic, with triggers planted as stated."""

from __future__ import annotations

from collections import Counter
from datetime import date

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

"""Boundaries pinned exactly where the rules put them (the survivors of mutation testing).

Each rule is tested at its threshold and one step either side, so `>=` turned into `>` (or a
constant moved by one) fails a test: 2 % body-mass loss exactly is dehydration; cramps in
exactly 3 different weeks of the last 8 are "unexplained", in 2 they are not; the 8-week window
and the 24-hour "after training" gap include their ends; the trend test's variance is that of
a week index spread evenly over the window.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.science.test_triage import ATHLETE, NOW, cramp, levels, session

from crampwise.domain.history import History
from crampwise.science.exposures import session_exposures
from crampwise.science.triage import UNEXPLAINED_GAP_H, UNEXPLAINED_MIN_WEEKS, UNEXPLAINED_WEEKS, review
from crampwise.science.triage_stats import trend_test

# -- dehydration: a loss of 2 % of body mass or more (CONTRACTS.md section 4) ----------------


@pytest.mark.parametrize(
    ("post_mass_kg", "dehydrated"),
    [(49.0, True), (48.99, True), (49.01, False)],
    ids=["exactly 2 %", "just over", "just under"],
)
def test_dehydration_starts_at_exactly_2_percent(post_mass_kg: float, dehydrated: bool) -> None:
    assert (50.0 - 49.0) / 50.0 == 0.02  # the boundary case is exact in floating point
    history = History(athlete=ATHLETE, sessions=(session(1, 2, pre_mass_kg=50.0, post_mass_kg=post_mass_kg),))
    (exposures,) = session_exposures(history)
    assert exposures.values["dehydration"] is dehydrated


# -- unexplained cramps: at rest or asleep, no session in the 24 h before, in >= 3 weeks of 8 ---


def night(days_ago: list[float]) -> tuple:  # type: ignore[type-arg]
    return tuple(cramp(700 + i, d, context="sleep", severity=5) for i, d in enumerate(days_ago))


def unexplained(days_ago: list[float], sessions: tuple = ()) -> bool:  # type: ignore[type-arg]
    history = History(athlete=ATHLETE, sessions=sessions, cramps=night(days_ago))
    return "unexplained_cramps" in levels(review(history, NOW))


def test_the_thresholds_are_the_documented_ones() -> None:
    assert (UNEXPLAINED_MIN_WEEKS, UNEXPLAINED_WEEKS, UNEXPLAINED_GAP_H) == (3, 8, 24)


def test_cramps_in_exactly_three_different_weeks_are_unexplained_in_two_they_are_not() -> None:
    assert unexplained([3, 12, 26])  # weeks 7, 6 and 4 of the last 8
    assert not unexplained([3, 12])
    assert not unexplained([3, 4, 5, 12, 13])  # five cramps, still only two weeks


def test_the_eight_week_window_includes_its_first_moment() -> None:
    window_days = UNEXPLAINED_WEEKS * 7
    assert unexplained([3, 12, window_days])  # exactly 8 weeks ago: week 0, inside
    assert not unexplained([3, 12, window_days + 1 / 24 / 60])  # a minute earlier: outside


def test_a_session_in_the_24_hours_before_explains_a_cramp_both_ends_included() -> None:
    days = [3.0, 12.0, 26.0]
    gap = UNEXPLAINED_GAP_H / 24
    at_the_edge = tuple(session(800 + i, d + gap) for i, d in enumerate(days))
    assert not unexplained(days, at_the_edge)  # every cramp explained: nothing to flag
    just_outside = tuple(session(800 + i, d + gap + 1 / 86_400) for i, d in enumerate(days))
    assert unexplained(days, just_outside)
    # the window's other end: a session starting the very moment of the cramp still counts
    same_moment = tuple(session(800 + i, d) for i, d in enumerate(days))
    assert not unexplained(days, same_moment)


# -- the trend test: a score test whose null spreads the events evenly over the weeks ---------


@given(
    n_weeks=st.integers(2, 60),
    weeks=st.lists(st.integers(0, 59), min_size=1, max_size=80),
)
def test_the_trend_statistic_uses_the_variance_of_an_even_spread(n_weeks: int, weeks: list[int]) -> None:
    indices = [w % n_weeks for w in weeks]
    spread = np.arange(n_weeks, dtype=float)  # under no trend each event's week is uniform
    n = len(indices)
    z_expected = (sum(indices) - n * spread.mean()) / np.sqrt(n * spread.var())
    z, p = trend_test(indices, n_weeks)
    assert z == pytest.approx(z_expected, rel=1e-12, abs=1e-12)
    assert 0.0 <= p <= 1.0


def test_the_trend_test_on_hand_computed_cases() -> None:
    # two events in the second of two weeks: z = (2 - 1) / sqrt(2 * 3 / 12) = sqrt(2)
    assert trend_test([1, 1], 2)[0] == pytest.approx(2**0.5)
    # events spread evenly: no trend at all
    assert trend_test([0, 1, 2, 3], 4)[0] == pytest.approx(0.0)
    # all in the last of 26 weeks: strongly rising, one-sided p tiny
    z, p = trend_test([25] * 6, 26)
    assert z == pytest.approx((150 - 75) / np.sqrt(6 * (26**2 - 1) / 12))
    assert p < 1e-4
    assert trend_test([], 26) == (0.0, 1.0) and trend_test([0], 1) == (0.0, 1.0)

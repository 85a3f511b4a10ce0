"""The hand-written solvers and tails that replaced scipy imports agree with scipy itself.

scipy is still a dependency (scipy.special, the tests' oracle); these pin that the start-up
savings changed no number the analysis reports.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from crampwise.science.solvers import brent_root, golden_max
from crampwise.science.triage_stats import binomial_upper_tail, trend_test


@pytest.mark.parametrize(
    ("f", "a", "b"),
    [
        (lambda x: x**3 - 2 * x - 5, 2.0, 3.0),
        (lambda x: math.exp(x) - 10.0, -5.0, 5.0),
        (lambda x: math.cos(x) - x, 0.0, 1.0),
        (lambda x: float(np.sum(1 / (1 + np.exp(-(x + np.array([0.3, -1.2, 2.0])))))) - 1.5, -30.0, 10.0),
    ],
)
def test_brent_root_finds_the_root_scipy_finds(f, a, b) -> None:  # type: ignore[no-untyped-def]
    ours = brent_root(f, a, b)
    assert ours == pytest.approx(optimize.brentq(f, a, b), abs=1e-10)
    assert abs(f(ours)) < 1e-9


def test_brent_root_with_a_coarse_tolerance_stays_within_it() -> None:
    root = brent_root(lambda x: x * x - 2.0, 0.0, 12.0, xtol=1e-3)
    assert abs(root - math.sqrt(2.0)) <= 1e-3


def test_brent_root_refuses_an_interval_without_a_sign_change() -> None:
    with pytest.raises(ValueError, match="different signs"):
        brent_root(lambda x: x * x + 1.0, -1.0, 1.0)
    assert brent_root(lambda x: x - 1.0, 1.0, 3.0) == 1.0  # a root at an end is returned


@pytest.mark.parametrize("centre", [-11.5, -3.0, 0.0, 0.7, 11.9])
def test_golden_max_finds_the_maximum_of_a_concave_function(centre: float) -> None:
    found = golden_max(lambda v: -((v - centre) ** 2) - 0.1 * abs(v - centre) ** 3, -12.0, 12.0)
    assert found == pytest.approx(centre, abs=1e-5)


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [(1, 1, 0.5), (4, 6, 28 / 364), (3, 40, 0.05), (0, 5, 0.3), (50, 2000, 0.02), (6, 5, 0.5)],
)
def test_binomial_upper_tail_matches_scipy(k: int, n: int, p: float) -> None:
    assert binomial_upper_tail(k, n, p) == pytest.approx(stats.binom.sf(k - 1, n, p), rel=1e-9, abs=1e-15)


def test_trend_tail_matches_the_normal() -> None:
    z, p = trend_test([5, 6, 7, 7, 7], 8)
    assert p == pytest.approx(stats.norm.sf(z), rel=1e-12)

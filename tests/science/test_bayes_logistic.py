"""The Bayesian logistic engine against closed forms and brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from crampwise.science.bayes_logistic import (
    Posterior,
    Prior,
    expand,
    fit,
    log_posterior,
    normal_cdf,
    predictive,
)

WIDE = 1e4  # a normal prior this wide leaves the likelihood alone


def two_by_two(a: int, b: int, c: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """a exposed with event, b exposed without, c unexposed with, d unexposed without."""
    x = np.array([1.0] * (a + b) + [0.0] * (c + d))
    y = np.array([1.0] * a + [0.0] * b + [1.0] * c + [0.0] * d)
    return np.column_stack([np.ones_like(x), x]), y


def flat(p: int) -> Prior:
    return Prior.of([0.0] * p, [WIDE] * p)


@pytest.mark.parametrize(("a", "b", "c", "d"), [(9, 31, 14, 358), (20, 30, 10, 90), (3, 7, 2, 38)])
def test_complete_data_with_a_flat_prior_is_the_two_by_two_table(a: int, b: int, c: int, d: int) -> None:
    """The MLE log odds ratio is log(ad/bc) and its variance Woolf's 1/a + 1/b + 1/c + 1/d."""
    x, y = two_by_two(a, b, c, d)
    post = fit(x, np.ones(x.shape, dtype=bool), np.zeros(x.shape), y, flat(2))
    assert post.converged
    assert post.mode[1] == pytest.approx(math.log(a * d / (b * c)), abs=1e-6)
    assert post.cov[1, 1] == pytest.approx(1 / a + 1 / b + 1 / c + 1 / d, rel=1e-4)


def test_complete_separation_stays_finite_under_a_cauchy_prior() -> None:
    x, y = two_by_two(6, 0, 0, 60)
    post = fit(
        x, np.ones(x.shape, dtype=bool), np.zeros(x.shape), y, Prior.of([0, 0], [WIDE, 1.0], [math.inf, 1])
    )
    assert post.converged and 2.0 < post.mode[1] < 20.0
    assert post.prob_above(1) > 0.99


def _problem(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 60
    x = np.column_stack([np.ones(n), rng.random(n) < 0.4, rng.random(n) < 0.3]).astype(float)
    y = (rng.random(n) < 1 / (1 + np.exp(-(x @ np.array([-1.5, 1.2, 0.3]))))).astype(float)
    known = np.ones(x.shape, dtype=bool)
    known[:, 1] = rng.random(n) < 0.6
    known[:, 2] = rng.random(n) < 0.7
    chance = np.column_stack([np.zeros(n), rng.uniform(0.1, 0.9, n), np.full(n, 0.3)])
    return x, known, chance, y


def test_the_mixture_likelihood_is_the_brute_force_average_over_unknown_exposures() -> None:
    x, known, chance, y = _problem(1)
    prior = Prior.of([0, 0, 0], [2.0, 1.0, 1.0], [math.inf, 1, 1])
    beta = np.array([-1.0, 0.8, -0.2])
    total = 0.0
    for i in range(len(y)):
        unknown = [j for j in range(3) if not known[i, j]]
        mass = 0.0
        for values in itertools.product((0.0, 1.0), repeat=len(unknown)):
            row = x[i].copy()
            weight = 1.0
            for j, v in zip(unknown, values, strict=True):
                row[j] = v
                weight *= chance[i, j] if v else 1 - chance[i, j]
            p = 1 / (1 + math.exp(-float(row @ beta)))
            mass += weight * (p if y[i] else 1 - p)
        total += math.log(mass)
    diff = beta - prior.mean
    total += float(
        np.sum(
            np.where(
                np.isfinite(prior.df), -np.log1p(diff**2 / prior.scale**2), -0.5 * diff**2 / prior.scale**2
            )
        )
    )
    assert log_posterior(x, known, chance, y, prior, beta) == pytest.approx(total, rel=1e-10)


def test_the_covariance_is_the_inverse_of_the_numerical_hessian() -> None:
    """Louis' formula gives the observed information of the mixture (not the complete-data one)."""
    x, known, chance, y = _problem(2)
    prior = Prior.of([0, 0, 0], [2.0, 1.0, 1.0], [math.inf, 1, 1])
    post = fit(x, known, chance, y, prior)

    def f(b: np.ndarray) -> float:
        return log_posterior(x, known, chance, y, prior, b)

    h = 1e-4
    hessian = np.zeros((3, 3))
    for i, j in itertools.product(range(3), repeat=2):
        e_i, e_j = np.eye(3)[i] * h, np.eye(3)[j] * h
        hessian[i, j] = (
            f(post.mode + e_i + e_j)
            - f(post.mode + e_i - e_j)
            - f(post.mode - e_i + e_j)
            + f(post.mode - e_i - e_j)
        ) / (4 * h * h)
    np.testing.assert_allclose(post.cov, np.linalg.inv(-hessian), rtol=1e-4)
    gradient = [
        (f(post.mode + np.eye(3)[i] * h) - f(post.mode - np.eye(3)[i] * h)) / (2 * h) for i in range(3)
    ]
    np.testing.assert_allclose(gradient, 0.0, atol=1e-5)


def test_an_unknown_exposure_with_a_certain_chance_is_a_known_one() -> None:
    x, known, chance, y = _problem(3)
    certain = chance.copy()
    certain[~known] = x[~known]  # the chance of "yes" is 1 where the truth is yes, else 0
    prior = Prior.of([0, 0, 0], [2.0, 1.0, 1.0])
    a = fit(x, known, certain, y, prior)
    b = fit(x, np.ones(x.shape, dtype=bool), certain, y, prior)
    np.testing.assert_allclose(a.mode, b.mode, atol=1e-9)


def test_a_cauchy_prior_shrinks_a_large_effect_less_than_a_normal_one() -> None:
    x, y = two_by_two(15, 10, 10, 100)  # log OR 2.7
    ones, zeros = np.ones(x.shape, dtype=bool), np.zeros(x.shape)
    normal = fit(x, ones, zeros, y, Prior.of([0, 0], [WIDE, 1.0]))
    cauchy = fit(x, ones, zeros, y, Prior.of([0, 0], [WIDE, 1.0], [math.inf, 1]))
    mle = math.log(15 * 100 / (10 * 10))
    assert normal.mode[1] < cauchy.mode[1] < mle
    assert mle - cauchy.mode[1] < 0.5 * (mle - normal.mode[1])


def test_posterior_summaries() -> None:
    post = Posterior(mode=np.array([0.0, 1.0]), cov=np.diag([1.0, 0.25]), log_posterior=0.0, converged=True)
    assert post.prob_above(1) == pytest.approx(normal_cdf(2.0))
    assert post.prob_above(1, 1.0) == pytest.approx(0.5)
    low, high = post.interval(1)
    assert (low, high) == pytest.approx((1 - 1.96 * 0.5, 1 + 1.96 * 0.5), abs=1e-3)
    assert normal_cdf(1.959963984540054) == pytest.approx(0.975, abs=1e-12)
    assert normal_cdf(-3.090232306167813) == pytest.approx(0.001, abs=1e-12)


def test_predictive_averages_unknowns_and_is_a_probability() -> None:
    x = np.array([[1.0, 0.0]])
    known = np.array([[True, False]])
    laid = expand(x, known, np.array([[0.0, 0.25]]), np.zeros(1))
    certain = Posterior(mode=np.array([-2.0, 1.0]), cov=np.zeros((2, 2)), log_posterior=0.0, converged=True)
    expected = 0.75 / (1 + math.exp(2.0)) + 0.25 / (1 + math.exp(1.0))
    assert predictive(certain, laid.x, laid.log_weight) == pytest.approx(expected)
    unsure = Posterior(mode=np.array([-2.0, 1.0]), cov=np.diag([4.0, 4.0]), log_posterior=0.0, converged=True)
    p = predictive(unsure, laid.x, laid.log_weight)
    assert expected < p < 0.5  # uncertainty pulls a low probability toward one half

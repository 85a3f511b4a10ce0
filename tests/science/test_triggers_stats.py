"""The statistics against answers known in closed form or from the literature."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crampwise.science.stats import (
    MAX_ABS_BETA,
    MatchedSet,
    bh_qvalues,
    conditional_estimate,
    firth_estimate,
    firth_fit,
    firth_posterior_draw,
    independent_columns,
    linear_posterior_draws,
    rubin_pool,
)


def two_by_two(a: int, b: int, c: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """a exposed with event, b exposed without, c unexposed with, d unexposed without."""
    x = np.array([1.0] * (a + b) + [0.0] * (c + d))
    y = np.array([1.0] * a + [0.0] * b + [1.0] * c + [0.0] * d)
    return np.column_stack([np.ones_like(x), x]), y


@pytest.mark.parametrize(
    ("a", "b", "c", "d"), [(3, 7, 2, 38), (9, 31, 14, 358), (5, 0, 0, 45), (0, 10, 4, 40)]
)
def test_firth_on_a_two_by_two_table_is_the_haldane_half_correction(a: int, b: int, c: int, d: int) -> None:
    """For one binary covariate Firth's estimate equals log((a+.5)(d+.5)/((b+.5)(c+.5)))."""
    x, y = two_by_two(a, b, c, d)
    fit = firth_fit(x, y)
    assert fit.beta[1] == pytest.approx(math.log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5))), abs=1e-5)


def test_firth_intercept_only_is_k_plus_half_over_n_plus_one() -> None:
    y = np.array([1.0] * 3 + [0.0] * 17)
    fit = firth_fit(np.ones((20, 1)), y)
    assert 1 / (1 + math.exp(-fit.beta[0])) == pytest.approx(3.5 / 21, abs=1e-6)


def test_complete_separation_gives_a_finite_estimate_and_an_interval_above_one() -> None:
    x, y = two_by_two(5, 0, 0, 45)
    estimate = firth_estimate(x, y, 1)
    assert math.isfinite(estimate.log_or)
    assert 0 < estimate.ci_low < estimate.log_or <= estimate.ci_high <= MAX_ABS_BETA
    assert estimate.p < 0.001


def test_profile_interval_is_close_to_wald_in_a_large_balanced_table() -> None:
    x, y = two_by_two(60, 140, 30, 170)
    estimate = firth_estimate(x, y, 1)
    se = math.sqrt(1 / 60.5 + 1 / 140.5 + 1 / 30.5 + 1 / 170.5)
    assert estimate.ci_low == pytest.approx(estimate.log_or - 1.96 * se, abs=0.03)
    assert estimate.ci_high == pytest.approx(estimate.log_or + 1.96 * se, abs=0.03)
    assert estimate.p < 0.01


def test_no_association_gives_a_large_p_and_an_interval_around_one() -> None:
    x, y = two_by_two(10, 40, 20, 80)
    estimate = firth_estimate(x, y, 1)
    assert estimate.p > 0.9
    assert estimate.ci_low < 0 < estimate.ci_high


def test_benjamini_hochberg_on_the_published_example() -> None:
    """R's p.adjust(method = "BH") example: q < 0.05 rejects p = 0.01, 0.001, 0.02, 0.0025."""
    p = [0.50, 0.01, 0.001, 0.69, 0.02, 0.05, 0.0025]
    q = bh_qvalues(p)
    assert q == pytest.approx([0.5833333, 0.0233333, 0.007, 0.69, 0.035, 0.07, 0.00875], abs=1e-6)
    assert {pv for pv, qv in zip(p, q, strict=True) if qv < 0.05} == {0.01, 0.001, 0.02, 0.0025}
    assert bh_qvalues([]) == []
    assert bh_qvalues([0.9, 0.95]) == [0.95, 0.95]


def test_conditional_logistic_on_pairs_is_the_discordant_ratio() -> None:
    """1:1 matched pairs: the conditional MLE is b/c (McNemar); the weak prior barely moves it."""
    sets = [MatchedSet(True, 1, 2)] * 40 + [MatchedSet(False, 1, 2)] * 20
    estimate = conditional_estimate(sets)
    assert estimate.odds_ratio == pytest.approx(2.0, rel=0.05)
    assert estimate.p < 0.05 and estimate.ci_low > 0


def test_conditional_logistic_with_every_case_exposed_stays_finite() -> None:
    estimate = conditional_estimate([MatchedSet(True, 1, 5)] * 6)
    assert math.isfinite(estimate.log_or) and estimate.log_or > 1
    assert estimate.ci_high <= MAX_ABS_BETA


def test_independent_columns_drops_duplicates_and_constants() -> None:
    a = np.array([1.0, 0, 1, 0])
    x = np.column_stack([np.ones(4), a, a, 1 - a, np.zeros(4), np.array([0.0, 0, 0, 1])])
    assert independent_columns(x) == [0, 1, 5]


def test_rubin_pool_of_identical_imputations_is_the_complete_data_wald_interval() -> None:
    pooled = rubin_pool([0.8] * 10, [0.25] * 10)  # no between-imputation variance
    assert pooled.log_or == pytest.approx(0.8)
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx((0.8 - 1.96 * 0.5, 0.8 + 1.96 * 0.5), abs=1e-3)
    assert pooled.p == pytest.approx(2 * (1 - 0.945201), abs=1e-3)  # z = 1.6


def test_rubin_pool_adds_the_between_imputation_variance() -> None:
    estimates = [0.5, 0.7, 0.9, 1.1]  # mean 0.8, B = 0.0666...
    pooled = rubin_pool(estimates, [0.04] * 4)
    total = 0.04 + (1 + 1 / 4) * (0.2 / 3)
    ratio = (1 + 1 / 4) * (0.2 / 3) / 0.04
    df = 3 * (1 + 1 / ratio) ** 2
    from scipy import stats

    half = stats.t.ppf(0.975, df) * math.sqrt(total)
    assert pooled.log_or == pytest.approx(0.8)
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx((0.8 - half, 0.8 + half))
    assert pooled.p == pytest.approx(2 * stats.t.sf(0.8 / math.sqrt(total), df))


def test_linear_posterior_draws_centre_on_the_fit_with_its_residual_spread() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 3, 400)
    z = np.column_stack([np.ones_like(x), x])
    target = 0.5 + 2.0 * x + rng.normal(0, 0.3, 400)
    draws = linear_posterior_draws(z, target, 2000, np.random.default_rng(4))
    betas = np.array([b for b, _ in draws])
    sigmas = np.array([s for _, s in draws])
    fitted, *_ = np.linalg.lstsq(z, target, rcond=None)
    assert betas.mean(axis=0) == pytest.approx(fitted, abs=0.005)
    assert betas.std(axis=0) == pytest.approx(np.sqrt(np.diag(0.09 * np.linalg.inv(z.T @ z))), rel=0.1)
    assert float(np.median(sigmas)) == pytest.approx(0.3, abs=0.02)


def test_firth_posterior_draws_follow_the_fit_and_its_covariance() -> None:
    x, y = two_by_two(9, 31, 14, 358)
    fit = firth_fit(x, y)
    rng = np.random.default_rng(5)
    draws = np.array([firth_posterior_draw(fit, rng) for _ in range(4000)])
    assert draws.mean(axis=0) == pytest.approx(fit.beta, abs=0.03)
    assert np.cov(draws.T) == pytest.approx(fit.cov, abs=0.01)

"""Statistics for sparse self-tracking data: Firth logistic, conditional logistic, FDR.

- Firth's penalised likelihood (log L + 1/2 log|I|) gives finite, less biased estimates with
  few events and under separation (`heinze2002`); intervals and p-values come from the
  penalised profile likelihood, as Heinze & Schemper recommend, not from Wald.
- The conditional logistic likelihood of matched sets (case-crossover, `maclure1991`) with a
  weakly informative normal prior on the log odds ratio (`gelman2008`) stays finite when every
  case day is exposed.
- Benjamini-Hochberg q-values (`benjamini1995`; valid under positive dependence,
  `benjamini2001`).
- Multiple imputation (Rubin 1987, *Multiple Imputation for Nonresponse in Surveys*): draws
  from the posterior predictive of a normal linear model, and Rubin's rules to pool the
  estimates of the completed data sets.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Final

import numpy as np
import numpy.typing as npt

from crampwise.science.solvers import brent_root, golden_max

FloatArray = npt.NDArray[np.float64]

# chi-square with 1 degree of freedom is the square of a standard normal, so its quantiles and
# tail come from the normal's (stdlib): no scipy.stats import (about 0.7 s) for two numbers.
CHI2_95: Final = NormalDist().inv_cdf(0.975) ** 2  # chi2(1) 95th percentile, 3.8415
MAX_ABS_BETA: Final = 12.0  # log-OR search bound for intervals (OR ~ 160 000): "unbounded"
_MAX_STEP: Final = 5.0  # largest Newton step in any coefficient (as R logistf's maxstep)


def chi2_1_sf(x: float) -> float:
    """P(X > x) for X ~ chi-square(1): P(|Z| > sqrt(x)) = erfc(sqrt(x / 2))."""
    return math.erfc(math.sqrt(max(x, 0.0) / 2.0))


@dataclass(frozen=True)
class FirthFit:
    beta: FloatArray
    loglik: float  # penalised log-likelihood at beta
    cov: FloatArray  # inverse Fisher information at beta (Wald scale, for starting values)


def _penalised(x: FloatArray, y: FloatArray, beta: FloatArray) -> tuple[float, FloatArray, FloatArray]:
    """Penalised log-likelihood, modified score and Fisher information at beta."""
    eta = x @ beta
    pi = 1.0 / (1.0 + np.exp(-eta))
    w = pi * (1.0 - pi)
    info = (x * w[:, None]).T @ x
    try:
        chol = np.linalg.cholesky(info)
    except np.linalg.LinAlgError:
        return -math.inf, np.zeros_like(beta), info
    logdet = 2.0 * float(np.sum(np.log(np.diag(chol))))
    # log(1 + e^eta) computed stably
    loglik = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    half = np.linalg.solve(chol, (x * np.sqrt(w)[:, None]).T)
    hat = np.sum(half * half, axis=0)
    score = x.T @ (y - pi + hat * (0.5 - pi))
    return loglik + 0.5 * logdet, score, info


def firth_fit(
    x: FloatArray,
    y: FloatArray,
    *,
    fixed: tuple[int, float] | None = None,
    start: FloatArray | None = None,
    max_iter: int = 50,
    tol: float = 1e-7,
) -> FirthFit:
    """Maximise the Firth-penalised log-likelihood, optionally with one coefficient fixed.

    `x` includes the intercept column. Newton steps on the free coefficients with the
    full-model penalty (as R's logistf does for profile likelihoods), halved until the
    penalised likelihood does not decrease.
    """
    p = x.shape[1]
    beta = np.zeros(p) if start is None else start.astype(float).copy()
    free = np.ones(p, dtype=bool)
    if fixed is not None:
        beta[fixed[0]] = fixed[1]
        free[fixed[0]] = False
    current, score, info = _penalised(x, y, beta)
    for _ in range(max_iter):
        sub = info[np.ix_(free, free)]
        try:
            step_free = np.linalg.solve(sub, score[free])
        except np.linalg.LinAlgError:
            step_free = np.linalg.lstsq(sub, score[free], rcond=None)[0]
        biggest = float(np.max(np.abs(step_free))) if step_free.size else 0.0
        if biggest > _MAX_STEP:
            step_free *= _MAX_STEP / biggest
        step = np.zeros(p)
        step[free] = step_free
        for _half in range(30):
            trial = beta + step
            value, t_score, t_info = _penalised(x, y, trial)
            if value >= current - 1e-10:
                break
            step /= 2.0
        else:
            break
        beta, gain = trial, value - current
        current, score, info = value, t_score, t_info
        if float(np.max(np.abs(step))) < tol or (0 <= gain < tol * 1e-3 and biggest < 1e-4):
            break
    try:
        cov = np.asarray(np.linalg.inv(info), dtype=np.float64)
    except np.linalg.LinAlgError:
        cov = np.full((p, p), np.nan)
    return FirthFit(beta=beta, loglik=current, cov=cov)


@dataclass(frozen=True)
class Estimate:
    """A log odds ratio with its 95 % profile interval and likelihood-ratio p-value."""

    log_or: float
    ci_low: float
    ci_high: float
    p: float

    @property
    def odds_ratio(self) -> float:
        return math.exp(self.log_or)


def _profile_bound(
    deviance_at: Callable[[float], float],
    estimate: float,
    direction: float,
    scale: float,
) -> float:
    """Where the penalised deviance rises by chi2(1, 0.95) on one side of the estimate."""
    target = CHI2_95
    step = max(scale, 0.25)
    inner = estimate
    while True:
        outer = estimate + direction * step
        if abs(outer) >= MAX_ABS_BETA:
            outer = direction * MAX_ABS_BETA
            if deviance_at(outer) < target:
                return outer
            break
        if deviance_at(outer) >= target:
            break
        inner, step = outer, step * 2.0
    root = brent_root(lambda b: deviance_at(b) - target, min(inner, outer), max(inner, outer), xtol=1e-3)
    return float(root)


def firth_estimate(x: FloatArray, y: FloatArray, column: int, full: FirthFit | None = None) -> Estimate:
    """Profile-likelihood estimate of one coefficient of a Firth model (`heinze2002`)."""
    fit = full if full is not None else firth_fit(x, y)
    estimate = float(fit.beta[column])
    cache: dict[float, float] = {}

    def deviance_at(value: float) -> float:
        if value not in cache:
            constrained = firth_fit(x, y, fixed=(column, value), start=fit.beta)
            cache[value] = max(0.0, 2.0 * (fit.loglik - constrained.loglik))
        return cache[value]

    se = float(np.sqrt(fit.cov[column, column])) if np.isfinite(fit.cov[column, column]) else 1.0
    low = _profile_bound(deviance_at, estimate, -1.0, 2.0 * se)
    high = _profile_bound(deviance_at, estimate, 1.0, 2.0 * se)
    p = chi2_1_sf(deviance_at(0.0))
    return Estimate(log_or=estimate, ci_low=low, ci_high=high, p=p)


@dataclass(frozen=True)
class MatchedSet:
    """One case (exposed or not) with its referents: `exposed` of `size` windows were exposed."""

    case_exposed: bool
    exposed: int  # exposed windows in the set, the case included
    size: int  # windows in the set, the case included


PRIOR_SD_LOG_OR: Final = 2.5  # weakly informative (gelman2008)


def conditional_estimate(sets: Sequence[MatchedSet], prior_sd: float = PRIOR_SD_LOG_OR) -> Estimate:
    """Conditional logistic log OR of a binary exposure over matched sets, penalised by a
    Normal(0, prior_sd^2) prior; profile interval and likelihood-ratio p-value."""
    case = np.array([1.0 if s.case_exposed else 0.0 for s in sets])
    a = np.array([float(s.exposed) for s in sets])
    b = np.array([float(s.size - s.exposed) for s in sets])

    def loglik(beta: float) -> float:
        return float(np.sum(case * beta - np.logaddexp(np.log(a) + beta, np.log(b)))) - beta**2 / (
            2 * prior_sd**2
        )

    with np.errstate(divide="ignore"):
        best = golden_max(loglik, -MAX_ABS_BETA, MAX_ABS_BETA)  # concave: one maximum
        top = loglik(best)

        def deviance_at(value: float) -> float:
            return max(0.0, 2.0 * (top - loglik(value)))

        low = _profile_bound(deviance_at, best, -1.0, 1.0)
        high = _profile_bound(deviance_at, best, 1.0, 1.0)
        p = chi2_1_sf(deviance_at(0.0))
    return Estimate(log_or=best, ci_low=low, ci_high=high, p=p)


def linear_posterior_draws(
    z: FloatArray, target: FloatArray, draws: int, rng: np.random.Generator
) -> list[tuple[FloatArray, float]]:
    """Draws (coefficients, residual SD) from the posterior of a normal linear model of `target`
    on `z` (flat prior on the coefficients, 1/sigma^2 on the variance), so that imputations
    carry the uncertainty of the fitted model ("proper" imputation, Rubin 1987)."""
    n, k = z.shape
    xtx_inv = np.linalg.inv(z.T @ z)
    beta_hat = xtx_inv @ z.T @ target
    ssr = float(np.sum((target - z @ beta_hat) ** 2))
    chol = np.linalg.cholesky(xtx_inv)
    out = []
    for _ in range(draws):
        sigma = math.sqrt(ssr / float(rng.chisquare(n - k)))
        out.append((beta_hat + sigma * (chol @ rng.standard_normal(k)), sigma))
    return out


def firth_posterior_draw(fit: FirthFit, rng: np.random.Generator) -> FloatArray:
    """One draw of the coefficients from the normal approximation N(beta, I^-1) of a Firth fit
    (the Jeffreys-prior posterior mode and curvature)."""
    if not np.all(np.isfinite(fit.cov)):
        return fit.beta.copy()
    values, vectors = np.linalg.eigh((fit.cov + fit.cov.T) / 2.0)
    root = vectors * np.sqrt(np.clip(values, 0.0, None))
    return np.asarray(fit.beta + root @ rng.standard_normal(len(fit.beta)), dtype=np.float64)


def rubin_pool(estimates: Sequence[float], variances: Sequence[float]) -> Estimate:
    """Pool the log odds ratios of M completed data sets (Rubin's rules, Rubin 1987).

    Total variance T = W + (1 + 1/M) B; the interval and the p-value use Student's t with
    Rubin's degrees of freedom (M - 1)(1 + 1/r)^2, r = (1 + 1/M) B / W.
    """
    m = len(estimates)
    qbar = float(np.mean(estimates))
    within = float(np.mean(variances))
    between = float(np.var(estimates, ddof=1)) if m > 1 else 0.0
    total = within + (1.0 + 1.0 / m) * between
    ratio = (1.0 + 1.0 / m) * between / within if within > 0 else math.inf
    df = (m - 1) * (1.0 + 1.0 / ratio) ** 2 if ratio > 0 else 1e9
    se = math.sqrt(total)
    from scipy.special import stdtr, stdtrit  # Student's t; imported only when pooling runs

    crit = float(stdtrit(df, 0.975))
    p = float(2.0 * stdtr(df, -abs(qbar) / se)) if se > 0 else 1.0
    return Estimate(log_or=qbar, ci_low=qbar - crit * se, ci_high=qbar + crit * se, p=p)


def bh_qvalues(pvalues: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values: q(i) = min over j >= i of m/j x p(j), capped at 1."""
    m = len(pvalues)
    if m == 0:
        return []
    order = sorted(range(m), key=lambda i: pvalues[i])
    q = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, pvalues[index] * m / rank)
        q[index] = min(1.0, running)
    return q


def independent_columns(x: FloatArray, tol: float = 1e-8) -> list[int]:
    """Indices of columns kept, in order, each adding rank to those before it."""
    kept: list[int] = []
    for j in range(x.shape[1]):
        column = x[:, j]
        if not kept:
            if np.linalg.norm(column) > tol:
                kept.append(j)
            continue
        basis = x[:, kept]
        coef, *_ = np.linalg.lstsq(basis, column, rcond=None)
        residual = column - basis @ coef
        if np.linalg.norm(residual) > tol * max(1.0, float(np.linalg.norm(column))) * 1e3:
            kept.append(j)
    return kept

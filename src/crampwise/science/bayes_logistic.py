"""Bayesian logistic regression on yes/no exposures that may be unknown.

One athlete's record is small (a few hundred sessions, 5-60 with a cramp) and full of gaps (a
session without a weighing has no "dehydration" value). The model here is the one both
`insights` and `plan` use:

    logit P(cramp_i) = offset_i + x_i . beta,    beta_j ~ Normal(mean_j, sd_j^2)

with literature-chosen priors (`gelman2008` for the weakly informative form). An unknown
exposure is not dropped and not set to "no": the likelihood of that session is averaged over
the exposure's two values, weighted by the chance that it was exposed (an exposure model fitted
on the sessions where it is known, e.g. the athlete's sweat losses for dehydration):

    P(y_i | beta) = sum over the unknown values u of  P(u | exposure model) P(y_i | x_i(u), beta)

That is the likelihood of the observed data under missing-at-random (the "ignorable"
likelihood, `little_rubin2019`): unlike a missing-indicator column it does not let a correlated factor
stand in for a factor that is unknown on half the sessions, and unlike complete-case analysis
it loses no session.

The posterior is summarised by its mode and the inverse of the observed information there
(Laplace approximation; the information lost to unknown exposures by `louis1982`); `prob_above` gives the
posterior probability that a coefficient exceeds a value. Pure numpy and `math`: importing
this module costs no scipy.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MAX_ITER: Final = 200
TOLERANCE: Final = 1e-8  # largest change of any coefficient at convergence (log-odds units)
MAX_UNKNOWN: Final = 10  # per row; beyond this the rarest-known factors are set to their chance


def normal_cdf(z: float) -> float:
    """Standard normal distribution function, from `math.erfc` (no scipy import)."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@dataclass(frozen=True)
class Posterior:
    """Posterior mode and covariance (Laplace approximation) of the coefficients."""

    mode: FloatArray
    cov: FloatArray
    log_posterior: float
    converged: bool

    def sd(self, j: int) -> float:
        return math.sqrt(max(float(self.cov[j, j]), 0.0))

    def prob_above(self, j: int, value: float = 0.0) -> float:
        """Posterior probability that coefficient j exceeds `value` (log-odds scale)."""
        sd = self.sd(j)
        if sd == 0.0:
            return 1.0 if self.mode[j] > value else 0.0
        return normal_cdf((float(self.mode[j]) - value) / sd)

    def interval(self, j: int, z: float = 1.959963984540054) -> tuple[float, float]:
        """Central credible interval of coefficient j (95 % by default), log-odds scale."""
        sd = self.sd(j)
        return float(self.mode[j]) - z * sd, float(self.mode[j]) + z * sd


@cache
def _combos(k: int) -> FloatArray:
    """All 2^k yes/no combinations of k unknown exposures, one per row."""
    return np.array(list(itertools.product((0.0, 1.0), repeat=k)), dtype=float).reshape(2**k, k)


@dataclass(frozen=True)
class Expanded:
    """Each observation repeated once per combination of its unknown exposures."""

    x: FloatArray  # (rows, p)
    log_weight: FloatArray  # log P(combination | exposure model)
    group_start: npt.NDArray[np.intp]  # first expanded row of each observation
    y: FloatArray  # outcome of each expanded row
    offset: FloatArray


def expand(
    x: FloatArray, known: BoolArray, chance: FloatArray, y: FloatArray, offset: FloatArray | None = None
) -> Expanded:
    """Lay out the mixture likelihood: observation i becomes 2^k rows, k its unknown columns.

    `x` (n, p) holds the known values (anything where unknown), `known` (n, p) says which are
    known, `chance` (n, p) the exposure model's probability of 1 where unknown. A chance of
    exactly 0 or 1 is a known value; beyond `MAX_UNKNOWN` unknowns in one row (never in
    practice) the extra ones enter at their chance. Observations are laid out grouped by their
    pattern of unknown columns (the order does not matter to the likelihood).
    """
    n, p = x.shape
    off = np.zeros(n) if offset is None else np.asarray(offset, dtype=float)
    chance = np.clip(chance, 0.0, 1.0)
    uncertain = ~known & (chance > 0.0) & (chance < 1.0)
    base = np.where(known, x, chance)  # certain unknowns (0 or 1) are known values
    over = np.cumsum(uncertain, axis=1) > MAX_UNKNOWN
    uncertain &= ~over  # extra unknowns stay at their chance (in `base`)
    patterns: dict[tuple[int, ...], list[int]] = {}
    for i in range(n):
        patterns.setdefault(tuple(np.flatnonzero(uncertain[i])), []).append(i)
    xs: list[FloatArray] = []
    logs: list[FloatArray] = []
    ys: list[FloatArray] = []
    offs: list[FloatArray] = []
    sizes: list[int] = []
    for columns, members in patterns.items():
        index = np.array(members)
        combos = _combos(len(columns))
        width = len(combos)
        block = np.repeat(base[index][:, None, :], width, axis=1)  # (m, 2^k, p)
        cols = list(columns)
        if cols:
            block[:, :, cols] = combos[None, :, :]
            c = chance[index][:, cols][:, None, :]  # (m, 1, k)
            log_w = np.sum(np.where(combos[None, :, :] == 1.0, np.log(c), np.log1p(-c)), axis=2)
        else:
            log_w = np.zeros((len(index), 1))
        xs.append(block.reshape(-1, p))
        logs.append(log_w.reshape(-1))
        ys.append(np.repeat(y[index], width))
        offs.append(np.repeat(off[index], width))
        sizes.extend([width] * len(index))
    if n == 0:
        return Expanded(np.zeros((0, p)), np.zeros(0), np.zeros(0, dtype=np.intp), np.zeros(0), np.zeros(0))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
    return Expanded(
        x=np.vstack(xs),
        log_weight=np.concatenate(logs),
        group_start=starts,
        y=np.concatenate(ys),
        offset=np.concatenate(offs),
    )


def _sigmoid(eta: FloatArray) -> FloatArray:
    """The logistic function without overflow at large |eta|."""
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * eta)), dtype=np.float64)


def _group_logsumexp(values: FloatArray, starts: npt.NDArray[np.intp]) -> FloatArray:
    top = np.maximum.reduceat(values, starts)
    sizes = np.diff(np.append(starts, len(values)))
    shifted = np.exp(values - np.repeat(top, sizes))
    return np.asarray(top + np.log(np.add.reduceat(shifted, starts)), dtype=np.float64)


@dataclass(frozen=True)
class Prior:
    """Independent Student-t priors on the coefficients (`df` = inf: normal).

    A heavy-tailed prior (Cauchy, df = 1, as `gelman2008` recommend) pulls small effects toward
    the centre but leaves a large one almost alone, so the effect of a strong trigger is not
    pushed onto a factor correlated with it.
    """

    mean: FloatArray
    scale: FloatArray
    df: FloatArray

    @classmethod
    def of(cls, mean: Sequence[float], scale: Sequence[float], df: Sequence[float] | None = None) -> Prior:
        m = np.asarray(mean, dtype=float)
        return cls(
            m,
            np.asarray(scale, dtype=float),
            np.full(len(m), np.inf) if df is None else np.asarray(df, dtype=float),
        )

    def terms(self, beta: FloatArray) -> tuple[float, FloatArray, FloatArray, FloatArray]:
        """Log density (up to a constant), gradient, Hessian diagonal and a positive curvature
        (the scale-mixture weight, for ascent steps) at beta."""
        diff = beta - self.mean
        var = self.scale**2
        normal = ~np.isfinite(self.df)
        nu = np.where(normal, 1.0, self.df)
        denominator = nu * var + diff**2
        log_density = np.where(
            normal, -0.5 * diff**2 / var, -0.5 * (nu + 1.0) * np.log1p(diff**2 / (nu * var))
        )
        gradient = np.where(normal, -diff / var, -(nu + 1.0) * diff / denominator)
        hessian = np.where(normal, -1.0 / var, -(nu + 1.0) * (nu * var - diff**2) / denominator**2)
        weight = np.where(normal, 1.0 / var, (nu + 1.0) / denominator)
        return float(np.sum(log_density)), gradient, hessian, weight


@dataclass(frozen=True)
class _State:
    """The log posterior at one point, with its gradient, the complete-data information (with
    the prior's positive curvature: an ascent matrix) and the observed information."""

    value: float
    gradient: FloatArray
    complete: FloatArray
    observed: FloatArray


def _evaluate(data: Expanded, beta: FloatArray, prior: Prior) -> _State:
    """The mixture log posterior at beta; its observed information by Louis' (1982) formula:
    complete-data information minus the information lost to the unknown exposures."""
    eta = data.offset + data.x @ beta
    log_lik_rows = data.y * eta - np.logaddexp(0.0, eta)
    joint = data.log_weight + log_lik_rows
    sizes = np.diff(np.append(data.group_start, len(joint)))
    log_groups = _group_logsumexp(joint, data.group_start)
    resp = np.exp(joint - np.repeat(log_groups, sizes))  # P(combination | y, beta)
    pi = _sigmoid(eta)
    log_prior, prior_gradient, prior_hessian, prior_weight = prior.terms(beta)
    u = (data.y - pi)[:, None] * data.x  # complete-data scores per expanded row
    fisher = (data.x * (resp * pi * (1.0 - pi))[:, None]).T @ data.x
    weighted = u * np.sqrt(resp)[:, None]
    group_mean = np.add.reduceat(u * resp[:, None], data.group_start, axis=0)
    missing = weighted.T @ weighted - group_mean.T @ group_mean
    return _State(
        value=float(np.sum(log_groups)) + log_prior,
        gradient=np.asarray(resp @ u + prior_gradient, dtype=np.float64),
        complete=np.asarray(fisher + np.diag(prior_weight), dtype=np.float64),
        observed=np.asarray(fisher - np.diag(prior_hessian) - missing, dtype=np.float64),
    )


def log_posterior(
    x: FloatArray, known: BoolArray, chance: FloatArray, y: FloatArray, prior: Prior, beta: FloatArray
) -> float:
    """The log posterior (up to a constant) at beta: what `fit` maximises."""
    return _evaluate(expand(x, known, chance, y), beta, prior).value


def fit(
    x: FloatArray,
    known: BoolArray,
    chance: FloatArray,
    y: FloatArray,
    prior: Prior,
    offset: FloatArray | None = None,
) -> Posterior:
    """Posterior mode and Laplace covariance of a logistic model with unknown exposures.

    `x` includes any intercept column (always known). Steps are Newton steps on the observed
    information when it is positive definite, else on the complete-data information (always an
    ascent direction, as in EM-gradient), halved until the log posterior does not fall.
    """
    data = expand(x, known, chance, y, offset)
    beta = prior.mean.copy()
    state = _evaluate(data, beta, prior)
    converged = False
    for _ in range(MAX_ITER):
        step = _solve(state.observed, state.gradient)
        if step is None:
            step = np.asarray(np.linalg.solve(state.complete, state.gradient), dtype=np.float64)
        for _half in range(40):
            trial = _evaluate(data, beta + step, prior)
            if trial.value >= state.value - 1e-12:
                break
            step = step / 2.0
        else:
            break
        beta, state = beta + step, trial
        if float(np.max(np.abs(step))) < TOLERANCE:
            converged = True
            break
    cov = _inverse(state.observed)
    if cov is None:
        cov = np.asarray(np.linalg.inv(state.complete), dtype=np.float64)
    return Posterior(mode=beta, cov=cov, log_posterior=state.value, converged=converged)


def _solve(matrix: FloatArray, vector: FloatArray) -> FloatArray | None:
    """matrix^-1 vector when the matrix is positive definite, else None."""
    try:
        chol = np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return None
    return np.asarray(np.linalg.solve(chol.T, np.linalg.solve(chol, vector)), dtype=np.float64)


def _inverse(matrix: FloatArray) -> FloatArray | None:
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return None
    return np.asarray(np.linalg.inv(matrix), dtype=np.float64)


def predictive(posterior: Posterior, rows: FloatArray, log_weight: FloatArray, offset: float = 0.0) -> float:
    """P(cramp) for one new observation whose unknown exposures are laid out as `rows` with
    `log_weight` (one row per combination, as `expand` does), averaged over the posterior
    with the probit approximation of the logistic-normal integral (MacKay 1992)."""
    eta = offset + rows @ posterior.mode
    var = np.einsum("ij,jk,ik->i", rows, posterior.cov, rows)
    kappa = 1.0 / np.sqrt(1.0 + math.pi * var / 8.0)
    prob = _sigmoid(eta * kappa)
    return float(np.sum(np.exp(log_weight) * prob))

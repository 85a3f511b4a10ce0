"""The personal trigger model shared by `insights` and `plan`, and its verdict rules.

One Bayesian logistic model of "a cramp" on the factors (science/bayes_logistic.py: unknown
exposures averaged over an exposure model, Cauchy priors centred on an odds ratio of 1,
science/trigger_priors.py). Each factor's verdict is read from the posterior:

| verdict | rule |
| --- | --- |
| `not_enough_data` | fewer than `MIN_CRAMPS` cramps with the factor known, or no contrast |
| `likely_trigger` | P(OR > 1) >= `LIKELY_FROM[level, family]` (and the reported lower bound > 1) |
| `protective` | P(OR < 1) >= the same threshold (and the reported upper bound < 1) |
| `possible_trigger` | P(OR > 1) >= `POSSIBLE_FROM[level, family]`, short of likely |
| `no_clear_link` | everything else |

The thresholds are **tuned on simulated athletes** (benchmarks/trigger_thresholds.py, a seed
set apart from the validation's) as the lowest at which no factor without a planted effect is
called likely in more than 2 % of athletes, in any scenario, and at which athletes with no
trigger see none (likely or possible) in at least 90 % of cases. The results, before and after,
are in docs/science-triggers.md. They are crampwise conventions (`crampwise_convention`), not
published values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from crampwise.science.bayes_logistic import BoolArray, FloatArray, Posterior, Prior, fit
from crampwise.science.trigger_priors import Family, Level, prior_of

Verdict = Literal["likely_trigger", "possible_trigger", "no_clear_link", "protective", "not_enough_data"]
MIN_CRAMPS: Final = 5  # CONTRACTS.md: fewer cramps with known exposure -> not_enough_data
# benchmarks/trigger_thresholds.py --seed 2 --athletes 100 (4,800 simulated athletes)
LIKELY_FROM: Final[Mapping[tuple[Level, Family], float]] = {
    ("session", "primary"): 0.995,
    ("session", "secondary"): 0.9925,
    ("day", "primary"): 0.99,
    ("day", "secondary"): 0.9975,
}
POSSIBLE_FROM: Final[Mapping[tuple[Level, Family], float | None]] = {
    ("session", "primary"): 0.9925,
    ("session", "secondary"): None,
    ("day", "primary"): None,
    ("day", "secondary"): None,
}
CI_DIGITS: Final = 3  # significant digits of a reported interval bound (as the JSON shows it)
Z_95: Final = 1.959963984540054
MODEL_SOURCES: Final = ("gelman2008", "little_rubin2019", "louis1982", "crampwise_convention")


def ci_bound(log_value: float, *, up: bool) -> float:
    """An interval bound on the odds-ratio scale, rounded outward to `CI_DIGITS` significant
    digits (the lower bound down, the upper up).

    The verdict is judged on this reported bound too, so a "likely trigger" never shows a lower
    bound of 1.00. Rounding outward only widens the interval.
    """
    value = math.exp(log_value)
    scale = 10.0 ** (CI_DIGITS - 1 - math.floor(math.log10(value)))
    rounded = (math.ceil if up else math.floor)(value * scale - (1e-9 if up else -1e-9)) / scale
    return float(f"{rounded:.{CI_DIGITS}g}")


@dataclass(frozen=True)
class FactorPosterior:
    """One factor's posterior: mode and 95 % credible interval of the log odds ratio, and the
    posterior probability that the odds ratio exceeds 1."""

    log_or: float
    ci_low: float
    ci_high: float
    prob_above_1: float

    @property
    def odds_ratio(self) -> float:
        return math.exp(self.log_or)


def verdict_for(estimate: FactorPosterior | None, level: Level, family: Family, known_cramps: int) -> Verdict:
    """The verdict rules of the module docstring (CONTRACTS.md section 5, documented rule)."""
    if estimate is None or known_cramps < MIN_CRAMPS:
        return "not_enough_data"
    likely = LIKELY_FROM[(level, family)]
    if estimate.prob_above_1 >= likely and ci_bound(estimate.ci_low, up=False) > 1.0:
        return "likely_trigger"
    if 1.0 - estimate.prob_above_1 >= likely and ci_bound(estimate.ci_high, up=True) < 1.0:
        return "protective"
    possible = POSSIBLE_FROM[(level, family)]
    if possible is not None and estimate.prob_above_1 >= possible and estimate.log_or > 0.0:
        return "possible_trigger"
    return "no_clear_link"


@dataclass(frozen=True)
class Counts:
    n: int
    with_cramp: int


def counts_of(values: Sequence[bool | None], outcome: Sequence[bool]) -> tuple[Counts, Counts, int]:
    """(exposed, unexposed, unknown) counts of one factor."""
    exposed = [y for v, y in zip(values, outcome, strict=True) if v is True]
    unexposed = [y for v, y in zip(values, outcome, strict=True) if v is False]
    unknown = sum(1 for v in values if v is None)
    return Counts(len(exposed), sum(exposed)), Counts(len(unexposed), sum(unexposed)), unknown


@dataclass(frozen=True)
class FittedFactors:
    """A fitted trigger model: the posterior of each modelled factor's coefficient."""

    level: Level
    factors: tuple[str, ...]  # modelled factors, in column order after the fixed columns
    posterior: Posterior
    first_column: int  # column of the first factor (after the intercept and any strata)

    def estimate(self, factor: str) -> FactorPosterior | None:
        if factor not in self.factors:
            return None
        j = self.first_column + self.factors.index(factor)
        low, high = self.posterior.interval(j, Z_95)
        return FactorPosterior(float(self.posterior.mode[j]), low, high, self.posterior.prob_above(j))

    def coefficient(self, factor: str) -> float:
        """The posterior-mode log odds ratio (0 for a factor not in the model)."""
        if factor not in self.factors:
            return 0.0
        return float(self.posterior.mode[self.first_column + self.factors.index(factor)])


def modelled(values_by_factor: Mapping[str, Sequence[bool | None]]) -> tuple[str, ...]:
    """Factors the model can say something about: at least one known exposed and one known
    unexposed observation (the others have no contrast and stay out of the model)."""
    return tuple(
        f
        for f, values in values_by_factor.items()
        if any(v is True for v in values) and any(v is False for v in values)
    )


def fit_factors(
    level: Level,
    factors: Sequence[str],
    values: Sequence[Sequence[bool | None]],
    chance: FloatArray,
    y: FloatArray,
    fixed: FloatArray,
    fixed_prior: Prior,
) -> FittedFactors:
    """Fit the model: `fixed` columns (intercept, strata; always known) with `fixed_prior`,
    then one column per factor, `values[i][j]` the exposure of observation i to factors[j]
    (None = unknown, averaged at `chance[i, j]`)."""
    n = len(y)
    k = len(factors)
    x_factor = np.array([[1.0 if v is True else 0.0 for v in row] for row in values], dtype=float).reshape(
        n, k
    )
    known_factor: BoolArray = np.array([[v is not None for v in row] for row in values], dtype=bool).reshape(
        n, k
    )
    x = np.column_stack([fixed, x_factor])
    known = np.column_stack([np.ones(fixed.shape, dtype=bool), known_factor])
    chances = np.column_stack([np.zeros(fixed.shape), chance.reshape(n, k)])
    priors = [prior_of(f, level) for f in factors]
    prior = Prior(
        mean=np.concatenate([fixed_prior.mean, [p.centre_log_or for p in priors]]),
        scale=np.concatenate([fixed_prior.scale, [p.scale_log_or for p in priors]]),
        df=np.concatenate([fixed_prior.df, [p.df for p in priors]]),
    )
    if n == 0:  # nothing observed: the posterior is the prior
        posterior = Posterior(
            mode=prior.mean.copy(), cov=np.diag(prior.scale**2), log_posterior=0.0, converged=True
        )
    else:
        posterior = fit(x, known, chances, y, prior)
    return FittedFactors(
        level=level, factors=tuple(factors), posterior=posterior, first_column=fixed.shape[1]
    )


def logit(probability: float) -> float:
    return math.log(probability / (1.0 - probability))

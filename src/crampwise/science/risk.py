"""Probability of a cramp in a planned session, with the factors that raise it.

One Bayesian logistic model per athlete (maximum a posteriori), "cramp in this session" on the
eight factors of CONTRACTS.md section 4. Priors (`gelman2008` for the weakly informative form):

- each factor's log odds ratio ~ Normal(population value, 0.6^2). The population values are
  conventions (`crampwise_convention`) that follow the direction of the literature: longer or
  harder than usual raises the odds most (`schwellnus2011`, `schwellnus2011_ultra`), a load
  spike and heat a little (`gabbett2016`, contested by `impellizzeri2020`), dehydration a little
  and contested (`johnson2024_kona` OR 1.63 in medical-tent data against null cohorts,
  `maughan2019`), sodium, warm-up and sleep not at all a priori;
- the intercept ~ Normal(logit 0.05, 1.5^2): a wide population base rate that the athlete's
  own sessions quickly override.

With few cramps the priors dominate (the population model blended with the athlete's own
base rate); with many, the athlete's data do. Unknown factors enter at the athlete's own
share of exposed sessions (the probability is averaged over them), so a planned session
without a weighing is neither "dehydrated" nor "not". Levels: `low` below 10 %, `elevated` below 25 %, `high` from 25 % (conventions,
`crampwise_convention`); calibration on simulated athletes is in docs/science-triggers.md.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

import numpy as np

from crampwise.domain.history import History
from crampwise.domain.records import Session
from crampwise.science.exposures import (
    DEFAULT_THRESHOLDS,
    SESSION_FACTORS,
    ExposureThresholds,
    exposures_of,
    linked_session,
    session_exposures,
)
from crampwise.science.load import LoadCalendar

RiskLevel = Literal["low", "elevated", "high"]
POPULATION_OR: Final[Mapping[str, float]] = {
    "long_session": 2.0,
    "hard_session": 2.0,
    "heat": 1.2,
    "dehydration": 1.3,
    "low_sodium": 1.0,
    "no_warmup": 1.0,
    "high_load": 1.5,
    "short_sleep": 1.1,
}
PRIOR_SD: Final = 0.6
BASE_RATE: Final = 0.05
BASE_SD: Final = 1.5
LOW_BELOW: Final = 0.10
HIGH_FROM: Final = 0.25
DRIVER_MIN_OR: Final = 1.2
PERSONAL_FROM_CRAMPS: Final = 10  # below this the population prior dominates: basis "population"
RISK_SOURCES: Final = (
    "schwellnus2011",
    "schwellnus2011_ultra",
    "gabbett2016",
    "impellizzeri2020",
    "johnson2024_kona",
    "maughan2019",
    "gelman2008",
    "crampwise_convention",
)


@dataclass(frozen=True)
class SessionRisk:
    level: RiskLevel
    probability: float
    drivers: tuple[str, ...]
    basis: Literal["personal", "population"]
    n_session_cramps: int
    sources: tuple[str, ...] = RISK_SOURCES

    def to_json(self) -> dict[str, object]:
        """The `risk` object of `crampwise plan --json` (CONTRACTS.md section 5)."""
        return {"level": self.level, "probability": round(self.probability, 3), "drivers": list(self.drivers)}


def level_of(probability: float) -> RiskLevel:
    if probability < LOW_BELOW:
        return "low"
    return "elevated" if probability < HIGH_FROM else "high"


def _matrix(values: Sequence[Mapping[str, bool | None]], prevalence: Mapping[str, float]) -> np.ndarray:
    rows = [
        [1.0] + [prevalence[f] if v[f] is None else float(bool(v[f])) for f in SESSION_FACTORS]
        for v in values
    ]
    return np.array(rows, dtype=float).reshape(len(values), len(SESSION_FACTORS) + 1)


@dataclass(frozen=True)
class RiskModel:
    """Posterior-mode coefficients (intercept first, then SESSION_FACTORS) and exposure shares."""

    beta: tuple[float, ...]
    prevalence: Mapping[str, float]
    n_session_cramps: int

    @classmethod
    def fit(cls, history: History, thresholds: ExposureThresholds = DEFAULT_THRESHOLDS) -> RiskModel:
        rows = session_exposures(history, thresholds)
        cramped = {s.id for c in history.cramps if (s := linked_session(c, history)) is not None}
        y = np.array([r.session.id is not None and r.session.id in cramped for r in rows], dtype=float)
        prevalence = {}
        for factor in SESSION_FACTORS:
            known = [bool(r.values[factor]) for r in rows if r.values[factor] is not None]
            prevalence[factor] = float(np.mean(known)) if known else 0.0
        x = _matrix([r.values for r in rows], prevalence)
        mean = np.array(
            [math.log(BASE_RATE / (1 - BASE_RATE))] + [math.log(POPULATION_OR[f]) for f in SESSION_FACTORS]
        )
        precision = np.diag([1 / BASE_SD**2] + [1 / PRIOR_SD**2] * len(SESSION_FACTORS))
        beta = mean.copy()
        for _ in range(50):  # Newton on a strictly concave log-posterior
            pi = 1 / (1 + np.exp(-(x @ beta)))
            gradient = x.T @ (y - pi) - precision @ (beta - mean)
            hessian = (x * (pi * (1 - pi))[:, None]).T @ x + precision
            step = np.linalg.solve(hessian, gradient)
            beta = beta + step
            if float(np.max(np.abs(step))) < 1e-8:
                break
        return cls(beta=tuple(float(b) for b in beta), prevalence=prevalence, n_session_cramps=int(y.sum()))

    def probability(self, values: Mapping[str, bool | None]) -> float:
        """Cramp probability, averaged over the unknown factors at the athlete's exposure shares.

        Averaging probabilities (not plugging shares into the log-odds) avoids the downward
        bias of a logistic curve evaluated at a mean.
        """
        unknown = [f for f in SESSION_FACTORS if values[f] is None]
        total = 0.0
        for combo in itertools.product((False, True), repeat=len(unknown)):
            filled = dict(values)
            weight = 1.0
            for factor, exposed in zip(unknown, combo, strict=True):
                filled[factor] = exposed
                share = self.prevalence[factor]
                weight *= share if exposed else 1.0 - share
            if weight > 0.0:
                eta = float(np.dot(_matrix([filled], self.prevalence)[0], self.beta))
                total += weight / (1.0 + math.exp(-eta))
        return total

    def odds_ratio(self, factor: str) -> float:
        return math.exp(self.beta[1 + SESSION_FACTORS.index(factor)])


def past_of(history: History, now: datetime) -> History:
    """The records that may inform a risk model at `now`: sessions and cramps before it."""
    return History(
        athlete=history.athlete,
        sessions=tuple(s for s in history.sessions if s.start < now),
        cramps=tuple(c for c in history.cramps if c.at < now),
        days=history.days,
        medications=history.medications,
    )


def session_risk(
    history: History,
    planned: Session,
    now: datetime,
    *,
    model: RiskModel | None = None,
    thresholds: ExposureThresholds = DEFAULT_THRESHOLDS,
) -> SessionRisk:
    """The cramp risk of `planned` (a Session with at least start, sport and duration_s).

    Only records before `now` inform the model. Fields the plan leaves out (weighing, sodium,
    warm-up) count at the athlete's usual share; `rpe` and `temperature_c` make `hard_session`
    and `heat` known; `long_session`, `high_load` and `short_sleep` come from the history.
    """
    past = past_of(history, now)
    fitted = model if model is not None else RiskModel.fit(past, thresholds)
    calendar = LoadCalendar((*past.sessions, planned), past.athlete.zone)
    exposure = exposures_of(planned, past.sessions, history=past, calendar=calendar, thresholds=thresholds)
    probability = fitted.probability(exposure.values)
    drivers = sorted(
        (f for f in SESSION_FACTORS if exposure.values[f] is True and fitted.odds_ratio(f) >= DRIVER_MIN_OR),
        key=lambda f: -fitted.odds_ratio(f),
    )
    return SessionRisk(
        level=level_of(probability),
        probability=probability,
        drivers=tuple(drivers),
        basis="personal" if fitted.n_session_cramps >= PERSONAL_FROM_CRAMPS else "population",
        n_session_cramps=fitted.n_session_cramps,
    )

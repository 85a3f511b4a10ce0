"""Rest and sleep cramps, per day: a time-stratified self-controlled comparison of days.

Each day of the record is an observation: did the athlete have a cramp at rest or in sleep
that day (a sleep cramp before noon belongs to the day before, science/exposures.py)? The
model is the trigger model of science/trigger_model.py with, besides the day factors, one
intercept per fixed 28-day calendar block (`janes2005`; a block's deviation from the athlete's
base rate has a Normal(0, 2^2) prior, wide enough to act almost as a fixed stratum), so that
each cramp day is compared with the days around it and slow changes (season, training phase)
cancel out, as in a time-stratified case-crossover (`maclure1991`). Unlike the air-pollution
convention, days are not also matched on weekday: training follows the week (the long run on
Sunday), so same-weekday referents would share the exposure and hide it.

Days right after a cramp day (`AFTER_CASE_DAYS`) are left out as referents: an athlete who
cramped in the night often trains less the next day, which would make training look worse than
it is. Unknown day exposures are averaged over their chance, as for sessions: a day whose
sessions are unweighed had some chance of a 2 % loss (the sessions' own exposure model).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np

from crampwise.science.bayes_logistic import Prior
from crampwise.science.exposure_chance import ExposureChances
from crampwise.science.exposures import DAY_FACTORS, DayExposures, ExposureThresholds, SessionExposures
from crampwise.science.trigger_model import (
    MIN_CRAMPS,
    Counts,
    FactorPosterior,
    FittedFactors,
    Verdict,
    counts_of,
    fit_factors,
    logit,
    modelled,
    verdict_for,
)
from crampwise.science.trigger_priors import BLOCK_SD, prior_of

BLOCK_DAYS: Final = 28
AFTER_CASE_DAYS: Final = 2  # crampwise_convention: referent days dropped after a cramp day
DAY_BASE_RATE: Final = 0.02  # crampwise_convention: a wide prior around one day in 50 ...
DAY_INTERCEPT_SD: Final = 2.0  # ... that the athlete's own days override
# Day factors that are "any session of the day exposed" to a session factor.
FROM_SESSIONS: Final[Mapping[str, str]] = {
    "trained_long": "long_session",
    "trained_hard": "hard_session",
    "dehydration": "dehydration",
}


def block_of(day: date) -> int:
    """The time stratum of a day: a fixed 28-day block chosen a priori (`janes2005`)."""
    return day.toordinal() // BLOCK_DAYS


def _share(values: Sequence[bool | None]) -> float:
    known = [v for v in values if v is not None]
    return (sum(1 for v in known if v) + 0.5) / (len(known) + 1.0)


def _chances(
    days: Sequence[DayExposures],
    names: Sequence[str],
    per_session: Sequence[SessionExposures],
    thresholds: ExposureThresholds,
) -> np.ndarray:
    """(days, factors): the chance that an unknown day exposure was "yes"."""
    session_factors = sorted({FROM_SESSIONS[f] for f in names if f in FROM_SESSIONS})
    chances = ExposureChances.fit(per_session, session_factors, thresholds)
    by_day: dict[date, list[SessionExposures]] = {}
    for item in per_session:
        by_day.setdefault(item.day, []).append(item)
    shares = {f: _share([d.values[f] for d in days]) for f in names}
    out = np.zeros((len(days), len(names)))
    for i, day in enumerate(days):
        for j, factor in enumerate(names):
            if day.values[factor] is not None:
                continue
            sessions = by_day.get(day.day, [])
            source = FROM_SESSIONS.get(factor)
            if source is None or not sessions:
                out[i, j] = shares[factor]
                continue
            none_yes = 1.0
            for item in sessions:
                if item.values[source] is None:
                    none_yes *= 1.0 - chances.chance(source, item)
            out[i, j] = 1.0 - none_yes
    return out


@dataclass(frozen=True)
class DayModel:
    factors: tuple[str, ...]
    fitted: FittedFactors | None  # None with fewer than MIN_CRAMPS cramp days
    counts: Mapping[str, tuple[Counts, Counts, int]]
    n_days: int

    def estimate(self, factor: str) -> FactorPosterior | None:
        return None if self.fitted is None else self.fitted.estimate(factor)

    def verdict(self, factor: str) -> Verdict:
        exposed, unexposed, _ = self.counts[factor]
        return verdict_for(
            self.estimate(factor),
            "day",
            prior_of(factor, "day").family,
            exposed.with_cramp + unexposed.with_cramp,
        )


def fit_day_model(
    days: Sequence[DayExposures],
    case_days: set[date],
    per_session: Sequence[SessionExposures],
    thresholds: ExposureThresholds,
    factors: Sequence[str] = DAY_FACTORS,
) -> DayModel:
    """The day model over `days`, leaving out referent days right after a cramp day."""
    kept = [
        d
        for d in days
        if d.day in case_days
        or not any(d.day.toordinal() - c.toordinal() in range(1, AFTER_CASE_DAYS + 1) for c in case_days)
    ]
    outcome = [d.day in case_days for d in kept]
    by_factor = {f: [d.values[f] for d in kept] for f in factors}
    counts = {f: counts_of(by_factor[f], outcome) for f in factors}
    if sum(outcome) < MIN_CRAMPS:
        return DayModel(tuple(factors), None, counts, len(kept))
    names = modelled(by_factor)
    blocks = sorted({block_of(d.day) for d in kept})
    fixed = np.column_stack(
        [np.ones(len(kept))]
        + [np.array([1.0 if block_of(d.day) == b else 0.0 for d in kept]) for b in blocks]
    )
    fitted = fit_factors(
        "day",
        names,
        [[d.values[f] for f in names] for d in kept],
        _chances(kept, names, per_session, thresholds),
        np.array(outcome, dtype=float),
        fixed,
        Prior.of([logit(DAY_BASE_RATE)] + [0.0] * len(blocks), [DAY_INTERCEPT_SD] + [BLOCK_SD] * len(blocks)),
    )
    return DayModel(tuple(factors), fitted, counts, len(kept))

"""The per-session model's design matrix, and the multiple imputation of dehydration.

`science/triggers.py` fits one Firth logistic model of "this session had a cramp" on the
factors; this module builds its columns (each factor, plus an "unknown" indicator where a
factor is unknown on some sessions) and, for dehydration (unknown on every unweighed
session), imputes the missing exposures from the athlete's weighed sessions (Rubin's rules).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Final

import numpy as np

from crampwise.science.exposures import ExposureThresholds, SessionExposures
from crampwise.science.stats import (
    Estimate,
    FloatArray,
    firth_fit,
    firth_posterior_draw,
    independent_columns,
    linear_posterior_draws,
    rubin_pool,
)

IMPUTATIONS: Final = 30  # completed data sets for the dehydration multiple imputation
IMPUTATION_SEED: Final = 20_260_101  # fixed: the same record always gives the same answer
MIN_WEIGHED: Final = 20  # weighed sessions needed to model the unweighed ones' mass loss


def indicator(values: Sequence[bool | None], of: bool | None) -> FloatArray:
    return np.array([1.0 if v is of else 0.0 for v in values])


def design_matrix(
    rows: Sequence[SessionExposures], names: Sequence[str], without_unknown: str | None = None
) -> tuple[FloatArray, list[str]]:
    """Intercept, each factor (exposed = 1, else 0) and an "unknown" indicator for each factor
    with unknown sessions (except `without_unknown`), keeping only columns that add rank."""
    columns: list[FloatArray] = [np.ones(len(rows))]
    labels = ["(intercept)"]
    for factor in names:
        columns.append(indicator([r.values[factor] for r in rows], True))
        labels.append(factor)
    for factor in names:
        values = [r.values[factor] for r in rows]
        if factor != without_unknown and any(v is None for v in values):
            columns.append(indicator(values, None))
            labels.append(f"{factor}:unknown")
    x_all = np.column_stack(columns)
    kept = independent_columns(x_all)
    return x_all[:, kept], [labels[j] for j in kept]


def _filled(values: Sequence[float | None]) -> FloatArray:
    """Known values, the median where unknown (a predictor of the imputation model only)."""
    known = [v for v in values if v is not None]
    middle = statistics.median(known) if known else 0.0
    return np.array([middle if v is None else float(v) for v in values])


def imputed_dehydration(
    rows: Sequence[SessionExposures],
    y: FloatArray,
    names: Sequence[str],
    thresholds: ExposureThresholds,
) -> Estimate | None:
    """The dehydration odds ratio with the unweighed sessions' exposure multiply imputed.

    Weighing is the input most often missing, and the missing-indicator model then compares
    only the weighed sessions. But mass loss is largely what was sweated minus what was drunk,
    and sweat rate rises with heat and intensity (`gonzalez2009`; the personal sweat model of
    `science/sweat_model.py`). Each of `IMPUTATIONS` completed data sets:

    1. draws a normal linear model of the loss fraction on hours, hours x temperature,
       hours x RPE, litres drunk and sport from its posterior on the weighed sessions, which
       gives every session a score: (predicted loss - the 2 % threshold) / residual SD;
    2. fits a Firth logistic model of "dehydrated" on that score, the cramp outcome and the
       other factors on the weighed sessions, and draws its coefficients (the outcome and the
       analysis covariates must be in the imputation model, or the imputed exposure would be
       biased toward no effect; a logistic model of the exposure is the one congenial with
       the logistic analysis model);
    3. draws each unweighed session's exposure and refits the analysis model (without the
       dehydration unknown indicator).

    Rubin's rules pool the log odds ratios (t interval and p). None (keep the
    missing-indicator estimate) when nothing is to be imputed or fewer than `MIN_WEIGHED`
    sessions are weighed. Deterministic: a fixed seed.
    """
    sessions = [r.session for r in rows]
    unknown = np.array([r.values["dehydration"] is None for r in rows])
    weighed = ~unknown
    if not unknown.any() or int(weighed.sum()) < MIN_WEIGHED:
        return None
    loss = np.array(
        [
            0.0
            if s.pre_mass_kg is None or s.post_mass_kg is None
            else (s.pre_mass_kg - s.post_mass_kg) / s.pre_mass_kg
            for s in sessions
        ]
    )
    hours = np.array([s.duration_s / 3600.0 for s in sessions])
    main_sport = statistics.mode(s.sport for s in sessions)
    z_all = np.column_stack(
        [
            np.ones(len(rows)),
            hours,
            hours * _filled([s.temperature_c for s in sessions]),
            hours * _filled([s.rpe for s in sessions]),
            _filled([s.fluid_ml for s in sessions]) / 1000.0,
            np.array([0.0 if s.sport == main_sport else 1.0 for s in sessions]),
        ]
    )
    z = z_all[:, independent_columns(z_all[weighed])]
    if int(weighed.sum()) - z.shape[1] < MIN_WEIGHED // 2:
        return None
    exposed = indicator([r.values["dehydration"] for r in rows], True)
    others = [indicator([r.values[f] for r in rows], True) for f in names if f != "dehydration"]
    x_base, labels = design_matrix(rows, names, without_unknown="dehydration")
    if "dehydration" not in labels:
        return None
    column = labels.index("dehydration")
    rng = np.random.default_rng(IMPUTATION_SEED)
    estimates, variances = [], []
    for beta, sigma in linear_posterior_draws(z[weighed], loss[weighed], IMPUTATIONS, rng):
        score = (z @ beta - thresholds.dehydration_fraction) / sigma
        w_all = np.column_stack([np.ones(len(rows)), score, y, *others])
        w = w_all[:, independent_columns(w_all[weighed])]
        gamma = firth_posterior_draw(firth_fit(w[weighed], exposed[weighed]), rng)
        chance = 1.0 / (1.0 + np.exp(-(w[unknown] @ gamma)))
        x = x_base.copy()
        x[unknown, column] = (rng.random(int(unknown.sum())) < chance).astype(float)
        kept = independent_columns(x)
        if column not in kept:
            continue
        fit = firth_fit(x[:, kept], y)
        index = kept.index(column)
        variance = float(fit.cov[index, index])
        if math.isfinite(variance) and variance > 0:
            estimates.append(float(fit.beta[index]))
            variances.append(variance)
    if len(estimates) < IMPUTATIONS // 2:
        return None
    return rubin_pool(estimates, variances)

"""The per-session trigger model: one fit that `insights` reads verdicts from and `plan` reads
the risk of a planned session from, so the two always tell the athlete the same thing.

Outcome: the session had at least one exercise cramp (context `exercise` or `after_exercise`,
linked to it). Factors: the session factors of CONTRACTS.md section 4 and the athlete's own
and wellness factors (science/own_factors.py: extra columns, default prior of
science/trigger_priors.py) that have a contrast in the record (science/trigger_model.py),
unknown values averaged over their exposure model (science/exposure_chance.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from crampwise.domain.history import History
from crampwise.science.bayes_logistic import Prior, expand, predictive
from crampwise.science.exposure_chance import ExposureChances
from crampwise.science.exposures import (
    DEFAULT_THRESHOLDS,
    SESSION_FACTORS,
    ExposureThresholds,
    SessionExposures,
    linked_session,
    session_exposures,
)
from crampwise.science.own_factors import ExtraExposures, extra_exposures, with_extra_sessions
from crampwise.science.trigger_model import (
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
from crampwise.science.trigger_priors import INTERCEPT_BASE_RATE, INTERCEPT_SD, prior_of

DRIVER_VERDICTS = frozenset({"likely_trigger", "possible_trigger"})
EXPECTED_FROM = 0.5  # an unknown exposure of a planned session counts as expected from this chance


def cramped_sessions(history: History) -> set[str]:
    """Ids of the sessions with an exercise cramp linked to them."""
    return {
        s.id for c in history.cramps if (s := linked_session(c, history)) is not None and s.id is not None
    }


@dataclass(frozen=True)
class SessionModel:
    """The fitted model with everything the verdicts and the risk need."""

    factors: tuple[str, ...]  # every analysed factor, modelled or not
    fitted: FittedFactors
    chances: ExposureChances
    counts: Mapping[str, tuple[Counts, Counts, int]]  # exposed, unexposed, unknown
    n_sessions: int
    n_session_cramps: int
    extra: ExtraExposures | None = None  # the own and wellness columns, when fitted on a history

    @classmethod
    def fit(
        cls,
        history: History,
        thresholds: ExposureThresholds = DEFAULT_THRESHOLDS,
        factors: Sequence[str] | None = None,
    ) -> SessionModel:
        """The model of `history`'s sessions. `factors` defaults to every session factor of the
        record: the built-in ones, then the athlete's own and wellness ones (as `insights`)."""
        extra = extra_exposures(history)
        rows = with_extra_sessions(session_exposures(history, thresholds), extra)
        names = (*SESSION_FACTORS, *extra.names("session")) if factors is None else tuple(factors)
        cramped = cramped_sessions(history)
        model = cls.from_rows(rows, [r.session.id in cramped for r in rows], thresholds, names)
        return replace(model, extra=extra)

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[SessionExposures],
        outcome: Sequence[bool],
        thresholds: ExposureThresholds = DEFAULT_THRESHOLDS,
        factors: Sequence[str] = SESSION_FACTORS,
    ) -> SessionModel:
        by_factor = {f: [r.values.get(f) for r in rows] for f in factors}
        names = modelled(by_factor)
        chances = ExposureChances.fit(rows, names, thresholds)
        chance = np.array(
            [[chances.chance(f, r) if r.values.get(f) is None else 0.0 for f in names] for r in rows]
        )
        fitted = fit_factors(
            "session",
            names,
            [[r.values.get(f) for f in names] for r in rows],
            chance.reshape(len(rows), len(names)),
            np.array(outcome, dtype=float),
            np.ones((len(rows), 1)),
            Prior.of([logit(INTERCEPT_BASE_RATE)], [INTERCEPT_SD]),
        )
        return cls(
            factors=tuple(factors),
            fitted=fitted,
            chances=chances,
            counts={f: counts_of(by_factor[f], outcome) for f in factors},
            n_sessions=len(rows),
            n_session_cramps=sum(outcome),
        )

    def estimate(self, factor: str) -> FactorPosterior | None:
        return self.fitted.estimate(factor)

    def known_cramps(self, factor: str) -> int:
        exposed, unexposed, _ = self.counts[factor]
        return exposed.with_cramp + unexposed.with_cramp

    def verdict(self, factor: str) -> Verdict:
        return verdict_for(
            self.estimate(factor), "session", prior_of(factor, "session").family, self.known_cramps(factor)
        )

    def probability(self, item: SessionExposures) -> float:
        """P(cramp) in this (planned) session: unknown factors averaged over their exposure
        model, coefficients over the posterior."""
        names = self.fitted.factors
        known = np.array([[True] + [item.values.get(f) is not None for f in names]])
        x = np.array([[1.0] + [1.0 if item.values.get(f) is True else 0.0 for f in names]])
        chance = np.array(
            [[0.0] + [self.chances.chance(f, item) if item.values.get(f) is None else 0.0 for f in names]]
        )
        laid = expand(x, known, chance, np.zeros(1))
        return predictive(self.fitted.posterior, laid.x, laid.log_weight)

    def drivers(self, item: SessionExposures) -> tuple[str, ...]:
        """The factors of this session that the analysis calls a likely or possible trigger and
        that the session is exposed to (or expected to be, for an unknown one), largest first."""
        out = []
        for factor in self.fitted.factors:
            value = item.values.get(factor)
            expected = value is True or (value is None and self.chances.chance(factor, item) >= EXPECTED_FROM)
            if expected and self.verdict(factor) in DRIVER_VERDICTS:
                out.append(factor)
        return tuple(sorted(out, key=lambda f: -self.fitted.coefficient(f)))

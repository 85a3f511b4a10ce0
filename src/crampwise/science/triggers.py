"""Which factors go with *this* athlete's cramps: the personal trigger analysis.

Exercise cramps (context `exercise` / `after_exercise`) are analysed per session, rest and
sleep cramps per day, each by one Bayesian logistic model of all its factors at once
(science/session_model.py, science/day_model.py; the model and the verdict rules are in
science/trigger_model.py), so that a factor correlated with a real trigger (long sessions also
dehydrate) is judged with the trigger held fixed. Unknown exposures are neither dropped nor
taken as "no": each is averaged over the chance that it was "yes", from an exposure model fitted
on the sessions where it is known (a session's mass loss from the athlete's own sweat losses).

The athlete's own factors and the wellness factors (science/own_factors.py) are extra
columns of the same two models, with the default prior of an unknown factor
(`trigger_priors.prior_of`), the same guards and the same verdict bars as the built-in
secondary factors; their results are labelled `own` or `exploratory`.

The same session model gives `plan` its risk (science/risk.py): insights and plan never
disagree about an athlete. Everything here is exploratory: an association in one person's
record, never proof of cause.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final

from crampwise.domain.enums import CrampContext
from crampwise.domain.history import History
from crampwise.science.day_model import fit_day_model
from crampwise.science.exposure_chance import SOURCES as CHANCE_SOURCES
from crampwise.science.exposures import (
    DAY_FACTORS,
    DEFAULT_THRESHOLDS,
    FACTOR_SOURCES,
    REST_CONTEXTS,
    SESSION_FACTORS,
    ExposureThresholds,
    cramp_day,
    day_exposures,
    linked_session,
    session_exposures,
)
from crampwise.science.own_factors import (
    ExtraExposures,
    extra_exposures,
    with_extra_days,
    with_extra_sessions,
)
from crampwise.science.session_model import SessionModel, cramped_sessions
from crampwise.science.trigger_model import (
    MODEL_SOURCES,
    Counts,
    FactorPosterior,
    Verdict,
    ci_bound,
)
from crampwise.science.trigger_priors import PRIOR_SOURCES, Family, Level, prior_of

STAT_SOURCES: Final = (*MODEL_SOURCES, *PRIOR_SOURCES, *CHANCE_SOURCES)
DAY_STAT_SOURCES: Final = ("maclure1991", "janes2005", *MODEL_SOURCES)

__all__ = ["Counts", "FactorResult", "TriggerAnalysis", "Verdict", "analyse", "ci_bound"]


@dataclass(frozen=True)
class FactorResult:
    """One factor's result. `p` and `q` stay in the contract (CONTRACTS.md section 5) but the
    Bayesian model gives none: they are None; `prob_above_1` is the posterior P(OR > 1)."""

    factor: str
    level: Level
    odds_ratio: float | None
    ci95: tuple[float, float] | None
    p: float | None
    q: float | None
    exposed: Counts
    unexposed: Counts
    verdict: Verdict
    sources: tuple[str, ...]
    n_unknown: int = 0
    prob_above_1: float | None = None
    family: Family = "secondary"
    own: bool = False  # one of the athlete's own factors (CONTRACTS.md section 5: "own": true)
    exploratory: bool = False  # a wearable's night against the athlete's baseline (issue 16)


@dataclass(frozen=True)
class Timing:
    """Where in the session exercise cramps began (fraction of the session elapsed)."""

    n: int
    median_fraction: float | None
    final_quarter_share: float | None


@dataclass(frozen=True)
class PlanComparison:
    """Cramp rates in sessions with and without a followed crampwise plan."""

    followed: Counts
    not_followed: Counts


@dataclass(frozen=True)
class TriggerAnalysis:
    n_sessions: int
    n_session_cramps: int  # sessions with at least one exercise cramp
    n_days: int
    n_rest_cramp_days: int
    factors: tuple[FactorResult, ...]
    timing: Timing
    plan: PlanComparison | None
    unknown_share: Mapping[str, float] = field(default_factory=dict)  # per session factor


def _result(
    factor: str,
    level: Level,
    estimate: FactorPosterior | None,
    counts: tuple[Counts, Counts, int],
    verdict: Verdict,
    sources: tuple[str, ...],
) -> FactorResult:
    """A factor's reported result: no number without the data to back it."""
    exposed, unexposed, unknown = counts
    shown = None if verdict == "not_enough_data" else estimate
    return FactorResult(
        factor=factor,
        level=level,
        odds_ratio=None if shown is None else shown.odds_ratio,
        ci95=None if shown is None else (ci_bound(shown.ci_low, up=False), ci_bound(shown.ci_high, up=True)),
        p=None,
        q=None,
        exposed=exposed,
        unexposed=unexposed,
        verdict=verdict,
        sources=sources,
        n_unknown=unknown,
        prob_above_1=None if shown is None else shown.prob_above_1,
        family=prior_of(factor, level).family,
    )


def _sources(factor: str, level: Level, extra: ExtraExposures) -> tuple[str, ...]:
    """A built-in factor's sources, or an own or wellness factor's (science/own_factors.py)."""
    if factor in FACTOR_SOURCES:
        return tuple(FACTOR_SOURCES[factor])
    return extra.factor(factor, level).sources


def _labelled(result: FactorResult, extra: ExtraExposures) -> FactorResult:
    """An extra factor's result marked as the athlete's own, or as exploratory."""
    if result.factor in FACTOR_SOURCES:
        return result
    found = extra.factor(result.factor, result.level)
    return replace(result, own=found.own, exploratory=found.exploratory)


def _timing(history: History) -> Timing:
    fractions = []
    for cramp in history.cramps:
        if cramp.context != CrampContext.EXERCISE:
            continue
        session = linked_session(cramp, history)
        if session is None:
            continue
        fraction = (cramp.at - session.start).total_seconds() / session.duration_s
        if 0.0 <= fraction <= 1.0:
            fractions.append(fraction)
    if not fractions:
        return Timing(0, None, None)
    late = sum(1 for f in fractions if f >= 0.75) / len(fractions)
    return Timing(len(fractions), statistics.median(fractions), late)


def analyse(
    history: History, *, today: date, thresholds: ExposureThresholds = DEFAULT_THRESHOLDS
) -> TriggerAnalysis:
    """The whole analysis of one athlete's record up to `today` (the athlete's local date).

    The athlete's own factors and the wellness factors enter both models as extra columns.
    """
    extra = extra_exposures(history)
    rows = with_extra_sessions(session_exposures(history, thresholds), extra)
    session_names = (*SESSION_FACTORS, *extra.names("session"))
    cramped = cramped_sessions(history)
    outcome = [r.session.id in cramped for r in rows]
    model = SessionModel.from_rows(rows, outcome, thresholds, session_names)
    session_results = [
        _labelled(
            _result(
                factor,
                "session",
                model.estimate(factor),
                model.counts[factor],
                model.verdict(factor),
                (*_sources(factor, "session", extra), *STAT_SOURCES),
            ),
            extra,
        )
        for factor in session_names
    ]
    unknown_share = {f: model.counts[f][2] / len(rows) if rows else 0.0 for f in session_names}
    zone = history.athlete.zone
    rest_days = {cramp_day(c, zone) for c in history.cramps if c.context in REST_CONTEXTS}
    starts = [r.day for r in rows] + sorted(rest_days) + [d.date for d in history.days]
    first = min(starts) if starts else today
    last = max(today, *starts) if starts else today
    days = with_extra_days(day_exposures(history, rows, first, last, thresholds), extra) if starts else []
    rest_days = {d for d in rest_days if first <= d <= last}
    day_names = (*DAY_FACTORS, *extra.names("day"))
    day_model = fit_day_model(days, rest_days, rows, thresholds, day_names)
    day_results = [
        _labelled(
            _result(
                factor,
                "day",
                day_model.estimate(factor),
                day_model.counts[factor],
                day_model.verdict(factor),
                (*_sources(factor, "day", extra), *DAY_STAT_SOURCES),
            ),
            extra,
        )
        for factor in day_names
    ]
    plan_rows = [(r.session.plan_followed, y) for r, y in zip(rows, outcome, strict=True)]
    followed = [y for f, y in plan_rows if f is True]
    not_followed = [y for f, y in plan_rows if f is False]
    plan = (
        PlanComparison(Counts(len(followed), sum(followed)), Counts(len(not_followed), sum(not_followed)))
        if followed or not_followed
        else None
    )
    return TriggerAnalysis(
        n_sessions=len(rows),
        n_session_cramps=sum(outcome),
        n_days=len(days),
        n_rest_cramp_days=len(rest_days),
        factors=(*session_results, *day_results),
        timing=_timing(history),
        plan=plan,
        unknown_share=unknown_share,
    )

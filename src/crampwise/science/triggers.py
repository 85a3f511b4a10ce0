"""Which factors go with *this* athlete's cramps: the personal trigger analysis.

Exercise cramps (context `exercise` / `after_exercise`) are analysed per session: one
Firth-penalised logistic model (`heinze2002`) of "this session had a cramp" on every factor
that has enough data, so that a factor correlated with a real trigger (long sessions also
dehydrate) is judged with the trigger held fixed. Unknown exposures do not drop sessions: an
unknown value enters as 0 plus an "unknown" indicator for that factor, so each odds ratio
compares exposed with known-unexposed sessions while every session still informs the others.
Dehydration, unknown on every unweighed session (about half of them), is the exception: the
unweighed sessions' mass loss is multiply imputed from the athlete's own weighed sessions
(hours, heat, RPE, fluid drunk, the outcome and the other factors) and the odds ratios of the
completed data sets are pooled by Rubin's rules (`science/session_model.py`).

Rest and sleep cramps are analysed per day with a time-stratified case-crossover
(`maclure1991`, `janes2005`): each cramp day is compared with the other days of the same fixed
28-day block (whatever their weekday), by conditional logistic regression with a weakly informative
prior (`gelman2008`).

p-values are penalised likelihood-ratio tests (for imputed dehydration, Rubin's t test);
q-values are Benjamini-Hochberg within each level (`benjamini1995`; the factors are positively
correlated, where BH still controls the false discovery rate, `benjamini2001`; validated on
simulated athletes in docs/science-triggers.md). Everything here is exploratory: an
association in one person's record, never proof of cause.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final, Literal

import numpy as np

from crampwise.domain.enums import CrampContext
from crampwise.domain.history import History
from crampwise.science.exposures import (
    DAY_FACTORS,
    DEFAULT_THRESHOLDS,
    FACTOR_SOURCES,
    REST_CONTEXTS,
    SESSION_FACTORS,
    DayExposures,
    ExposureThresholds,
    SessionExposures,
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
from crampwise.science.session_model import design_matrix, imputed_dehydration
from crampwise.science.stats import (
    Estimate,
    MatchedSet,
    bh_qvalues,
    conditional_estimate,
    firth_estimate,
    firth_fit,
)

Verdict = Literal["likely_trigger", "possible_trigger", "no_clear_link", "protective", "not_enough_data"]
MIN_CRAMPS: Final = 5  # CONTRACTS.md: fewer cramps with known exposure -> not_enough_data
ALPHA_Q: Final = 0.05
POSSIBLE_P: Final = 0.10  # a suggestive, unadjusted signal (see docs/science-triggers.md)
BLOCK_DAYS: Final = 28
STAT_SOURCES: Final = ("heinze2002", "benjamini1995", "benjamini2001")
DAY_STAT_SOURCES: Final = ("maclure1991", "janes2005", "gelman2008", "benjamini1995")


@dataclass(frozen=True)
class Counts:
    n: int
    with_cramp: int


@dataclass(frozen=True)
class FactorResult:
    factor: str
    level: Literal["session", "day"]
    odds_ratio: float | None
    ci95: tuple[float, float] | None
    p: float | None
    q: float | None
    exposed: Counts
    unexposed: Counts
    verdict: Verdict
    sources: tuple[str, ...]
    n_unknown: int = 0
    own: bool = False  # one of the athlete's own factors (CONTRACTS.md section 5: "own": true)
    exploratory: bool = False  # a wearable's reading against the athlete's baseline (issue 16)


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


CI_DIGITS: Final = 3  # significant digits of a reported interval bound (as the JSON shows it)


def ci_bound(log_value: float, *, up: bool) -> float:
    """An interval bound on the odds-ratio scale, rounded outward to `CI_DIGITS` significant
    digits (the lower bound down, the upper up).

    The verdict is judged on this reported bound, so a "lower bound > 1" is never shown as
    1.00, and a bound within the profile search's tolerance (1e-3 on the log scale) of 1 does
    not decide a verdict. Rounding outward only widens the interval.
    """
    value = math.exp(log_value)
    scale = 10.0 ** (CI_DIGITS - 1 - math.floor(math.log10(value)))
    rounded = (math.ceil if up else math.floor)(value * scale - (1e-9 if up else -1e-9)) / scale
    return float(f"{rounded:.{CI_DIGITS}g}")


def verdict_for(estimate: Estimate | None, q: float | None, known_cramps: int) -> Verdict:
    """The contract's verdict rules (CONTRACTS.md section 5), plus `possible_trigger`.

    `possible_trigger`: odds ratio above 1 with an unadjusted p < 0.10 that does not pass the
    multiplicity-adjusted bar; worth watching, not a finding.
    """
    if estimate is None or q is None or known_cramps < MIN_CRAMPS:
        return "not_enough_data"
    if q < ALPHA_Q and ci_bound(estimate.ci_low, up=False) > 1.0:
        return "likely_trigger"
    if q < ALPHA_Q and ci_bound(estimate.ci_high, up=True) < 1.0:
        return "protective"
    if estimate.log_or > 0 and estimate.p < POSSIBLE_P:
        return "possible_trigger"
    return "no_clear_link"


def _unjudged(
    factor: str,
    level: Literal["session", "day"],
    estimate: Estimate | None,
    counts: tuple[Counts, Counts, int],
    sources: tuple[str, ...],
) -> FactorResult:
    """A factor's estimate before multiplicity control: q and the verdict are set afterwards."""
    exposed, unexposed, unknown = counts
    return FactorResult(
        factor=factor,
        level=level,
        odds_ratio=None if estimate is None else estimate.odds_ratio,
        ci95=None
        if estimate is None
        else (ci_bound(estimate.ci_low, up=False), ci_bound(estimate.ci_high, up=True)),
        p=None if estimate is None else estimate.p,
        q=None,
        exposed=exposed,
        unexposed=unexposed,
        verdict="not_enough_data",
        sources=sources,
        n_unknown=unknown,
    )


def _counts(values: Sequence[bool | None], outcome: Sequence[bool]) -> tuple[Counts, Counts, int]:
    exposed = [y for v, y in zip(values, outcome, strict=True) if v is True]
    unexposed = [y for v, y in zip(values, outcome, strict=True) if v is False]
    unknown = sum(1 for v in values if v is None)
    return Counts(len(exposed), sum(exposed)), Counts(len(unexposed), sum(unexposed)), unknown


def _session_estimates(
    rows: Sequence[SessionExposures],
    outcome: Sequence[bool],
    thresholds: ExposureThresholds = DEFAULT_THRESHOLDS,
    factors: Sequence[str] = SESSION_FACTORS,
) -> dict[str, Estimate]:
    """One joint Firth model over the estimable factors; a profile estimate for each.

    Dehydration, unknown on every session without a weighing, is then re-estimated by
    multiple imputation of the unweighed sessions' mass loss (`science/session_model.py`) when
    there are enough weighed sessions to model it.
    """
    y = np.array(outcome, dtype=float)
    names = [factor for factor in factors if _estimable(_counts([r.values[factor] for r in rows], outcome))]
    if not names:
        return {}
    x, kept_labels = design_matrix(rows, names)
    full = firth_fit(x, y)
    out = {}
    for factor in names:
        if factor in kept_labels:
            out[factor] = firth_estimate(x, y, kept_labels.index(factor), full)
    if "dehydration" in out:
        imputed = imputed_dehydration(rows, y, names, thresholds)
        if imputed is not None:
            out["dehydration"] = imputed
    return out


def _estimable(counts: tuple[Counts, Counts, int]) -> bool:
    exposed, unexposed, _ = counts
    return exposed.n > 0 and unexposed.n > 0 and exposed.with_cramp + unexposed.with_cramp >= MIN_CRAMPS


def _block_key(day: date) -> int:
    """The time stratum of a day: a fixed 28-day block chosen a priori (`janes2005`).

    Not also the weekday, as air-pollution studies do: training follows the week (the long
    run is on Sunday), so same-weekday referents would share the exposure and hide it.
    """
    return day.toordinal() // BLOCK_DAYS


def _day_results(
    days: Sequence[DayExposures], case_days: set[date], extra: ExtraExposures | None = None
) -> list[FactorResult]:
    strata: dict[int, list[DayExposures]] = {}
    for item in days:
        strata.setdefault(_block_key(item.day), []).append(item)
    results = []
    for factor in (*DAY_FACTORS, *(extra.names("day") if extra else ())):
        values = [d.values[factor] for d in days]
        outcome = [d.day in case_days for d in days]
        exposed, unexposed, unknown = _counts(values, outcome)
        sets = []
        for item in days:
            if item.day not in case_days or item.values[factor] is None:
                continue
            referents = [
                r.values[factor]
                for r in strata[_block_key(item.day)]
                if r.day not in case_days and r.values[factor] is not None
            ]
            if referents:
                case = bool(item.values[factor])
                sets.append(MatchedSet(case, int(case) + sum(1 for v in referents if v), len(referents) + 1))
        informative = [s for s in sets if 0 < s.exposed < s.size]
        estimate = conditional_estimate(informative) if len(sets) >= MIN_CRAMPS and informative else None
        results.append(
            _labelled(
                _unjudged(
                    factor,
                    "day",
                    estimate,
                    (exposed, unexposed, unknown),
                    (*_sources(factor, "day", extra), *DAY_STAT_SOURCES),
                ),
                extra,
            )
        )
    return results


def _sources(factor: str, level: Literal["session", "day"], extra: ExtraExposures | None) -> tuple[str, ...]:
    if factor in FACTOR_SOURCES or extra is None:
        return tuple(FACTOR_SOURCES[factor])
    return extra.factor(factor, level).sources


def _labelled(result: FactorResult, extra: ExtraExposures | None) -> FactorResult:
    """An extra factor's result marked as the athlete's own, or as exploratory."""
    if extra is None or result.factor in FACTOR_SOURCES:
        return result
    found = extra.factor(result.factor, result.level)
    return replace(result, own=found.own, exploratory=found.exploratory)


def _with_verdicts(
    results: list[FactorResult], estimates: Mapping[str, Estimate | None]
) -> list[FactorResult]:
    """Benjamini-Hochberg across the estimated factors of one level, then the verdicts."""
    tested = [r for r in results if estimates.get(r.factor) is not None]
    qvalues = bh_qvalues([r.p for r in tested if r.p is not None])
    q_of = {r.factor: q for r, q in zip(tested, qvalues, strict=True)}
    out = []
    for r in results:
        q = q_of.get(r.factor)
        verdict = verdict_for(estimates.get(r.factor), q, r.exposed.with_cramp + r.unexposed.with_cramp)
        if verdict == "not_enough_data":  # no number without the data to back it
            out.append(replace(r, odds_ratio=None, ci95=None, p=None, q=None, verdict=verdict))
        else:
            out.append(replace(r, q=q, verdict=verdict))
    return out


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

    The athlete's own factors and the wellness factors (`science/own_factors.py`) are extra
    columns, analysed with the built-in ones in the same models and the same BH family.
    """
    extra = extra_exposures(history)
    rows = with_extra_sessions(session_exposures(history, thresholds), extra)
    session_names = (*SESSION_FACTORS, *extra.names("session"))
    cramped = {s.id for c in history.cramps if (s := linked_session(c, history)) is not None}
    outcome = [r.session.id in cramped and r.session.id is not None for r in rows]
    estimates: dict[str, Estimate | None] = (
        dict(_session_estimates(rows, outcome, thresholds, session_names)) if rows else {}
    )
    session_results = []
    unknown_share: dict[str, float] = {}
    for factor in session_names:
        exposed, unexposed, unknown = _counts([r.values[factor] for r in rows], outcome)
        unknown_share[factor] = unknown / len(rows) if rows else 0.0
        estimate = estimates.get(factor)
        session_results.append(
            _labelled(
                _unjudged(
                    factor,
                    "session",
                    estimate,
                    (exposed, unexposed, unknown),
                    (*_sources(factor, "session", extra), *STAT_SOURCES),
                ),
                extra,
            )
        )
    zone = history.athlete.zone
    rest_days = {cramp_day(c, zone) for c in history.cramps if c.context in REST_CONTEXTS}
    starts = [r.day for r in rows] + sorted(rest_days) + [d.date for d in history.days]
    first = min(starts) if starts else today
    last = max(today, *starts) if starts else today
    days = with_extra_days(day_exposures(history, rows, first, last, thresholds), extra) if starts else []
    rest_days = {d for d in rest_days if first <= d <= last}
    day_results = _day_results(days, rest_days, extra)
    day_estimates: dict[str, Estimate | None] = {
        r.factor: None
        if r.p is None or r.ci95 is None or r.odds_ratio is None
        else Estimate(math.log(r.odds_ratio), math.log(r.ci95[0]), math.log(r.ci95[1]), r.p)
        for r in day_results
    }
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
        factors=(
            *_with_verdicts(session_results, estimates),
            *_with_verdicts(day_results, day_estimates),
        ),
        timing=_timing(history),
        plan=plan,
        unknown_share=unknown_share,
    )

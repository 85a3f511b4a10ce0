"""`crampwise insights`: which factors go with this athlete's cramps, in plain language.

`compute_insights` loads the athlete's history, runs the pure analysis
(science/triggers.py) and returns a typed `Insights` whose `to_json()` is the document of
CONTRACTS.md section 5. The summary sentences are written here, most important first, and
never claim more than the analysis supports: "goes with", not "causes"; exploratory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from crampwise.domain.history import History
from crampwise.science.exposures import CONTESTED_FACTORS
from crampwise.science.trigger_model import LIKELY_FROM
from crampwise.science.triggers import FactorResult, TriggerAnalysis, analyse
from crampwise.services.analysis_cache import memoised
from crampwise.services.context import AppContext
from crampwise.services.journal import load_journal_history

LABELS: Final = {
    "long_session": "longer sessions than usual (over 1.3 x your median)",
    "hard_session": "hard sessions (RPE 7 or more)",
    "heat": "heat (25 °C or more)",
    "dehydration": "losing 2 % of body mass or more",
    "low_sodium": "under 300 mg sodium per hour in sessions of an hour or more",
    "no_warmup": "no warm-up",
    "high_load": "a training-load spike (acute:chronic ratio 1.5 or more)",
    "short_sleep": "under 6 hours of sleep",
    "trained_long": "days with a longer session than usual",
    "trained_hard": "days with a hard session",
    "low_hrv": "a low-HRV night against your own baseline (exploratory)",
    "raised_resting_hr": "a raised resting heart rate against your own baseline (exploratory)",
}
SHARPEN: Final = {
    "hard_session": "Log an RPE (0-10) after every session, or wear a heart-rate monitor.",
    "heat": "Log the temperature of sessions (imported files often carry it).",
    "dehydration": "Weigh yourself before and after sessions (sweat tests), especially long or hot ones.",
    "low_sodium": "Log the sodium you take in sessions of an hour or more (0 if none).",
    "no_warmup": "Log your warm-up minutes (0 when you skip it).",
    "high_load": "Log an RPE for every session so the training load can be computed.",
    "short_sleep": "Log your sleep each day.",
}
CONTESTED_CAVEAT: Final = (
    "Research is split on dehydration and sodium: most studies of athletes find that cramps go with "
    "fatigue (going longer or harder than usual) rather than with fluid or salt losses "
    "(schwellnus2011, martinez_navarro2022, hoffman2015_ultra, maughan2019), while medical-tent "
    "records link them to dehydration (johnson2024_kona). A link in your data is worth testing, not proof."
)
EXPLORATORY: Final = (
    "These are associations in your own record, found by testing several factors at once: exploratory, "
    "not proof of cause. Talk to a doctor or physiotherapist about cramps that worry you."
)
METHOD_SOURCES: Final = (
    "gelman2008",
    "little_rubin2019",
    "louis1982",
    "gonzalez2009",
    "maclure1991",
    "janes2005",
    "crampwise_convention",
)


def _num(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else float(f"{value:.{digits}g}")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


LATE_MEDIAN = 0.5  # an even spread over the session has its median half-way ...
LATE_FINAL_QUARTER = 0.25  # ... and a quarter of the cramps in the last quarter


def _late(median_fraction: float, final_quarter_share: float) -> bool:
    """Cramps come late: later than an even spread on both counts (crampwise_convention).

    Only then does the summary point at the fatigue explanation (miller2022_jat).
    """
    return median_fraction > LATE_MEDIAN and final_quarter_share > LATE_FINAL_QUARTER


def _share(fraction: float) -> str:
    return f"{100 * fraction:.0f} %"


def posterior_json(f: FactorResult) -> dict[str, Any] | None:
    """The Bayesian model's own numbers (CONTRACTS.md section 5 allows "posterior" fields):
    the posterior probability that the odds ratio exceeds 1 and the bar a likely trigger must
    pass for this factor's family (docs/science-triggers.md)."""
    if f.prob_above_1 is None:
        return None
    return {
        "prob_or_above_1": round(f.prob_above_1, 4),
        "likely_from": LIKELY_FROM[(f.level, f.family)],
        "family": f.family,
    }


def factor_json(f: FactorResult) -> dict[str, Any]:
    return {
        "factor": f.factor,
        "level": f.level,
        "odds_ratio": _num(f.odds_ratio),
        "ci95": None if f.ci95 is None else [_num(f.ci95[0]), _num(f.ci95[1])],
        "p": _num(f.p),
        "q": _num(f.q),
        "exposed": {"n": f.exposed.n, "with_cramp": f.exposed.with_cramp},
        "unexposed": {"n": f.unexposed.n, "with_cramp": f.unexposed.with_cramp},
        "unknown": f.n_unknown,
        "verdict": f.verdict,
        "sources": list(dict.fromkeys(f.sources)),
        "posterior": posterior_json(f),
        **({"own": True} if f.own else {}),
        **({"exploratory": True} if f.exploratory else {}),
    }


def label_of(f: FactorResult) -> str:
    """How a summary sentence names a factor; the athlete's own ones are marked as theirs."""
    if f.own:
        return f"your own factor {f.factor.replace('_', ' ')!r}"
    return LABELS.get(f.factor, f.factor)


def _interval(f: FactorResult) -> str:
    assert f.odds_ratio is not None and f.ci95 is not None
    return f"odds ratio {f.odds_ratio:.1f}, 95 % interval {f.ci95[0]:.1f} to {f.ci95[1]:.1f}"


def _sentence(f: FactorResult) -> str:
    what = "sessions" if f.level == "session" else "days"
    label = label_of(f)
    counts = (
        f"{f.exposed.with_cramp} of {f.exposed.n} such {what} had a cramp "
        f"({_pct(f.exposed.with_cramp, f.exposed.n)}) against {f.unexposed.with_cramp} of {f.unexposed.n} "
        f"other {what} ({_pct(f.unexposed.with_cramp, f.unexposed.n)})"
    )
    kind = "cramps in sessions" if f.level == "session" else "cramps at rest or in sleep"
    if f.verdict == "likely_trigger":
        return (
            f"Likely trigger (goes with your {kind}; not proof of cause): {label}. {counts}; {_interval(f)}."
        )
    if f.verdict == "possible_trigger":
        return (
            f"Possible trigger (may go with your {kind}): {label} ({_interval(f)}). Suggestive, but not strong enough "
            "to call it likely; keep logging."
        )
    return f"Fewer {kind} with {label}: {counts}; {_interval(f)}."


def build_summary(analysis: TriggerAnalysis) -> list[str]:
    """Plain-language sentences, most important first."""
    if analysis.n_sessions == 0 and analysis.n_rest_cramp_days == 0:
        return [
            "Nothing to analyse yet: log your sessions and every cramp (crampwise log ...) "
            "or import your training files, and crampwise will look for what goes with your cramps.",
            EXPLORATORY,
        ]
    out: list[str] = []
    ranked = sorted(analysis.factors, key=lambda f: -(f.prob_above_1 or 0.0))
    flagged = [f for f in ranked if f.verdict == "likely_trigger"]
    flagged += [f for f in reversed(ranked) if f.verdict == "protective"]
    flagged += [f for f in ranked if f.verdict == "possible_trigger"]
    out.extend(_sentence(f) for f in flagged)
    if any(f.factor in CONTESTED_FACTORS for f in flagged if f.verdict != "protective"):
        out.append(CONTESTED_CAVEAT)
    estimable = [f for f in analysis.factors if f.verdict != "not_enough_data"]
    if estimable and not flagged:
        out.append("No factor stands out in your record yet; none goes clearly with your cramps.")
    if analysis.n_session_cramps < 20:
        out.append(
            f"With {analysis.n_session_cramps} sessions with a cramp, only very large effects can show: "
            "about 40 to 60 are needed before a factor that triples the odds is found more often than not."
        )
    timing = analysis.timing
    if timing.n >= 3 and timing.median_fraction is not None and timing.final_quarter_share is not None:
        where = (
            f"Your cramps during exercise began at a median of {_share(timing.median_fraction)} of the way "
            f"through the session ({_share(timing.final_quarter_share)} in its last quarter)"
        )
        if _late(timing.median_fraction, timing.final_quarter_share):
            out.append(f"{where}; cramps late in exercise fit the fatigue explanation (miller2022_jat).")
        else:
            out.append(
                f"{where}: they do not come mostly late in the session, so fatigue towards its end does not "
                "explain them clearly."
            )
    plan = analysis.plan
    if plan is not None:
        out.append(
            f"Sessions where you followed the crampwise plan: {plan.followed.with_cramp} of {plan.followed.n} "
            f"with a cramp ({_pct(plan.followed.with_cramp, plan.followed.n)}); without it: "
            f"{plan.not_followed.with_cramp} of {plan.not_followed.n} "
            f"({_pct(plan.not_followed.with_cramp, plan.not_followed.n)}). Not a trial: compare with care."
        )
    out.append(EXPLORATORY)
    return out


def sharpen_hints(analysis: TriggerAnalysis, threshold: float = 0.3) -> list[str]:
    """What data would sharpen the analysis: factors unknown on many sessions, and more cramps."""
    hints = [SHARPEN[f] for f, share in analysis.unknown_share.items() if share > threshold and f in SHARPEN]
    hints = list(dict.fromkeys(hints))
    if analysis.n_session_cramps < 20:
        hints.append("Log every cramp, with the session it happened in: each one sharpens the picture.")
    return hints


@dataclass(frozen=True)
class Insights:
    athlete: str
    analysis: TriggerAnalysis
    summary: tuple[str, ...]
    sharpen: tuple[str, ...]

    @property
    def factors(self) -> Sequence[FactorResult]:
        return self.analysis.factors

    def to_json(self) -> dict[str, Any]:
        """`crampwise insights --json` (CONTRACTS.md section 5) with a few added fields."""
        a = self.analysis
        t = a.timing
        return {
            "athlete": self.athlete,
            "n_sessions": a.n_sessions,
            "n_session_cramps": a.n_session_cramps,
            "n_days": a.n_days,
            "n_rest_cramp_days": a.n_rest_cramp_days,
            "factors": [factor_json(f) for f in a.factors],
            "summary": list(self.summary),
            "timing": {
                "n": t.n,
                "median_fraction": _num(t.median_fraction, 2),
                "final_quarter_share": _num(t.final_quarter_share, 2),
            },
            "plan_followed": None
            if a.plan is None
            else {
                "followed": {"n": a.plan.followed.n, "with_cramp": a.plan.followed.with_cramp},
                "not_followed": {"n": a.plan.not_followed.n, "with_cramp": a.plan.not_followed.with_cramp},
            },
            "sharpen": list(self.sharpen),
            "method_sources": list(METHOD_SOURCES),
        }


def insights_from_history(analysis: TriggerAnalysis, athlete: str) -> Insights:
    return Insights(
        athlete=athlete,
        analysis=analysis,
        summary=tuple(build_summary(analysis)),
        sharpen=tuple(sharpen_hints(analysis)),
    )


def trigger_analysis(history: History, now: datetime) -> TriggerAnalysis:
    """`analyse` of this record up to `now`'s local date, computed once per change of the data
    (services.analysis_cache)."""
    today = now.astimezone(history.athlete.zone).date()
    return memoised("triggers", history, today, lambda: analyse(history, today=today))


def insights_of(history: History, now: datetime) -> Insights:
    """The insights of a loaded record (the caller chooses it: the journal's span, `judged`)."""
    return insights_from_history(trigger_analysis(history, now), history.athlete.name)


def compute_insights(ctx: AppContext, *, athlete: str | None, now: datetime) -> Insights:
    """The personal trigger analysis of one athlete's record up to `now`."""
    return insights_of(load_journal_history(ctx, athlete=athlete), now)

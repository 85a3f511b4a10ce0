"""Exposures beyond the built-in vocabulary: the athlete's own factors and the wellness factors.

ONE function, `extra_exposures(history)`, turns the records into extra yes/no exposure columns
that the trigger analysis consumes exactly like the built-in factors of `exposures.py` (same
models, same guards, same multiplicity control), each described by an `ExtraFactor` saying
where it comes from (`own`: the athlete's; `exploratory`: a wearable's reading judged against
the athlete's own baseline) and its sources.

- **Own factors** (CONTRACTS.md section 3 addition): a session factor is a session exposure
  from `sessions[].tags`; a day factor is a day exposure from `days[].tags` and also a session
  exposure (the tag of the session's day, as `short_sleep` is). A factor absent from a
  record's tags is unknown. A yes/no tag is the exposure. A **number factor is dichotomised**:
  exposed when its value is above the median of the athlete's known values of it (so with
  mostly zeros, any non-zero value; with caffeine every day, more than usual). The analysis is
  a logistic model of yes/no columns with "unknown" indicators; a dichotomy keeps its counts
  (exposed/unexposed sessions with a cramp) and its guards meaningful, at the cost of dose
  (crampwise_convention).
- **Wellness factors** (issue 16, exploratory): `low_hrv`, a night whose heart rate
  variability is more than one standard deviation below the athlete's own baseline (the mean
  of the log values of the previous 28 days, at least 14 of them: `plews2013`, `buchheit2014`),
  and `raised_resting_hr`, a morning resting heart rate above the baseline mean by more than
  one standard deviation and at least 3 bpm. Both are day exposures and session exposures of
  the session's day. The cut-offs are crampwise conventions; no study links either to cramps.
  They are listed only for an athlete with HRV or resting heart rate on record (the contract's
  "a factor absent from the data still appears" is for the v1 vocabulary).

Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Final, Literal

from crampwise.domain.enums import FactorKind, FactorLevel
from crampwise.domain.factors import Factor
from crampwise.domain.history import History
from crampwise.domain.records import Day
from crampwise.science.exposures import DayExposures, Exposure, SessionExposures

BASELINE_DAYS: Final = 28  # crampwise_convention: the rolling baseline's window
BASELINE_MIN: Final = 14  # crampwise_convention: nights with a value needed for a baseline
LOW_HRV_SD: Final = 1.0  # crampwise_convention: below the log-baseline mean by this many SDs
RAISED_RHR_SD: Final = 1.0  # crampwise_convention
RAISED_RHR_MIN_BPM: Final = 3.0  # crampwise_convention: a rise smaller than this is noise
OWN_SOURCES: Final = ("crampwise_convention",)
WELLNESS_SOURCES: Final = ("plews2013", "buchheit2014", "crampwise_convention")
WELLNESS_FACTORS: Final = ("low_hrv", "raised_resting_hr")

Level = Literal["session", "day"]


@dataclass(frozen=True)
class ExtraFactor:
    """One extra exposure column: its name, level, where it comes from, and its sources."""

    name: str
    level: Level
    own: bool = False
    exploratory: bool = False
    sources: tuple[str, ...] = OWN_SOURCES
    threshold: float | None = None  # a number factor's median: exposed above it


@dataclass(frozen=True)
class ExtraExposures:
    """Extra factors and their values: per session id, and per day."""

    factors: tuple[ExtraFactor, ...]
    by_session: Mapping[str, Mapping[str, Exposure]]
    by_day: Mapping[date, Mapping[str, Exposure]]

    def names(self, level: Level) -> tuple[str, ...]:
        return tuple(f.name for f in self.factors if f.level == level)

    def factor(self, name: str, level: Level) -> ExtraFactor:
        return next(f for f in self.factors if f.name == name and f.level == level)


def _median_threshold(factor: Factor, records: Sequence[Mapping[str, bool | float]]) -> float | None:
    values = [float(t[factor.name]) for t in records if factor.name in t]
    return statistics.median(values) if values else None


def _exposure(factor: Factor, tags: Mapping[str, bool | float], threshold: float | None) -> Exposure:
    if factor.name not in tags:
        return None
    value = tags[factor.name]
    if factor.kind == FactorKind.YES_NO:
        return bool(value)
    return threshold is not None and float(value) > threshold


def _baseline_flags(days: Sequence[Day]) -> dict[date, dict[str, Exposure]]:
    """`low_hrv` and `raised_resting_hr` of every day with a value and a baseline (else unknown)."""
    hrv = [(d.date, math.log(d.hrv_ms)) for d in days if d.hrv_ms is not None and d.hrv_ms > 0]
    rhr = [(d.date, float(d.resting_hr)) for d in days if d.resting_hr is not None]
    out: dict[date, dict[str, Exposure]] = {d.date: {name: None for name in WELLNESS_FACTORS} for d in days}

    def judge(series: list[tuple[date, float]], name: str, low: bool) -> None:
        lo = 0
        for index, (day, value) in enumerate(series):
            while lo < index and series[lo][0] < day - timedelta(days=BASELINE_DAYS):
                lo += 1
            prior = [v for _, v in series[lo:index]]
            if len(prior) < BASELINE_MIN:
                continue
            mean, sd = statistics.fmean(prior), statistics.stdev(prior)
            if low:
                out[day][name] = value < mean - LOW_HRV_SD * sd
            else:
                out[day][name] = value > mean + max(RAISED_RHR_SD * sd, RAISED_RHR_MIN_BPM)

    judge(hrv, "low_hrv", low=True)
    judge(rhr, "raised_resting_hr", low=False)
    return out


def extra_exposures(history: History) -> ExtraExposures:
    """The own and wellness exposures of every session (by id) and every logged day."""
    zone = history.athlete.zone
    own = history.athlete.factors
    session_tags = [s.tags for s in history.sessions]
    day_tags = [d.tags for d in history.days]
    thresholds = {
        f.name: _median_threshold(f, session_tags if f.level == FactorLevel.SESSION else day_tags)
        for f in own
        if f.kind == FactorKind.NUMBER
    }
    factors: list[ExtraFactor] = []
    for f in own:
        threshold = thresholds.get(f.name)
        factors.append(ExtraFactor(f.name, "session", own=True, threshold=threshold))
        if f.level == FactorLevel.DAY:
            factors.append(ExtraFactor(f.name, "day", own=True, threshold=threshold))
    wellness = _baseline_flags(history.days)
    levels: tuple[Level, ...] = ("session", "day")
    measured = any(d.hrv_ms is not None or d.resting_hr is not None for d in history.days)
    for name in WELLNESS_FACTORS if measured else ():
        for level in levels:
            factors.append(ExtraFactor(name, level, exploratory=True, sources=WELLNESS_SOURCES))
    by_day: dict[date, dict[str, Exposure]] = {}
    for day in history.days:
        values = {
            f.name: _exposure(f, day.tags, thresholds.get(f.name)) for f in own if f.level == FactorLevel.DAY
        }
        by_day[day.date] = {**values, **wellness.get(day.date, {})}
    by_session: dict[str, dict[str, Exposure]] = {}
    for session in history.sessions:
        if session.id is None:
            continue
        day_values = by_day.get(session.start.astimezone(zone).date(), {})
        values = {
            f.name: _exposure(f, session.tags, thresholds.get(f.name))
            for f in own
            if f.level == FactorLevel.SESSION
        }
        for extra in factors:
            if extra.level == "day":
                values[extra.name] = day_values.get(extra.name)
        by_session[session.id] = values
    return ExtraExposures(tuple(factors), by_session, by_day)


def with_extra_sessions(rows: Sequence[SessionExposures], extra: ExtraExposures) -> list[SessionExposures]:
    """Session rows with the extra columns added (unknown for a session without an id)."""
    names = extra.names("session")
    out = []
    for row in rows:
        values = extra.by_session.get(row.session.id or "", {})
        out.append(replace(row, values={**row.values, **{n: values.get(n) for n in names}}))
    return out


def with_extra_planned(item: SessionExposures, extra: ExtraExposures) -> SessionExposures:
    """A planned session's row with the extra columns: a day factor (a day tag, last night's HRV
    against its baseline) from its day where that day is logged; an own session factor is
    unknown (a plan carries no tags), so the model averages it over how often the athlete has it."""
    day_values = extra.by_day.get(item.day, {})
    values = {f.name: day_values.get(f.name) for f in extra.factors if f.level == "day"}
    names = extra.names("session")
    return replace(item, values={**item.values, **{n: values.get(n) for n in names}})


def with_extra_days(days: Sequence[DayExposures], extra: ExtraExposures) -> list[DayExposures]:
    """Day rows with the extra columns added; a day without a `days` entry is unknown for them."""
    names = extra.names("day")
    return [
        replace(item, values={**item.values, **{n: extra.by_day.get(item.day, {}).get(n) for n in names}})
        for item in days
    ]

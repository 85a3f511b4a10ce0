"""Yes/no exposures of sessions and days: the trigger vocabulary of CONTRACTS.md section 4.

Each factor is True (exposed), False (not exposed) or None (unknown: an input is missing).
Unknown is never "no": a session without a temperature is not a cool session.

Default thresholds are those of the contract. Some are conventions without a primary source
(the 300 mg/h sodium floor and the 1.5 load ratio, `crampwise_convention`); the others take
their direction from the literature cited in `FACTOR_SOURCES`.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from crampwise.domain.enums import CrampContext
from crampwise.domain.history import History
from crampwise.domain.records import Cramp, Session
from crampwise.science.load import LoadCalendar, local_date

SESSION_FACTORS: Final = (
    "long_session",
    "hard_session",
    "heat",
    "dehydration",
    "low_sodium",
    "no_warmup",
    "high_load",
    "short_sleep",
)
DAY_FACTORS: Final = ("trained_long", "trained_hard", "high_load", "short_sleep", "dehydration")

# Why each factor is a candidate, and how strong the evidence is (EVIDENCE.md section 1.4).
FACTOR_SOURCES: Final[Mapping[str, tuple[str, ...]]] = {
    "long_session": ("schwellnus2011", "schwellnus2011_ultra", "crampwise_convention"),
    "hard_session": ("schwellnus2011", "martinez_navarro2022", "foster2001"),
    "heat": ("maughan2019", "crampwise_convention"),
    "dehydration": (
        "maughan2019",
        "schwellnus2011",
        "hoffman2015_ultra",
        "johnson2024_kona",
        "sawka2007_acsm",
    ),
    "low_sodium": ("maughan2019", "hoffman2015_ultra", "crampwise_convention"),
    "no_warmup": ("maughan2019", "crampwise_convention"),
    "high_load": ("foster2001", "gabbett2016", "impellizzeri2020", "crampwise_convention"),
    "short_sleep": ("maughan2019", "crampwise_convention"),
    "trained_long": ("schwellnus2011_ultra", "crampwise_convention"),
    "trained_hard": ("schwellnus2011", "foster2001"),
}
# Factors whose link to cramps is contested in the literature (EVIDENCE.md section 1.4).
CONTESTED_FACTORS: Final = frozenset({"dehydration", "low_sodium"})
SESSION_CONTEXTS: Final = frozenset({CrampContext.EXERCISE, CrampContext.AFTER_EXERCISE})
REST_CONTEXTS: Final = frozenset({CrampContext.REST, CrampContext.SLEEP})
# A cramp after exercise without a session id is linked to a session ending this recently.
AFTER_EXERCISE_LINK = timedelta(hours=2)
# A sleep cramp before this local hour belongs to the previous day's exposures (the night
# that follows it), which is the day whose training and sleep it can reflect.
NIGHT_ENDS_HOUR = 12


@dataclass(frozen=True)
class ExposureThresholds:
    """The definitions of CONTRACTS.md section 4 (defaults), configurable for experiments."""

    long_ratio: float = 1.3
    long_lookback_days: int = 56
    long_min_prior: int = 3
    hard_rpe: float = 7.0
    hard_hr_fraction: float = 0.85
    heat_c: float = 25.0
    dehydration_fraction: float = 0.02
    low_sodium_min_s: float = 3600.0
    low_sodium_mg_per_h: float = 300.0  # crampwise_convention
    high_load_ratio: float = 1.5  # crampwise_convention (gabbett2016 'danger zone', contested)
    short_sleep_h: float = 6.0


DEFAULT_THRESHOLDS: Final = ExposureThresholds()
Exposure = bool | None


@dataclass(frozen=True)
class SessionExposures:
    session: Session
    day: date
    values: Mapping[str, Exposure]


@dataclass(frozen=True)
class DayExposures:
    day: date
    values: Mapping[str, Exposure]


def _long(session: Session, prior: Sequence[Session], t: ExposureThresholds) -> Exposure:
    since = session.start - timedelta(days=t.long_lookback_days)
    same = [s.duration_s for s in prior if s.sport == session.sport and s.start >= since]
    if len(same) < t.long_min_prior:
        return None
    return session.duration_s > t.long_ratio * statistics.median(same)


def _hard(session: Session, max_hr: float | None, t: ExposureThresholds) -> Exposure:
    if session.rpe is not None:
        return session.rpe >= t.hard_rpe
    if session.avg_hr is not None and max_hr is not None:
        return session.avg_hr >= t.hard_hr_fraction * max_hr
    return None


def _dehydration(session: Session, t: ExposureThresholds) -> Exposure:
    if session.pre_mass_kg is None or session.post_mass_kg is None:
        return None
    return (session.pre_mass_kg - session.post_mass_kg) / session.pre_mass_kg >= t.dehydration_fraction


def _low_sodium(session: Session, t: ExposureThresholds) -> Exposure:
    if session.duration_s < t.low_sodium_min_s:
        return False
    if session.sodium_mg is None:
        return None
    return session.sodium_mg / (session.duration_s / 3600.0) < t.low_sodium_mg_per_h


def _short_sleep(sleep_h: float | None, t: ExposureThresholds) -> Exposure:
    return None if sleep_h is None else sleep_h < t.short_sleep_h


def exposures_of(
    session: Session,
    prior: Sequence[Session],
    *,
    history: History,
    calendar: LoadCalendar,
    thresholds: ExposureThresholds = DEFAULT_THRESHOLDS,
) -> SessionExposures:
    """The eight factors of one session; `prior` are the athlete's sessions before it.

    Also used for a planned session (risk), whose `prior` is the whole history.
    """
    t = thresholds
    zone = history.athlete.zone
    day = local_date(session, zone)
    ratio = calendar.acute_chronic_ratio(day)
    entry = history.days_by_date.get(day)
    values: dict[str, Exposure] = {
        "long_session": _long(session, prior, t),
        "hard_session": _hard(session, history.athlete.max_hr, t),
        "heat": None if session.temperature_c is None else session.temperature_c >= t.heat_c,
        "dehydration": _dehydration(session, t),
        "low_sodium": _low_sodium(session, t),
        "no_warmup": None if session.warmup_min is None else session.warmup_min == 0,
        "high_load": None if ratio is None else ratio >= t.high_load_ratio,
        "short_sleep": _short_sleep(entry.sleep_h if entry else None, t),
    }
    return SessionExposures(session=session, day=day, values=values)


def session_exposures(
    history: History, thresholds: ExposureThresholds = DEFAULT_THRESHOLDS
) -> list[SessionExposures]:
    """Every session's exposures, in start order."""
    calendar = LoadCalendar(history.sessions, history.athlete.zone)
    sessions = history.sessions
    out = []
    lo = 0
    for index, session in enumerate(sessions):
        since = session.start - timedelta(days=thresholds.long_lookback_days)
        while lo < index and sessions[lo].start < since:
            lo += 1
        out.append(
            exposures_of(
                session, sessions[lo:index], history=history, calendar=calendar, thresholds=thresholds
            )
        )
    return out


def _any(values: Sequence[Exposure]) -> Exposure:
    """Any session of the day exposed: True if one is, False if all are known and none is."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def day_exposures(
    history: History,
    per_session: Sequence[SessionExposures],
    first: date,
    last: date,
    thresholds: ExposureThresholds = DEFAULT_THRESHOLDS,
) -> list[DayExposures]:
    """The day-level factors for every day from `first` to `last` (inclusive).

    A day without a session is a known "no" for the training factors: the athlete did not
    train that day (the journal is taken to be complete for sessions from the first logged
    session on; before it, training is unknown).
    """
    calendar = LoadCalendar(history.sessions, history.athlete.zone)
    by_day: dict[date, list[SessionExposures]] = {}
    for item in per_session:
        by_day.setdefault(item.day, []).append(item)
    out = []
    day = first
    while day <= last:
        items = by_day.get(day, [])
        ratio = calendar.acute_chronic_ratio(day)
        entry = history.days_by_date.get(day)
        logged = calendar.first_day is not None and day >= calendar.first_day
        values: dict[str, Exposure] = {
            "trained_long": _any([i.values["long_session"] for i in items]) if logged else None,
            "trained_hard": _any([i.values["hard_session"] for i in items]) if logged else None,
            "high_load": None if ratio is None else ratio >= thresholds.high_load_ratio,
            "short_sleep": _short_sleep(entry.sleep_h if entry else None, thresholds),
            "dehydration": _any([i.values["dehydration"] for i in items]) if logged else None,
        }
        out.append(DayExposures(day=day, values=values))
        day += timedelta(days=1)
    return out


def cramp_day(cramp: Cramp, zone: ZoneInfo) -> date:
    """The exposure day of a rest or sleep cramp (a night cramp belongs to the evening before)."""
    local: datetime = cramp.at.astimezone(zone)
    if cramp.context == CrampContext.SLEEP and local.hour < NIGHT_ENDS_HOUR:
        return local.date() - timedelta(days=1)
    return local.date()


def linked_session(cramp: Cramp, history: History) -> Session | None:
    """The session of an exercise cramp: its `session_id`, else the session it falls in.

    Without an id, a cramp during exercise is linked to a session spanning its time, and a
    cramp after exercise to the last session that ended up to two hours before it.
    """
    if cramp.context not in SESSION_CONTEXTS:
        return None
    linked = history.session_of(cramp)
    if linked is not None or cramp.session_id is not None:
        return linked
    best: Session | None = None
    for session in history.sessions:
        if session.start > cramp.at:
            break
        if session.start <= cramp.at <= session.end + AFTER_EXERCISE_LINK:
            best = session
    return best

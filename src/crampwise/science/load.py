"""Training load: session-RPE load and the acute:chronic ratio.

Session-RPE load (Foster 2001, `foster2001`) = CR-10 RPE x minutes, in arbitrary units (AU).
The acute:chronic ratio (Gabbett 2016, `gabbett2016`) is the 7-day sum of load divided by
the mean weekly load of the last 28 days (28-day sum / 4), both windows ending on (and
including) the day in question. The ratio is a *descriptive* signal only: its thresholds and
its coupling of acute and chronic windows are criticised (`impellizzeri2020`), and it has
never been validated for cramps (EVIDENCE.md section 6).

Days are calendar days in the athlete's time zone: a run at 23:30 in Madrid belongs to that
Madrid day whatever its UTC date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from crampwise.domain.records import Session

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
# A window whose training minutes are more than this share without an RPE gives an unknown
# ratio: a sum over mostly-unknown loads would understate the load (crampwise_convention).
MAX_UNKNOWN_MINUTE_SHARE = 0.2


def session_load_au(session: Session) -> float | None:
    """Foster's session-RPE load (RPE x minutes); None when the RPE is unknown."""
    if session.rpe is None:
        return None
    return float(session.rpe) * session.duration_s / 60.0


def local_date(session: Session, zone: ZoneInfo) -> date:
    """The calendar day of a session's start in the athlete's zone."""
    return session.start.astimezone(zone).date()


@dataclass(frozen=True)
class DailyLoad:
    """Per-day totals: the known load (AU), all minutes, and minutes without an RPE."""

    load_au: float = 0.0
    minutes: float = 0.0
    unknown_minutes: float = 0.0


class LoadCalendar:
    """Daily loads of one athlete, answering the acute:chronic ratio for any day.

    Built once from all sessions (O(n) plus one running total per calendar day); each
    window is the difference of two running totals (O(1)).
    """

    def __init__(self, sessions: Iterable[Session], zone: ZoneInfo) -> None:
        days: dict[date, DailyLoad] = {}
        for session in sessions:
            day = local_date(session, zone)
            current = days.get(day, DailyLoad())
            minutes = session.duration_s / 60.0
            load = session_load_au(session)
            days[day] = DailyLoad(
                load_au=current.load_au + (load or 0.0),
                minutes=current.minutes + minutes,
                unknown_minutes=current.unknown_minutes + (minutes if load is None else 0.0),
            )
        self._days: Mapping[date, DailyLoad] = days
        self.first_day: date | None = min(days) if days else None
        # Running totals from the first day: _totals[k] sums days first_day .. first_day + k - 1.
        self._origin = self.first_day.toordinal() if self.first_day else 0
        span = (max(days).toordinal() - self._origin + 1) if days else 0
        totals = [(0.0, 0.0, 0.0)]
        for k in range(span):
            entry = days.get(date.fromordinal(self._origin + k))
            load, minutes, unknown = totals[-1]
            if entry is not None:
                load, minutes, unknown = (
                    load + entry.load_au,
                    minutes + entry.minutes,
                    unknown + entry.unknown_minutes,
                )
            totals.append((load, minutes, unknown))
        self._totals = totals

    def _total_through(self, ordinal: int) -> tuple[float, float, float]:
        """Sums of every day up to and including the day of this ordinal."""
        k = min(max(ordinal - self._origin + 1, 0), len(self._totals) - 1)
        return self._totals[k]

    def window(self, day: date, n_days: int) -> DailyLoad:
        """Totals of the `n_days` days ending on `day` (inclusive)."""
        end = self._total_through(day.toordinal())
        start = self._total_through(day.toordinal() - n_days)
        return DailyLoad(end[0] - start[0], end[1] - start[1], end[2] - start[2])

    def acute_chronic_ratio(self, day: date) -> float | None:
        """7-day load / (28-day load / 4) on `day`; None when it cannot be known.

        Unknown when the record does not yet cover 28 days (the chronic window would be
        partly empty), when the chronic load is zero, or when too many of the window's
        minutes lack an RPE.
        """
        if self.first_day is None or (day - self.first_day).days < CHRONIC_DAYS - 1:
            return None
        chronic = self.window(day, CHRONIC_DAYS)
        if chronic.minutes > 0 and chronic.unknown_minutes / chronic.minutes > MAX_UNKNOWN_MINUTE_SHARE:
            return None
        if chronic.load_au <= 0:
            return None
        acute = self.window(day, ACUTE_DAYS)
        return acute.load_au / (chronic.load_au / (CHRONIC_DAYS / ACUTE_DAYS))

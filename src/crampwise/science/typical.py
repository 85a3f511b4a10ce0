"""The athlete's typical session: what "your next session" means when none is planned.

Pure: takes the sessions and today's date. The sport is the one trained most often in the last
`window_days` (all sessions when none are that recent); duration, temperature and RPE are the
medians of that sport's sessions in the window. Without sessions it is an hour's run at 20 C:
a crampwise convention, shown as such by the faces.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import Final

from crampwise.domain.enums import Sport
from crampwise.domain.records import Session

WINDOW_DAYS: Final = 56  # the 8 weeks CONTRACTS.md section 4 uses for "usual" durations
DEFAULT_DURATION_S: Final = 3600.0  # crampwise_convention
DEFAULT_TEMPERATURE_C: Final = 20.0  # crampwise_convention


@dataclass(frozen=True)
class TypicalSession:
    sport: Sport
    duration_s: float
    temperature_c: float
    rpe: float | None
    n_sessions: int  # how many sessions the medians come from (0: the convention)


def typical_session(
    sessions: Sequence[Session], today: date, *, window_days: int = WINDOW_DAYS
) -> TypicalSession:
    """The typical session of the last `window_days` days before (and including) `today`."""
    since = today - timedelta(days=window_days)
    recent = [s for s in sessions if since <= s.start.date() <= today] or list(sessions)
    if not recent:
        return TypicalSession(Sport.RUN, DEFAULT_DURATION_S, DEFAULT_TEMPERATURE_C, None, 0)
    sport = Counter(s.sport for s in recent).most_common(1)[0][0]
    same = [s for s in recent if s.sport == sport]
    temperatures = [s.temperature_c for s in same if s.temperature_c is not None]
    efforts = [s.rpe for s in same if s.rpe is not None]
    return TypicalSession(
        sport=sport,
        duration_s=float(round(median(s.duration_s for s in same) / 60) * 60),  # whole minutes
        temperature_c=float(median(temperatures)) if temperatures else DEFAULT_TEMPERATURE_C,
        rpe=float(median(efforts)) if efforts else None,
        n_sessions=len(same),
    )

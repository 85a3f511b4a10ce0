"""The Today page: the plan and cramp risk of the next (typical) session, the most serious red
flag, and the latest cramp, for one athlete.

One call for the face; the pieces are the planning and red-flag services the CLI uses. Without
what a plan needs (the body mass) there is no plan and `missing` names the fields, so the page
asks for them instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from crampwise.domain.records import Athlete, Cramp
from crampwise.science.planning import missing_profile
from crampwise.science.triage import review
from crampwise.science.triage_flags import Review
from crampwise.science.typical import TypicalSession, typical_session
from crampwise.services.context import AppContext
from crampwise.services.journal import load_history
from crampwise.services.planning import PlanResult, plan_for_history

RECENT_DAYS = 30


@dataclass(frozen=True)
class Today:
    athlete: Athlete
    typical: TypicalSession
    plan: PlanResult | None  # None while `missing` is not empty
    missing: tuple[str, ...]  # athlete fields the plan needs and lacks (`body_mass_kg`)
    review: Review
    latest_cramp: Cramp | None
    cramps_recent: int  # in the last RECENT_DAYS days
    sessions_recent: int


def today(ctx: AppContext, *, athlete: str | None, now: datetime) -> Today:
    history = load_history(ctx, athlete=athlete)
    local_today = now.astimezone(history.athlete.zone).date()
    typical = typical_session(history.sessions, local_today)
    missing = missing_profile(history.athlete)
    plan = (
        None
        if missing
        else plan_for_history(  # the journal read above, not a second read
            history,
            sport=typical.sport,
            duration_s=typical.duration_s,
            temperature_c=typical.temperature_c,
            rpe=typical.rpe,
            when=None,
            now=now,
        )
    )
    since = now - timedelta(days=RECENT_DAYS)
    return Today(
        athlete=history.athlete,
        typical=typical,
        plan=plan,
        missing=missing,
        review=review(history.judged(), now),  # as `check` judges it (from the journal's start)
        latest_cramp=history.cramps[-1] if history.cramps else None,
        cramps_recent=sum(1 for c in history.cramps if c.at >= since),
        sessions_recent=sum(1 for s in history.sessions if s.start >= since),
    )

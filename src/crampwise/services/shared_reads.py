"""What a coach or clinician reads of the athletes who granted it: one athlete's records
(`/api/v1/athletes/{athlete}/...`), the roster, and one athlete's summary page.

Every function checks the grants and writes the access-log entries (services.grants) before it
loads a journal, and loads each journal once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from crampwise.domain.accounts import Account
from crampwise.domain.errors import NotFound
from crampwise.domain.history import History
from crampwise.domain.records import Cramp, record_to_json_dict
from crampwise.science.triage import review
from crampwise.science.triage_flags import Review
from crampwise.services.context import AppContext
from crampwise.services.grants import active_grants_to, log_read, open_for_reading
from crampwise.services.insights import LABELS, Insights, insights_of
from crampwise.services.journal import load_history
from crampwise.services.logins import Identity
from crampwise.storage import accounts as store
from crampwise.storage import repository as repo

RECENT_DAYS: Final = 30
READS: Final = ("cramps", "sessions", "insights", "check")
TRIGGER_VERDICTS: Final = ("likely_trigger", "possible_trigger")


def read_shared(
    ctx: AppContext, *, reader: Identity, athlete: str, what: str, now: datetime, via: str = "api"
) -> Any:
    """The document of `/api/v1/athletes/{athlete}/{what}` (the owner's own, or a grantee's)."""
    if what not in READS:
        raise NotFound(f"no such read {what!r}; expected {'|'.join(READS)}")
    name = open_for_reading(ctx, reader=reader, athlete=athlete, what=what, via=via, now=now)
    history = load_history(ctx, athlete=name)
    if what in ("cramps", "sessions"):
        return [record_to_json_dict(r) for r in getattr(history, what)]
    if what == "insights":
        return _insights(history, now).to_json()
    return review(history, now).to_json()


def _insights(history: History, now: datetime) -> Insights:
    return insights_of(history, now)  # once per change of this athlete's data


@dataclass(frozen=True)
class RosterRow:
    """One athlete who shares with the coach: recent cramps, red flags, likely triggers."""

    username: str
    name: str
    until: date | None
    cramps_recent: int  # cramps in the last RECENT_DAYS days
    worst_recent_severity: int | None  # 0-10
    last_cramp: Cramp | None
    review: Review
    triggers: tuple[tuple[str, str], ...]  # (factor label, verdict) for likely/possible triggers

    def to_json(self) -> dict[str, Any]:
        return {
            "athlete": self.username,
            "name": self.name,
            "until": None if self.until is None else self.until.isoformat(),
            "cramps_last_30_days": self.cramps_recent,
            "worst_recent_severity": self.worst_recent_severity,
            "last_cramp": None if self.last_cramp is None else record_to_json_dict(self.last_cramp),
            "red_flags": {"level": self.review.level.value, "codes": [f.code for f in self.review.flags]},
            "triggers": [{"factor": label, "verdict": verdict} for label, verdict in self.triggers],
        }


def _row(username: str, until: date | None, history: History, now: datetime) -> RosterRow:
    since = now - timedelta(days=RECENT_DAYS)
    recent = [c for c in history.cramps if c.at >= since]
    severities = [c.severity for c in recent if c.severity is not None]
    insights = _insights(history, now)
    triggers = tuple(
        (LABELS.get(f.factor, f.factor.replace("_", " ")), f.verdict)
        for f in insights.factors
        if f.verdict in TRIGGER_VERDICTS
    )
    return RosterRow(
        username=username,
        name=history.athlete.name,
        until=until,
        cramps_recent=len(recent),
        worst_recent_severity=max(severities) if severities else None,
        last_cramp=history.cramps[-1] if history.cramps else None,
        review=review(history, now),
        triggers=triggers,
    )


def shared_journals(
    ctx: AppContext, *, reader: Account, what: str, via: str, now: datetime
) -> list[tuple[str, date | None, History]]:
    """(user name, last day, journal) of every athlete sharing with `reader` now, each read logged."""
    if not reader.role.can_be_granted:
        raise NotFound("roster: only coaches and clinicians have athletes sharing with them")
    chosen: list[tuple[str, date | None, str]] = []
    with ctx.begin() as conn:
        for owner_pk, grant in active_grants_to(conn, reader, now):
            owner = store.account_by_pk(conn=conn, pk=owner_pk)
            if owner is None or owner.disabled or owner.athlete_pk is None:
                continue
            name = repo.athlete_name_by_pk(conn=conn, athlete_pk=owner.athlete_pk)
            if name is None:
                continue
            log_read(conn, owner, reader, what, via, now)
            chosen.append((owner.username, grant.until, name))
    return [(username, until, load_history(ctx, athlete=name)) for username, until, name in chosen]


def roster(ctx: AppContext, *, reader: Account, now: datetime, via: str = "page") -> list[RosterRow]:
    """The athletes sharing with this coach or clinician, most serious red flag first."""
    rows = [
        _row(u, until, h, now)
        for u, until, h in shared_journals(ctx, reader=reader, what="roster", via=via, now=now)
    ]
    return sorted(rows, key=lambda r: (-r.review.level.rank, -r.cramps_recent, r.username))


def athlete_summary(
    ctx: AppContext, *, reader: Identity, athlete: str, now: datetime
) -> tuple[RosterRow, Insights]:
    """One sharing athlete's roster row and insights (the coach's athlete page)."""
    name = open_for_reading(ctx, reader=reader, athlete=athlete, what="athlete page", via="page", now=now)
    history = load_history(ctx, athlete=name)
    return _row(athlete, None, history, now), _insights(history, now)

"""Reminders that reach the athlete: a subscribable calendar feed and a daily check-in time.

Calendar apps cannot sign in, so the feed's address carries a secret: 32 random bytes
(`secrets.token_urlsafe`, 256 bits), shown once when made. The store keeps only its SHA-256,
like a password; a new token replaces the old one at once (a leaked address is stopped by
making a new one). The feed holds every planned session from a week ago on, each with its
drinks (alarms at each drink, services/plan_calendar.py), and, when the athlete set a time,
the daily check-in as a daily recurring event with an alarm. The same time drives the web
push check-in (services/push.py).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Final

from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.domain.history import History
from crampwise.domain.planned import PlannedSessionRecord, Product
from crampwise.services.context import AppContext
from crampwise.services.journal import load_history, resolve_athlete
from crampwise.services.plan_calendar import CheckIn, FeedSession, feed_calendar
from crampwise.services.planned import planned_title
from crampwise.services.planning import PlanResult, plan_for_history
from crampwise.services.products import carried_from
from crampwise.storage import planned as planned_store
from crampwise.storage import reminders as store

FEED_TOKEN_BYTES: Final = 32
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
_CLOCK = re.compile(r"(?P<h>\d{1,2})[:.h](?P<m>\d{2})")
FEED_PAST_DAYS: Final = 7  # planned sessions this recent stay in the feed (a look back)
OFF_WORDS: Final = ("", "off", "none", "no")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def feed_path(token: str) -> str:
    """The feed's path on the web app (the address is the server's base URL + this)."""
    return f"/feeds/{token}.ics"


@dataclass(frozen=True)
class ReminderStatus:
    athlete: str
    feed_on: bool
    feed_created: datetime | None
    checkin_time: str | None


def reminder_status(ctx: AppContext, *, athlete: str | None) -> ReminderStatus:
    with ctx.read() as conn:
        pk, who = resolve_athlete(ctx, conn, athlete)
        row = store.get_reminders(conn=conn, athlete_pk=pk)
    return ReminderStatus(
        athlete=who.name,
        feed_on=bool(row and row.feed_token_sha256),
        feed_created=None if row is None else row.feed_created_utc,
        checkin_time=None if row is None else row.checkin_time,
    )


def new_feed_token(ctx: AppContext, *, athlete: str | None, now: datetime) -> str:
    """Make the athlete's feed address (or a new one: the old stops working). Shown once."""
    token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    with ctx.begin() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        store.set_feed_token(conn=conn, athlete_pk=pk, token_sha256=token_digest(token), now=now)
    return token


def stop_feed(ctx: AppContext, *, athlete: str | None, now: datetime) -> None:
    with ctx.begin() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        store.set_feed_token(conn=conn, athlete_pk=pk, token_sha256=None, now=now)


def parse_checkin_time(raw: str, name: str = "checkin_time") -> str | None:
    """`20:00`, `7.30`, `7h30` -> `HH:MM`; `off` or empty -> None (no check-in)."""
    text = raw.strip().lower()
    if text in OFF_WORDS:
        return None
    match = _CLOCK.fullmatch(text)
    if match is None or int(match.group("h")) > 23 or int(match.group("m")) > 59:
        raise InvalidInput.single(
            name, f"cannot read {raw!r}; expected a time of day HH:MM, e.g. 20:30, or off"
        )
    return f"{int(match.group('h')):02d}:{match.group('m')}"


def set_checkin(ctx: AppContext, *, athlete: str | None, checkin_time: str | None) -> None:
    """The daily check-in's local time (`HH:MM`), or None to turn it off."""
    with ctx.begin() as conn:
        pk, _ = resolve_athlete(ctx, conn, athlete)
        store.set_checkin_time(conn=conn, athlete_pk=pk, checkin_time=checkin_time)


def _uid_key(athlete_pk: int, name: str) -> str:
    return hashlib.sha256(f"{athlete_pk}|{name}".encode()).hexdigest()[:16]


def feed_ics(ctx: AppContext, *, token: str, base_url: str, now: datetime) -> bytes:
    """The calendar feed of the athlete whose token this is (`NotFound` for any other token)."""
    if not _TOKEN.fullmatch(token):
        raise NotFound("feed: no such calendar feed")
    with ctx.read() as conn:
        found = store.athlete_of_feed(conn=conn, token_sha256=token_digest(token))
        if found is None:
            raise NotFound("feed: no such calendar feed (it may have been replaced by a new address)")
        pk, _ = found
        _, who = resolve_athlete(ctx, conn, found[1])
        row = store.get_reminders(conn=conn, athlete_pk=pk)
        planned = planned_store.list_planned(
            conn=conn, athlete_pk=pk, starting_after=now - timedelta(days=FEED_PAST_DAYS)
        )
        products = planned_store.list_products(conn=conn, athlete_pk=pk)
    base = base_url.rstrip("/")
    uid_key = _uid_key(pk, who.name)
    history = load_history(ctx, athlete=who.name)  # once for every session of the feed
    sessions = [_feed_session(history, products, p, uid_key, base, now) for p in planned]
    checkin = None
    if row is not None and row.checkin_time:
        hour, minute = (int(x) for x in row.checkin_time.split(":"))
        since = (row.feed_created_utc or now).astimezone(who.zone).date()
        checkin = CheckIn(time(hour, minute), who.zone, since, uid_key, f"{base}/log/day")
    return feed_calendar(
        title=f"crampwise: {who.name}", zone=who.zone, sessions=sessions, checkin=checkin, now=now
    )


def _feed_session(
    history: History,
    products: Sequence[Product],
    planned: PlannedSessionRecord,
    uid_key: str,
    base: str,
    now: datetime,
) -> FeedSession:
    """One planned session of the feed; its plan without the cramp risk (a calendar shows none)."""
    athlete = history.athlete
    start = planned.start.astimezone(athlete.zone)
    result: PlanResult | None
    try:
        result = plan_for_history(
            history,
            sport=planned.sport,
            duration_s=planned.duration_s,
            temperature_c=planned.temperature_c,
            rpe=planned.rpe,
            when=start,
            carried=carried_from(products, planned.carry),
            now=now,
            with_risk=False,
        )
        problem = None
    except InvalidInput as exc:
        result, problem = None, str(exc)
    assert planned.id is not None
    return FeedSession(
        planned_id=planned.id,
        uid_key=uid_key,
        start=start,
        title=f"{planned_title(planned, athlete.units)} (crampwise plan)",
        result=result,
        problem=problem,
        url=f"{base}/session/{planned.id}",
    )

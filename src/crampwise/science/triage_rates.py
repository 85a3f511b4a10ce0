"""The red-flag frequency rules: cramp days against the athlete's own baseline, and a trend.

Split from science/triage.py (which applies the whole checklist); the thresholds and why are in
its docstring and docs/red-flags.md. Counting **cramp days** (days with at least one cramp, in the
athlete's zone) keeps one bad race from counting three times. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from crampwise.domain.history import History
from crampwise.domain.records import Cramp
from crampwise.knowledge.redflags import red_flags
from crampwise.science.triage_flags import Flag, raise_flag
from crampwise.science.triage_stats import rate_test, trend_test

RECENT_DAYS = 28  # the "recent" window of the frequency rules [crampwise_convention]
BASELINE_MAX_DAYS = 365
BASELINE_MIN_DAYS = 56  # less baseline than this and no rate comparison is made
RATE_ALPHA = 0.01
RATE_MIN_RATIO = 2.0
RATE_MIN_RECENT = 3
FLOOR_DAYS_PER_WEEK = 3  # 3 cramp days in any 7: a crampwise_convention (no source sets one)
SEVERE_MIN = 9  # 0-10 scale; "extremely severe" [crampwise_convention]
TREND_WEEKS = 26
TREND_MIN_WEEKS = 8
TREND_MIN_EVENTS = 6
TREND_ALPHA = 0.05
SEASON_HALF_DAYS = 42  # the same-season baseline: 12 weeks around the date a year before
SEASON_MIN_COVER_DAYS = 365 + SEASON_HALF_DAYS


def local_day(cramp: Cramp, history: History) -> date:
    return cramp.at.astimezone(history.athlete.zone).date()


def data_start(history: History) -> datetime | None:
    starts = [history.cramps[0].at] if history.cramps else []
    if history.sessions:
        starts.append(history.sessions[0].start)
    if history.days:
        first = history.days[0].date
        starts.append(datetime(first.year, first.month, first.day, tzinfo=history.athlete.zone))
    return min(starts) if starts else None


def cramp_days(cramps: Sequence[Cramp], history: History) -> list[Cramp]:
    """The first cramp of each local day: the event the rate rules count (one bad race is one)."""
    seen: set[date] = set()
    out = []
    for cramp in cramps:
        day = local_day(cramp, history)
        if day not in seen:
            seen.add(day)
            out.append(cramp)
    return out


def baseline_flags(history: History, cramps: list[Cramp], recent: list[Cramp], now: datetime) -> list[Flag]:
    book = red_flags()
    out: list[Flag] = []
    start = data_start(history)
    if start is None:
        return out
    events = cramp_days(cramps, history)
    excess = _seasonal_excess(events, start, now) or _repeated_excess(events, start, now)
    if excess is not None:
        out.append(raise_flag(book.get("above_baseline"), [c.id for c in recent], detail=excess))

    trend_from = max(start, now - timedelta(weeks=TREND_WEEKS))
    n_weeks = int((now - trend_from).days // 7)
    if n_weeks >= TREND_MIN_WEEKS:
        window_start = now - timedelta(weeks=n_weeks)
        in_window = [c for c in events if c.at >= window_start]
        if len(in_window) >= TREND_MIN_EVENTS:
            weeks = [min(int((c.at - window_start).days // 7), n_weeks - 1) for c in in_window]
            z, p = trend_test(weeks, n_weeks)
            if p < TREND_ALPHA:
                detail = f"cramps on {len(in_window)} days over {n_weeks} weeks, rising (Poisson trend score test z = {z:.2f}, one-sided p = {p:.2g})"
                out.append(
                    raise_flag(book.get("rising_trend"), [c.id for c in in_window[-5:]], detail=detail)
                )
    return out


def _excess(
    events: Sequence[Cramp], since: datetime, until: datetime, base_from: datetime, base_until: datetime
) -> tuple[bool, str]:
    """Is the cramp-day rate in [since, until) above that of [base_from, base_until)? (flag, words)."""
    t_recent = (until - since).total_seconds() / 86400
    t_base = (base_until - base_from).total_seconds() / 86400
    k_recent = sum(1 for c in events if since <= c.at < until)
    k_base = sum(1 for c in events if base_from <= c.at < base_until)
    if k_recent < RATE_MIN_RECENT or t_base <= 0:
        return False, ""
    p, ratio = rate_test(k_recent, t_recent, k_base, t_base)
    words = (
        f"cramps on {k_recent} days in {t_recent:.0f} days against {k_base} in {t_base:.0f} days "
        f"(rate ratio {ratio:.1f}; exact conditional binomial test, one-sided p = {p:.2g})"
    )
    return p < RATE_ALPHA and ratio >= RATE_MIN_RATIO, words


def _seasonal_excess(events: Sequence[Cramp], start: datetime, now: datetime) -> str | None:
    """The last 28 days against the 12 weeks around the same date a year earlier, if logged then."""
    if (now - start).days < SEASON_MIN_COVER_DAYS:
        return None
    centre = now - timedelta(days=365)
    flagged, words = _excess(
        events,
        now - timedelta(days=RECENT_DAYS),
        now,
        centre - timedelta(days=SEASON_HALF_DAYS),
        centre + timedelta(days=SEASON_HALF_DAYS),
    )
    return f"last {RECENT_DAYS} days against the same season a year ago: {words}" if flagged else None


def _repeated_excess(events: Sequence[Cramp], start: datetime, now: datetime) -> str | None:
    """Without a same-season year: the last 28 days and the 28 before, each above the baseline
    before them (up to a year, at least 56 days)."""
    if (now - start).days >= SEASON_MIN_COVER_DAYS:
        return None  # a seasonal baseline exists and did not show an excess
    parts = []
    for back in (0, 1):
        until = now - timedelta(days=RECENT_DAYS * back)
        since = until - timedelta(days=RECENT_DAYS)
        base_from = max(start, since - timedelta(days=BASELINE_MAX_DAYS))
        if (since - base_from).days < BASELINE_MIN_DAYS:
            return None
        flagged, words = _excess(events, since, until, base_from, since)
        if not flagged:
            return None
        parts.append(words)
    return f"last {RECENT_DAYS} days: {parts[0]}; the {RECENT_DAYS} before: {parts[1]}"

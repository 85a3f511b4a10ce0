"""Dates and times as people type them: ISO 8601, or relative to now in the athlete's zone.

`day` reads `2026-05-01`, `today`, `yesterday`, `-3d`; `moment` reads ISO times (no offset =
the athlete's local time), `now`, `-2h`, `90m ago`, `yesterday 22:30` or a bare `22:30` (the last
one that has passed). Part of reading what a user typed (`services.field_input`): standard
library and the domain only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from crampwise.domain import units as u
from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import InvalidInput


def _bad(name: str, message: str) -> InvalidInput:
    return InvalidInput.single(name, message)


@dataclass(frozen=True)
class Reading:
    """How to read what one athlete types: their unit system, time zone and "now".

    `now` is an aware datetime (the caller's clock: faces pass it, tests fix it); `zone` is the
    athlete's, so that a time without an offset is the athlete's local time.
    """

    units: UnitSystem = UnitSystem.METRIC
    zone: tzinfo = UTC
    now: datetime | None = None


_AGO = re.compile(
    r"(?:-\s*(?P<neg>[\d.]+\s*[a-z]+(?:\s*[\d.]+\s*[a-z]+)*)|(?P<ago>[\d.]+\s*[a-z]+(?:\s*[\d.]+\s*[a-z]+)*)\s+ago)"
)
_CLOCK = re.compile(r"(?P<h>\d{1,2})[:h.](?P<m>\d{2})")
_DAY_WORDS = {"today": 0, "yesterday": 1}
_DAYS_AGO = re.compile(r"-\s*(?P<n>\d{1,4})\s*d(?:ays?)?|(?P<m>\d{1,4})\s*days?\s+ago")
DAY_FORMS = "YYYY-MM-DD, today, yesterday or -3d"
MOMENT_FORMS = (
    "2026-05-01T08:55 (the athlete's zone) or 2026-05-01T08:55+02:00, now, -2h, 90m ago, "
    "yesterday, yesterday 22:30 or 22:30"
)


def _now_of(reading: Reading) -> datetime:
    if reading.now is None:
        raise ValueError("a relative time needs Reading.now")  # a programming error, not input
    return reading.now.astimezone(reading.zone)


def day(raw: str, name: str, *, reading: Reading | None = None) -> date:
    """A date: `2026-05-01`, or relative to today in the athlete's zone (`yesterday`, `-3d`)."""
    cleaned = raw.strip().lower()
    if reading is not None and reading.now is not None:
        today = _now_of(reading).date()
        if cleaned in _DAY_WORDS:
            return today - timedelta(days=_DAY_WORDS[cleaned])
        match = _DAYS_AGO.fullmatch(cleaned)
        if match:
            return today - timedelta(days=int(match.group("n") or match.group("m")))
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        forms = DAY_FORMS if reading is not None and reading.now is not None else "YYYY-MM-DD"
        raise _bad(name, f"cannot read {raw!r}; expected a date as {forms}") from None


def _clock_on(day_: date, clock: str, reading: Reading) -> datetime | None:
    match = _CLOCK.fullmatch(clock)
    if match is None:
        return None
    hour, minute = int(match.group("h")), int(match.group("m"))
    if hour > 23 or minute > 59:
        return None
    return datetime.combine(day_, time(hour, minute), tzinfo=reading.zone)


def _relative_moment(cleaned: str, name: str, reading: Reading) -> datetime | None:
    now = _now_of(reading).replace(microsecond=0)
    if cleaned == "now":
        return now
    ago = _AGO.fullmatch(cleaned)
    if ago:
        span = ago.group("neg") or ago.group("ago")
        return now - timedelta(seconds=u.parse_duration_s(span, field=name, bare="m"))
    words = cleaned.split()
    if cleaned in _DAY_WORDS:
        return now - timedelta(days=_DAY_WORDS[cleaned])
    if len(words) == 2 and words[0] in _DAY_WORDS:
        return _clock_on(now.date() - timedelta(days=_DAY_WORDS[words[0]]), words[1], reading)
    at = _clock_on(now.date(), cleaned, reading)
    if at is not None and at > now + FUTURE_SKEW:
        at = _clock_on(now.date() - timedelta(days=1), cleaned, reading)  # the last 22:30 that passed
    return at


FUTURE_SKEW = timedelta(minutes=5)


def moment(raw: str, name: str, *, reading: Reading | None = None) -> datetime:
    """A time: ISO 8601 (no offset = the athlete's zone, read by the service), or relative.

    With `reading.now` also: `now`, `-2h`, `-90m`, `2h ago`, `yesterday` (this time yesterday),
    `yesterday 22:30`, `today 07:00`, and a bare `22:30` (the last 22:30 that has passed), all in
    the athlete's zone (`reading.zone`).
    """
    cleaned = " ".join(raw.strip().lower().split())
    if reading is not None and reading.now is not None:
        relative = _relative_moment(cleaned, name, reading)
        if relative is not None:
            return relative
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        forms = (
            MOMENT_FORMS
            if reading is not None and reading.now is not None
            else "2026-05-01T08:55 or 2026-05-01T08:55:00+02:00"
        )
        raise _bad(name, f"cannot read {raw!r}; expected e.g. {forms}") from None

"""Time before the cramp journal began is unknown, not cramp-free (issue 13)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Day, Session

MADRID = ZoneInfo("Europe/Madrid")


def _history(started: date | None, cramp_day: date = date(2026, 5, 10)) -> History:
    sessions = tuple(
        Session(id=f"s-{i}", start=datetime(2020, 1, 1, 8, tzinfo=MADRID) + timedelta(days=i), sport="run",
                duration_s=3600)
        for i in range(0, 2400, 3)
    )  # fmt: skip
    days = (Day(date=date(2019, 12, 31)), Day(date=date(2026, 5, 1)), Day(date=date(2026, 5, 2)))
    cramps = (Cramp(id="c-1", at=datetime.combine(cramp_day, datetime.min.time(), MADRID).replace(hour=9),
                    muscle="calf", context="rest"),)  # fmt: skip
    athlete = Athlete(name="Ana", timezone="Europe/Madrid", journal_started=started)
    return History(athlete=athlete, sessions=sessions, days=days, cramps=cramps)


def test_sessions_and_days_before_the_journal_started_are_left_out() -> None:
    history = _history(date(2026, 5, 1))
    judged = history.judged()
    assert judged.sessions and all(s.start.date() >= date(2026, 5, 1) for s in judged.sessions)
    assert len(judged.sessions) < len(history.sessions) / 10
    assert [d.date for d in judged.days] == [date(2026, 5, 1), date(2026, 5, 2)]  # the first day counts
    assert judged.cramps == history.cramps


def test_an_earlier_logged_cramp_moves_the_start_back_and_unknown_keeps_everything() -> None:
    history = _history(date(2026, 5, 2), cramp_day=date(2026, 4, 20))
    assert history.journal_start == date(2026, 4, 20)
    assert _history(None).judged() is not None and _history(None).judged().sessions == _history(None).sessions

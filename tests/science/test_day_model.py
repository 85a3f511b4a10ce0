"""The day model: referent days after a cramp day left out, and strata that absorb the season."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Day
from crampwise.science.day_model import AFTER_CASE_DAYS, BLOCK_DAYS, block_of
from crampwise.science.triggers import analyse

MADRID = ZoneInfo("Europe/Madrid")
FIRST = date.fromordinal((date(2026, 1, 10).toordinal() // BLOCK_DAYS) * BLOCK_DAYS)  # a block's first day


def _history(short_sleep: list[bool], cramp_days: list[int]) -> History:
    days = [
        Day(date=FIRST + timedelta(days=i), sleep_h=5.0 if short else 7.5)
        for i, short in enumerate(short_sleep)
    ]
    cramps = [
        Cramp(
            id=f"c-{i}",
            at=datetime.combine(FIRST + timedelta(days=i), datetime.min.time(), tzinfo=MADRID)
            + timedelta(hours=15),
            muscle="calf",
            context="rest",
        )
        for i in cramp_days
    ]
    return History(
        athlete=Athlete(name="N", timezone="Europe/Madrid"), days=tuple(days), cramps=tuple(cramps)
    )


def test_days_right_after_a_cramp_day_are_not_referents() -> None:
    cramp_days = [3, 30, 31, 40, 50]
    history = _history([i % 3 == 0 for i in range(56)], cramp_days)
    result = analyse(history, today=FIRST + timedelta(days=55))
    after = {c + k for c in cramp_days for k in range(1, AFTER_CASE_DAYS + 1)} - set(cramp_days)
    assert result.n_days == 56
    short = next(f for f in result.factors if f.level == "day" and f.factor == "short_sleep")
    assert short.exposed.n + short.unexposed.n == 56 - len(after)


def test_the_season_is_compared_within_blocks_not_across_them() -> None:
    """Short nights are common in the first block, rare in the second, and the first block has
    more cramps; within each block short nights have the same cramp rate as the others. Across
    blocks short sleep would look like a trigger (crude odds ratio about 2); within them it is not."""
    assert block_of(FIRST) != block_of(FIRST + timedelta(days=BLOCK_DAYS))
    short_sleep = [i < 22 for i in range(28)] + [i < 6 for i in range(28)]
    cramp_days = [0, 6, 12, 18, 24, 28 + 20]  # block 1: 4/22 short, 1/6 long; block 2: 0/6, 1/22
    history = _history(short_sleep, cramp_days)
    result = analyse(history, today=FIRST + timedelta(days=55))
    short = next(f for f in result.factors if f.level == "day" and f.factor == "short_sleep")
    assert short.exposed.with_cramp + short.unexposed.with_cramp == 6
    assert short.odds_ratio is not None and short.odds_ratio < 1.3  # 1.7 without the strata
    assert short.verdict == "no_clear_link"

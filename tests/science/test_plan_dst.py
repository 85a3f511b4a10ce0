"""Drink times count real elapsed minutes, also across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from crampwise.domain.enums import UnitSystem
from crampwise.science.planning import Drink


def test_drinks_across_the_spring_change_are_real_minutes_apart() -> None:
    madrid = ZoneInfo("Europe/Madrid")
    start = datetime(2027, 3, 28, 1, 30, tzinfo=madrid)  # clocks jump from 02:00 to 03:00
    drink = Drink(at_min=30, fluid_ml=(200.0, 250.0), sodium_mg=(100.0, 120.0))
    due = drink.moment(start)
    # Same-zone subtraction in Python is wall-clock; compare the instants.
    assert (due.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 30 * 60
    assert due.isoformat() == "2027-03-28T03:00:00+02:00"  # 02:00 does not exist that night
    assert drink.as_json(start, UnitSystem.METRIC)["at"] == "2027-03-28T03:00:00+02:00"

"""Recordings (domain/series.py) and History's slices: nearest sample, missing values, equality,
`--since` (domain/history.py), and the sodium formatting (domain/units.py).

Written for what mutation testing found untested by the domain's own tests.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest

from crampwise.domain.history import History
from crampwise.domain.records import Athlete, Cramp, Day, Medication, Session
from crampwise.domain.series import Sample, Series
from crampwise.domain.units import format_sodium, sodium_mmol_to_mg

SERIES = Series.build([0, 10, 20, 40], heart_rate=[120, None, 140, 150], power=[200, 210, None, 230])


def test_has_is_true_when_one_sample_is_present() -> None:
    assert SERIES.has("heart_rate") and SERIES.has("power")
    assert not SERIES.has("speed_m_s") and not SERIES.has("cadence")
    assert Series.build([0, 1], cadence=[None, 80]).has("cadence")


@pytest.mark.parametrize(
    ("elapsed_s", "index"),
    [(-5, 0), (0, 0), (4.9, 0), (5, 0), (5.1, 1), (15, 1), (29.9, 2), (30, 2), (30.1, 3), (40, 3), (99, 3)],
)
def test_index_at_is_the_nearest_sample_the_earlier_one_on_a_tie(elapsed_s: float, index: int) -> None:
    assert SERIES.index_at(elapsed_s) == index


def test_index_at_of_an_empty_series_is_none() -> None:
    assert Series.empty().index_at(3) is None


def test_a_sample_has_none_where_the_device_recorded_nothing() -> None:
    assert SERIES.sample(1) == Sample(
        elapsed_s=10.0, heart_rate=None, speed_m_s=None, temperature_c=None, cadence=None, power=210.0
    )
    assert SERIES.sample(3) == Sample(
        elapsed_s=40.0, heart_rate=150.0, speed_m_s=None, temperature_c=None, cadence=None, power=230.0
    )


def test_series_equality_treats_missing_as_equal_and_length_as_significant() -> None:
    same = Series.build([0, 10, 20, 40], heart_rate=[120, None, 140, 150], power=[200, 210, None, 230])
    assert same == SERIES
    assert (
        Series.build([0, 10, 20, 40], heart_rate=[120, None, 140, 151], power=[200, 210, None, 230]) != SERIES
    )
    assert Series.build([0, 10, 20], heart_rate=[120, None, 140], power=[200, 210, None]) != SERIES
    assert Series.build([0, 10, 20, 40], heart_rate=[120, 0, 140, 150], power=[200, 210, None, 230]) != SERIES
    assert SERIES.__eq__("not a series") is NotImplemented


# -- History.since: the records from a day on, in the athlete's calendar ---------------------

ZONE = "America/New_York"


def history() -> History:
    athlete = Athlete(name="Ana", timezone=ZONE)
    return History(
        athlete=athlete,
        sessions=(
            # 2026-05-02 01:00 UTC is still May 1st in New York
            Session(id="s-1", start=datetime(2026, 5, 2, 1, 0, tzinfo=UTC), sport="run", duration_s=600),
            Session(id="s-2", start=datetime(2026, 5, 2, 5, 0, tzinfo=UTC), sport="run", duration_s=600),
        ),
        cramps=(
            Cramp(id="c-1", at=datetime(2026, 5, 2, 3, 59, tzinfo=UTC), muscle="calf", context="rest"),
            Cramp(id="c-2", at=datetime(2026, 5, 2, 4, 0, tzinfo=UTC), muscle="calf", context="rest"),
        ),
        days=(Day(date=date(2026, 5, 1)), Day(date=date(2026, 5, 2))),
        medications=(
            Medication(name="a", kind="statin", started=date(2026, 1, 1), stopped=date(2026, 5, 1)),
            Medication(name="b", kind="statin", started=date(2026, 1, 1), stopped=date(2026, 5, 2)),
            Medication(name="c", kind="statin", started=date(2026, 1, 1)),
        ),
    )


def test_since_keeps_the_records_from_that_day_on_in_the_athletes_zone() -> None:
    later = history().since(date(2026, 5, 2))
    assert [s.id for s in later.sessions] == ["s-2"]
    assert [c.id for c in later.cramps] == ["c-2"]  # 04:00 UTC is midnight in New York (EDT)
    assert [d.date for d in later.days] == [date(2026, 5, 2)]
    assert [m.name for m in later.medications] == ["b", "c"]  # still taken on that day, or not stopped
    assert later.athlete == history().athlete
    everything = history().since(date(2026, 5, 1))
    assert len(everything.sessions) == 2 and len(everything.cramps) == 2 and len(everything.days) == 2
    assert len(everything.medications) == 3


def test_to_bundle_holds_every_record() -> None:
    bundle = history().to_bundle()
    assert bundle.athlete.name == "Ana"
    assert [s.id for s in bundle.sessions] == ["s-1", "s-2"]
    assert [c.id for c in bundle.cramps] == ["c-1", "c-2"]
    assert len(bundle.days) == 2 and [m.name for m in bundle.medications] == ["a", "b", "c"]


# -- sodium ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mg", "text"),
    [(600, "600mg"), (999.94, "999.9mg"), (1000, "1g"), (1250, "1.25g"), (-1000, "-1g"), (0, "0mg")],
)
def test_sodium_is_shown_in_milligrams_under_a_gram(mg: float, text: str) -> None:
    assert format_sodium(mg) == text


def test_a_millimole_of_sodium_weighs_22_99_mg() -> None:
    assert sodium_mmol_to_mg(40) == pytest.approx(919.6)
    assert math.isclose(sodium_mmol_to_mg(1), 22.99)

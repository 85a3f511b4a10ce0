"""Issue 10: no cramp probability for athletes with fewer than 10 logged cramps; a cited band instead."""

from __future__ import annotations

import pytest

from crampwise.domain.enums import Sport
from crampwise.knowledge.sources import resolve
from crampwise.science.plan_risk import MIN_LOGGED_CRAMPS, plan_risk, population_band

MODEL = {
    "level": "low",
    "probability": 0.06,
    "drivers": ["heat"],
    "basis": "population",
    "sources": ["gelman2008"],
}


def test_a_six_hour_ultra_at_35_c_with_no_history_is_not_low_and_shows_no_probability() -> None:
    risk = plan_risk(MODEL, n_logged_cramps=0, sport=Sport.RUN, duration_s=6 * 3600)
    assert risk["probability"] is None
    assert risk["level"] == "elevated"  # the cohort's 14 % low end, not the model's "low (6 %)"
    assert risk["basis"] == "population_band"
    assert risk["population_band"]["range"] == [0.14, 0.41]
    assert "0 cramps logged" in risk["why"] and "fewer than 10" in risk["why"]
    assert "161-km ultramarathon" in risk["why"]
    assert "hoffman2015_ultra" in risk["sources"]
    resolve(risk["sources"])
    assert risk["drivers"] == ["heat"]


@pytest.mark.parametrize(("n", "withheld"), [(MIN_LOGGED_CRAMPS - 1, True), (MIN_LOGGED_CRAMPS, False)])
def test_the_probability_is_shown_from_ten_logged_cramps(n: int, withheld: bool) -> None:
    risk = plan_risk(MODEL, n_logged_cramps=n, sport=Sport.RUN, duration_s=6 * 3600)
    assert (risk["probability"] is None) is withheld
    assert risk["n_logged_cramps"] == n
    if not withheld:
        assert risk["probability"] == 0.06 and risk["level"] == "low"


def test_without_a_matching_cohort_there_is_no_level_and_it_says_why() -> None:
    risk = plan_risk(MODEL, n_logged_cramps=3, sport=Sport.RUN, duration_s=3600)
    assert risk["probability"] is None and risk["level"] is None
    assert risk["basis"] == "not_enough_data" and risk["population_band"] is None
    assert "3 cramps logged" in risk["why"] and "No published cohort" in risk["why"]


@pytest.mark.parametrize(
    ("sport", "hours", "source", "level"),
    [
        (Sport.RUN, 2.99, None, None),
        (Sport.RUN, 3.0, "martinez_navarro2022", "elevated"),
        (Sport.RUN, 4.99, "martinez_navarro2022", "elevated"),
        (Sport.RUN, 5.0, "hoffman2015_ultra", "elevated"),
        (Sport.TRIATHLON, 7.99, None, None),
        (Sport.TRIATHLON, 8.0, "schwellnus2011", "elevated"),
        (Sport.RIDE, 8.0, None, None),
    ],
)
def test_cohort_bands_by_kind_of_event(
    sport: Sport, hours: float, source: str | None, level: str | None
) -> None:
    band = population_band(sport, hours * 3600)
    assert (band.sources[0] if band else None) == source
    assert (band.level if band else None) == level

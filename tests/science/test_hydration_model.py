"""The personal sweat model: follows an athlete's own trend, falls back to population values."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.domain.enums import Sport
from crampwise.science.hydration import Flag, SweatTest
from crampwise.science.sweat_model import (
    MIN_PERSONAL_TESTS,
    fit_sweat_model,
    population_rate,
    sweat_sodium,
)

START = datetime(2026, 5, 1, 7, 30, tzinfo=UTC)


def make_test(
    rate: float, temperature_c: float | None, rpe: float | None, i: int = 0, flags: tuple[Flag, ...] = ()
) -> SweatTest:
    return SweatTest(
        session_id=f"s-{i:04d}",
        start=START + timedelta(days=i),
        sport=Sport.RUN,
        duration_s=3600,
        temperature_c=temperature_c,
        rpe=rpe,
        intensity_rpe=rpe,
        pre_mass_kg=70.0,
        post_mass_kg=70.0 - rate,
        fluid_ml=0.0,
        urine_ml=0.0,
        sweat_loss_l=rate,
        sweat_rate_l_per_h=rate,
        mass_loss_pct=rate / 70 * 100,
        flags=flags,
    )


def athlete_tests(
    n: int, *, base: float, temp_slope: float, rpe_slope: float, seed: int = 1
) -> list[SweatTest]:
    """A synthetic athlete: log rate linear in temperature and RPE, 5 % day-to-day noise."""
    rng = np.random.default_rng(seed)
    tests = []
    for i in range(n):
        temp = float(rng.uniform(5, 35))
        rpe = float(rng.integers(3, 10))
        log_rate = math.log(base) + temp_slope * (temp - 22) + rpe_slope * (rpe - 6) + rng.normal(0, 0.05)
        tests.append(make_test(math.exp(log_rate), temp, rpe, i))
    return tests


def test_no_tests_gives_the_population_with_a_wide_range() -> None:
    model = fit_sweat_model([], sport=Sport.RUN)
    pred = model.predict(temperature_c=22, rpe=6)
    assert pred.basis == "population"
    assert pred.n_tests == 0
    # barnes2019 endurance 1.28 +/- 0.57 L/h as a log-normal: median about 1.17 L/h
    assert pred.estimate_l_per_h == pytest.approx(1.28 / math.sqrt(1 + (0.57 / 1.28) ** 2), rel=1e-6)
    assert pred.high_l_per_h / pred.low_l_per_h > 2.5  # honest: wide


def test_below_the_minimum_the_basis_stays_population() -> None:
    tests = [make_test(0.5, 20, 6, i) for i in range(MIN_PERSONAL_TESTS - 1)]
    model = fit_sweat_model(tests, sport=Sport.RUN)
    pred = model.predict(temperature_c=22, rpe=6)
    assert pred.basis == "population"
    assert pred.n_tests == MIN_PERSONAL_TESTS - 1
    assert pred.estimate_l_per_h == pytest.approx(
        fit_sweat_model([], sport=Sport.RUN).predict(temperature_c=22, rpe=6).estimate_l_per_h
    )


def test_many_tests_follow_the_athletes_own_trend() -> None:
    # a light sweater (0.6 L/h at 22 C, RPE 6) strongly heat-sensitive: +5 % per degree
    tests = athlete_tests(25, base=0.6, temp_slope=0.05, rpe_slope=0.06)
    model = fit_sweat_model(tests, sport=Sport.RUN)
    for temp, rpe in [(10, 5), (22, 6), (32, 8)]:
        pred = model.predict(temperature_c=temp, rpe=rpe)
        truth = 0.6 * math.exp(0.05 * (temp - 22) + 0.06 * (rpe - 6))
        assert pred.basis == "personal"
        assert pred.estimate_l_per_h == pytest.approx(truth, rel=0.12)
        assert pred.low_l_per_h < truth < pred.high_l_per_h
    population = fit_sweat_model([], sport=Sport.RUN).predict(temperature_c=22, rpe=6)
    personal = model.predict(temperature_c=22, rpe=6)
    assert personal.high_l_per_h / personal.low_l_per_h < population.high_l_per_h / population.low_l_per_h / 2


def test_more_tests_narrow_the_range() -> None:
    few = fit_sweat_model(athlete_tests(3, base=1.5, temp_slope=0.03, rpe_slope=0.08), sport=Sport.RIDE)
    many = fit_sweat_model(athlete_tests(30, base=1.5, temp_slope=0.03, rpe_slope=0.08), sport=Sport.RIDE)
    width_few = math.log(
        few.predict(temperature_c=25, rpe=7).high_l_per_h / few.predict(temperature_c=25, rpe=7).low_l_per_h
    )
    width_many = math.log(
        many.predict(temperature_c=25, rpe=7).high_l_per_h / many.predict(temperature_c=25, rpe=7).low_l_per_h
    )
    assert width_many < width_few


def test_impossible_tests_stay_out_of_the_model() -> None:
    good = [make_test(0.8, 20, 6, i) for i in range(4)]
    bad = [make_test(9.0, 20, 6, 10, flags=(Flag.IMPLAUSIBLE_RATE,))]
    with_bad = fit_sweat_model(good + bad)
    without = fit_sweat_model(good)
    assert with_bad.n_tests == 4
    assert with_bad.n_excluded == 1
    assert with_bad.predict(temperature_c=20, rpe=6) == without.predict(temperature_c=20, rpe=6)


def test_unknown_temperature_and_rpe_do_not_crash() -> None:
    tests = [make_test(1.0, None, None, i) for i in range(5)]
    pred = fit_sweat_model(tests).predict(temperature_c=30, rpe=None)
    assert math.isfinite(pred.estimate_l_per_h)
    assert pred.basis == "personal"


@settings(max_examples=40, deadline=None)
@given(
    rates=st.lists(st.floats(0.05, 5.0), min_size=0, max_size=12),
    temperature=st.floats(-20, 50),
    rpe=st.none() | st.floats(0, 10),
)
def test_prediction_is_finite_and_ordered(rates: list[float], temperature: float, rpe: float | None) -> None:
    tests = [make_test(r, 15 + i, 5, i) for i, r in enumerate(rates)]
    pred = fit_sweat_model(tests).predict(temperature_c=temperature, rpe=rpe)
    values = [pred.low_l_per_h, pred.estimate_l_per_h, pred.high_l_per_h]
    assert all(math.isfinite(v) and v > 0 for v in values)
    assert values == sorted(values)


def test_population_rate_by_sport() -> None:
    assert population_rate(Sport.RUN).source == "barnes2019"
    assert population_rate(Sport.TEAM_SPORT).mean_l_per_h == pytest.approx(0.95)
    assert population_rate(Sport.SWIM).source == "baker2016"
    assert population_rate(None).mean_l_per_h == pytest.approx(1.21)


def test_sweat_sodium_default_and_measured() -> None:
    default = sweat_sodium(None)
    assert (default.mmol_l, default.low_mmol_l, default.high_mmol_l) == (35.9, 18.2, 70.8)
    assert default.basis == "population"
    measured = sweat_sodium(60)
    assert measured.basis == "measured"
    assert measured.mmol_l == 60


def test_model_json_reports_basis_and_effects() -> None:
    doc = fit_sweat_model(athlete_tests(10, base=1.0, temp_slope=0.04, rpe_slope=0.1)).as_json()
    assert doc["basis"] == "personal"
    assert doc["n_tests"] == 10
    assert 2.0 < doc["temperature_effect_pct_per_c"] < 6.5  # type: ignore[operator]
    assert "baker2016" in doc["sources"]  # type: ignore[operator]


@settings(max_examples=25, deadline=None)
@given(
    base=st.floats(0.3, 2.5),
    temp_slope=st.floats(0.0, 0.06),
    rpe_slope=st.floats(0.0, 0.15),
    seed=st.integers(0, 10_000),
)
def test_many_tests_track_any_athletes_trend(
    base: float, temp_slope: float, rpe_slope: float, seed: int
) -> None:
    model = fit_sweat_model(
        athlete_tests(30, base=base, temp_slope=temp_slope, rpe_slope=rpe_slope, seed=seed)
    )
    for temp, rpe in [(12, 4), (22, 6), (30, 8)]:
        truth = base * math.exp(temp_slope * (temp - 22) + rpe_slope * (rpe - 6))
        pred = model.predict(temperature_c=temp, rpe=rpe)
        assert pred.basis == "personal"
        assert pred.estimate_l_per_h == pytest.approx(truth, rel=0.15)


@settings(max_examples=25, deadline=None)
@given(
    rates=st.lists(st.floats(0.1, 4.9), max_size=MIN_PERSONAL_TESTS - 1),
    temperature=st.floats(-10, 45),
    rpe=st.floats(0, 10),
)
def test_few_tests_fall_back_to_the_population_with_a_wide_range(
    rates: list[float], temperature: float, rpe: float
) -> None:
    tests = [make_test(r, 20, 6, i) for i, r in enumerate(rates)]
    pred = fit_sweat_model(tests, sport=Sport.RUN).predict(temperature_c=temperature, rpe=rpe)
    population = fit_sweat_model([], sport=Sport.RUN).predict(temperature_c=temperature, rpe=rpe)
    assert pred.basis == "population"
    assert pred.estimate_l_per_h == pytest.approx(population.estimate_l_per_h)
    assert pred.high_l_per_h / pred.low_l_per_h > 2.5

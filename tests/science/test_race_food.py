"""The carried gels and drinks counted into a plan: sodium and fluid never asked for twice,
never more fluid than the plan's schedule (itself under the ceiling), gels spread evenly."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.domain.enums import Sport, UnitSystem
from crampwise.domain.history import History
from crampwise.domain.planned import Product
from crampwise.domain.records import Athlete
from crampwise.knowledge.sources import resolve
from crampwise.science.planning import Plan, PlannedSession, make_plan
from crampwise.science.race_food import (
    CARB_MIXED_SUGARS_G_PER_H,
    CARB_SINGLE_SUGAR_G_PER_H,
    Carried,
    carbohydrate_reference,
    fuel_plan,
)

GEL = Product(name="gel", carbohydrate_g=25, sodium_mg=50, fluid_ml=0)
BAR = Product(name="bar", carbohydrate_g=40, sodium_mg=100, fluid_ml=0)
ISO = Product(name="iso drink", carbohydrate_g=30, sodium_mg=250, fluid_ml=500)
SALTY = Product(name="salt tab", carbohydrate_g=0, sodium_mg=1000, fluid_ml=0)


def plan_of(hours: float = 3.0, temperature_c: float = 28.0, **athlete: Any) -> Plan:
    who = Athlete.model_validate({"name": "Ana", "body_mass_kg": 61.5, **athlete})
    return make_plan(History(athlete=who), PlannedSession(Sport.RUN, hours * 3600, temperature_c, rpe=6))


def test_products_sodium_counts_toward_the_plan_so_only_the_rest_is_added() -> None:
    plan = plan_of()
    fuel = fuel_plan(plan, [Carried(GEL, 4), Carried(ISO, 2)])
    hours = 3.0
    assert fuel.sodium_mg_per_h == pytest.approx((4 * 50 + 2 * 250) / hours)
    low, high = plan.sodium_mg_per_h
    assert fuel.sodium_to_add_mg_per_h == pytest.approx(
        (low - fuel.sodium_mg_per_h, high - fuel.sodium_mg_per_h)
    )
    # at each drink: what the products bring plus what is left to add is the plan's sodium there
    for drink, slot in zip(plan.schedule, fuel.slots, strict=True):
        for i in (0, 1):
            assert slot.sodium_mg + slot.sodium_to_add_mg[i] == pytest.approx(
                max(drink.sodium_mg[i], slot.sodium_mg)
            )
    assert "add only" in fuel.advice[0].text and not fuel.sodium_above_sweat_loss


def test_enough_sodium_in_the_products_means_add_none_and_more_than_sweat_is_said() -> None:
    plan = plan_of()
    covers = fuel_plan(plan, [Carried(ISO, 4)])  # 1000 mg over 3 h: 333 mg/h, below the plan's sodium
    assert covers.sodium_to_add_mg_per_h[1] > 0
    lots = fuel_plan(plan, [Carried(SALTY, 3)])  # 1000 mg/h: more than the sweat loses
    assert lots.sodium_above_sweat_loss
    assert lots.sodium_to_add_mg_per_h == (0.0, 0.0)
    assert "more than your sweat" in lots.advice[0].text
    assert "not known to prevent cramps" in lots.advice[0].text
    between = [Carried(SALTY, 2), Carried(GEL, 1)]  # ~683 mg/h: above the plan's top, below the sweat loss
    fuel = fuel_plan(plan, between)
    assert plan.sodium_mg_per_h[1] < fuel.sodium_mg_per_h < plan.sweat_sodium_loss_mg_per_h
    assert fuel.advice[0].text == "Your products cover the plan's sodium: add none."


def test_drinks_count_as_fluid_and_are_capped_by_the_schedule_under_the_ceiling() -> None:
    plan = plan_of()
    room = sum(d.fluid_ml[1] for d in plan.schedule)
    fuel = fuel_plan(plan, [Carried(ISO, 8)])  # 4 L of drink for a 3 h run
    assert fuel.drinks_capped and fuel.drink_fluid_carried_ml == 4000
    assert fuel.drink_fluid_used_ml == pytest.approx(room)
    assert fuel.drink_fluid_used_ml <= plan.fluid_ml_per_h_max * 3
    assert "leave the rest" in fuel.advice[0].text
    # carbohydrate and sodium follow the share of the drinks actually drunk
    share = room / 4000
    assert fuel.sodium_mg_per_h == pytest.approx(8 * 250 * share / 3)
    for drink, slot in zip(plan.schedule, fuel.slots, strict=True):
        assert slot.product_fluid_ml <= drink.fluid_ml[1] + 1e-9
        assert slot.water_ml[1] == pytest.approx(max(0.0, drink.fluid_ml[1] - slot.product_fluid_ml))


def test_exactly_the_schedules_fluid_is_not_capped() -> None:
    plan = plan_of()
    room = sum(d.fluid_ml[1] for d in plan.schedule)
    exact = Product(name="bottle", carbohydrate_g=0, sodium_mg=0, fluid_ml=room / 2)
    fuel = fuel_plan(plan, [Carried(exact, 2)])
    assert not fuel.drinks_capped and fuel.drink_share_used == 1.0
    assert all(slot.water_ml[1] == pytest.approx(0.0) for slot in fuel.slots)


def test_gels_are_spread_evenly_and_in_turn() -> None:
    plan = plan_of()
    n = len(plan.schedule)
    fuel = fuel_plan(plan, [Carried(GEL, 3), Carried(BAR, 1)])
    taken = [(s.at_min, t.name) for s in fuel.slots for t in s.taken for _ in range(round(t.units))]
    assert [name for _, name in taken] == ["gel", "bar", "gel", "gel"]
    slots = [at for at, _ in taken]
    assert slots == sorted(set(slots))  # one at a time, never two at one drink
    gaps = [b - a for a, b in itertools.pairwise(slots)]
    assert max(gaps) - min(gaps) <= plan.interval_min
    many = fuel_plan(plan, [Carried(GEL, n + 2)])
    assert sum(t.units for s in many.slots for t in s.taken) == n + 2
    assert max(t.units for s in many.slots for t in s.taken) == 2


def test_slot_text_says_what_to_do_in_the_athletes_units() -> None:
    plan = plan_of()
    fuel = fuel_plan(plan, [Carried(ISO, 2), Carried(GEL, 1)])
    with_gel = next(s for s in fuel.slots if any(t.name == "gel" for t in s.taken))
    text = with_gel.text(UnitSystem.METRIC)
    assert text.startswith("Drink 90ml iso drink + ") and "take 1 gel" in text
    assert "oz iso drink" in with_gel.text(UnitSystem.IMPERIAL)


def test_a_plan_without_schedule_counts_the_products_per_hour_only() -> None:
    plan = plan_of(hours=0.75, temperature_c=15)
    assert plan.drink_to_thirst and not plan.schedule
    fuel = fuel_plan(plan, [Carried(GEL, 1)])
    assert fuel.slots == ()
    assert fuel.carbohydrate_g_per_h == pytest.approx(25 / 0.75)
    assert any("drink to thirst" in a.text for a in fuel.advice)


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (1.99, None),
        (2.0, CARB_SINGLE_SUGAR_G_PER_H),  # jeukendrup2014: 2-3 h
        (2.49, CARB_SINGLE_SUGAR_G_PER_H),
        (2.5, CARB_MIXED_SUGARS_G_PER_H),  # jeukendrup_sse108: 2.5 h or longer
        (6.0, CARB_MIXED_SUGARS_G_PER_H),
    ],
)
def test_carbohydrate_reference_boundaries(hours: float, expected: float | None) -> None:
    found = carbohydrate_reference(hours * 3600)
    assert (None if found is None else found.up_to_g_per_h) == expected
    if found is not None:
        resolve(found.sources)
        assert "not a cramp remedy" in found.text


def test_every_cited_source_resolves() -> None:
    fuel = fuel_plan(plan_of(), [Carried(ISO, 8), Carried(SALTY, 3), Carried(GEL, 2)])
    resolve(fuel.sources)
    for advice in fuel.advice:
        assert advice.sources
        resolve(advice.sources)


products = st.builds(
    Product,
    name=st.sampled_from(["a", "b", "c", "d"]),
    carbohydrate_g=st.floats(0, 120),
    sodium_mg=st.floats(0, 1500),
    fluid_ml=st.one_of(st.just(0.0), st.floats(50, 1000)),
)


@settings(max_examples=60, deadline=None)
@given(
    hours=st.floats(0.5, 12),
    temperature_c=st.floats(-5, 42),
    mass=st.floats(45, 110),
    carried=st.lists(st.tuples(products, st.integers(1, 20)), max_size=4, unique_by=lambda c: c[0].name),
)
def test_products_never_push_fluid_above_the_plan(
    hours: float, temperature_c: float, mass: float, carried: list[tuple[Product, int]]
) -> None:
    plan = plan_of(hours=hours, temperature_c=temperature_c, body_mass_kg=mass)
    fuel = fuel_plan(plan, [Carried(p, n) for p, n in carried])
    assert fuel.drink_fluid_used_ml <= plan.fluid_ml_per_h[1] * hours + 1e-6
    assert fuel.fluid_ml_per_h <= plan.fluid_ml_per_h_max + 1e-6
    assert 0.0 <= fuel.drink_share_used <= 1.0
    for drink, slot in zip(plan.schedule, fuel.slots, strict=True):
        assert (
            slot.product_fluid_ml + slot.water_ml[1] <= max(drink.fluid_ml[1], slot.product_fluid_ml) + 1e-6
        )
        assert slot.product_fluid_ml <= drink.fluid_ml[1] + 1e-6
        assert slot.water_ml[0] <= slot.water_ml[1]
        assert slot.sodium_to_add_mg[0] <= slot.sodium_to_add_mg[1]
    solids = sum(n for p, n in carried if not p.is_drink)
    assert sum(t.units for s in fuel.slots for t in s.taken if t.fluid_ml == 0) == (
        solids if fuel.slots else 0
    )
    low, high = fuel.sodium_to_add_mg_per_h
    assert 0 <= low <= high <= plan.sodium_mg_per_h[1]

"""What the gels and drinks an athlete carries bring to a plan, and what is left to add.

The plan (science/planning.py) gives fluid and sodium per hour and a drinking schedule. The
products the athlete will carry already hold some of both, so counting them twice would ask
for more sodium, or more fluid, than the plan means (issue 16). Rules:

- **Drinks** (products with fluid) are sipped across the schedule: their fluid is part of the
  plan's fluid, never added to it. At most the schedule's total (the top of the plan's range
  at each drink, itself never above the fluid ceiling of science/fluid_ceiling.py) is used;
  carrying more is said plainly, and the rest is left (sawka2007_acsm, hew_butler2015_eah).
  Without a schedule (drink to thirst) the cap is the top of the range for the whole session.
- **Gels and bars** (no fluid) are taken whole, spread evenly over the drinks of the schedule,
  several products taken in turn (a crampwise convention).
- **Sodium**: what the products bring counts toward the plan's sodium; only the rest is left
  to add, at each drink and per hour. More than the sweat is expected to lose is said to bring
  nothing known (hoffman2015_sodium, miller2015_rethinking).
- **Carbohydrate**: what the products give, per hour. A published figure is shown beside it
  only for 2 h and longer (jeukendrup2014: about 60 g/h for 2-3 h; jeukendrup_sse108: 90 g/h
  of glucose-fructose mixes for 2.5 h or more); it is for energy, not cramp prevention.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crampwise.domain.enums import UnitSystem
from crampwise.domain.planned import Product
from crampwise.domain.units import format_volume
from crampwise.science.plan_checklist import Advice, describe_volume

if TYPE_CHECKING:
    from crampwise.science.planning import Plan

CARB_SOURCES = ("jeukendrup2014", "jeukendrup_sse108")
CARB_SINGLE_SUGAR_FROM_H = 2.0  # jeukendrup2014: about 60 g/h for exercise of 2-3 h
CARB_SINGLE_SUGAR_G_PER_H = 60.0
CARB_MIXED_SUGARS_FROM_H = 2.5  # jeukendrup_sse108: 2.5 h or longer, 90 g/h of glucose:fructose
CARB_MIXED_SUGARS_G_PER_H = 90.0
SODIUM_SOURCES = ("baker2017", "acsm_sodium_convention", "hoffman2015_sodium", "miller2015_rethinking")
FLUID_SOURCES = ("sawka2007_acsm", "hew_butler2015_eah")
SPREAD_SOURCES = ("crampwise_convention",)
SHOWN_STEP_ML = 10.0


def shown_ml(ml: float) -> float:
    """A volume as said at a drink: to the nearest 10 ml (nobody measures 90.9 ml on the move)."""
    return float(round(ml / SHOWN_STEP_ML) * SHOWN_STEP_ML)


@dataclass(frozen=True)
class Carried:
    """How many units of one product the athlete will carry."""

    product: Product
    units: int


@dataclass(frozen=True)
class CarbReference:
    """A published carbohydrate figure for a session of this length, with its sources."""

    up_to_g_per_h: float
    text: str
    sources: tuple[str, ...] = CARB_SOURCES

    def as_json(self) -> dict[str, Any]:
        return {"up_to_g_per_h": self.up_to_g_per_h, "text": self.text, "sources": list(self.sources)}


@dataclass(frozen=True)
class Taken:
    """Units of one product at one drink (a fraction for a drink sipped across the schedule)."""

    name: str
    units: float
    fluid_ml: float
    """The fluid of those units (0 for a gel or a bar)."""

    def text(self, units: UnitSystem) -> str:
        """`90ml iso drink` for a drink, `1 gel` (or `2 x gel`) for a gel or a bar."""
        if self.fluid_ml > 0:
            return f"{format_volume(shown_ml(self.fluid_ml), units)} {self.name}"
        count = round(self.units)
        return f"{count} {self.name}" if count == 1 else f"{count} x {self.name}"


@dataclass(frozen=True)
class SlotFood:
    """What the products bring at one drink of the schedule, and what is left to add."""

    at_min: int
    taken: tuple[Taken, ...]
    carbohydrate_g: float
    sodium_mg: float
    product_fluid_ml: float
    water_ml: tuple[float, float]
    """The drink's fluid (low, high) less what the products bring; never below 0."""
    sodium_to_add_mg: tuple[float, float]

    def text(self, units: UnitSystem) -> str:
        """What to do at this drink: `Drink 100ml iso drink + up to 50ml water; take 1 gel; add 20-40 mg sodium`."""
        drinks = [t.text(units) for t in self.taken if t.fluid_ml > 0]
        solids = [t.text(units) for t in self.taken if t.fluid_ml <= 0]
        water = describe_volume((shown_ml(self.water_ml[0]), shown_ml(self.water_ml[1])), units)
        if drinks:
            said = " + ".join(drinks) + ("" if self.water_ml[1] <= 0 else f" + {water} water")
        else:
            said = water if self.water_ml[1] > 0 else "nothing"
        parts = [f"Drink {said}"]
        if solids:
            parts.append("take " + ", ".join(solids))
        low, high = self.sodium_to_add_mg
        if high > 0:
            parts.append(f"add {round(low)}-{round(high)} mg sodium")
        return "; ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "take": [{"product": t.name, "units": round(t.units, 2)} for t in self.taken],
            "carbohydrate_g": round(self.carbohydrate_g, 1),
            "sodium_from_products_mg": round(self.sodium_mg),
            "fluid_from_products_ml": round(self.product_fluid_ml),
            "water_ml": [round(self.water_ml[0]), round(self.water_ml[1])],
            "sodium_to_add_mg": [round(self.sodium_to_add_mg[0]), round(self.sodium_to_add_mg[1])],
        }


@dataclass(frozen=True)
class FuelPlan:
    """The carried products counted into one plan."""

    carried: tuple[Carried, ...]
    hours: float
    carbohydrate_g_per_h: float
    sodium_mg_per_h: float
    fluid_ml_per_h: float
    """Fluid from the drinks used, per hour (part of the plan's fluid, not added to it)."""
    drink_fluid_carried_ml: float
    drink_fluid_used_ml: float
    drink_share_used: float
    """The share (0-1) of the carried drinks the plan uses; below 1 when they exceed its fluid."""
    sodium_to_add_mg_per_h: tuple[float, float]
    water_ml_per_h: tuple[float, float]
    sodium_above_sweat_loss: bool
    slots: tuple[SlotFood, ...]
    carbohydrate_reference: CarbReference | None
    advice: tuple[Advice, ...]

    @property
    def drinks_capped(self) -> bool:
        return self.drink_share_used < 1.0 - 1e-9

    @property
    def sources(self) -> tuple[str, ...]:
        seen: list[str] = []
        for advice in self.advice:
            seen.extend(s for s in advice.sources if s not in seen)
        if self.carbohydrate_reference is not None:
            seen.extend(s for s in self.carbohydrate_reference.sources if s not in seen)
        return tuple(seen)

    def slot_at(self, at_min: int) -> SlotFood | None:
        return next((s for s in self.slots if s.at_min == at_min), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "carried": [
                {
                    "product": c.product.name,
                    "units": c.units,
                    "carbohydrate_g": c.product.carbohydrate_g,
                    "sodium_mg": c.product.sodium_mg,
                    "fluid_ml": c.product.fluid_ml,
                }
                for c in self.carried
            ],
            "carbohydrate_g_per_h": round(self.carbohydrate_g_per_h, 1),
            "sodium_mg_per_h": round(self.sodium_mg_per_h),
            "fluid_ml_per_h": round(self.fluid_ml_per_h),
            "drink_fluid_carried_ml": round(self.drink_fluid_carried_ml),
            "drink_fluid_used_ml": round(self.drink_fluid_used_ml),
            "drinks_capped": self.drinks_capped,
            "sodium_to_add_mg_per_h": [round(x) for x in self.sodium_to_add_mg_per_h],
            "water_ml_per_h": [round(x) for x in self.water_ml_per_h],
            "sodium_above_sweat_loss": self.sodium_above_sweat_loss,
            "carbohydrate_reference": None
            if self.carbohydrate_reference is None
            else self.carbohydrate_reference.as_json(),
            "advice": [a.text for a in self.advice],
            "advice_sources": [list(a.sources) for a in self.advice],
            "sources": list(self.sources),
        }


def carbohydrate_reference(duration_s: float) -> CarbReference | None:
    """The published carbohydrate figure for a session this long, or None under 2 h.

    2 h and longer: about 60 g/h (jeukendrup2014, for 2-3 h); 2.5 h and longer: 90 g/h from
    mixes of glucose and fructose (jeukendrup_sse108), about 60 g/h from a single sugar.
    """
    hours = duration_s / 3600.0
    if hours >= CARB_MIXED_SUGARS_FROM_H:
        return CarbReference(
            CARB_MIXED_SUGARS_G_PER_H,
            f"For energy in a session this long, published guidance is up to about "
            f"{CARB_MIXED_SUGARS_G_PER_H:g} g of carbohydrate an hour from mixes of glucose and fructose "
            f"(about {CARB_SINGLE_SUGAR_G_PER_H:g} g from a single sugar); practise it in training. "
            "It is not a cramp remedy.",
        )
    if hours >= CARB_SINGLE_SUGAR_FROM_H:
        return CarbReference(
            CARB_SINGLE_SUGAR_G_PER_H,
            f"For energy in a session this long, published guidance is up to about "
            f"{CARB_SINGLE_SUGAR_G_PER_H:g} g of carbohydrate an hour; practise it in training. "
            "It is not a cramp remedy.",
        )
    return None


def _solid_sequence(carried: Sequence[Carried]) -> list[str]:
    """Every gel or bar unit, products taken in turn (gel, bar, gel, gel)."""
    left = {c.product.name: c.units for c in carried if not c.product.is_drink}
    order = [c.product.name for c in carried if not c.product.is_drink]
    sequence: list[str] = []
    while any(left.values()):
        for name in order:
            if left[name] > 0:
                sequence.append(name)
                left[name] -= 1
    return sequence


def _spread(count: int, slots: int) -> list[int]:
    """The slot index of each of `count` units spread evenly over `slots` drinks."""
    return [min(slots - 1, math.floor((k + 0.5) * slots / count)) for k in range(count)]


def fuel_plan(plan: Plan, carried: Sequence[Carried]) -> FuelPlan:
    """Count the carried products into `plan`: totals, each drink's share, what is left to add."""
    hours = plan.session.duration_s / 3600.0
    units = plan.units
    by_name = {c.product.name: c.product for c in carried}
    schedule = plan.schedule
    n_slots = len(schedule)
    fluid_room_ml = (
        sum(d.fluid_ml[1] for d in schedule) if schedule else plan.fluid_ml_per_h[1] * hours
    )  # the most the plan asks for over the session
    drinks = [c for c in carried if c.product.is_drink]
    carried_fluid = sum(c.units * c.product.fluid_ml for c in drinks)
    share = 1.0 if carried_fluid <= fluid_room_ml else fluid_room_ml / carried_fluid
    used = [(c.product, c.units * share) for c in drinks]
    solids = [(c.product, float(c.units)) for c in carried if not c.product.is_drink]
    everything = [*used, *solids]
    total_carb = sum(n * p.carbohydrate_g for p, n in everything)
    total_sodium = sum(n * p.sodium_mg for p, n in everything)
    used_fluid = sum(n * p.fluid_ml for p, n in used)

    per_h_sodium = total_sodium / hours
    low_na, high_na = plan.sodium_mg_per_h
    per_h_fluid = used_fluid / hours
    slots: list[SlotFood] = []
    if n_slots:
        placed: list[list[str]] = [[] for _ in range(n_slots)]
        sequence = _solid_sequence(carried)
        for name, index in zip(sequence, _spread(len(sequence), n_slots), strict=True):
            placed[index].append(name)
        for drink, names in zip(schedule, placed, strict=True):
            taken = [Taken(p.name, n / n_slots, n / n_slots * p.fluid_ml) for p, n in used if n > 0]
            taken += [Taken(name, float(names.count(name)), 0.0) for name in dict.fromkeys(names)]
            carb = sum(t.units * by_name[t.name].carbohydrate_g for t in taken)
            sodium = sum(t.units * by_name[t.name].sodium_mg for t in taken)
            fluid = sum(t.fluid_ml for t in taken)
            slots.append(
                SlotFood(
                    at_min=drink.at_min,
                    taken=tuple(taken),
                    carbohydrate_g=carb,
                    sodium_mg=sodium,
                    product_fluid_ml=fluid,
                    water_ml=(max(0.0, drink.fluid_ml[0] - fluid), max(0.0, drink.fluid_ml[1] - fluid)),
                    sodium_to_add_mg=(
                        max(0.0, drink.sodium_mg[0] - sodium),
                        max(0.0, drink.sodium_mg[1] - sodium),
                    ),
                )
            )
    low_fluid, high_fluid = plan.fluid_ml_per_h
    advice: list[Advice] = []
    if share < 1.0:
        advice.append(
            Advice(
                f"You carry {format_volume(carried_fluid, units)} of drinks; this plan asks for at most "
                f"{format_volume(fluid_room_ml, units)} in all (never more than "
                f"{format_volume(plan.fluid_ml_per_h_max, units)} an hour): drink only that much of them "
                "and leave the rest.",
                FLUID_SOURCES,
            )
        )
    above_sweat = per_h_sodium > plan.sweat_sodium_loss_mg_per_h + 1e-9
    if above_sweat:
        advice.append(
            Advice(
                f"Your products give about {round(per_h_sodium)} mg of sodium an hour, more than your sweat "
                f"is expected to lose (about {round(plan.sweat_sodium_loss_mg_per_h)} mg); extra sodium is not "
                "known to prevent cramps and does not protect against drinking too much.",
                SODIUM_SOURCES,
            )
        )
    elif high_na > 0:
        left = (max(0.0, low_na - per_h_sodium), max(0.0, high_na - per_h_sodium))
        text = (
            "Your products cover the plan's sodium: add none."
            if left[1] <= 0
            else f"Your products give about {round(per_h_sodium)} mg of sodium an hour; the plan's "
            f"{round(low_na)}-{round(high_na)} mg counts them, so add only {round(left[0])}-{round(left[1])} mg "
            "an hour (weak evidence for any of it)."
        )
        advice.append(Advice(text, SODIUM_SOURCES))
    if not n_slots and carried:
        advice.append(
            Advice(
                "No drinking schedule for this session (drink to thirst): take your products when you like.",
                ("kenefick2018",),
            )
        )
    elif solids:
        advice.append(
            Advice("Gels and bars are spread evenly over the drinks, each with its water.", SPREAD_SOURCES)
        )
    return FuelPlan(
        carried=tuple(carried),
        hours=hours,
        carbohydrate_g_per_h=total_carb / hours,
        sodium_mg_per_h=per_h_sodium,
        fluid_ml_per_h=per_h_fluid,
        drink_fluid_carried_ml=carried_fluid,
        drink_fluid_used_ml=used_fluid,
        drink_share_used=share,
        sodium_to_add_mg_per_h=(max(0.0, low_na - per_h_sodium), max(0.0, high_na - per_h_sodium)),
        water_ml_per_h=(max(0.0, low_fluid - per_h_fluid), max(0.0, high_fluid - per_h_fluid)),
        sodium_above_sweat_loss=above_sweat,
        slots=tuple(slots),
        carbohydrate_reference=carbohydrate_reference(plan.session.duration_s),
        advice=tuple(advice),
    )

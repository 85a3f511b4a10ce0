"""The plan's short checklist: the few things that matter for one session, each cited.

Split from science/planning.py to keep that module readable; the numbers and rules are the
plan's (see its docstring and docs/hydration.md). Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crampwise.domain.enums import UnitSystem
from crampwise.domain.units import format_volume
from crampwise.science.fluid_ceiling import CEILING_SOURCES
from crampwise.science.sweat_model import MIN_PERSONAL_TESTS

if TYPE_CHECKING:
    from crampwise.science.planning import Plan

MAX_LOSS_PCT = 2.0  # sawka2007_acsm
LONG_EAH_H = 4.0  # hew_butler2015_eah: exercise > 4 h is a risk factor
PRE_DRINK_ML_PER_KG = (5.0, 7.0)  # sawka2007_acsm: 5-7 mL/kg at least 4 h before
STEP_ML = 50.0


@dataclass(frozen=True)
class Advice:
    """One checklist line with the sources it rests on."""

    text: str
    sources: tuple[str, ...]


def checklist(plan: Plan) -> tuple[Advice, ...]:
    """The short checklist: the few things that matter for this plan, each with its sources."""
    hours = plan.session.duration_s / 3600.0
    units = plan.units
    mass = plan.body_mass_kg
    items: list[Advice] = []
    pre = (PRE_DRINK_ML_PER_KG[0] * mass, PRE_DRINK_ML_PER_KG[1] * mass)
    items.append(
        Advice(
            f"About 4 hours before: drink {describe_volume(_rounded(pre), units)} slowly; "
            "if you pass no or dark urine, a little more about 2 hours before.",
            ("sawka2007_acsm",),
        )
    )
    if plan.drink_to_thirst:
        items.append(
            Advice(
                "This session is short, cool or easy enough that drinking to thirst is enough: no schedule needed.",
                ("kenefick2018",),
            )
        )
    items.append(
        Advice(
            f"Never drink more than {format_volume(plan.fluid_ml_per_h_max, units)} an hour; "
            "ending heavier than you started means you drank too much.",
            ("sawka2007_acsm", "hew_butler2015_eah"),
        )
    )
    items.append(_ceiling_reason(plan))
    if hours > LONG_EAH_H:
        items.append(
            Advice(
                "Over 4 hours, over-drinking (hyponatraemia) is the bigger danger: drink to thirst, within "
                "the ceiling. Nausea, headache, swollen fingers or confusion mean stop drinking and get "
                "medical help at once.",
                ("hew_butler2015_eah",),
            )
        )
    if plan.mass_loss_pct_at_high > MAX_LOSS_PCT:
        typical = (
            "at the typical sweat rate for your body mass, " if plan.sweat_rate.basis == "population" else ""
        )
        items.append(
            Advice(
                f"Even at the top of the fluid range you may lose about {plan.mass_loss_pct_at_high:.1f} % of "
                f"body mass ({typical}an estimate): drinking more than the ceiling is not the answer; "
                "a cooler time of day or a shorter session keeps it under 2 %.",
                ("sawka2007_acsm", "hew_butler2015_eah"),
            )
        )
    if any(plan.sodium_mg_per_h):
        items.append(
            Advice(
                "Sodium is a partial replacement of what your sweat loses; evidence that it prevents cramps "
                "is weak and contested, and it does not make extra drinking safe. No salt tablets in large doses.",
                ("acsm_sodium_convention", "hoffman2015_sodium", "miller2015_rethinking", "miller2022_jat"),
            )
        )
    if plan.session.rpe is None:
        items.append(
            Advice(
                "Intensity not given: planned as somewhat hard (RPE 6); give the planned RPE for a closer estimate.",
                ("crampwise_convention",),
            )
        )
    if plan.after is not None:
        items.append(plan.after)
    if plan.sweat_rate.basis == "population":
        more = max(1, MIN_PERSONAL_TESTS - plan.sweat_rate.n_tests)
        items.append(
            Advice(
                "Your sweat rate is a population estimate for your body mass, so the fluid range stays at "
                "its safe low end. "
                f"Weigh yourself before and after (after the toilet, minimal clothing) and note what you drink: "
                f"{more} more weighed session(s) and crampwise uses your own sweat rate.",
                ("baker2017", "sawka2007_acsm"),
            )
        )
    else:
        items.append(
            Advice(
                f"Weigh yourself before and after to keep your sweat model current ({plan.sweat_rate.n_tests} usable tests so far).",
                ("baker2017",),
            )
        )
    muscles = ", ".join(m.value for m in plan.targets)
    items.append(
        Advice(
            f"If a cramp starts ({muscles} most likely): ease off and stretch the muscle gently until it releases "
            f"(crampwise now {plan.targets[0].value}).",
            ("miller2022_jat",),
        )
    )
    return tuple(items)


def _ceiling_reason(plan: Plan) -> Advice:
    """One line saying which rule set the ceiling, with that rule's sources."""
    units = plan.units
    reason = plan.ceiling_reason
    sources = CEILING_SOURCES[reason]
    if reason == "measured" and plan.measured_max_l_per_h is not None:
        text = (
            f"That ceiling comes from the most you have been measured to sweat "
            f"({format_volume(plan.measured_max_l_per_h * 1000.0, units)} an hour): drinking more than "
            "you sweat risks over-drinking, whatever the estimate for this session says."
        )
    elif reason == "eah_risk":
        factors = ", ".join(plan.eah_risk_factors)
        text = (
            f"That ceiling is lowered because this session carries risk factors for over-drinking "
            f"hyponatraemia ({factors}); marathon medical advice is no more than 400-800 ml an hour, the "
            "lower end for more risk factors. Weigh yourself before and after to learn your own rate."
        )
    elif reason == "population_low_end":
        text = (
            "That ceiling is the low end of the sweat rate predicted for your body mass: an estimate "
            "from population values can be far off, and drinking more than you sweat is what causes "
            "hyponatraemia."
        )
    elif reason == "long_event_low_end":
        text = (
            "Over 4 hours the ceiling is the low end of your own predicted sweat rate: pace drops and "
            "over-drinking risk rises in long events."
        )
    elif reason == "estimate":
        text = (
            "That ceiling is your expected sweat rate in these conditions: never drink more than you sweat."
        )
    else:
        text = (
            "That ceiling is 1.5 litres an hour: drinking faster is a risk factor for hyponatraemia, "
            "not a safe limit."
        )
    return Advice(text, sources)


def _rounded(pair: Sequence[float]) -> tuple[float, float]:
    """Round both ends down to 50 ml."""
    return (math.floor(pair[0] / STEP_ML) * STEP_ML, math.floor(pair[1] / STEP_ML) * STEP_ML)


def describe_volume(fluid_ml: tuple[float, float], units: UnitSystem) -> str:
    """`150-200ml`, `up to 200ml` or `5.1-6.8oz`, in the athlete's units."""
    low, high = fluid_ml
    if high <= 0:
        return "none needed"
    if low <= 0:
        return f"up to {format_volume(high, units)}"
    if low == high:
        return format_volume(high, units)
    low_text, high_text = format_volume(low, units), format_volume(high, units)
    low_unit = re.sub(r"^[-0-9.]+", "", low_text)
    if low_unit == re.sub(r"^[-0-9.]+", "", high_text):
        low_text = low_text[: len(low_text) - len(low_unit)]
    return f"{low_text}-{high_text}"

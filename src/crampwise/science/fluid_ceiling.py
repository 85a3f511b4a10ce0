"""The fluid ceiling: the most an athlete should drink an hour in a planned session.

Over-drinking is the danger (exercise-associated hyponatraemia, EAH; hew_butler2015_eah), so
the ceiling is the lowest of the candidates below; `Ceiling.reason` names the one that set it
and `CEILING_SOURCES` its sources (docs/hydration.md has the table):

- `population_low_end`: with a population estimate, the *low* end of the predicted sweat rate
  (a population estimate can be 2-fold off; sawka2007_acsm: never drink more than is sweated);
- `estimate`: with a personal estimate, the expected sweat rate;
- `long_event_low_end`: with a personal estimate and an event over 4 h, its low end;
- `measured`: the highest sweat rate the athlete was ever measured at;
- `eah_limit`: 1.5 L/h, an EAH risk factor, not a safe limit (hew_butler2015_eah);
- `eah_risk`: with a population estimate and the EAH risk factors of hew_butler2015_eah (over
  4 h, female, low body mass: under 60 kg is a crampwise convention), the IMMDA advice "no
  more than 400-800 mL/hour" (noakes2003_immda): 800 ml/h with one factor, 400 with three,
  600 with two (a crampwise convention).

Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from crampwise.domain.enums import Sex
from crampwise.domain.records import Athlete
from crampwise.science.sweat_model import RatePrediction

EAH_MAX_L_PER_H = 1.5  # hew_butler2015_eah: drinking > 1.5 L/h is a risk factor
EAH_LONG_EVENT_S = 4 * 3600  # hew_butler2015_eah: exercise over 4 h is a risk factor
LOW_BODY_MASS_KG = 60.0  # crampwise_convention for hew_butler2015_eah's "low body weight"
IMMDA_CAP_L_PER_H = {1: 0.8, 2: 0.6, 3: 0.4}  # noakes2003_immda 400-800 mL/h; 0.6 crampwise_convention
STEP_ML = 50.0
CEILING_SOURCES = {
    "estimate": ("sawka2007_acsm", "hew_butler2015_eah"),
    "population_low_end": ("sawka2007_acsm", "hew_butler2015_eah", "baker2016"),
    "long_event_low_end": ("hew_butler2015_eah", "sawka2007_acsm"),
    "eah_limit": ("hew_butler2015_eah",),
    "measured": ("sawka2007_acsm", "hew_butler2015_eah"),
    "eah_risk": ("noakes2003_immda", "hew_butler2015_eah", "crampwise_convention"),
}


@dataclass(frozen=True)
class Ceiling:
    """The fluid ceiling in ml/h and which rule set it (a key of CEILING_SOURCES)."""

    ml_per_h: float
    reason: str

    @property
    def sources(self) -> tuple[str, ...]:
        return CEILING_SOURCES[self.reason]


def eah_risk_factors(athlete: Athlete, duration_s: float) -> tuple[str, ...]:
    """The EAH risk factors of hew_butler2015_eah that this athlete and session carry, in words.

    Event over 4 h; female sex ("may be explained by lower body weight"); low body mass, for
    which the consensus gives no number (under 60 kg is a crampwise convention).
    """
    found = []
    if duration_s > EAH_LONG_EVENT_S:
        found.append("over 4 hours")
    if athlete.sex is Sex.FEMALE:
        found.append("female")
    if athlete.body_mass_kg is not None and athlete.body_mass_kg < LOW_BODY_MASS_KG:
        found.append(f"under {LOW_BODY_MASS_KG:g} kg")
    return tuple(found)


def fluid_ceiling(
    rate: RatePrediction, duration_s: float, measured_max_l: float | None, risk_factors: Sequence[str]
) -> Ceiling:
    """The most this athlete should drink an hour in this session, and the rule that sets it.

    The lowest of the candidates in the module docstring; on a tie the earlier (more specific)
    reason is kept, so a measured cap is named as such.
    """
    candidates: list[tuple[float, str]] = []
    if measured_max_l is not None:
        candidates.append((measured_max_l, "measured"))
    if rate.basis == "population":
        candidates.append((rate.low_l_per_h, "population_low_end"))
        if risk_factors:
            candidates.append((IMMDA_CAP_L_PER_H[min(len(risk_factors), 3)], "eah_risk"))
    else:
        candidates.append((rate.estimate_l_per_h, "estimate"))
        if duration_s > EAH_LONG_EVENT_S:
            candidates.append((rate.low_l_per_h, "long_event_low_end"))
    candidates.append((EAH_MAX_L_PER_H, "eah_limit"))
    value, reason = min(candidates, key=lambda c: c[0])
    return Ceiling(math.floor(value * 1000.0 / STEP_ML + 1e-9) * STEP_ML, reason)

"""Sweat tests: every session weighed before and after is a field measure of sweat rate.

Whole-body sweat rate (baker2017, Table 3; sawka2007_acsm):

    sweat_rate_l_per_h = (pre_mass_kg - post_mass_kg + fluid_l - urine_l) / hours

with 1 kg of body mass = 1 L of sweat and unknown urine counted as none. Mass loss % is
(pre - post) / pre x 100. Each test carries quality flags (baker2017's field-test quality
control): what was not measured, a session too short for the scale's resolution, and the
impossible results (a rate above 5 L/h, beyond the highest rate of 506 athletes in baker2016,
5.73 L/h, only by a hair; or a mass gain not explained by drinking). Impossible tests are shown
with their flags and kept out of the personal model; nothing here raises on odd numbers.

A session finished heavier than it started by at least 0.2 kg (less is within a bathroom
scale's noise; a crampwise convention), with the gain covered by what was drunk, is a real
result and a warning: weight gain during exercise is the hallmark of over-drinking, the main
cause of exercise-associated hyponatraemia (hew_butler2015_eah). It is flagged `mass_gain`,
kept in the model, and `crampwise check` raises it (science/triage.py), as it does a gain with
no or too little fluid recorded (left out of the model, but still a possible over-drinking).

After a weighed session that ended lighter by 0.2 kg or more, `rehydration_ml` is the drink
that replaces it: 1.25-1.5 L per kg *measured* lost (sawka2007_acsm gives ~1.5 L/kg; 1.25 as
the lower end is a crampwise convention), never more. It is the only litre figure crampwise
gives for after a session: a predicted loss is never turned into litres (science/planning.py).

Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from crampwise.domain.enums import Sport
from crampwise.domain.records import Session

MAX_PLAUSIBLE_RATE_L_PER_H = 5.0  # baker2016: range 0.26-5.73 L/h over 506 athletes
MIN_RELIABLE_DURATION_S = 30 * 60  # crampwise_convention: a 0.1 kg scale step is 0.2 L/h at 30 min
SCALE_NOISE_KG = 0.2  # crampwise_convention: a bathroom scale's noise between two weighings
REHYDRATION_L_PER_KG = (1.25, 1.5)  # sawka2007_acsm ~1.5 L/kg; 1.25 crampwise_convention
REHYDRATION_STEP_ML = 50.0
HR_RPE_SLOPE = 20.0  # crampwise_convention: 50 % HRmax ~ RPE 1, 95 % HRmax ~ RPE 10 (CR-10)
HR_RPE_OFFSET = 0.45

TEST_SOURCES = ("baker2017", "sawka2007_acsm", "baker2016", "hew_butler2015_eah", "crampwise_convention")


class Flag(StrEnum):
    """Quality flags of one sweat test; the last three make it impossible."""

    URINE_UNKNOWN = "urine_unknown"
    FLUID_UNKNOWN = "fluid_unknown"
    VERY_SHORT = "very_short"
    MASS_GAIN = "mass_gain"
    IMPLAUSIBLE_RATE = "implausible_rate"
    MASS_GAIN_NO_FLUID = "mass_gain_without_fluid"
    NEGATIVE_RATE = "negative_rate"


IMPOSSIBLE = frozenset({Flag.IMPLAUSIBLE_RATE, Flag.MASS_GAIN_NO_FLUID, Flag.NEGATIVE_RATE})

FLAG_TEXT = {
    Flag.URINE_UNKNOWN: "urine not recorded: counted as none (rate may read low)",
    Flag.FLUID_UNKNOWN: "fluid not recorded: counted as none (rate may read low)",
    Flag.VERY_SHORT: "under 30 minutes: scale error weighs heavily",
    Flag.MASS_GAIN: "heavier after than before: drank more than sweated (over-drinking risks hyponatraemia)",
    Flag.IMPLAUSIBLE_RATE: "above 5 L/h: check the weighings; left out of the model",
    Flag.MASS_GAIN_NO_FLUID: (
        "heavier after with no fluid recorded: left out of the model; if the weighing is right, "
        "you drank more than you sweated"
    ),
    Flag.NEGATIVE_RATE: (
        "more mass gained than fluid recorded: left out of the model; if the weighing is right, "
        "drinking went under-recorded and exceeded sweat"
    ),
}


@dataclass(frozen=True)
class SweatTest:
    """One session's sweat test with the inputs kept beside the result."""

    session_id: str | None
    start: datetime
    sport: Sport
    duration_s: float
    temperature_c: float | None
    rpe: float | None
    intensity_rpe: float | None
    """RPE, or an RPE equivalent from heart rate when RPE is unknown (see `intensity_rpe`)."""
    pre_mass_kg: float
    post_mass_kg: float
    fluid_ml: float | None
    urine_ml: float | None
    sweat_loss_l: float
    sweat_rate_l_per_h: float
    mass_loss_pct: float
    flags: tuple[Flag, ...]

    @property
    def mass_change_kg(self) -> float:
        """post - pre: positive is a gain."""
        return self.post_mass_kg - self.pre_mass_kg

    @property
    def gained(self) -> bool:
        """Finished at least `SCALE_NOISE_KG` heavier than begun (whatever fluid was recorded)."""
        return self.mass_change_kg >= SCALE_NOISE_KG - 1e-9

    @property
    def rehydration_ml(self) -> tuple[float, float] | None:
        """1.25-1.5 L per kg measured lost (rounded down to 50 ml), or None below scale noise."""
        lost_kg = self.pre_mass_kg - self.post_mass_kg
        if lost_kg < SCALE_NOISE_KG - 1e-9:
            return None
        low, high = REHYDRATION_L_PER_KG
        step = REHYDRATION_STEP_ML
        return (
            math.floor(low * lost_kg * 1000.0 / step + 1e-9) * step,
            math.floor(high * lost_kg * 1000.0 / step + 1e-9) * step,
        )

    @property
    def usable(self) -> bool:
        """False when a flag makes the result impossible: such tests stay out of the model."""
        return not IMPOSSIBLE.intersection(self.flags)

    def as_json(self) -> dict[str, object]:
        """The contract's fields (`sweat --json`) plus the inputs and flags."""
        return {
            "session_id": self.session_id,
            "start": self.start.isoformat(),
            "sport": self.sport.value,
            "duration_s": self.duration_s,
            "sweat_rate_l_per_h": round(self.sweat_rate_l_per_h, 3),
            "sweat_loss_l": round(self.sweat_loss_l, 3),
            "mass_loss_pct": round(self.mass_loss_pct, 2),
            "temperature_c": self.temperature_c,
            "rpe": self.rpe,
            "intensity_rpe": None if self.intensity_rpe is None else round(self.intensity_rpe, 1),
            "pre_mass_kg": self.pre_mass_kg,
            "post_mass_kg": self.post_mass_kg,
            "fluid_ml": self.fluid_ml,
            "urine_ml": self.urine_ml,
            "flags": [f.value for f in self.flags],
            "usable": self.usable,
            "rehydration_ml": None if self.rehydration_ml is None else list(self.rehydration_ml),
        }


def sweat_rate_l_per_h(
    *,
    pre_mass_kg: float,
    post_mass_kg: float,
    fluid_ml: float | None,
    urine_ml: float | None,
    duration_s: float,
) -> float:
    """(pre - post + fluid - urine) / hours, 1 kg = 1 L, unknown fluid or urine = 0 (baker2017)."""
    loss_l = pre_mass_kg - post_mass_kg + (fluid_ml or 0.0) / 1000.0 - (urine_ml or 0.0) / 1000.0
    return loss_l / (duration_s / 3600.0)


def mass_loss_pct(pre_mass_kg: float, post_mass_kg: float) -> float:
    """Body-mass change as a % of the pre mass; positive is a loss (sawka2007_acsm)."""
    return (pre_mass_kg - post_mass_kg) / pre_mass_kg * 100.0


def intensity_rpe(rpe: float | None, avg_hr: float | None, max_hr: float | None) -> float | None:
    """CR-10 RPE, or without it an RPE equivalent of the heart-rate fraction (a convention).

    (avg_hr / max_hr - 0.45) x 20, clipped to 0-10: 50 % of max HR reads as 1, 95 % as 10. It puts
    both intensity measures on one axis for the sweat model; it is not a validated conversion.
    """
    if rpe is not None:
        return float(rpe)
    if avg_hr is None or not max_hr:
        return None
    return min(10.0, max(0.0, (avg_hr / max_hr - HR_RPE_OFFSET) * HR_RPE_SLOPE))


def sweat_test(session: Session, *, athlete_max_hr: float | None = None) -> SweatTest | None:
    """The sweat test of a session weighed before and after, or None when it was not.

    `athlete_max_hr` turns the session's average heart rate into an intensity when RPE is
    unknown (a session's own peak HR is not the athlete's maximum, so it is not used).
    """
    if session.pre_mass_kg is None or session.post_mass_kg is None or session.duration_s <= 0:
        return None
    pre, post = float(session.pre_mass_kg), float(session.post_mass_kg)
    hours = session.duration_s / 3600.0
    rate = sweat_rate_l_per_h(
        pre_mass_kg=pre,
        post_mass_kg=post,
        fluid_ml=session.fluid_ml,
        urine_ml=session.urine_ml,
        duration_s=session.duration_s,
    )
    flags: list[Flag] = []
    if session.urine_ml is None:
        flags.append(Flag.URINE_UNKNOWN)
    if session.fluid_ml is None:
        flags.append(Flag.FLUID_UNKNOWN)
    if session.duration_s < MIN_RELIABLE_DURATION_S:
        flags.append(Flag.VERY_SHORT)
    if not math.isfinite(rate) or rate > MAX_PLAUSIBLE_RATE_L_PER_H:
        flags.append(Flag.IMPLAUSIBLE_RATE)
    if post > pre and not session.fluid_ml:
        flags.append(Flag.MASS_GAIN_NO_FLUID)
    elif rate < 0:
        flags.append(Flag.NEGATIVE_RATE)
    elif post - pre >= SCALE_NOISE_KG - 1e-9:
        flags.append(Flag.MASS_GAIN)  # drank more than sweated (hew_butler2015_eah)
    return SweatTest(
        session_id=session.id,
        start=session.start,
        sport=session.sport,
        duration_s=float(session.duration_s),
        temperature_c=session.temperature_c,
        rpe=session.rpe,
        intensity_rpe=intensity_rpe(session.rpe, session.avg_hr, athlete_max_hr),
        pre_mass_kg=pre,
        post_mass_kg=post,
        fluid_ml=session.fluid_ml,
        urine_ml=session.urine_ml,
        sweat_loss_l=rate * hours,
        sweat_rate_l_per_h=rate,
        mass_loss_pct=mass_loss_pct(pre, post),
        flags=tuple(flags),
    )


def sweat_tests(sessions: Iterable[Session], *, athlete_max_hr: float | None = None) -> list[SweatTest]:
    """Every sweat test in these sessions, oldest first."""
    tests = [sweat_test(s, athlete_max_hr=athlete_max_hr) for s in sessions]
    return sorted((t for t in tests if t is not None), key=lambda t: t.start)

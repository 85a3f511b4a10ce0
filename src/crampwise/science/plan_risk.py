"""The plan's cramp-risk statement: a probability only when the athlete's record can carry one.

With fewer than 10 logged cramps a personal model says more about its priors than about the
athlete (EVIDENCE.md 5.7: under 10 events only very large effects can show; van_smeden2016 on
small samples), so the plan shows no probability and says why. Where prospective cohorts of the
same kind of event report how many cramped, it shows that population band instead, with its
source; the level then follows the band's low end (the risk model's cut-offs, 10 % and 25 %,
crampwise conventions). A 6-hour ultra is therefore never "low" for an athlete with no history.

Bands (race cohorts; a training session of the same length is usually easier, and the text
says so):

- run of 5 h or more: 161-km ultramarathon, 14.3 % cramped and 26.8 % more nearly cramped, so
  14-41 % (hoffman2015_ultra);
- run of 3-5 h: marathon, 24 % cramped (martinez_navarro2022);
- triathlon of 8 h or more: Ironman, 43 of 209 triathletes, 21 % (schwellnus2011).

The event lengths that pick a band are crampwise conventions. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crampwise.domain.enums import Sport

MIN_LOGGED_CRAMPS = 10  # EVIDENCE.md 5.7 [derived]; below this no personal probability is shown
LOW_BELOW = 0.10  # the risk model's level cut-offs (crampwise_convention)
HIGH_FROM = 0.25
WITHHELD_SOURCES = ("van_smeden2016", "crampwise_convention")


@dataclass(frozen=True)
class PopulationBand:
    """Share of athletes who cramped in a cohort of one kind of event (fractions 0-1)."""

    low: float
    high: float
    event: str
    what: str
    sources: tuple[str, ...]

    @property
    def level(self) -> str:
        """low | elevated | high, from the band's low end."""
        if self.low < LOW_BELOW:
            return "low"
        return "elevated" if self.low < HIGH_FROM else "high"

    def as_json(self) -> dict[str, Any]:
        return {
            "range": [self.low, self.high],
            "event": self.event,
            "what": self.what,
            "sources": list(self.sources),
        }

    def sentence(self) -> str:
        share = (
            f"{self.low * 100:.0f} %"
            if self.low == self.high
            else f"{self.low * 100:.0f}-{self.high * 100:.0f} %"
        )
        return f"In a cohort of {self.event}, {share} {self.what}; a training session is usually easier than a race."


_ULTRA = PopulationBand(
    0.14,
    0.41,
    "161-km ultramarathon runners",
    "cramped (14 %) or nearly cramped",
    ("hoffman2015_ultra",),
)
_MARATHON = PopulationBand(
    0.24, 0.24, "marathon runners", "cramped during the race", ("martinez_navarro2022",)
)
_IRONMAN = PopulationBand(
    0.21, 0.21, "Ironman triathletes", "cramped during or just after the race", ("schwellnus2011",)
)


def population_band(sport: Sport, duration_s: float) -> PopulationBand | None:
    """The cohort band for this kind of event, or None when no cohort matches."""
    hours = duration_s / 3600.0
    if sport is Sport.RUN and hours >= 5:
        return _ULTRA
    if sport is Sport.RUN and hours >= 3:
        return _MARATHON
    if sport is Sport.TRIATHLON and hours >= 8:
        return _IRONMAN
    return None


def plan_risk(
    model_risk: Mapping[str, Any], *, n_logged_cramps: int, sport: Sport, duration_s: float
) -> dict[str, Any]:
    """The `risk` object of the plan: the model's with enough cramps, else withheld (and why).

    `model_risk` is the trigger model's document (level, probability, drivers, basis, sources).
    Withheld: `probability` is null, `level` the population band's (null without a band),
    `basis` "population_band" or "not_enough_data", and `why` says so in words.
    """
    if n_logged_cramps >= MIN_LOGGED_CRAMPS:
        return {**model_risk, "n_logged_cramps": n_logged_cramps}
    band = population_band(sport, duration_s)
    why = (
        f"{n_logged_cramps} cramp{'s' if n_logged_cramps != 1 else ''} logged: fewer than "
        f"{MIN_LOGGED_CRAMPS} is too few to estimate your own chance of a cramp, so no probability is shown."
    )
    sources = list(dict.fromkeys([*WITHHELD_SOURCES, *(band.sources if band else ())]))
    if band is not None:
        why += " " + band.sentence()
    else:
        why += " No published cohort matches this kind of session."
    return {
        "level": band.level if band is not None else None,
        "probability": None,
        "drivers": list(model_risk.get("drivers") or []),
        "basis": "population_band" if band is not None else "not_enough_data",
        "n_logged_cramps": n_logged_cramps,
        "population_band": band.as_json() if band is not None else None,
        "why": why,
        "sources": sources,
    }

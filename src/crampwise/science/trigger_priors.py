"""The trigger factors as data: each factor's evidence family and prior, fixed before any data.

The trigger model (science/trigger_model.py) gives every factor the default prior of
`gelman2008` for logistic regression: Cauchy(0, 2.5) on its log odds ratio, centred on an odds
ratio of 1, with heavy tails, so that a strong effect is left almost alone while the estimate
stays finite when every exposed session cramped. The literature enters in two places, chosen
from EVIDENCE.md section 1.4 before seeing any athlete's data:

- the **family**. `primary` factors have prospective cohort support (longer and harder than
  usual: `schwellnus2011`, `schwellnus2011_ultra`, `martinez_navarro2022`); `secondary` ones
  are contested (dehydration and sodium: null in cohorts, `maughan2019`, `hoffman2015_ultra`,
  against `johnson2024_kona`) or rest on rationale and conventions only. A secondary factor
  needs stronger evidence in the athlete's own record before it is called a likely trigger
  (the thresholds in trigger_model.py): the sceptical treatment, applied to the decision;
- nothing else. Priors centred above 1 for the primary factors and narrow (sceptical) priors
  for the contested ones were measured and dropped (docs/science-triggers.md): at the same
  false-positive guard they found no more triggers, and a prior that pulls dehydration's
  effect in pushes it onto the factor most correlated with it (long sessions), a false
  trigger. The same holds, less, for narrower Cauchy scales (Cauchy(0, 1) was measured too).

A factor added later (an athlete's own, CONTRACTS.md section 3) takes `DEFAULT_PRIOR`'s
family and prior under its own name: `prior_of(name, level)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final, Literal

Family = Literal["primary", "secondary"]
Level = Literal["session", "day"]


@dataclass(frozen=True)
class FactorPrior:
    """How the trigger model treats one factor (log odds ratio ~ Student-t(df, centre, scale))."""

    name: str
    family: Family
    centre_log_or: float = 0.0
    scale_log_or: float = 2.5  # gelman2008's default scale for a 0/1 input
    df: float = 1.0  # 1 = Cauchy


PRIOR_SOURCES: Final = ("gelman2008", "schwellnus2011", "schwellnus2011_ultra", "maughan2019")
DEFAULT_PRIOR: Final = FactorPrior(name="", family="secondary")
INTERCEPT_BASE_RATE: Final = 0.05  # crampwise_convention: a wide prior around 1 session in 20 ...
INTERCEPT_SD: Final = 1.0  # ... quickly overridden by the athlete's own sessions (normal prior)
BLOCK_SD: Final = 2.0  # day model: each 28-day block's deviation from the athlete's base rate

_PRIMARY: Final = frozenset({"long_session", "hard_session", "trained_long", "trained_hard"})

SESSION_PRIORS: Final = tuple(
    FactorPrior(name=name, family="primary" if name in _PRIMARY else "secondary")
    for name in (
        "long_session",
        "hard_session",
        "heat",
        "dehydration",
        "low_sodium",
        "no_warmup",
        "high_load",
        "short_sleep",
    )
)
DAY_PRIORS: Final = tuple(
    FactorPrior(name=name, family="primary" if name in _PRIMARY else "secondary")
    for name in ("trained_long", "trained_hard", "high_load", "short_sleep", "dehydration")
)
PRIORS: Final[Mapping[tuple[Level, str], FactorPrior]] = {
    **{("session", p.name): p for p in SESSION_PRIORS},
    **{("day", p.name): p for p in DAY_PRIORS},
}


def prior_of(name: str, level: Level) -> FactorPrior:
    """The prior of a factor; one crampwise does not know (an athlete's own) gets the default."""
    found = PRIORS.get((level, name))
    return found if found is not None else replace(DEFAULT_PRIOR, name=name)

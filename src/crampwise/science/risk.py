"""Probability of a cramp in a planned session, with the factors that raise it.

The risk comes from **the same fitted model as `insights`** (science/session_model.py): the
posterior of the athlete's own trigger model, so the plan and the insights never tell the
athlete different things. For the planned session:

- `long_session`, `high_load` (the planned load added to the calendar) and `short_sleep` come
  from the history; `hard_session` and `heat` from the planned RPE and temperature; the
  athlete's own day factors and the wellness ones from the planned day where it is logged
  (science/own_factors.py);
- what a plan cannot know (a weighing, sodium, warm-up, an RPE not given, an own session
  factor such as new shoes) is averaged over the
  exposure model: a planned three-hour run in the heat has a high chance of a 2 % mass loss,
  a 40-minute easy run almost none (science/exposure_chance.py);
- the probability is averaged over the posterior of the coefficients (the probit
  approximation of the logistic-normal integral, MacKay 1992), so an athlete with few cramps
  gets a probability near their own base rate rather than an overconfident one;
- **drivers** are the factors of the planned session that `insights` calls a likely or possible
  trigger (exposed, or expected to be for an unknown one), largest odds ratio first.

Levels (`crampwise_convention`): `low` below 10 %, `elevated` below 25 %, `high` from 25 %;
calibration on simulated athletes is in docs/science-triggers.md. Below 10 session cramps the
basis is "population": the priors (science/trigger_priors.py) still weigh as much as the
athlete's own record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from crampwise.domain.history import History
from crampwise.domain.records import Session
from crampwise.science.exposures import DEFAULT_THRESHOLDS, ExposureThresholds, exposures_of
from crampwise.science.load import LoadCalendar
from crampwise.science.own_factors import extra_exposures, with_extra_planned
from crampwise.science.session_model import SessionModel
from crampwise.science.trigger_model import MODEL_SOURCES
from crampwise.science.trigger_priors import PRIOR_SOURCES

RiskLevel = Literal["low", "elevated", "high"]
LOW_BELOW: Final = 0.10
HIGH_FROM: Final = 0.25
PERSONAL_FROM_CRAMPS: Final = 10  # below this the priors weigh as much as the record: "population"
RISK_SOURCES: Final = tuple(dict.fromkeys((*PRIOR_SOURCES, *MODEL_SOURCES, "johnson2024_kona")))

RiskModel = SessionModel  # the one model (kept under this name for callers that score many sessions)


@dataclass(frozen=True)
class SessionRisk:
    level: RiskLevel
    probability: float
    drivers: tuple[str, ...]
    basis: Literal["personal", "population"]
    n_session_cramps: int
    sources: tuple[str, ...] = RISK_SOURCES

    def to_json(self) -> dict[str, object]:
        """The `risk` object of `crampwise plan --json` (CONTRACTS.md section 5)."""
        return {"level": self.level, "probability": round(self.probability, 3), "drivers": list(self.drivers)}


def level_of(probability: float) -> RiskLevel:
    if probability < LOW_BELOW:
        return "low"
    return "elevated" if probability < HIGH_FROM else "high"


def past_of(history: History, now: datetime) -> History:
    """The records that may inform a risk model at `now`: sessions and cramps before it."""
    return History(
        athlete=history.athlete,
        sessions=tuple(s for s in history.sessions if s.start < now),
        cramps=tuple(c for c in history.cramps if c.at < now),
        days=history.days,
        medications=history.medications,
    )


def session_risk(
    history: History,
    planned: Session,
    now: datetime,
    *,
    model: SessionModel | None = None,
    thresholds: ExposureThresholds = DEFAULT_THRESHOLDS,
) -> SessionRisk:
    """The cramp risk of `planned` (a Session with at least start, sport and duration_s).

    Only records before `now` inform the model; pass a `SessionModel.fit(history)` as `model`
    to score many sessions.
    """
    past = past_of(history, now)
    fitted = model if model is not None else SessionModel.fit(past, thresholds)
    calendar = LoadCalendar((*past.sessions, planned), past.athlete.zone)
    extra = fitted.extra if fitted.extra is not None else extra_exposures(past)
    exposure = with_extra_planned(
        exposures_of(planned, past.sessions, history=past, calendar=calendar, thresholds=thresholds), extra
    )
    probability = fitted.probability(exposure)
    return SessionRisk(
        level=level_of(probability),
        probability=probability,
        drivers=fitted.drivers(exposure),
        basis="personal" if fitted.n_session_cramps >= PERSONAL_FROM_CRAMPS else "population",
        n_session_cramps=fitted.n_session_cramps,
    )

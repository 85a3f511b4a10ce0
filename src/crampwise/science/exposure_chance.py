"""The chance that an unknown exposure was "yes": the exposure model of the trigger analysis.

A session without a weighing has no `dehydration` value, but it is not a blank either: a
three-hour run in the heat drinking little almost surely lost 2 % of body mass, a 40-minute
easy run in winter almost surely did not. The trigger model (science/bayes_logistic.py)
averages each unknown exposure over "yes" and "no" with the chance given here, fitted on the
sessions where the exposure is known (missing at random given what is logged):

- `dehydration`: a normal linear model of the athlete's own mass loss *per hour* on
  temperature, RPE, litres drunk per hour and sport (sweat minus drink: sweat rate rises with
  heat and intensity, `gonzalez2009`, as in the personal sweat model of science/sweat_model.py),
  so that both the loss and its uncertainty grow with the hours; the chance is the predictive
  probability that the session's loss reached the threshold. With fewer than
  `MIN_WEIGHED` weighed sessions, the share below.
- `heat`: the share of hot sessions among the known ones within `SEASON_DAYS` (the season).
- every other factor: the share exposed among the known sessions of the same sport (or all
  sessions when that sport has too few), shrunk toward one half by half a session either way;
  for `low_sodium`, only among sessions long enough to be exposed (an hour or more), the only
  ones where it can be unknown.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from crampwise.domain.enums import Sport
from crampwise.domain.records import Session
from crampwise.science.bayes_logistic import FloatArray, normal_cdf
from crampwise.science.exposures import ExposureThresholds, SessionExposures

MIN_WEIGHED: Final = 20  # weighed sessions needed to model the unweighed ones' mass loss
SEASON_DAYS: Final = 30  # heat: known sessions this close in time tell the season
MIN_SAME_SPORT: Final = 10  # known sessions of the sport before its own share is used
SOURCES: Final = ("gonzalez2009",)


def _share(exposed: int, known: int) -> float:
    """Share exposed, shrunk toward one half (Jeffreys: half a session either way)."""
    return (exposed + 0.5) / (known + 1.0)


@dataclass(frozen=True)
class LossModel:
    """Mass-loss fraction per hour ~ Normal(z . beta, sigma^2), fitted on the weighed sessions."""

    beta: FloatArray
    xtx_inv: FloatArray
    sigma: float
    main_sport: Sport
    fluid_l_per_h: float  # median drinking rate, for sessions without a fluid entry
    temperature_c: float  # medians, for sessions without them
    rpe: float

    def features(self, session: Session) -> FloatArray:
        hours = session.duration_s / 3600.0
        temperature = self.temperature_c if session.temperature_c is None else session.temperature_c
        rpe = self.rpe if session.rpe is None else session.rpe
        fluid_l_per_h = self.fluid_l_per_h if session.fluid_ml is None else session.fluid_ml / 1000.0 / hours
        other = 0.0 if session.sport == self.main_sport else 1.0
        return np.array([1.0, temperature, rpe, fluid_l_per_h, other])

    def chance(self, session: Session, threshold: float) -> float:
        """Predictive probability that the session lost `threshold` of body mass or more."""
        hours = session.duration_s / 3600.0
        z = self.features(session)
        mean = hours * float(z @ self.beta)
        spread = hours * self.sigma * math.sqrt(1.0 + float(z @ self.xtx_inv @ z))
        return normal_cdf((mean - threshold) / spread)

    @classmethod
    def fit(cls, sessions: Sequence[Session]) -> LossModel | None:
        weighed = [s for s in sessions if s.pre_mass_kg is not None and s.post_mass_kg is not None]
        if len(weighed) < MIN_WEIGHED:
            return None
        rates = [s.fluid_ml / 1000.0 / (s.duration_s / 3600.0) for s in sessions if s.fluid_ml is not None]
        temperatures = [s.temperature_c for s in sessions if s.temperature_c is not None]
        rpes = [s.rpe for s in sessions if s.rpe is not None]
        draft = cls(
            beta=np.zeros(5),
            xtx_inv=np.zeros((5, 5)),
            sigma=1.0,
            main_sport=statistics.mode(s.sport for s in sessions),
            fluid_l_per_h=statistics.median(rates) if rates else 0.0,
            temperature_c=statistics.median(temperatures) if temperatures else 15.0,
            rpe=statistics.median(rpes) if rpes else 5.0,
        )
        z = np.array([draft.features(s) for s in weighed])
        loss = np.array(
            [(s.pre_mass_kg - s.post_mass_kg) / s.pre_mass_kg / (s.duration_s / 3600.0) for s in weighed]  # type: ignore[operator]
        )
        keep = _independent(z)
        if len(weighed) - len(keep) < MIN_WEIGHED // 2:
            return None
        zk = z[:, keep]
        xtx_inv = np.linalg.inv(zk.T @ zk)
        beta_k = xtx_inv @ zk.T @ loss
        residual = loss - zk @ beta_k
        sigma = math.sqrt(float(residual @ residual) / (len(weighed) - len(keep)))
        beta = np.zeros(5)
        beta[keep] = beta_k
        full_inv = np.zeros((5, 5))
        full_inv[np.ix_(keep, keep)] = xtx_inv
        return cls(
            beta=beta,
            xtx_inv=full_inv,
            sigma=max(sigma, 1e-4),
            main_sport=draft.main_sport,
            fluid_l_per_h=draft.fluid_l_per_h,
            temperature_c=draft.temperature_c,
            rpe=draft.rpe,
        )


def _independent(z: FloatArray, tol: float = 1e-8) -> list[int]:
    """Columns that each add rank to those before them."""
    kept: list[int] = []
    for j in range(z.shape[1]):
        trial = z[:, [*kept, j]]
        if np.linalg.matrix_rank(trial, tol=tol * max(1.0, float(np.abs(trial).max()))) == len(kept) + 1:
            kept.append(j)
    return kept


@dataclass(frozen=True)
class ExposureChances:
    """Everything needed to guess an unknown exposure of a past or planned session."""

    factors: tuple[str, ...]
    overall: Mapping[str, float]
    by_sport: Mapping[tuple[str, Sport], float]
    heat_days: tuple[int, ...]  # ordinal days of the sessions with a temperature, sorted
    heat_running: tuple[int, ...]  # hot sessions among the first k of them (k = 0 .. len)
    loss: LossModel | None
    thresholds: ExposureThresholds

    @classmethod
    def fit(
        cls, rows: Sequence[SessionExposures], factors: Sequence[str], thresholds: ExposureThresholds
    ) -> ExposureChances:
        overall: dict[str, float] = {}
        by_sport: dict[tuple[str, Sport], float] = {}
        for factor in factors:
            known = [r for r in rows if r.values.get(factor) is not None]
            if factor == "low_sodium":
                known = [r for r in known if r.session.duration_s >= thresholds.low_sodium_min_s]
            overall[factor] = _share(sum(1 for r in known if r.values[factor]), len(known))
            for sport in {r.session.sport for r in known}:
                same = [r for r in known if r.session.sport == sport]
                if len(same) >= MIN_SAME_SPORT:
                    by_sport[(factor, sport)] = _share(sum(1 for r in same if r.values[factor]), len(same))
        heat = sorted(
            (r.day.toordinal(), bool(r.values["heat"]))
            for r in rows
            if "heat" in factors and r.values.get("heat") is not None
        )
        running = [0]
        for _, hot in heat:
            running.append(running[-1] + int(hot))
        return cls(
            factors=tuple(factors),
            overall=overall,
            by_sport=by_sport,
            heat_days=tuple(day for day, _ in heat),
            heat_running=tuple(running),
            loss=LossModel.fit([r.session for r in rows]) if "dehydration" in factors else None,
            thresholds=thresholds,
        )

    def chance(self, factor: str, item: SessionExposures) -> float:
        """The chance that `factor` was (or will be) "yes" in this session, if unknown."""
        if factor == "dehydration" and self.loss is not None:
            return self.loss.chance(item.session, self.thresholds.dehydration_fraction)
        if factor == "heat" and self.heat_days:
            day = item.day.toordinal()
            low = bisect.bisect_left(self.heat_days, day - SEASON_DAYS)
            high = bisect.bisect_right(self.heat_days, day + SEASON_DAYS)
            if high > low:
                return _share(self.heat_running[high] - self.heat_running[low], high - low)
        return self.by_sport.get((factor, item.session.sport), self.overall.get(factor, 0.5))

    def matrix(self, rows: Sequence[SessionExposures]) -> FloatArray:
        """(sessions, factors): the chance of "yes" where unknown, else the known value."""
        out = np.zeros((len(rows), len(self.factors)))
        for i, item in enumerate(rows):
            for j, factor in enumerate(self.factors):
                value = item.values.get(factor)
                out[i, j] = self.chance(factor, item) if value is None else float(value)
        return out

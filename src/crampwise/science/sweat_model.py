"""The athlete's personal sweat model: own tests, shrunk toward population values.

Why this shape: whole-body sweat rate varies about 20-fold between athletes (baker2016:
1.21 +/- 0.68 L/h, 0.26-5.73) and rises with heat and with metabolic rate (the required
evaporation of gonzalez2009); there is no validated simple scaling (EVIDENCE.md section 3.3), so
crampwise follows baker2017's advice to test repeatedly in varied conditions and fits each
athlete's own

    log(rate) = b0 + bT x (temperature_c - 22) + bI x (rpe - 6) + noise

as a Bayesian linear regression with a conjugate normal-inverse-gamma prior. The prior's
intercept is the population as a log-normal with the published mean and SD. It scales with body
mass when the athlete's is known: baker2016 gives the relative rate, 15.3 +/- 6.8 mL/kg/h over
506 athletes, so a 50 kg runner's prior is 0.77 L/h where a 70 kg one's is 1.07 L/h (before the
sport factor). The sport factor is barnes2019's sport mean over baker2016's all-sport mean
(endurance 1.28 / 1.21, team sports 0.95 / 1.21), a crampwise convention joining the two data
sets. Without a body mass the published absolute rates are used (sport-specific where
barnes2019 gives them). No retrieved source gives sex-specific sweat rates, so sex does not
enter the prior (female sex enters the plan's fluid ceiling as an EAH risk factor instead,
science/planning.py). The slopes' prior means (+2.5 % per degree C, +8 % per RPE point)
and every spread below are crampwise conventions in the direction gonzalez2009 gives, kept
wide so that the athlete's data dominate after a handful of tests.

Below `MIN_PERSONAL_TESTS` usable tests the prediction is the population prior alone
(`basis = population`, a wide range); from there on the posterior (`basis = personal`). Ranges
are the central 80 % of the posterior predictive (Student t on the log scale), which includes
day-to-day variation, not only uncertainty in the mean.

Pure numpy/scipy: no I/O, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crampwise.domain.enums import Sport
from crampwise.science.hydration import SweatTest

T_REF_C = 22.0  # crampwise_convention: typical conditions of the normative data sets
RPE_REF = 6.0  # crampwise_convention: "somewhat hard", typical of training sweat tests
MIN_PERSONAL_TESTS = 3  # crampwise_convention
PREDICTIVE_COVERAGE = 0.80  # the range is the central 80 % of the predictive distribution

TEMP_SLOPE_PRIOR = (0.025, 0.02)  # log-rate per degree C: mean, SD (crampwise_convention, gonzalez2009)
RPE_SLOPE_PRIOR = (0.08, 0.05)  # log-rate per RPE point: mean, SD (crampwise_convention, gonzalez2009)
WITHIN_SD_PRIOR = 0.15  # day-to-day SD of one athlete's log rate (crampwise_convention)
WITHIN_SD_PRIOR_WEIGHT = 3.0  # inverse-gamma shape a0: worth ~6 tests (crampwise_convention)

SWEAT_SODIUM_POPULATION = (35.9, 10.4, 18.2, 70.8)  # mmol/L: mean, SD, min, max (baker2016)
RELATIVE_RATE_ML_PER_KG_H = (15.3, 6.8)  # mean, SD over 506 athletes (baker2016)
ALL_SPORTS_MEAN_L_PER_H = 1.21  # baker2016: the all-sport mean the sport factors divide by

MODEL_SOURCES = ("baker2016", "barnes2019", "baker2017", "gonzalez2009", "crampwise_convention")


@dataclass(frozen=True)
class PopulationRate:
    """A published whole-body sweat rate, mean and SD in L/h, with its source ids.

    `source` is the data set the numbers come from; `extra_sources` the ones that shaped them
    (the sport factor of a mass-scaled rate).
    """

    mean_l_per_h: float
    sd_l_per_h: float
    label: str
    source: str
    extra_sources: tuple[str, ...] = ()
    body_mass_kg: float | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.extra_sources)

    @property
    def log_mean(self) -> float:
        return math.log(self.mean_l_per_h) - self.log_var / 2.0

    @property
    def log_var(self) -> float:
        """The log-normal variance with the published mean and SD."""
        return math.log1p((self.sd_l_per_h / self.mean_l_per_h) ** 2)


_ENDURANCE = PopulationRate(1.28, 0.57, "endurance athletes", "barnes2019")
_TEAM = PopulationRate(0.95, 0.40, "team-sport athletes (soccer, basketball)", "barnes2019")
_ALL = PopulationRate(1.21, 0.68, "athletes of all sports", "baker2016")


def population_rate(sport: Sport | None, body_mass_kg: float | None = None) -> PopulationRate:
    """The normative sweat rate closest to this athlete and sport.

    Without a body mass: barnes2019 by sport, else baker2016 (absolute L/h). With one:
    baker2016's 15.3 +/- 6.8 mL/kg/h times the mass, times the sport factor (the barnes2019
    sport mean over the baker2016 all-sport mean; a crampwise convention), so a light athlete
    is not given a heavy one's sweat rate.
    """
    if sport in (Sport.RUN, Sport.RIDE, Sport.TRIATHLON):
        absolute = _ENDURANCE
    elif sport is Sport.TEAM_SPORT:
        absolute = _TEAM
    else:
        absolute = _ALL
    if body_mass_kg is None or not math.isfinite(body_mass_kg) or body_mass_kg <= 0:
        return absolute
    per_kg_mean, per_kg_sd = RELATIVE_RATE_ML_PER_KG_H
    factor = absolute.mean_l_per_h / ALL_SPORTS_MEAN_L_PER_H
    mean = per_kg_mean * body_mass_kg / 1000.0 * factor
    extra = ("barnes2019", "crampwise_convention") if absolute is not _ALL else ()
    return PopulationRate(
        mean_l_per_h=mean,
        sd_l_per_h=mean * per_kg_sd / per_kg_mean,
        label=f"{absolute.label}, scaled to {body_mass_kg:g} kg",
        source="baker2016",
        extra_sources=extra,
        body_mass_kg=float(body_mass_kg),
    )


@dataclass(frozen=True)
class RatePrediction:
    """Expected sweat rate for one set of conditions: median and 80 % range, in L/h."""

    estimate_l_per_h: float
    low_l_per_h: float
    high_l_per_h: float
    basis: str  # "personal" | "population"
    n_tests: int

    def as_json(self) -> dict[str, object]:
        return {
            "estimate": round(self.estimate_l_per_h, 2),
            "range": [round(self.low_l_per_h, 2), round(self.high_l_per_h, 2)],
            "basis": self.basis,
            "n_tests": self.n_tests,
        }


@dataclass(frozen=True)
class SweatSodium:
    """Sweat sodium concentration (mmol/L): measured, or the population default with its range."""

    mmol_l: float
    low_mmol_l: float
    high_mmol_l: float
    basis: str  # "measured" | "population"
    source: str

    def as_json(self) -> dict[str, object]:
        return {
            "mmol_l": self.mmol_l,
            "range": [self.low_mmol_l, self.high_mmol_l],
            "basis": self.basis,
            "sources": [self.source],
        }


def sweat_sodium(measured_mmol_l: float | None) -> SweatSodium:
    """The athlete's measured sweat sodium, else baker2016's 35.9 mmol/L (18.2-70.8)."""
    mean, _sd, low, high = SWEAT_SODIUM_POPULATION
    if measured_mmol_l is not None:
        value = float(measured_mmol_l)
        return SweatSodium(value, value, value, "measured", "baker2017")
    return SweatSodium(mean, low, high, "population", "baker2016")


@dataclass(frozen=True)
class SweatModel:
    """Posterior (or prior) of the log-rate regression, ready to predict."""

    mean: tuple[float, float, float]
    """b0, bT, bI of the normal-inverse-gamma posterior."""
    cov_scale: tuple[tuple[float, ...], ...]
    """V_n: the coefficients' covariance is sigma^2 x V_n."""
    shape: float
    rate: float
    basis: str
    n_tests: int
    n_excluded: int
    population: PopulationRate

    def predict(self, *, temperature_c: float, rpe: float | None) -> RatePrediction:
        """Median and 80 % range of the sweat rate in these conditions (RPE unknown: 6)."""
        x = design_row(temperature_c, RPE_REF if rpe is None else rpe)
        mean = np.asarray(self.mean)
        cov_scale = np.asarray(self.cov_scale)
        loc = float(x @ mean)
        scale = math.sqrt(self.rate / self.shape * (1.0 + float(x @ cov_scale @ x)))
        from scipy.special import stdtrit  # Student's t quantile; scipy.stats would cost 0.7 s to import

        t = float(stdtrit(2.0 * self.shape, 0.5 + PREDICTIVE_COVERAGE / 2.0))
        return RatePrediction(
            estimate_l_per_h=math.exp(loc),
            low_l_per_h=math.exp(loc - t * scale),
            high_l_per_h=math.exp(loc + t * scale),
            basis=self.basis,
            n_tests=self.n_tests,
        )

    def as_json(self) -> dict[str, object]:
        """The `model` part of `sweat --json`: basis, effects and the reference prediction."""
        at_ref = self.predict(temperature_c=T_REF_C, rpe=RPE_REF)
        return {
            "basis": self.basis,
            "n_tests": self.n_tests,
            "n_excluded": self.n_excluded,
            "min_tests_for_personal": MIN_PERSONAL_TESTS,
            "reference": {"temperature_c": T_REF_C, "rpe": RPE_REF},
            "sweat_rate_at_reference_l_per_h": at_ref.as_json(),
            "temperature_effect_pct_per_c": round(math.expm1(self.mean[1]) * 100.0, 1),
            "intensity_effect_pct_per_rpe": round(math.expm1(self.mean[2]) * 100.0, 1),
            "population": {
                "mean_l_per_h": round(self.population.mean_l_per_h, 3),
                "sd_l_per_h": round(self.population.sd_l_per_h, 3),
                "label": self.population.label,
                "body_mass_kg": self.population.body_mass_kg,
                "sources": list(self.population.sources),
            },
            "sources": list(MODEL_SOURCES),
        }


def design_row(temperature_c: float, rpe: float) -> np.ndarray:
    """[1, temperature - 22, rpe - 6]: centred so the intercept is the rate in typical conditions."""
    return np.array([1.0, temperature_c - T_REF_C, rpe - RPE_REF])


def _prior(population: PopulationRate) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Prior mean m0, scale matrix V0 (covariance = sigma^2 x V0), shape a0 and rate b0."""
    m0 = np.array([population.log_mean, TEMP_SLOPE_PRIOR[0], RPE_SLOPE_PRIOR[0]])
    within_var = WITHIN_SD_PRIOR**2
    v0 = np.diag([population.log_var, TEMP_SLOPE_PRIOR[1] ** 2, RPE_SLOPE_PRIOR[1] ** 2]) / within_var
    a0 = WITHIN_SD_PRIOR_WEIGHT
    b0 = within_var * (a0 - 1.0)  # prior mean of sigma^2 = b0 / (a0 - 1) = within_var
    return m0, v0, a0, b0


def fit_sweat_model(
    tests: Sequence[SweatTest], *, sport: Sport | None = None, body_mass_kg: float | None = None
) -> SweatModel:
    """The athlete's model from their usable tests; the population prior below the minimum.

    `body_mass_kg` scales the prior (`population_rate`): the personal model starts from the
    athlete's size, not from an average athlete's.

    A test with unknown temperature or intensity enters at the reference value for that
    covariate (it informs the level, not the slope). Impossible tests are counted and skipped.
    """
    population = population_rate(sport, body_mass_kg)
    m0, v0, a0, b0 = _prior(population)
    usable = [t for t in tests if t.usable and t.sweat_rate_l_per_h > 0]
    n_excluded = len(tests) - len(usable)
    if len(usable) < MIN_PERSONAL_TESTS:
        return SweatModel(
            mean=(float(m0[0]), float(m0[1]), float(m0[2])),
            cov_scale=tuple(tuple(float(v) for v in row) for row in v0),
            shape=a0,
            rate=b0,
            basis="population",
            n_tests=len(usable),
            n_excluded=n_excluded,
            population=population,
        )
    x = np.array(
        [
            design_row(
                T_REF_C if t.temperature_c is None else t.temperature_c,
                RPE_REF if t.intensity_rpe is None else t.intensity_rpe,
            )
            for t in usable
        ]
    )
    y = np.log([t.sweat_rate_l_per_h for t in usable])
    v0_inv = np.linalg.inv(v0)
    vn_inv = v0_inv + x.T @ x
    vn = np.linalg.inv(vn_inv)
    mn = vn @ (v0_inv @ m0 + x.T @ y)
    an = a0 + len(usable) / 2.0
    bn = b0 + 0.5 * float(y @ y + m0 @ v0_inv @ m0 - mn @ vn_inv @ mn)
    return SweatModel(
        mean=(float(mn[0]), float(mn[1]), float(mn[2])),
        cov_scale=tuple(tuple(float(v) for v in row) for row in vn),
        shape=an,
        rate=max(bn, 1e-12),
        basis="personal",
        n_tests=len(usable),
        n_excluded=n_excluded,
        population=population,
    )

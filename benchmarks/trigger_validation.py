"""Validate the personal trigger analysis and the session risk on simulated athletes.

Each case is a scenario of crampwise.science.simulate (which factors truly raise the odds, and
how the athlete logs) simulated in four bands of cramp counts: expected 20-30, 35-45 and
60-75 cramps (in sessions, or at rest/in sleep for `night`), and 8. The same analysis
`crampwise insights` runs is applied to every athlete; the script prints:

- power: the share of planted triggers called `likely_trigger`, per factor and pooled, by the
  realised count (20-30, 35-45, 60+, and 6-10 for "an athlete with 8 cramps"), with an oracle
  that knows the true model (the planted factors only, their true exposures on every session,
  the interaction for `heat`) and calls a factor at posterior P(OR > 1) >= 0.98, the level of
  the 2 % false-positive guard;
- false positives: the share of athletes in whom each unplanted factor is called
  `likely_trigger` (* = correlated with a planted one), session and day factors;
- for athletes with no planted trigger: the share shown any trigger at all (`likely` or
  `possible`, session or day);
- coverage of the 95 % intervals for the true odds ratio (the planted value, or 1);
- calibration of the session risk (`plan`): fitted on the first 9 months, scored on the last 3.

The athlete's own factor (issue 16): in the cases `own_factor` and `none/own` every simulated
athlete defines `new_shoes`, a yes/no session factor worn on 27 % of sessions (about
`hard_session`'s share) whose tag is missing on 10 % of them. `own_factor` plants it at
`hard_session`'s odds ratio of 3 next to fatigue's triggers, so the two are found alike or
not; in `none/own` it has no effect and counts among the false positives. The other cases
define no own factor (their figures are those of docs/science-triggers.md).

Usage: python benchmarks/trigger_validation.py [--athletes 60] [--workers 2] [--seed 1]
[--cases fatigue,none,...] (--athletes is per case and band). The pool is plain
`multiprocessing.Pool.map` over picklable jobs, so it can be swapped for any process-pool helper.
"""

from __future__ import annotations

import argparse
import itertools
import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from multiprocessing import Pool
from typing import Any

import numpy as np

from crampwise.domain.history import History
from crampwise.domain.records import Session
from crampwise.science.bayes_logistic import Prior, fit
from crampwise.science.exposures import DAY_FACTORS, REST_CONTEXTS, SESSION_FACTORS, cramp_day
from crampwise.science.risk import RiskModel, session_risk
from crampwise.science.simulate import (
    OWN_FACTOR,
    SCENARIOS,
    Scenario,
    SimConfig,
    SimulatedAthlete,
    simulate_athlete,
)
from crampwise.science.triggers import analyse

END = date(2026, 10, 31)
ORACLE_LEVEL = 0.98
OWN_SHARE = 0.27  # sessions with the own factor: about hard_session's share, so the two compare
WITH_OWN = {"own_factor_share": OWN_SHARE}


@dataclass(frozen=True)
class Case:
    label: str
    scenario: str
    options: Mapping[str, Any] = field(default_factory=dict)
    correlated: tuple[str, ...] = ()  # unplanted factors correlated with a planted one
    calibrate: bool = False  # score the session risk on this case
    night: bool = False  # cramps at rest or in sleep only (the bands count cramp days)


CASES = (
    Case("fatigue", "fatigue", correlated=("heat", "dehydration", "low_sodium"), calibrate=True),
    Case("dehydration", "dehydration", correlated=("long_session", "heat"), calibrate=True),
    Case("heat", "heat", correlated=("long_session", "heat")),
    Case("none", "none", calibrate=True),
    Case("fatigue/sparse", "fatigue", {"sparse_share": 0.5}, ("heat", "dehydration", "low_sodium")),
    Case("dehydration/sparse", "dehydration", {"sparse_share": 0.5}, ("long_session", "heat")),
    Case("fatigue/all", "fatigue", {"missing_scale": 0.0, "weigh_share": 1.0}, ("heat", "dehydration")),
    Case("dehydration/all", "dehydration", {"missing_scale": 0.0, "weigh_share": 1.0}, ("long_session",)),
    Case("fatigue/stops", "fatigue", {"stop_share": 0.5}, ("heat", "dehydration", "low_sodium")),
    Case("none/per-hour", "none", {"time_at_risk": True}),
    Case("night", "night", correlated=("dehydration",), night=True),
    Case("none/night", "none", night=True),
    Case("own_factor", "own_factor", WITH_OWN, ("heat", "dehydration", "low_sodium")),
    Case("none/own", "none", WITH_OWN),
)
# Expected cramps per band (the realised count decides the row it is reported in).
TARGETS = ((20.0, 30.0), (35.0, 45.0), (60.0, 75.0), (8.0, 8.0))
BANDS = (("20-30", 20, 30), ("35-45", 35, 45), ("60+", 60, 10_000), ("6-10", 6, 10))


def _planted(scenario: Scenario, night: bool) -> dict[str, float]:
    return dict(scenario.day_odds_ratios if night else scenario.session_odds_ratios)


def oracle(sim: SimulatedAthlete, history: History, night: bool) -> dict[str, bool]:
    """The true model fitted to the true exposures: P(OR > 1) >= ORACLE_LEVEL per planted factor."""
    scenario = sim.scenario
    planted = _planted(scenario, night)
    if not planted:
        return {}
    if night:
        zone = history.athlete.zone
        cases = {cramp_day(c, zone) for c in history.cramps if c.context in REST_CONTEXTS}
        truth = [values for _, values in sim.true_days]
        y = np.array([day in cases for day, _ in sim.true_days], float)
    else:
        truth = list(sim.true_exposures)
        cramped = {c.session_id for c in history.cramps if c.session_id}
        y = np.array([s.id in cramped for s in sorted(history.sessions, key=lambda s: s.start)], float)
    names = list(planted)
    gate = scenario.only_in if not night else None
    x = np.column_stack(
        [np.ones(len(truth))]
        + [[float(bool(e.get(f)) and (gate is None or bool(e.get(gate)))) for e in truth] for f in names]
    )
    base = math.log(max(float(y.mean()), 1e-3) / (1.0 - max(float(y.mean()), 1e-3)))
    post = fit(
        x,
        np.ones(x.shape, bool),
        np.zeros(x.shape),
        y,
        Prior.of([base] + [0.0] * len(names), [2.0] + [1.0] * len(names), [math.inf] + [1.0] * len(names)),
    )
    return {f: post.prob_above(j + 1) >= ORACLE_LEVEL for j, f in enumerate(names)}


def one_athlete(job: tuple[int, int, int, bool]) -> dict[str, Any]:
    """Simulate one athlete of case `case_index` in band `band` and analyse it (and score its
    session risk when `with_risk` and the case is one of the calibration cases)."""
    case_index, band, seed, with_risk = job
    case = CASES[case_index]
    rng = np.random.default_rng([seed, case_index, band])
    low, high = TARGETS[band]
    target = float(rng.uniform(low, high))
    night = case.night
    config = SimConfig(
        end=END,
        scenario=SCENARIOS[case.scenario],
        session_cramps=0.0 if night else target,
        rest_cramp_days=target if night else 5.0,
        **case.options,
    )
    sim = simulate_athlete(rng, config)
    history = History.from_bundle(sim.bundle)
    result = analyse(history, today=END)
    planted = _planted(sim.scenario, night)
    factors = []
    for f in result.factors:
        level_planted = sim.scenario.day_odds_ratios if f.level == "day" else sim.scenario.session_odds_ratios
        truth = level_planted.get(f.factor, 1.0)
        if f.level == "session" and sim.scenario.only_in is not None and f.factor in level_planted:
            truth = math.nan  # an interaction: no single true odds ratio to cover
        covered = None if f.ci95 is None or math.isnan(truth) else f.ci95[0] <= truth <= f.ci95[1]
        factors.append((f.level, f.factor, f.verdict, covered, getattr(f, "prob_above_1", None)))
    return {
        "case": case.label,
        "n_cramps": result.n_rest_cramp_days if night else result.n_session_cramps,
        "planted": planted,
        "planted_by_level": {
            "session": dict(sim.scenario.session_odds_ratios),
            "day": dict(sim.scenario.day_odds_ratios),
        },
        "level": "day" if night else "session",
        "factors": factors,
        "oracle": oracle(sim, history, night),
        "risk": calibration_rows(history) if with_risk and case.calibrate and band < 3 else [],
    }


def calibration_rows(history: History) -> list[tuple[float, bool]]:
    """Fit the risk on the first 9 months; predict each later session from its plan fields."""
    cut = END - timedelta(days=91)
    zone = history.athlete.zone
    past = History(
        athlete=history.athlete,
        sessions=tuple(s for s in history.sessions if s.start.astimezone(zone).date() < cut),
        cramps=tuple(c for c in history.cramps if c.at.astimezone(zone).date() < cut),
        days=tuple(d for d in history.days if d.date < cut),
    )
    cramped = {c.session_id for c in history.cramps if c.session_id}
    model = RiskModel.fit(past)
    rows = []
    for session in history.sessions:
        if session.start.astimezone(zone).date() < cut:
            continue
        planned = Session(
            start=session.start,
            sport=session.sport,
            duration_s=session.duration_s,
            rpe=session.rpe,
            temperature_c=session.temperature_c,
        )
        risk = session_risk(history, planned, session.start, model=model)
        rows.append((risk.probability, session.id in cramped))
    return rows


def _band_of(n: int) -> str | None:
    return next((name for name, lo, hi in BANDS if lo <= n <= hi), None)


def _pct(values: Sequence[bool]) -> str:
    return f"{100 * float(np.mean(values)):.0f}%" if values else "-"


def summarise(results: list[dict[str, Any]]) -> None:
    by_case: Mapping[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_case[r["case"]].append(r)
    band_names = [name for name, _, _ in BANDS]
    print("planted triggers called likely_trigger (share of athletes) by cramps in the analysed level;")
    print(f"oracle = the true model on the true exposures (Cauchy(0, 1) priors), P(OR > 1) >= {ORACLE_LEVEL}")
    print(f"{'case':20s} {'factor':14s} {'OR':>3s}" + "".join(f"{b:>14s}" for b in band_names))
    for case in CASES:
        rows = by_case[case.label]
        planted = rows[0]["planted"] if rows else {}
        if not planted:
            continue
        level = rows[0]["level"]
        lines: list[tuple[str, str, dict[str, list[bool]], dict[str, list[bool]]]] = []
        pooled: dict[str, list[bool]] = defaultdict(list)
        pooled_oracle: dict[str, list[bool]] = defaultdict(list)
        for factor, ratio in planted.items():
            cells: dict[str, list[bool]] = defaultdict(list)
            for r in rows:
                band = _band_of(r["n_cramps"])
                if band is None:
                    continue
                call = next(
                    v == "likely_trigger" for lv, f, v, *_ in r["factors"] if lv == level and f == factor
                )
                cells[band].append(call)
                pooled[band].append(call)
                pooled_oracle[band].append(r["oracle"][factor])
            lines.append((factor, f"{ratio:3.0f}", cells, {}))
        for factor, ratio, cells, _ in lines:
            print(
                f"{case.label:20s} {factor:14s} {ratio}"
                + "".join(f"{_pct(cells[b]) + f' (n={len(cells[b])})':>14s}" for b in band_names)
            )
        print(
            f"{case.label:20s} {'all planted':14s} {'':3s}"
            + "".join(f"{_pct(pooled[b]):>14s}" for b in band_names)
        )
        print(
            f"{case.label:20s} {'oracle':14s} {'':3s}"
            + "".join(f"{_pct(pooled_oracle[b]):>14s}" for b in band_names)
        )
    print("\nunplanted factors called likely_trigger (share of athletes with 6+ cramps), * = correlated")
    for level, names in (("session", (*SESSION_FACTORS, OWN_FACTOR)), ("day", DAY_FACTORS)):
        print(f"{level:20s}" + "".join(f"{f[:11]:>12s}" for f in names) + f"{'max':>8s}")
        for case in CASES:
            rows = [r for r in by_case[case.label] if r["n_cramps"] >= 6]
            if not rows:
                continue
            planted = rows[0]["planted_by_level"][level]
            cells, shares = [], []
            for factor in names:
                if factor in planted or (case.scenario == "heat" and factor == "heat" and level == "session"):
                    cells.append(f"{'planted' if factor in planted else 'modifier':>12s}")
                    continue
                calls = [
                    v == "likely_trigger"
                    for r in rows
                    for lv, f, v, *_ in r["factors"]
                    if lv == level and f == factor
                ]
                if not calls:  # a case without the own factor
                    cells.append(f"{'-':>12s}")
                    continue
                share = float(np.mean(calls))
                shares.append(share)
                mark = "*" if factor in case.correlated and rows[0]["level"] == level and planted else ""
                cells.append(f"{mark + f'{100 * share:.1f}%':>12s}")
            print(f"{case.label:20s}" + "".join(cells) + f"{100 * max(shares):7.1f}%")
    print("\nathletes with no planted trigger shown any trigger (likely or possible, session or day)")
    for case in CASES:
        rows = by_case[case.label]
        if not rows or any(rows[0]["planted_by_level"].values()):
            continue
        cells = []
        for band in band_names:
            shown = [
                any(v in ("likely_trigger", "possible_trigger") for _, _, v, *_ in r["factors"])
                for r in rows
                if _band_of(r["n_cramps"]) == band
            ]
            cells.append(f"{_pct(shown) + f' (n={len(shown)})':>14s}")
        every = [
            any(v in ("likely_trigger", "possible_trigger") for _, _, v, *_ in r["factors"]) for r in rows
        ]
        print(f"{case.label:20s}" + "".join(cells) + f"   all {_pct(every)} (n={len(every)})")
    print("\n95 % interval coverage of the true odds ratio (estimated factors of the analysed level)")
    for case in CASES:
        rows = by_case[case.label]
        if not rows:
            continue
        level = rows[0]["level"]
        planted = rows[0]["planted"]
        cov_p = [
            c
            for r in rows
            for lv, f, _, c, _ in r["factors"]
            if lv == level and c is not None and f in planted
        ]
        cov_u = [
            c
            for r in rows
            for lv, f, _, c, _ in r["factors"]
            if lv == level and c is not None and f not in planted
        ]
        text_p = f"planted {100 * np.mean(cov_p):.1f}% (n={len(cov_p)})" if cov_p else "planted -"
        text_u = f"unplanted {100 * np.mean(cov_u):.1f}% (n={len(cov_u)})" if cov_u else "unplanted -"
        print(f"{case.label:20s} {text_p}; {text_u}")
    risk = [row for r in results for row in r["risk"]]
    if risk:
        print(
            "\nsession risk calibration (first 9 months fitted, last 3 months scored; fatigue, dehydration, none)"
        )
        print(f"{'predicted':>14s} {'sessions':>9s} {'mean predicted':>15s} {'observed':>9s}")
        edges = [0.0, 0.05, 0.10, 0.15, 0.25, 0.40, 1.01]
        for low, high in itertools.pairwise(edges):
            cell = [(p, y) for p, y in risk if low <= p < high]
            if cell:
                mean_p = float(np.mean([p for p, _ in cell]))
                observed = float(np.mean([y for _, y in cell]))
                print(
                    f"{f'{low:.2f}-{min(high, 1.0):.2f}':>14s} {len(cell):9d} {mean_p:15.3f} {observed:9.3f}"
                )
        brier = float(np.mean([(p - y) ** 2 for p, y in risk]))
        base = float(np.mean([y for _, y in risk]))
        print(
            f"Brier score {brier:.4f} over {len(risk)} sessions (a constant {base:.3f} scores {base * (1 - base):.4f})"
        )


def selected(labels: str | None) -> list[int]:
    """Indices of the cases named in a comma-separated list (all when None)."""
    if labels is None:
        return list(range(len(CASES)))
    names = [c.label for c in CASES]
    wanted = labels.split(",")
    unknown = [w for w in wanted if w not in names]
    if unknown:
        raise SystemExit(f"--cases: unknown case {unknown[0]!r}; expected some of {', '.join(names)}")
    return [names.index(w) for w in wanted]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--athletes", type=int, default=60, help="athletes per case and band")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", help="comma-separated case labels (default: all)")
    args = parser.parse_args()
    jobs = [
        (c, band, args.seed * 100_000 + i, True)
        for c in selected(args.cases)
        for band in range(len(TARGETS))
        for i in range(args.athletes)
    ]
    started = time.perf_counter()
    with Pool(args.workers) as pool:
        results = pool.map(one_athlete, jobs, chunksize=4)
    elapsed = time.perf_counter() - started
    print(f"{len(jobs)} simulated athletes analysed in {elapsed:.0f} s on {args.workers} workers\n")
    summarise(results)


if __name__ == "__main__":
    main()

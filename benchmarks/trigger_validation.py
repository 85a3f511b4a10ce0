"""Validate the personal trigger analysis and the session risk on simulated athletes.

For each scenario (fatigue-driven, dehydration-driven, no triggers, and fatigue plus the
athlete's own factor `new_shoes` planted at hard_session's odds ratio) it simulates N athletes
with planted odds ratios (crampwise.science.simulate), runs the same analysis `crampwise
insights` runs, and prints:

- power: the share of athletes in whom each planted trigger is called `likely_trigger`
  (for athletes with 20-40 and 41-60 sessions with a cramp; 20-40 is the issue's target band;
  sessions with a cramp are what the session analysis counts as events, and rest or sleep
  cramps, analysed per day, are not counted);
- false positives: the share of (athlete, unplanted factor) pairs called `likely_trigger`,
  per factor and overall, and the share of athletes with at least one;
- coverage of the 95 % intervals for the true odds ratio (planted value, or 1), pooled and per
  planted factor;
- a calibration table of the session risk (fitted on the first 9 months, scored on the last 3).

Every simulated athlete defines the own factor `new_shoes` (worn on 27 % of sessions, about
hard_session's share; its tag missing on 10 %), planted only in `own_factor`: elsewhere it
counts among the unplanted factors' false positives.

Usage: python benchmarks/trigger_validation.py [--athletes 200] [--workers 2] [--seed 1]
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from multiprocessing import Pool
from typing import Any

import numpy as np

from crampwise.domain.history import History
from crampwise.domain.records import Session
from crampwise.science.exposures import SESSION_FACTORS
from crampwise.science.risk import RiskModel, session_risk
from crampwise.science.simulate import OWN_FACTOR, SCENARIOS, SimConfig, simulate_athlete
from crampwise.science.triggers import analyse

END = date(2026, 10, 31)
CORRELATED = {
    "fatigue": ("dehydration", "low_sodium", "heat"),
    "dehydration": ("long_session", "heat"),
    "own_factor": ("dehydration", "low_sodium", "heat"),
}
OWN_SHARE = 0.27  # about hard_session's share of sessions, so the two are found alike
ANALYSED = (*SESSION_FACTORS, OWN_FACTOR)


def one_athlete(job: tuple[str, int, bool]) -> dict[str, Any]:
    """Simulate one athlete and analyse it; return what the summary needs.

    `complete`: the athlete logs everything (every field, a weighing every session), to show
    how much of the power is lost to missing data rather than to the method.
    """
    scenario_name, seed, complete = job
    rng = np.random.default_rng([seed, list(SCENARIOS).index(scenario_name), int(complete)])
    target = float(rng.uniform(15.0, 60.0))
    config = SimConfig(
        end=END,
        scenario=SCENARIOS[scenario_name],
        session_cramps=target,
        missing_scale=0.0 if complete else 1.0,
        weigh_share=1.0 if complete else 0.5,
        own_factor_share=OWN_SHARE,
    )
    sim = simulate_athlete(rng, config)
    history = History.from_bundle(sim.bundle)
    result = analyse(history, today=END)
    planted = sim.scenario.session_odds_ratios
    factors = []
    for f in result.factors:
        if f.level != "session":
            continue
        truth = planted.get(f.factor, 1.0)
        covered = None if f.ci95 is None else f.ci95[0] <= truth <= f.ci95[1]
        factors.append((f.factor, f.verdict, covered, f.odds_ratio))
    risk_rows = [] if complete else calibration_rows(sim, history)
    return {
        "complete": complete,
        "scenario": scenario_name,
        "n_cramps": result.n_session_cramps,
        "factors": factors,
        "risk": risk_rows,
    }


def calibration_rows(sim: Any, history: History) -> list[tuple[float, bool]]:
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


def summarise(results: list[dict[str, Any]]) -> None:
    by_scenario: Mapping[str, list[dict[str, Any]]] = defaultdict(list)
    complete: Mapping[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        (complete if r["complete"] else by_scenario)[r["scenario"]].append(r)
    bands = ((20, 40, False), (41, 60, False), (20, 40, True), (41, 60, True))
    print("planted triggers called likely_trigger (share of athletes), by sessions with a cramp;")
    print("'all logged' = the same scenario with every field logged and every session weighed")
    print(
        f"{'scenario':12s} {'factor':14s} {'OR':>4s}"
        + "".join(f"{f'{lo}-{hi}' + (' all logged' if c else ''):>22s}" for lo, hi, c in bands)
    )
    for name, logged_rows in by_scenario.items():
        for factor, ratio in SCENARIOS[name].session_odds_ratios.items():
            cells = []
            for lo, hi, full in bands:
                rows = complete[name] if full else logged_rows
                calls = [
                    v == "likely_trigger"
                    for r in rows
                    if lo <= r["n_cramps"] <= hi
                    for f, v, _, _ in r["factors"]
                    if f == factor
                ]
                cells.append(
                    f"{format(float(np.mean(calls)), '.0%') + f' (n={len(calls)})':>22s}"
                    if calls
                    else f"{'-':>22s}"
                )
            print(f"{name:12s} {factor:14s} {ratio:4.0f}" + "".join(cells))
    print("\nunplanted factors called likely_trigger (share of athletes), * = correlated with a planted one")
    header = "".join(f"{f[:11]:>12s}" for f in ANALYSED)
    print(f"{'scenario':12s}{header}  {'overall':>8s} {'any':>6s}")
    rows_by_label = [(name, rows) for name, rows in by_scenario.items()]
    rows_by_label += [(f"{name}/all", rows) for name, rows in complete.items()]
    for label, rows in rows_by_label:
        name = label.split("/")[0]
        planted = SCENARIOS[name].session_odds_ratios
        cells = []
        pooled = []
        for factor in ANALYSED:
            if factor in planted:
                cells.append(f"{'planted':>12s}")
                continue
            calls = [v == "likely_trigger" for r in rows for f, v, _, _ in r["factors"] if f == factor]
            pooled.extend(calls)
            mark = "*" if factor in CORRELATED.get(name, ()) else ""
            cells.append(f"{mark + format(float(np.mean(calls)), '.1%'):>12s}")
        anyfp = np.mean(
            [any(v == "likely_trigger" and f not in planted for f, v, _, _ in r["factors"]) for r in rows]
        )
        print(f"{label:12s}{''.join(cells)}  {np.mean(pooled):8.1%} {anyfp:6.1%}")
    print("\n95 % interval coverage of the true odds ratio (estimated factors)")
    for label, rows in rows_by_label:
        name = label.split("/")[0]
        planted = SCENARIOS[name].session_odds_ratios
        cov_p = [c for r in rows for f, _, c, _ in r["factors"] if c is not None and f in planted]
        cov_u = [c for r in rows for f, _, c, _ in r["factors"] if c is not None and f not in planted]
        text_p = f"planted {np.mean(cov_p):.1%} (n={len(cov_p)})" if cov_p else "planted -"
        by_factor = "".join(
            f"; {factor} {np.mean(c):.1%}"
            for factor in planted
            if (c := [c for r in rows for f, _, c, _ in r["factors"] if c is not None and f == factor])
        )
        print(f"{label:12s} {text_p}; unplanted {np.mean(cov_u):.1%} (n={len(cov_u)}){by_factor}")
    risk = [row for r in results for row in r["risk"]]
    if risk:
        print("\nsession risk calibration (first 9 months fitted, last 3 months scored)")
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
        print(f"Brier score {brier:.4f} over {len(risk)} sessions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--athletes", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="comma-separated scenarios (default: all)"
    )
    args = parser.parse_args()
    chosen = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    jobs = [(name, args.seed * 100_000 + i, False) for name in chosen for i in range(args.athletes)]
    jobs += [
        (name, args.seed * 100_000 + i, True)
        for name in chosen
        if SCENARIOS[name].session_odds_ratios
        for i in range(args.athletes // 2)
    ]
    started = time.perf_counter()
    with Pool(args.workers) as pool:
        results = pool.map(one_athlete, jobs, chunksize=4)
    elapsed = time.perf_counter() - started
    print(f"{len(jobs)} simulated athletes analysed in {elapsed:.0f} s on {args.workers} workers\n")
    summarise(results)


if __name__ == "__main__":
    main()

"""Derive the trigger verdict thresholds (science/trigger_model.py) on simulated athletes.

The thresholds on the posterior probability P(OR > 1) are the free choice of the Bayesian
trigger model; they are set here, on a seed set apart from the validation's
(benchmarks/trigger_validation.py uses --seed 1, this script --seed 2 by default), as:

1. `likely`, per level (session, day) and family (primary, secondary): the lowest threshold at
   which no factor without a planted effect is called likely in more than --fp of the athletes
   (6 or more cramps at that level) of any case (the per-hour case excepted: there duration
   itself raises the odds, see docs/science-triggers.md);
2. `possible`, for the primary session factors only: the lowest threshold at which athletes
   with no planted trigger are shown no trigger at all (likely or possible, any level) in at
   least 1 - --shown of cases.

Usage: python benchmarks/trigger_thresholds.py [--athletes 100] [--workers 2] [--seed 2]
[--fp 0.015] [--shown 0.08]. It prints the thresholds and the rates they give.
"""

from __future__ import annotations

import argparse
import pickle
import time
from collections.abc import Sequence
from multiprocessing import Pool
from typing import Any

from crampwise.science.trigger_priors import prior_of
from trigger_validation import CASES, TARGETS, one_athlete, selected

GRID = (0.95, 0.96, 0.97, 0.975, 0.98, 0.985, 0.99, 0.9925, 0.995, 0.9975, 0.999, 0.9995, 0.9999)
UNCONSTRAINED = ("none/per-hour",)


def _unplanted_rates(
    results: Sequence[dict[str, Any]], level: str, family: str, threshold: float
) -> list[tuple[float, str, str]]:
    """(share called, case, factor) for every unplanted factor of this level and family."""
    out = []
    for case in CASES:
        if case.label in UNCONSTRAINED:
            continue
        rows = [r for r in results if r["case"] == case.label and r["n_cramps"] >= 6]
        if not rows:
            continue
        planted = rows[0]["planted_by_level"][level]
        names = {f for r in rows for lv, f, *_ in r["factors"] if lv == level}
        for factor in sorted(names):
            if factor in planted or prior_of(factor, level).family != family:  # type: ignore[arg-type]
                continue
            if case.scenario == "heat" and level == "session" and factor == "heat":
                continue  # the modifier of the planted effects
            calls = [
                p is not None and p >= threshold
                for r in rows
                for lv, f, _, _, p in r["factors"]
                if lv == level and f == factor
            ]
            out.append((sum(calls) / len(calls), case.label, factor))
    return out


def _shown(results: Sequence[dict[str, Any]], likely: dict[tuple[str, str], float], possible: float) -> float:
    """Share of no-trigger athletes shown any likely or possible trigger (a protective factor
    is not a trigger)."""
    rows = [r for r in results if r["case"] == "none"]
    shown = 0
    for r in rows:
        for lv, f, _, _, p in r["factors"]:
            if p is None:
                continue
            family = prior_of(f, lv).family
            bar = likely[(lv, family)]
            if (lv, family) == ("session", "primary"):
                bar = min(bar, possible)
            if p >= bar:
                shown += 1
                break
    return shown / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--athletes", type=int, default=100, help="athletes per case and band")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--fp", type=float, default=0.015, help="largest false-positive share of a factor")
    parser.add_argument(
        "--shown", type=float, default=0.08, help="largest share of no-trigger athletes shown one"
    )
    parser.add_argument("--save", help="also write the simulated results to this file (pickle)")
    parser.add_argument("--load", help="read results written by --save instead of simulating them")
    parser.add_argument(
        "--skip", type=int, default=0, help="simulate athletes from this index on (to add to --load)"
    )
    parser.add_argument(
        "--cases", help="comma-separated case labels to simulate (default: all, or none with --load)"
    )
    args = parser.parse_args()
    cases = selected(args.cases) if args.cases or not args.load else []
    jobs = [
        (c, band, args.seed * 100_000 + i, False)
        for c in cases
        for band in range(len(TARGETS))
        for i in range(args.skip, args.athletes)
    ]
    started = time.perf_counter()
    results = []
    if args.load:
        with open(args.load, "rb") as stream:
            replaced = {CASES[c].label for c in cases} if args.skip == 0 else set()
            results = [r for r in pickle.load(stream) if r["case"] not in replaced]
    if jobs:
        with Pool(args.workers) as pool:
            results += pool.map(one_athlete, jobs, chunksize=4)
    if args.save:
        with open(args.save, "wb") as stream:
            pickle.dump(results, stream)
    print(f"{len(results)} simulated athletes in {time.perf_counter() - started:.0f} s (seed {args.seed})\n")
    likely: dict[tuple[str, str], float] = {}
    for level in ("session", "day"):
        for family in ("primary", "secondary"):
            chosen = GRID[-1]
            for threshold in GRID:
                rates = _unplanted_rates(results, level, family, threshold)
                if not rates or max(rates)[0] <= args.fp:
                    chosen = threshold
                    break
            rates = _unplanted_rates(results, level, family, chosen)
            worst = max(rates) if rates else (0.0, "-", "-")
            likely[(level, family)] = chosen
            print(
                f"likely  {level:8s}{family:10s} P(OR > 1) >= {chosen}: largest false-positive share "
                f"{100 * worst[0]:.1f}% ({worst[2]} in {worst[1]})"
            )
    possible = 1.0
    for threshold in GRID:
        if threshold >= likely[("session", "primary")]:
            break
        if _shown(results, likely, threshold) <= args.shown:
            possible = threshold
            break
    print(
        f"possible session primary P(OR > 1) >= {possible}: no-trigger athletes shown any trigger "
        f"{100 * _shown(results, likely, possible):.1f}%"
    )


if __name__ == "__main__":
    main()

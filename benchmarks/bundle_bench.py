"""How fast are bundle import, re-import and export, against validation alone in the same run?

The floor is `parse_bundle` on the same document: the pure validation an import must do
anyway. Import adds the store (one transaction); re-import of the same bundle must change
nothing; export reads it all back. A second floor, `python -c pass`, puts one journal command
(`crampwise list cramps`) in proportion to a bare interpreter start.

    python benchmarks/bundle_bench.py               # 3 years of data, 3 rounds
    python benchmarks/bundle_bench.py --years 10 -n 1
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from crampwise.config import Settings
from crampwise.domain.bundles import parse_bundle
from crampwise.services.bundles import export_bundle, import_bundle
from crampwise.services.context import open_context

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def make_bundle(years: int) -> dict[str, Any]:
    """About 5 sessions and 1 cramp a week, and a day entry every day."""
    first = date(2026, 5, 31) - timedelta(days=365 * years)
    sessions: list[dict[str, Any]] = []
    cramps: list[dict[str, Any]] = []
    days: list[dict[str, Any]] = []
    for offset in range(365 * years):
        day = first + timedelta(days=offset)
        days.append({"date": day.isoformat(), "sleep_h": 6 + offset % 3, "fatigue": offset % 10})
        if offset % 7 in (1, 5):
            continue
        sid = f"s-{len(sessions) + 1:05d}"
        start = datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC)
        sessions.append(
            {
                "id": sid,
                "start": start.isoformat(),
                "sport": "run" if offset % 2 else "ride",
                "duration_s": 3600 + 60 * (offset % 90),
                "rpe": offset % 10,
                "temperature_c": 10 + offset % 25,
                "pre_mass_kg": 70.0,
                "post_mass_kg": 69.0,
                "fluid_ml": 500,
            }
        )
        if offset % 7 == 3:
            cramps.append(
                {
                    "id": f"c-{len(cramps) + 1:05d}",
                    "at": (start + timedelta(minutes=50)).isoformat(),
                    "muscle": "calf",
                    "context": "exercise",
                    "session_id": sid,
                    "severity": 5,
                }
            )
    return {
        "format": "crampwise-bundle",
        "version": 1,
        "athlete": {"name": "Bench", "timezone": "Europe/Madrid"},
        "sessions": sessions,
        "cramps": cramps,
        "days": days,
    }


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("-n", "--rounds", type=int, default=3)
    args = parser.parse_args()
    bundle = make_bundle(args.years)
    records = sum(len(bundle[k]) for k in ("sessions", "cramps", "days"))
    results: dict[str, list[float]] = {k: [] for k in ("validate (floor)", "import", "re-import", "export")}
    with tempfile.TemporaryDirectory() as scratch:
        for round_ in range(args.rounds):
            url = f"sqlite:///{Path(scratch) / f'b{round_}.db'}"
            with open_context(Settings(database_url=url, data_dir=Path(scratch))) as ctx:
                ctx.engine  # noqa: B018 - create and migrate outside the timings
                results["validate (floor)"].append(timed(lambda: parse_bundle(bundle, now=NOW)))
                results["import"].append(timed(lambda: import_bundle(ctx, data=bundle, now=NOW)))
                results["re-import"].append(timed(lambda: import_bundle(ctx, data=bundle, now=NOW)))
                results["export"].append(timed(lambda: json.dumps(export_bundle(ctx, athlete=None))))
        floor = statistics.median(results["validate (floor)"])
        print(f"bundle: {args.years} years, {records} records; median of {args.rounds} rounds")
        for name, values in results.items():
            median = statistics.median(values)
            print(f"  {name:18s} {median * 1000:8.1f} ms   {median / floor:5.2f}x floor")
        cli_url = f"sqlite:///{Path(scratch) / 'b0.db'}"
        bare = [timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True)) for _ in range(3)]
        listing = [
            timed(
                lambda: subprocess.run(
                    [sys.executable, "-m", "crampwise", "--db", cli_url, "list", "cramps"],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            )
            for _ in range(3)
        ]
        ratio = statistics.median(listing) / statistics.median(bare)
        print(
            f"  crampwise list cramps {statistics.median(listing) * 1000:.0f} ms vs python -c pass "
            f"{statistics.median(bare) * 1000:.0f} ms: {ratio:.1f}x"
        )


if __name__ == "__main__":
    main()

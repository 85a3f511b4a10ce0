"""Do the analyses grow no faster than the history, and the coach's roster no faster than the squad?

Part 1, histories of 1, 4 and 16 years (benchmarks/bundle_bench.py's generator: about 5 sessions
and 1 cramp a week, a day entry every day), each in its own temporary SQLite store. In process,
with the analysis cache cleared before every run (the cost of the first request after a change),
it times the use-cases behind `insights`, `check`, `plan`, `report` (HTML) and `export` (bundle),
and measures the peak of Python's heap during each (tracemalloc, a separate run). The floor is
reading the same journal from the store (`load_history`), measured in the same run; each
figure is also given as a ratio to it. The growth ratio 16 y / 1 y of each is compared with 16
(linear): at or under 16 is "no faster than linear".

Part 2, the coach's roster (`services.shared_reads.roster`, the page and `GET /api/v1/roster`)
for 50 and 500 athletes who share with one coach (server-mode accounts and grants, a year of
journal each; the first request is timed once for 500): the first request (every analysis computed), the next one (served from the
cache: only the journals are read), and the floor of reading every journal; growth 500 / 50
against 10.

    python benchmarks/history_scaling_bench.py                 # 1, 4, 16 years; 50 and 500 athletes
    python benchmarks/history_scaling_bench.py --years 1 4 --athletes 20 -n 1
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bundle_bench import make_bundle
from crampwise.config import Settings
from crampwise.domain.accounts import Role
from crampwise.services.accounts import hash_password
from crampwise.services.analysis_cache import ANALYSES
from crampwise.services.bundles import export_bundle, import_bundle, import_bundle_in
from crampwise.services.context import AppContext, open_context
from crampwise.services.grants import grant
from crampwise.services.insights import compute_insights
from crampwise.services.journal import load_history
from crampwise.services.planning import plan_session
from crampwise.services.reporting import render_report
from crampwise.services.shared_reads import roster
from crampwise.services.triage import check
from crampwise.storage import accounts as account_store
from crampwise.storage import repository as repo

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
NOISE = 1.15  # growth within 15 % of linear counts as linear: timings on a shared machine wobble


def verdict(growth: float, span: float) -> str:
    return "linear or better" if growth <= span * NOISE else "FASTER THAN LINEAR"


def journal(years: int) -> dict[str, Any]:
    """bundle_bench's generated journal, with the body mass a plan needs."""
    bundle = make_bundle(years)
    bundle["athlete"] = {**bundle["athlete"], "body_mass_kg": 70.0}
    return bundle


def use_cases(ctx: AppContext) -> dict[str, Callable[[], object]]:
    """The floor first, then each use-case as its command runs it."""
    return {
        "read the journal (floor)": lambda: load_history(ctx, athlete=None),
        "insights": lambda: compute_insights(ctx, athlete=None, now=NOW),
        "check": lambda: check(ctx, athlete=None, now=NOW),
        "plan": lambda: plan_session(
            ctx, athlete=None, sport="run", duration_s=3 * 3600, temperature_c=28, rpe=6, now=NOW
        ),
        "report (html)": lambda: render_report(ctx, athlete=None, fmt="html", now=NOW),
        "export (bundle)": lambda: export_bundle(ctx, athlete=None),
    }


def timed(work: Callable[[], object], rounds: int) -> float:
    """Best wall seconds of `rounds` cold runs (the analysis cache cleared before each).

    The best, not the median: on a shared machine the other processes only ever add time, and
    a median of 3 moved growth ratios by half.
    """
    times = []
    for _ in range(rounds):
        ANALYSES.clear()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_heap(work: Callable[[], object]) -> int:
    """Peak bytes of Python's heap (numpy's arrays included) during one cold run."""
    ANALYSES.clear()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def history_part(years_list: list[int], rounds: int) -> None:
    results: dict[int, dict[str, tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="crampwise-scaling-") as folder:
        for years in years_list:
            settings = Settings(
                database_url=f"sqlite:///{Path(folder) / f'{years}y.db'}", data_dir=Path(folder)
            )
            with open_context(settings) as ctx:
                summary = import_bundle(ctx, data=journal(years), now=NOW)
                cases = use_cases(ctx)
                for work in cases.values():  # warm imports, statement caches and the file cache
                    timed(work, 1)
                results[years] = {
                    name: (timed(work, rounds), peak_heap(work)) for name, work in cases.items()
                }
            counts = summary.counts
            print(
                f"{years:>2} y: {counts['sessions'].added} sessions, {counts['cramps'].added} cramps, "
                f"{counts['days'].added} days"
            )
    print(f"\nhistories (best of {rounds} cold runs; peak = Python heap during one run)")
    header = "use-case".ljust(26) + "".join(f"{f'{y} y':>22}" for y in years_list)
    first, last = years_list[0], years_list[-1]
    span = last / first
    print(header + f"   growth {last}y/{first}y (time, memory) vs {span:.0f}")
    floor = "read the journal (floor)"
    for name in results[first]:
        cells = []
        for y in years_list:
            seconds, peak = results[y][name]
            ratio = seconds / results[y][floor][0]
            cells.append(f"{seconds * 1000:7.1f}ms {ratio:4.1f}x {peak / 2**20:5.1f}MB")
        t_growth = results[last][name][0] / results[first][name][0]
        m_growth = results[last][name][1] / results[first][name][1]
        print(
            name.ljust(26)
            + "".join(f"{c:>22}" for c in cells)
            + f"   {t_growth:5.1f}x {m_growth:5.1f}x  {verdict(max(t_growth, m_growth), span)}"
        )


def squad(ctx: AppContext, athletes: int, bundle: dict[str, Any]) -> Any:
    """A coach and `athletes` athlete accounts, each with a year of journal, sharing with the coach."""
    password_hash = hash_password(secrets.token_urlsafe(16))  # one argon2 hash for all: no one signs in
    earlier = NOW.replace(year=NOW.year - 1)
    with ctx.begin() as conn:
        coach_pk = account_store.insert_account(
            conn=conn,
            username="coach",
            role=Role.COACH,
            password_hash=password_hash,
            athlete_pk=None,
            webauthn_user_id=secrets.token_urlsafe(32),
            now=earlier,
        )
        owners = []
        for i in range(athletes):
            name = f"athlete{i:04d}"
            import_bundle_in(
                conn,
                data={**bundle, "athlete": {**bundle["athlete"], "name": name}},
                now=NOW,
                make_default=False,
                stored_ids=set(),
            )
            found = repo.athlete_by_name(conn=conn, name=name)
            assert found is not None
            pk = account_store.insert_account(
                conn=conn,
                username=name,
                role=Role.ATHLETE,
                password_hash=password_hash,
                athlete_pk=found[0],
                webauthn_user_id=secrets.token_urlsafe(32),
                now=earlier,
            )
            owners.append(pk)
        coach = account_store.account_by_pk(conn=conn, pk=coach_pk)
        accounts = [account_store.account_by_pk(conn=conn, pk=pk) for pk in owners]
    for owner in accounts:
        assert owner is not None
        grant(ctx, owner=owner, grantee="coach", until=None, now=earlier)
    return coach


def timed_once(work: Callable[[], None]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def roster_part(sizes: list[int], rounds: int) -> None:
    bundle = journal(1)
    rows: dict[int, tuple[float, float, float, int]] = {}
    with tempfile.TemporaryDirectory(prefix="crampwise-roster-") as folder:
        for size in sizes:
            settings = Settings(
                database_url=f"sqlite:///{Path(folder) / f'squad{size}.db'}", data_dir=Path(folder)
            )
            with open_context(settings) as ctx:
                coach = squad(ctx, size, bundle)
                names = [f"athlete{i:04d}" for i in range(size)]

                def read_all(ctx: AppContext = ctx, names: list[str] = names) -> None:
                    for name in names:
                        load_history(ctx, athlete=name)

                def first(ctx: AppContext = ctx, coach: Any = coach, size: int = size) -> None:
                    ANALYSES.clear()
                    assert len(roster(ctx, reader=coach, now=NOW)) == size

                def warm(ctx: AppContext = ctx, coach: Any = coach) -> None:
                    roster(ctx, reader=coach, now=NOW)

                def best_of(work: Callable[[], None]) -> float:
                    return min(timed_once(work) for _ in range(rounds))

                floor = best_of(read_all)
                cold = best_of(first) if size <= 100 else timed_once(first)  # 500 cold: a minute each
                warm()  # fill the cache
                hot = best_of(warm)
                ANALYSES.clear()
                tracemalloc.start()
                first()
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                rows[size] = (floor, cold, hot, peak)
    print(f"\ncoach roster (best of {rounds} rounds; floor = reading every athlete's journal)")
    print(
        f"{'athletes':>8} {'floor':>9} {'first request':>22} {'next request (cached)':>24} {'peak heap':>10}"
    )
    for size, (floor, cold, hot, peak) in rows.items():
        print(
            f"{size:>8} {floor:8.2f}s {cold:9.2f}s {cold / floor:5.1f}x floor {hot:10.2f}s {hot / floor:5.1f}x floor"
            f" {peak / 2**20:8.1f}MB"
        )
    if len(sizes) > 1:
        small, big = sizes[0], sizes[-1]
        span = big / small
        for label, index in (("first request", 1), ("next request", 2), ("peak heap", 3)):
            growth = rows[big][index] / rows[small][index]
            print(
                f"growth {big}/{small} of the {label}: {growth:.1f}x vs {span:.0f}  {verdict(growth, span)}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--athletes", type=int, nargs="+", default=[50, 500])
    parser.add_argument("-n", "--rounds", type=int, default=3)
    args = parser.parse_args()
    history_part(sorted(args.years), args.rounds)
    roster_part(sorted(args.athletes), args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What does an athlete's calendar feed cost, against the one thing it cannot avoid?

Calendar apps fetch the feed about hourly, per athlete. The floor is `load_history` of the demo
athlete (about a year of sessions, cramps and days): the read every plan needs. The feed
(`reminders.feed_ics`) of the same athlete with N planned sessions, each with its plan, drinks
and alarms, and the daily check-in, is timed on the same store in the same run. It prints both
medians and their ratio; with one load of the history for the whole feed the ratio grows with N
by the cost of planning, not of reading.

    .venv/bin/python benchmarks/feed_bench.py --sessions 10 -n 5
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crampwise.config import Settings
from crampwise.services.context import open_context
from crampwise.services.demo import create_demo
from crampwise.services.journal import load_history
from crampwise.services.planned import add_planned
from crampwise.services.reminders import feed_ics, new_feed_token, set_checkin

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def median_s(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="planned sessions in the feed")
    parser.add_argument("-n", type=int, default=5, help="repeats (the median is printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{Path(folder) / 'bench.db'}", data_dir=Path(folder))
        with open_context(settings) as ctx:
            create_demo(ctx, now=NOW)
            for i in range(args.sessions):
                add_planned(
                    ctx,
                    athlete=None,
                    sport="run",
                    duration_s=3 * 3600,
                    temperature_c=24 + i % 8,
                    rpe=6,
                    when=NOW + timedelta(days=i + 1),
                )
            set_checkin(ctx, athlete=None, checkin_time="20:30")
            token = new_feed_token(ctx, athlete=None, now=NOW)
            floor = median_s(lambda: load_history(ctx, athlete=None), args.n)
            body = feed_ics(ctx, token=token, base_url="https://example.org", now=NOW)
            feed = median_s(
                lambda: feed_ics(ctx, token=token, base_url="https://example.org", now=NOW), args.n
            )
    print(f"floor: load_history of the demo athlete   {floor * 1000:8.1f} ms")
    print(f"feed: {args.sessions} planned sessions, {body.count(b'BEGIN:VEVENT')} events, {len(body) // 1024} KiB"
          f"   {feed * 1000:8.1f} ms")  # fmt: skip
    print(
        f"ratio feed / floor: {feed / floor:.1f}x ({feed / floor / max(1, args.sessions):.2f}x per session)"
    )


if __name__ == "__main__":
    main()

"""How long do the red-flag review and the reports take, against loading the history itself?

The floor is `History.from_bundle(parse_bundle(...))`: validating and sorting the journal that
every use-case starts from. The review (pure rules), the FHIR bundle (built + validated with
fhir.resources), the clinician HTML and the PDF are each reported as a ratio to that floor,
all measured in the same run.

    python benchmarks/report_bench.py            # 3 years of data, 3 rounds
    python benchmarks/report_bench.py --years 1 -n 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bundle_bench import make_bundle
from crampwise.domain.bundles import parse_bundle
from crampwise.domain.history import History
from crampwise.reports.clinician import build_report, render_html
from crampwise.reports.fhir import fhir_bundle, validate_fhir
from crampwise.reports.pdf import html_to_pdf
from crampwise.science.triage import review

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def best_of(rounds: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times) if rounds > 1 else statistics.fmean(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("-n", "--rounds", type=int, default=3)
    args = parser.parse_args()
    document = make_bundle(args.years)
    history = History.from_bundle(parse_bundle(document, now=NOW))
    result = review(history, NOW)
    html = render_html(build_report(history, result, now=NOW))
    html_to_pdf(html)  # warm up fonts once

    floor = best_of(args.rounds, lambda: History.from_bundle(parse_bundle(document, now=NOW)))
    cases = {
        "review (red flags)": lambda: review(history, NOW),
        "FHIR bundle + validation": lambda: validate_fhir(fhir_bundle(history, now=NOW)),
        "clinician HTML": lambda: render_html(build_report(history, review(history, NOW), now=NOW)),
        "clinician PDF (from HTML)": lambda: html_to_pdf(html),
    }
    print(f"{args.years} years: {len(history.sessions)} sessions, {len(history.cramps)} cramps")
    print(f"floor  load history (parse + sort): {floor * 1000:8.1f} ms")
    for name, work in cases.items():
        took = best_of(args.rounds, work)
        print(f"{name:32s} {took * 1000:8.1f} ms  = {took / floor:6.2f} x floor")


if __name__ == "__main__":
    main()

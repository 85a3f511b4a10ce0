"""Regenerate the generated FIT samples of tests/data/fit (the real ones are listed in SOURCES.md).

    python tests/data/make_samples.py

Deterministic: the same bytes every run, so a change shows up in `git diff`.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.fit_writer import RECORD_DTYPE, SESSION, Activity, Leg, activity_bytes, definition  # noqa: E402

DAY = 1_000_000_000  # FIT seconds: 2021-09-08T01:46:40Z

TRIATHLON = [
    Leg("swim", 300, 1.1, 130),
    Leg("transition", 75, 1.0, 120),
    Leg("ride", 600, 8.0, 145),
    Leg("transition", 40, 1.0, 130),
    Leg("run", 480, 3.2, 155),
]
# one activity a day from 2021-09-08 (the two triathlon layouts are the same activity)
SAMPLES = {
    "generated-triathlon-summary-last.fit": (Activity(TRIATHLON, seed=3, lap_every_s=300, start=DAY), False),
    "generated-triathlon-summary-first.fit": (
        Activity(TRIATHLON, seed=3, lap_every_s=300, start=DAY, summary_first=True),
        False,
    ),
    "generated-run-with-pauses.fit": (
        Activity([Leg("run", 900)], seed=4, start=DAY + 86_400, pauses=[(300, 120), (600, 45)]),
        False,
    ),
    "generated-clock-never-set.fit": (
        Activity([Leg("ride", 600, 8.0)], seed=5, start=5000, clock_set=False),
        False,
    ),
    "generated-no-session.fit": (
        Activity([Leg("run", 420)], seed=6, start=DAY + 2 * 86_400, with_session=False),
        False,
    ),
    "generated-bad-crc.fit": (Activity([Leg("walk", 300, 1.4, 100)], seed=7, start=DAY + 3 * 86_400), True),
}


def main() -> None:
    for name, (spec, bad_crc) in SAMPLES.items():
        (HERE / "fit" / name).write_bytes(activity_bytes(spec, bad_crc=bad_crc))
    # a damaged copy: the bad-CRC walk with one record header byte changed to an undefined
    # local message, so the data no longer decode either (the importer must refuse it)
    data = bytearray((HERE / "fit" / "generated-bad-crc.fit").read_bytes())
    marker = definition(6, 18, SESSION)
    first_record = data.index(marker) + len(marker)
    assert data[first_record] == 4
    data[first_record + 40 * RECORD_DTYPE.itemsize] = 0x0B
    (HERE / "fit" / "generated-bad-crc-and-broken.fit").write_bytes(bytes(data))


if __name__ == "__main__":
    main()

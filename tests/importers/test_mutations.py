"""Mutated real files (truncated, bit-flipped) never crash an importer nor give a bad session.

Every outcome must be a `ParsedFile` whose activities are whole (aware start, duration within
the contract's 0-48 h) or an `ImportProblem` with a reason: nothing else may escape.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from crampwise.importers.model import ImportProblem
from crampwise.importers.registry import parse_bytes
from tests.importers.conftest import shared_files

pytestmark = pytest.mark.shared

SMALL = [p for kind in ("fit", "gpx", "tcx") for p in shared_files(kind) if p.stat().st_size <= 100_000]
ALL = [p for kind in ("fit", "gpx", "tcx") for p in shared_files(kind)]


def check(data: bytes) -> None:
    try:
        parsed = parse_bytes(data)
    except ImportProblem as problem:
        assert problem.status in ("error", "skipped") and problem.reason
        return
    for activity in parsed.activities:
        assert activity.start.tzinfo is not None
        assert 0 < activity.duration_s <= 48 * 3600
        assert activity.avg_hr is None or 20 <= activity.avg_hr <= 250
        assert activity.temperature_c is None or -40 <= activity.temperature_c <= 60
        series = activity.series
        assert all(len(getattr(series, name)) == len(series) for name in ("heart_rate", "speed_m_s", "power"))


def mutations(data: bytes, rng: random.Random, count: int) -> list[bytes]:
    out = []
    for _ in range(count):
        cut = rng.randrange(0, len(data))
        out.append(data[:cut])
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(0, len(data))
            flipped[at] ^= 1 << rng.randrange(8)
        out.append(bytes(flipped))
    return out


@pytest.mark.skipif(not SMALL, reason="shared activity files absent (../shared/data/activities)")
@pytest.mark.parametrize("path", SMALL, ids=[p.name for p in SMALL])
def test_truncated_and_flipped_small_files(path: Path) -> None:
    rng = random.Random(path.name)
    for mutated in mutations(path.read_bytes(), rng, 12):
        check(mutated)


@pytest.mark.slow
@pytest.mark.skipif(not ALL, reason="shared activity files absent (../shared/data/activities)")
@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_truncated_and_flipped_every_file(path: Path) -> None:
    rng = random.Random(f"slow-{path.name}")
    data = path.read_bytes()
    header_cuts = [data[:n] for n in range(0, min(len(data), 40))]
    for mutated in header_cuts + mutations(data, rng, 10):
        check(mutated)

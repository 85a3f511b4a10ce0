"""Every session crampwise reads from a shipped FIT file equals the session message an independent
decoder (fitdecode, `importers/fit_reference.py`) reads: start, sport, duration, distance, heart
rate, one activity per leg (transitions dropped).

The FIT equality tests compare the two decoders' raw messages; this compares what crampwise
*makes* of them (`importers/fit_sessions.py`), which before only the ../shared files checked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crampwise.domain.enums import Sport
from crampwise.importers.fit_reference import decode_with_fitdecode
from crampwise.importers.registry import parse_bytes

DATA = Path(__file__).resolve().parents[1] / "data" / "fit"
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
SPORTS = {1: Sport.RUN, 2: Sport.RIDE, 5: Sport.SWIM, 11: Sport.WALK}
TRANSITION = 3
CLOCK_SET_FROM = 0x10000000  # FIT: smaller timestamps count seconds since the device powered on
WITH_SESSIONS = [
    p
    for p in sorted(DATA.glob("*.fit"))
    if p.name != "generated-bad-crc-and-broken.fit" and decode_with_fitdecode(p.read_bytes()).sessions
]


def test_most_shipped_files_have_sessions() -> None:
    assert len(WITH_SESSIONS) >= 11


@pytest.mark.parametrize("path", WITH_SESSIONS, ids=[p.name for p in WITH_SESSIONS])
def test_each_leg_is_its_session_message(path: Path) -> None:
    data = path.read_bytes()
    legs = [s for s in decode_with_fitdecode(data).sessions if s["sport"] != TRANSITION]
    activities = parse_bytes(data).activities
    assert len(activities) == len(legs)
    legs.sort(key=lambda s: s["start_time"])
    for activity, leg in zip(sorted(activities, key=lambda a: a.start), legs, strict=True):
        if leg["start_time"] >= CLOCK_SET_FROM:
            assert activity.start == FIT_EPOCH + timedelta(seconds=leg["start_time"])
        assert activity.sport is SPORTS.get(leg["sport"], Sport.OTHER)
        assert activity.duration_s == pytest.approx(leg["total_elapsed_time"])
        assert activity.distance_m == pytest.approx(leg["total_distance"])
        assert activity.avg_hr == leg["avg_heart_rate"]
        assert activity.max_hr == leg["max_heart_rate"]
        assert not activity.recovered
    if len(legs) > 1:  # the legs of one multisport activity are linked as one event
        assert len({a.event for a in activities}) == 1 and activities[0].event is not None

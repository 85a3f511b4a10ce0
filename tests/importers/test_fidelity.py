"""Import fidelity on files shipped in tests/data: what each hard case becomes (issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crampwise.domain.enums import Sport
from crampwise.importers.model import ImportProblem, ParsedFile
from crampwise.importers.registry import parse_bytes

DATA = Path(__file__).resolve().parents[1] / "data" / "fit"


def parse(name: str) -> ParsedFile:
    return parse_bytes((DATA / name).read_bytes())


def test_clock_never_set_is_dated_from_the_local_timestamp_in_the_athletes_zone() -> None:
    parsed = parse("compressed-speed-distance.fit")
    (run,) = parsed.activities
    assert run.date_inferred
    # activity.local_timestamp 698070063 at activity.timestamp 17221751; start 17217864
    wall = datetime.fromtimestamp(631065600 + 17217864 + 698070063 - 17221751, UTC).replace(tzinfo=None)
    assert run.start.replace(tzinfo=None) == wall
    placed = run.in_zone(ZoneInfo("Europe/Madrid"))
    assert placed.start.astimezone(ZoneInfo("Europe/Madrid")).replace(tzinfo=None) == wall
    assert placed.start.utcoffset() is not None and placed.start != run.start
    (generated,) = parse("generated-clock-never-set.fit").activities
    assert generated.date_inferred and generated.start.year == 2021
    assert generated.duration_s == 600


def test_a_set_clock_is_not_inferred() -> None:
    (ride,) = parse("2020-06-01-16-52-40.fit").activities
    assert not ride.date_inferred
    assert ride.in_zone(ZoneInfo("Asia/Tokyo")) == ride


@pytest.mark.parametrize(
    ("name", "n_records"), [("activity_truncated.fit", 14), ("generated-no-session.fit", 420)]
)
def test_a_file_without_a_session_is_rebuilt_from_its_records(name: str, n_records: int) -> None:
    (recovered,) = parse(name).activities
    assert recovered.recovered
    assert len(recovered.series) == n_records
    assert recovered.duration_s == recovered.series.elapsed_s[-1] > 0
    if name.startswith("generated"):
        assert recovered.sport is Sport.RUN  # from the file's sport message
        assert recovered.distance_m is not None and recovered.distance_m > 1000
        assert recovered.avg_hr is not None and 120 < recovered.avg_hr < 160


def test_a_multisport_file_is_one_session_per_leg_linked_as_one_event() -> None:
    run, row = parse("6471559601_ACTIVITY.fit").activities  # run, transition, rowing
    assert (run.sport, row.sport) == (Sport.RUN, Sport.OTHER)
    assert run.event == row.event is not None
    assert row.notes == "transition before this leg: 12 s"
    assert row.start.timestamp() - run.start.timestamp() == pytest.approx(24.593 + 11.763, abs=1)


def test_summaries_at_the_start_read_like_summaries_at_the_end() -> None:
    last = parse("generated-triathlon-summary-last.fit").activities
    first = parse("generated-triathlon-summary-first.fit").activities
    assert [a.sport for a in last] == [Sport.SWIM, Sport.RIDE, Sport.RUN]
    for a, b in zip(last, first, strict=True):
        assert (a.start, a.sport, a.duration_s, a.distance_m, a.avg_hr, a.notes, a.event) == (
            b.start,
            b.sport,
            b.duration_s,
            b.distance_m,
            b.avg_hr,
            b.notes,
            b.event,
        )
        assert a.series == b.series and len(a.series) > 0
    assert last[1].notes == "transition before this leg: 1 min 15 s"


def test_pauses_give_moving_time_and_elapsed_is_kept() -> None:
    (run,) = parse("generated-run-with-pauses.fit").activities
    assert run.duration_s == 900
    assert run.moving_time_s == 900 - 120 - 45
    (ride,) = parse("2020-06-01-16-52-40.fit").activities  # stop_all at 613 and 686, start at 645
    assert ride.duration_s == pytest.approx(113.15)
    assert ride.moving_time_s == (613 - 560) + (686 - 645)


def test_a_bad_crc_on_clean_data_imports_with_a_warning() -> None:
    for name in ("generated-bad-crc.fit", "activity-filecrc.fit"):
        parsed = parse(name)
        assert len(parsed.activities) == 1
        assert parsed.warning is not None and "CRC" in parsed.warning and "decode cleanly" in parsed.warning
    assert parse("garmin-fenix-5-run.fit").warning is None  # a correct CRC says nothing


def test_a_bad_crc_on_data_that_do_not_decode_is_refused_with_the_reason() -> None:
    with pytest.raises(ImportProblem) as info:
        parse("generated-bad-crc-and-broken.fit")
    assert info.value.status == "error"
    assert "CRC" in info.value.reason and "undefined local message" in info.value.reason


def test_a_truncated_file_with_its_summary_still_imports() -> None:
    parsed = parse("activity-unexpected-eof.fit")
    assert len(parsed.activities) == 1 and parsed.warning is not None and "truncated" in parsed.warning


def test_json_that_is_not_a_bundle_is_skipped_with_a_reason() -> None:
    for data in (b'[{"summaryId": 1}]', b'{"userProfileId": 7, "sleepStartTimestampGMT": 0}'):
        with pytest.raises(ImportProblem) as info:
            parse_bytes(data)
        assert info.value.status == "skipped" and "not an activity" in info.value.reason


def test_damaged_json_is_an_error_not_skipped() -> None:
    with pytest.raises(ImportProblem) as info:
        parse_bytes(b'[{"calendarDate": "2024-05-01", ')
    assert info.value.status == "error" and "damaged JSON" in info.value.reason

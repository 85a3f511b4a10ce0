"""The TCX reader on hand-written files: every value it keeps, and every way it refuses one.

Until now only the `../shared` TCX files and the service tests reached `importers/tcx.py`; a
clean clone's importer tests did not (mutation testing: 443 mutants with no test).
"""

from __future__ import annotations

import io
import math
from datetime import UTC, datetime

import pytest

from crampwise.domain.enums import Sport
from crampwise.importers.model import ImportProblem
from crampwise.importers.tcx import parse_tcx

NS = 'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"'


def point(
    t: str, *, dist: float | None = None, hr: int | None = None, cadence: int | None = None, ext: str = ""
) -> str:
    parts = [f"<Time>{t}</Time>"]
    if dist is not None:
        parts.append(f"<DistanceMeters>{dist}</DistanceMeters>")
    if hr is not None:
        parts.append(f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>")
    if cadence is not None:
        parts.append(f"<Cadence>{cadence}</Cadence>")
    if ext:
        parts.append(f"<Extensions><ns3:TPX>{ext}</ns3:TPX></Extensions>")
    return f"<Trackpoint>{''.join(parts)}</Trackpoint>"


def lap(
    start: str, seconds: float, meters: float | None, avg: int | None, top: int | None, points: list[str]
) -> str:
    inner = f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds>"
    if meters is not None:
        inner += f"<DistanceMeters>{meters}</DistanceMeters>"
    if avg is not None:
        inner += f"<AverageHeartRateBpm><Value>{avg}</Value></AverageHeartRateBpm>"
    if top is not None:
        inner += f"<MaximumHeartRateBpm><Value>{top}</Value></MaximumHeartRateBpm>"
    return f'<Lap StartTime="{start}">{inner}<Track>{"".join(points)}</Track></Lap>'


def tcx(
    laps: list[str],
    *,
    sport: str = "Running",
    activity_id: str | None = "2024-05-01T07:00:00Z",
    creator: str | None = "Forerunner 255",
) -> bytes:
    head = f"<Id>{activity_id}</Id>" if activity_id is not None else ""
    tail = f"<Creator><Name>{creator}</Name></Creator>" if creator is not None else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase {NS}><Activities>'
        f'<Activity Sport="{sport}">{head}{"".join(laps)}{tail}</Activity></Activities></TrainingCenterDatabase>'
    ).encode()


TWO_LAPS = [
    lap(
        "2024-05-01T07:00:00Z",
        60,
        200.0,
        140,
        150,
        [
            point("2024-05-01T07:00:00Z", dist=0.0, hr=130, cadence=80),
            point(
                "2024-05-01T07:00:30Z",
                dist=100.0,
                hr=145,
                ext="<ns3:RunCadence>84</ns3:RunCadence><ns3:Watts>250</ns3:Watts>",
            ),
            point("2024-05-01T07:01:00Z", dist=200.0, hr=150),
        ],
    ),
    lap(
        "2024-05-01T07:01:00Z",
        60,
        210.0,
        160,
        170,
        [
            point("2024-05-01T07:01:30Z", dist=300.0, hr=165, ext="<ns3:Speed>3.5</ns3:Speed>"),
            point("2024-05-01T07:01:20Z", dist=999.0, hr=99),  # out of order: skipped
            point("2024-05-01T07:02:05Z", hr=168),
        ],
    ),
]


def parse(data: bytes):  # type: ignore[no-untyped-def]
    parsed = parse_tcx(io.BytesIO(data))
    assert parsed.format == "tcx" and parsed.decoder == "lxml"
    (activity,) = parsed.activities
    return activity


def test_two_laps_give_every_value_the_reader_keeps() -> None:
    activity = parse(tcx(TWO_LAPS))
    assert activity.start == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
    assert activity.sport is Sport.RUN
    assert activity.duration_s == 125.0  # the last point (07:02:05) is later than the laps' 120 s
    assert activity.distance_m == 410.0
    assert activity.avg_hr == 150.0  # the laps' averages weighted by their time
    assert activity.max_hr == 170.0  # the laps' maxima and the points' values
    assert activity.device == "Forerunner 255"
    series = activity.series
    assert list(series.elapsed_s) == [0.0, 30.0, 60.0, 90.0, 125.0]
    assert [None if math.isnan(v) else v for v in series.heart_rate] == [130, 145, 150, 165, 168]
    assert [None if math.isnan(v) else v for v in series.cadence] == [80, 84, None, None, None]
    assert [None if math.isnan(v) else v for v in series.power] == [None, 250, None, None, None]
    # speed: from the extension where present, else from the distances of consecutive points
    assert [None if math.isnan(v) else round(v, 4) for v in series.speed_m_s] == [
        None,
        3.3333,
        3.3333,
        3.5,
        None,
    ]


def test_without_lap_averages_the_points_give_the_heart_rate() -> None:
    laps = [
        lap(
            "2024-05-01T07:00:00Z",
            60,
            None,
            None,
            None,
            [
                point("2024-05-01T07:00:00Z", hr=120),
                point("2024-05-01T07:00:30Z", hr=140),
                point("2024-05-01T07:01:00Z", hr=160),
            ],
        )
    ]
    activity = parse(tcx(laps, sport="Biking", creator=None))
    assert activity.sport is Sport.RIDE and activity.device is None
    assert activity.distance_m is None
    assert activity.avg_hr == 130.0  # time-weighted: 120 for 30 s, 140 for 30 s
    assert activity.max_hr == 160.0
    assert activity.duration_s == 60.0


def test_the_start_comes_from_the_first_lap_then_from_the_earliest_point() -> None:
    laps = [
        lap(
            "2024-05-01T06:59:00Z",
            120,
            10.0,
            None,
            None,
            [point("2024-05-01T07:00:00Z"), point("2024-05-01T07:00:50Z")],
        )
    ]
    assert parse(tcx(laps, activity_id=None)).start == datetime(2024, 5, 1, 6, 59, tzinfo=UTC)
    no_lap_start = [laps[0].replace('StartTime="2024-05-01T06:59:00Z"', "")]
    activity = parse(tcx(no_lap_start, activity_id=None, sport="Swimming"))
    assert activity.start == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
    assert activity.sport is Sport.OTHER
    assert activity.duration_s == 120.0  # the laps' total time is longer than the points' span


def test_a_local_time_without_offset_is_read_as_utc_and_an_offset_is_converted() -> None:
    laps = [lap("x", 60, 1.0, None, None, [point("2024-05-01T09:00:00+02:00"), point("2024-05-01T07:00:30")])]
    activity = parse(tcx(laps, activity_id="2024-05-01T09:00:00+02:00"))
    assert activity.start == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
    assert list(activity.series.elapsed_s) == [0.0, 30.0]


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        (b"<TrainingCenterDatabase><Activities>", "error", "unreadable TCX"),
        (
            b"<TrainingCenterDatabase><Courses/></TrainingCenterDatabase>",
            "skipped",
            "TCX without an activity (a course or workout file)",
        ),
        (
            tcx([lap("", 0, None, None, None, [point("garbage")])], activity_id=None),
            "skipped",
            "TCX activity without a start time",
        ),
        (
            tcx([lap("2024-05-01T07:00:00Z", 0, None, None, None, [point("2024-05-01T07:00:00Z")])]),
            "error",
            "TCX activity duration 0 s is outside 0-48 h",
        ),
        (
            tcx([lap("2024-05-01T07:00:00Z", 200_000, None, None, None, [])]),
            "error",
            "TCX activity duration 200000 s is outside 0-48 h",
        ),
    ],
    ids=["broken XML", "a course", "no start", "zero duration", "over 48 h"],
)
def test_what_is_refused_and_why(data: bytes, status: str, reason: str) -> None:
    with pytest.raises(ImportProblem) as problem:
        parse_tcx(io.BytesIO(data))
    assert problem.value.status == status
    assert problem.value.reason.startswith(reason)


def test_unreadable_numbers_and_implausible_values_are_unknown_not_errors() -> None:
    laps = [
        lap(
            "2024-05-01T07:00:00Z",
            60,
            None,
            None,
            None,
            [
                point("2024-05-01T07:00:00Z", ext="<ns3:Watts>lots</ns3:Watts>"),
                point("2024-05-01T07:01:00Z", hr=400),
            ],
        ).replace("<TotalTimeSeconds>60</TotalTimeSeconds>", "<TotalTimeSeconds>sixty</TotalTimeSeconds>")
    ]
    activity = parse(tcx(laps))
    assert activity.duration_s == 60.0
    assert activity.max_hr is None and activity.avg_hr is None  # 400 bpm is no heart rate
    assert math.isnan(activity.series.power[0])

"""TCX activities (Garmin Connect, Polar Flow, MapMyRide) -> `ImportedActivity`, via lxml.

The first `<Activity>` is read: its laps give distance and, where present, average and maximum
heart rate; its track points give the series (heart rate, cadence, power and speed from the
`TPX` extension, or speed from consecutive `DistanceMeters`). Duration is the time from the
activity start to the last track point, or the laps' total time when points carry no time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, BinaryIO, Final

from crampwise.domain.enums import Sport
from crampwise.domain.series import Series
from crampwise.importers.model import (
    MAX_DURATION_S,
    ImportedActivity,
    ParsedFile,
    clean,
    damaged,
    not_an_activity,
)
from crampwise.importers.xmlsafe import xml_text

TCX_SPORTS: Final = {"running": Sport.RUN, "biking": Sport.RIDE}


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child(element: Any, name: str) -> Any:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child.tag) == name]


def _number(element: Any, *path: str) -> float | None:
    for name in path:
        if element is None:
            return None
        element = _child(element, name)
    if element is None or element.text is None:
        return None
    try:
        return float(element.text.strip())
    except ValueError:
        return None


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _extension(point: Any, name: str) -> float | None:
    ext = _child(point, "Extensions")
    if ext is None:
        return None
    for element in ext.iter():
        if _local(element.tag) == name and element.text:
            try:
                return float(element.text.strip())
            except ValueError:
                return None
    return None


def parse_tcx(stream: BinaryIO) -> ParsedFile:
    """Read a TCX file's first activity, or raise ImportProblem with the reason."""
    from lxml import etree

    body = xml_text(stream.read(), "TCX")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise damaged(f"unreadable TCX: {exc}") from None
    activities = _child(root, "Activities")
    activity = _child(activities, "Activity") if activities is not None else None
    if activity is None:
        raise not_an_activity("TCX without an activity (a course or workout file)")
    laps = _children(activity, "Lap")
    points = [p for lap in laps for track in _children(lap, "Track") for p in _children(track, "Trackpoint")]
    start = _time(_child(activity, "Id").text if _child(activity, "Id") is not None else None)
    if start is None and laps:
        start = _time(laps[0].get("StartTime"))
    times = [_time(_child(p, "Time").text if _child(p, "Time") is not None else None) for p in points]
    if start is None:
        start = min((t for t in times if t is not None), default=None)
    if start is None:
        raise not_an_activity("TCX activity without a start time")
    lap_time = sum(_number(lap, "TotalTimeSeconds") or 0.0 for lap in laps)
    last = max((t for t in times if t is not None), default=None)
    duration_s = max(lap_time, (last - start).total_seconds() if last else 0.0)
    if not 0 < duration_s <= MAX_DURATION_S:
        raise damaged(f"TCX activity duration {duration_s:.0f} s is outside 0-48 h")
    elapsed: list[float] = []
    hr: list[float | None] = []
    speed: list[float | None] = []
    cadence: list[float | None] = []
    power: list[float | None] = []
    previous: tuple[float, float] | None = None
    for point, moment in zip(points, times, strict=True):
        if moment is None:
            continue
        t = (moment - start).total_seconds()
        if elapsed and t < elapsed[-1]:
            continue
        dist = _number(point, "DistanceMeters")
        v = _extension(point, "Speed")
        if v is None and dist is not None and previous is not None and t > previous[0]:
            v = (dist - previous[1]) / (t - previous[0])
        if dist is not None:
            previous = (t, dist)
        elapsed.append(t)
        hr.append(_number(point, "HeartRateBpm", "Value"))
        cadence.append(_number(point, "Cadence") or _extension(point, "RunCadence"))
        power.append(_extension(point, "Watts"))
        speed.append(v)
    series = Series.build(elapsed, heart_rate=hr, speed_m_s=speed, cadence=cadence, power=power)
    lap_seconds = [_number(lap, "TotalTimeSeconds") or 0.0 for lap in laps]
    lap_hr = [
        (_number(lap, "AverageHeartRateBpm", "Value"), w) for lap, w in zip(laps, lap_seconds, strict=True)
    ]
    weighted = [(v, w) for v, w in lap_hr if v is not None and w > 0]
    avg_hr = (
        sum(v * w for v, w in weighted) / sum(w for _, w in weighted)
        if weighted
        else series.mean("heart_rate")
    )
    maxes = [m for lap in laps if (m := _number(lap, "MaximumHeartRateBpm", "Value")) is not None]
    maxes += [v for v in hr if v is not None]
    distances = [d for lap in laps if (d := _number(lap, "DistanceMeters")) is not None]
    creator = _child(activity, "Creator")
    result = ImportedActivity(
        start=start,
        sport=TCX_SPORTS.get((activity.get("Sport") or "").lower(), Sport.OTHER),
        duration_s=duration_s,
        distance_m=clean(round(sum(distances), 1) if distances else None, 0, 2_000_000),
        avg_hr=clean(round(avg_hr, 1) if avg_hr else None, 20, 250),
        max_hr=clean(max(maxes) if maxes else None, 20, 250),
        series=series,
        device=_child(creator, "Name").text
        if creator is not None and _child(creator, "Name") is not None
        else None,
    )
    return ParsedFile("tcx", (result,), decoder="lxml")

"""GPX tracks (Garmin Connect, Strava, GPSBabel exports) -> `ImportedActivity`, via gpxpy.

A GPX file is an activity only when its track carries real times: a planned route (`<rte>`),
waypoints, a track whose times are the 1901 null sentinel (INT32_MIN Unix time, as GPSBabel
writes) or a track timed on a handful of points is skipped with the reason, since start and
duration would be invented. Heart rate, cadence, temperature and power come from the
Garmin TrackPointExtension (any namespace prefix); speed from consecutive positions.
"""

from __future__ import annotations

import contextlib
import math
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

EARLIEST_PLAUSIBLE: Final = datetime(1990, 1, 1, tzinfo=UTC)  # before GPS watches: a null time
MIN_TIMED_FRACTION: Final = 0.5  # crampwise_convention: fewer timed points -> duration unknown
MIN_TIMED_POINTS: Final = 2
# Strava's numeric <type> codes and common words -> the contract's sports.
GPX_SPORTS: Final = {
    "1": Sport.RIDE,
    "4": Sport.HIKE,
    "9": Sport.RUN,
    "10": Sport.WALK,
    "run": Sport.RUN,
    "running": Sport.RUN,
    "ride": Sport.RIDE,
    "cycling": Sport.RIDE,
    "biking": Sport.RIDE,
    "road_biking": Sport.RIDE,
    "mountain_biking": Sport.RIDE,
    "swim": Sport.SWIM,
    "swimming": Sport.SWIM,
    "walk": Sport.WALK,
    "walking": Sport.WALK,
    "hike": Sport.HIKE,
    "hiking": Sport.HIKE,
}
_EXTENSION_CHANNELS: Final = {
    "hr": "heart_rate",
    "heartrate": "heart_rate",
    "cad": "cadence",
    "cadence": "cadence",
    "atemp": "temperature_c",
    "temp": "temperature_c",
    "wtemp": "temperature_c",
    "power": "power",
    "watts": "power",
}
_EARTH_RADIUS_M: Final = 6371008.8


def sport_from_text(text: str | None) -> Sport | None:
    if not text:
        return None
    return GPX_SPORTS.get(text.strip().lower().replace(" ", "_"))


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value if value >= EARLIEST_PLAUSIBLE else None


def _extensions(elements: list[Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    stack = list(elements)
    while stack:
        element = stack.pop()
        tag = str(element.tag)
        name = tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
        channel = _EXTENSION_CHANNELS.get(name)
        if channel and element.text:
            with contextlib.suppress(ValueError):
                out.setdefault(channel, float(element.text.strip()))
        stack.extend(list(element))
    return out


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def parse_gpx(stream: BinaryIO) -> ParsedFile:
    """Read a GPX file's tracks as one activity, or raise ImportProblem with the reason."""
    import gpxpy
    import gpxpy.gpx

    body = xml_text(stream.read(), "GPX")
    try:
        gpx = gpxpy.parse(body.decode("utf-8", errors="replace"))
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise damaged(f"unreadable GPX: {exc}") from None
    points = [p for track in gpx.tracks for segment in track.segments for p in segment.points]
    if not points:
        what = "a planned route" if gpx.routes else "waypoints only" if gpx.waypoints else "no track points"
        raise not_an_activity(f"GPX without a recorded track ({what})")
    timed = [(t, p) for p in points if (t := _utc(p.time)) is not None]
    if len(timed) < MIN_TIMED_POINTS or len(timed) < MIN_TIMED_FRACTION * len(points):
        raise not_an_activity(
            f"GPX track has real times on {len(timed)} of {len(points)} points: start and duration unknown"
        )
    timed.sort(key=lambda pair: pair[0])
    start = timed[0][0]
    duration_s = (timed[-1][0] - start).total_seconds()
    if not 0 < duration_s <= MAX_DURATION_S:
        raise damaged(f"GPX track duration {duration_s:.0f} s is outside 0-48 h")
    elapsed: list[float] = []
    channels: dict[str, list[float | None]] = {
        "heart_rate": [],
        "speed_m_s": [],
        "temperature_c": [],
        "cadence": [],
        "power": [],
    }
    distance = 0.0
    previous = None
    for moment, point in timed:
        ext = _extensions(list(point.extensions or []))
        step = 0.0
        speed: float | None = None
        if previous is not None:
            step = _distance_m(previous[1].latitude, previous[1].longitude, point.latitude, point.longitude)
            dt = (moment - previous[0]).total_seconds()
            speed = step / dt if dt > 0 else None
        distance += step
        previous = (moment, point)
        elapsed.append((moment - start).total_seconds())
        channels["speed_m_s"].append(speed)
        for name in ("heart_rate", "temperature_c", "cadence", "power"):
            channels[name].append(ext.get(name))
    hr_values = [v for v in channels["heart_rate"] if v]
    temps = [v for v in channels["temperature_c"] if v is not None]
    series = Series.build(elapsed, **channels)
    uphill = gpx.get_uphill_downhill().uphill if any(p.elevation is not None for p in points) else None
    sport = next((s for t in gpx.tracks if (s := sport_from_text(t.type)) is not None), Sport.OTHER)
    title: str | None = next((t.name for t in gpx.tracks if t.name), None) or gpx.name
    activity = ImportedActivity(
        start=start,
        sport=sport,
        duration_s=duration_s,
        distance_m=clean(round(distance, 1), 0, 2_000_000),
        elevation_gain_m=clean(round(uphill, 1) if uphill is not None else None, 0, 30_000),
        avg_hr=clean(round(series.mean("heart_rate") or 0, 1) or None, 20, 250),
        max_hr=clean(max(hr_values) if hr_values else None, 20, 250),
        temperature_c=clean(round(sum(temps) / len(temps), 1) if temps else None, -40, 60),
        series=series,
        name=title,
        device=gpx.creator,
    )
    return ParsedFile("gpx", (activity,), decoder="gpxpy")

"""Apple Health `export.zip` (`apple_health_export/export.xml`): workouts and their heart rate.

The file reaches gigabytes (every heart-rate, step and energy sample of years), so it is
streamed twice with lxml's `iterparse`, each element cleared as soon as it is read (memory stays
flat whatever the size):

1. the `Workout` elements: sport (`workoutActivityType`), start and end with their UTC offset,
   active duration (`duration`, pauses excluded: the moving time), distance (`totalDistance`,
   or the distance statistics of iOS 16 and later), the heart-rate statistics
   (`WorkoutStatistics`), and the weather temperature (`HKWeatherTemperature`);
2. the heart-rate `Record` elements that fall inside a workout, as that workout's series.

Heart-rate records come before the workouts in the file, hence two passes rather than one that
would have to hold every sample. The DTD Apple puts in the file is read but nothing is
expanded from it (`resolve_entities=False`) and nothing is fetched (`no_network`).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import IO, Any, Final

from lxml import etree

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
from crampwise.importers.wellness import WELLNESS_TYPES, AppleWellness

HEART_RATE: Final = "HKQuantityTypeIdentifierHeartRate"
DISTANCE: Final = "HKQuantityTypeIdentifierDistance"  # ...WalkingRunning, ...Cycling, ...Swimming
DISTANCE_UNITS_M: Final = {"km": 1000.0, "m": 1.0, "mi": 1609.344, "yd": 0.9144, "ft": 0.3048}
DURATION_UNITS_S: Final = {"min": 60.0, "s": 1.0, "sec": 1.0, "hr": 3600.0, "h": 3600.0}
SPORTS: Final = {
    "Running": Sport.RUN,
    "Cycling": Sport.RIDE,
    "HandCycling": Sport.RIDE,
    "Swimming": Sport.SWIM,
    "Walking": Sport.WALK,
    "Hiking": Sport.HIKE,
    "TraditionalStrengthTraining": Sport.STRENGTH,
    "FunctionalStrengthTraining": Sport.STRENGTH,
    "CrossTraining": Sport.STRENGTH,
    "Soccer": Sport.TEAM_SPORT,
    "Basketball": Sport.TEAM_SPORT,
    "Rugby": Sport.TEAM_SPORT,
    "AmericanFootball": Sport.TEAM_SPORT,
    "AustralianFootball": Sport.TEAM_SPORT,
    "Handball": Sport.TEAM_SPORT,
    "Hockey": Sport.TEAM_SPORT,
    "Volleyball": Sport.TEAM_SPORT,
    "Lacrosse": Sport.TEAM_SPORT,
    "SwimBikeRun": Sport.TRIATHLON,
}


@dataclass
class Workout:
    """One workout of pass 1, and its heart-rate samples once pass 2 has run."""

    activity: ImportedActivity
    start_s: float  # UTC seconds
    end_s: float
    times: array[float] = field(default_factory=lambda: array("d"))
    heart_rate: array[float] = field(default_factory=lambda: array("d"))


def _when(text: str | None) -> datetime | None:
    """`2024-05-01 07:30:00 +0200` (Apple's form) as an aware datetime."""
    if not text or len(text) < 25:
        return None
    try:
        return datetime.fromisoformat(text[:19] + text[20:])
    except ValueError:
        return None


def _float(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None


def _elements(stream: IO[bytes], tags: tuple[str, ...]) -> Iterator[Any]:
    """Top-level elements named `tags`, each cleared (and its earlier siblings dropped) after use."""
    context = etree.iterparse(
        stream,
        events=("end",),
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
    )
    try:
        for _event, element in context:
            yield element
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise damaged(f"Apple Health export.xml is not well-formed XML: {exc}") from None


def _temperature_c(text: str | None) -> float | None:
    """`64 degF` or `18 degC` (HKWeatherTemperature) in degrees Celsius."""
    if not text:
        return None
    number, _, unit = text.partition(" ")
    value = _float(number)
    if value is None:
        return None
    return round((value - 32) * 5 / 9, 1) if unit.lower().endswith("f") else value


def _workout(element: Any) -> Workout | None:
    start, end = _when(element.get("startDate")), _when(element.get("endDate"))
    if start is None or end is None:
        return None
    elapsed = (end - start).total_seconds()
    if not 0 < elapsed <= MAX_DURATION_S:
        return None
    kind = (element.get("workoutActivityType") or "").removeprefix("HKWorkoutActivityType")
    active = _float(element.get("duration"))
    if active is not None:
        active *= DURATION_UNITS_S.get(element.get("durationUnit") or "min", 60.0)
    distance = _float(element.get("totalDistance"))
    if distance is not None:
        distance *= DISTANCE_UNITS_M.get(element.get("totalDistanceUnit") or "km", 1000.0)
    avg_hr = max_hr = temperature = None
    for child in element:
        kind_of = child.get("type") or ""
        if child.tag == "WorkoutStatistics" and kind_of == HEART_RATE:
            avg_hr, max_hr = _float(child.get("average")), _float(child.get("maximum"))
        elif child.tag == "WorkoutStatistics" and kind_of.startswith(DISTANCE) and distance is None:
            total = _float(child.get("sum"))
            if total is not None:
                distance = total * DISTANCE_UNITS_M.get(child.get("unit") or "km", 1000.0)
        elif child.tag == "MetadataEntry" and child.get("key") == "HKWeatherTemperature":
            temperature = _temperature_c(child.get("value"))
    activity = ImportedActivity(
        start=start,
        sport=SPORTS.get(kind, Sport.OTHER),
        duration_s=elapsed,
        distance_m=clean(distance, 0, 2_000_000),
        avg_hr=clean(avg_hr, 20, 250),
        max_hr=clean(max_hr, 20, 250),
        temperature_c=clean(temperature, -40, 60),
        moving_time_s=active if active is not None and 0 < active <= elapsed + 1 else None,
        device=element.get("sourceName"),
    )
    return Workout(activity, start.timestamp(), end.timestamp())


def read_workouts(stream: IO[bytes], wellness: AppleWellness | None = None) -> list[Workout]:
    """Pass 1: every workout of the export, by start time (reads the stream to its end).

    With `wellness`, the sleep, resting heart rate and HRV records are handed to it on the way
    (`importers.wellness`), so they cost no pass of their own.
    """
    workouts = []
    for element in _elements(stream, ("Workout", "Record")):
        if element.tag == "Workout":
            workout = _workout(element)
            if workout is not None:
                workouts.append(workout)
        elif wellness is not None and element.get("type") in WELLNESS_TYPES:
            start, end = _when(element.get("startDate")), _when(element.get("endDate"))
            if start is not None and end is not None:
                wellness.add(element.get("type"), start, end, element.get("value"))
    return sorted(workouts, key=lambda w: w.start_s)


def with_heart_rate(
    stream: IO[bytes], workouts: list[Workout], wellness: AppleWellness | None = None
) -> ParsedFile:
    """Pass 2: the heart-rate records inside each workout, then the activities (and the nights
    `wellness` gathered in pass 1; an export with nights and no workout needs no pass 2)."""
    nights = wellness.nights() if wellness is not None else ()
    if not workouts and nights:
        return ParsedFile("apple-health", (), decoder="lxml", wellness=nights)
    if not workouts:
        raise not_an_activity("Apple Health export without workouts or sleep and recovery records")
    starts = [w.start_s for w in workouts]
    for element in _elements(stream, ("Record",)):
        if element.get("type") != HEART_RATE:
            continue
        moment = _when(element.get("startDate"))
        value = _float(element.get("value"))
        if moment is None or value is None:
            continue
        at = moment.timestamp()
        index = bisect.bisect_right(starts, at) - 1
        if index >= 0 and at <= workouts[index].end_s:
            workouts[index].times.append(at - workouts[index].start_s)
            workouts[index].heart_rate.append(value)
    return ParsedFile("apple-health", tuple(_finish(w) for w in workouts), decoder="lxml", wellness=nights)


def _finish(workout: Workout) -> ImportedActivity:
    order = sorted(range(len(workout.times)), key=workout.times.__getitem__)
    times = [workout.times[i] for i in order]
    rates = [clean(workout.heart_rate[i], 20, 250) for i in order]
    series = Series.build(times, heart_rate=rates)
    activity = workout.activity
    present = [r for r in rates if r is not None]
    if activity.avg_hr is None and present:
        activity = replace(activity, avg_hr=round(series.mean("heart_rate") or 0, 1) or None)
    if activity.max_hr is None and present:
        activity = replace(activity, max_hr=max(present))
    if activity.max_hr is not None and activity.avg_hr is not None and activity.max_hr < activity.avg_hr:
        activity = replace(activity, max_hr=None)
    return replace(activity, series=series)

"""Sleep and recovery per night from wearables' account exports (issue 16): pure parsers.

**Garmin account export** (`DI_CONNECT/DI-Connect-Wellness/...`, `DI-Connect-Aggregator/...`),
JSON arrays recognised by their content (the name only sharpens an error message):

| file | fields read | becomes |
| --- | --- | --- |
| `*_sleepData.json` | `calendarDate` (the morning the night ends), `deepSleepSeconds` + `lightSleepSeconds` + `remSleepSeconds` (or `sleepEndTimestampGMT` - `sleepStartTimestampGMT` - `awakeSleepSeconds` without stages), `sleepScores.overallScore` (0-100) | `sleep_h`, `sleep_quality` (score / 10) |
| `UDSFile_*.json` | `calendarDate`, `currentDayRestingHeartRate`, else `restingHeartRate` (bpm) | `resting_hr` |
| `*_healthStatusData.json` | `calendarDate`, `metrics[]` item with `type` `HRV`: its `value` (ms, Garmin's overnight HRV) | `hrv_ms` |

Field names are those of Garmin's export as read by public parsers of it (docs/factors.md
names them); a value of 0 or missing is unknown.

**Apple Health** (`export.xml`), read in the same streamed pass as the workouts
(`importers.apple_health`): `Record` elements of type `HKCategoryTypeIdentifierSleepAnalysis`
(asleep stages: `HKCategoryValueSleepAnalysisAsleep`, `...AsleepUnspecified`, `...AsleepCore`,
`...AsleepDeep`, `...AsleepREM`; in bed and awake are not sleep), `HKQuantityTypeIdentifierRestingHeartRate`
(count/min) and `HKQuantityTypeIdentifierHeartRateVariabilitySDNN` (ms), with `startDate`,
`endDate` and `value` as HealthKit writes them. Asleep intervals of one night are merged
(a watch and a phone both record sleep) and summed. A night is dated by the morning it ends:
anything ending between 18:00 the day before and 18:00 that day (crampwise_convention), so an
afternoon nap counts to its own day. Resting heart rate is the mean of the day's values; HRV
the mean of the samples of the night window (18:00 the day before to 12:00). Apple Health has
no sleep score: `sleep_quality` stays unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from crampwise.importers.model import clean, damaged

SLEEP_TYPE: Final = "HKCategoryTypeIdentifierSleepAnalysis"
RESTING_HR_TYPE: Final = "HKQuantityTypeIdentifierRestingHeartRate"
HRV_TYPE: Final = "HKQuantityTypeIdentifierHeartRateVariabilitySDNN"
WELLNESS_TYPES: Final = frozenset({SLEEP_TYPE, RESTING_HR_TYPE, HRV_TYPE})
ASLEEP: Final = frozenset(
    {
        "HKCategoryValueSleepAnalysisAsleep",
        "HKCategoryValueSleepAnalysisAsleepUnspecified",
        "HKCategoryValueSleepAnalysisAsleepCore",
        "HKCategoryValueSleepAnalysisAsleepDeep",
        "HKCategoryValueSleepAnalysisAsleepREM",
    }
)
NIGHT_SHIFT: Final = timedelta(hours=6)  # crampwise_convention: 18:00 starts the next day's night
HRV_WINDOW_END_HOUR: Final = 12  # crampwise_convention: HRV samples up to noon belong to the night
GARMIN_NAMES: Final = {
    "_sleepdata.json": "a Garmin sleep file (sleepData)",
    "_healthstatusdata.json": "a Garmin health status file (healthStatusData)",
}


@dataclass(frozen=True)
class NightWellness:
    """One night's sleep and recovery, dated by the morning it ends (the athlete's day)."""

    date: date
    sleep_h: float | None = None
    sleep_quality: float | None = None  # 0-10
    resting_hr: float | None = None  # bpm
    hrv_ms: float | None = None

    def values(self) -> dict[str, float]:
        """The known fields, by the Day field they fill."""
        known = {
            "sleep_h": self.sleep_h,
            "sleep_quality": self.sleep_quality,
            "resting_hr": self.resting_hr,
            "hrv_ms": self.hrv_ms,
        }
        return {name: value for name, value in known.items() if value is not None}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and number > 0 else None


def _day(value: object, where: str) -> date:
    if not isinstance(value, str):
        raise damaged(f"{where}: calendarDate {value!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise damaged(f"{where}: calendarDate {value!r} is not a date (YYYY-MM-DD)") from None


def _gmt(value: object) -> datetime | None:
    """`2020-06-01T22:10:00.0` (Garmin's GMT, no zone) as a naive UTC time, or None."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.removesuffix(".0"))
    except ValueError:
        return None


def _sleep(entry: Mapping[str, Any], where: str) -> NightWellness:
    stages = [_number(entry.get(k)) for k in ("deepSleepSeconds", "lightSleepSeconds", "remSleepSeconds")]
    seconds: float | None = sum(s for s in stages if s is not None) if any(stages) else None
    if seconds is None:
        start, end = _gmt(entry.get("sleepStartTimestampGMT")), _gmt(entry.get("sleepEndTimestampGMT"))
        if start is not None and end is not None and end > start:
            seconds = (end - start).total_seconds() - (_number(entry.get("awakeSleepSeconds")) or 0.0)
    scores = entry.get("sleepScores")
    score = _number(scores.get("overallScore")) if isinstance(scores, Mapping) else None
    return NightWellness(
        _day(entry.get("calendarDate"), where),
        sleep_h=clean(None if seconds is None else round(seconds / 3600.0, 2), 0, 24),
        sleep_quality=clean(None if score is None else round(score / 10.0, 1), 0, 10),
    )


def _resting(entry: Mapping[str, Any], where: str) -> NightWellness:
    value = _number(entry.get("currentDayRestingHeartRate")) or _number(entry.get("restingHeartRate"))
    return NightWellness(_day(entry.get("calendarDate"), where), resting_hr=clean(value, 20, 150))


def _health_status(entry: Mapping[str, Any], where: str) -> NightWellness:
    metrics = entry.get("metrics")
    if not isinstance(metrics, list):
        raise damaged(f"{where}: metrics is not a list")
    hrv = next(
        (_number(m.get("value")) for m in metrics if isinstance(m, Mapping) and m.get("type") == "HRV"), None
    )
    return NightWellness(_day(entry.get("calendarDate"), where), hrv_ms=clean(hrv, 1, 500))


def _kind(entry: Mapping[str, Any]) -> str | None:
    if "calendarDate" not in entry:
        return None
    if "metrics" in entry:
        return "health_status"
    if any(
        k in entry for k in ("sleepStartTimestampGMT", "deepSleepSeconds", "lightSleepSeconds", "sleepScores")
    ):
        return "sleep"
    if any(k in entry for k in ("restingHeartRate", "currentDayRestingHeartRate", "totalSteps")):
        return "uds"
    return None


_READERS = {"sleep": _sleep, "uds": _resting, "health_status": _health_status}
FORMATS: Final = {
    "sleep": "garmin-sleep",
    "uds": "garmin-uds",
    "health_status": "garmin-hrv",
}  # at most 16 characters (imported_files.format)


def garmin_wellness(document: object) -> tuple[str, tuple[NightWellness, ...]] | None:
    """(format, nights) of a parsed Garmin wellness JSON document; None when it is not one.

    Recognised by its first entry's fields; an entry further on that is not of the same shape,
    or a date that is no date, makes the file damaged (`ImportProblem` "error").
    """
    if not isinstance(document, list) or not document or not isinstance(document[0], Mapping):
        return None
    kind = _kind(document[0])
    if kind is None:
        return None
    nights = []
    for index, entry in enumerate(document):
        where = f"entry {index}"
        if not isinstance(entry, Mapping) or _kind(entry) != kind:
            raise damaged(f"{where} is not like the others of this Garmin {kind.replace('_', ' ')} file")
        nights.append(_READERS[kind](entry, where))
    return FORMATS[kind], merge_nights(nights)


def garmin_name_hint(name: str) -> str | None:
    """What a file's name says it should be (for the message of a file that is not that)."""
    lowered = name.lower()
    for suffix, what in GARMIN_NAMES.items():
        if lowered.endswith(suffix):
            return what
    if lowered.rsplit("/", 1)[-1].startswith("udsfile_"):
        return "a Garmin daily summary file (UDSFile)"
    return None


def parse_garmin_json(data: bytes) -> tuple[str, tuple[NightWellness, ...]] | None:
    """`garmin_wellness` of raw bytes (damaged JSON raises `ImportProblem`)."""
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise damaged(f"damaged JSON: {exc}") from None
    return garmin_wellness(document)


def merge_nights(nights: Iterable[NightWellness]) -> tuple[NightWellness, ...]:
    """One night per date (a later entry's known values win), by date."""
    out: dict[date, dict[str, Any]] = {}
    for night in nights:
        out.setdefault(night.date, {}).update(night.values())
    return tuple(NightWellness(day, **out[day]) for day in sorted(out))


# --- Apple Health, fed element by element by the workouts' streamed pass --------------------


@dataclass
class AppleWellness:
    """Accumulates the wellness records of an Apple Health export.xml as it streams past."""

    asleep: dict[date, list[tuple[float, float]]] = field(default_factory=dict)
    resting: dict[date, list[float]] = field(default_factory=dict)
    hrv: dict[date, list[float]] = field(default_factory=dict)

    def add(self, kind: str, start: datetime, end: datetime, value: str | None) -> None:
        """One `Record` of a wellness type (times aware, in the offset the record carries)."""
        if kind == SLEEP_TYPE:
            if value in ASLEEP and end > start:
                night = (end + NIGHT_SHIFT).date()
                self.asleep.setdefault(night, []).append((start.timestamp(), end.timestamp()))
            return
        number = _float(value)
        if number is None:
            return
        if kind == RESTING_HR_TYPE:
            self.resting.setdefault(start.date(), []).append(number)
        elif kind == HRV_TYPE and (
            start.hour < HRV_WINDOW_END_HOUR or (start + NIGHT_SHIFT).date() > start.date()
        ):
            self.hrv.setdefault((start + NIGHT_SHIFT).date(), []).append(number)

    def nights(self) -> tuple[NightWellness, ...]:
        found: list[NightWellness] = []
        for day, spans in self.asleep.items():
            found.append(NightWellness(day, sleep_h=clean(round(_union_s(spans) / 3600.0, 2), 0, 24)))
        for day, values in self.resting.items():
            found.append(NightWellness(day, resting_hr=clean(round(sum(values) / len(values), 1), 20, 150)))
        for day, values in self.hrv.items():
            found.append(NightWellness(day, hrv_ms=clean(round(sum(values) / len(values), 1), 1, 500)))
        return merge_nights(found)


def _float(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and value == value and value > 0 else None


def _union_s(spans: list[tuple[float, float]]) -> float:
    """Seconds covered by the union of intervals (overlapping sources counted once)."""
    total = 0.0
    current: tuple[float, float] | None = None
    for start, end in sorted(spans):
        if current is None or start > current[1]:
            if current is not None:
                total += current[1] - current[0]
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    if current is not None:
        total += current[1] - current[0]
    return total

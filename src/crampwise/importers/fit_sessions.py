"""Decoded FIT contents -> activities: legs, recovered sessions, inferred dates, moving time.

- **Recordings**: chained segments with the same file_id are one recording; a new file_id
  starts another (a chain of two activities gives two).
- **Legs**: every session message of a recording that is not a transition is one activity. A
  recording with two or more legs (a triathlon's swim, bike and run; a duathlon; run + row)
  links them as one event (`ImportedActivity.event`) and notes each transition in the notes of
  the leg that follows it. Sessions are matched to records by time, never by their place in
  the file, so summaries written at the start of a file read the same as at the end.
- **Recovered**: a file with records but no session message (truncated, or copied while still
  recording) becomes one activity built from its records (duration, distance, heart rate),
  flagged `recovered`.
- **Clock never set**: times below 0x10000000 count seconds since power-on. The `activity`
  message's `local_timestamp` still holds the device's wall clock: the start is dated from
  it (`date_inferred`; the service reads it in the athlete's zone). Without it the file is
  refused: the start cannot be placed in time.
- **Moving time**: the timer's start and stop events (event 0) give the time the timer ran
  within each leg; without them, the session's `total_timer_time`.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np

from crampwise.domain.enums import Sport
from crampwise.domain.series import Series
from crampwise.importers.fit_contents import FitContents
from crampwise.importers.fit_profile import FIT_ABSOLUTE_TIME_MIN, FIT_EPOCH_UNIX_S
from crampwise.importers.model import MAX_DURATION_S, ImportedActivity, clean, damaged, not_an_activity

FILE_TYPE_ACTIVITY: Final = 4
FILE_TYPES: Final = {
    1: "device",
    2: "settings",
    3: "sport",
    4: "activity",
    5: "workout",
    6: "course",
    7: "schedules",
    9: "weight",
    10: "totals",
    11: "goals",
    14: "blood_pressure",
    15: "monitoring_a",
    20: "activity_summary",
    28: "monitoring_daily",
    32: "monitoring_b",
    34: "segment",
    35: "segment_list",
    40: "exd_configuration",
}
TRANSITION: Final = 3
EVENT_TIMER: Final = 0
TIMER_START: Final = 0
TIMER_STOPS: Final = (1, 4, 8, 9)  # stop, stop_all, stop_disable, stop_disable_all
# FIT profile `sport` numbers -> the contract's sports; unlisted sports are `other`.
SPORTS: Final = {
    1: Sport.RUN,
    2: Sport.RIDE,
    5: Sport.SWIM,
    6: Sport.TEAM_SPORT,
    7: Sport.TEAM_SPORT,
    9: Sport.TEAM_SPORT,
    10: Sport.STRENGTH,
    11: Sport.WALK,
    16: Sport.HIKE,
    17: Sport.HIKE,
    21: Sport.RIDE,
}
CHANNELS: Final = ("heart_rate", "speed", "temperature", "cadence", "power")


@dataclass(frozen=True)
class _Leg:
    start_raw: int
    elapsed_s: float
    session: dict[str, object]


def build_activities(contents: FitContents) -> tuple[ImportedActivity, ...]:
    """Activities from decoded contents, or ImportProblem saying why there is none."""
    types = {f.get("type") for f in contents.file_ids}
    if types and FILE_TYPE_ACTIVITY not in types:
        names = ", ".join(
            sorted(FILE_TYPES.get(t, str(t)) if isinstance(t, int) else "unknown" for t in types)
        )
        raise not_an_activity(f"FIT {names} file, not an activity")
    clock = _clock_offset(contents)
    if not contents.sessions:
        return (_recovered(contents, clock),)
    out: list[ImportedActivity] = []
    seen: set[tuple[object, ...]] = set()
    for index, group in enumerate(_groups(contents)):
        segs = set(group)
        sessions = []
        for s in contents.sessions:
            key = (s.get("start_time"), s.get("sport"), s.get("total_elapsed_time"), s.get("total_distance"))
            if s["segment"] in segs and key not in seen:
                seen.add(key)
                sessions.append(s)
        if sessions:
            out.extend(_recording(contents, segs, sessions, clock, event=index))
    return tuple(out)


def _groups(contents: FitContents) -> list[list[int]]:
    """Segments grouped by recording: a new file_id starts a group, repeats join theirs."""
    key_of_segment: dict[int, tuple[object, ...]] = {}
    for file_id in contents.file_ids:
        seg = file_id["segment"]
        assert isinstance(seg, int)
        key_of_segment.setdefault(seg, (file_id.get("serial_number"), file_id.get("time_created")))
    groups: dict[tuple[object, ...], list[int]] = {}
    current: tuple[object, ...] = ("none",)
    for seg in range(contents.segments):
        current = key_of_segment.get(seg, current)
        groups.setdefault(current, []).append(seg)
    return list(groups.values())


def _clock_offset(contents: FitContents) -> int | None:
    """Seconds to add to power-on-relative times to get the device's wall clock, if known."""
    for activity in contents.activities:
        local, stamp = activity.get("local_timestamp"), activity.get("timestamp")
        if isinstance(local, int) and isinstance(stamp, int) and local >= FIT_ABSOLUTE_TIME_MIN:
            return local - stamp
    return None


def _start(raw: int, clock: int | None) -> tuple[datetime, bool]:
    """The start as an aware datetime and whether it was inferred from the local clock."""
    if raw >= FIT_ABSOLUTE_TIME_MIN:
        return datetime.fromtimestamp(FIT_EPOCH_UNIX_S + raw, UTC), False
    if clock is None:
        raise damaged(
            "FIT start time is not a date (the device clock was never set) and the file holds no "
            "local time to date it from"
        )
    # the wall-clock time the device showed, held as UTC until the athlete's zone places it
    return datetime.fromtimestamp(FIT_EPOCH_UNIX_S + raw + clock, UTC), True


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _legs(sessions: list[dict[str, object]]) -> list[_Leg]:
    legs: list[_Leg] = []
    for s in sessions:
        start = s.get("start_time")
        elapsed = _num(s.get("total_elapsed_time"))
        stamp = s.get("timestamp")
        if elapsed is None and isinstance(stamp, int) and isinstance(start, int):
            elapsed = float(stamp - start)
        if not isinstance(start, int) and isinstance(stamp, int) and elapsed is not None:
            start = stamp - round(elapsed)
        if isinstance(start, int) and elapsed is not None:
            legs.append(_Leg(start, elapsed, s))
    return sorted(legs, key=lambda leg: leg.start_raw)


def _recording(
    contents: FitContents, segs: set[int], sessions: list[dict[str, object]], clock: int | None, event: int
) -> list[ImportedActivity]:
    """One activity per leg of one recording (transitions noted in the next leg's notes)."""
    legs = _legs(sessions)
    if not legs:
        raise damaged("FIT session without a start time or duration")
    real = [leg for leg in legs if leg.session.get("sport") != TRANSITION] or legs
    multisport = len(real) > 1
    out: list[ImportedActivity] = []
    pending_transition = 0.0
    for leg in legs:
        if leg not in real:
            pending_transition += leg.elapsed_s
            continue
        last = leg is real[-1]
        end_raw = None if last else leg.start_raw + leg.elapsed_s
        activity = _leg_activity(contents, segs, leg, clock, end_raw)
        if multisport:
            notes = f"transition before this leg: {_clock(pending_transition)}" if pending_transition else ""
            activity = _with(activity, event=event, notes=notes)
        pending_transition = 0.0
        out.append(activity)
    return out


def _with(activity: ImportedActivity, **changes: object) -> ImportedActivity:
    return replace(activity, **changes)  # type: ignore[arg-type]


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _leg_activity(
    contents: FitContents, segs: set[int], leg: _Leg, clock: int | None, end_raw: float | None
) -> ImportedActivity:
    s = leg.session
    start, inferred = _start(leg.start_raw, clock)
    duration_s = leg.elapsed_s
    if not 0 < duration_s <= MAX_DURATION_S:
        raise damaged(f"FIT session duration {duration_s:.0f} s is outside 0-48 h")
    avg_hr = clean(_num(s.get("avg_heart_rate")), 20, 250)
    max_hr = clean(_num(s.get("max_heart_rate")), 20, 250)
    if max_hr is not None and avg_hr is not None and max_hr < avg_hr:
        max_hr = None
    series = _series(contents, segs, leg.start_raw, end_raw)
    temperature = clean(_num(s.get("avg_temperature")), -40, 60)
    if temperature is None:
        # Devices such as the Edge 500 and Edge 810 record temperature per record only: the
        # session's is then the (time-weighted) mean of the records' device temperatures.
        temperature = clean(mean(series, "temperature_c"), -40, 60)
    return ImportedActivity(
        start=start,
        sport=_sport(s.get("sport")),
        duration_s=float(duration_s),
        distance_m=clean(_num(s.get("total_distance")), 0, 2_000_000),
        elevation_gain_m=clean(_num(s.get("total_ascent")), 0, 30_000),
        avg_hr=_round1(avg_hr),
        max_hr=max_hr,
        temperature_c=_round1(temperature),
        series=series,
        moving_time_s=_moving(
            contents, leg.start_raw, duration_s, _num(s.get("total_timer_time")), _num(s.get("timestamp"))
        ),
        date_inferred=inferred,
    )


def _moving(
    contents: FitContents,
    start_raw: int,
    elapsed_s: float,
    timer_s: float | None,
    end_stamp: float | None = None,
) -> float | None:
    """Seconds the timer ran from the start to the session's end (its time stamp, or start +
    elapsed when later): the timer events' count, else the session's `total_timer_time`."""
    timers = sorted(
        (e["timestamp"], e.get("event_type"))
        for e in contents.events
        if e.get("event") == EVENT_TIMER and isinstance(e.get("timestamp"), int)
    )
    stops = [t for t, kind in timers if kind in TIMER_STOPS]
    end = max(start_raw + elapsed_s, end_stamp or 0.0)
    if not stops:
        return _plausible(timer_s, elapsed_s)
    running = True  # a recording starts with its timer running
    since = float(start_raw)
    total = 0.0
    for stamp, kind in timers:
        moment = min(max(float(stamp), start_raw), end)  # type: ignore[arg-type]
        if kind in TIMER_STOPS and running:
            total += moment - since
            running = False
        elif kind == TIMER_START and not running:
            since = moment
            running = True
    if running:
        total += end - since
    return _plausible(total, elapsed_s) or _plausible(timer_s, elapsed_s)


def _plausible(moving_s: float | None, elapsed_s: float) -> float | None:
    if moving_s is None or not 0 < moving_s <= elapsed_s + 1:
        return None
    return round(min(moving_s, elapsed_s), 3)


def _round1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _sport(sport: object) -> Sport:
    return SPORTS.get(sport, Sport.OTHER) if isinstance(sport, int) else Sport.OTHER


def _series(contents: FitContents, segs: set[int] | None, start_raw: int, end_raw: float | None) -> Series:
    """The records of [start, end] by time, one sample per time stamp.

    A device may write two records in one second (GPS, then sensors): they become one sample
    whose every channel takes the first value present among them.
    """
    rec = contents.records
    stamps = rec["timestamp"]
    mask = stamps >= start_raw
    if end_raw is not None:
        mask &= stamps <= end_raw
    if segs is not None:
        mask &= np.isin(contents.record_segment, list(segs))
    rows = np.flatnonzero(mask)
    rows = rows[np.argsort(stamps[rows], kind="stable")]
    times = stamps[rows]
    if len(times):
        firsts = np.flatnonzero(np.concatenate(([True], times[1:] != times[:-1])))
    else:
        firsts = np.zeros(0, np.int64)
    merge = len(firsts) != len(times)
    columns: dict[str, np.ndarray[Any, Any]] = {}
    for name in CHANNELS:
        values = rec[name][rows]
        if merge:
            index = np.where(np.isnan(values), len(values), np.arange(len(values)))
            first = np.minimum.reduceat(index, firsts)
            picked = values[np.minimum(first, len(values) - 1)]
            values = np.where(first < len(values), picked, np.nan)
        columns[name] = values
    return Series(
        elapsed_s=_array(times[firsts] - start_raw),
        heart_rate=_array(columns["heart_rate"]),
        speed_m_s=_array(columns["speed"]),
        temperature_c=_array(columns["temperature"]),
        cadence=_array(columns["cadence"]),
        power=_array(columns["power"]),
    )


def _array(values: np.ndarray[Any, Any]) -> array[float]:
    out = array("d")
    out.frombytes(np.ascontiguousarray(values, dtype=np.float64).tobytes())
    return out


def mean(series: Series, channel: str) -> float | None:
    """`Series.mean` with numpy: the time-weighted mean of a channel's present samples."""
    t = np.frombuffer(series.elapsed_s, dtype=np.float64)
    v = np.frombuffer(getattr(series, channel), dtype=np.float64)
    present = ~np.isnan(v)
    if not present.any():
        return None
    w = np.append(np.diff(t), 0.0)
    use = present & (w > 0)
    if use.any():
        return float(np.sum(v[use] * w[use]) / np.sum(w[use]))
    return float(np.mean(v[present]))


def _recovered(contents: FitContents, clock: int | None) -> ImportedActivity:
    """A session built from the records of a file without a session message, or why not."""
    stamps = contents.records["timestamp"]
    if len(stamps) < 2 or stamps.max() <= stamps.min():
        if contents.problem:
            raise damaged(
                f"FIT activity without a session summary ({contents.problem}) and too few records "
                f"to rebuild one: {len(stamps)} read"
            )
        raise not_an_activity("FIT file holds no session (no activity was recorded)")
    first, last = int(stamps.min()), int(stamps.max())
    start, inferred = _start(first, clock)
    duration_s = float(last - first)
    if duration_s > MAX_DURATION_S:
        raise damaged(f"FIT records span {duration_s:.0f} s, beyond 48 h: not one activity")
    series = _series(contents, None, first, None)
    distances = contents.records["distance"][~np.isnan(contents.records["distance"])]
    hr = np.frombuffer(series.heart_rate, dtype=np.float64)
    hr = hr[~np.isnan(hr)]
    sports = [s.get("sport") for s in contents.sports]
    avg_hr = clean(mean(series, "heart_rate"), 20, 250)
    max_hr = clean(float(hr.max()), 20, 250) if len(hr) else None
    return ImportedActivity(
        start=start,
        sport=_sport(sports[0]) if sports else Sport.OTHER,
        duration_s=duration_s,
        distance_m=clean(float(distances.max()), 0, 2_000_000) if len(distances) else None,
        avg_hr=_round1(avg_hr),
        max_hr=max_hr if max_hr is None or avg_hr is None or max_hr >= avg_hr else None,
        temperature_c=_round1(clean(mean(series, "temperature_c"), -40, 60)),
        series=series,
        moving_time_s=_moving(contents, first, duration_s, None),
        recovered=True,
        date_inferred=inferred,
    )


__all__: Sequence[str] = ("FILE_TYPES", "SPORTS", "build_activities")

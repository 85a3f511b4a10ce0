"""FIT activities (Garmin, Wahoo, COROS, Suunto, Zwift, Strava app...) -> `ImportedActivity`.

Decoding is the lean reader's (`fit_lean`), with fitdecode as the fallback when the lean reader
meets a problem fitdecode might read past. One crampwise session is made per recording: the
chained segments of one device recording (same file_id) are one activity, its sessions (a
triathlon's swim / T1 / bike / T2 / run) are merged, and a chain of two recordings (two
file_ids) gives two activities.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import BinaryIO, Final

from crampwise.domain.enums import Sport
from crampwise.domain.series import Series
from crampwise.importers.fit_lean import (
    FIT_ABSOLUTE_TIME_MIN,
    FIT_EPOCH_UNIX_S,
    FitContents,
    decode,
)
from crampwise.importers.model import (
    MAX_DURATION_S,
    ImportedActivity,
    ParsedFile,
    clean,
    damaged,
    not_an_activity,
)

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
GENERIC: Final = 0
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


def parse_fit(stream: BinaryIO) -> ParsedFile:
    """Read a FIT file (chained segments included) into its activities, or raise ImportProblem."""
    data = stream.read()
    contents, decoder = read_contents(data)
    activities = build_activities(contents)
    warning = None
    if contents.problem:
        warning = f"read up to byte {contents.bytes_read}: {contents.problem}"
    return ParsedFile("fit", activities, decoder=decoder, warning=warning)


def read_contents(data: bytes) -> tuple[FitContents, str]:
    """Lean decoding, or fitdecode when the lean reader stopped early and fitdecode reads more."""
    try:
        lean: FitContents | None = decode(data)
    except Exception:  # a lean-reader bug must not lose a file: fitdecode decides
        lean = None
    if lean is not None and lean.problem is None:
        return lean, "lean"
    from crampwise.importers.fit_reference import decode_with_fitdecode

    slow = decode_with_fitdecode(data)
    if lean is None or _amount(slow) > _amount(lean):
        return slow, "fitdecode"
    return lean, "lean"


def _amount(contents: FitContents) -> tuple[int, int]:
    return len(contents.sessions), len(contents.record_segment)


def _fit_time(raw: object) -> datetime | None:
    if not isinstance(raw, int) or raw < FIT_ABSOLUTE_TIME_MIN:
        return None
    return datetime.fromtimestamp(FIT_EPOCH_UNIX_S + raw, UTC)


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


def build_activities(contents: FitContents) -> tuple[ImportedActivity, ...]:
    """Activities from decoded contents, or ImportProblem saying why there is none."""
    types = {f.get("type") for f in contents.file_ids}
    if types and FILE_TYPE_ACTIVITY not in types:
        names = ", ".join(
            sorted(FILE_TYPES.get(t, str(t)) if isinstance(t, int) else "unknown" for t in types)
        )
        raise not_an_activity(f"FIT {names} file, not an activity")
    if not contents.sessions:
        where = f" ({contents.problem})" if contents.problem else ""
        if len(contents.record_segment) > 1 or contents.problem:
            raise damaged(
                f"FIT activity without a session summary{where}: the file is incomplete "
                f"(truncated or still recording); {len(contents.record_segment)} records were read"
            )
        raise not_an_activity("FIT file holds no session (no activity was recorded)")
    out: list[ImportedActivity] = []
    seen: set[tuple[object, ...]] = set()
    for group in _groups(contents):
        segs = set(group)
        sessions = []
        for s in contents.sessions:
            key = (s.get("start_time"), s.get("sport"), s.get("total_elapsed_time"), s.get("total_distance"))
            if s["segment"] in segs and key not in seen:
                seen.add(key)
                sessions.append(s)
        if sessions:
            out.append(_activity(contents, segs, sessions))
    return tuple(out)


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _weighted(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    total = weight = 0.0
    for value, w in pairs:
        if value is not None and w > 0:
            total += value * w
            weight += w
    return total / weight if weight else None


def _activity(contents: FitContents, segs: set[int], sessions: list[dict[str, object]]) -> ImportedActivity:
    spans: list[tuple[int, float]] = []
    for s in sessions:
        start = s.get("start_time")
        elapsed = _num(s.get("total_elapsed_time"))
        stamp = s.get("timestamp")
        if elapsed is None and isinstance(stamp, int) and isinstance(start, int):
            elapsed = float(stamp - start)
        if not isinstance(start, int) and isinstance(stamp, int) and elapsed is not None:
            start = stamp - round(elapsed)
        if isinstance(start, int) and elapsed is not None:
            spans.append((start, elapsed))
    if not spans:
        raise damaged("FIT session without a start time or duration")
    start_raw = min(s for s, _ in spans)
    start = _fit_time(start_raw)
    if start is None:
        raise damaged("FIT session start time is not a date (the device clock was not set)")
    duration_s = max(s + e for s, e in spans) - start_raw
    if not 0 < duration_s <= MAX_DURATION_S:
        raise damaged(f"FIT session duration {duration_s:.0f} s is outside 0-48 h")
    weights = [_num(s.get("total_elapsed_time")) or 0.0 for s in sessions]
    avg_hr = _weighted(
        (clean(_num(s.get("avg_heart_rate")), 20, 250), w) for s, w in zip(sessions, weights, strict=True)
    )
    maxes = [clean(_num(s.get("max_heart_rate")), 20, 250) for s in sessions]
    max_hr = max((m for m in maxes if m is not None), default=None)
    if max_hr is not None and avg_hr is not None and max_hr < avg_hr:
        max_hr = None
    temperature = _weighted(
        (clean(_num(s.get("avg_temperature")), -40, 60), w) for s, w in zip(sessions, weights, strict=True)
    )
    series = _series(contents, segs, start_raw)
    if temperature is None:
        # Devices such as the Edge 500 and Edge 810 record temperature per record only: the
        # session's is then the (time-weighted) mean of the records' device temperatures.
        temperature = clean(series.mean("temperature_c"), -40, 60)
    distances = [_num(s.get("total_distance")) for s in sessions]
    ascents = [_num(s.get("total_ascent")) for s in sessions]
    distance = sum(d for d in distances if d is not None) if any(d is not None for d in distances) else None
    ascent = sum(a for a in ascents if a is not None) if any(a is not None for a in ascents) else None
    return ImportedActivity(
        start=start,
        sport=_sport([s.get("sport") for s in sessions], weights),
        duration_s=float(duration_s),
        distance_m=clean(distance, 0, 2_000_000),
        elevation_gain_m=clean(ascent, 0, 30_000),
        avg_hr=_round1(avg_hr),
        max_hr=max_hr,
        temperature_c=_round1(temperature),
        series=series,
    )


def _round1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _sport(sports: list[object], weights: list[float]) -> Sport:
    """One sport for the recording: a swim + bike + run multisport is a triathlon."""
    known = [s for s in sports if isinstance(s, int) and s not in (TRANSITION, GENERIC)]
    if not known:
        known = [s for s in sports if isinstance(s, int) and s != TRANSITION]
    kinds = {SPORTS.get(s, Sport.OTHER) for s in known}
    if {Sport.SWIM, Sport.RIDE, Sport.RUN} <= kinds:
        return Sport.TRIATHLON
    best: dict[Sport, float] = {}
    for s, w in zip(sports, weights, strict=True):
        if s in known:
            sport = SPORTS.get(s, Sport.OTHER)
            best[sport] = best.get(sport, 0.0) + w
    return max(best, key=lambda k: best[k]) if best else Sport.OTHER


def _series(contents: FitContents, segs: set[int], start_raw: int) -> Series:
    """The recording's records by time, one sample per time stamp (repeats merged)."""
    rec = contents.records
    rows = [
        i
        for i, seg in enumerate(contents.record_segment)
        if seg in segs and isinstance(rec["timestamp"][i], int) and rec["timestamp"][i] >= start_raw  # type: ignore[operator]
    ]
    rows.sort(key=lambda i: rec["timestamp"][i])  # type: ignore[arg-type, return-value]
    names = ("heart_rate", "speed", "temperature", "cadence", "power")
    stamps: list[int] = []
    columns: dict[str, list[float | int | None]] = {name: [] for name in names}
    for i in rows:
        stamp = rec["timestamp"][i]
        assert isinstance(stamp, int)
        if stamps and stamps[-1] == stamp:
            # a device may write two records per second (GPS, then sensors): fill the gaps
            for name in names:
                if columns[name][-1] is None:
                    columns[name][-1] = rec[name][i]
            continue
        stamps.append(stamp)
        for name in names:
            columns[name].append(rec[name][i])

    return Series.build(
        [stamp - start_raw for stamp in stamps],
        heart_rate=columns["heart_rate"],
        speed_m_s=columns["speed"],
        temperature_c=columns["temperature"],
        cadence=columns["cadence"],
        power=columns["power"],
    )

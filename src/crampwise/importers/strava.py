"""A Strava bulk export's `activities.csv`: what each activity file's row says, and manual rows.

The export is a zip with `activities.csv` and `activities/*.fit.gz|gpx.gz|tcx.gz`. The CSV row of
each file supplies the activity's name, Strava sport type, "Perceived Exertion" (Strava's 1-10
scale, stored as RPE), description and gear; they complete the session made from the file, or
the session already stored from the same activity's original FIT. A row with an empty
`Filename` is an activity entered by hand on Strava: it becomes a session of its own (a
`strava-manual` member whose bytes are the row as JSON, so its hash makes a re-import a
`duplicate`).

Strava repeats column names: the first "Elapsed Time" is whole seconds, the first "Distance"
is in the athlete's display unit (km or miles), the second "Distance" is metres. "Activity
Date" is UTC, written like `May 1, 2024, 7:05:32 AM`.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from crampwise.domain.enums import Sport

if TYPE_CHECKING:
    from crampwise.importers.archives import Member
    from crampwise.importers.model import ImportedActivity

MAX_CSV_BYTES: Final = 64 * 1024 * 1024
DATE_FORMATS: Final = ("%b %d, %Y, %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ")

# Strava's "Activity Type" column -> the contract's sports.
STRAVA_TYPES: Final = {
    "run": Sport.RUN,
    "trail run": Sport.RUN,
    "virtual run": Sport.RUN,
    "ride": Sport.RIDE,
    "virtual ride": Sport.RIDE,
    "e-bike ride": Sport.RIDE,
    "mountain bike ride": Sport.RIDE,
    "gravel ride": Sport.RIDE,
    "swim": Sport.SWIM,
    "walk": Sport.WALK,
    "hike": Sport.HIKE,
    "weight training": Sport.STRENGTH,
    "workout": Sport.STRENGTH,
    "crossfit": Sport.STRENGTH,
    "soccer": Sport.TEAM_SPORT,
}


def _rows(text: str) -> Iterator[dict[str, list[str]]]:
    """Rows as column name -> every value under that name, in column order."""
    reader = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(reader, [])]
    for row in reader:
        record: dict[str, list[str]] = {}
        for key, value in zip(header, row, strict=False):
            record.setdefault(key, []).append(value.strip())
        yield record


def _first(row: Mapping[str, list[str]], name: str) -> str:
    values = row.get(name) or [""]
    return values[0]


def row_meta(row: Mapping[str, list[str]]) -> dict[str, str]:
    """What crampwise keeps of one row (empty values left out)."""
    distances = row.get("Distance") or []
    meta = {
        "activity_id": _first(row, "Activity ID"),
        "date": _first(row, "Activity Date"),
        "name": _first(row, "Activity Name"),
        "strava_type": _first(row, "Activity Type"),
        "rpe": _first(row, "Perceived Exertion"),
        "notes": _first(row, "Activity Description"),
        "gear": _first(row, "Activity Gear"),
        "elapsed_s": _first(row, "Elapsed Time"),
        "moving_s": (row.get("Moving Time") or [""])[-1],
        # the second Distance column is metres; a lone one is in km (the default display unit)
        "distance_m": distances[1] if len(distances) > 1 else "",
        "distance_km": distances[0] if len(distances) == 1 else "",
        "max_hr": _first(row, "Max Heart Rate"),
        "avg_hr": _first(row, "Average Heart Rate"),
    }
    return {key: value for key, value in meta.items() if value}


def strava_index(archive: zipfile.ZipFile) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    """(file name in the archive -> its row's meta, the rows without a file) of a Strava export."""
    names = [n for n in archive.namelist() if n.lower().rsplit("/", 1)[-1] == "activities.csv"]
    if not names:
        return {}, []
    info = archive.getinfo(names[0])
    if info.file_size > MAX_CSV_BYTES:
        return {}, []
    text = archive.read(info).decode("utf-8-sig", errors="replace")
    index: dict[str, dict[str, str]] = {}
    manual: list[dict[str, str]] = []
    for row in _rows(text):
        meta = row_meta(row)
        filename = _first(row, "Filename").strip("/")
        if filename:
            index[filename] = meta
        elif meta.get("date") and meta.get("elapsed_s"):
            manual.append(meta)
    return index, manual


def manual_members(rows: list[dict[str, str]], display: str) -> Iterator[Member]:
    """One member per manual activity row (its bytes: the row as canonical JSON)."""
    from crampwise.importers.archives import Member

    for meta in rows:
        label = meta.get("activity_id") or meta.get("date", "")
        data = json.dumps(meta, sort_keys=True, ensure_ascii=False).encode()
        yield Member(f"{display}!activities.csv#{label}", data=data, meta=meta, kind="strava-manual")


def parse_date(text: str) -> datetime | None:
    """Strava's "Activity Date" (UTC) as an aware datetime, or None."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def number(text: str | None) -> float | None:
    """A CSV number ("1,234.5" allowed), or None."""
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if value == value else None


def manual_activity(meta: Mapping[str, str]) -> ImportedActivity:
    """The session of a manual Strava activity (a CSV row without a file), or ImportProblem."""
    from crampwise.importers.model import MAX_DURATION_S, ImportedActivity, clean, damaged

    start = parse_date(meta.get("date", ""))
    if start is None:
        raise damaged(f"Activity Date {meta.get('date')!r} is not a date like 'May 1, 2024, 7:05:32 AM'")
    duration = number(meta.get("elapsed_s"))
    if duration is None or not 0 < duration <= MAX_DURATION_S:
        raise damaged(f"Elapsed Time {meta.get('elapsed_s')!r} is not a duration of 1 s to 48 h")
    distance = number(meta.get("distance_m"))
    if distance is None and (km := number(meta.get("distance_km"))) is not None:
        distance = km * 1000
    rpe = number(meta.get("rpe"))
    avg_hr = clean(number(meta.get("avg_hr")), 20, 250)
    max_hr = clean(number(meta.get("max_hr")), 20, 250)
    moving = number(meta.get("moving_s"))
    return ImportedActivity(
        start=start,
        sport=STRAVA_TYPES.get(meta.get("strava_type", "").strip().lower(), Sport.OTHER),
        duration_s=duration,
        distance_m=clean(distance, 0, 2_000_000),
        avg_hr=avg_hr,
        max_hr=max_hr if max_hr is None or avg_hr is None or max_hr >= avg_hr else None,
        name=(meta.get("name") or None),
        rpe=rpe if rpe is not None and 0 <= rpe <= 10 else None,
        description=(meta.get("notes") or None),
        gear=(meta.get("gear") or None),
        moving_time_s=moving if moving is not None and 0 < moving <= duration else None,
    )

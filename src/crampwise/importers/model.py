"""What an importer returns: small frozen records, no database, no settings.

An importer reads one binary file object and returns a `ParsedFile` holding zero or more
`ImportedActivity` (a FIT file may chain two recordings), or raises `ImportProblem` saying
whether the file is an `error` (damaged, unreadable) or `skipped` (valid but not an activity:
a monitoring file, a planned route, a track without times), always with a reason a person can
act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Final, Literal

from crampwise.domain.enums import Sport
from crampwise.domain.series import Series

if TYPE_CHECKING:
    from crampwise.importers.wellness import NightWellness

MAX_DURATION_S: Final = 48 * 3600  # CONTRACTS.md: a session over 48 h is impossible
FINGERPRINT_START_TOLERANCE_S: Final = 60.0  # crampwise_convention: devices start within a minute
FINGERPRINT_DURATION_TOLERANCE: Final = 0.15  # crampwise_convention: FIT timer vs GPX span differ
FINGERPRINT_MIN_DURATION_TOLERANCE_S: Final = 60.0
FINGERPRINT_DISTANCE_TOLERANCE: Final = 0.10

Status = Literal["error", "skipped"]


class ImportProblem(Exception):
    """A file that imports nothing: `status` is `error` (damaged) or `skipped` (not an activity)."""

    def __init__(self, status: Status, reason: str) -> None:
        super().__init__(reason)
        self.status: Status = status
        self.reason = reason


def damaged(reason: str) -> ImportProblem:
    return ImportProblem("error", reason)


def not_an_activity(reason: str) -> ImportProblem:
    return ImportProblem("skipped", reason)


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one recorded activity across formats (FIT, GPX, TCX of the same ride).

    Two fingerprints match when the starts are within a minute and the durations (or the
    distances) agree closely: the FIT timer, a GPX time span and a TCX lap sum of one ride
    differ by seconds, and a GPX distance from coordinates differs from the wheel sensor's.
    """

    start_utc_s: float
    duration_s: float
    distance_m: float | None

    def matches(self, other: Fingerprint) -> bool:
        if abs(self.start_utc_s - other.start_utc_s) > FINGERPRINT_START_TOLERANCE_S:
            return False
        longest = max(self.duration_s, other.duration_s)
        tolerance = max(FINGERPRINT_MIN_DURATION_TOLERANCE_S, FINGERPRINT_DURATION_TOLERANCE * longest)
        if abs(self.duration_s - other.duration_s) <= tolerance:
            return True
        if self.distance_m and other.distance_m:
            far = max(self.distance_m, other.distance_m)
            return abs(self.distance_m - other.distance_m) <= FINGERPRINT_DISTANCE_TOLERANCE * far
        return False


@dataclass(frozen=True)
class ImportedActivity:
    """One recorded activity: the session fields a file holds, its series and fingerprint.

    Fields the file cannot hold (RPE, body mass, fluid, sodium, warm-up) are completed later
    with `crampwise edit session`; a Strava export's CSV may supply `rpe` and `name`.
    """

    start: datetime  # aware, UTC
    sport: Sport
    duration_s: float
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    temperature_c: float | None = None
    series: Series = field(default_factory=Series.empty)
    name: str | None = None
    rpe: float | None = None
    notes: str = ""
    device: str | None = None
    description: str | None = None
    gear: str | None = None
    moving_time_s: float | None = None  # elapsed minus pauses (timer stop/start events)
    recovered: bool = False  # built from the records of a file without a session summary
    # Set when the device clock was never set: `start` is then the wall-clock time the file
    # holds, read as UTC, until `in_zone` places it in the athlete's zone.
    date_inferred: bool = False
    # Legs of one multisport recording share an event number (its index in the file).
    event: int | None = None

    @property
    def fingerprint(self) -> Fingerprint:
        return Fingerprint(self.start.timestamp(), self.duration_s, self.distance_m)

    def in_zone(self, zone: tzinfo) -> ImportedActivity:
        """The activity with an inferred date placed in the athlete's zone (others unchanged).

        A device whose clock was never set still keeps local wall-clock time
        (`activity.local_timestamp`): 07:30 on its display is 07:30 where the athlete lives.
        """
        if not self.date_inferred:
            return self
        wall = self.start.replace(tzinfo=None)
        return replace(self, start=wall.replace(tzinfo=zone).astimezone(UTC))


@dataclass(frozen=True)
class ParsedFile:
    """The activities of one file and how it was read (`fit`/`gpx`/`tcx`, `lean`/`fitdecode`), and
    the nights of sleep and recovery it holds (a wearable's wellness export: issue 16)."""

    format: str
    activities: tuple[ImportedActivity, ...]
    decoder: str = ""
    warning: str | None = None
    wellness: tuple[NightWellness, ...] = ()


def clean(value: float | None, low: float, high: float) -> float | None:
    """A device value inside the contract's plausible range, else unknown (never an error)."""
    if value is None or value != value or not low <= value <= high:
        return None
    return float(value)

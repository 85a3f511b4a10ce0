"""The records of one athlete's journal, validated once at the edge.

Field names, ranges and units are those of the `crampwise-bundle` v1 contract
(CONTRACTS.md section 3). `None` means unknown; `0` means none. Every datetime is aware.
Cross-record rules (unique ids, a cramp's session existing) live in `parse_bundle`.

Validation that needs "now" (a cramp in the future) takes it from the validation context
(`{"now": datetime}`), so tests and the pure core never read the clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Final, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from crampwise.domain.enums import (
    CrampContext,
    MedicationKind,
    Muscle,
    Relief,
    Sex,
    Side,
    Sport,
    Symptom,
    UnitSystem,
)
from crampwise.domain.factors import Factor, Tags, null_is_empty
from crampwise.domain.validation_messages import invalid_from

BUNDLE_FORMAT: Final = "crampwise-bundle"
BUNDLE_VERSION: Final = 1

MAX_SESSION_S = 48 * 3600  # CONTRACTS.md: a session over 48 h is impossible
MAX_CRAMP_S = 24 * 3600
MAX_POST_MASS_DROP = 0.10  # CONTRACTS.md: post mass more than 10 % below pre mass is rejected
FUTURE_SKEW = timedelta(minutes=5)  # tolerated clock difference between devices

CalendarDate = date  # the `date` field of Day shadows the type inside that class

R = TypeVar("R", bound="Record")

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def _number_out(value: float | int | None) -> float | int | None:
    """Integral floats print as integers (`5400`, not `5400.0`) so bundles read naturally."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _not_bool(value: object) -> object:
    """JSON `true` is not a number: Pydantic would read it as 1 (an RPE of 1, a 1 ml drink)."""
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    return value


Number = Annotated[
    float,
    BeforeValidator(_not_bool),
    PlainSerializer(_number_out, return_type=Any, when_used="json"),
]
Int = Annotated[int, BeforeValidator(_not_bool)]
MassKg = Annotated[Number, Field(ge=20, le=300)]
RecordId = Annotated[str, Field(pattern=ID_PATTERN.pattern)]


class Record(BaseModel):
    """Base of every record: immutable, unknown fields refused (a typo is an error)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, use_enum_values=False)


class Athlete(Record):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    sex: Sex | None = None
    birth_year: Annotated[Int, Field(ge=1900, le=2100)] | None = None
    body_mass_kg: MassKg | None = None
    max_hr: Annotated[Int, Field(ge=100, le=250)] | None = None
    timezone: str = "UTC"
    sweat_sodium_mmol_l: Annotated[Number, Field(ge=5, le=150)] | None = None
    units: UnitSystem = UnitSystem.METRIC
    # The date from which the athlete logs cramps (CONTRACTS.md section 3 addition): sessions and
    # days before it are unknown time, not cramp-free time. None: the whole record counts.
    journal_started: date | None = None
    # The athlete's own factors (CONTRACTS.md section 3 addition, issue 16), by name.
    factors: list[Factor] = Field(default_factory=list)

    @field_validator("factors", mode="before")
    @classmethod
    def _null_factors(cls, value: object) -> object:
        return [] if value is None else value

    @field_validator("factors")
    @classmethod
    def _unique_factors(cls, value: list[Factor]) -> list[Factor]:
        seen: set[str] = set()
        for factor in value:
            if factor.name in seen:
                raise ValueError(f"factor {factor.name!r} is defined twice")
            seen.add(factor.name)
        return sorted(value, key=lambda f: f.name)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; expected an IANA name such as Europe/Madrid"
            ) from None
        return value

    @field_validator("birth_year")
    @classmethod
    def _not_future_year(cls, value: int | None) -> int | None:
        if value is not None and value > datetime.now(UTC).year:
            raise ValueError("birth year is in the future")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Session(Record):
    """One training session or race. `id` is set by the store for records made in crampwise."""

    id: RecordId | None = None
    start: AwareDatetime
    sport: Sport
    duration_s: Annotated[Number, Field(gt=0, le=MAX_SESSION_S)]
    distance_m: Annotated[Number, Field(ge=0, le=2_000_000)] | None = None
    elevation_gain_m: Annotated[Number, Field(ge=0, le=30_000)] | None = None
    avg_hr: Annotated[Number, Field(ge=20, le=250)] | None = None
    max_hr: Annotated[Number, Field(ge=20, le=250)] | None = None
    rpe: Annotated[Number, Field(ge=0, le=10)] | None = None
    temperature_c: Annotated[Number, Field(ge=-40, le=60)] | None = None
    humidity_pct: Annotated[Number, Field(ge=0, le=100)] | None = None
    warmup_min: Annotated[Number, Field(ge=0, le=240)] | None = None
    cooldown_min: Annotated[Number, Field(ge=0, le=240)] | None = None
    pre_mass_kg: MassKg | None = None
    post_mass_kg: MassKg | None = None
    fluid_ml: Annotated[Number, Field(ge=0, le=30_000)] | None = None
    sodium_mg: Annotated[Number, Field(ge=0, le=30_000)] | None = None
    urine_ml: Annotated[Number, Field(ge=0, le=10_000)] | None = None
    notes: Annotated[str, Field(max_length=4000)] | None = ""
    # Extra fields (allowed by the contract): where the session came from, and whether the
    # athlete followed crampwise's plan for it (issue 5, closing the loop).
    source: Annotated[str, Field(max_length=500)] | None = None
    plan_followed: bool | None = None
    # Additions of issue 14, what an imported file says beyond the contract's fields (optional
    # in bundle v1: a reader that does not know them sets them aside): moving time (elapsed
    # `duration_s` minus pauses), the first session of a multisport event whose legs are one
    # session each, a session rebuilt from the records of a file without a summary, a start
    # dated from the device's local clock, and the activity's name, description and gear.
    moving_time_s: Annotated[Number, Field(gt=0, le=MAX_SESSION_S)] | None = None
    event_id: RecordId | None = None
    recovered: bool | None = None
    date_inferred: bool | None = None
    name: Annotated[str, Field(max_length=200)] | None = None
    description: Annotated[str, Field(max_length=4000)] | None = None
    gear: Annotated[str, Field(max_length=200)] | None = None
    # The athlete's own session factors for this session (CONTRACTS.md section 3 addition):
    # absent = unknown, false/0 = a known no. Checked against the athlete's factors by the
    # service or the bundle (`domain.factors.tag_errors`), which know them.
    tags: Tags = Field(default_factory=dict)

    @field_validator("tags", mode="before")
    @classmethod
    def _null_tags(cls, value: object) -> object:
        return null_is_empty(value)

    @field_validator("start")
    @classmethod
    def _start_not_in_future(cls, value: datetime, info: ValidationInfo) -> datetime:
        now = _given_now(info)
        if now is not None and value > now + FUTURE_SKEW:
            raise ValueError(f"{value.isoformat()} is in the future; log a session when it has started")
        return value

    @field_validator("post_mass_kg")
    @classmethod
    def _plausible_post_mass(cls, value: float | None, info: ValidationInfo) -> float | None:
        pre = info.data.get("pre_mass_kg")
        if value is not None and pre is not None and value < pre * (1 - MAX_POST_MASS_DROP):
            raise ValueError(
                f"{value} kg is more than 10 % below the pre-session mass of {pre} kg; check both weighings"
            )
        return value

    @field_validator("max_hr")
    @classmethod
    def _max_at_least_avg(cls, value: float | None, info: ValidationInfo) -> float | None:
        avg = info.data.get("avg_hr")
        if value is not None and avg is not None and value < avg:
            raise ValueError(f"maximum heart rate {value} is below the average {avg}")
        return value

    @field_validator("moving_time_s")
    @classmethod
    def _moving_within_elapsed(cls, value: float | None, info: ValidationInfo) -> float | None:
        elapsed = info.data.get("duration_s")
        if value is not None and elapsed is not None and value > elapsed + 1:
            raise ValueError(f"moving time {value} s is longer than the session's {elapsed} s")
        return value

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.duration_s)


def _given_now(info: ValidationInfo) -> datetime | None:
    """ "Now" when the caller validates user input (the validation context), else None.

    Records built directly in code (a planned session for the risk model, an imported file
    whose device clock is wrong) are not judged against the clock; user input is.
    """
    context = info.context if isinstance(info.context, Mapping) else {}
    now = context.get("now")
    return now if isinstance(now, datetime) else None


def _now_from(info: ValidationInfo) -> datetime:
    context = info.context if isinstance(info.context, Mapping) else {}
    now = context.get("now")
    return now if isinstance(now, datetime) else datetime.now(UTC)


class Cramp(Record):
    """One cramp episode."""

    id: RecordId | None = None
    at: AwareDatetime
    muscle: Muscle
    side: Side | None = None
    severity: Annotated[Int, Field(ge=0, le=10)] | None = None
    duration_s: Annotated[Number, Field(gt=0, le=MAX_CRAMP_S)] | None = None
    context: CrampContext
    session_id: RecordId | None = None
    relief: list[Relief] = Field(default_factory=list)
    relief_worked: bool | None = None
    symptoms: list[Symptom] = Field(default_factory=list)
    notes: Annotated[str, Field(max_length=4000)] | None = ""

    @field_validator("at")
    @classmethod
    def _not_in_future(cls, value: datetime, info: ValidationInfo) -> datetime:
        now = _now_from(info)
        if value > now + FUTURE_SKEW:
            raise ValueError(
                f"{value.isoformat()} is in the future; a cramp is logged when or after it happens"
            )
        return value

    @field_validator("relief", "symptoms", mode="before")
    @classmethod
    def _null_is_empty(cls, value: object) -> object:
        return [] if value is None else value

    @field_validator("relief", "symptoms")
    @classmethod
    def _unique(cls, value: list[Any]) -> list[Any]:
        seen: list[Any] = []
        for item in value:
            if item not in seen:
                seen.append(item)
        return seen


# Day fields a wellness import may fill (issue 16); `imported_fields` names those it did.
WELLNESS_FIELDS: Final = ("sleep_h", "sleep_quality", "resting_hr", "hrv_ms")


class Day(Record):
    """Daily context: sleep (the night before), fluid, alcohol, fatigue, and recovery.

    Additions of issue 16 (optional in bundle v1): the night's resting heart rate (bpm), heart
    rate variability (ms: a device's nightly value, SDNN from Apple Health, RMSSD from Garmin),
    sleep quality (0-10), the athlete's own day factors (`tags`), and `imported_fields`: which
    fields a wearable's wellness import filled (the others were typed by the athlete, and an
    import never overwrites them).
    """

    date: date
    sleep_h: Annotated[Number, Field(ge=0, le=24)] | None = None
    fluid_ml: Annotated[Number, Field(ge=0, le=30_000)] | None = None
    alcohol_units: Annotated[Number, Field(ge=0, le=100)] | None = None
    fatigue: Annotated[Number, Field(ge=0, le=10)] | None = None
    notes: Annotated[str, Field(max_length=4000)] | None = ""
    sleep_quality: Annotated[Number, Field(ge=0, le=10)] | None = None
    resting_hr: Annotated[Number, Field(ge=20, le=150)] | None = None
    hrv_ms: Annotated[Number, Field(ge=1, le=500)] | None = None
    tags: Tags = Field(default_factory=dict)
    imported_fields: list[str] = Field(default_factory=list)

    @field_validator("tags", mode="before")
    @classmethod
    def _null_tags(cls, value: object) -> object:
        return null_is_empty(value)

    @field_validator("imported_fields", mode="before")
    @classmethod
    def _null_imported(cls, value: object) -> object:
        return [] if value is None else value

    @field_validator("imported_fields")
    @classmethod
    def _wellness_only(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in WELLNESS_FIELDS:
                raise ValueError(
                    f"{name!r} is not a field an import fills; expected {'|'.join(WELLNESS_FIELDS)}"
                )
        return [name for name in WELLNESS_FIELDS if name in value]

    @field_validator("date")
    @classmethod
    def _not_after_today(cls, value: CalendarDate, info: ValidationInfo) -> CalendarDate:
        now = _given_now(info)
        # One day of slack: "today" somewhere on Earth may already be tomorrow in UTC.
        if now is not None and value > now.date() + timedelta(days=1):
            raise ValueError(f"{value} is in the future; a day is logged when it has begun")
        return value


class Medication(Record):
    """A medicine the athlete takes; some are linked to cramps (EVIDENCE.md section 4.2)."""

    id: RecordId | None = None
    name: Annotated[str, Field(min_length=1, max_length=120)]
    kind: MedicationKind = MedicationKind.OTHER
    started: date
    stopped: date | None = None

    @field_validator("stopped")
    @classmethod
    def _stopped_after_started(cls, value: date | None, info: ValidationInfo) -> date | None:
        started = info.data.get("started")
        if value is not None and started is not None and value < started:
            raise ValueError(f"stopped {value} is before started {started}")
        return value


class Bundle(Record):
    """One athlete's whole record: the `crampwise-bundle` v1 document."""

    format: Literal["crampwise-bundle"] = BUNDLE_FORMAT
    version: Literal[1] = BUNDLE_VERSION
    athlete: Athlete
    sessions: list[Session] = Field(default_factory=list)
    cramps: list[Cramp] = Field(default_factory=list)
    days: list[Day] = Field(default_factory=list)
    medications: list[Medication] = Field(default_factory=list)

    @field_validator("sessions", "cramps", "days", "medications", mode="before")
    @classmethod
    def _null_is_empty(cls, value: object) -> object:
        return [] if value is None else value


def validate_record(
    model: type[R], data: Mapping[str, Any], *, now: datetime | None = None, prefix: str = ""
) -> R:
    """Validate one record from user input, raising `InvalidInput` naming each bad field."""
    try:
        return model.model_validate(data, context={"now": now} if now else None)
    except ValidationError as exc:
        raise invalid_from(exc, prefix=prefix) from None


def record_to_json_dict(record: Record) -> dict[str, Any]:
    """One record as JSON-ready data with the bundle's field names."""
    return record.model_dump(mode="json")

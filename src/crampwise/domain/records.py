"""The records of one athlete's journal, validated once at the edge.

Field names, ranges and units are those of the `crampwise-bundle` v1 contract
(CONTRACTS.md section 3). `None` means unknown; `0` means none. Every datetime is aware.
Cross-record rules (unique ids, a cramp's session existing) live in `parse_bundle`.

Validation that needs "now" (a cramp in the future) takes it from the validation context
(`{"now": datetime}`), so tests and the pure core never read the clock.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
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
from crampwise.domain.errors import FieldError, InvalidInput

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


class Day(Record):
    """Daily context: sleep, fluid, alcohol, fatigue."""

    date: date
    sleep_h: Annotated[Number, Field(ge=0, le=24)] | None = None
    fluid_ml: Annotated[Number, Field(ge=0, le=30_000)] | None = None
    alcohol_units: Annotated[Number, Field(ge=0, le=100)] | None = None
    fatigue: Annotated[Number, Field(ge=0, le=10)] | None = None
    notes: Annotated[str, Field(max_length=4000)] | None = ""

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


def path_of(loc: Iterable[int | str]) -> str:
    """Pydantic's location tuple as a field path: `("sessions", 3, "rpe")` -> `sessions[3].rpe`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "tagged-union", "constrained")):
            continue
        else:
            out += f".{part}" if out else part
    return out


def _clean_message(message: str) -> str:
    return message.removeprefix("Value error, ")


def invalid_from(exc: ValidationError, *, prefix: str = "") -> InvalidInput:
    """Every error of a Pydantic validation, each with its field path (`sessions[3].rpe: ...`)."""
    errors: list[FieldError] = []
    for err in exc.errors(include_url=False):
        path = path_of(err["loc"])
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        errors.append(FieldError(path, _clean_message(err["msg"])))
    return InvalidInput(errors)


def validate_record(
    model: type[R], data: Mapping[str, Any], *, now: datetime | None = None, prefix: str = ""
) -> R:
    """Validate one record from user input, raising `InvalidInput` naming each bad field."""
    try:
        return model.model_validate(data, context={"now": now} if now else None)
    except ValidationError as exc:
        raise invalid_from(exc, prefix=prefix) from None


def _reference_errors(bundle: Bundle, known_session_ids: Collection[str] = ()) -> list[FieldError]:
    errors: list[FieldError] = []
    id_lists: tuple[tuple[str, list[str | None]], ...] = (
        ("sessions", [s.id for s in bundle.sessions]),
        ("cramps", [c.id for c in bundle.cramps]),
    )
    for kind, ids in id_lists:
        seen: dict[str, int] = {}
        for index, record_id in enumerate(ids):
            if record_id is None:
                errors.append(FieldError(f"{kind}[{index}].id", "required in a bundle"))
            elif record_id in seen:
                errors.append(
                    FieldError(
                        f"{kind}[{index}].id",
                        f"duplicate id {record_id!r} (also {kind}[{seen[record_id]}])",
                    )
                )
            else:
                seen[record_id] = index
    session_ids = {s.id for s in bundle.sessions} | set(known_session_ids)
    for index, cramp in enumerate(bundle.cramps):
        if cramp.session_id is not None and cramp.session_id not in session_ids:
            errors.append(
                FieldError(
                    f"cramps[{index}].session_id",
                    f"no session with id {cramp.session_id!r} in this bundle or stored for this athlete",
                )
            )
    days: dict[date, int] = {}
    for index, day in enumerate(bundle.days):
        if day.date in days:
            errors.append(
                FieldError(
                    f"days[{index}].date",
                    f"duplicate date {day.date} (also days[{days[day.date]}])",
                )
            )
        days[day.date] = index
    meds: dict[tuple[str, date], int] = {}
    for index, med in enumerate(bundle.medications):
        key = (med.name.lower(), med.started)
        if key in meds:
            errors.append(
                FieldError(
                    f"medications[{index}]",
                    f"duplicate of medications[{meds[key]}] (same name and start date)",
                )
            )
        meds[key] = index
    return errors


_BUNDLE_PARTS: dict[str, type[Record]] = {}


def split_unknown_fields(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The bundle without fields this version does not know, and the paths of those fields.

    The contract lets later v1 writers add optional fields; a reader keeps what it knows and
    says what it ignored (so a typo is reported, not silently lost).
    """
    if not _BUNDLE_PARTS:
        _BUNDLE_PARTS.update({"sessions": Session, "cramps": Cramp, "days": Day, "medications": Medication})
    ignored: list[str] = []

    def known(model: type[Record], item: object, path: str) -> object:
        if not isinstance(item, Mapping):
            return item
        kept = {}
        for key, value in item.items():
            if key in model.model_fields:
                kept[key] = value
            else:
                ignored.append(f"{path}.{key}")
        return kept

    clean: dict[str, Any] = {}
    for key, value in data.items():
        if key == "athlete":
            clean[key] = known(Athlete, value, "athlete")
        elif key in _BUNDLE_PARTS and isinstance(value, list):
            clean[key] = [known(_BUNDLE_PARTS[key], item, f"{key}[{i}]") for i, item in enumerate(value)]
        elif key in Bundle.model_fields:
            clean[key] = value
        else:
            ignored.append(key)
    return clean, ignored


def parse_bundle(
    data: object, *, now: datetime | None = None, known_session_ids: Collection[str] = ()
) -> Bundle:
    """Validate a whole bundle; raise `InvalidInput` listing every bad field path, or return it.

    A bundle with any bad record is rejected whole (CONTRACTS.md section 3). A cramp may link to
    a session of the bundle or, for a partial bundle, to one of `known_session_ids` (the
    athlete's stored sessions).
    """
    if not isinstance(data, Mapping):
        raise InvalidInput.single("", "a crampwise bundle is a JSON object with format, version and athlete")
    if data.get("format") != BUNDLE_FORMAT:
        raise InvalidInput.single("format", f"expected {BUNDLE_FORMAT!r}, got {data.get('format')!r}")
    if data.get("version") != BUNDLE_VERSION:
        raise InvalidInput.single(
            "version",
            f"this crampwise reads bundle version {BUNDLE_VERSION}, got {data.get('version')!r}",
        )
    known, _ignored = split_unknown_fields(data)
    try:
        bundle = Bundle.model_validate(known, context={"now": now} if now else None)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    errors = _reference_errors(bundle, known_session_ids)
    if errors:
        raise InvalidInput(errors)
    return bundle


def bundle_to_json_dict(bundle: Bundle) -> dict[str, Any]:
    """The bundle as JSON-ready data with every field present (null for unknown)."""
    return bundle.model_dump(mode="json")


def record_to_json_dict(record: Record) -> dict[str, Any]:
    """One record as JSON-ready data with the bundle's field names."""
    return record.model_dump(mode="json")

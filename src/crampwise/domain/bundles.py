"""One athlete's whole record as a `crampwise-bundle` v1 document: parsing and its rules.

The records themselves (and their field ranges) are in `records`; what only a whole bundle can
check lives here: unique ids, a cramp's session existing, fields a later v1 writer added.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from crampwise.domain.enums import FactorLevel
from crampwise.domain.errors import FieldError, InvalidInput
from crampwise.domain.factors import Factor, factor_conflicts, merged_factors, tag_errors
from crampwise.domain.records import (
    BUNDLE_FORMAT,
    BUNDLE_VERSION,
    Athlete,
    Bundle,
    Cramp,
    Day,
    Medication,
    Record,
    Session,
)
from crampwise.domain.validation_messages import invalid_from


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


def _tag_errors(bundle: Bundle, known_factors: Collection[Factor]) -> list[FieldError]:
    """Tags naming a factor neither the bundle's athlete nor the stored one has, or of the wrong
    kind or level; a bundle factor defined differently from the stored one of its name."""
    errors = factor_conflicts(known_factors, bundle.athlete.factors, path="athlete.factors")
    factors = merged_factors(known_factors, bundle.athlete.factors)
    for kind, level in (("sessions", FactorLevel.SESSION), ("days", FactorLevel.DAY)):
        for index, record in enumerate(getattr(bundle, kind)):
            errors.extend(tag_errors(record.tags, factors, level=level, path=f"{kind}[{index}].tags"))
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
    data: object,
    *,
    now: datetime | None = None,
    known_session_ids: Collection[str] = (),
    known_factors: Collection[Factor] = (),
) -> Bundle:
    """Validate a whole bundle; raise `InvalidInput` listing every bad field path, or return it.

    A bundle with any bad record is rejected whole (CONTRACTS.md section 3). A cramp may link to
    a session of the bundle or, for a partial bundle, to one of `known_session_ids` (the
    athlete's stored sessions), and a tag may name one of `known_factors` (the stored athlete's).
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
    errors = _reference_errors(bundle, known_session_ids) + _tag_errors(bundle, known_factors)
    if errors:
        raise InvalidInput(errors)
    return bundle


def bundle_to_json_dict(bundle: Bundle) -> dict[str, Any]:
    """The bundle as JSON-ready data with every field present (null for unknown)."""
    return bundle.model_dump(mode="json")

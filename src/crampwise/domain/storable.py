"""Values the records accept but no store can hold faithfully.

Pydantic accepts a NUL character in text and any year `date` can hold; PostgreSQL refuses the
first, and converting far-off years to UTC overflows. Checked before anything is written, so
the user gets a field-named error instead of a store failure. Pure.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from crampwise.domain.errors import FieldError, InvalidInput
from crampwise.domain.records import Record

R = TypeVar("R", bound=Record)

STORABLE_YEARS = (1900, 2100)  # beyond these a date is a typo, and PostgreSQL/UTC conversion may overflow


def storable_errors(record: Record, prefix: str = "") -> list[FieldError]:
    """Values the records accept but no store can hold faithfully: NUL characters, absurd years."""
    errors: list[FieldError] = []
    for name, value in record:
        path = f"{prefix}.{name}" if prefix else name
        if isinstance(value, str) and "\x00" in value:
            errors.append(FieldError(path, "contains a NUL character; remove it"))
        elif isinstance(value, date) and not STORABLE_YEARS[0] <= value.year <= STORABLE_YEARS[1]:
            low, high = STORABLE_YEARS
            errors.append(FieldError(path, f"year {value.year} is out of range; expected {low} to {high}"))
    return errors


def check_storable(record: R, prefix: str = "") -> R:
    """The record itself, or `InvalidInput` naming each field no store can hold."""
    errors = storable_errors(record, prefix)
    if errors:
        raise InvalidInput(errors)
    return record

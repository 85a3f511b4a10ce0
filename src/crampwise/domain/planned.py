"""Planned sessions and the gels and drinks an athlete carries (issue 16).

A planned session is the smallest record a reminder needs: when it starts (aware), the sport,
how long, the expected temperature, the planned effort, and which of the athlete's products
they will carry (name -> number of units). From it the plan, the calendar feed and session
mode are made; it is not a logged session (`Session`) and never enters the insights.

A product is one unit of something the athlete eats or drinks on the move (a gel, a bar, a
500 ml bottle of sports drink), with what one unit holds: carbohydrate in g, sodium in mg and
fluid in ml (0 for a gel or a bar). The numbers are the athlete's, read off the label.

Standard library and Pydantic only.
"""

from __future__ import annotations

import re
from typing import Annotated, Final

from pydantic import AwareDatetime, Field, field_validator

from crampwise.domain.enums import Sport
from crampwise.domain.records import MAX_SESSION_S, Int, Number, Record, RecordId

PRODUCT_NAME_CHARS: Final = 60
# `=` and `,` separate names from counts in `--carry gel=3,drink=2`; control characters never
# belong in a name shown on a phone.
_BAD_NAME = re.compile(r"[=,\x00-\x1f\x7f]")
MAX_CARRIED_UNITS: Final = 60  # crampwise convention: more than 60 of one thing is a typo
TEMPERATURE_RANGE_C: Final = (-40.0, 50.0)  # as science/planning.py plans it


def product_key(name: str) -> str:
    """The name as compared: case and surrounding space do not make two products."""
    return " ".join(name.split()).casefold()


class Product(Record):
    """One unit of a gel, bar or drink, with what it holds (from its label)."""

    name: Annotated[str, Field(min_length=1, max_length=PRODUCT_NAME_CHARS)]
    carbohydrate_g: Annotated[Number, Field(ge=0, le=300)]
    sodium_mg: Annotated[Number, Field(ge=0, le=3000)]
    fluid_ml: Annotated[Number, Field(ge=0, le=2000)]

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if _BAD_NAME.search(value):
            raise ValueError(
                "a product name may not hold '=', ',' or control characters, e.g. gel or iso drink"
            )
        return " ".join(value.split())

    @property
    def is_drink(self) -> bool:
        """A drink is sipped across the schedule; a gel or bar (no fluid) is taken whole."""
        return self.fluid_ml > 0


CarriedUnits = Annotated[Int, Field(ge=1, le=MAX_CARRIED_UNITS)]


class PlannedSessionRecord(Record):
    """A session the athlete means to do. `id` (`p-0001`) is given by the store."""

    id: RecordId | None = None
    start: AwareDatetime
    sport: Sport
    duration_s: Annotated[Number, Field(gt=0, le=MAX_SESSION_S)]
    temperature_c: Annotated[Number, Field(ge=TEMPERATURE_RANGE_C[0], le=TEMPERATURE_RANGE_C[1])]
    rpe: Annotated[Number, Field(ge=0, le=10)] | None = None
    carry: dict[str, CarriedUnits] = Field(default_factory=dict)

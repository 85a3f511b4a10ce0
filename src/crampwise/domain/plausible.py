"""Values that pass the contract's ranges but are unlikely for *this* athlete.

135 kg is a valid body mass, but for an athlete of 61.5 kg it is almost surely 135 lb typed
without its unit. Such values are never stored silently: the services raise `Unconfirmed`
with the reason (and the likely intended value), and store them only once confirmed.

Every threshold here is a crampwise convention (no study behind it), chosen wide enough that
a real value is rarely questioned.

Standard library only.
"""

from __future__ import annotations

from crampwise.domain.enums import UnitSystem
from crampwise.domain.errors import FieldError
from crampwise.domain.records import Athlete, Session
from crampwise.domain.units import KG_PER_LB, ML_PER_US_FL_OZ, format_mass, format_volume

# crampwise convention: a weighing more than 15 % away from the athlete's body mass is a typo
# or a unit mix-up far more often than a real change (a hard session loses 2-5 %).
MASS_DEVIATION = 0.15
# crampwise convention: drinking more than 2.5 L per hour during exercise is unusual (and the
# hyponatraemia consensus warns against drinking beyond thirst, hew_butler2015_eah).
MAX_FLUID_ML_PER_H = 2500.0


def _other_unit_mass(kg: float, units: UnitSystem) -> float:
    """The mass meant if the number was typed in the other unit system."""
    return kg * KG_PER_LB if units is UnitSystem.METRIC else kg / KG_PER_LB


def _mass_hint(kg: float, reference_kg: float, units: UnitSystem) -> str:
    other = _other_unit_mass(kg, units)
    if abs(other / reference_kg - 1.0) <= MASS_DEVIATION:
        other_units = UnitSystem.IMPERIAL if units is UnitSystem.METRIC else UnitSystem.METRIC
        return f"; did you mean {format_mass(other, other_units)}?"
    return ""


def unusual_mass(field: str, kg: float, reference_kg: float | None, units: UnitSystem) -> FieldError | None:
    """A weighing far from the athlete's known body mass, with the likely intended value."""
    if reference_kg is None or abs(kg / reference_kg - 1.0) <= MASS_DEVIATION:
        return None
    return FieldError(
        field,
        f"{format_mass(kg, units)} is far from the athlete's body mass of {format_mass(reference_kg, units)}"
        + _mass_hint(kg, reference_kg, units),
    )


def unusual_session(session: Session, athlete: Athlete) -> list[FieldError]:
    """Weighings far from the athlete's body mass; fluid beyond 2.5 L per hour."""
    found: list[FieldError] = []
    for field in ("pre_mass_kg", "post_mass_kg"):
        kg = getattr(session, field)
        error = None if kg is None else unusual_mass(field, kg, athlete.body_mass_kg, athlete.units)
        if error is not None:
            found.append(error)
    hours = session.duration_s / 3600.0
    if session.fluid_ml is not None and session.fluid_ml > MAX_FLUID_ML_PER_H * max(hours, 1.0):
        units = athlete.units
        meant = (
            session.fluid_ml * ML_PER_US_FL_OZ
            if units is UnitSystem.METRIC
            else session.fluid_ml / ML_PER_US_FL_OZ
        )
        other = UnitSystem.IMPERIAL if units is UnitSystem.METRIC else UnitSystem.METRIC
        hint = (
            f"; did you mean {format_volume(meant, other)}?"
            if meant <= MAX_FLUID_ML_PER_H * max(hours, 1.0)
            else ""
        )
        found.append(
            FieldError(
                "fluid_ml",
                f"{format_volume(session.fluid_ml, units)} in {hours:g} h is more than anyone drinks "
                f"(over 2.5 L an hour){hint}",
            )
        )
    return found


def unusual_athlete_change(before: Athlete, after: Athlete) -> list[FieldError]:
    """A new body mass far from the one on record (a unit mix-up more often than a change)."""
    if after.body_mass_kg is None or before.body_mass_kg is None:
        return []
    error = unusual_mass("body_mass_kg", after.body_mass_kg, before.body_mass_kg, after.units)
    return [] if error is None else [error]

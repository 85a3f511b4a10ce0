"""The closed vocabularies of the bundle contract (CONTRACTS.md section 3).

Standard library only: the `crampwise now` fast path imports this module.
"""

from __future__ import annotations

from enum import StrEnum


class Sport(StrEnum):
    RUN = "run"
    RIDE = "ride"
    SWIM = "swim"
    TRIATHLON = "triathlon"
    WALK = "walk"
    HIKE = "hike"
    STRENGTH = "strength"
    TEAM_SPORT = "team_sport"
    OTHER = "other"


class Muscle(StrEnum):
    CALF = "calf"
    HAMSTRING = "hamstring"
    QUADRICEPS = "quadriceps"
    FOOT = "foot"
    TOES = "toes"
    ADDUCTOR = "adductor"
    HIP_FLEXOR = "hip_flexor"
    GLUTE = "glute"
    SHIN = "shin"
    OTHER = "other"


# What people call the muscles (plurals, common names) -> the vocabulary's value. Keys are
# lower case with words joined by `_` (`hip flexors` -> `hip_flexors`). Here, not in the
# services, because `crampwise now` reads them on its fast path too.
MUSCLE_NAMES: dict[str, str] = {
    "calves": "calf",
    "calf_muscle": "calf",
    "gastrocnemius": "calf",
    "soleus": "calf",
    "hamstrings": "hamstring",
    "hammy": "hamstring",
    "hammies": "hamstring",
    "quad": "quadriceps",
    "quads": "quadriceps",
    "quadricep": "quadriceps",
    "thigh": "quadriceps",
    "feet": "foot",
    "arch": "foot",
    "sole": "foot",
    "toe": "toes",
    "adductors": "adductor",
    "groin": "adductor",
    "inner_thigh": "adductor",
    "hip_flexors": "hip_flexor",
    "hip": "hip_flexor",
    "psoas": "hip_flexor",
    "glutes": "glute",
    "buttock": "glute",
    "buttocks": "glute",
    "shins": "shin",
}


def word_key(text: str) -> str:
    """`Hip-Flexor`, `hip flexor` -> `hip_flexor`: how names are compared."""
    return "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class CrampContext(StrEnum):
    EXERCISE = "exercise"
    AFTER_EXERCISE = "after_exercise"
    REST = "rest"
    SLEEP = "sleep"


class Relief(StrEnum):
    STRETCH = "stretch"
    MASSAGE = "massage"
    WARMTH = "warmth"
    WALK = "walk"
    PICKLE_JUICE = "pickle_juice"
    OTHER = "other"


class Symptom(StrEnum):
    SWELLING = "swelling"
    REDNESS = "redness"
    WARMTH = "warmth"
    DARK_URINE = "dark_urine"
    WEAKNESS = "weakness"
    NUMBNESS = "numbness"
    PERSISTENT_PAIN = "persistent_pain"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class MedicationKind(StrEnum):
    DIURETIC = "diuretic"
    STATIN = "statin"
    BETA_AGONIST = "beta_agonist"
    OTHER = "other"


class UnitSystem(StrEnum):
    METRIC = "metric"
    IMPERIAL = "imperial"


class Level(StrEnum):
    """Urgency of a red flag, most serious first (CONTRACTS.md section 5, `check`)."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    MENTION = "mention"
    NONE = "none"

    @property
    def rank(self) -> int:
        """0 for `none` up to 4 for `emergency`: larger is more serious."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {
    Level.NONE: 0,
    Level.MENTION: 1,
    Level.SOON: 2,
    Level.URGENT: 3,
    Level.EMERGENCY: 4,
}


def choices(enum: type[StrEnum]) -> str:
    """The accepted values of an enum as `a|b|c`, for error messages."""
    return "|".join(member.value for member in enum)


class FactorLevel(StrEnum):
    """Where an athlete's own factor is recorded: on each session, or on each day."""

    SESSION = "session"
    DAY = "day"


class FactorKind(StrEnum):
    """What an athlete's own factor holds: yes or no (`new_shoes`), or a number (`caffeine_mg`)."""

    YES_NO = "yes_no"
    NUMBER = "number"

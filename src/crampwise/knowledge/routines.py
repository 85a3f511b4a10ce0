"""Warm-up, cool-down and bedtime routines aimed at the muscles an athlete cramps in.

The exercises live in `routines.toml` with their minutes, dose and sources. A routine is the
general part of a phase followed by the exercises for each target muscle, in the order the
caller ranks the muscles (most often cramping first), without repeating an exercise that
serves two of them. No trial shows that a warm-up prevents cramps (see the TOML header); the
faces present these as preparation, with their sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from crampwise.domain.enums import Muscle
from crampwise.knowledge.loader import load_toml

GENERAL = "general"
DEFAULT_TARGETS: tuple[Muscle, ...] = (Muscle.CALF, Muscle.HAMSTRING)
"""The commonest cramp sites in endurance athletes (hoffman2015_ultra: calf 54 %, hamstrings 33 %)."""


class Phase(StrEnum):
    WARMUP = "warmup"
    COOLDOWN = "cooldown"
    NIGHT = "night"


@dataclass(frozen=True)
class Exercise:
    """One exercise of a routine; `minutes` is its share of the routine's time."""

    id: str
    name: str
    phase: Phase
    targets: tuple[str, ...]
    minutes: float
    dose: str
    how: str
    sources: tuple[str, ...]
    note: str = ""

    def as_json(self) -> dict[str, object]:
        """The contract's `{"name", "minutes", "targets"}` plus the dose, how-to and sources."""
        return {
            "id": self.id,
            "name": self.name,
            "minutes": self.minutes,
            "targets": list(self.targets),
            "dose": self.dose,
            "how": self.how,
            "note": self.note,
            "sources": list(self.sources),
        }


@cache
def all_exercises() -> tuple[Exercise, ...]:
    """Every exercise of the knowledge base, in file order (validated on first use)."""
    known_targets = {m.value for m in Muscle} | {GENERAL}
    out: list[Exercise] = []
    for raw in load_toml("routines.toml")["exercise"]:
        exercise = Exercise(
            id=raw["id"],
            name=raw["name"],
            phase=Phase(raw["phase"]),
            targets=tuple(raw["targets"]),
            minutes=float(raw["minutes"]),
            dose=raw["dose"],
            how=raw["how"],
            sources=tuple(raw["sources"]),
            note=raw.get("note", ""),
        )
        unknown = set(exercise.targets) - known_targets
        if unknown:
            raise ValueError(f"routines.toml: exercise {exercise.id!r} targets unknown {sorted(unknown)}")
        if not exercise.sources:
            raise ValueError(f"routines.toml: exercise {exercise.id!r} cites no source")
        out.append(exercise)
    ids = [e.id for e in out]
    if len(ids) != len(set(ids)):
        raise ValueError("routines.toml: duplicate exercise id")
    return tuple(out)


def routine(phase: Phase, targets: Iterable[Muscle | str] = DEFAULT_TARGETS) -> list[Exercise]:
    """The general exercises of `phase`, then one block per target muscle in the given order.

    A muscle without a specific exercise (e.g. `other`) adds nothing beyond the general part;
    the night routine has no general part and covers calf and hamstring only (hallegraeff2012).
    """
    pool = [e for e in all_exercises() if e.phase is phase]
    chosen: list[Exercise] = [e for e in pool if GENERAL in e.targets]
    for target in targets:
        for exercise in pool:
            if str(target) in exercise.targets and exercise not in chosen:
                chosen.append(exercise)
    return chosen


def routine_minutes(exercises: Iterable[Exercise]) -> float:
    """Total minutes of a routine."""
    return sum(e.minutes for e in exercises)


def routine_sources(exercises: Iterable[Exercise]) -> list[str]:
    """The source ids a routine cites, each once, in first-use order."""
    seen: list[str] = []
    for exercise in exercises:
        for source in exercise.sources:
            if source not in seen:
                seen.append(source)
    return seen

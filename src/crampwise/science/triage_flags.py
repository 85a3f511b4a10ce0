"""The red-flag review's value types (a raised `Flag`, the whole `Review`) and the token that
keeps `check --ask` answers in a cramp's notes. Pure; `science/triage.py` applies the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crampwise.domain.enums import Level
from crampwise.domain.records import Cramp
from crampwise.knowledge.redflags import RedFlag

ACUTE_DAYS = 14  # acute signs keep their level this long [crampwise_convention]
ANSWER_TOKEN = re.compile(r"\[crampwise check: ([a-z_, ]+)\]")


@dataclass(frozen=True)
class Flag:
    """One raised red flag: the checklist entry plus the episodes and figures behind it."""

    code: str
    level: Level
    message: str
    advice: str
    episodes: tuple[str, ...]
    sources: tuple[str, ...]
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        """The contract's flag object (CONTRACTS.md section 5) plus `detail`."""
        return {
            "code": self.code,
            "level": self.level.value,
            "message": self.message,
            "advice": self.advice,
            "episodes": list(self.episodes),
            "sources": list(self.sources),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Review:
    """The whole review, most serious flag first."""

    level: Level
    flags: tuple[Flag, ...]
    disclaimer: str

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "flags": [f.to_json() for f in self.flags],
            "disclaimer": self.disclaimer,
        }


def answers_note(codes: Iterable[str]) -> str:
    """The token `check --ask` appends to a cramp's notes to keep "yes" answers."""
    return f"[crampwise check: {', '.join(sorted(set(codes)))}]"


def answered_codes(cramp: Cramp) -> set[str]:
    """Flag codes answered "yes" for this cramp (stored in its notes by `check --ask`)."""
    found: set[str] = set()
    for match in ANSWER_TOKEN.finditer(cramp.notes or ""):
        found.update(code.strip() for code in match.group(1).split(",") if code.strip())
    return found


def raise_flag(
    definition: RedFlag,
    episodes: Iterable[str | None],
    *,
    old: bool = False,
    detail: str = "",
    level: Level | None = None,
) -> Flag:
    """A finding of this definition; `old` turns an acute sign from the past into a `mention`."""
    ids = tuple(dict.fromkeys(e for e in episodes if e))
    if old:
        return Flag(
            code=definition.code,
            level=Level.MENTION,
            message=f"Earlier episode (over {ACUTE_DAYS} days ago): {definition.message}",
            advice=f"Tell a doctor about it at your next visit. If it happens again: {definition.advice}",
            episodes=ids,
            sources=definition.sources,
            detail=detail,
        )
    return Flag(
        code=definition.code,
        level=level or definition.level,
        message=definition.message,
        advice=definition.advice,
        episodes=ids,
        sources=definition.sources,
        detail=detail,
    )

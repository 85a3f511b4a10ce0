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
from crampwise.knowledge.emergency import Contacts
from crampwise.knowledge.redflags import RedFlag

ACUTE_DAYS = 14  # acute signs keep their level this long [crampwise_convention]
ANSWER_TOKEN = re.compile(r"\[crampwise check: ([a-z_, ]+)\]")
ASKED = "asked"  # in the token: `check --ask` was run on this cramp (answers "no" leave no code)


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
class AskHint:
    """Whether `check --ask` has been answered, and the level a "yes" could still bring."""

    asked: bool
    could_raise_to: Level | None

    def sentence(self, asker: str = "`crampwise check --ask` asks") -> str:
        """The hint in words; `asker` is what asks the questions where it is read (the CLI
        command, or "the questions below ask" on a page)."""
        if self.could_raise_to is None:
            return ""
        return (
            f"crampwise cannot see everything in your log: {asker} about signs such "
            "as chest pain, confusion, dark urine or numbness, and a 'yes' could raise this review to "
            f"{self.could_raise_to.value.upper()}."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "asked": self.asked,
            "could_raise_to": None if self.could_raise_to is None else self.could_raise_to.value,
            "text": self.sentence(),
        }


@dataclass(frozen=True)
class Review:
    """The whole review, most serious flag first."""

    level: Level
    flags: tuple[Flag, ...]
    disclaimer: str
    ask: AskHint | None = None

    def to_json(self) -> dict[str, Any]:
        """The contract's document (CONTRACTS.md section 5) plus `ask` (an addition)."""
        document: dict[str, Any] = {
            "level": self.level.value,
            "flags": [f.to_json() for f in self.flags],
            "disclaimer": self.disclaimer,
        }
        if self.ask is not None:
            document["ask"] = self.ask.to_json()
        return document


def answers_note(codes: Iterable[str], *, asked: bool = False) -> str:
    """The token `check --ask` appends to a cramp's notes to keep "yes" answers (and that it asked)."""
    items = sorted(set(codes) | ({ASKED} if asked else set()))
    return f"[crampwise check: {', '.join(items)}]"


def answered_codes(cramp: Cramp) -> set[str]:
    """Flag codes answered "yes" for this cramp (stored in its notes by `check --ask`)."""
    found: set[str] = set()
    for match in ANSWER_TOKEN.finditer(cramp.notes or ""):
        found.update(code.strip() for code in match.group(1).split(",") if code.strip())
    return found - {ASKED}


def was_asked(cramp: Cramp) -> bool:
    """True once `check --ask` has been run on this cramp (even if every answer was no)."""
    return any(
        ASKED in (code.strip() for code in match.group(1).split(","))
        for match in ANSWER_TOKEN.finditer(cramp.notes or "")
    )


def filled(flag: Flag, contacts: Contacts) -> Flag:
    """The flag with `{emergency}` and `{urgent_care}` filled for the athlete's country."""
    return Flag(
        flag.code,
        flag.level,
        contacts.fill(flag.message),
        contacts.fill(flag.advice),
        flag.episodes,
        flag.sources,
        flag.detail,
    )


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

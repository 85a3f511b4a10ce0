"""Red-flag review use-cases: `check`, recording the `--ask` answers, advice right after logging.

The rules live in science/triage.py and the checklist in knowledge/redflags.toml; this module
loads the journal, calls them, and writes the answers of `crampwise check --ask` back onto the
latest cramp through the journal service (symptoms in `symptoms`, the other "yes" answers as a
token in `notes` that the review reads back).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from crampwise.domain.enums import Level, Symptom
from crampwise.domain.errors import InvalidInput, NotFound
from crampwise.domain.records import Cramp
from crampwise.knowledge.emergency import contacts_for_zone
from crampwise.knowledge.redflags import RedFlag, SymptomQuestion, red_flags
from crampwise.science.triage import review, symptom_flags
from crampwise.science.triage_flags import (
    ANSWER_TOKEN,
    Flag,
    Review,
    answered_codes,
    answers_note,
    was_asked,
)
from crampwise.services.context import AppContext
from crampwise.services.journal import load_history, load_journal_history, update_cramp


def check(ctx: AppContext, *, athlete: str | None, now: datetime, answers: Iterable[str] = ()) -> Review:
    """The red-flag review of one athlete's journal, most serious first (CONTRACTS.md `check`)."""
    codes = list(answers)
    _known_codes(codes)
    return review(load_journal_history(ctx, athlete=athlete), now, answers=codes)


@dataclass(frozen=True)
class Questions:
    """What `check --ask` asks: symptoms of the latest cramp, then the other warning signs."""

    symptoms: tuple[SymptomQuestion, ...]
    flags: tuple[RedFlag, ...]


def questions() -> Questions:
    book = red_flags()
    return Questions(symptoms=book.symptom_questions, flags=book.questions())


def latest_cramp(ctx: AppContext, *, athlete: str | None) -> Cramp | None:
    """The most recent episode (the one `--ask` records answers on), or None."""
    cramps = load_history(ctx, athlete=athlete).cramps
    return cramps[-1] if cramps else None


def record_answers(
    ctx: AppContext,
    *,
    athlete: str | None,
    symptoms: Iterable[Symptom | str],
    flags: Iterable[str],
    now: datetime,
) -> Cramp:
    """Record `--ask` answers on the latest cramp and return it as stored.

    `symptoms` answered yes are added to the cramp's symptoms (none is removed: a "no" today does
    not undo what was logged); `flags` answered yes are kept in its notes as
    `[crampwise check: asked, code, ...]` so later reviews and the clinician report still see them
    (`asked` records that the questions were answered, so `check` stops suggesting `--ask`).
    """
    try:
        wanted = [Symptom(s) for s in symptoms]
    except ValueError as exc:
        raise InvalidInput.single(
            "symptoms", f"{exc}; expected {'|'.join(s.value for s in Symptom)}"
        ) from None
    codes = list(flags)
    _known_codes(codes)
    cramp = latest_cramp(ctx, athlete=athlete)
    if cramp is None or cramp.id is None:
        raise NotFound("no cramp logged yet: log one with `crampwise log cramp` before `check --ask`")
    changes: dict[str, object] = {}
    merged = list(dict.fromkeys([*cramp.symptoms, *wanted]))
    if merged != list(cramp.symptoms):
        changes["symptoms"] = [s.value for s in merged]
    new_codes = set(codes) - answered_codes(cramp)
    if new_codes or not was_asked(cramp):
        all_codes = answered_codes(cramp) | new_codes
        kept = ANSWER_TOKEN.sub("", cramp.notes or "").strip()
        changes["notes"] = f"{kept} {answers_note(all_codes, asked=True)}".strip()
    if not changes:
        return cramp
    return update_cramp(ctx, athlete=athlete, cramp_id=cramp.id, changes=changes, now=now)


@dataclass(frozen=True)
class Answered:
    """The review after the `--ask` answers, and the cramp they were recorded on (None: no
    cramp logged yet, so they counted for this review only)."""

    review: Review
    recorded_on: str | None


def answer_and_check(
    ctx: AppContext,
    *,
    athlete: str | None,
    symptoms: Iterable[Symptom | str],
    flags: Iterable[str],
    now: datetime,
) -> Answered:
    """`check --ask` (the CLI's prompts and the web's check form): record the answers on the
    latest cramp when there is one, then review with the "yes" answers."""
    codes = list(flags)
    latest = latest_cramp(ctx, athlete=athlete)
    if latest is not None:
        record_answers(ctx, athlete=athlete, symptoms=symptoms, flags=codes, now=now)
    return Answered(
        check(ctx, athlete=athlete, now=now, answers=codes), None if latest is None else latest.id
    )


def advice_for_cramp(
    cramp: Cramp, *, min_level: Level = Level.URGENT, zone_name: str | None = None
) -> list[Flag]:
    """Flags this one cramp raises at `min_level` or above (default: urgent and emergency).

    Called right after logging, so that "dark urine" or "a swollen, warm calf" shows its advice
    at once instead of waiting for `crampwise check`. `zone_name` (the athlete's time zone)
    picks the emergency number; without it the advice says "your local emergency number".
    """
    contacts = contacts_for_zone(zone_name)
    return [f for f in symptom_flags(cramp, contacts) if f.level.rank >= min_level.rank]


def _known_codes(codes: Iterable[str]) -> None:
    known = {f.code for f in red_flags().flags}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise InvalidInput.single(
            "answers", f"unknown red flag {unknown[0]!r}; expected one of {'|'.join(sorted(known))}"
        )

"""The red-flag checklist as typed data (knowledge/redflags.toml; EVIDENCE.md section 4.6).

Each flag says what raises it (a symptom logged on a cramp, a pattern over the journal, or a
"yes" to a question in `crampwise check --ask`), how urgent it is, what to tell the athlete and
which sources back it. The science layer applies the patterns; this module only loads and
checks the data, so a typo in the TOML fails a test rather than a user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from crampwise.domain.enums import CrampContext, Level, Muscle, Symptom
from crampwise.knowledge.loader import load_toml
from crampwise.knowledge.sources import resolve

TRIGGERS = ("symptom", "pattern", "question")
FLAG_LEVELS = (Level.EMERGENCY, Level.URGENT, Level.SOON, Level.MENTION)
PLACEHOLDER = re.compile(r"\{[^}]*\}")
KNOWN_PLACEHOLDERS = frozenset({"{emergency}", "{urgent_care}"})


@dataclass(frozen=True)
class RedFlag:
    """One warning sign of the checklist (a definition, not a finding)."""

    code: str
    checklist: str
    level: Level
    trigger: str
    message: str
    advice: str
    sources: tuple[str, ...]
    question: str = ""
    symptoms: tuple[Symptom, ...] = ()
    with_any: tuple[Symptom, ...] = ()
    muscles: tuple[Muscle, ...] = ()
    superseded_by: tuple[str, ...] = ()
    escalation: str = ""
    contexts: tuple[CrampContext, ...] = ()

    def matches_symptoms(
        self, symptoms: frozenset[Symptom], muscle: Muscle, context: CrampContext | None = None
    ) -> bool:
        """True when a cramp with these symptoms at this muscle (and context) raises this flag.

        All of `symptoms` must be present, plus at least one of `with_any` when that is set;
        `muscles` (when set) limits the flag to those sites (a DVT pattern is a lower-leg one)
        and `contexts` to those contexts (numbness with an exercise cramp of the lower leg).
        """
        if self.trigger != "symptom":
            return False
        if self.muscles and muscle not in self.muscles:
            return False
        if self.contexts and context not in self.contexts:
            return False
        if not set(self.symptoms) <= symptoms:
            return False
        return not self.with_any or bool(symptoms & set(self.with_any))


@dataclass(frozen=True)
class SymptomQuestion:
    """How `check --ask` asks about one symptom of the bundle vocabulary."""

    symptom: Symptom
    question: str


@dataclass(frozen=True)
class LinkedGroup:
    """A group of medicines linked to cramps by one source, with the level it carries."""

    group: str
    kinds: frozenset[str]
    names: tuple[str, ...]
    level: Level
    sources: tuple[str, ...]
    advice: str = ""

    def matches(self, name: str, kind: str) -> bool:
        lowered = name.lower()
        return kind in self.kinds or any(fragment in lowered for fragment in self.names)


@dataclass(frozen=True)
class RedFlagBook:
    """The whole checklist plus the disclaimer every review carries."""

    flags: tuple[RedFlag, ...]
    disclaimer: str
    symptom_questions: tuple[SymptomQuestion, ...] = ()
    linked_groups: tuple[LinkedGroup, ...] = ()

    @property
    def linked_sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for g in self.linked_groups for s in g.sources))

    def linked_group(self, name: str, kind: str) -> LinkedGroup | None:
        """The group of a medicine linked to cramps (EVIDENCE.md 4.2), by name first, then kind.

        By name first, so "atorvastatin" recorded with kind "other" is still a statin.
        """
        lowered = name.lower()
        for group in self.linked_groups:
            if any(fragment in lowered for fragment in group.names):
                return group
        for group in self.linked_groups:
            if kind in group.kinds:
                return group
        return None

    def is_linked_medicine(self, name: str, kind: str) -> bool:
        """True for a medicine linked to cramps (EVIDENCE.md 4.2): by kind or by name."""
        return self.linked_group(name, kind) is not None

    def get(self, code: str) -> RedFlag:
        """The flag with this code; `KeyError` naming it when unknown."""
        for flag in self.flags:
            if flag.code == code:
                return flag
        raise KeyError(f"unknown red flag {code!r}")

    def by_trigger(self, trigger: str) -> tuple[RedFlag, ...]:
        return tuple(f for f in self.flags if f.trigger == trigger)

    def questions(self) -> tuple[RedFlag, ...]:
        """The flags `check --ask` asks about beyond the symptoms (a "yes" raises the flag),
        most serious first."""
        asked = [f for f in self.flags if f.question and f.trigger in ("question", "pattern")]
        asked.sort(key=lambda f: -f.level.rank)
        return tuple(asked)


def _tuple_of(enum: Any, raw: Any, code: str, key: str) -> tuple[Any, ...]:
    try:
        return tuple(enum(item) for item in raw or ())
    except ValueError as exc:
        raise ValueError(f"red flag {code!r}: {key}: {exc}") from None


def _parse(raw: dict[str, Any]) -> RedFlag:
    code = str(raw["code"])
    level = Level(raw["level"])
    if level not in FLAG_LEVELS:
        raise ValueError(f"red flag {code!r}: level must be one of emergency|urgent|soon|mention")
    trigger = str(raw["trigger"])
    if trigger not in TRIGGERS:
        raise ValueError(f"red flag {code!r}: trigger must be one of {'|'.join(TRIGGERS)}")
    sources = tuple(str(s) for s in raw["sources"])
    if not sources:
        raise ValueError(f"red flag {code!r} cites no source")
    resolve(sources)  # KeyError naming a dangling id
    flag = RedFlag(
        code=code,
        checklist=str(raw.get("checklist", "")),
        level=level,
        trigger=trigger,
        message=str(raw["message"]),
        advice=str(raw["advice"]),
        sources=sources,
        question=str(raw.get("question", "")),
        symptoms=_tuple_of(Symptom, raw.get("symptoms"), code, "symptoms"),
        with_any=_tuple_of(Symptom, raw.get("with_any"), code, "with_any"),
        muscles=_tuple_of(Muscle, raw.get("muscles"), code, "muscles"),
        contexts=_tuple_of(CrampContext, raw.get("contexts"), code, "contexts"),
        superseded_by=tuple(str(s) for s in raw.get("superseded_by", ())),
        escalation=str(raw.get("escalation", "")),
    )
    if trigger == "symptom" and not (flag.symptoms or flag.with_any):
        raise ValueError(f"red flag {code!r}: a symptom flag needs symptoms or with_any")
    if trigger == "question" and not flag.question:
        raise ValueError(f"red flag {code!r}: a question flag needs its question")
    _check_placeholders(f"red flag {code!r}", flag.message, flag.advice, flag.question)
    return flag


def _check_placeholders(where: str, *texts: str) -> None:
    """Only `{emergency}` and `{urgent_care}` may appear in braces (knowledge/emergency.py)."""
    for text in texts:
        unknown = sorted(set(PLACEHOLDER.findall(text)) - KNOWN_PLACEHOLDERS)
        if unknown:
            raise ValueError(
                f"{where}: unknown placeholder {unknown[0]}; expected {sorted(KNOWN_PLACEHOLDERS)}"
            )


def _group(raw: dict[str, Any]) -> LinkedGroup:
    name = str(raw["group"])
    sources = tuple(str(s) for s in raw["sources"])
    if not sources:
        raise ValueError(f"linked medicine {name!r} cites no source")
    resolve(sources)
    level = Level(raw["level"])
    if level not in FLAG_LEVELS:
        raise ValueError(f"linked medicine {name!r}: level must be one of emergency|urgent|soon|mention")
    advice = str(raw.get("advice", ""))
    _check_placeholders(f"linked medicine {name!r}", advice)
    return LinkedGroup(
        group=name,
        kinds=frozenset(str(k) for k in raw.get("kinds", ())),
        names=tuple(str(n).lower() for n in raw["names"]),
        level=level,
        sources=sources,
        advice=advice,
    )


@cache
def red_flags() -> RedFlagBook:
    """The checklist from knowledge/redflags.toml, validated (unique codes, known sources)."""
    data = load_toml("redflags.toml")
    flags = tuple(_parse(raw) for raw in data["flag"])
    codes = [f.code for f in flags]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"duplicate red flag codes: {', '.join(duplicates)}")
    for flag in flags:
        unknown = [c for c in flag.superseded_by if c not in codes]
        if unknown:
            raise ValueError(f"red flag {flag.code!r}: superseded_by names unknown {unknown}")
    symptom_questions = tuple(
        SymptomQuestion(symptom=Symptom(raw["symptom"]), question=str(raw["question"]))
        for raw in data.get("symptom_question", ())
    )
    missing = set(Symptom) - {q.symptom for q in symptom_questions}
    if missing:
        raise ValueError(f"no symptom_question for {sorted(missing)}")
    disclaimer = " ".join(str(data["disclaimer"]).split())
    _check_placeholders("disclaimer", disclaimer)
    return RedFlagBook(
        flags=flags,
        disclaimer=disclaimer,
        symptom_questions=symptom_questions,
        linked_groups=tuple(_group(raw) for raw in data["linked_medicine"]),
    )

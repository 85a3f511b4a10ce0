"""The red-flag checklist: complete against EVIDENCE.md 4.6, sourced, and never prescribing."""

from __future__ import annotations

import re

import pytest

from crampwise.domain.enums import Level, Muscle, Symptom
from crampwise.knowledge.redflags import _parse, red_flags
from crampwise.knowledge.sources import all_sources

BOOK = red_flags()


def test_every_checklist_row_r1_to_r18_is_covered() -> None:
    covered = set()
    for flag in BOOK.flags:
        covered.update(re.findall(r"R(\d+)", flag.checklist))
    assert {str(n) for n in range(1, 19)} <= covered


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("dark_urine", Level.EMERGENCY),
        ("hyponatraemia_signs", Level.EMERGENCY),
        ("heat_illness", Level.EMERGENCY),
        ("exertional_sickling", Level.EMERGENCY),
        ("compartment_syndrome", Level.EMERGENCY),
        ("calf_swelling", Level.URGENT),
        ("leg_swelling", Level.URGENT),
        ("long_cramp", Level.URGENT),
        ("tetanus_toxin", Level.URGENT),
        ("weakness_or_numbness", Level.SOON),
        ("claudication", Level.SOON),
        ("restless_legs", Level.SOON),
        ("many_sites", Level.SOON),
        ("frequent_cramps", Level.SOON),
        ("severe_cramp", Level.MENTION),
        ("weight_gain_recent", Level.URGENT),
        ("exertional_numbness", Level.URGENT),
        ("exertional_chest_pain", Level.EMERGENCY),
        ("cauda_equina", Level.EMERGENCY),
        ("exertional_fainting", Level.URGENT),
        ("tetany_signs", Level.URGENT),
        ("heat_exhaustion", Level.URGENT),
        ("fever_or_viral", Level.SOON),
        ("new_medicine", Level.MENTION),
        ("pregnancy", Level.MENTION),
        ("quinine", Level.MENTION),
    ],
)
def test_levels_follow_the_checklist(code: str, level: Level) -> None:
    assert BOOK.get(code).level is level


def test_every_flag_cites_sources_that_resolve_with_a_link_unless_unverified_or_a_convention() -> None:
    known = all_sources()
    for flag in BOOK.flags:
        assert flag.sources, flag.code
        for source_id in flag.sources:
            source = known[source_id]
            assert source.link or not source.verified or source.strength == "convention", (
                flag.code,
                source_id,
            )


def test_codes_are_unique_and_messages_are_plain_sentences() -> None:
    codes = [f.code for f in BOOK.flags]
    assert len(codes) == len(set(codes))
    for flag in BOOK.flags:
        assert re.fullmatch(r"[a-z_]+", flag.code)
        assert flag.message.endswith(".") and flag.advice.endswith(".")


def test_advice_never_tells_anyone_to_stop_or_take_a_drug() -> None:
    stop = re.compile(
        r"\b(stop|discontinue|quit)\b[^.]*\b(medicine|medication|drug|tablet|statin|diuretic)", re.I
    )
    take = re.compile(
        r"\b(take|try|use)\b[^.]*\b(quinine|magnesium|tonic|tablet|painkiller|supplement)", re.I
    )
    for flag in BOOK.flags:
        for text in (flag.advice, flag.message):
            assert not take.search(text), (flag.code, text)
            match = stop.search(text)
            assert not match or re.search(r"\b(do not|never)\b", text[: match.end()], re.I), (flag.code, text)


def test_medicine_advice_says_not_to_stop_on_your_own() -> None:
    assert "Do not stop" in BOOK.get("new_medicine").advice
    assert "Do not start, stop or change" in BOOK.disclaimer


def test_symptom_questions_cover_the_whole_symptom_vocabulary() -> None:
    assert {q.symptom for q in BOOK.symptom_questions} == set(Symptom)


def test_questions_are_asked_most_serious_first() -> None:
    ranks = [f.level.rank for f in BOOK.questions()]
    assert ranks == sorted(ranks, reverse=True)
    assert all(f.question.endswith("?") for f in BOOK.questions())


@pytest.mark.parametrize(
    ("symptoms", "muscle", "expected"),
    [
        ({Symptom.SWELLING, Symptom.REDNESS}, Muscle.CALF, True),
        ({Symptom.SWELLING, Symptom.WARMTH}, Muscle.SHIN, True),
        ({Symptom.SWELLING}, Muscle.CALF, True),
        ({Symptom.REDNESS}, Muscle.CALF, True),
        ({Symptom.WARMTH}, Muscle.SHIN, True),
        ({Symptom.REDNESS, Symptom.WARMTH}, Muscle.CALF, True),
        ({Symptom.NUMBNESS}, Muscle.CALF, False),
        ({Symptom.SWELLING, Symptom.REDNESS}, Muscle.HAMSTRING, False),
    ],
)
def test_the_dvt_pattern_is_any_one_of_swelling_redness_or_warmth_on_the_calf_or_shin(
    symptoms: set[Symptom], muscle: Muscle, expected: bool
) -> None:
    assert BOOK.get("calf_swelling").matches_symptoms(frozenset(symptoms), muscle) is expected


@pytest.mark.parametrize(
    ("symptoms", "muscle", "expected"),
    [
        ({Symptom.SWELLING, Symptom.REDNESS}, Muscle.HAMSTRING, True),
        ({Symptom.SWELLING, Symptom.WARMTH}, Muscle.FOOT, True),
        ({Symptom.SWELLING}, Muscle.QUADRICEPS, False),
        ({Symptom.REDNESS, Symptom.WARMTH}, Muscle.ADDUCTOR, False),
        ({Symptom.SWELLING, Symptom.REDNESS}, Muscle.GLUTE, False),
    ],
)
def test_elsewhere_in_the_leg_the_dvt_pattern_is_swelling_with_redness_or_warmth(
    symptoms: set[Symptom], muscle: Muscle, expected: bool
) -> None:
    assert BOOK.get("leg_swelling").matches_symptoms(frozenset(symptoms), muscle) is expected


def test_the_weekly_frequency_threshold_is_labelled_a_convention_not_a_nice_threshold() -> None:
    frequent = BOOK.get("frequent_cramps")
    assert "crampwise_convention" in frequent.sources and "nice_cks_leg_cramps" not in frequent.sources
    assert "convention" in frequent.message


def test_placeholders_are_only_the_emergency_ones() -> None:
    for flag in BOOK.flags:
        for text in (flag.message, flag.advice, flag.question):
            assert set(re.findall(r"\{[^}]*\}", text)) <= {"{emergency}", "{urgent_care}"}, flag.code
            assert re.search(r"\b(999|911|112|000)\b|\b111\b", text) is None, flag.code
    with pytest.raises(ValueError, match="unknown placeholder"):
        _parse(
            {
                "code": "x",
                "level": "urgent",
                "trigger": "pattern",
                "message": "m.",
                "advice": "call {ambulance}.",
                "sources": ["nhs_leg_cramps"],
            }
        )


def test_linked_medicines_by_kind_and_by_name_but_not_lookalikes() -> None:
    assert BOOK.is_linked_medicine("anything", "diuretic")
    assert BOOK.is_linked_medicine("Atorvastatin 20", "other")
    assert BOOK.is_linked_medicine("Salbutamol inhaler", "other")
    assert not BOOK.is_linked_medicine("nystatin", "other")
    assert not BOOK.is_linked_medicine("ibuprofen", "other")


def test_bad_entries_are_refused_with_the_flag_named() -> None:
    base = {
        "code": "x",
        "level": "urgent",
        "trigger": "pattern",
        "message": "m.",
        "advice": "a.",
        "sources": ["nhs_leg_cramps"],
    }
    assert _parse(base).code == "x"
    with pytest.raises(ValueError, match="'x'"):
        _parse({**base, "level": "none"})
    with pytest.raises(KeyError, match="nope"):
        _parse({**base, "sources": ["nope"]})
    with pytest.raises(ValueError, match="cites no source"):
        _parse({**base, "sources": []})
    with pytest.raises(ValueError, match="symptoms"):
        _parse({**base, "trigger": "symptom"})
    with pytest.raises(ValueError, match="question"):
        _parse({**base, "trigger": "question"})


def test_the_docs_list_every_flag() -> None:
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "red-flags.md"
    text = doc.read_text(encoding="utf-8")
    missing = [f.code for f in BOOK.flags if f"`{f.code}`" not in text]
    assert missing == []

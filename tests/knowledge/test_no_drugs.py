"""No knowledge text suggests a drug or a dose (DESIGN.md: crampwise never suggests a drug).

Two tiers:
- relief.toml (advice read mid-cramp) is strict: a drug or dose word may appear only in a
  caution of kind "never", after a "never"/"do not" in the same clause.
- every other knowledge file (red flags ask "are you taking quinine?", routines have an
  exercise `dose` key) is checked for *suggestions* outside questions: an imperative such as "take"/"try"/"drink"
  before a drug word, a drug word followed by "helps"/"may help"/"relieves", or an amount in
  mg, unless a "never"/"do not" comes first in the clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from crampwise.knowledge.loader import knowledge_files, load_toml

DRUG_WORDS = (
    "quinine",
    "tonic water",
    "magnesium",
    "ibuprofen",
    "paracetamol",
    "acetaminophen",
    "naproxen",
    "aspirin",
    "diclofenac",
    "codeine",
    "baclofen",
    "diazepam",
    "orphenadrine",
    "muscle relaxant",
    "painkiller",
    "pain reliever",
    "salt tablet",
    "mg",
    "tablet",
    "pill",
    "capsule",
    "dose",
    "dosage",
    "supplement",
)
_WORDS = "|".join(re.escape(w) for w in DRUG_WORDS)
_DRUG = re.compile(rf"\b({_WORDS})s?\b", re.IGNORECASE)
_PROHIBITION = re.compile(r"\b(never|do not|don't|must not|should not)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;!?]")
# "take quinine", "try 300 mg of magnesium", "drink tonic water" - but not "if you take quinine".
_IMPERATIVE = re.compile(
    rf"(?<!you )\b(take|try|use|drink|have|swallow|start)\s+(?:a |an |some |\d+\s*(?:mg\s+)?(?:of\s+)?)?({_WORDS})s?\b",
    re.IGNORECASE,
)
_CLAIM = re.compile(
    rf"\b({_WORDS})s?\s+(helps?|relieves?|eases?|works?|(?:can|may|will|should)\s+(?:help|ease|relieve|stop|prevent))\b",
    re.IGNORECASE,
)
# An amount in mg is a dose unless it is the sodium of a hydration plan (DESIGN.md, in mg/h).
_AMOUNT_MG = re.compile(r"\d\s*mg\b", re.IGNORECASE)

# Bibliography entries name drugs in their titles (e.g. "Quinine for muscle cramps"): they are
# references, not advice, so sources.toml is not knowledge *text* for this check.
TEXT_FILES = [name for name in knowledge_files() if name != "sources.toml"]


def _clauses(text: str) -> list[str]:
    return _CLAUSE_END.split(text)


def _statements(text: str) -> list[str]:
    """The clauses of `text` that are not part of a question ("are you taking quinine?")."""
    sentences = re.findall(r"[^.!?]*[.!?]?", text)
    return [clause for s in sentences if not s.rstrip().endswith("?") for clause in s.split(";")]


def drug_mentions(text: str) -> list[str]:
    """Strict: drug or dose words of `text` not forbidden by a preceding never/do-not."""
    found = []
    for clause in _clauses(text):
        for match in _DRUG.finditer(clause):
            if not _PROHIBITION.search(clause[: match.start()]):
                found.append(match.group(0))
    return found


def drug_suggestions(text: str) -> list[str]:
    """Lenient: phrases of `text` that suggest taking a drug or a dose."""
    found = []
    for clause in _statements(text):
        hits = [*_IMPERATIVE.finditer(clause), *_CLAIM.finditer(clause)]
        if "sodium" not in clause.lower():
            hits += list(_AMOUNT_MG.finditer(clause))
        for match in sorted(hits, key=lambda m: m.start()):
            if not _PROHIBITION.search(clause[: match.start()]):
                found.append(match.group(0))
    return found


def strings(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """(path, text, the table or array holding it) of every string value of a parsed TOML."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else key
            if isinstance(value, str):
                yield child, value, node
            else:
                yield from strings(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, str):
                yield f"{path}[{index}]", item, node
            else:
                yield from strings(item, f"{path}[{index}]")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Never take quinine or drink tonic water for a cramp.", []),
        ("Do not take ibuprofen: it acts too slowly.", []),
        ("Take magnesium 300 mg at bedtime.", ["magnesium", "mg"]),
        ("If it does not ease, take ibuprofen.", ["ibuprofen"]),
        ("Do not wait; take a painkiller.", ["painkiller"]),
        ("A quinine dose is never the answer.", ["quinine", "dose"]),
        ("Two salt tablets help.", ["salt tablets"]),
        ("Hold for 30 s, then massage the calf (dosed and mgmt are not our words).", []),
    ],
)
def test_strict_check_tells_prohibitions_from_mentions(text: str, expected: list[str]) -> None:
    assert drug_mentions(text) == expected


@pytest.mark.parametrize(
    ("text", "suggests"),
    [
        ("Take quinine if the cramp comes back.", True),
        ("Try 300 mg of magnesium at night.", True),
        ("Drink tonic water before bed.", True),
        ("Magnesium may help some people.", True),
        ("Quinine works for night cramps.", True),
        ("Do not wait; take a painkiller.", True),
        ("Have 2 tablets with water.", True),
        ("Never take quinine or drink tonic water for a cramp.", False),
        ("If you take quinine or drink tonic water for cramps: any bruising?", False),
        ("Quinine carries a regulator's warning about serious blood reactions.", False),
        ("Tell them you take quinine.", False),
        ("Aim for 300-600 mg of sodium per hour, from your own sweat test.", False),
    ],
)
def test_lenient_check_finds_suggestions_only(text: str, suggests: bool) -> None:
    assert bool(drug_suggestions(text)) is suggests


@pytest.mark.parametrize("name", TEXT_FILES)
def test_no_knowledge_text_suggests_a_drug_or_dose(name: str) -> None:
    offending = [
        f"{path}: {found}" for path, text, _ in strings(load_toml(name)) if (found := drug_suggestions(text))
    ]
    assert offending == []


def test_relief_names_drugs_only_inside_never_cautions() -> None:
    offending = [
        f"{path}: {found}"
        for path, text, table in strings(load_toml("relief.toml"))
        if (found := drug_mentions(text)) or (_DRUG.search(text) and table.get("kind") != "never")
    ]
    assert offending == []


def test_the_quinine_caution_is_there_and_cites_why() -> None:
    cautions = {c["id"]: c for c in load_toml("relief.toml")["caution"]}
    quinine = cautions["never_quinine"]
    assert quinine["kind"] == "never"
    assert "quinine" in quinine["text"].lower() and "tonic water" in quinine["text"].lower()
    assert {"miller2022_jat", "fda2010_quinine"} <= set(quinine["sources"])

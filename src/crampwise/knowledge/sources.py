"""The bibliography: every citation in crampwise resolves to one of these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from crampwise.knowledge.loader import load_toml

STRENGTHS = ("strong", "moderate", "weak", "contested", "expert", "convention")


@dataclass(frozen=True)
class Source:
    id: str
    authors: str
    year: int
    title: str
    venue: str
    link: str
    strength: str
    verified: bool = True
    note: str = ""

    def short(self) -> str:
        """`Miller KC et al. 2022, J Athl Train` style label for tables and reports."""
        first = self.authors.split(",")[0].strip()
        etal = " et al." if "," in self.authors else ""
        return f"{first}{etal} {self.year}"


@cache
def all_sources() -> dict[str, Source]:
    """Every source by id."""
    out: dict[str, Source] = {}
    for raw in load_toml("sources.toml")["source"]:
        source = Source(**raw)
        if source.id in out:
            raise ValueError(f"duplicate source id {source.id!r} in sources.toml")
        if source.strength not in STRENGTHS:
            raise ValueError(f"source {source.id!r}: strength {source.strength!r} not in {STRENGTHS}")
        out[source.id] = source
    return out


def resolve(ids: Iterable[str]) -> list[Source]:
    """The sources for these ids, in order; `KeyError` naming the first unknown id."""
    sources = all_sources()
    out = []
    for source_id in ids:
        if source_id not in sources:
            raise KeyError(f"unknown source id {source_id!r}")
        out.append(sources[source_id])
    return out

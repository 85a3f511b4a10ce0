"""The sources behind what a page says, for the web's `/sources` page.

Pages cite compactly (a small "3 sources" link); the link leads here, to the full reference of
each cited id (authors, year, title, venue, link, strength of evidence), or to the whole
bibliography without ids. One place for the web and the clinician report's source list to
agree on what a source is (`knowledge.sources`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crampwise.domain.errors import NotFound
from crampwise.knowledge.sources import Source, all_sources

STRENGTH_WORDS = {
    "strong": "strong evidence",
    "moderate": "moderate evidence",
    "weak": "weak evidence",
    "contested": "contested",
    "expert": "expert opinion or guideline",
    "convention": "a crampwise convention, not evidence",
}


@dataclass(frozen=True)
class Citations:
    """The sources asked for (`cited`, in the order asked), or all of them (`everything`)."""

    cited: tuple[Source, ...]
    everything: bool

    @property
    def count(self) -> int:
        return len(self.cited)


def citations(ids: Sequence[str] = ()) -> Citations:
    """The sources with these ids (duplicates dropped), or every source when `ids` is empty.

    `NotFound` naming the first unknown id: a link to a source that does not exist is a bug
    worth seeing, not an empty page.
    """
    known = all_sources()
    wanted = [i.strip() for i in ids if i.strip()]
    if not wanted:
        return Citations(tuple(sorted(known.values(), key=lambda s: (s.authors.casefold(), s.year))), True)
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise NotFound(f"source: no source with id {unknown[0]!r}; see /sources for every source")
    return Citations(tuple(known[i] for i in dict.fromkeys(wanted)), False)

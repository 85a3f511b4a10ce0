"""The relief knowledge as frozen, typed records: protocols, steps, checks, cautions, notes.

Small slotted classes made immutable by `Frozen` (not `dataclasses`, which imports `inspect`:
`crampwise now` builds these on its fast path). Loaded from `relief.toml` by
`knowledge.relief`, which re-exports them.
"""

from __future__ import annotations

from crampwise.knowledge.frozen import Frozen

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time

if TYPE_CHECKING:
    from collections.abc import Mapping

# What each step kind counts as in a cramp record's `relief` list (domain.enums.Relief values).
RELIEF_OF_KIND = {"stretch": "stretch", "pressure": "massage", "warmth": "warmth"}


class Alternative(Frozen):
    """Another position for the same step (e.g. standing instead of seated)."""

    __slots__ = ("how", "illustration", "position", "sources", "title")
    title: str
    position: str
    how: str
    illustration: str
    sources: tuple[str, ...]

    def __init__(
        self, *, title: str, position: str, how: str, illustration: str, sources: tuple[str, ...]
    ) -> None:
        self._set(title=title, position=position, how=how, illustration=illustration, sources=sources)


class Check(Frozen):
    """A yes/no check before a step: a yes skips the step, and `skip` says why and what instead."""

    __slots__ = ("question", "skip", "sources")
    question: str
    skip: str
    sources: tuple[str, ...]

    def __init__(self, *, question: str, skip: str, sources: tuple[str, ...]) -> None:
        self._set(question=question, skip=skip, sources=sources)


class Step(Frozen):
    """One step of a protocol; `hold_s` 0 means untimed (the warmth afterwards).

    `stop` is the one-line stop sign shown with the step; `check`, when set, is asked before
    it (a swollen, red or warm leg skips pressure; an overheated athlete skips warmth).
    """

    __slots__ = (
        "alternative",
        "check",
        "hold_s",
        "how",
        "illustration",
        "kind",
        "position",
        "repeats",
        "sources",
        "stop",
        "title",
    )
    kind: str
    title: str
    position: str
    how: str
    hold_s: int
    repeats: int
    sources: tuple[str, ...]
    illustration: str
    alternative: Alternative | None
    stop: Note | None
    check: Check | None

    def __init__(
        self,
        *,
        kind: str,
        title: str,
        position: str,
        how: str,
        hold_s: int,
        repeats: int,
        sources: tuple[str, ...],
        illustration: str = "",
        alternative: Alternative | None = None,
        stop: Note | None = None,
        check: Check | None = None,
    ) -> None:
        self._set(
            kind=kind,
            title=title,
            position=position,
            how=how,
            hold_s=hold_s,
            repeats=repeats,
            sources=sources,
            illustration=illustration,
            alternative=alternative,
            stop=stop,
            check=check,
        )

    @property
    def relief(self) -> str:
        """The `relief` value (stretch, massage, warmth) a cramp record stores for this step."""
        return RELIEF_OF_KIND[self.kind]

    @property
    def timed(self) -> bool:
        return self.hold_s > 0


class Mistake(Frozen):
    """A common mistake, with its sources."""

    __slots__ = ("sources", "text")
    text: str
    sources: tuple[str, ...]

    def __init__(self, *, text: str, sources: tuple[str, ...]) -> None:
        self._set(text=text, sources=sources)


class Caution(Frozen):
    """Applies to every muscle: `never` (what not to do), `stop` (get help) or `note`."""

    __slots__ = ("id", "kind", "sources", "text")
    id: str
    kind: str
    text: str
    sources: tuple[str, ...]

    def __init__(self, *, id: str, kind: str, text: str, sources: tuple[str, ...]) -> None:
        self._set(id=id, kind=kind, text=text, sources=sources)


class Note(Frozen):
    """A sourced piece of text with no steps (the hold convention, the 10-minute escalation)."""

    __slots__ = ("sources", "text")
    text: str
    sources: tuple[str, ...]

    def __init__(self, *, text: str, sources: tuple[str, ...]) -> None:
        self._set(text=text, sources=sources)


class Protocol(Frozen):
    """What to do for one cramping muscle, in order; the warmth aftercare is the last step."""

    __slots__ = ("anatomy", "mistakes", "muscle", "name", "sources", "steps", "summary")
    muscle: str
    name: str
    anatomy: str
    summary: str
    steps: tuple[Step, ...]
    mistakes: tuple[Mistake, ...]
    sources: tuple[str, ...]

    def __init__(
        self,
        *,
        muscle: str,
        name: str,
        anatomy: str,
        summary: str,
        steps: tuple[Step, ...],
        mistakes: tuple[Mistake, ...],
        sources: tuple[str, ...],
    ) -> None:
        self._set(
            muscle=muscle,
            name=name,
            anatomy=anatomy,
            summary=summary,
            steps=steps,
            mistakes=mistakes,
            sources=sources,
        )

    @property
    def stretch_steps(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.kind == "stretch")


class Relief(Frozen):
    """The whole relief knowledge: protocols by muscle plus what applies to all of them."""

    __slots__ = (
        "cautions",
        "escalate_after_s",
        "escalation",
        "escalation_headline",
        "hold",
        "hold_default_s",
        "mistakes",
        "pickle_juice",
        "pickle_juice_max_ml",
        "protocols",
    )
    protocols: Mapping[str, Protocol]
    cautions: tuple[Caution, ...]
    mistakes: tuple[Mistake, ...]
    hold: Note
    hold_default_s: int
    escalation: Note
    escalation_headline: str
    escalate_after_s: int
    pickle_juice: Note
    pickle_juice_max_ml: int

    def __init__(
        self,
        *,
        protocols: Mapping[str, Protocol],
        cautions: tuple[Caution, ...],
        mistakes: tuple[Mistake, ...],
        hold: Note,
        hold_default_s: int,
        escalation: Note,
        escalation_headline: str,
        escalate_after_s: int,
        pickle_juice: Note,
        pickle_juice_max_ml: int,
    ) -> None:
        self._set(
            protocols=protocols,
            cautions=cautions,
            mistakes=mistakes,
            hold=hold,
            hold_default_s=hold_default_s,
            escalation=escalation,
            escalation_headline=escalation_headline,
            escalate_after_s=escalate_after_s,
            pickle_juice=pickle_juice,
            pickle_juice_max_ml=pickle_juice_max_ml,
        )

    @property
    def muscles(self) -> tuple[str, ...]:
        """Known muscles in the file's order (the order of the `now` menu)."""
        return tuple(self.protocols)

    def protocol(self, muscle: str) -> Protocol:
        """The protocol for `muscle`; `KeyError` listing the known muscles otherwise."""
        try:
            return self.protocols[muscle]
        except KeyError:
            raise KeyError(f"unknown muscle {muscle!r}; known: {', '.join(self.muscles)}") from None

    def cautions_of(self, kind: str) -> tuple[Caution, ...]:
        return tuple(caution for caution in self.cautions if caution.kind == kind)

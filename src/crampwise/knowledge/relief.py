"""The relief protocols of `relief.toml` as frozen dataclasses (standard library only).

`crampwise now` loads this on its fast path, so it imports nothing but the standard library
and `knowledge.loader`. Every step, caution and mistake keeps the source ids it cites; the
tests under `tests/knowledge` check that they resolve in `sources.toml`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from crampwise.knowledge.loader import load_toml

RELIEF_FILE = "relief.toml"
STEP_KINDS = ("stretch", "pressure", "warmth")
CAUTION_KINDS = ("never", "stop", "note")

# What each step kind counts as in a cramp record's `relief` list (domain.enums.Relief values).
RELIEF_OF_KIND = {"stretch": "stretch", "pressure": "massage", "warmth": "warmth"}


@dataclass(frozen=True)
class Alternative:
    """Another position for the same step (e.g. standing instead of seated)."""

    title: str
    position: str
    how: str
    illustration: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """One step of a protocol; `hold_s` 0 means untimed (the warmth afterwards)."""

    kind: str
    title: str
    position: str
    how: str
    hold_s: int
    repeats: int
    sources: tuple[str, ...]
    illustration: str = ""
    alternative: Alternative | None = None

    @property
    def relief(self) -> str:
        """The `relief` value (stretch, massage, warmth) a cramp record stores for this step."""
        return RELIEF_OF_KIND[self.kind]

    @property
    def timed(self) -> bool:
        return self.hold_s > 0


@dataclass(frozen=True)
class Mistake:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Caution:
    """Applies to every muscle: `never` (what not to do), `stop` (get help) or `note`."""

    id: str
    kind: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    """A sourced piece of text with no steps (the hold convention, the 10-minute escalation)."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Protocol:
    """What to do for one cramping muscle, in order; the warmth aftercare is the last step."""

    muscle: str
    name: str
    anatomy: str
    summary: str
    steps: tuple[Step, ...]
    mistakes: tuple[Mistake, ...]
    sources: tuple[str, ...]

    @property
    def stretch_steps(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.kind == "stretch")


@dataclass(frozen=True)
class Relief:
    """The whole relief knowledge: protocols by muscle plus what applies to all of them."""

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


def _ids(raw: Mapping[str, Any], where: str) -> tuple[str, ...]:
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
        raise ValueError(f"{RELIEF_FILE}: {where}: `sources` must be a non-empty list of source ids")
    return tuple(sources)


def _note(raw: Mapping[str, Any], where: str) -> Note:
    return Note(text=str(raw["text"]), sources=_ids(raw, where))


def _mistakes(raws: Sequence[Mapping[str, Any]], where: str) -> tuple[Mistake, ...]:
    return tuple(
        Mistake(text=str(raw["text"]), sources=_ids(raw, f"{where}.mistake[{i}]"))
        for i, raw in enumerate(raws)
    )


def _step(raw: Mapping[str, Any], where: str) -> Step:
    kind = str(raw["kind"])
    if kind not in STEP_KINDS:
        raise ValueError(f"{RELIEF_FILE}: {where}.kind: {kind!r} not in {STEP_KINDS}")
    hold_s, repeats = int(raw["hold_s"]), int(raw["repeats"])
    if hold_s < 0 or repeats < 1:
        raise ValueError(f"{RELIEF_FILE}: {where}: hold_s must be >= 0 and repeats >= 1")
    alt_raw = raw.get("alternative")
    alternative = None
    if alt_raw is not None:
        alternative = Alternative(
            title=str(alt_raw["title"]),
            position=str(alt_raw["position"]),
            how=str(alt_raw["how"]),
            illustration=str(alt_raw["illustration"]),
            sources=_ids(alt_raw, f"{where}.alternative"),
        )
    return Step(
        kind=kind,
        title=str(raw["title"]),
        position=str(raw["position"]),
        how=str(raw["how"]),
        hold_s=hold_s,
        repeats=repeats,
        sources=_ids(raw, where),
        illustration=str(raw.get("illustration", "")),
        alternative=alternative,
    )


def parse_relief(data: Mapping[str, Any]) -> Relief:
    """Build `Relief` from the parsed TOML; `ValueError` naming the table on a malformed entry."""
    aftercare = _step(data["aftercare"], "aftercare")
    protocols: dict[str, Protocol] = {}
    for index, raw in enumerate(data["protocol"]):
        where = f"protocol[{index}]"
        muscle = str(raw["muscle"])
        if muscle in protocols:
            raise ValueError(f"{RELIEF_FILE}: {where}.muscle: duplicate {muscle!r}")
        steps = tuple(_step(step, f"{where}.step[{i}]") for i, step in enumerate(raw["step"]))
        if not any(step.kind == "stretch" for step in steps):
            raise ValueError(f"{RELIEF_FILE}: {where}: a protocol needs at least one stretch step")
        protocols[muscle] = Protocol(
            muscle=muscle,
            name=str(raw["name"]),
            anatomy=str(raw["anatomy"]),
            summary=str(raw["summary"]),
            steps=(*steps, aftercare),
            mistakes=_mistakes(raw.get("mistake", []), where),
            sources=_ids(raw, where),
        )
    cautions = []
    for index, raw in enumerate(data["caution"]):
        kind = str(raw["kind"])
        if kind not in CAUTION_KINDS:
            raise ValueError(f"{RELIEF_FILE}: caution[{index}].kind: {kind!r} not in {CAUTION_KINDS}")
        cautions.append(
            Caution(
                id=str(raw["id"]), kind=kind, text=str(raw["text"]), sources=_ids(raw, f"caution[{index}]")
            )
        )
    return Relief(
        protocols=protocols,
        cautions=tuple(cautions),
        mistakes=_mistakes(data.get("mistake", []), "top"),
        hold=_note(data["hold"], "hold"),
        hold_default_s=int(data["hold"]["default_s"]),
        escalation=_note(data["escalation"], "escalation"),
        escalation_headline=str(data["escalation"]["headline"]),
        escalate_after_s=int(data["escalation"]["after_s"]),
        pickle_juice=_note(data["pickle_juice"], "pickle_juice"),
        pickle_juice_max_ml=int(data["pickle_juice"]["max_volume_ml"]),
    )


@cache
def load_relief() -> Relief:
    """The relief knowledge shipped with crampwise (parsed once per process)."""
    return parse_relief(load_toml(RELIEF_FILE))


def illustration_svg(name: str) -> str:
    """The SVG text of one protocol figure (`knowledge/illustrations/<name>`), for web and reports."""
    from importlib import resources

    if "/" in name or "\\" in name or not name.endswith(".svg"):
        raise ValueError(f"illustration: {name!r} is not a file name ending in .svg")
    folder = resources.files("crampwise.knowledge").joinpath("illustrations")
    return folder.joinpath(name).read_text(encoding="utf-8")

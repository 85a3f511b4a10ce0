"""The relief protocols of `relief.toml` as frozen, typed records (standard library only).

`crampwise now` loads this on its fast path, where every millisecond of start-up counts
(benchmarks/now_startup_bench.py, target at most 3x a bare interpreter). So this module avoids
`dataclasses` (it imports `inspect`), `typing`, `importlib.resources` and, after the first run,
`tomllib`: the records are small slotted classes made immutable by `Frozen`, the file is read
beside this module, and its parsed form is cached with `marshal` like a `.pyc` (keyed on the
TOML file's size and modification time; a cache that cannot be written is simply skipped).

Every step, caution and mistake keeps the source ids it cites; the tests under
`tests/knowledge` check that they resolve in `sources.toml`.
"""

from __future__ import annotations

import os

from crampwise.knowledge.frozen import Frozen
from crampwise.knowledge.toml_cache import read_cached_toml

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

RELIEF_FILE = "relief.toml"
STEP_KINDS = ("stretch", "pressure", "warmth")
CAUTION_KINDS = ("first", "never", "stop", "note")

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


def _check(raw: Mapping[str, Any] | None, where: str) -> Check | None:
    if raw is None:
        return None
    return Check(question=str(raw["question"]), skip=str(raw["skip"]), sources=_ids(raw, where))


def _step(
    raw: Mapping[str, Any], where: str, *, stop: Note | None = None, check: Check | None = None
) -> Step:
    """One step; `stop` and `check` are the shared defaults a step's own `stop`/`check` replace."""
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
    own_stop = raw.get("stop")
    if isinstance(own_stop, str) and stop is not None:
        stop = Note(text=own_stop, sources=stop.sources)
    own_check = _check(raw.get("check"), f"{where}.check")
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
        stop=stop,
        check=own_check or (check if kind == "pressure" else None),
    )


def parse_relief(data: Mapping[str, Any]) -> Relief:
    """Build `Relief` from the parsed TOML; `ValueError` naming the table on a malformed entry."""
    stop = _note(data["step_stop"], "step_stop")
    pressure_check = _check(data["pressure_check"], "pressure_check")
    aftercare = _step(data["aftercare"], "aftercare", stop=stop)
    protocols: dict[str, Protocol] = {}
    for index, raw in enumerate(data["protocol"]):
        where = f"protocol[{index}]"
        muscle = str(raw["muscle"])
        if muscle in protocols:
            raise ValueError(f"{RELIEF_FILE}: {where}.muscle: duplicate {muscle!r}")
        steps = tuple(
            _step(step, f"{where}.step[{i}]", stop=stop, check=pressure_check)
            for i, step in enumerate(raw["step"])
        )
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


_LOADED: list[Relief] = []


def read_relief_data(path: str | None = None) -> dict[str, Any]:
    """The parsed `relief.toml` (or the TOML at `path`), through the marshal cache."""
    return read_cached_toml(path or os.path.join(os.path.dirname(__file__), RELIEF_FILE))


def load_relief() -> Relief:
    """The relief knowledge shipped with crampwise (parsed once per process)."""
    if not _LOADED:
        _LOADED.append(parse_relief(read_relief_data()))
    return _LOADED[0]


def illustration_svg(name: str) -> str:
    """The SVG text of one protocol figure (`knowledge/illustrations/<name>`), for web and reports."""
    from importlib import resources

    if "/" in name or "\\" in name or not name.endswith(".svg"):
        raise ValueError(f"illustration: {name!r} is not a file name ending in .svg")
    folder = resources.files("crampwise.knowledge").joinpath("illustrations")
    return folder.joinpath(name).read_text(encoding="utf-8")

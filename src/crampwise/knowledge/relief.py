"""The relief protocols of `relief.toml`, loaded as frozen, typed records (standard library only;
the records themselves: `knowledge.relief_records`, re-exported here).

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

from crampwise.knowledge.relief_records import Alternative as Alternative
from crampwise.knowledge.relief_records import Caution as Caution
from crampwise.knowledge.relief_records import Check as Check
from crampwise.knowledge.relief_records import Mistake as Mistake
from crampwise.knowledge.relief_records import Note as Note
from crampwise.knowledge.relief_records import Protocol as Protocol
from crampwise.knowledge.relief_records import Relief as Relief
from crampwise.knowledge.relief_records import Step as Step
from crampwise.knowledge.toml_cache import read_cached_toml

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

RELIEF_FILE = "relief.toml"
STEP_KINDS = ("stretch", "pressure", "warmth")
CAUTION_KINDS = ("first", "never", "stop", "note")


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

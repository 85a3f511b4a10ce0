"""`crampwise now [MUSCLE] [--plain]` without Typer: relief must start in a blink.

`cli/entry.py` calls `run_now` with the arguments already hoisted (`--db`/`--athlete` first).
Only the standard library and the relief knowledge are imported here; the guided mode
(`now_guided`) is imported when it runs, and the store only when the episode is logged.
"""

from __future__ import annotations

import os
import sys

from crampwise.knowledge.frozen import Frozen
from crampwise.services.relief import contacts_here, number_line, relief_knowledge

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from crampwise.knowledge.emergency import Contacts
    from crampwise.knowledge.relief import Protocol, Relief

CLOCK_SCALE_ENV = "CRAMPWISE_CLOCK_SCALE"
USAGE = (
    "crampwise now [MUSCLE] [--plain] [--context exercise|after_exercise|rest|sleep] [--side left|right|both]"
)
WIDTH = 78


class UsageProblem(Exception):
    """Bad `now` arguments: one line naming the field and the accepted form (exit 2)."""


class NowArgs(Frozen):
    """The parsed arguments (a `Frozen` record: `dataclasses` is too slow to import here)."""

    __slots__ = ("athlete", "clock_scale", "context", "db", "demo", "muscle", "plain", "side")
    muscle: str | None
    plain: bool
    context: str | None  # None: asked at the end of the guide
    side: str | None
    db: str | None
    athlete: str | None
    clock_scale: float
    demo: bool

    def __init__(
        self,
        *,
        muscle: str | None = None,
        plain: bool = False,
        context: str | None = None,
        side: str | None = None,
        db: str | None = None,
        athlete: str | None = None,
        clock_scale: float = 1.0,
        demo: bool = False,
    ) -> None:
        self._set(
            demo=demo,
            muscle=muscle,
            plain=plain,
            context=context,
            side=side,
            db=db,
            athlete=athlete,
            clock_scale=clock_scale,
        )


def _value(args: Sequence[str], index: int, name: str) -> tuple[str, int]:
    """The value of option `name` at `args[index]` (`--x=v` or `--x v`) and the next index."""
    arg = args[index]
    if "=" in arg:
        return arg.split("=", 1)[1], index + 1
    if index + 1 >= len(args):
        raise UsageProblem(f"{name}: needs a value")
    return args[index + 1], index + 2


def _clock_scale(text: str, where: str) -> float:
    try:
        scale = float(text)
    except ValueError:
        scale = 0.0
    if not scale > 0:
        raise UsageProblem(f"{where}: {text!r} is not a positive number")
    return scale


def parse_args(argv: Sequence[str], known_muscles: Sequence[str], env: dict[str, str]) -> NowArgs:
    """Parse hoisted `now` arguments by hand (Typer is too slow to import for this command)."""
    values: dict[str, object] = {}
    if env.get(CLOCK_SCALE_ENV):
        values["clock_scale"] = _clock_scale(env[CLOCK_SCALE_ENV], CLOCK_SCALE_ENV)
    index, seen_now = 0, False
    while index < len(argv):
        arg = argv[index]
        name = arg.split("=", 1)[0]
        if name in ("--db", "--athlete", "--context", "--side", "--clock-scale"):
            value, index = _value(argv, index, name)
            values[name.lstrip("-").replace("-", "_")] = value
            continue
        if arg == "--plain":
            values["plain"] = True
        elif arg == "--demo":
            values["demo"] = True
        elif arg == "now" and not seen_now:
            seen_now = True
        elif arg.startswith("-"):
            raise UsageProblem(f"no such option: {arg}; usage: {USAGE}")
        elif "muscle" in values:
            raise UsageProblem(f"MUSCLE: only one muscle, got {values['muscle']!r} and {arg!r}")
        else:
            values["muscle"] = arg.lower()
        index += 1
    muscle = values.get("muscle")
    if muscle is not None and muscle not in known_muscles:
        from crampwise.domain.enums import MUSCLE_NAMES, word_key  # a plural or common name

        key = word_key(str(muscle))
        muscle = values["muscle"] = key if key in known_muscles else MUSCLE_NAMES.get(key, muscle)
    if muscle is not None and muscle not in known_muscles:
        raise UsageProblem(f"MUSCLE: unknown muscle {muscle!r}; known muscles: {', '.join(known_muscles)}")
    if "context" in values or "side" in values:
        from crampwise.domain.enums import CrampContext, Side, choices  # only when given: start-up

        if values.get("context", "exercise") not in {c.value for c in CrampContext}:
            raise UsageProblem(f"--context: {values['context']!r} is not one of {choices(CrampContext)}")
        if values.get("side") is not None and values["side"] not in {s.value for s in Side}:
            raise UsageProblem(f"--side: {values['side']!r} is not one of {choices(Side)}")
    if isinstance(values.get("clock_scale"), str):
        values["clock_scale"] = _clock_scale(str(values["clock_scale"]), "--clock-scale")
    return NowArgs(**values)  # type: ignore[arg-type]


def fill(text: str, width: int, first: str = "", rest: str = "") -> str:
    """Greedy word wrap (what `textwrap.fill` does here, without importing `re`)."""
    lines: list[str] = []
    line = first
    fresh = True
    for word in text.split():
        if not fresh and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, fresh = rest, True
        line = f"{line}{word}" if fresh else f"{line} {word}"
        fresh = False
    lines.append(line)
    return "\n".join(lines)


def _wrap(text: str, indent: str = "   ") -> str:
    return fill(text, WIDTH, indent, indent)


def _bullet(text: str) -> str:
    return fill(text, WIDTH, "   - ", "     ")


def cite(ids: Sequence[str]) -> str:
    """Source ids as they are shown everywhere in the terminal: `[a, b]`."""
    return f"[{', '.join(ids)}]"


def render_plain(protocol: Protocol, relief: Relief, contacts: Contacts | None = None) -> str:
    """The whole protocol as plain text: steps with hold seconds, cautions, every source id.

    `contacts` fills the emergency number (this computer's time zone by default: the command
    must answer before any store is opened); where unsure it says "your local emergency number".
    """
    contacts = contacts or contacts_here()
    fill = contacts.fill
    lines = [
        f"{protocol.name} cramp: {protocol.anatomy}",
        _wrap(f"{protocol.summary} {cite(protocol.sources)}", ""),
        _wrap(f"{relief.hold.text} {cite(relief.hold.sources)}", ""),
    ]
    for caution in relief.cautions_of("first"):
        lines.append(_wrap(f"First: {fill(caution.text)} {cite(caution.sources)}", ""))
    lines.append("")
    for number, step in enumerate(protocol.steps, start=1):
        timing = f"hold {step.hold_s} s, {step.repeats} time{'s' if step.repeats > 1 else ''}"
        if not step.timed:
            timing = "untimed"
        lines.append(f"{number}. {step.title} ({step.relief}; {timing})")
        if step.check is not None:
            check = step.check
            lines.append(
                _wrap(f"Check first: {fill(check.question)} If yes: {fill(check.skip)} {cite(check.sources)}")
            )
        lines.append(_wrap(f"Position: {step.position}"))
        lines.append(_wrap(f"How: {step.how}"))
        if step.stop is not None:
            lines.append(_wrap(f"{fill(step.stop.text)} {cite(step.stop.sources)}"))
        lines.append(_wrap(f"Sources: {', '.join(step.sources)}"))
        if step.alternative is not None:
            alt = step.alternative
            lines.append(_wrap(f"Or, {alt.title.lower()}: {alt.position} {alt.how} {cite(alt.sources)}"))
        lines.append("")
    lines.append("Common mistakes:")
    lines += [_bullet(f"{m.text} {cite(m.sources)}") for m in (*protocol.mistakes, *relief.mistakes)]
    lines += ["", "Never:"]
    lines += [_bullet(f"{fill(c.text)} {cite(c.sources)}") for c in relief.cautions_of("never")]
    lines += ["", "Stop and get help:"]
    lines += [_bullet(f"{fill(c.text)} {cite(c.sources)}") for c in relief.cautions_of("stop")]
    lines.append(
        _bullet(
            f"{relief.escalation_headline} {fill(relief.escalation.text)} {cite(relief.escalation.sources)}"
        )
    )
    lines.append(_bullet(_number_line(contacts)))
    lines += ["", "Good to know:"]
    lines += [_bullet(f"{fill(c.text)} {cite(c.sources)}") for c in relief.cautions_of("note")]
    lines.append(_bullet(f"{relief.pickle_juice.text} {cite(relief.pickle_juice.sources)}"))
    return "\n".join(lines) + "\n"


def _number_line(contacts: Contacts) -> str:
    """Which emergency number the text uses, and why (services.relief.number_line), cited."""
    return number_line(contacts) + (f" {cite(contacts.sources)}" if contacts.emergency is not None else "")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def run_now(argv: Sequence[str]) -> int:
    """Run `crampwise now ...`; returns the exit code (0 ok, 2 bad arguments)."""
    relief = relief_knowledge()
    try:
        args = parse_args(argv, relief.muscles, dict(os.environ))
    except UsageProblem as exc:
        print(f"crampwise: error: {exc}", file=sys.stderr)
        return 2
    interactive = _is_terminal(sys.stdin) and _is_terminal(sys.stdout)
    if args.plain or not interactive:
        if args.muscle is None:
            print(
                f"crampwise: error: MUSCLE: name the muscle to print its protocol; known muscles: "
                f"{', '.join(relief.muscles)}",
                file=sys.stderr,
            )
            return 2
        sys.stdout.write(render_plain(relief.protocol(args.muscle), relief))
        if not args.plain:
            print("crampwise: not a terminal, so no timer: the protocol is printed above.", file=sys.stderr)
        return 0
    from crampwise.cli.now_guided import run_guided

    return run_guided(args, relief)

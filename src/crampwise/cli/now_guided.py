"""The guided, timed relief of `crampwise now` in a terminal: plain ANSI escapes, no curses.

One step at a time in large type, a live countdown per hold that advances by itself or on
Enter, `q` or Ctrl-C to stop at any time. After the stretch it asks whether the cramp let go
(no: repeat the stretch); past `escalation.after_s` without relief it says plainly to seek
care. At the end four questions (did it help; severity 0-10; where it started and which side, unless
given as `--context`/`--side`), then the episode is logged, also when the guide is stopped
early. The athlete is looked up in a background thread started before the guide, so a problem
(no store, no athlete) shows on the first screens, not after the relief; a failure to log never
takes the relief away (one line on how to log it later with every answer, exit 0).

`CRAMPWISE_CLOCK_SCALE` (or the hidden `--clock-scale`) runs the clock faster, for tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from crampwise.cli.now_fast import NowArgs, cite
from crampwise.cli.now_terminal import (
    BOLD,
    CLEAR,
    MAX_REDRAWS_PER_S,
    RED,
    RESET,
    Clock,
    Stop,
    Terminal,
    big_text,
    out,
    wrapped,
)
from crampwise.knowledge.emergency import Contacts
from crampwise.knowledge.relief import Protocol, Relief, Step
from crampwise.services.relief import (
    Episode,
    NowAthlete,
    contacts_here,
    log_episode,
    night_context,
    resolve_now_athlete,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from crampwise.config import Settings

UNTIMED_READ_S = 30  # an untimed step (warmth) advances by itself after this; crampwise_convention
MENU_KEYS = "1234567890abcdefghij"

HOLD_HINTS = {
    "stretch": "(keep holding until the cramp lets go; the count is a convention, not evidence)",
    "pressure": "(light, steady pressure; never painful)",
}


class Guide:
    """One run of the guided relief for one protocol.

    `athlete_zone_name` is called once, the first time an emergency number matters (the
    10-minute escalation, a skipped step, the closing words), so the guide starts at once; its
    answer (or this computer's zone) picks the number (knowledge/emergency.py).
    """

    def __init__(
        self,
        protocol: Protocol,
        relief: Relief,
        clock: Clock,
        term: Terminal,
        athlete_zone_name: Callable[[], str | None] | None = None,
        notice: Callable[[], str] = lambda: "",
    ) -> None:
        self.protocol, self.relief, self.clock, self.term = protocol, relief, clock, term
        self.notice = notice
        self.used: list[str] = []
        self._zone_name = athlete_zone_name
        self._contacts: Contacts | None = None

    @property
    def contacts(self) -> Contacts:
        if self._contacts is None:
            zone = None
            if self._zone_name is not None:
                try:
                    zone = self._zone_name()
                except Exception:  # the number must never block relief: fall back to this computer
                    zone = None
            self._contacts = contacts_here(zone)
        return self._contacts

    def overdue(self) -> bool:
        return self.clock.elapsed_s() >= self.relief.escalate_after_s

    def escalation_lines(self) -> str:
        if not self.overdue():
            return ""
        note = self.relief.escalation
        text = self.contacts.fill(note.text)
        return f"\n{RED}!! {self.relief.escalation_headline}{RESET}\n{wrapped([f'{text} {cite(note.sources)}'])}\n"

    def screen(self, step: Step, number: int, body: str, footer: str) -> None:
        total = len(self.protocol.steps)
        text = []
        if number == 1:
            text += [f"First: {c.text} {cite(c.sources)}" for c in self.relief.cautions_of("first")]
        text += [step.position, step.how]
        if step.alternative is not None:
            text.append(
                f"Or, {step.alternative.title.lower()}: {step.alternative.position} {step.alternative.how}"
            )
        stop = f"{RED}{step.stop.text}{RESET}\n" if step.stop is not None else ""
        out(
            f"{CLEAR}{BOLD}{self.protocol.name.upper()}: step {number} of {total}{RESET}\n\n"
            f"{BOLD}{step.title.upper()}{RESET}\n{wrapped(text)}\n{stop}"
            f"sources: {', '.join(step.sources)}\n\n{body}\n{self.escalation_lines()}\n{footer}\n"
            f"{self.notice()}\n"
        )

    def checked_out(self, step: Step, number: int) -> bool:
        """Ask the step's check (a swollen leg before pressure, overheating before warmth).

        A yes skips the step and shows why and what to do instead; returns True when skipped.
        """
        check = step.check
        if check is None:
            return False
        out(f"{CLEAR}{BOLD}{self.protocol.name.upper()}: step {number}: {step.title}{RESET}\n")
        answer = self.ask_key(f"{check.question}  y = yes   n = no", "yn")
        if answer != "y":
            return False
        out(
            f"{CLEAR}{RED}{BOLD}Skipped: {step.title}{RESET}\n"
            f"{wrapped([f'{self.contacts.fill(check.skip)} {cite(check.sources)}'])}\n\nEnter: next   q: stop\n"
        )
        deadline = self.clock.elapsed_s() + UNTIMED_READ_S
        while self.clock.elapsed_s() < deadline:
            if self.term.key(self.clock.real_s(min(1.0, deadline - self.clock.elapsed_s()))) == "\n":
                break
        return True

    def countdown(self, step: Step, number: int, label: str, seconds: int) -> None:
        """Count `seconds` (simulated) down on screen; returns early on Enter."""
        end = self.clock.elapsed_s() + seconds
        tick_s = max(1.0 / self.clock.scale, 1.0 / MAX_REDRAWS_PER_S)
        while True:
            left = max(0, round(end - self.clock.elapsed_s()))
            body = f"{label}\n\n{big_text(f'{left}s')}\n{left} s left"
            self.screen(step, number, body, "Enter: next   q: stop")
            if left <= 0:
                return
            if self.term.key(tick_s) == "\n":
                return

    def run_step(self, step: Step, number: int) -> None:
        if self.checked_out(step, number):
            return
        if step.relief not in self.used:
            self.used.append(step.relief)
        if not step.timed:
            self.screen(step, number, "Take your time.", "Enter: finish   q: stop")
            deadline = self.clock.elapsed_s() + UNTIMED_READ_S
            while self.clock.elapsed_s() < deadline:
                if self.term.key(self.clock.real_s(min(1.0, deadline - self.clock.elapsed_s()))) == "\n":
                    return
            return
        hint = HOLD_HINTS.get(step.kind, "")
        for repeat in range(1, step.repeats + 1):
            label = f"{BOLD}Hold {repeat} of {step.repeats}{RESET}   {hint}"
            self.countdown(step, number, label, step.hold_s)

    def ask_key(self, question: str, allowed: str) -> str:
        out(f"\n{BOLD}{question}{RESET} ")
        while True:
            key = self.term.key(None)
            if key is not None and key.lower() in allowed:
                out(f"{key}\n")
                return key.lower()

    def stretch_until_released(self) -> None:
        """Stretch steps, then ask; repeat while the cramp holds (with the escalation shown)."""
        while True:
            for step in self.protocol.stretch_steps:
                self.run_step(step, self.protocol.steps.index(step) + 1)
            out(f"{CLEAR}{self.escalation_lines()}")
            answer = self.ask_key("Has the cramp let go?  y = yes, go on   n = not yet, stretch again", "yn")
            if answer == "y":
                return

    def run(self) -> float:
        """The whole guide; returns the cramp's measured duration in simulated seconds."""
        self.stretch_until_released()
        duration_s = self.clock.elapsed_s()
        for number, step in enumerate(self.protocol.steps, start=1):
            if step.kind != "stretch":
                self.run_step(step, number)
        return duration_s


def after_words(relief: Relief, contacts: Contacts | None = None) -> str:
    """What to avoid and when to get help, shown once the guide is over."""
    fill = (contacts or contacts_here()).fill
    lines = [f"\n{BOLD}Get help if:{RESET}"]
    lines += [f"- {fill(c.text)} {cite(c.sources)}" for c in relief.cautions_of("stop")]
    lines.append(f"{BOLD}Never:{RESET}")
    lines += [f"- {fill(c.text)} {cite(c.sources)}" for c in relief.cautions_of("never")]
    return wrapped(lines) + "\n"


def choose_muscle(relief: Relief, term: Terminal) -> str:
    """A numbered menu answered by one key."""
    lines = [f"{CLEAR}{BOLD}CRAMPING NOW? Which muscle?{RESET}", ""]
    keys = dict(zip(MENU_KEYS, relief.muscles, strict=False))
    lines += [f"  {key}  {relief.protocols[muscle].name}" for key, muscle in keys.items()]
    out("\n".join(lines) + "\n\nPress a key (q: quit) ")
    while True:
        key = term.key(None)
        if key is not None and key.lower() in keys:
            return keys[key.lower()]


def ask_questions(
    term: Terminal, args: NowArgs, started_at: datetime
) -> tuple[bool | None, int | None, str, str | None]:
    """Did it help (one key), severity (0-10, Enter skips), then where and which side, unless
    given with `--context`/`--side` (one key each; Enter takes the default shown)."""
    out(f"\n{BOLD}Did it help?{RESET} y/n ")
    helped: bool | None = None
    with term.keys():
        while helped is None:
            key = term.key(None)
            if key is not None and key.lower() in "yn":
                helped = key.lower() == "y"
                out(f"{key}\n")
    severity: int | None = None
    while True:
        text = term.line(f"{BOLD}How bad was it at its worst, 0-10?{RESET} (Enter: skip) ")
        if not text:
            break
        if text.isdigit() and 0 <= int(text) <= 10:
            severity = int(text)
            break
        out("severity: a whole number from 0 (none) to 10 (worst)\n")
    context = args.context or _ask_one(
        term, "Where did it start?", CONTEXT_KEYS, night_context(started_at), skippable=False
    )
    side = args.side if args.side is not None else _ask_one(term, "Which side?", SIDE_KEYS, None)
    return helped, severity, str(context), side


CONTEXT_KEYS = {"e": "exercise", "a": "after_exercise", "r": "rest", "s": "sleep"}
SIDE_KEYS = {"l": "left", "r": "right", "b": "both"}


def _ask_one(
    term: Terminal, question: str, keys: dict[str, str], default: str | None, *, skippable: bool = True
) -> str | None:
    """One key from `keys`; Enter gives `default` (None: skipped)."""
    choices = "   ".join(f"{k} = {v.replace('_', ' ')}" for k, v in keys.items())
    enter = f"Enter: {default.replace('_', ' ')}" if default else "Enter: skip"
    out(f"{BOLD}{question}{RESET} {choices}   ({enter}) ")
    with term.keys():
        while True:
            key = term.key(None)
            if key == "\n" and (default is not None or skippable):
                out("\n")
                return default
            if key is not None and key.lower() in keys:
                out(f"{keys[key.lower()]}\n")
                return keys[key.lower()]


class AthleteLookup:
    """Finds the athlete to log for in a background thread, started before the guide.

    Opening the store imports SQLAlchemy and Pydantic (about half a second): the first screen
    of relief must not wait for it, but a problem (no store, no athlete, several and no
    default) is shown from the first seconds of the guide, not after it.
    """

    def __init__(self, args: NowArgs) -> None:
        import threading

        self.args = args
        self.athlete: NowAthlete | None = None
        self.problem: str | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def settings(self) -> Settings:
        from crampwise.config import load_settings

        return load_settings(database_url=self.args.db, athlete=self.args.athlete, demo=self.args.demo)

    def _run(self) -> None:
        try:
            self.athlete = resolve_now_athlete(self.settings())
        except Exception as exc:  # shown to the user; relief goes on
            self.problem = " ".join(str(exc).split()) or type(exc).__name__

    def wait(self) -> None:
        self._thread.join(timeout=30)

    def zone_name(self) -> str | None:
        """The athlete's IANA zone name (it picks the emergency number), or None when unknown.

        Called the first time a number matters; waits a moment for the lookup, never long.
        """
        self._thread.join(timeout=2)
        key = getattr(self.athlete.zone, "key", None) if self.athlete is not None else None
        return key if isinstance(key, str) else None

    def notice(self) -> str:
        """One line for the guide's screens: empty while unknown or when logging will work."""
        return "" if self.problem is None else f"(This cramp will not be logged: {self.problem})"


def run_guided(args: NowArgs, relief: Relief) -> int:
    """Run the guide in this terminal and log the episode, however it ends; always 0."""
    lookup = AthleteLookup(args)  # before the guide: the answer is on screen within a second
    term, clock = Terminal(), Clock(args.clock_scale)
    started_at = datetime.now().astimezone().replace(microsecond=0)  # local; stored in the athlete's zone
    muscle = args.muscle
    guide: Guide | None = None
    try:
        with term.keys():
            if muscle is None:
                muscle = choose_muscle(relief, term)
            guide = Guide(relief.protocol(muscle), relief, clock, term, lookup.zone_name, lookup.notice)
            duration_s = guide.run()
            lookup.wait()  # relief is given: now the notice must be certain
            out(
                f"{CLEAR}{BOLD}Done.{RESET} The cramp lasted about {round(duration_s)} s.\n{lookup.notice()}\n"
            )
            out(guide.escalation_lines())
            out(after_words(relief, guide.contacts))
        helped, severity, context, side = ask_questions(term, args, started_at)
    except (Stop, KeyboardInterrupt):
        out(f"{RESET}\nStopped.\n")
        if guide is None:
            return 0
        episode = Episode(
            muscle=guide.protocol.muscle,
            at=started_at,
            duration_s=round(clock.elapsed_s()),
            relief=tuple(guide.used),
            relief_worked=None,
            severity=None,
            context=args.context or night_context(started_at),
            side=args.side,
        )
        out(log_or_explain(lookup, episode, stopped=True))
        return 0
    episode = Episode(
        muscle=guide.protocol.muscle,
        at=started_at,
        duration_s=round(duration_s),
        relief=tuple(guide.used),
        relief_worked=helped,
        severity=severity,
        context=context,
        side=side,
    )
    out(log_or_explain(lookup, episode))
    return 0


def log_or_explain(lookup: AthleteLookup, episode: Episode, *, stopped: bool = False) -> str:
    """Log the episode for the athlete found before the guide; on any failure, one line saying
    how to log it by hand, with every answer given."""
    lookup.wait()
    zone = lookup.athlete.zone if lookup.athlete is not None else None
    if lookup.athlete is None:
        return f"Not logged ({lookup.problem}). Log it later: {episode.log_later_command(zone)}\n"
    try:
        cramp_id = log_episode(
            lookup.settings(), episode=episode, now=datetime.now(UTC), athlete=lookup.athlete.name
        )
    except Exception as exc:  # relief must never be blocked by the journal
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return f"Not logged ({reason}). Log it later: {episode.log_later_command(zone)}\n"
    relief_used = ", ".join(episode.relief) or "none"
    line = (
        f"Logged {cramp_id} for {lookup.athlete.name}: {episode.muscle}, {episode.context.replace('_', ' ')}, "
        f"{episode.duration_s} s, relief {relief_used}.\n"
    )
    if stopped:
        line += f"Stopped early; if it was not a cramp: crampwise delete cramp {cramp_id}\n"
    return line

"""The terminal under `crampwise now`'s guide: keys without Enter, a clock that tests can speed
up, big digits for the countdown, and wrapped text; plain ANSI escapes, no curses.

Standard library only: `crampwise now` must start in a blink (cli/now_fast.py).
"""

from __future__ import annotations

import os
import select
import shutil
import sys
import termios
import textwrap
import time
import tty
from collections.abc import Iterator
from contextlib import contextmanager

CLEAR = "\x1b[H\x1b[2J"
BOLD, RED, RESET = "\x1b[1m", "\x1b[1;31m", "\x1b[0m"
MAX_REDRAWS_PER_S = 10

# Hand-made big digits, 5 rows each, for the countdown.
_FONT = {
    "0": ("█████", "█   █", "█   █", "█   █", "█████"),
    "1": ("  █  ", " ██  ", "  █  ", "  █  ", " ███ "),
    "2": ("█████", "    █", "█████", "█    ", "█████"),
    "3": ("█████", "    █", " ████", "    █", "█████"),
    "4": ("█   █", "█   █", "█████", "    █", "    █"),
    "5": ("█████", "█    ", "█████", "    █", "█████"),
    "6": ("█████", "█    ", "█████", "█   █", "█████"),
    "7": ("█████", "    █", "   █ ", "  █  ", "  █  "),
    "8": ("█████", "█   █", "█████", "█   █", "█████"),
    "9": ("█████", "█   █", "█████", "    █", "█████"),
    "s": ("     ", "     ", " ███ ", "██   ", " ███ "),
}


def big_text(text: str) -> str:
    """`text` (digits and `s`) drawn 5 rows high for reading at arm's length."""
    return "\n".join("  ".join(_FONT[ch][row] for ch in text if ch in _FONT) for row in range(5))


class Stop(Exception):
    """The user pressed `q` or Ctrl-C: stop the guide now."""


class Clock:
    """Monotonic time, optionally sped up: `scale` simulated seconds per real second."""

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale
        self._start = time.monotonic()

    def elapsed_s(self) -> float:
        return (time.monotonic() - self._start) * self.scale

    def real_s(self, simulated_s: float) -> float:
        return simulated_s / self.scale


class Terminal:
    """Keys without Enter (cbreak) on the controlling terminal; restored on exit."""

    def __init__(self) -> None:
        self.fd = sys.stdin.fileno()

    @contextmanager
    def keys(self) -> Iterator[None]:
        saved = termios.tcgetattr(self.fd)
        try:
            tty.setcbreak(self.fd)
            sys.stdout.write("\x1b[?25l")  # hide the cursor while counting down
            yield
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, saved)
            sys.stdout.write("\x1b[?25h")
            sys.stdout.flush()

    def key(self, timeout_s: float | None) -> str | None:
        """One key, or None after `timeout_s` real seconds; `Stop` on q or Ctrl-C."""
        ready, _, _ = select.select([self.fd], [], [], timeout_s)
        if not ready:
            return None
        char = os.read(self.fd, 1).decode("utf-8", "replace")
        if char in ("q", "Q", "\x03", "\x04", ""):
            raise Stop
        return "\n" if char == "\r" else char

    def line(self, prompt: str) -> str:
        """A typed line (cooked mode, echoed); `Stop` on q or end of input."""
        out(prompt)
        text = sys.stdin.readline()
        if not text or text.strip().lower() == "q":
            raise Stop
        return text.strip()


def wrapped(paragraphs: list[str]) -> str:
    """Paragraphs wrapped to the terminal's width (at most 100 columns, for reading)."""
    width = min(100, shutil.get_terminal_size((80, 24)).columns) - 1
    return "\n".join(textwrap.fill(p, width) for p in paragraphs)


def out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()

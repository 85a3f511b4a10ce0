"""Fault injection for the durability tests: SIGKILL this process at its Nth checkpoint.

Why a counted checkpoint rather than a timer: a kill timed from outside lands wherever the
scheduler happens to be, so a test cannot say which points it reached, repeats the same few
and never proves its "killed after the commit" branch ran. Here the code under test marks
*checkpoints* (every SQL statement, every few hundred steps of SQLite's virtual machine, every
commit and the moment after it, every step of a backup copy and of its rename), the test first
runs the operation once to count them (T), then once per chosen N in 1..T with
`CRAMPWISE_FAULT_KILL_AT=N`: the process writes "killed N LABEL" to the report file and sends
itself SIGKILL at exactly that point. Same input, same points: deterministic, and every kill
point the test asks for is one it can assert was reached.

Off (the normal case) unless `CRAMPWISE_FAULT_KILL_AT` is set: `checkpoint()` is then one
global read and a return, and the engine gets no listener at all (`crampwise.storage.engine`
instruments it only when `armed()`). Nothing here needs a migration or touches the store.

- `CRAMPWISE_FAULT_KILL_AT=N`: N >= 1 kills at the Nth checkpoint; 0 only counts them.
- `CRAMPWISE_FAULT_REPORT=FILE`: where "killed N LABEL" (just before the kill) or
  "count T" (at a normal exit) is written.
"""

from __future__ import annotations

import atexit
import os
import signal
from collections.abc import Mapping
from typing import Final

ENV_KILL_AT: Final = "CRAMPWISE_FAULT_KILL_AT"
ENV_REPORT: Final = "CRAMPWISE_FAULT_REPORT"
# SQLite calls its progress handler every this many virtual-machine instructions: a kill point
# inside one long statement (an import's insert of many rows), not only between statements.
SQLITE_VM_STEPS: Final = 500


class _Armed:
    """The armed hook of this process: which checkpoint kills, how many were passed."""

    def __init__(self, kill_at: int, report: str | None) -> None:
        self.kill_at = kill_at
        self.report = report
        self.count = 0

    def hit(self, label: str) -> None:
        self.count += 1
        if self.count == self.kill_at:
            self._write(f"killed {self.count} {label}\n")
            os.kill(os.getpid(), signal.SIGKILL)

    def write_count(self) -> None:
        if self.count < self.kill_at or self.kill_at == 0:
            self._write(f"count {self.count}\n")

    def _write(self, line: str) -> None:
        if self.report:
            fd = os.open(self.report, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)


_armed: _Armed | None = None


def configure(environ: Mapping[str, str] | None = None) -> None:
    """(Re)read the environment: arm the hook when `CRAMPWISE_FAULT_KILL_AT` is set.

    Called once at import; a test's forked child calls it again after setting its variables.
    """
    global _armed
    env = os.environ if environ is None else environ
    value = env.get(ENV_KILL_AT, "").strip()
    if not value:
        _armed = None
        return
    _armed = _Armed(int(value), env.get(ENV_REPORT) or None)
    atexit.register(_armed.write_count)


def armed() -> bool:
    """Whether this process runs with the hook armed (the engine then adds its checkpoints)."""
    return _armed is not None


def checkpoint(label: str) -> None:
    """A point where the durability tests may kill this process (a no-op unless armed)."""
    if _armed is not None:
        _armed.hit(label)


def passed() -> int:
    """How many checkpoints this process has passed (0 when not armed)."""
    return 0 if _armed is None else _armed.count


def write_count() -> None:
    """Write "count T" to the report now (a forked child that leaves with `os._exit`)."""
    if _armed is not None:
        _armed.write_count()


def sqlite_progress() -> int:
    """SQLite's progress handler while armed: a checkpoint; 0 lets the statement go on."""
    checkpoint("sqlite-vm")
    return 0


configure()

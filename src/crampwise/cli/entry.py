"""The `crampwise` console script.

Two jobs before any heavy import:
- global options (`--db URL`, `--athlete NAME`, `--demo`) may be typed anywhere on the line; they are
  moved in front of the command so that `crampwise log cramp --athlete Ana ...` works too;
- `crampwise now ...` runs on a fast path without Typer, so relief starts in a blink; so does
  `crampwise --version` (Typer alone takes about ten times a bare interpreter's start);
- numpy's BLAS is limited to one thread unless the user chose otherwise: crampwise's matrices
  are a few columns wide, where OpenBLAS's thread pool costs CPU (a third more on two cores) and
  saves no time; the results are the same.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

GLOBAL_OPTIONS = ("--db", "--athlete")
GLOBAL_SWITCHES = ("--demo",)
# Commands with an `--athlete` of their own: `user add NAME --athlete "Ana López"` names the
# journal an account keeps (server mode has no global athlete), so after these words it stays.
OWN_ATHLETE_OPTION = ("user",)
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def hoist_global_options(argv: Sequence[str]) -> list[str]:
    """Move `--db X` / `--athlete X` (or `--db=X`) to the front, keeping everything else in order
    (`--athlete` after a command of OWN_ATHLETE_OPTION is that command's own)."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    args = list(argv)
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        name = arg.split("=", 1)[0]
        own = name == "--athlete" and bool(rest) and rest[0] in OWN_ATHLETE_OPTION
        if arg in GLOBAL_SWITCHES:
            front.append(arg)
        elif name in GLOBAL_OPTIONS and not own:
            if "=" in arg:
                front.append(arg)
            else:
                front.append(arg)
                if index + 1 < len(args):
                    front.append(args[index + 1])
                    index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


def command_of(argv: Sequence[str]) -> str | None:
    """The first word that is not a global option or its value."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg.split("=", 1)[0] in GLOBAL_OPTIONS:
            index += 1 if "=" in arg else 2
            continue
        if arg in GLOBAL_SWITCHES:
            index += 1
            continue
        return arg
    return None


def main(argv: Sequence[str] | None = None) -> None:
    """Run crampwise with `argv` (default: the process arguments) and exit with its code."""
    for name in BLAS_THREAD_VARIABLES:  # before numpy is first imported
        os.environ.setdefault(name, "1")
    args = hoist_global_options(sys.argv[1:] if argv is None else argv)
    command = command_of(args)
    if command == "--version":
        from crampwise import __version__

        print(f"crampwise {__version__}")
        sys.exit(0)
    if command == "now" and "--help" not in args:
        from crampwise.cli.now_fast import run_now

        sys.exit(run_now(args))
    from crampwise.cli.app import run_app

    sys.exit(run_app(args))

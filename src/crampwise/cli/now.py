"""`crampwise now` in the Typer app: listed in `crampwise --help`, with its own `--help`.

The console script normally runs `now` on the fast path (`now_fast`) without Typer; this
registration exists for help texts and for callers that build the app themselves (tests,
`python -c`), and it delegates to the same code.
"""

from __future__ import annotations

from typing import Annotated

import typer

from crampwise.cli.common import state


def register(app: typer.Typer) -> None:
    """Add `now` to the root app."""

    @app.command(
        "now",
        help=(
            "Cramping right now? Guided relief for one muscle: one step at a time, a countdown "
            "per stretch, q to stop; then a few one-key questions and the episode is logged. Muscles (plurals and common names too: calves, quads): calf, "
            "hamstring, quadriceps, foot, toes, adductor, hip_flexor, glute, shin, other. "
            "Example: crampwise now calf --plain"
        ),
    )
    def now(
        ctx: typer.Context,
        muscle: Annotated[
            str | None, typer.Argument(help="The cramping muscle (asked with a menu when left out).")
        ] = None,
        plain: Annotated[
            bool, typer.Option("--plain", help="Print the protocol as text with its sources and exit.")
        ] = False,
        context: Annotated[
            str | None,
            typer.Option(
                "--context", help="exercise|after_exercise|rest|sleep, for the log (asked if left out)."
            ),
        ] = None,
        side: Annotated[
            str | None, typer.Option("--side", help="left|right|both, for the log (asked if left out).")
        ] = None,
    ) -> None:
        from crampwise.cli.now_fast import run_now

        root = state(ctx)
        argv = ["now"]
        if root.db is not None:
            argv += ["--db", root.db]
        if root.athlete is not None:
            argv += ["--athlete", root.athlete]
        if muscle is not None:
            argv.append(muscle)
        if plain:
            argv.append("--plain")
        if context is not None:
            argv += ["--context", context]
        if side is not None:
            argv += ["--side", side]
        code = run_now(argv)
        if code:
            raise typer.Exit(code)

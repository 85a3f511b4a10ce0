"""`crampwise now` without Typer: relief must start at once (being built)."""

from __future__ import annotations

from collections.abc import Sequence


def run_now(argv: Sequence[str]) -> int:
    """Run `crampwise now ...`; returns the exit code."""
    raise SystemExit("crampwise now: not built yet")

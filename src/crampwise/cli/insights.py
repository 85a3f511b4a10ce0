"""`crampwise insights` and `crampwise demo`: parse the options, call one service, render.

`insights` prints the factors as a table with 95 % intervals, a terminal forest plot (odds
ratios on a log scale), the plain-language summary (most important first), what data would
sharpen it, and the caveat on contested evidence; `--json` prints the contract's document.
Services are imported inside the commands so that `crampwise --help` stays quick.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from crampwise.cli.common import print_json, reported_errors, state

if TYPE_CHECKING:
    from rich.console import Console

    from crampwise.config import Settings
    from crampwise.services.insights import Insights

INSIGHTS_HELP = (
    "Which factors go with your cramps: each factor's odds ratio with its 95 % interval, a forest "
    "plot, and a plain-language summary (exploratory; associations, not causes). "
    "Example: crampwise insights --json"
)
DEMO_HELP = (
    "Create a realistic demo athlete ('Demo Runner': a simulated year of training, cramps and sweat "
    "tests) so that every command has something to show. Running it again changes nothing. "
    "It lives in a store of its own (not yours): look at it with --demo. "
    "Example: crampwise demo && crampwise --demo insights"
)
PLOT_LOW, PLOT_HIGH, PLOT_WIDTH = 0.1, 20.0, 41
VERDICT_TEXT = {
    "likely_trigger": "likely",
    "possible_trigger": "possible",
    "protective": "protective",
    "no_clear_link": "no clear link",
    "not_enough_data": "too few data",
}
VERDICT_STYLE = {
    "likely_trigger": "bold red",
    "possible_trigger": "yellow",
    "protective": "green",
    "no_clear_link": "",
    "not_enough_data": "dim",
}


def number(value: float) -> str:
    """Two significant figures without scientific notation: 0.031, 0.94, 4.6, 14, 160."""
    if value >= 10:
        return f"{value:.0f}"
    if value >= 0.1:
        return f"{value:.2g}" if value < 1 else f"{value:.1f}"
    return f"{value:.2g}"


def chance(probability: float) -> str:
    """A posterior probability as a percentage that never rounds to a certainty: 99.7 %, 62 %."""
    if probability >= 0.999:
        return ">99.9 %"
    if probability < 0.001:
        return "<0.1 %"
    if 0.01 <= probability <= 0.99:
        return f"{100 * probability:.0f} %"
    return f"{100 * probability:.1f} %"


def _settings(ctx: typer.Context) -> Settings:
    from crampwise.config import load_settings

    root = state(ctx)
    return load_settings(database_url=root.db, athlete=root.athlete, demo=root.demo)


# crampwise convention: an interval whose ends are more than a hundredfold apart (0.4 to 88500)
# says nothing a reader can use; it is shown as "too few to tell", not as numbers.
UNINFORMATIVE_SPAN = 100.0
HOW_TO_READ = (
    "How to read it: an odds ratio (OR) of 2 means your odds of a cramp were twice as high with "
    "the factor as without it, and the 95 % interval is the range the true value likely lies in; "
    "when the interval includes 1, your record cannot tell the factor from chance."
)
TOO_FEW = "too few to tell"


def counted(n: int, noun: str) -> str:
    """`1 session`, `2 sessions`."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def uninformative(ci95: tuple[float, float] | list[float] | None) -> bool:
    """An interval too wide to say anything: no interval, or ends a hundredfold apart."""
    if ci95 is None:
        return True
    low, high = ci95
    return low <= 0 or high / low > UNINFORMATIVE_SPAN


def bullets(console: Console, lines: list[str]) -> None:
    """Each line once (repeats dropped), wrapped under its own bullet."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    seen: set[str] = set()
    for line in lines:
        key = " ".join(line.lower().split())
        if key in seen:
            continue
        seen.add(key)
        grid.add_row("-", line)
    console.print(grid)


def _column(odds_ratio: float) -> int:
    """Position of an odds ratio on the plot's log axis, clipped to its ends."""
    span = math.log(PLOT_HIGH) - math.log(PLOT_LOW)
    where = (math.log(min(max(odds_ratio, PLOT_LOW), PLOT_HIGH)) - math.log(PLOT_LOW)) / span
    return round(where * (PLOT_WIDTH - 1))


def forest_line(odds_ratio: float, low: float, high: float) -> str:
    """One row of the forest plot: the interval as a bar, the estimate as a dot, 1 as a rule."""
    cells = [" "] * PLOT_WIDTH
    for i in range(_column(low), _column(high) + 1):
        cells[i] = "─"
    one = _column(1.0)
    if cells[one] == " ":
        cells[one] = "│"
    if low < PLOT_LOW:
        cells[0] = "<"
    if high > PLOT_HIGH:
        cells[-1] = ">"
    cells[_column(odds_ratio)] = "●"
    return "".join(cells)


def _axis() -> str:
    cells = [" "] * PLOT_WIDTH
    for value, text in ((PLOT_LOW, "0.1"), (1.0, "1"), (PLOT_HIGH, "20")):
        at = min(_column(value), PLOT_WIDTH - len(text))
        cells[at : at + len(text)] = list(text)
    return "".join(cells)


def render(console: Console, result: Insights) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from crampwise.science.exposures import CONTESTED_FACTORS
    from crampwise.services.insights import CONTESTED_CAVEAT

    a = result.analysis
    console.print(
        f"[bold]Cramp insights for {escape(result.athlete)}[/bold]: {counted(a.n_sessions, 'session')}, "
        f"{a.n_session_cramps} with a cramp; {counted(a.n_days, 'day')}, {a.n_rest_cramp_days} with a cramp "
        "at rest or in sleep"
    )
    for level, title in (
        ("session", "Cramps during or after exercise, per session"),
        ("day", "Cramps at rest or in sleep, per day (case-crossover)"),
    ):
        table = Table(
            title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False
        )
        table.add_column("factor", no_wrap=True)
        for name in ("exposed", "others", "OR", "95 % CI", "P(OR>1)"):
            table.add_column(name, justify="right", no_wrap=True)
        table.add_column("verdict", no_wrap=True)
        for f in result.factors:
            if f.level != level:
                continue
            verdict = VERDICT_TEXT[f.verdict]
            vague = f.odds_ratio is not None and uninformative(f.ci95)
            if vague and f.verdict == "no_clear_link":
                verdict = TOO_FEW
            table.add_row(
                f.factor
                + (" †" if f.factor in CONTESTED_FACTORS else "")
                + (" (own)" if f.own else "")
                + (" ‡" if f.exploratory else ""),
                f"{f.exposed.with_cramp}/{f.exposed.n}",
                f"{f.unexposed.with_cramp}/{f.unexposed.n}",
                "-" if f.odds_ratio is None or vague else number(f.odds_ratio),
                "too wide"
                if vague
                else ("-" if f.ci95 is None else f"{number(f.ci95[0])}-{number(f.ci95[1])}"),
                "-" if f.prob_above_1 is None else chance(f.prob_above_1),
                f"[{VERDICT_STYLE[f.verdict]}]{verdict}[/]" if VERDICT_STYLE[f.verdict] else verdict,
            )
        console.print(table)
    console.print(
        "exposed / others: sessions (or days) with a cramp / all; P(OR>1): how sure the model is that "
        "the factor raises your odds; † contested in the literature",
        highlight=False,
    )
    if any(f.own for f in result.factors):
        console.print(
            "(own): a factor of your own (crampwise factor list); number factors: above your median"
        )
    if any(f.exploratory for f in result.factors):
        console.print(
            "‡ exploratory: your wearable's night against your own 28-day baseline; no study links it to cramps",
            highlight=False,
        )
    if any(f.odds_ratio is not None and uninformative(f.ci95) for f in result.factors):
        console.print(
            f"too wide / {TOO_FEW}: the interval spans more than a hundredfold: too few sessions or "
            "days with the factor to tell anything yet",
            highlight=False,
        )
    console.print(HOW_TO_READ, highlight=False)
    plotted = [f for f in result.factors if f.odds_ratio is not None and not uninformative(f.ci95)]
    if plotted:
        console.print("\n[bold]Odds ratios with 95 % intervals[/bold] (log scale; right of 1 = more cramps)")
        width = max(len(f.factor) + 6 for f in plotted)
        for f in plotted:
            assert f.odds_ratio is not None and f.ci95 is not None
            label = f.factor + ("" if f.level == "session" else " (day)")
            console.print(f"{label:<{width}} {forest_line(f.odds_ratio, *f.ci95)}", highlight=False)
        console.print(f"{'':<{width}} {_axis()}", highlight=False)
    console.print("\n[bold]What it says[/bold]")
    said = [escape(sentence) for sentence in result.summary if sentence != CONTESTED_CAVEAT]
    bullets(console, said)
    hints = [escape(hint) for hint in result.sharpen if escape(hint) not in said]
    if hints:
        console.print("\n[bold]What would sharpen it[/bold]")
        bullets(console, hints)
    if any(f.factor in CONTESTED_FACTORS and f.verdict != "not_enough_data" for f in result.factors):
        console.print(f"\n[bold]† Contested evidence[/bold]: {escape(CONTESTED_CAVEAT)}")


def register(app: typer.Typer) -> None:
    """Add `insights` and `demo` to the root app."""

    @app.command("insights", help=INSIGHTS_HELP)
    def insights(
        ctx: typer.Context,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the insights as one JSON document.")
        ] = False,
    ) -> None:
        from rich.console import Console

        from crampwise.services.context import open_context
        from crampwise.services.insights import compute_insights

        settings = _settings(ctx)
        with reported_errors(), open_context(settings) as app_ctx:
            result = compute_insights(app_ctx, athlete=settings.athlete, now=datetime.now(UTC))
        if as_json:
            print_json(result.to_json())
            return
        render(Console(), result)

    @app.command("demo", help=DEMO_HELP)
    def demo(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print what was created as JSON.")] = False,
    ) -> None:
        from crampwise.config import load_settings
        from crampwise.services.context import open_context
        from crampwise.services.demo import create_demo

        root = state(ctx)
        settings = load_settings(database_url=root.db, athlete=root.athlete, demo=root.db is None)
        with reported_errors(), open_context(settings) as app_ctx:
            result = create_demo(app_ctx, now=datetime.now(UTC))
        look = (
            "crampwise --demo insights"
            if root.db is None
            else f"crampwise --db {root.db} --athlete '{result.athlete}' insights"
        )
        if as_json:
            print_json({**result.to_json(), "store": settings.database_url})
        elif result.created and result.summary is not None:
            where = "in its own store, apart from yours" if root.db is None else f"in {root.db}"
            typer.echo(f"Created the demo athlete {where}: {result.summary.describe()}")
            typer.echo(f"Look at it with: {look}")
        else:
            typer.echo(f"The demo athlete '{result.athlete}' already exists; nothing changed. Try: {look}")

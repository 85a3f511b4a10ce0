"""How `crampwise plan` and `crampwise sweat` look in a terminal (Rich), in the athlete's units.

Every number is printed with the source ids behind it; `--json` output is not made here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.markup import escape

if TYPE_CHECKING:
    from rich.console import Console

    from crampwise.domain.enums import UnitSystem
    from crampwise.services.planning import PlanResult, SweatReport


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _per_hour(ml: float, units: UnitSystem) -> str:
    from crampwise.domain.units import format_volume

    return f"{format_volume(round(ml, -1), units)}/h"


def _cite(ids: Sequence[str]) -> str:
    return "[dim]" + escape("[" + ", ".join(ids) + "]") + "[/dim]"


def render_plan(result: PlanResult) -> None:
    """The plan as Rich tables: numbers in the athlete's units, each row with its sources."""
    from rich.table import Table

    from crampwise.domain.units import format_duration, format_mass, format_temperature
    from crampwise.science.plan_checklist import describe_volume

    plan, units = result.plan, result.units
    s = plan.session
    cite = plan.citations
    console = _console()
    effort = "RPE not given" if s.rpe is None else f"RPE {s.rpe:g}"
    when = f", {s.start:%Y-%m-%d %H:%M}" if s.start else (f", {result.day}" if result.day else "")
    console.print(
        f"[bold]Plan for {escape(result.athlete)}[/bold]: {s.sport.value}, {format_duration(s.duration_s)}, "
        f"{format_temperature(s.temperature_c, units)}, {effort}{when}"
    )
    rate = plan.sweat_rate
    basis = (
        f"your {rate.n_tests} sweat tests"
        if rate.basis == "personal"
        else f"population values ({rate.n_tests} usable sweat tests of yours so far)"
    )
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        "Sweat rate",
        f"about {_per_hour(rate.estimate_l_per_h * 1000, units)} "
        f"({_per_hour(rate.low_l_per_h * 1000, units)} to {_per_hour(rate.high_l_per_h * 1000, units)}), "
        f"from {basis} {_cite(cite['sweat_rate_l_per_h'])}",
    )
    low, high = plan.fluid_ml_per_h
    fluid = "drink to thirst" if plan.drink_to_thirst else f"{describe_volume((low, high), units)} per hour"
    table.add_row(
        "Fluid",
        f"{fluid}; never more than {_per_hour(plan.fluid_ml_per_h_max, units)} "
        f"{_cite(cite['fluid_ml_per_h'])} (ceiling: {_cite(cite['fluid_ml_per_h_max'])})",
    )
    if plan.sodium_mg_per_h[1] > 0:
        na_low, na_high = plan.sodium_mg_per_h
        table.add_row(
            "Sodium",
            f"{na_low:.0f}-{na_high:.0f} mg per hour, a partial replacement (weak evidence; sweat sodium "
            f"{plan.sodium.mmol_l:g} mmol/L, {plan.sodium.basis}) {_cite(cite['sodium_mg_per_h'])}",
        )
    else:
        table.add_row("Sodium", "none needed for a session of an hour or less, or with drinking to thirst")
    table.add_row(
        "Expected loss",
        f"{plan.expected_mass_loss_pct:.1f} % of {format_mass(plan.body_mass_kg, units)} (aim: under 2 %) "
        f"{_cite(cite['expected_mass_loss_pct'])}",
    )
    table.add_row(
        "Afterwards",
        "weigh yourself; replace 1.25-1.5 L per kg lost, with salty food; no scale: drink to thirst "
        f"{_cite(cite['after_session'])}",
    )
    console.print(table)
    if plan.schedule:
        console.print(f"[bold]Drink every {plan.interval_min} min[/bold] {_cite(cite['schedule'])}")
        sched = Table()
        sched.add_column("min", justify="right")
        if s.start is not None:
            sched.add_column("time")
        sched.add_column("drink")
        sched.add_column("sodium" if result.fuel is None else "sodium in all", justify="right")
        for drink in plan.schedule:
            row = [str(drink.at_min)]
            if s.start is not None:
                row.append(f"{drink.moment(s.start):%H:%M}")
            sodium = f"{drink.sodium_mg[0]:.0f}-{drink.sodium_mg[1]:.0f} mg" if drink.sodium_mg[1] else "-"
            slot = None if result.fuel is None else result.fuel.slot_at(drink.at_min)
            row += [drink.text(units) if slot is None else escape(slot.text(units)), sodium]
            sched.add_row(*row)
        console.print(sched)
    _render_fuel(console, result)
    for title, exercises, key in (
        ("Warm-up", plan.warmup, "warmup"),
        ("Cool-down", plan.cooldown, "cooldown"),
        ("Before bed (night cramps)", plan.night, "night"),
    ):
        if not exercises:
            continue
        minutes = sum(e.minutes for e in exercises)
        console.print(f"[bold]{title}[/bold], {minutes:g} min {_cite(cite[key])}")
        for e in exercises:
            note = f" [dim]({escape(e.note)})[/dim]" if e.note else ""
            console.print(f"  - {escape(e.name)} ({e.minutes:g} min): {escape(e.dose)}{note}")
    console.print(
        "[dim]No trial shows that a warm-up prevents cramps; these prepare the muscles you cramp in.[/dim]"
    )
    console.print("[bold]Checklist[/bold]")
    for advice in plan.checklist:
        console.print(f"  [ ] {escape(advice.text)} {_cite(advice.sources)}")
    _render_risk(console, result.risk)


def _render_fuel(console: Console, result: PlanResult) -> None:
    """The carried gels and drinks: what they bring an hour, and what is left to add."""
    fuel = result.fuel
    if fuel is None:
        return
    carried = ", ".join(f"{c.units} x {c.product.name}" for c in fuel.carried)
    console.print(
        f"[bold]You carry[/bold] {escape(carried)}: about {fuel.carbohydrate_g_per_h:.0f} g carbohydrate "
        f"and {fuel.sodium_mg_per_h:.0f} mg sodium an hour"
        + (
            f", {_per_hour(fuel.fluid_ml_per_h, result.units)} of the fluid"
            if fuel.fluid_ml_per_h > 0
            else ""
        )
    )
    if fuel.slots:
        console.print(
            "  [dim]The schedule's drink column counts them (sodium: the plan's, theirs included).[/dim]"
        )
    for advice in fuel.advice:
        console.print(f"  - {escape(advice.text)} {_cite(advice.sources)}")
    if fuel.carbohydrate_reference is not None:
        ref = fuel.carbohydrate_reference
        console.print(f"  - {escape(ref.text)} {_cite(ref.sources)}")


def _render_risk(console: Console, risk: dict[str, object] | None) -> None:
    """The cramp-risk line: a probability with 10+ logged cramps, else why not (and a band)."""
    from crampwise.services.planning import risk_statement

    said = risk_statement(risk)
    if said is None:
        console.print("[dim]Cramp risk for this session: not available.[/dim]")
        return
    cited = f" {_cite(said.sources)}" if said.sources else ""
    if said.percent is None:
        console.print(f"[bold]Cramp risk[/bold]: {escape(said.headline)}. {escape(said.why)}{cited}")
        if said.drivers:
            console.print(f"  [dim]In this session: {escape(said.driver_words)}.[/dim]")
        return
    console.print(
        f"[bold]Cramp risk[/bold]: {escape(said.headline)}"
        + (f"; goes with {escape(said.driver_words)}" if said.drivers else "")
        + cited
    )


def _rate_number(l_per_h: float, units: UnitSystem) -> str:
    """A sweat rate as a bare number in L/h, or US fl oz/h for an imperial athlete."""
    from crampwise.domain.units import ML_PER_US_FL_OZ

    if units.value == "imperial":
        return f"{l_per_h * 1000 / ML_PER_US_FL_OZ:.0f}"
    return f"{l_per_h:.2f}"


def _bar(value: float, top: float, width: int = 12) -> str:
    """A horizontal bar of `width` cells at most, eighths for the last cell."""
    cells = 0.0 if top <= 0 else max(0.0, min(value / top, 1.0)) * width
    full = int(cells)
    part = int((cells - full) * 8)
    return "\u2588" * full + ("" if part == 0 else chr(0x2590 - part))


def render_sweat(report: SweatReport) -> None:
    """The sweat tests as a table with a bar chart, then the personal model."""
    from rich.table import Table

    from crampwise.domain.units import format_duration, format_temperature
    from crampwise.science.hydration import FLAG_TEXT, Flag
    from crampwise.science.plan_checklist import describe_volume

    console = _console()
    units = report.units
    if not report.tests:
        console.print(
            "No sweat tests yet: weigh yourself before and after a session (after the toilet, minimal "
            "clothing) and log --pre-mass, --post-mass and --fluid. " + _cite(["baker2017", "sawka2007_acsm"])
        )
    else:
        top = max((t.sweat_rate_l_per_h for t in report.tests if t.usable), default=1.0)
        table = Table(title=f"Sweat tests of {escape(report.athlete)}", title_justify="left")
        table.add_column("date", no_wrap=True)
        table.add_column("session", no_wrap=True)
        table.add_column("sport", no_wrap=True)
        table.add_column("temp", justify="right", no_wrap=True)
        table.add_column("RPE", justify="right")
        table.add_column("L/h" if units.value == "metric" else "oz/h", justify="right", no_wrap=True)
        table.add_column("", no_wrap=True)
        table.add_column("loss", justify="right", no_wrap=True)
        for t in report.tests:
            rate = _rate_number(t.sweat_rate_l_per_h, units)
            bar = _bar(t.sweat_rate_l_per_h, top) if t.usable else "[red]left out[/red]"
            table.add_row(
                f"{t.start:%Y-%m-%d}",
                t.session_id or "",
                f"{t.sport.value} {format_duration(t.duration_s)}",
                "" if t.temperature_c is None else format_temperature(t.temperature_c, units),
                "" if t.intensity_rpe is None else f"{t.intensity_rpe:.0f}",
                rate,
                bar,
                f"{t.mass_loss_pct:.1f}%",
            )
        console.print(table)
        latest = report.tests[-1]
        if latest.rehydration_ml is not None:
            low, high = latest.rehydration_ml
            console.print(
                f"  After your latest weighed session ({latest.start:%Y-%m-%d}): you lost "
                f"{latest.pre_mass_kg - latest.post_mass_kg:.1f} kg, so drink about "
                f"{escape(describe_volume((low, high), units))} over the next hours, with salty food, and no "
                "more " + _cite(["sawka2007_acsm", "crampwise_convention"])
            )
        elif latest.gained:
            console.print(
                f"  [bold red]Your latest weighed session ({latest.start:%Y-%m-%d}) ended heavier than it "
                "began: drink nothing extra; run crampwise check.[/bold red] " + _cite(["hew_butler2015_eah"])
            )
        no_urine = sum(Flag.URINE_UNKNOWN in t.flags for t in report.tests)
        if no_urine:
            console.print(f"  [dim]{no_urine} test(s): {FLAG_TEXT[Flag.URINE_UNKNOWN]}[/dim]")
        for t in report.tests:
            other = [FLAG_TEXT[f] for f in t.flags if f is not Flag.URINE_UNKNOWN]
            if other:
                label = t.session_id or f"{t.start:%Y-%m-%d}"
                console.print(f"  [dim]{escape(label)}: {escape('; '.join(other))}[/dim]")
    model = report.model
    at_ref = model.predict(temperature_c=22.0, rpe=6.0)
    basis = "your own tests" if model.basis == "personal" else "population values (fewer than 3 usable tests)"
    console.print(
        f"[bold]Model[/bold] ({basis}): at {format_temperature(22.0, units)} and RPE 6 about {_per_hour(at_ref.estimate_l_per_h * 1000, units)} "
        f"({_per_hour(at_ref.low_l_per_h * 1000, units)} to {_per_hour(at_ref.high_l_per_h * 1000, units)}); "
        f"usable tests {model.n_tests}, left out {model.n_excluded} "
        + _cite(["baker2016", "barnes2019", "baker2017", "crampwise_convention"])
    )

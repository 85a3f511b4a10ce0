"""`crampwise planned add|list|remove` and `crampwise product add|list|remove`.

Planned sessions are what the reminders remind of (the calendar feed, session mode on the
web); products are the gels, bars and drinks an athlete carries, counted into the plan
(`plan --carry gel=3`). Each command parses its options, calls one service and renders.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from crampwise.cli.common import print_json, state
from crampwise.cli.journal import JsonFlag, services
from crampwise.cli.journal_render import table

if TYPE_CHECKING:
    from crampwise.domain.enums import UnitSystem
    from crampwise.domain.planned import PlannedSessionRecord, Product

PLANNED_HELP = (
    "Sessions you plan to do: the calendar feed and session mode remind you to drink during them. "
    "Example: crampwise planned add --sport run --duration 3h --temperature 28 --date 2026-06-07T08:00"
)
PRODUCT_HELP = (
    "The gels, bars and drinks you carry, with what one unit holds; the plan counts them "
    "(crampwise plan ... --carry gel=3). Example: crampwise product add gel --carbohydrate 25g --sodium 50mg --fluid 0"
)
CARRY_HELP = "A product you will carry and how many, NAME=UNITS (repeat, or gel=3,drink=2); see crampwise product list."

Carry = Annotated[list[str] | None, typer.Option("--carry", help=CARRY_HELP)]


def _now() -> datetime:
    return datetime.now(UTC)


def planned_line(planned: PlannedSessionRecord, units: UnitSystem) -> list[str]:
    from crampwise.services.planned import planned_title

    carry = ", ".join(f"{name}={n}" for name, n in planned.carry.items())
    return [
        str(planned.id),
        planned.start.strftime("%a %-d %b %Y %H:%M"),
        planned_title(planned, units),
        carry,
    ]


def _planned_json(planned: PlannedSessionRecord) -> dict[str, Any]:
    return planned.model_dump(mode="json")


def register(app: typer.Typer) -> None:
    """Add the `planned` and `product` groups to the root app."""
    planned = typer.Typer(help=PLANNED_HELP, no_args_is_help=True, rich_markup_mode=None)
    product = typer.Typer(help=PRODUCT_HELP, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(planned, name="planned")
    app.add_typer(product, name="product")

    @planned.command("add")
    def planned_add(
        ctx: typer.Context,
        sport: Annotated[
            str, typer.Option("--sport", help="run|ride|swim|triathlon|walk|hike|strength|team_sport|other")
        ],
        duration: Annotated[
            str, typer.Option("--duration", help="e.g. 3h, 1h30m or 90m (a bare number is minutes).")
        ],
        temperature: Annotated[
            str,
            typer.Option(
                "--temperature", help="Expected temperature, e.g. 28C or 82F (a bare number: your units)."
            ),
        ],
        when: Annotated[
            str, typer.Option("--date", help="Planned start, YYYY-MM-DDTHH:MM (your local time).")
        ],
        rpe: Annotated[str | None, typer.Option("--rpe", help="Planned effort, CR-10 scale 0-10.")] = None,
        carry: Carry = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Plan a session: its drinks go into your calendar feed and session mode. Example:
        crampwise planned add --sport run --duration 3h --temperature 28 --date 2026-06-07T08:00 --carry gel=3"""
        from crampwise.cli.planning import PLAN_FLAGS
        from crampwise.services import journal
        from crampwise.services.planned import add_planned_from_text

        typed = {"sport": sport, "duration": duration, "temperature": temperature, "rpe": rpe, "date": when}
        with services(ctx) as app:
            athlete = state(ctx).athlete
            units = journal.get_athlete(app, athlete=athlete).units
            record = add_planned_from_text(
                app, athlete=athlete, raw=typed, names=PLAN_FLAGS, carry_texts=carry or []
            )
        if as_json:
            print_json(_planned_json(record))
            return
        typer.echo(f"Planned {record.id}: " + " ".join(planned_line(record, units)[1:3]))
        typer.echo(
            "Its drinks are in your calendar feed (crampwise remind feed) and in session mode (/planned)."
        )

    @planned.command("list")
    def planned_list(
        ctx: typer.Context,
        everything: Annotated[bool, typer.Option("--all", help="Include sessions that are over.")] = False,
        as_json: JsonFlag = False,
    ) -> None:
        """List your planned sessions, the next first. Example: crampwise planned list --json"""
        from crampwise.services import journal
        from crampwise.services.planned import list_planned

        with services(ctx) as app:
            athlete = state(ctx).athlete
            units = journal.get_athlete(app, athlete=athlete).units
            records = list_planned(app, athlete=athlete, now=_now(), include_past=everything)
        if as_json:
            print_json([_planned_json(r) for r in records])
        elif not records:
            typer.echo(
                "No planned sessions; add one with: crampwise planned add --sport run --duration 3h ..."
            )
        else:
            typer.echo(table(["ID", "START", "SESSION", "CARRY"], [planned_line(r, units) for r in records]))

    @planned.command("remove")
    def planned_remove(
        ctx: typer.Context, planned_id: Annotated[str, typer.Argument(metavar="ID", help="e.g. p-0001")]
    ) -> None:
        """Remove a planned session (its reminders leave the calendar feed). Example: crampwise planned remove p-0001"""
        from crampwise.services.planned import remove_planned

        with services(ctx) as app:
            remove_planned(app, athlete=state(ctx).athlete, planned_id=planned_id)
        typer.echo(f"Removed planned session {planned_id}.")

    @product.command("add")
    def product_add(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="What you call it, e.g. gel or 'iso drink 500ml'.")],
        carbohydrate: Annotated[
            str, typer.Option("--carbohydrate", help="Carbohydrate in one unit, e.g. 25g.")
        ],
        sodium: Annotated[str, typer.Option("--sodium", help="Sodium in one unit, e.g. 50mg.")],
        fluid: Annotated[
            str,
            typer.Option("--fluid", help="Fluid in one unit: 0 for a gel or a bar, e.g. 500ml for a bottle."),
        ],
        as_json: JsonFlag = False,
    ) -> None:
        """Add a gel, bar or drink (a name given again is replaced). Example:
        crampwise product add "iso drink" --carbohydrate 30g --sodium 250mg --fluid 500ml"""
        from crampwise.services import journal
        from crampwise.services.products import read_product, save_product

        flags = {
            "name": "NAME",
            "carbohydrate_g": "--carbohydrate",
            "sodium_mg": "--sodium",
            "fluid_ml": "--fluid",
        }
        with services(ctx) as app:
            athlete = state(ctx).athlete
            units = journal.reading_for(app, athlete=athlete, now=_now()).units
            raw = {"name": name, "carbohydrate_g": carbohydrate, "sodium_mg": sodium, "fluid_ml": fluid}
            saved = save_product(app, athlete=athlete, product=read_product(raw, units=units, names=flags))
        if as_json:
            print_json(saved.product.model_dump(mode="json"))
            return
        verb = "Added" if saved.created else "Updated"
        typer.echo(f"{verb} {saved.product.name}: {product_text(saved.product, units)}.")

    @product.command("list")
    def product_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
        """List your gels, bars and drinks. Example: crampwise product list --json"""
        from crampwise.services import journal
        from crampwise.services.products import list_products

        with services(ctx) as app:
            athlete = state(ctx).athlete
            units = journal.get_athlete(app, athlete=athlete).units
            found = list_products(app, athlete=athlete)
        if as_json:
            print_json([p.model_dump(mode="json") for p in found])
        elif not found:
            typer.echo(
                "No products; add one with: crampwise product add gel --carbohydrate 25g --sodium 50mg --fluid 0"
            )
        else:
            rows = [[p.name, *product_cells(p, units)] for p in found]
            typer.echo(table(["NAME", "CARBOHYDRATE", "SODIUM", "FLUID"], rows))

    @product.command("remove")
    def product_remove(
        ctx: typer.Context, name: Annotated[str, typer.Argument(help="The product's name.")]
    ) -> None:
        """Remove a product (and take it off planned sessions that carried it). Example: crampwise product remove gel"""
        from crampwise.services.products import remove_product

        with services(ctx) as app:
            removed = remove_product(app, athlete=state(ctx).athlete, name=name)
        typer.echo(f"Removed {removed.product.name}.")
        if removed.planned_ids:
            typer.echo(f"Also taken off planned session(s) {', '.join(removed.planned_ids)}.")


def product_cells(product: Product, units: UnitSystem) -> list[str]:
    from crampwise.domain.units import format_volume

    fluid = "-" if product.fluid_ml <= 0 else format_volume(product.fluid_ml, units)
    return [f"{product.carbohydrate_g:g} g", f"{product.sodium_mg:g} mg", fluid]


def product_text(product: Product, units: UnitSystem) -> str:
    carb, sodium, fluid = product_cells(product, units)
    return (
        f"{carb} carbohydrate, {sodium} sodium" + ("" if fluid == "-" else f", {fluid} fluid") + " per unit"
    )

"""`crampwise init` and `crampwise athlete add|list|default|rename|delete|show|set`.

Faces over `services.athletes` (through the journal service), with the same flags, helpers
and rendering as the journal commands (`cli.journal`). Services are imported inside the
commands so that `crampwise --help` stays quick.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from crampwise.cli import journal_fields as jf
from crampwise.cli import journal_render as render
from crampwise.cli.common import print_json, state
from crampwise.cli.journal import JsonFlag, echo_record, now_utc, record_json, services, sub_app
from crampwise.domain.errors import InvalidInput


def init(ctx: typer.Context) -> None:
    """Create the store (or upgrade its schema) and say where it is."""
    from crampwise.services import journal

    with services(ctx) as app:
        athletes = journal.init_store(app)
        where = app.settings.database_url
    names = ", ".join(a.name for a in athletes) or "none yet (crampwise athlete add NAME)"
    typer.echo(f"Store ready: {where}\nAthletes: {names}")


def _athlete_add(ctx: typer.Context, raw: dict[str, Any], extras: dict[str, Any]) -> None:
    from crampwise.services import journal

    with services(ctx) as app, jf.named_by_flags(jf.ATHLETE_FLAGS):
        reading = _own_units(raw, None)
        data = {
            "name": extras["name"],
            **jf.parse_flags("athlete", jf.ATHLETE_FLAGS, raw, check_required=True, reading=reading),
        }
        athlete = journal.add_athlete(app, data=data, now=now_utc())
    echo_record(
        athlete,
        extras["as_json"],
        lambda: f"Added athlete {athlete.name} ({athlete.timezone}, {athlete.units}).",
    )


def _athlete_set(ctx: typer.Context, raw: dict[str, Any], extras: dict[str, Any]) -> None:
    from crampwise.services import journal

    with services(ctx) as app, jf.named_by_flags(jf.ATHLETE_FLAGS):
        current = journal.get_athlete(app, athlete=state(ctx).athlete)
        reading = _own_units(raw, current.units)
        changes = jf.parse_flags("athlete", jf.ATHLETE_FLAGS, raw, check_required=False, reading=reading)
        if extras["new_name"] is not None:
            changes["name"] = extras["new_name"]
        changes.update(jf.cleared_fields(jf.ATHLETE_FLAGS, extras["clear"], "an athlete"))
        athlete = journal.set_athlete(app, athlete=current.name, changes=changes, confirmed=extras["confirm"])
    echo_record(athlete, extras["as_json"], lambda: f"Updated athlete {athlete.name}.")


def _own_units(raw: dict[str, Any], current: Any) -> Any:
    """How bare numbers of `athlete add|set` are read: in `--units` when given (field_input.own_units)."""
    from crampwise.services.field_input import Reading, own_units

    given = raw.get("units")
    return Reading(units=own_units(str(given) if given else None, current), now=now_utc())


def athlete_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the athletes in the store (the default one is marked)."""
    from crampwise.services import journal

    with services(ctx) as app:
        athletes = journal.list_athletes(app)
        default = journal.default_athlete_name(app)
    if as_json:
        print_json([{**record_json(a), "default": a.name == default} for a in athletes])
    elif not athletes:
        typer.echo("No athletes yet; add one with: crampwise athlete add NAME")
    else:
        rows = [[a.name, a.timezone, a.units, "yes" if a.name == default else ""] for a in athletes]
        typer.echo(render.table(["NAME", "TIME ZONE", "UNITS", "DEFAULT"], rows))


def athlete_default(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The athlete to act on by default.")]
) -> None:
    """Make one athlete the default: commands act on them when no --athlete is given."""
    from crampwise.services import journal

    with services(ctx) as app:
        athlete = journal.make_default_athlete(app, athlete=name)
    typer.echo(f"{athlete.name} is now the default athlete.")


def athlete_rename(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The athlete's current name.")],
    new_name: Annotated[str, typer.Argument(metavar="NEW_NAME", help="The new name.")],
) -> None:
    """Rename an athlete; every record stays theirs."""
    from crampwise.services import journal

    with services(ctx) as app:
        athlete = journal.rename_athlete(app, athlete=name, new_name=new_name)
    typer.echo(f"Renamed {name} to {athlete.name}.")


def athlete_delete(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The athlete to delete, with every record of theirs.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask; delete at once.")] = False,
) -> None:
    """Delete an athlete and every record, recording and import of theirs (not undone)."""
    import sys

    from crampwise.services import journal

    with services(ctx) as app:
        history = journal.load_history(app, athlete=name)
        who = history.athlete.name
        what = (
            f"{who} with {len(history.sessions)} sessions, {len(history.cramps)} cramps, "
            f"{len(history.days)} days and {len(history.medications)} medications"
        )
        if not yes:
            if not sys.stdin.isatty():
                raise InvalidInput.single("--yes", f"deleting {what} is not undone; add --yes to delete")
            if not typer.confirm(f"Delete {what}? This is not undone", default=False):
                typer.echo("Nothing deleted.")
                return
        journal.delete_athlete(app, athlete=who)
    typer.echo(f"Deleted {what}.")


def athlete_show(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Athlete (default: --athlete or the only one).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Show one athlete's settings and how many records they have."""
    from crampwise.services import journal

    with services(ctx) as app:
        history = journal.load_history(app, athlete=name if name is not None else state(ctx).athlete)
    if as_json:
        print_json(record_json(history.athlete))
        return
    counts = {
        "sessions": len(history.sessions),
        "cramps": len(history.cramps),
        "days": len(history.days),
        "medications": len(history.medications),
    }
    typer.echo(render.athlete_lines(history.athlete, counts))


def register(app: typer.Typer) -> None:
    """Add `init` and `athlete` to the root app."""
    as_json = jf.switch("as_json", "--json", "Print the record as JSON.")
    app.command("init")(init)

    athlete = sub_app(app, "athlete", "Add, list, show, change, rename and delete athletes.")
    athlete.command("add")(
        jf.build_command(
            jf.ATHLETE_FLAGS,
            _athlete_add,
            extra=[jf.argument("name", "The athlete's name."), as_json],
            doc="Add an athlete.",
        )
    )
    athlete.command("list")(athlete_list)
    athlete.command("default")(athlete_default)
    athlete.command("rename")(athlete_rename)
    athlete.command("delete")(athlete_delete)
    athlete.command("show")(athlete_show)
    new_name = jf.Flag("--name", "new_name", "Rename the athlete.", "NAME").parameter()
    athlete.command("set")(
        jf.build_command(
            jf.ATHLETE_FLAGS,
            _athlete_set,
            extra=[new_name, jf.clear_option(), jf.confirm_option(), as_json],
            doc="Change the athlete's settings (--athlete picks who).",
        )
    )
